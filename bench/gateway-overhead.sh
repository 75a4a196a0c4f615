#!/usr/bin/env bash
# Benchmark: what the gateway costs, measured against baselines in the same run, plus the
# catalog read (GET /api/v1/products/{id}: product-service + an event-bus call to inventory) and
# the user-orders aggregation (three services, one batched event-bus call).
#
# Starts its own isolated cluster (own BAZAAR_HOME, ports and cluster name) with scripts/bazaar and
# the defaults a user gets from `scripts/bazaar up` (rate limits and access log on), except tracing
# sampled at 10 % (BAZAAR_TRACING_SAMPLE_RATIO=0.1). The per-user rate limit stays on but is raised
# (BENCH_USER_RPS, default 1,000,000 req/s and the same burst): the default (100 req/s, burst 200)
# is meant for one person's client, and wrk sends everything with one token, so the default would
# answer almost every request with 429. The bucket does the same work per request whatever its size.
# Then it reports:
#   - the time `scripts/bazaar up` takes from built jars, and the RSS of every JVM;
#   - wrk -t1 -c64 -d${DURATION}s of GET /api/v1/users/me (authenticated), ROUNDS times, four ways:
#       direct   straight to a user-service instance (the floor),
#       nginx    through an nginx reverse proxy to the same instance (keep-alive upstream, access log on),
#       gateway  through the Bazaar gateway with the full policy: JWT check, per-user rate limit,
#                discovery, breakers, retry policy, tracing at 10 %, access log;
#       plain    the same route to the same instance through a second gateway JVM (same jar, same
#                cluster) with the policy pieces that can be switched off switched off: access log
#                off, rate limits off, tracing off (BAZAAR_TRACING=off). The JWT check and the
#                breakers stay (no configuration turns them off: the gateway never forwards an
#                unverified token on a protected route); for a token it has seen, the check is a
#                cache lookup. docs/BENCHMARKS.md gives their share from the profile.
#   and per round the ratios gateway/nginx, gateway/direct and gateway/plain (the policy's cost),
#   and for each JVM under load its CPU per request (utime + stime from /proc over the wrk run;
#   for direct, the user-service's own).
# PROFILE=DIR also records a JFR of the full-policy gateway during its first measured run into DIR.
# BASELINE_JAR=FILE also runs the full policy through that build of the gateway (a third gateway
# JVM, same settings), as "baseline": before/after of a change in one run.
# Needs wrk (apt-get install wrk) and optionally nginx (apt-get install nginx-light).
# Everything it starts, it stops (down --purge, nginx and the extra gateways by pid), also on failure.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd -P)"
DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-30}"   # s of load per target before measuring: 11 JVMs JIT-compiling on 2 cores need it
CONNECTIONS="${CONNECTIONS:-64}"
ROUNDS="${ROUNDS:-2}"
PROFILE="${PROFILE:-}"
EXTRAS="${EXTRAS:-1}"    # 0: skip the catalog read and the aggregation
command -v wrk >/dev/null || { echo "needs wrk: apt-get install wrk" >&2; exit 2; }
command -v jq >/dev/null || { echo "needs jq: apt-get install jq" >&2; exit 2; }

export BAZAAR_HOME; BAZAAR_HOME="$(mktemp -d /tmp/bazaar-bench.XXXXXX)"
export BAZAAR_GATEWAY_PORT=18080 BAZAAR_GATEWAY_MANAGEMENT_PORT=19081 BAZAAR_PG_PORT=25432 BAZAAR_KAFKA_PORT=29092 BAZAAR_KAFKA_CONTROLLER_PORT=29093
export BAZAAR_ZIPKIN_PORT=29411 BAZAAR_CLUSTER_PORT=25701 BAZAAR_CLUSTER_NAME="bench-$$"
export BAZAAR_ADMIN_PASSWORD="bench-admin-password" BAZAAR_TRACING_SAMPLE_RATIO=0.1
export BAZAAR_RATE_LIMIT_USER_RPS="${BENCH_USER_RPS:-1000000}" BAZAAR_RATE_LIMIT_USER_BURST="${BENCH_USER_RPS:-1000000}"
NGINX_PORT=18081
PLAIN_PORT=18082
NGINX_DIR="$BAZAAR_HOME/nginx"
BASELINE_PORT=18083

cleanup() {
  if [ -f "$NGINX_DIR/nginx.pid" ]; then kill "$(cat "$NGINX_DIR/nginx.pid")" 2>/dev/null || true; fi
  for extra in plain baseline; do
    if [ -f "$BAZAAR_HOME/$extra.pid" ]; then kill "$(cat "$BAZAAR_HOME/$extra.pid")" 2>/dev/null || true; fi
  done
  "$ROOT/scripts/bazaar" down --purge >/dev/null 2>&1 || true
}
trap cleanup EXIT

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(java -version 2>&1 | head -1), $(date -u +%FT%TZ)"
"$ROOT/scripts/bazaar" up --infra-only >/dev/null   # builds jars if missing; infra is not what we time
start=$(date +%s.%N)
"$ROOT/scripts/bazaar" up >/dev/null
up_s=$(echo "$(date +%s.%N) - $start" | bc)
printf 'up (services + gateway, infra already running, jars built): %.1f s\n' "$up_s"
"$ROOT/scripts/bazaar" status | awk 'NR==1 || /MB/' | sed -n '1,20p'

