#!/usr/bin/env bash
# A `git send-email` of git 2.41 or later for test/sendemail-real.test.ts. Debian bookworm's git is
# 2.39: its send-email passes the sendemail-validate hook only the patch file and sets no
# GIT_SENDEMAIL_FILE_COUNTER / _TOTAL, so the hook's whole-series check never runs under it. git
# send-email is one Perl script, and Debian trixie's `git-email` (arch "all") is that script alone;
# it runs with bookworm's git: it starts the hook through `git hook run` (git 2.36 and later) and
# uses the Git.pm modules bookworm's git ships (bookworm's git-email brings the Perl modules
# they need).
#
#   scripts/get-git-email.sh [DIR]      default: .cache/git-email in the checkout
#
# Downloads trixie's git-email from the Debian archive apt is configured with
# (scripts/debian-archive.sh; DEBIAN_MIRROR overrides), checks it against the index's SHA256 and
# unpacks it with `dpkg-deb -x` into DIR/root (the dpkg database is not touched). Then makes
# DIR/exec-path: the system git's exec path, linked entry by entry, with trixie's git-send-email in
# place of bookworm's, so `GIT_EXEC_PATH=DIR/exec-path git send-email ...` runs the newer script
# with the system's git. Idempotent: the download is kept (no network), the links are remade on
# each run (the system's git may have changed). Prints one line when it downloads; any failure is
# one line on stderr and exit 1.
set -euo pipefail
die() { echo "get-git-email: $*" >&2; exit 1; }
top=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
dir=${1:-$top/.cache/git-email}
suite=trixie
min=2.41   # the first git whose send-email sets the counters and passes the SMTP headers

script="$dir/root/usr/lib/git-core/git-send-email"
if [ ! -f "$dir/VERSION" ] || [ ! -x "$script" ]; then
  . "$top/scripts/debian-archive.sh"
  need_debian_tools
  tmp=$(mktemp -d); stage="$dir/root.new"
  trap 'rm -rf "$tmp" "$stage"' EXIT
  load_index "$suite"
  ver=$(field git-email Version)
  [ -n "$ver" ] || die "git-email: not in $index"
  up=${ver#*:}; up=${up%%-*}
  dpkg --compare-versions "$up" ge "$min" || die "$suite's git-email is $ver, older than $min"
  mkdir -p "$dir"; rm -rf "$stage"; mkdir -p "$stage"
  unpack_deb git-email "$stage"
  [ -x "$stage/usr/lib/git-core/git-send-email" ] || die "git-email $ver: no usr/lib/git-core/git-send-email in the package"
  rm -rf "$dir/root"; mv "$stage" "$dir/root"
  echo "$ver" >"$dir/VERSION"
  echo "get-git-email: git send-email $ver (Debian $suite) in $dir"
fi

system=$(git --exec-path) || die "needs git"
links="$dir/exec-path"
rm -rf "$links.new"; mkdir -p "$links.new"
for f in "$system"/* "$system"/.[!.]*; do
  [ -e "$f" ] || continue
  ln -s "$f" "$links.new/$(basename "$f")"
done
ln -sfn "$script" "$links.new/git-send-email"
rm -rf "$links"; mv "$links.new" "$links"
