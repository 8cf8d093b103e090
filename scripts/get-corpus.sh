#!/usr/bin/env bash
# Fetch the real-world material the bench and the corpus audit run on, from the Debian package
# archive this machine's apt is configured with. Never committed, never needed by `npm test`
# (docs/audit-howto.md).
#
#   scripts/get-corpus.sh [DIR]          default: $ZDCHECK_CORPUS or ~/.cache/zdcheck-corpus
#   scripts/get-corpus.sh --eras [DIR]   only the era trees (below)
#
# Leaves in DIR:
#   linux-<new>/                      the newest fetchable upstream tree of Debian's `linux` source
#   linux-<new>/scripts/checkpatch.pl the peer zdcheck is measured against
#   debian-patches.mbox               Debian's kernel patches, one message each
#   stable.mbox                       one message per C/Kconfig file changed between the oldest and
#                                     newest fetchable releases of the same series
#   corpus.json                       what was fetched (versions, paths, counts)
# With --eras, instead (no apt, no root): the upstream tree of the newest `linux` source of each
# of bullseye, trixie and sid (5.10, 6.12, 7.x), as linux-<upstream>/, fetched with curl straight
# from the pool of the Debian archive apt is configured with (scripts/debian-archive.sh) over each
# suite's Sources index, each tarball checked against the sha256 the
# index gives; corpus.json gets an "eras" list (suite, version, tree). About 450 MB to download.
# Idempotent: what is already there is kept. Needs root (apt-get) and python3.
set -euo pipefail
here=$(dirname "$(readlink -f "$0")")
eras=""; [ "${1:-}" = "--eras" ] && { eras=1; shift; }
dir=${1:-${ZDCHECK_CORPUS:-$HOME/.cache/zdcheck-corpus}}
mkdir -p "$dir" && cd "$dir"

if [ -n "$eras" ]; then
  die() { echo "get-corpus: $*" >&2; exit 1; }
  . "$here/debian-archive.sh"
  mirror=$(debian_mirror) && [ -n "$mirror" ] || die "cannot tell this machine's Debian archive from /etc/apt (set DEBIAN_MIRROR to one)"
  recorded=()
  for suite in bullseye trixie sid; do
    # The suite's `Package: linux` entries, newest first: version, pool directory, orig tarball,
    # sha256. A mirror may lag its index, so an entry whose tarball is not in the pool is skipped.
    mapfile -t entries < <(curl -fsS "$mirror/dists/$suite/main/source/Sources.xz" | xz -d |
      awk '
        /^$/ { if (pkg == "linux" && orig != "") print ver, dir, orig, sha; pkg = ver = dir = orig = sha = ""; sums = 0; next }
        /^Package: / { pkg = $2 } /^Version: / { ver = $2 } /^Directory: / { dir = $2 }
        /^[A-Za-z0-9-]+:/ { sums = ($1 == "Checksums-Sha256:") }
        sums && /^ / && $3 ~ /\.orig\.tar\.xz$/ { sha = $1; orig = $3 }
        END { if (pkg == "linux" && orig != "") print ver, dir, orig, sha }' | sort -Vr -k1,1 -u)
    [ ${#entries[@]} -gt 0 ] || { echo "get-corpus: no linux source in $suite" >&2; exit 1; }
    version=""
    for entry in "${entries[@]}"; do
      read -r v directory orig sha <<< "$entry"
      up=${v%-*}
      if [ -f "linux-$up/Makefile" ]; then version=$v; break; fi
      if ! { [ -f "$orig" ] && echo "$sha  $orig" | sha256sum -c --quiet - >/dev/null 2>&1; }; then
        curl -fsS -o "$orig" "$mirror/$directory/$orig" 2>/dev/null || {
          echo "get-corpus: $suite: $orig is listed but not in the pool; trying an older one" >&2; rm -f "$orig"; continue; }
        echo "$sha  $orig" | sha256sum -c --quiet - || { echo "get-corpus: $orig: sha256 mismatch" >&2; exit 1; }
      fi
      tar xf "$orig"
      [ -f "linux-$up/Makefile" ] || { echo "get-corpus: $orig did not unpack to linux-$up/" >&2; exit 1; }
      rm -f "$orig"
      version=$v; break
    done
    [ -n "$version" ] || { echo "get-corpus: $suite: no linux tarball could be fetched" >&2; exit 1; }
    up=${version%-*}
    echo "get-corpus: $suite: linux $version -> $dir/linux-$up"
    recorded+=("$suite" "$version" "linux-$up")
  done
  python3 "$here/corpus-mbox.py" --record-eras "$dir" "${recorded[@]}"
  exit 0
fi

have_sources() { [ -n "$(apt-cache showsrc linux 2>/dev/null | head -1)" ]; }
if ! have_sources; then
  # Add deb-src twins of the machine's own Debian entries (same mirrors, same suites).
  list=/etc/apt/sources.list.d/zdcheck-src.list
  : > "$list"
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] && [ "$f" != "$list" ] && grep -E '^deb ' "$f" | sed 's/^deb /deb-src /' >> "$list" || true
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    sed 's/^Types: deb$/Types: deb-src/' "$f" > "/etc/apt/sources.list.d/zdcheck-src-$(basename "$f")"
  done
  apt-get update -qq
  have_sources || { echo "get-corpus: no Debian source archive reachable" >&2; exit 1; }
fi

mapfile -t versions < <(apt-cache showsrc linux | awk '/^Version:/ {print $2}' | sort -Vu)
unpack() { # VERSION -> prints the upstream version once its tree and debian/ dir are unpacked
  local v=$1 up=${1%-*}
  if [ ! -d "linux-$up" ] || [ ! -d "deb-$v" ]; then
    apt-get source --download-only -qq "linux=$v" >/dev/null 2>&1 || return 1
    [ -d "linux-$up" ] || tar xf "linux_$up.orig.tar.xz"
    mkdir -p "deb-$v" && tar xf "linux_$v.debian.tar.xz" -C "deb-$v"
  fi
  echo "$v"
}
newest=""; for ((i=${#versions[@]}-1; i>=0; i--)); do newest=$(unpack "${versions[$i]}") && break; done
[ -n "$newest" ] || { echo "get-corpus: no linux source version could be fetched" >&2; exit 1; }
oldest=""; for v in "${versions[@]}"; do [ "$v" = "$newest" ] && break; oldest=$(unpack "$v") && break; done

python3 "$here/corpus-mbox.py" "$dir" "$newest" "$oldest"