# another gateway JVM in the same cluster: extra_gateway NAME PORT JAR [VAR=VALUE...]; its pid in $BAZAAR_HOME/NAME.pid
extra_gateway() {
  local name=$1 port=$2 jar=$3; shift 3
  (cd "$ROOT" && exec env BAZAAR_GATEWAY_PORT="$port" BAZAAR_GATEWAY_MANAGEMENT_PORT=$((port + 1000)) \
    BAZAAR_GATEWAY_REQUIRED_SERVICES=user-service "$@" setsid java -Dbazaar.instance="$name" \
    ${BAZAAR_JAVA_OPTS:--XX:+UseSerialGC -Xss512k -XX:MaxMetaspaceSize=128m -Xmx256m} \
    -jar "$jar" -cluster </dev/null >"$BAZAAR_HOME/$name.log" 2>&1) &
  echo $! > "$BAZAAR_HOME/$name.pid"
}
# the plain gateway: same jar and JVM options, its own ports, policy pieces off (see the header)
extra_gateway plain "$PLAIN_PORT" verticles/gateway/target/gateway-fat.jar BAZAAR_ACCESS_LOG=false BAZAAR_RATE_LIMIT_ENABLED=false BAZAAR_TRACING=off
# BASELINE_JAR: also the full policy through another build of the gateway (e.g. main's), for before/after in one run
if [ -n "${BASELINE_JAR:-}" ]; then extra_gateway baseline "$BASELINE_PORT" "$BASELINE_JAR"; fi

api="http://127.0.0.1:$BAZAAR_GATEWAY_PORT"
plain="http://127.0.0.1:$PLAIN_PORT"
json() { curl -sf -H 'Content-Type: application/json' "$@"; }
json -X POST "$api/api/v1/auth/register" -d '{"email":"bench@example.com","password":"bench-password","name":"Bench"}' >/dev/null
token=$(json -X POST "$api/api/v1/auth/login" -d '{"email":"bench@example.com","password":"bench-password"}' | jq -r .token)
admin=$(json -X POST "$api/api/v1/auth/login" -d "{\"email\":\"admin@bazaar.local\",\"password\":\"$BAZAAR_ADMIN_PASSWORD\"}" | jq -r .token)
instance=$(curl -sf "$api/api/v1/admin/services" -H "Authorization: Bearer $admin" \
  | jq -r '.services[] | select(.name=="user-service") | .instances[0] | "\(.host):\(.port)"')
