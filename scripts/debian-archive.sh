# Sourced by the get-*.sh scripts, never run: where this machine's Debian archive is, and one
# package of another suite taken from it (checked against the index's SHA256, unpacked with
# `dpkg-deb -x`, so the system's dpkg database is never touched). The caller defines `die`
# and `tmp` (a scratch directory it removes).

# The Debian archive apt is configured with: the repository labelled "Debian" (not the security
# archive) with a main component, as `apt-get indextargets` reads /etc/apt's sources in either
# format; before `apt-get update` the labels are unknown, so the one serving the system's own
# codename. DEBIAN_MIRROR (a URL) overrides both.
debian_mirror() {
  if [ -n "${DEBIAN_MIRROR:-}" ]; then echo "${DEBIAN_MIRROR%/}"; return 0; fi
  command -v apt-get >/dev/null || return 1
  local codename=""
  [ -r /etc/os-release ] && codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
  apt-get indextargets --format '$(REPO_URI)|$(LABEL)|$(CODENAME)|$(COMPONENT)' 'Identifier: Packages' 2>/dev/null |
    awk -F'|' -v cn="$codename" '$4 == "main" && ($2 == "Debian" || ($2 == "" && $3 == cn)) { sub(/\/+$/, "", $1); print $1; exit }'
}

need_debian_tools() {
  local tool
  for tool in xz dpkg-deb sha256sum; do
    command -v "$tool" >/dev/null || die "needs $tool (Debian: apt-get install xz-utils dpkg coreutils)"
  done
  if command -v curl >/dev/null; then get() { curl -fsSL --retry 2 -o "$2" "$1"; }
  elif command -v wget >/dev/null; then get() { wget -q -O "$2" "$1"; }
  else die "needs curl or wget"; fi
  mirror=$(debian_mirror) && [ -n "$mirror" ] ||
    die "cannot tell this machine's Debian archive from /etc/apt (set DEBIAN_MIRROR to one)"
}

# fetch URL FILE, or die with the URL and the client's own reason.
fetch() { get "$1" "$2" 2>"$tmp/fetch.err" || die "cannot download $1: $(tail -1 "$tmp/fetch.err")"; }

# load_index SUITE: the suite's binary-all Packages index, as $tmp/Packages.
load_index() {
  index="$mirror/dists/$1/main/binary-all/Packages.xz"
  fetch "$index" "$tmp/Packages.xz"
  xz -dc "$tmp/Packages.xz" >"$tmp/Packages" || die "$index: not an xz file"
}

# field PACKAGE NAME: the value of one field of one package's stanza in the index.
field() {
  awk -v pkg="$1" -v f="$2:" '
    /^$/ { hit = 0; next }
    /^Package: / { hit = ($2 == pkg); next }
    hit && $1 == f { sub(/^[^:]*: /, ""); print; exit }' "$tmp/Packages"
}

# unpack_deb PACKAGE DIR: downloads the package the index names, checks its SHA256, unpacks it into DIR.
unpack_deb() {
  local file sum deb got
  file=$(field "$1" Filename); sum=$(field "$1" SHA256)
  [ -n "$file" ] && [ -n "$sum" ] || die "$1: not in $index"
  deb="$tmp/$(basename "$file")"
  fetch "$mirror/$file" "$deb"
  got=$(sha256sum "$deb" | cut -d' ' -f1)
  [ "$got" = "$sum" ] || die "$(basename "$file"): SHA256 $got, the index says $sum"
  dpkg-deb -x "$deb" "$2" || die "$(basename "$file"): dpkg-deb -x failed"
}
