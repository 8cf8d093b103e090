#!/usr/bin/env bash
# Run by `npm test` before the tests (npm's pretest): the real tools the end-to-end tests drive.
#   - git send-email (Debian's git-email) for test/hook.test.ts
#   - a b4 with `prep --check` (scripts/get-b4.sh) for test/b4-real.test.ts
# Quiet and quick when both are there; installs what is missing when it can (root with apt-get);
# otherwise one line saying what to install, and exit 1, so the tests never run half-equipped.
set -euo pipefail
here=$(dirname "$(readlink -f "$0")")
# (`git send-email -h` exits 129 even when it is installed: look for the command itself.)
if [ ! -x "$(git --exec-path)/git-send-email" ]; then
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    echo "test-tools: installing git-email (git send-email) with apt-get" >&2
    { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq git-email || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq git-email; }; } >/dev/null \
      || { echo "test-tools: apt-get could not install git-email" >&2; exit 1; }
  else
    echo "test-tools: the tests need git send-email: install it (Debian: apt-get install git-email) and run npm test again" >&2
    exit 1
  fi
fi
# ZDCHECK_B4 names a b4 of the user's own (test/b4-real.test.ts uses it instead).
[ -n "${ZDCHECK_B4:-}" ] || bash "$here/get-b4.sh"
