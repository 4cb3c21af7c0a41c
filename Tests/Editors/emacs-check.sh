#!/usr/bin/env bash
# Runs the README's Emacs setup in a real Emacs (batch mode) against the built server: opens a
# file with a mistake, waits for the diagnostic, asks for a hover and formats the buffer.
# Needs emacs and eglot (Emacs 29+, or Emacs 28 with the eglot package: `apt install emacs-nox
# elpa-eglot`) and a built `yosan` (default: .build/release/yosan). Not part of `swift test`:
# CI machines have no editor.
#
#   Tests/Editors/emacs-check.sh [PATH-TO-YOSAN]
set -euo pipefail
cd "$(dirname "$0")/../.."
yosan="$(cd "$(dirname "${1:-.build/release/yosan}")" && pwd)/$(basename "${1:-.build/release/yosan}")"
[ -x "$yosan" ] || { echo "emacs-check: no yosan at $yosan; run swift build -c release first" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin" "$work/project"
ln -s "$yosan" "$work/bin/yosan"
# The README's snippet, as a user would paste it into init.el.
awk '/^### Emacs/{f=1} f&&/^```elisp/{g=1;next} g&&/^```/{exit} g{print}' README.md > "$work/init.el"
printf '予算 "令和7年度 概算要求" {\n  年度 = 令和7年度\n  区分 = 概算要求\n}\n事業 x "t" {\n  担当 = 医政局\n  要球額 = 1億円\n  前年度 = 0.8億円\n}\n' > "$work/project/a.yosan"
git -C "$work/project" init -q
cat > "$work/driver.el" <<ELISP
(package-initialize)
(load "$work/init.el")
(require 'eglot)
(find-file "$work/project/a.yosan")
;; eglot-ensure connects from the first command loop, which batch mode does not run.
(run-hooks 'post-command-hook)
(defun wait-for (predicate)
  (let ((deadline (+ (float-time) 20)))
    (while (and (< (float-time) deadline) (not (funcall predicate)))
      (accept-process-output nil 0.1))
    (funcall predicate)))
(unless (wait-for #'eglot-current-server) (message "FAIL: the server did not start") (kill-emacs 1))
(unless (wait-for (lambda () (flymake-start) (flymake-diagnostics))) (message "FAIL: no diagnostics") (kill-emacs 1))
(dolist (d (flymake-diagnostics))
  (message "diagnostic %d:%d %s" (line-number-at-pos (flymake-diagnostic-beg d))
           (save-excursion (goto-char (flymake-diagnostic-beg d)) (current-column)) (flymake-diagnostic-text d)))
(goto-char (point-min)) (search-forward "0.8億円") (backward-char 2)
(let ((hover (jsonrpc-request (eglot-current-server) :textDocument/hover (eglot--TextDocumentPositionParams))))
  (message "hover: %s" (car (split-string (or (plist-get (plist-get hover :contents) :value) "(none)") "\n"))))
(eglot-format-buffer)
(message "formatted:\n%s" (buffer-string))
(kill-emacs 0)
ELISP
PATH="$work/bin:$PATH" emacs --batch -l "$work/driver.el" 2>&1 | grep -v '^Loading\|^Source file'
