#!/usr/bin/env bash
# Benchmark: how long the whole cluster takes to come up from built jars (infrastructure
# included), what each JVM holds in memory, and what the idle cluster burns.
#
# Starts its own isolated cluster (own BAZAAR_HOME, ports and cluster name) twice in a row:
#   1. first `up`: no class-data archives yet, so it also writes them (what a new user's first
#      `scripts/bazaar up` does after the build);
#   2. `down`, then `up` again: archives mapped, what every later start costs.
# After the second start it lets the cluster settle for SETTLE seconds, then reports RSS per JVM
# (VmRSS from /proc), the sum over the application JVMs, and the CPU the whole cluster (every
# process with a pid file, children included) spends over IDLE seconds of doing nothing, in
# fractions of one core. Everything it starts, it stops (down --purge), also on failure.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd -P)"
SETTLE="${SETTLE:-30}"
IDLE="${IDLE:-30}"

export BAZAAR_HOME; BAZAAR_HOME="$(mktemp -d /tmp/bazaar-bench.XXXXXX)"
export BAZAAR_GATEWAY_PORT=18080 BAZAAR_GATEWAY_MANAGEMENT_PORT=19081 BAZAAR_PG_PORT=25432 BAZAAR_KAFKA_PORT=29092 BAZAAR_KAFKA_CONTROLLER_PORT=29093
export BAZAAR_ZIPKIN_PORT=29411 BAZAAR_CLUSTER_PORT=25701 BAZAAR_CLUSTER_NAME="bench-$$" BAZAAR_PROVIDER_PORT=29300
export BAZAAR_ADMIN_PASSWORD="bench-admin-password"
trap '"$ROOT/scripts/bazaar" down --purge >/dev/null 2>&1 || true' EXIT

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(java -version 2>&1 | head -1)"
"$ROOT/scripts/bazaar" up --infra-only >/dev/null   # builds the jars when missing; then stop all
"$ROOT/scripts/bazaar" down >/dev/null

timed_up() {
  local start end
  start=$(date +%s.%N)
  "$ROOT/scripts/bazaar" up "$@" >/dev/null
  end=$(date +%s.%N)
  awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", e - s }'
}

echo "up, first start (infrastructure + services, writes class-data archives): $(timed_up) s"
"$ROOT/scripts/bazaar" down >/dev/null
echo "up, later start (infrastructure + services, archives mapped):            $(timed_up) s"

sleep "$SETTLE"   # the measured quantity is the settled cluster; nothing to wait for but time
ticks() {   # total CPU ticks of every process with a pid file, with its children
  local total=0 f pid p
  # PostgreSQL's postmaster detaches from its launcher: it has a pid file of its own
  for f in "$BAZAAR_HOME"/run/*.pid "$BAZAAR_HOME"/pg/data/postmaster.pid; do
    pid=$(head -1 "$f" 2>/dev/null | tr -dc '0-9'); [[ -n $pid && -r /proc/$pid/stat ]] || continue
    for p in $pid $(pgrep -P "$pid" || true); do
      [[ -r /proc/$p/stat ]] || continue
      total=$((total + $(awk '{ sub(/^.*\) /, ""); print $12 + $13 + $14 + $15 }' "/proc/$p/stat")))
    done
  done
  echo "$total"
}
echo "RSS per JVM (MiB):"
app=0
for f in "$BAZAAR_HOME"/run/*.pid; do
  pid=$(tr -dc '0-9' <"$f"); name=$(basename "$f" .pid)
  rss=$(awk '/VmRSS/ { print int($2 / 1024) }' "/proc/$pid/status" 2>/dev/null || echo 0)
  printf '  %-24s %5s\n' "$name" "$rss"
  case $name in postgres*|kafka*|zipkin*|payment-provider*) ;; *) app=$((app + rss)) ;; esac
done
echo "application JVMs (services + gateway): $app MiB"
t0=$(ticks); s0=$(date +%s.%N)
sleep "$IDLE"
t1=$(ticks); s1=$(date +%s.%N)
awk -v a="$t0" -v b="$t1" -v s="$s0" -v e="$s1" 'BEGIN { printf "idle cluster: %.3f of one core over %.0f s\n", (b - a) / 100 / (e - s), e - s }'
