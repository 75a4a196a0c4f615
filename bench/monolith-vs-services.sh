#!/usr/bin/env bash
# bench/monolith-vs-services.sh: start time and memory of `scripts/bazaar up` (one JVM per service)
# against `scripts/bazaar up --monolith` (one application JVM), in the same run, on an isolated
# home and isolated ports. Each mode is started twice: the first start writes the class-data
# archives of its jars, the second is the one measured. Stops everything it started.
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd -P)"
cd "$ROOT"

home=$(mktemp -d /tmp/bazaar-bench-mono.XXXXXX)
export BAZAAR_HOME=$home BAZAAR_CLUSTER_NAME="bench-mono-$$" BAZAAR_CLUSTER_PORT=${BENCH_CLUSTER_PORT:-25701}
export BAZAAR_GATEWAY_PORT=${BENCH_GATEWAY_PORT:-18080} BAZAAR_GATEWAY_MANAGEMENT_PORT=${BENCH_MANAGEMENT_PORT:-19081}
export BAZAAR_PG_PORT=${BENCH_PG_PORT:-25432} BAZAAR_KAFKA_PORT=${BENCH_KAFKA_PORT:-29092}
export BAZAAR_KAFKA_CONTROLLER_PORT=${BENCH_KAFKA_CONTROLLER_PORT:-29093} BAZAAR_ZIPKIN_PORT=${BENCH_ZIPKIN_PORT:-19411}
export BAZAAR_PROVIDER_PORT=${BENCH_PROVIDER_PORT:-19300}
cleanup() { scripts/bazaar down --purge >/dev/null 2>&1 || true; rm -rf "$home"; }
trap cleanup EXIT

# rss_mb NAME... : summed RSS (MB) of the live JVMs whose pid files start with these names
rss_mb() {
  local total=0 f name pid kb
  for name in "$@"; do
    for f in "$home/run/$name"-*.pid; do
      [[ -e $f ]] || continue
      pid=$(tr -dc '0-9' <"$f")
      kb=$(ps -o rss= -p "$pid" 2>/dev/null | tr -d ' ' || true)
      total=$((total + ${kb:-0}))
    done
  done
  echo $((total / 1024))
}

SERVICES=(user-service product-service inventory-service order-service payment-service notification-service gateway)
run() { # run MODE ROUND
  local flag=() jvms
  [[ $1 == monolith ]] && flag=(--monolith)
  local t0 t1 out
  t0=$(date +%s%N)
  out=$(scripts/bazaar up "${flag[@]}" 2>&1) || { printf '%s\n' "$out" >&2; return 1; }
  t1=$(date +%s%N)
  if [[ $1 == monolith ]]; then jvms=$(ls "$home/run"/monolith-*.pid | wc -l); app=$(rss_mb monolith)
  else jvms=$(for s in "${SERVICES[@]}"; do ls "$home/run/$s"-*.pid; done | wc -l); app=$(rss_mb "${SERVICES[@]}"); fi
  local ready; ready=$(printf '%s\n' "$out" | sed -n 's/.*ready  gateway \/health\/ready.*(\(.*\)s)/\1/p' | head -n1)
  printf '| %s | %s | %s | %s s | %s s | %s MB | %s MB | %s MB |\n' "$1" "$2" "$jvms" "$ready" \
    "$(awk -v n=$((t1 - t0)) 'BEGIN { printf "%.1f", n / 1e9 }')" "$app" "$(rss_mb payment-provider)" "$(rss_mb postgres kafka zipkin)"
  scripts/bazaar down >/dev/null
}

echo "| mode | round | application JVMs | gateway ready after | up returned after | RSS application | RSS provider | RSS infrastructure |"
echo "|---|---|---|---|---|---|---|---|"
for round in 1 2; do
  run services "$round"
  run monolith "$round"
done
