#!/usr/bin/env bash
# The browser test of `yosan report`: renders the report of Samples/budgets in headless Chromium
# (Debian's `chromium`, with `fonts-noto-cjk` for the Japanese text), checks the DOM after the
# report's script ran (--dump-dom: the title, the totals, the SVG charts, the table) and that a
# screenshot is not blank; and that the script draws every row of a generated 2,000-item report.
# Fails, never skips, when Chromium or the Japanese font is missing.
#
#   Tests/Browser/report-check.sh [OUTPUT-FOLDER]   (keeps report.html, dom.html, report.png, large.html and large-dom.html there)
set -euo pipefail
cd "$(dirname "$0")/../.."
yosan="${YOSAN:-.build/debug/yosan}"
chromium="$(command -v chromium || command -v chromium-browser || true)"
if [ -z "$chromium" ]; then
  echo "browser test: chromium is not installed (apt-get install chromium fonts-noto-cjk)" >&2
  exit 1
fi
if ! fc-list :lang=ja family | grep -qi "noto sans cjk"; then
  echo "browser test: no Noto CJK font, Japanese would render as empty boxes (apt-get install fonts-noto-cjk)" >&2
  exit 1
fi
[ -x "$yosan" ] || swift build --product yosan
out="${1:-$(mktemp -d)}"
mkdir -p "$out"
"$yosan" report Samples/budgets -o "$out/report.html"
# The same flags as a CI container needs: no sandbox (root), no GPU, no first-run dialogs.
flags=(--headless --no-sandbox --disable-gpu --no-first-run --hide-scrollbars --disable-dev-shm-usage)
"$chromium" "${flags[@]}" --virtual-time-budget=5000 --dump-dom "file://$out/report.html" > "$out/dom.html" 2> "$out/chromium.log"
"$chromium" "${flags[@]}" --window-size=1280,2400 --screenshot="$out/report.png" "file://$out/report.html" >> "$out/chromium.log" 2>&1
# A report beyond 500 items, whose table's rows the script draws once the report is shown.
bench="${YOSAN_BENCH:-.build/debug/yosan-bench}"
[ -x "$bench" ] || swift build --product yosan-bench
"$bench" generate --items 2000 --out "$out/large" > /dev/null
"$yosan" report "$out/large" -o "$out/large.html" 2> /dev/null
"$chromium" "${flags[@]}" --virtual-time-budget=10000 --dump-dom "file://$out/large.html" > "$out/large-dom.html" 2>> "$out/chromium.log"
python3 Tests/Browser/check_report.py "$out/dom.html" "$out/report.png" "$out/large-dom.html"
echo "browser test: ok ($out)"
