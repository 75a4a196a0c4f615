#!/usr/bin/env bash
# Benchmark: what tracing costs on GET /api/v1/products/{id} through the gateway (gateway →
# product-service → inventory-service over the event bus → PostgreSQL: 3 JVMs, ~6 spans a request),
# three ways in the same run, same data, each after a warm-up under the same load (WARMUP s):
#   on           tracing on, every request sampled, exported to the local Zipkin (on the same 2 cores);
#   sampled10    the same with BAZAAR_TRACING_SAMPLE_RATIO=0.1 (the three JVMs restarted);
#   unreachable  tracing on (10%), Zipkin killed: the exporter fails (spans dropped), requests must not;
#   off          BAZAAR_TRACING=off for the three JVMs (restarted): no tracer at all.
# Starts its own isolated cluster (own BAZAAR_HOME, ports, cluster name; rate limits off) with
# scripts/bazaar and stops everything it started, also on failure. Needs wrk and jq.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd -P)"
DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-40}"   # s of load before each measurement: 11 JVMs JIT-compiling on 2 cores need it
CONNECTIONS="${CONNECTIONS:-32}"
command -v wrk >/dev/null || { echo "needs wrk: apt-get install wrk" >&2; exit 2; }
command -v jq >/dev/null || { echo "needs jq: apt-get install jq" >&2; exit 2; }

export BAZAAR_HOME; BAZAAR_HOME="$(mktemp -d /tmp/bazaar-bench.XXXXXX)"
export BAZAAR_GATEWAY_PORT=18080 BAZAAR_GATEWAY_MANAGEMENT_PORT=19081 BAZAAR_PG_PORT=25432 BAZAAR_KAFKA_PORT=29092 BAZAAR_KAFKA_CONTROLLER_PORT=29093
export BAZAAR_ZIPKIN_PORT=29411 BAZAAR_CLUSTER_PORT=25701 BAZAAR_CLUSTER_NAME="bench-tracing-$$" BAZAAR_PROVIDER_PORT=19300
export BAZAAR_RATE_LIMIT_ENABLED=false BAZAAR_ADMIN_PASSWORD="bench-admin-password"
cleanup() { "$ROOT/scripts/bazaar" down --purge >/dev/null 2>&1 || true; }
trap cleanup EXIT

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(java -version 2>&1 | head -1)"
"$ROOT/scripts/bazaar" up >/dev/null
api="http://127.0.0.1:$BAZAAR_GATEWAY_PORT"
json() { curl -sf -H 'Content-Type: application/json' "$@"; }
admin=$(json -X POST "$api/api/v1/auth/login" -d "{\"email\":\"admin@bazaar.local\",\"password\":\"$BAZAAR_ADMIN_PASSWORD\"}" | jq -r .token)
product=$(json -X POST "$api/api/v1/products" -H "Authorization: Bearer $admin" \
  -d '{"sku":"BENCH-TRACE","name":"Bench item","description":"load","priceCents":100,"currency":"EUR"}' | jq -r .id)
json -X PUT "$api/api/v1/inventory/$product" -H "Authorization: Bearer $admin" -d '{"available":1000}' >/dev/null
url="$api/api/v1/products/$product"

run() { # name
  wrk -t1 -c"$CONNECTIONS" -d"${WARMUP}s" "$url" >/dev/null   # warm-up (JIT)
  local out rps p50 p99
  out=$(wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$url")
  if echo "$out" | grep -q "Non-2xx"; then echo "$1: non-2xx responses:" >&2; echo "$out" >&2; exit 1; fi
  rps=$(echo "$out" | awk '/Requests\/sec/{print $2}')
  p50=$(echo "$out" | awk '$1=="50%"{print $2}')
  p99=$(echo "$out" | awk '$1=="99%"{print $2}')
  printf '%-12s %10s req/s   p50 %-9s p99 %s\n' "$1" "$rps" "$p50" "$p99"
  eval "rps_$1=$rps"
}

echo "wrk -t1 -c$CONNECTIONS -d${DURATION}s GET /api/v1/products/{id} through the gateway"
run on
trace=$(curl -sf "http://127.0.0.1:$BAZAAR_ZIPKIN_PORT/api/v2/traces?serviceName=inventory-service&limit=1&lookback=60000" \
  | jq -r '.[0] | "\(length) spans from \([.[].localEndpoint.serviceName] | unique | join(", "))"')
echo "             (a request's trace in Zipkin: $trace)"
restart() { # env assignments for the three JVMs of the request path
  for s in gateway product-service inventory-service; do "$ROOT/scripts/bazaar" scale "$s" 0 >/dev/null; done
  for s in inventory-service product-service gateway; do env "$@" "$ROOT/scripts/bazaar" scale "$s" 1 >/dev/null; done
  for _ in $(seq 1 120); do   # at most 60 s
    if curl -sf -o /dev/null "$api/health/ready" && curl -sf -o /dev/null "$url"; then return; fi
    sleep 0.5
  done
}
restart BAZAAR_TRACING_SAMPLE_RATIO=0.1
run sampled10
"$ROOT/scripts/bazaar" kill zipkin >/dev/null
run unreachable
restart BAZAAR_TRACING=off
run off
printf 'on / off: %.2f   sampled10 / off: %.2f   unreachable / off: %.2f\n' "$(echo "$rps_on / $rps_off" | bc -l)" \
  "$(echo "$rps_sampled10 / $rps_off" | bc -l)" "$(echo "$rps_unreachable / $rps_off" | bc -l)"
