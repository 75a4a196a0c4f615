#!/usr/bin/env bash
# Benchmark: how long the whole cluster takes to come up from built jars (infrastructure
# included), what each JVM holds in memory, and what the idle cluster burns.
#
# Starts its own isolated cluster (own BAZAAR_HOME, ports and cluster name) twice in a row:
#   1. first `up`: no class-data archives yet, so it also writes them (what a new user's first
#      `scripts/bazaar up` does after the build);
#   2. `down`, then `up` again: archives mapped, what every later start costs.
# After the second start it reports the CPU each process spent from its start to `up`'s return,
# lets the cluster settle for SETTLE seconds, then reports RSS per JVM (VmRSS from /proc, and of
# it the file-backed part), the sums over the application JVMs, and the CPU the whole cluster
# (every process with a pid file, children included) spends over IDLE seconds of doing nothing,
# in fractions of one core. Options of `scripts/bazaar` (BAZAAR_JIT, BAZAAR_JAVA_OPTS, ...) apply. Everything it starts, it stops (down --purge), also on failure.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd -P)"
SETTLE="${SETTLE:-60}"
IDLE="${IDLE:-30}"

export BAZAAR_HOME; BAZAAR_HOME="$(mktemp -d /tmp/bazaar-bench.XXXXXX)"
export BAZAAR_GATEWAY_PORT=18080 BAZAAR_GATEWAY_MANAGEMENT_PORT=19081 BAZAAR_PG_PORT=25432 BAZAAR_KAFKA_PORT=29092 BAZAAR_KAFKA_CONTROLLER_PORT=29093
export BAZAAR_ZIPKIN_PORT=29411 BAZAAR_CLUSTER_PORT=25701 BAZAAR_CLUSTER_NAME="bench-$$" BAZAAR_PROVIDER_PORT=29300
export BAZAAR_ADMIN_PASSWORD="bench-admin-password"
trap '"$ROOT/scripts/bazaar" down --purge >/dev/null 2>&1 || true' EXIT

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(java -version 2>&1 | head -1)"
"$ROOT/scripts/bazaar" up --infra-only >/dev/null   # builds the jars when missing; then stop all
"$ROOT/scripts/bazaar" down >/dev/null

OUT="$BAZAAR_HOME/up.out"
timed_up() {   # prints the seconds `up` took; its own lines (ready per component) go to $OUT
  local start end
  start=$(date +%s.%N)
  "$ROOT/scripts/bazaar" up "$@" >"$OUT"
  end=$(date +%s.%N)
  awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", e - s }'
}
ready_lines() { grep -E '^  (ready|start|writing|archives)' "$OUT" | sed 's/^  /    /'; }

echo "load before: $(uptime | sed 's/.*load average/load average/')"
echo "up, first start (infrastructure + services, writes class-data archives): $(timed_up) s"
ready_lines
"$ROOT/scripts/bazaar" down >/dev/null
echo "up, later start (infrastructure + services, archives mapped):            $(timed_up) s"
ready_lines

ticks() {   # "name ticks" per process with a pid file (its children included): CPU ticks so far
  local f pid p name total
  # PostgreSQL's postmaster detaches from its launcher: it has a pid file of its own
  for f in "$BAZAAR_HOME"/run/*.pid "$BAZAAR_HOME"/pg/data/postmaster.pid; do
    pid=$(head -1 "$f" 2>/dev/null | tr -dc '0-9'); [[ -n $pid && -r /proc/$pid/stat ]] || continue
    name=$(basename "$f" .pid); [[ $name == postmaster ]] && name=postgres-server
    total=0
    for p in $pid $(pgrep -P "$pid" || true); do
      [[ -r /proc/$p/stat ]] || continue
      total=$((total + $(awk '{ sub(/^.*\) /, ""); print $12 + $13 + $14 + $15 }' "/proc/$p/stat")))
    done
    echo "$name $total"
  done
}
cpu_at_ready=$(ticks)   # everything a process did since it started: its share of the start
sleep "$SETTLE"   # the measured quantity is the settled cluster; nothing to wait for but time
echo "CPU spent starting (s, from process start to up's return), RSS after $SETTLE s (MiB; of it file-backed, mostly the class-data archive), threads:"
app=0 all=0 start_ticks=0
while read -r name t; do
  start_ticks=$((start_ticks + t))
  f="$BAZAAR_HOME/run/$name.pid"; pid=; [[ -f $f ]] && pid=$(tr -dc '0-9' <"$f")
  rss=0 file=0 threads=0
  if [[ -n $pid && -r /proc/$pid/status ]]; then
    read -r rss file threads < <(awk '/^VmRSS/ { r = int($2 / 1024) } /^RssFile/ { f = int($2 / 1024) } /^Threads/ { t = $2 } END { print r, f, t }' "/proc/$pid/status")
  fi
  printf '  %-24s %6.1f s %5s MiB (%3s file) %4s threads\n' "$name" "$(awk -v t="$t" 'BEGIN { print t / 100 }')" "$rss" "$file" "$threads"
  case $name in postgres*|kafka*|zipkin*) ;; payment-provider*) all=$((all + rss)) ;; *) app=$((app + rss)); all=$((all + rss)) ;; esac
done <<<"$cpu_at_ready"
awk -v t="$start_ticks" 'BEGIN { printf "  all processes: %.1f CPU-s for the start\n", t / 100 }'
echo "application JVMs: services + gateway $app MiB; with the payment-provider $all MiB"
t0=$(ticks); s0=$(date +%s.%N)
sleep "$IDLE"
t1=$(ticks); s1=$(date +%s.%N)
echo "idle CPU per process (fraction of one core over $IDLE s):"
join <(sort <<<"$t0") <(sort <<<"$t1") | awk -v s="$s0" -v e="$s1" '
  { d = ($3 - $2) / 100 / (e - s); sum += d; printf "  %-24s %.3f\n", $1, d }
  END { printf "idle cluster: %.3f of one core over %.0f s\n", sum, e - s }'
echo "load after: $(uptime | sed 's/.*load average/load average/')"
