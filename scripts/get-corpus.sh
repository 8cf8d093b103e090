#!/usr/bin/env bash
# Fetch the real-world material the bench and the corpus audit run on, from Debian's package
# archive (the only archive reachable from the project's machines). Never committed, never
# needed by `npm test`.
#
#   scripts/get-corpus.sh [DIR]     default: $ZDCHECK_CORPUS or ~/.cache/zdcheck-corpus
#
# Leaves in DIR:
#   linux-<new>/                      the newest fetchable upstream tree of Debian's `linux` source
#   linux-<new>/scripts/checkpatch.pl the peer zdcheck is measured against
#   debian-patches.mbox               Debian's kernel patches, one message each
#   stable.mbox                       one message per C/Kconfig file changed between the oldest and
#                                     newest fetchable releases of the same series
#   corpus.json                       what was fetched (versions, paths, counts)
# Idempotent: what is already there is kept. Needs root (apt-get) and python3.
set -euo pipefail
here=$(dirname "$(readlink -f "$0")")
dir=${1:-${ZDCHECK_CORPUS:-$HOME/.cache/zdcheck-corpus}}
mkdir -p "$dir" && cd "$dir"

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
