#!/usr/bin/env bash
# How fast a large report opens in a browser (a benchmark, not a test): generates a budget of
# N items (yosan-bench generate), writes its report, and opens it RUNS times in headless Chromium.
# Prints the median of `data-ready-ms` (from the start of navigation to the end of the report's
# script, which runs once the whole document is parsed: the report is open and sortable) and of
# the wall time of each Chromium run, against an empty page's, so that Chromium's own start is
# seen apart.
#
#   Tests/Browser/report-benchmark.sh [ITEMS] [RUNS]     (default 10000 items, 7 runs)
set -euo pipefail
cd "$(dirname "$0")/../.."
items="${1:-10000}"
runs="${2:-7}"
yosan="${YOSAN:-.build/release/yosan}"
bench="${YOSAN_BENCH:-.build/release/yosan-bench}"
[ -x "$yosan" ] && [ -x "$bench" ] || swift build -c release
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$bench" generate --items "$items" --out "$work/budgets" > /dev/null
start=$(date +%s%N)
"$yosan" report "$work/budgets" -o "$work/report.html" 2> /dev/null
echo "report of $items items: $(( ($(date +%s%N) - start) / 1000000 )) ms to write, $(( $(stat -c %s "$work/report.html") / 1024 )) KB"
echo '<!DOCTYPE html><html><body><script>document.documentElement.dataset.readyMs=String(Math.round(performance.now()))</script></body></html>' > "$work/empty.html"
flags=(--headless --no-sandbox --disable-gpu --no-first-run --disable-dev-shm-usage --window-size=1280,900)
measure() {
  local page="$1" ready=() wall=()
  for _ in $(seq "$runs"); do
    local t0=$(date +%s%N)
    local ms=$(chromium "${flags[@]}" --dump-dom "file://$page" 2> /dev/null | grep -o 'data-ready-ms="[0-9]*"' | grep -o '[0-9]*')
    wall+=($(( ($(date +%s%N) - t0) / 1000000 )))
    ready+=("$ms")
  done
  local r=$(printf '%s\n' "${ready[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  local w=$(printf '%s\n' "${wall[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "$(basename "$page"): ready ${r} ms (median of $runs: ${ready[*]}), chromium wall ${w} ms"
}
measure "$work/empty.html"
measure "$work/report.html"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
