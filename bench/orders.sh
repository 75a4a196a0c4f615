#!/usr/bin/env bash
# Benchmark: the order saga under a fixed arrival rate, on an isolated local cluster it starts
# itself (own BAZAAR_HOME and ports) with the defaults a user gets from `scripts/bazaar up` (rate
# limits and access log on), except tracing, sampled at TRACING_RATIO (default 0.1; 1.0 is the
# local debugging default). For each rate in RATES (orders/s) it places orders for
# SECONDS_PER_RATE through the gateway (bench/OrderLoad.java, an open-model load generator: a slow
# system does not slow the arrivals), spread over USERS customers (each has the gateway's per-user
# limit of 100 requests/s, as real traffic would), and reports accepted/s, 202 latency p50/p99,
# accept->final latency p50/p99 (from the orders' own createdAt/updatedAt), how many were
# CONFIRMED, and the CPU each process (PostgreSQL's backends included) spent per settled order,
# idle burn subtracted, from /proc. Stops everything it started.
# PROFILE=DIR also records a JFR (settings=profile) of every JVM of the cluster during the first
# rate into DIR; `python3 bench/jfr-groups.py DIR/<name>.jfr` says where each JVM's CPU went.
# MONOLITH=1 runs the application as `scripts/bazaar up --monolith` (one JVM for the services and
# the gateway) instead of one JVM per service: the same saga, Kafka and databases.
# PG_STATS=1 runs PostgreSQL with pg_stat_statements (BAZAAR_PG_STATEMENT_STATS=on; needs psql:
# apt-get install postgresql-client) and prints, after each rate, every statement the cluster ran
# during it: database, calls per accepted order, mean and total execution time.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd -P)"
RATES="${RATES:-100 200 300}"
SECONDS_PER_RATE="${SECONDS_PER_RATE:-60}"
USERS="${USERS:-10}"
WARMUP_SECONDS="${WARMUP_SECONDS:-60}"   # at 30/s: ten JVMs JIT-compiling on 2 cores need a minute
PROFILE="${PROFILE:-}"
PG_STATS="${PG_STATS:-}"
UP_FLAGS=(); if [ -n "${MONOLITH:-}" ]; then UP_FLAGS=(--monolith); fi
command -v jq >/dev/null || { echo "needs jq: apt-get install jq" >&2; exit 2; }

export BAZAAR_HOME; BAZAAR_HOME="$(mktemp -d /tmp/bazaar-bench.XXXXXX)"
export BAZAAR_GATEWAY_PORT=18080 BAZAAR_GATEWAY_MANAGEMENT_PORT=19081 BAZAAR_PG_PORT=25432 BAZAAR_KAFKA_PORT=29092 BAZAAR_KAFKA_CONTROLLER_PORT=29093
export BAZAAR_ZIPKIN_PORT=29411 BAZAAR_CLUSTER_PORT=25701 BAZAAR_CLUSTER_NAME="bench-$$" BAZAAR_PROVIDER_PORT=29300
export BAZAAR_ADMIN_PASSWORD="bench-admin-password"
export BAZAAR_TRACING_SAMPLE_RATIO="${TRACING_RATIO:-0.1}"
trap '"$ROOT/scripts/bazaar" down --purge >/dev/null 2>&1 || true' EXIT
if [ -n "$PG_STATS" ]; then
  command -v psql >/dev/null || { echo "PG_STATS needs psql: apt-get install postgresql-client" >&2; exit 2; }
  export BAZAAR_PG_STATEMENT_STATS=on
fi
# pg_sql SQL: runs SQL as the local superuser in the postgres database, unaligned output
pg_sql() {
  PGPASSWORD="$(cat "$BAZAAR_HOME/pg/superuser-password")" psql -X -q -A -F ' | ' -h 127.0.0.1 -p "$BAZAAR_PG_PORT" \
    -U postgres -d postgres -c "$1"
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(java -version 2>&1 | head -1)"
"$ROOT/scripts/bazaar" up ${UP_FLAGS[@]+"${UP_FLAGS[@]}"} >/dev/null
api="http://127.0.0.1:$BAZAAR_GATEWAY_PORT"
# a request that fails says which (the cluster may still be settling: 5xx and refused connections are retried)
json() { curl -sS -f --retry 5 --retry-all-errors --retry-delay 2 -H 'Content-Type: application/json' "$@" || { echo "bench: request failed: $*" >&2; return 22; }; }
tokens=
for ((u = 1; u <= USERS; u++)); do
  json -X POST "$api/api/v1/auth/register" -d "{\"email\":\"bench$u@example.com\",\"password\":\"bench-password\",\"name\":\"Bench $u\"}" >/dev/null
  t=$(json -X POST "$api/api/v1/auth/login" -d "{\"email\":\"bench$u@example.com\",\"password\":\"bench-password\"}" | jq -r .token)
  tokens="${tokens:+$tokens,}$t"
done
admin=$(json -X POST "$api/api/v1/auth/login" -d "{\"email\":\"admin@bazaar.local\",\"password\":\"$BAZAAR_ADMIN_PASSWORD\"}" | jq -r .token)
product=$(json -X POST "$api/api/v1/products" -H "Authorization: Bearer $admin" \
  -d '{"sku":"BENCH-1","name":"Bench item","description":"load","priceCents":100,"currency":"EUR"}' | jq -r .id)
json -X PUT "$api/api/v1/inventory/$product" -H "Authorization: Bearer $admin" -d '{"available":1000000000}' >/dev/null

java "$ROOT/bench/OrderLoad.java" "$api" "$tokens" "$product" 30 "$WARMUP_SECONDS" >/dev/null   # warm-up
first=1
for rate in $RATES; do
  if [ -n "$PROFILE" ] && ((first)); then
    mkdir -p "$PROFILE"
    for f in "$BAZAAR_HOME"/run/*.pid; do
      jcmd "$(tr -dc 0-9 <"$f")" JFR.start name=bench settings=profile duration="$((SECONDS_PER_RATE + 5))s" \
        filename="$PROFILE/$(basename "$f" .pid).jfr" >/dev/null 2>&1 || echo "no JFR for $(basename "$f" .pid)" >&2
    done
  fi
  first=0
  if [ -n "$PG_STATS" ]; then pg_sql "SELECT pg_stat_statements_reset()" >/dev/null; fi
  java "$ROOT/bench/OrderLoad.java" "$api" "$tokens" "$product" "$rate" "$SECONDS_PER_RATE" "$BAZAAR_HOME/run" 5 \
    | tee "$BAZAAR_HOME/rate.out"
  if [ -n "$PG_STATS" ]; then
    accepted=$(sed -n 's/.*accepted \([0-9]*\) .*/\1/p' "$BAZAAR_HOME/rate.out" | head -1)
    echo "  PostgreSQL statements during this rate (pg_stat_statements; per order = calls / $accepted accepted orders):"
    pg_sql "SELECT d.datname AS database, round(s.calls::numeric / ${accepted:-1}, 2) AS per_order, s.calls,
        round(s.mean_exec_time::numeric, 3) AS mean_ms, round(s.total_exec_time::numeric) AS total_ms,
        left(regexp_replace(s.query, '\s+', ' ', 'g'), 110) AS statement
      FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
      WHERE s.query NOT LIKE '%pg_stat_statements%' ORDER BY s.calls DESC LIMIT 60" | sed 's/^/    /'
  fi
done
echo "RSS after the load (scripts/bazaar status):"
"$ROOT/scripts/bazaar" status | awk 'NR==1 || /MB/' | sed 's/^/  /'
