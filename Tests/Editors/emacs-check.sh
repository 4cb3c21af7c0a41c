#!/usr/bin/env bash
# Runs the README's Emacs setup in a real Emacs (batch mode) against the built server: opens a
# file with a mistake, checks the diagnostic's place, a hover, unit completion after a number
# (eglot matches the word at point, `12億`), and formatting. Each check prints "ok: …" or
# "FAIL: …"; the script exits non-zero after any failure. Needs emacs and eglot (Emacs 29+, or
# Emacs 28 with the eglot package: `apt install emacs-nox elpa-eglot`) and a built `yosan`
# (default: .build/debug/yosan).
#
#   Tests/Editors/emacs-check.sh [PATH-TO-YOSAN]
set -euo pipefail
cd "$(dirname "$0")/../.."
given="${1:-.build/debug/yosan}"
yosan="$(cd "$(dirname "$given")" && pwd)/$(basename "$given")"
[ -x "$yosan" ] || { echo "emacs-check: no yosan at $yosan; run swift build first" >&2; exit 2; }
command -v emacs > /dev/null || { echo "emacs-check: no emacs (apt install emacs-nox elpa-eglot)" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin" "$work/project" "$work/home"
ln -s "$yosan" "$work/bin/yosan"
# The README's snippet, as a user would paste it into init.el.
awk '/^### Emacs/{f=1} f&&/^```elisp/{g=1;next} g&&/^```/{exit} g{print}' README.md > "$work/init.el"
[ -s "$work/init.el" ] || { echo "emacs-check: no Emacs snippet found in README.md" >&2; exit 2; }
printf '予算 "令和7年度 概算要求" {\n  年度 = 令和7年度\n  区分 = 概算要求\n}\n事業 x "救急🚑" {\n  担当 = 医政局\n  要球額 = 1億円\n  前年度 = 0.8億円\n}\n' > "$work/project/a.yosan"
git -C "$work/project" init -q
cat > "$work/driver.el" <<ELISP
(package-initialize)
(load "$work/init.el")
(require 'eglot)
(defvar failures 0)
(defun check (name ok &optional detail)
  (if ok (message "ok: %s" name)
    (setq failures (1+ failures))
    (message "FAIL: %s%s" name (if detail (format " (%s)" detail) ""))))
(defun finish ()
  (message (if (= failures 0) "emacs-check: all passed" (format "emacs-check: %d failed" failures)))
  (kill-emacs (if (= failures 0) 0 1)))
(find-file "$work/project/a.yosan")
;; eglot-ensure connects from the first command loop, which batch mode does not run.
(run-hooks 'post-command-hook)
(defun wait-for (predicate)
  (let ((deadline (+ (float-time) 20)))
    (while (and (< (float-time) deadline) (not (funcall predicate)))
      (accept-process-output nil 0.1))
    (funcall predicate)))
(check "the server starts" (wait-for #'eglot-current-server))
(unless (eglot-current-server) (finish))
(check "diagnostics arrive" (wait-for (lambda () (flymake-start) (flymake-diagnostics))))
;; The unknown key is reported where it starts: line 7, column 2 (Emacs counts characters).
(let ((d (car (flymake-diagnostics))))
  (check "the diagnostic is on 要球額"
         (and d (= (line-number-at-pos (flymake-diagnostic-beg d)) 7)
              (equal (buffer-substring (flymake-diagnostic-beg d) (flymake-diagnostic-end d)) "要球額"))
         (and d (format "%d: %s" (line-number-at-pos (flymake-diagnostic-beg d)) (flymake-diagnostic-text d)))))
(goto-char (point-min)) (search-forward "0.8億円") (backward-char 2)
(let* ((hover (jsonrpc-request (eglot-current-server) :textDocument/hover (eglot--TextDocumentPositionParams)))
       (text (or (plist-get (plist-get hover :contents) :value) "")))
  (check "hover on 0.8億円 shows 80,000,000円" (string-match-p "80,000,000" text) (car (split-string text "\n"))))
;; Unit completion after a number: eglot filters by the word at point, 12億.
(goto-char (point-min)) (search-forward "0.8億円") (end-of-line)
(insert "\n  補正 = 12億")
(let ((completion-styles '(basic)) (completion-auto-help nil))
  (completion-at-point))
(check "completing 12億 gives 12億円" (equal (buffer-substring (line-beginning-position) (line-end-position)) "  補正 = 12億円")
       (buffer-substring (line-beginning-position) (line-end-position)))
(delete-region (line-beginning-position) (1+ (line-end-position)))
(delete-char -1)
(eglot-format-buffer)
(check "formatting gives the fmt layout"
       (equal (buffer-string) "予算 \"令和7年度 概算要求\" {\n  年度 = 令和7年度\n  区分 = 概算要求\n}\n\n事業 x \"救急🚑\" {\n  担当   = 医政局\n  要球額 = 1億円\n  前年度 = 0.8億円\n}\n")
       (buffer-string))
(finish)
ELISP
HOME="$work/home" PATH="$work/bin:$PATH" timeout 120 emacs --batch -l "$work/driver.el" 2>&1 | grep -v '^Loading\|^Source file\|^\[eglot\]'
exit "${PIPESTATUS[0]}"