baseline="http://127.0.0.1:$BASELINE_PORT"
extras=("$plain"); if [ -n "${BASELINE_JAR:-}" ]; then extras+=("$baseline"); fi
for url in "${extras[@]}"; do
  for ((i = 0; i < 240; i++)); do curl -sf -o /dev/null "$url/health/ready" && break; sleep 0.5; done
  curl -sf -o /dev/null "$url/health/ready" || { echo "$url not ready:" >&2; tail -20 "$BAZAAR_HOME"/*.log >&2; exit 1; }
done

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }   # utime + stime of a process, in clock ticks
run() { # name url [path] [pid: also print that JVM's CPU per request, from /proc]
  local out path=${3:-/api/v1/users/me} pid=${4:-} before=0
  if [ -n "$pid" ]; then before=$(cpu_ticks "$pid"); fi
  out=$(wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "Authorization: Bearer $token" "$2$path")
  if echo "$out" | grep -q "Non-2xx"; then
    echo "$1: non-2xx responses, aborting:" >&2; echo "$out" >&2
    curl -s -o /dev/null -w "one more request: %{http_code}\n" -H "Authorization: Bearer $token" "$2$path" >&2
    for log in "$BAZAAR_HOME"/logs/gateway-1.log "$BAZAAR_HOME"/*.log; do grep -v "\"logger_name\":\"access\"" "$log" | tail -5; grep "\"logger_name\":\"access\"" "$log" | tail -1; done >&2
    exit 1
  fi
  local rps p50 p99
  rps=$(echo "$out" | awk '/Requests\/sec/{print $2}')
  p50=$(echo "$out" | awk '$1=="50%"{print $2}')
  p99=$(echo "$out" | awk '$1=="99%"{print $2}')
  local cpu=""
  if [ -n "$pid" ]; then
    cpu=$(echo "$out" | awk -v t="$(( $(cpu_ticks "$pid") - before ))" -v hz="$(getconf CLK_TCK)" \
      '/requests in/{printf "   cpu %.0f us/req", t / hz * 1e6 / $1}')
  fi
  printf '%-16s %12s req/s   p50 %-9s p99 %-9s%s\n' "$1" "$rps" "$p50" "$p99" "$cpu"
  eval "rps_${1//-/_}=$rps"
}
profile() { # name pid: a JFR of that JVM during the next run, in round 1, when PROFILE is set
  if [ -n "$PROFILE" ] && ((round == 1)); then
    mkdir -p "$PROFILE"
    jcmd "$2" JFR.start name=bench settings=profile duration="${DURATION}s" filename="$PROFILE/$1.jfr" >/dev/null
  fi
}
ratio() { printf '%-18s %.2f\n' "$1:" "$(echo "$2 / $3" | bc -l)"; }

if command -v nginx >/dev/null; then
  mkdir -p "$NGINX_DIR"
  cat > "$NGINX_DIR/nginx.conf" <<CONF
worker_processes 2;
pid $NGINX_DIR/nginx.pid;
error_log $NGINX_DIR/error.log;
events { worker_connections 1024; }
http {
  access_log $NGINX_DIR/access.log combined buffer=64k;
  upstream users { server $instance; keepalive 64; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / { proxy_pass http://users; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
CONF
  nginx -p "$NGINX_DIR" -c "$NGINX_DIR/nginx.conf"
  wrk -t1 -c8 -d5s -H "Authorization: Bearer $token" "http://127.0.0.1:$NGINX_PORT/api/v1/users/me" >/dev/null
fi
for target in "http://$instance" "$api" "${extras[@]}"; do   # warm-up (JIT) of the instance and of the gateways
  wrk -t1 -c"$CONNECTIONS" -d"${WARMUP}s" -H "Authorization: Bearer $token" "$target/api/v1/users/me" >/dev/null
done
echo "wrk -t1 -c$CONNECTIONS -d${DURATION}s GET /api/v1/users/me, $ROUNDS rounds"
for ((round = 1; round <= ROUNDS; round++)); do
  echo "round $round"
  run direct "http://$instance" "" "$(cat "$BAZAAR_HOME/run/user-service-1.pid")"
  if command -v nginx >/dev/null; then run nginx "http://127.0.0.1:$NGINX_PORT"; fi
  profile gateway "$(cat "$BAZAAR_HOME/run/gateway-1.pid")"
  run gateway "$api" "" "$(cat "$BAZAAR_HOME/run/gateway-1.pid")"
  run plain "$plain" "" "$(cat "$BAZAAR_HOME/plain.pid")"
  if [ -n "${BASELINE_JAR:-}" ]; then
    profile baseline "$(cat "$BAZAAR_HOME/baseline.pid")"
    run baseline "$baseline" "" "$(cat "$BAZAAR_HOME/baseline.pid")"
  fi
  ratio "gateway / direct" "$rps_gateway" "$rps_direct"
  if [ -n "${rps_nginx:-}" ]; then ratio "gateway / nginx" "$rps_gateway" "$rps_nginx"; ratio "plain / nginx" "$rps_plain" "$rps_nginx"; fi
  ratio "gateway / plain" "$rps_gateway" "$rps_plain"
  if [ -n "${BASELINE_JAR:-}" ]; then ratio "gateway / baseline" "$rps_gateway" "$rps_baseline"; fi
done
[ "$EXTRAS" = 1 ] || exit 0

# catalog read and aggregation (only when those services run in this cluster)
product_instance=$(curl -sf "$api/api/v1/admin/services" -H "Authorization: Bearer $admin" \
  | jq -r '.services[] | select(.name=="product-service") | .instances[0] | "\(.host):\(.port)"' || true)
if [ -n "$product_instance" ] && [ "$product_instance" != "null:null" ]; then
  product=$(json -X POST "$api/api/v1/products" -H "Authorization: Bearer $admin" \
    -d '{"sku":"BENCH-1","name":"Bench item","description":"load","priceCents":100,"currency":"EUR"}' | jq -r .id)
  json -X PUT "$api/api/v1/inventory/$product" -H "Authorization: Bearer $admin" -d '{"available":1000}' >/dev/null
  json -X POST "$api/api/v1/orders" -H "Authorization: Bearer $token" \
    -d "{\"items\":[{\"productId\":\"$product\",\"quantity\":1}],\"payment\":{\"token\":\"tok_ok\"}}" >/dev/null
  me=$(curl -sf "$api/api/v1/users/me" -H "Authorization: Bearer $token" | jq -r .id)
  wrk -t1 -c"$CONNECTIONS" -d"${WARMUP}s" "$api/api/v1/products/$product" >/dev/null   # warm-up
  wrk -t1 -c"$CONNECTIONS" -d"${WARMUP}s" -H "Authorization: Bearer $token" "$api/api/v1/users/$me/orders" >/dev/null
  echo "GET /api/v1/products/{id} (product-service + inventory over the event bus)"
  run product-direct "http://$product_instance" "/api/v1/products/$product"
  run product-gateway "$api" "/api/v1/products/$product"
  echo "GET /api/v1/users/{id}/orders (aggregation: user-service, order-service, product-service)"
  run aggregation "$api" "/api/v1/users/$me/orders"
fi
