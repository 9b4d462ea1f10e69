#!/usr/bin/env bash
# Installs PostgreSQL 15 (Debian packages) and builds + installs pgvector 0.8.x into it.
# Bookworm ships no pgvector package, so the source comes from Debian trixie's source package,
# fetched through a private apt state (the system's sources and lists are left untouched); if that
# fails, the orig tarball is taken from the mirror's pool/ with a pinned SHA-256.
# Idempotent: a second run only checks and exits within a second. Build dir: .sightline/build/pgvector.
set -euo pipefail
# shellcheck source=db/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

# Fallback orig tarballs in the mirror's pool/main/p/pgvector/: "version sha256" (from trixie's Sources).
POOL_TARBALLS=(
  "0.8.0 867a2c328d4928a5a9d6f052cd3bc78c7d60228a9b914ad32aa3db88e9de27b0"
)
SOURCE_SUITE="${SIGHTLINE_PGVECTOR_SUITE:-trixie}"
BUILD="$SIGHTLINE_PGVECTOR_BUILD_DIR"
APTDIR="$BUILD/apt"

pkg_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q '^install ok installed$'; }

apt_install() {
  local missing=() p
  for p in "$@"; do pkg_installed "$p" || missing+=("$p"); done
  ((${#missing[@]})) || return 0
  say "installing with apt: ${missing[*]}"
  as_root apt-get update -q >&2
  if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      "${missing[@]}" >&2; then
    die "apt-get install ${missing[*]} failed. PostgreSQL $SIGHTLINE_PG_MAJOR is in Debian bookworm's main
       archive; on Ubuntu (or other releases) add the PGDG repository first: https://wiki.postgresql.org/wiki/Apt"
  fi
}

# The Debian archive mirror the system already uses (first http(s) URI ending in /debian or a
# snapshot.debian.org archive/debian/<date>), from one-line .list files or deb822 .sources files.
# Falls back to deb.debian.org (e.g. on Ubuntu, whose mirrors do not carry Debian suites).
debian_mirror() {
  if [[ -n ${SIGHTLINE_DEBIAN_MIRROR:-} ]]; then echo "${SIGHTLINE_DEBIAN_MIRROR%/}"; return; fi
  local f u
  while read -r u; do
    u="${u%/}"
    if [[ $u =~ ^https?:// && ( $u == */debian || $u =~ /archive/debian/[0-9TZ]+$ ) ]]; then
      echo "$u"; return
    fi
  done < <(
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
      # one-line format: deb [opts] URI suite components...
      [[ -f $f ]] && sed -n -E 's/^[[:space:]]*deb(-src)?[[:space:]]+(\[[^]]*\][[:space:]]+)?([^[:space:]]+).*/\3/p' "$f"
    done
    for f in /etc/apt/sources.list.d/*.sources; do
      # deb822 format: "URIs: uri [uri...]"
      [[ -f $f ]] && sed -n -E 's/^URIs:[[:space:]]*(.*)$/\1/p' "$f" | tr -s '[:blank:]' '\n'
    done
    true
  )
  echo "http://deb.debian.org/debian"
}

# Downloads pgvector's source package from $SOURCE_SUITE into $BUILD/src via a private apt state.
# Prints the .dsc path.
fetch_from_suite() {
  local mirror="$1" keyring=/usr/share/keyrings/debian-archive-keyring.gpg opts=""
  [[ -f $keyring ]] || apt_install debian-archive-keyring
  [[ -f $keyring ]] && opts="[signed-by=$keyring] "
  mkdir -p "$APTDIR/lists/partial" "$APTDIR/cache/archives/partial" "$BUILD/src"
  printf 'deb-src %s%s %s main\n' "$opts" "$mirror" "$SOURCE_SUITE" >"$APTDIR/sources.list"
  local apt_opts=(-o "Dir::Etc::SourceList=$APTDIR/sources.list" -o Dir::Etc::SourceParts=/dev/null
    -o "Dir::State::Lists=$APTDIR/lists" -o "Dir::Cache=$APTDIR/cache")
  # snapshot.debian.org serves frozen Release files whose Valid-Until has passed
  [[ $mirror == *snapshot.debian.org* ]] && apt_opts+=(-o Acquire::Check-Valid-Until=false)
  say "apt-get update (private state in ${APTDIR#"$SIGHTLINE_ROOT"/}): deb-src $mirror $SOURCE_SUITE main"
  apt-get "${apt_opts[@]}" update -q >&2 || return 1
  # root: apt's _apt sandbox user cannot write into our root-owned download dir; download as root
  [[ $EUID -eq 0 ]] && apt_opts+=(-o APT::Sandbox::User=root)
  say "apt-get source --download-only pgvector ($SOURCE_SUITE)"
  (cd "$BUILD/src" && apt-get "${apt_opts[@]}" source --download-only pgvector >&2) || return 1
  local dsc
  local dscs=("$BUILD"/src/pgvector_*.dsc)
  [[ ${#dscs[@]} -eq 1 && -f ${dscs[0]} ]] || return 1
  dsc="${dscs[0]}"
  echo "$dsc"
}

# Downloads an orig tarball from the mirror's pool (hash-checked by apt-helper). Prints its path.
fetch_from_pool() {
  local mirror="$1" entry v sha url out
  mkdir -p "$BUILD/src"
  for entry in "${POOL_TARBALLS[@]}"; do
    read -r v sha <<<"$entry"
    url="$mirror/pool/main/p/pgvector/pgvector_$v.orig.tar.gz"
    out="$BUILD/src/pgvector_$v.orig.tar.gz"
    say "trying $url"
    if [[ -f $out ]] && sha256sum "$out" | grep -q "^$sha "; then echo "$out"; return; fi
    rm -f "$out"
    if [[ $EUID -eq 0 ]]; then
      /usr/lib/apt/apt-helper -o APT::Sandbox::User=root download-file "$url" "$out" "SHA256:$sha" >&2 || continue
    else
      /usr/lib/apt/apt-helper download-file "$url" "$out" "SHA256:$sha" >&2 || continue
    fi
    echo "$out"; return
  done
  return 1
}

main() {
  local have
  have="$(pgvector_installed_version)"
  if [[ -n $have ]] && pgvector_version_ok "$have" && [[ -x $SIGHTLINE_PG_BIN/postgres ]] \
      && [[ -f $SIGHTLINE_PG_PKGLIBDIR/vector.so ]] \
      && pkg_installed "postgresql-$SIGHTLINE_PG_MAJOR" && pkg_installed "postgresql-client-$SIGHTLINE_PG_MAJOR"; then
    say "PostgreSQL $SIGHTLINE_PG_MAJOR and pgvector $have already installed; nothing to do"
    [[ -f $BUILD/SOURCE ]] && say "pgvector was built from: $(cat "$BUILD/SOURCE")"
    return 0
  fi

  say "PostgreSQL $SIGHTLINE_PG_MAJOR server and client"
  apt_install "postgresql-$SIGHTLINE_PG_MAJOR" "postgresql-client-$SIGHTLINE_PG_MAJOR"

  if [[ -n $have ]] && pgvector_version_ok "$have" \
      && [[ -f $SIGHTLINE_PG_PKGLIBDIR/vector.so ]]; then
    say "pgvector $have already installed"
    return 0
  fi
  [[ -n $have ]] && say "found pgvector $have, not $SIGHTLINE_PGVECTOR_SERIES.x: rebuilding"

  say "build tools: postgresql-server-dev-$SIGHTLINE_PG_MAJOR, dpkg-dev, gcc, make"
  apt_install "postgresql-server-dev-$SIGHTLINE_PG_MAJOR" dpkg-dev gcc make libc6-dev
  [[ -x $SIGHTLINE_PG_CONFIG ]] || die "$SIGHTLINE_PG_CONFIG missing after installing postgresql-server-dev-$SIGHTLINE_PG_MAJOR"

  local mirror src="" origin="" version="" dsc tarball
  mirror="$(debian_mirror)"
  say "Debian mirror: $mirror"
  rm -rf "$BUILD/src"
  mkdir -p "$BUILD"

  if dsc="$(fetch_from_suite "$mirror")"; then
    version="$(sed -n -E 's/^Version:[[:space:]]*([^[:space:]]+).*/\1/p' "$dsc" | head -n1)"
    origin="Debian $SOURCE_SUITE source package pgvector $version ($mirror)"
    pgvector_version_ok "${version%%-*}" \
      || die "$SOURCE_SUITE's pgvector source is version $version, not $SIGHTLINE_PGVECTOR_SERIES.x;
       set SIGHTLINE_PGVECTOR_SUITE to a suite carrying $SIGHTLINE_PGVECTOR_SERIES.x"
    say "unpacking $(basename "$dsc") with dpkg-source (hashes already verified by apt against the signed"
    say "  $SOURCE_SUITE InRelease; a 'cannot verify inline signature' warning only means no debian-keyring)"
    (cd "$BUILD/src" && dpkg-source -x "$(basename "$dsc")" "pgvector-src" >&2)
    src="$BUILD/src/pgvector-src"
  else
    say "could not fetch pgvector from Debian $SOURCE_SUITE; trying the mirror's pool/ tarball"
    tarball="$(fetch_from_pool "$mirror")" \
      || die "no pgvector $SIGHTLINE_PGVECTOR_SERIES.x source reachable: neither '$SOURCE_SUITE' deb-src nor
       $mirror/pool/main/p/pgvector/ (set SIGHTLINE_DEBIAN_MIRROR to a reachable Debian mirror)"
    version="$(basename "$tarball" | sed -E 's/^pgvector_(.*)\.orig\.tar\.gz$/\1/')"
    origin="Debian pool tarball $(basename "$tarball") ($mirror/pool/main/p/pgvector/, SHA-256 pinned)"
    mkdir -p "$BUILD/src/pgvector-src"
    tar -xzf "$tarball" -C "$BUILD/src/pgvector-src" --strip-components=1
    src="$BUILD/src/pgvector-src"
  fi

  # Second check on the tree itself: the extension's own version must be 0.8.x.
  local ctl_version
  ctl_version="$(sed -n "s/^default_version[[:space:]]*=[[:space:]]*'\([^']*\)'.*/\1/p" "$src/vector.control")"
  pgvector_version_ok "$ctl_version" \
    || die "downloaded pgvector source declares version '$ctl_version', not $SIGHTLINE_PGVECTOR_SERIES.x"
  say "source: $origin; vector.control says $ctl_version"

  # OPTFLAGS="": portable build (no -march=native), as Debian's own package does.
  say "building pgvector $ctl_version against $("$SIGHTLINE_PG_CONFIG" --version) (make -j$(nproc))"
  make -C "$src" -j"$(nproc)" USE_PGXS=1 PG_CONFIG="$SIGHTLINE_PG_CONFIG" OPTFLAGS="" >"$BUILD/build.log" 2>&1 \
    || { tail -n 30 "$BUILD/build.log" >&2; die "pgvector build failed (full log: $BUILD/build.log)"; }
  say "installing pgvector into $SIGHTLINE_PG_PKGLIBDIR and $SIGHTLINE_PG_SHAREDIR/extension"
  as_root make -C "$src" USE_PGXS=1 PG_CONFIG="$SIGHTLINE_PG_CONFIG" OPTFLAGS="" install >>"$BUILD/build.log" 2>&1 \
    || { tail -n 30 "$BUILD/build.log" >&2; die "pgvector install failed (full log: $BUILD/build.log)"; }

  have="$(pgvector_installed_version)"
  pgvector_version_ok "$have" || die "after install, $SIGHTLINE_PGVECTOR_CONTROL reports '$have'"
  echo "$origin" >"$BUILD/SOURCE"
  say "pgvector $have installed (from $origin)"
}

main "$@"
