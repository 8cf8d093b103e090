#!/usr/bin/env bash
# Run by `npm test` before the tests (npm's pretest): the real tools the end-to-end tests drive.
#   - git send-email (Debian's git-email) for test/hook.test.ts
#   - a b4 with `prep --check` (scripts/get-b4.sh) for test/b4-real.test.ts
#   - a git send-email of git 2.41 or later (scripts/get-git-email.sh) for test/sendemail-real.test.ts
# Quiet and quick when all are there. Otherwise one line first says what is about to be installed
# or downloaded and how to do it yourself (README, "Set up", says the same), then it is done when
# it can be (root with apt-get); when it cannot, one line saying what to install, and exit 1, so
# the tests never run half-equipped.
set -euo pipefail
here=$(dirname "$(readlink -f "$0")")
top=$(dirname "$here")

# (`git send-email -h` exits 129 even when it is installed: look for the command itself.)
need_git_email=; [ -x "$(git --exec-path)/git-send-email" ] || need_git_email=1
# ZDCHECK_B4 names a b4 of the user's own (test/b4-real.test.ts uses it instead).
need_b4=; [ -n "${ZDCHECK_B4:-}" ] || { [ -x "$top/.cache/b4/b4" ] && [ -f "$top/.cache/b4/VERSION" ]; } || need_b4=1
need_new_send_email=; [ -f "$top/.cache/git-email/VERSION" ] || need_new_send_email=1

if [ -n "$need_git_email$need_b4$need_new_send_email" ]; then
  what=()
  [ -n "$need_git_email" ] && what+=("Debian's git-email with apt-get (yourself: apt-get install git-email)")
  [ -n "$need_b4" ] && what+=("Debian trixie's b4 into .cache/b4, and with apt-get update + install the Python packages it needs (yourself: bash scripts/get-b4.sh, or set ZDCHECK_B4 to a b4 0.13+)")
  [ -n "$need_new_send_email" ] && what+=("Debian trixie's git send-email script into .cache/git-email (yourself: bash scripts/get-git-email.sh)")
  line=$(printf '%s; ' "${what[@]}")
  echo "test-tools: the end-to-end tests drive real tools; installing now: ${line%; } — README, Set up" >&2
fi

if [ -n "$need_git_email" ]; then
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq git-email || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq git-email; }; } >/dev/null \
      || { echo "test-tools: apt-get could not install git-email" >&2; exit 1; }
  else
    echo "test-tools: the tests need git send-email: install it (Debian: apt-get install git-email) and run npm test again" >&2
    exit 1
  fi
fi
[ -n "${ZDCHECK_B4:-}" ] || bash "$here/get-b4.sh"
bash "$here/get-git-email.sh"
