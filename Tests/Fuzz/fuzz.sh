#!/usr/bin/env bash
# Builds one fuzz target with the toolchain's libFuzzer support and runs it.
#
#   Tests/Fuzz/fuzz.sh TARGET [SECONDS] [extra libFuzzer flags...]
#
# TARGET is one of: parse (parse and analyse bytes), format (format and check idempotence and the
# model), lsp (the language server's reader and dispatcher), zip (ZIP archives, workbooks and raw
# DEFLATE streams), xml (the XML reader and its writer's round trip). The seed corpus comes from
# Samples/ and the examples of Spec/ (zip and xml: the spreadsheet fixtures and Tests/Fuzz/Seeds); the corpus grows in Tests/Fuzz/work/TARGET/corpus (ignored
# by git) and crashes are written to Tests/Fuzz/work/TARGET/ (crash-*, timeout-*). Exits non-zero
# when the fuzzer finds a crash, a timeout or a leak.
set -euo pipefail
cd "$(dirname "$0")/../.."
target="${1:?usage: Tests/Fuzz/fuzz.sh parse|format|lsp|zip|xml [SECONDS] [flags...]}"
seconds="${2:-60}"
shift $(( $# >= 2 ? 2 : 1 ))
root="$(pwd)"
work="$root/Tests/Fuzz/work/$target"
build="$root/Tests/Fuzz/work/build"
mkdir -p "$work/corpus" "$build"

modules=(YosanSyntax YosanCore YosanJSON YosanLSP YosanSheets YosanTestSupport)
case "$target" in
  parse) entry=Tests/Fuzz/Targets/ParseAnalyze.swift ;;
  format) entry=Tests/Fuzz/Targets/Format.swift ;;
  lsp) entry=Tests/Fuzz/Targets/LSP.swift ;;
  zip) entry=Tests/Fuzz/Targets/Zip.swift ;;
  xml) entry=Tests/Fuzz/Targets/XML.swift ;;
  *) echo "fuzz.sh: unknown target '$target' (use parse, format, lsp, zip or xml)" >&2; exit 2 ;;
esac

flags=(-O -swift-version 6 -package-name Yosan -sanitize=fuzzer,address -parse-as-library -I "$build" -g)
objects=()
newest=""
for module in "${modules[@]}"; do
  # Rebuild a module when one of its sources is newer than its objects, or when a module before
  # it in the list (which it may depend on) was built after it: its object holds the layout of
  # their types, and a stale one corrupts memory rather than failing to link.
  stamp="$build/$module.stamp"
  if [ ! -f "$stamp" ] || { [ -n "$newest" ] && [ "$newest" -nt "$stamp" ]; } \
    || [ -n "$(find "Sources/$module" -name '*.swift' -newer "$stamp" | head -1)" ]; then
    echo "fuzz.sh: compiling $module" >&2
    rm -f "$build/$module".*.o
    ( cd "$build" && swiftc "${flags[@]}" -module-name "$module" -emit-module -emit-module-path "$build/$module.swiftmodule" \
        -c $(find "$root/Sources/$module" -name '*.swift' | sort) -wmo -o "$build/$module.o" )
    touch "$stamp"
  fi
  if [ -z "$newest" ] || [ "$stamp" -nt "$newest" ]; then newest="$stamp"; fi
  objects+=("$build/$module.o")
done
binary="$build/fuzz-$target"
swiftc "${flags[@]}" -module-name "Fuzz$target" "$entry" "${objects[@]}" -o "$binary" 2>&1 | { grep -v "ld.gold: warning" || true; }

# Seed corpus: every sample, every example block of the spec, every past failure (zip: the ZIP
# and XLSX fixtures and DEFLATE streams; xml: the parts of a workbook).
for f in Tests/Fuzz/Regressions/"$target"/*; do [ -f "$f" ] && cp "$f" "$work/corpus/regression-$(basename "$f")"; done
case "$target" in
  zip) for f in Tests/YosanSheetsTests/Fixtures/zip/*.zip Tests/YosanSheetsTests/Fixtures/xlsx/*.xlsx Tests/Fuzz/Seeds/zip/*; do cp "$f" "$work/corpus/seed-$(basename "$f")"; done ;;
  xml) for f in Tests/Fuzz/Seeds/xml/*; do cp "$f" "$work/corpus/seed-$(basename "$f")"; done ;;
  *)
    for f in $(find Samples -name '*.yosan'); do cp "$f" "$work/corpus/seed-$(basename "$f")"; done
    awk '/^```yosan/{n++; f=sprintf("'"$work"'/corpus/seed-spec-%03d", n); next} /^```/{f=""; next} f{print > f}' Spec/language.md Spec/rules.md
    ;;
esac
if [ "$target" = lsp ]; then
  for f in Tests/Fuzz/Seeds/lsp/*; do [ -f "$f" ] && cp "$f" "$work/corpus/"; done
fi

echo "fuzz.sh: running $target for ${seconds}s" >&2
# The fuzz target reports its own failures; Swift's backtracer would only add noise under ASan.
SWIFT_BACKTRACE=enable=no "$binary" "$work/corpus" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -max_len=65536 \
  -artifact_prefix="$work/" -print_final_stats=1 "$@"
