#!/usr/bin/env bash
# bench/cpu-split.sh SECONDS: user and system CPU (ms per second) of every Bazaar JVM and PostgreSQL
# process over SECONDS, from /proc (utime, stime). JVMs are named by -Dbazaar.instance, PostgreSQL's
# processes by their title (a backend as "postgres: <database>"). Run it beside a load, e.g. during
# a rate of bench/orders.sh; it reads /proc only and starts nothing.
set -euo pipefail
SECONDS_TO_WATCH="${1:-30}"
snap() {
  local d c s
  for d in /proc/[0-9]*; do
    c=$(tr "\\0" " " 2>/dev/null < "$d/cmdline") || continue
    case "$c" in *-Dbazaar.instance=*|postgres*|*/bin/postgres*) ;; *) continue ;; esac
    s=$(awk '{print $14, $15}' "$d/stat" 2>/dev/null) || continue
    echo "${d#/proc/}|$s|$c"
  done
}
before=$(mktemp); after=$(mktemp); trap 'rm -f "$before" "$after"' EXIT
snap > "$before"; sleep "$SECONDS_TO_WATCH"; snap > "$after"
python3 - "$SECONDS_TO_WATCH" "$(getconf CLK_TCK)" "$before" "$after" <<'PY'
import collections, re, sys
secs, hz = float(sys.argv[1]), float(sys.argv[2])
def load(path):
    rows = {}
    for line in open(path):
        pid, ticks, cmd = line.rstrip("\n").split("|", 2)
        user, system = map(int, ticks.split())
        rows[pid] = (user, system, cmd)
    return rows
a, b = load(sys.argv[3]), load(sys.argv[4])
total = collections.defaultdict(lambda: [0, 0, 0])
for pid, (user, system, cmd) in b.items():
    user0, system0, _ = a.get(pid, (0, 0, cmd))
    if cmd.startswith("postgres:"):
        words = cmd.split()
        name = " ".join(words[:2]) if len(words) > 2 and "(" in cmd else cmd.strip()
    elif "-Dbazaar.instance=" not in cmd:
        name = "postmaster"
    else:
        name = re.search(r"-Dbazaar\.instance=(\S+)", cmd).group(1)
    t = total[name]; t[0] += user - user0; t[1] += system - system0; t[2] += 1
ms = lambda ticks: ticks * 1000 / hz / secs
for name, (user, system, n) in sorted(total.items(), key=lambda kv: -(kv[1][0] + kv[1][1])):
    if user + system:
        print(f"{ms(user + system):7.1f} ms/s  user {ms(user):6.1f}  sys {ms(system):6.1f}  ({n} process{'es' if n > 1 else ''}) {name}")
PY
