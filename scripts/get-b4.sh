#!/usr/bin/env bash
# Install a b4 that has `b4 prep --check` (0.13 and later) for test/b4-real.test.ts, without
# touching the system's dpkg database. Debian bookworm ships b4 0.12.0, which lacks it; Debian
# trixie's b4 is pure Python (arch "all") and runs on bookworm's python3.
#
#   scripts/get-b4.sh [DIR]      default: .cache/b4 in the checkout
#
# Reads trixie's binary-all Packages index from the Debian archive apt is configured with
# (scripts/debian-archive.sh; DEBIAN_MIRROR overrides), downloads b4 and python3-patatt from the
# pool, checks each .deb against the SHA256 the index gives, and unpacks them with `dpkg-deb -x`
# into DIR/root.
# The other dependencies the index names (python3-dkim, python3-dnspython, python3-requests,
# git-filter-repo, python3-nacl, ...) are bookworm's: each must be installed at a version the index
# asks for, and is installed with apt-get when missing and we are root. Leaves DIR/b4, a wrapper
# that runs the unpacked b4 with the system's python3. Idempotent: a DIR/b4 that runs is kept (no
# network). Prints one line when it installs; any failure is one line on stderr and exit 1.
set -euo pipefail
die() { echo "get-b4: $*" >&2; exit 1; }
top=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
dir=${1:-$top/.cache/b4}
suite=trixie
unpack=(b4 python3-patatt)   # taken from trixie
min_b4=0.13                  # the first b4 with `prep --check`

runs() { [ -x "$dir/b4" ] && [ -f "$dir/VERSION" ] && "$dir/b4" --version >/dev/null 2>&1; }
if runs; then exit 0; fi

. "$top/scripts/debian-archive.sh"
need_debian_tools
py=/usr/bin/python3; [ -x "$py" ] || py=$(command -v python3 || true)
[ -n "$py" ] || die "needs python3"

tmp=$(mktemp -d); stage="$dir/root.new"
trap 'rm -rf "$tmp" "$stage"' EXIT
load_index "$suite"

mkdir -p "$dir"
rm -rf "$stage"; mkdir -p "$stage"
deps=()
for pkg in "${unpack[@]}"; do
  unpack_deb "$pkg" "$stage"
  [ "$pkg" = b4 ] && b4ver=$(field "$pkg" Version)
  # Depends: "a (>= 1), b | c, python3:any" -> one "name op version" line per first alternative
  while IFS= read -r d; do [ -n "$d" ] && deps+=("$d"); done < <(field "$pkg" Depends |
    tr ',' '\n' | sed -E 's/\|.*//; s/^ +//; s/ +$//; s/ *\(([<>=]+) *([^)]*)\)/ \1 \2/')
done
dpkg --compare-versions "${b4ver%%-*}" ge "$min_b4" || die "trixie's b4 is $b4ver, older than $min_b4"

# The dependencies that are not unpacked come from the system: installed, at the version asked.
installed() { dpkg-query -W -f='${Status} ${Version}\n' "$1" 2>/dev/null | sed -n 's/^install ok installed //p' || true; }
missing=()
for d in "${deps[@]}"; do
  read -r name op want <<<"$d"
  case " ${unpack[*]} " in *" $name "*) continue ;; esac
  case "$name" in python3:any | python3) continue ;; esac
  have=$(installed "$name")
  if [ -z "$have" ] || { [ -n "${op:-}" ] && ! dpkg --compare-versions "$have" "$op" "$want"; }; then
    missing+=("$name")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    { apt-get update -qq && apt-get install -y -qq "${missing[@]}"; } >"$tmp/apt.log" 2>&1 ||
      die "apt-get install ${missing[*]} failed: $(grep -E '^E:' "$tmp/apt.log" | head -1)"
  else
    die "needs ${missing[*]} (as root: apt-get install ${missing[*]})"
  fi
  for d in "${deps[@]}"; do
    read -r name op want <<<"$d"
    case " ${missing[*]} " in *" $name "*) ;; *) continue ;; esac
    have=$(installed "$name")
    [ -n "$have" ] && { [ -z "${op:-}" ] || dpkg --compare-versions "$have" "$op" "$want"; } ||
      die "b4 $b4ver needs $name $op $want; this system offers ${have:-none}"
  done
fi

rm -rf "$dir/root"; mv "$stage" "$dir/root"
# The wrapper puts the unpacked dist-packages first on sys.path itself rather than through
# PYTHONPATH, so the check commands b4 runs do not inherit a PYTHONPATH from us.
cat >"$dir/b4" <<EOF
#!/bin/sh
# b4 $b4ver from Debian $suite, unpacked by scripts/get-b4.sh
here=\$(cd "\$(dirname "\$0")" && pwd)
py=/usr/bin/python3; [ -x "\$py" ] || py=python3
exec "\$py" -c 'import sys; sys.path.insert(0, sys.argv.pop(1)); sys.argv[0] = "b4"; from b4.command import cmd; sys.exit(cmd())' "\$here/root/usr/lib/python3/dist-packages" "\$@"
EOF
chmod +x "$dir/b4"
out=$("$dir/b4" --version 2>&1) || die "$dir/b4 does not run: $(printf '%s\n' "$out" | tail -1)"
echo "$b4ver" >"$dir/VERSION"
echo "get-b4: b4 $out in $dir"
