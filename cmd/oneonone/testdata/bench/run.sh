#!/bin/sh
# The daemon's performance figures, measured on the built binary as a
# process (cmd/oneonone/bench_daemon_test.go):
#   - time from exec to READY=1 with an existing state directory
#   - resident memory, idle, with 1,000 tracked 1:1 series (Radicale)
#   - CPU time of one idle sync cycle over 1,000 CalDAV calendars
#     (an in-process CalDAV stand-in; a cycle comes every 30 s)
#
# Usage: cmd/oneonone/testdata/bench/run.sh [IDLE_CYCLES]   (default 2)
# Needs Go; the memory figure needs Radicale (apt-get install radicale)
# and is skipped without it. Takes about 1.5 minutes with 2 cycles.
set -eu
cd "$(dirname "$0")/../.."
cycles=${1:-2}
out=$(mktemp)
trap 'rm -f "$out"' EXIT

bench() { # name benchtime
	if ! go test -run '^$' -bench "^$1\$" -benchtime "$2" -count 1 -timeout 30m . >"$out" 2>&1; then
		cat "$out"
		exit 1
	fi
	grep -E '^(Benchmark|--- SKIP|    )' "$out" || true
}

# metric LINE UNIT: the value before UNIT in a benchmark line.
metric() {
	echo "$1" | awk -v unit="$2" '{ for (i = 2; i <= NF; i++) if ($i == unit) { print $(i-1); exit } }'
}

ready=$(bench BenchmarkStartToReady 20x)
rss=$(bench BenchmarkIdleRSS1000Series 1x)
cpu=$(bench BenchmarkIdleSyncCycle1000Calendars "${cycles}x")
printf '%s\n%s\n%s\n\n' "$ready" "$rss" "$cpu"

r=$(echo "$ready" | grep '^Benchmark' || true)
m=$(echo "$rss" | grep '^Benchmark' || true)
c=$(echo "$cpu" | grep '^Benchmark' || true)
echo "Figures"
if [ -n "$r" ]; then
	printf '  start to READY=1:                  %s ms (max %s ms over 20 starts)\n' \
		"$(metric "$r" ns/op | awk '{ printf "%.1f", $1 / 1e6 }')" "$(metric "$r" max-ms)"
fi
if [ -n "$m" ]; then
	printf '  RSS idle, 1,000 tracked series:    %s MB (peak %s MB; first sync %s s)\n' \
		"$(metric "$m" RSS-MB)" "$(metric "$m" peak-RSS-MB)" "$(metric "$m" first-sync-s)"
else
	echo "  RSS idle, 1,000 tracked series:    skipped (no Radicale)"
fi
if [ -n "$c" ]; then
	printf '  CPU per idle cycle, 1,000 cals:    %s ms (cycle %s s wall; RSS %s MB)\n' \
		"$(metric "$c" CPU-ms/cycle)" "$(metric "$c" cycle-s)" "$(metric "$c" RSS-MB)"
fi
