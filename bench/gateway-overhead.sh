#!/usr/bin/env bash
# Benchmark: what the gateway costs, measured against baselines in the same run, plus the
# catalog read (GET /api/v1/products/{id}: product-service + an event-bus call to inventory) and
# the user-orders aggregation (three services, one batched event-bus call).
#
# Starts its own isolated cluster (own BAZAAR_HOME, ports and cluster name; rate limits off so the
# load is not throttled) with scripts/bazaar, then reports:
#   - the time `scripts/bazaar up` takes from built jars, and the RSS of every JVM;
#   - wrk -t1 -c64 -d${DURATION}s of GET /api/v1/users/me (authenticated) three ways:
#       direct   straight to a user-service instance (the floor),
#       nginx    through an nginx reverse proxy to the same instance (keep-alive upstream, access log on),
#       gateway  through the Bazaar gateway (JWT check, rate-limit bookkeeping, discovery,
#                breaker, retry policy, access log);
#   and the gateway's throughput relative to nginx and to direct.
# Needs wrk (apt-get install wrk) and optionally nginx (apt-get install nginx-light).
# Everything it starts, it stops (down --purge, nginx by pid), also on failure.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd -P)"
DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-30}"   # s of load per target before measuring: 11 JVMs JIT-compiling on 2 cores need it
CONNECTIONS="${CONNECTIONS:-64}"
command -v wrk >/dev/null || { echo "needs wrk: apt-get install wrk" >&2; exit 2; }
command -v jq >/dev/null || { echo "needs jq: apt-get install jq" >&2; exit 2; }

export BAZAAR_HOME; BAZAAR_HOME="$(mktemp -d /tmp/bazaar-bench.XXXXXX)"
export BAZAAR_GATEWAY_PORT=18080 BAZAAR_GATEWAY_MANAGEMENT_PORT=19081 BAZAAR_PG_PORT=25432 BAZAAR_KAFKA_PORT=29092 BAZAAR_KAFKA_CONTROLLER_PORT=29093
export BAZAAR_ZIPKIN_PORT=29411 BAZAAR_CLUSTER_PORT=25701 BAZAAR_CLUSTER_NAME="bench-$$"
export BAZAAR_RATE_LIMIT_ENABLED=false BAZAAR_ADMIN_PASSWORD="bench-admin-password"
NGINX_PORT=18081
NGINX_DIR="$BAZAAR_HOME/nginx"

cleanup() {
  if [ -f "$NGINX_DIR/nginx.pid" ]; then kill "$(cat "$NGINX_DIR/nginx.pid")" 2>/dev/null || true; fi
  "$ROOT/scripts/bazaar" down --purge >/dev/null 2>&1 || true
}
trap cleanup EXIT

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(java -version 2>&1 | head -1)"
"$ROOT/scripts/bazaar" up --infra-only >/dev/null   # builds jars if missing; infra is not what we time
start=$(date +%s.%N)
"$ROOT/scripts/bazaar" up >/dev/null
up_s=$(echo "$(date +%s.%N) - $start" | bc)
printf 'up (services + gateway, infra already running, jars built): %.1f s\n' "$up_s"
"$ROOT/scripts/bazaar" status | awk 'NR==1 || /MB/' | sed -n '1,20p'

api="http://127.0.0.1:$BAZAAR_GATEWAY_PORT"
json() { curl -sf -H 'Content-Type: application/json' "$@"; }
json -X POST "$api/api/v1/auth/register" -d '{"email":"bench@example.com","password":"bench-password","name":"Bench"}' >/dev/null
token=$(json -X POST "$api/api/v1/auth/login" -d '{"email":"bench@example.com","password":"bench-password"}' | jq -r .token)
admin=$(json -X POST "$api/api/v1/auth/login" -d "{\"email\":\"admin@bazaar.local\",\"password\":\"$BAZAAR_ADMIN_PASSWORD\"}" | jq -r .token)
instance=$(curl -sf "$api/api/v1/admin/services" -H "Authorization: Bearer $admin" \
  | jq -r '.services[] | select(.name=="user-service") | .instances[0] | "\(.host):\(.port)"')

run() { # name url [path]
  local out path=${3:-/api/v1/users/me}
  out=$(wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "Authorization: Bearer $token" "$2$path")
  if echo "$out" | grep -q "Non-2xx"; then echo "$1: non-2xx responses, aborting:" >&2; echo "$out" >&2; exit 1; fi
  local rps p50 p99
  rps=$(echo "$out" | awk '/Requests\/sec/{print $2}')
  p50=$(echo "$out" | awk '$1=="50%"{print $2}')
  p99=$(echo "$out" | awk '$1=="99%"{print $2}')
  printf '%-16s %12s req/s   p50 %-9s p99 %s\n' "$1" "$rps" "$p50" "$p99"
  eval "rps_${1//-/_}=$rps"
}

for target in "http://$instance" "$api"; do   # warm-up (JIT) of the instance and of the gateway
  wrk -t1 -c"$CONNECTIONS" -d"${WARMUP}s" -H "Authorization: Bearer $token" "$target/api/v1/users/me" >/dev/null
done
echo "wrk -t1 -c$CONNECTIONS -d${DURATION}s GET /api/v1/users/me"
run direct "http://$instance"
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
  run nginx "http://127.0.0.1:$NGINX_PORT"
fi
run gateway "$api"
printf 'gateway / direct: %.2f\n' "$(echo "$rps_gateway / $rps_direct" | bc -l)"
if [ -n "${rps_nginx:-}" ]; then printf 'gateway / nginx:  %.2f\n' "$(echo "$rps_gateway / $rps_nginx" | bc -l)"; fi

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
