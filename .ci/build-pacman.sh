#!/usr/bin/env bash
# Builds each upstream pacman archive listed in .ci/pacman-builds once, into a
# private prefix outside the clone keyed by the archive's sha256:
#   $PACMAN_GUARD_BUILD_CACHE/pacman-<sha256>/bin/pacman
# A prefix exists only once its build is complete (staged with DESTDIR, then
# renamed into place), so a later run that finds it skips the build. Nothing
# is installed outside the prefix: DESTDIR keeps `ninja install` away from the
# host's /var/lib/pacman and /var/cache/pacman, and the binaries find their
# libalpm through an rpath into the prefix.
# Usage: build-pacman.sh SOURCE_DIR   (the directory holding the archives)
set -euo pipefail

src_dir=${1:?usage: build-pacman.sh SOURCE_DIR}
cache=${PACMAN_GUARD_BUILD_CACHE:-/var/cache/pacman-guard-ci}
list="$(dirname "$0")/pacman-builds"

if [[ ! -d $src_dir ]]; then
  echo "error: pacman source archives not found: $src_dir" >&2
  echo "       (CI expects shared/pacman-src beside the clone)" >&2
  exit 1
fi
mkdir -p "$cache"
# One builder at a time (two CI runs on one machine wait for each other).
exec 9>"$cache/.pacman-builds.lock"
flock 9

while read -r label archive _variant; do
  [[ -z $label || $label == \#* ]] && continue
  tarball="$src_dir/$archive"
  if [[ ! -f $tarball ]]; then
    echo "error: $label: archive not found: $tarball" >&2
    exit 1
  fi
  sha=$(sha256sum "$tarball" | cut -d' ' -f1)
  prefix="$cache/pacman-$sha"
  if [[ -x $prefix/bin/pacman ]]; then
    printf '%-14s cached   %s\n' "$label" "$prefix"
    continue
  fi
  work=$(mktemp -d "$cache/.build-XXXXXX")
  trap 'rm -rf "$work"' EXIT
  start=$SECONDS
  mkdir "$work/src"
  tar -xzf "$tarball" -C "$work/src"
  (
    cd "$work"/src/*/
    meson setup build --prefix="$prefix" --libdir=lib \
      -Dsysconfdir="$prefix/etc" -Dlocalstatedir=/var \
      -Ddoc=disabled -Di18n=false -Dbuildtype=release \
      -Dc_link_args="-Wl,-rpath,$prefix/lib"
    ninja -C build -j"$(nproc)"
    DESTDIR="$work/stage" ninja -C build install
  ) >"$work/build.log" 2>&1 || {
    tail -n 40 "$work/build.log" >&2
    echo "error: $label: build failed ($tarball)" >&2
    exit 1
  }
  mv -T "$work/stage$prefix" "$prefix"
  rm -rf "$work"
  trap - EXIT
  version=$("$prefix/bin/pacman" --version | sed -n 's/.*\(Pacman v[^ ]*\).*/\1/p')
  # The rpath must reach the prefix's libalpm, not another on the host.
  lib=$(ldd "$prefix/bin/pacman" | awk '/libalpm/ {print $3}')
  if [[ $lib != "$prefix"/lib/* ]]; then
    echo "error: $label: $prefix/bin/pacman links $lib, not its own libalpm" >&2
    exit 1
  fi
  printf '%-14s built    %s (%s, %ss)\n' "$label" "$prefix" "$version" "$((SECONDS - start))"
done <"$list"
