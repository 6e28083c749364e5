#!/bin/bash
# Builds the testbed's packages with real makepkg and a repository database
# with repo-add, once: the result is cached under a key made of everything that
# shapes it (the PKGBUILDs, this script, the makepkg configuration, makepkg's
# version), so a rerun costs a hash. Prints the fixture directory:
#
#   <dir>/packages/NAME-VER-REL-any.pkg.tar.gz   the built packages
#   <dir>/repo/guardtest.db.tar.gz (+ .files)     the repository, with copies of the packages
#   <dir>/updates/NAME-VER-REL-any.pkg.tar.gz    newer versions (pkgbuilds/update-*), not in
#                                                the repository until a test adds them
#
# usage: fixtures.sh
# env:   TESTBED_CACHE  cache root (default ${TMPDIR:-/tmp}/pacman-guard-testbed)
#
# Runs on the host, as root, and mounts nothing.
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache_root=${TESTBED_CACHE:-${TMPDIR:-/tmp}/pacman-guard-testbed}

key=$(
  {
    (cd "$here/pkgbuilds" && find . -type f -print0 | sort -z | xargs -0 sha256sum)
    (cd "$here" && sha256sum makepkg.conf fixtures.sh)
    makepkg --version
  } | sha256sum | cut -c1-16
)
fixtures=$cache_root/$key

# Root installs these packages (and would run their scriptlets), so the cache
# must be a directory nobody else could have prepared.
mkdir -p -m 700 "$cache_root"
if [[ -L $cache_root || ! -O $cache_root ]]; then
  echo "fixtures.sh: $cache_root is not a directory owned by $(id -un); refusing to use it" >&2
  exit 1
fi

if [[ -f $fixtures/repo/guardtest.db.tar.gz ]]; then
  echo "$fixtures"
  exit 0
fi

# makepkg refuses to run as root, so it runs as nobody, in a directory nobody
# can reach: always under /tmp, because TMPDIR's parents may be closed to it.
work=$(mktemp -d /tmp/pacman-guard-build.XXXXXX)
trap 'rm -rf "$work"' EXIT
cp -r "$here/pkgbuilds/." "$work/"
cp "$here/makepkg.conf" "$work/makepkg.conf"
mkdir "$work/out"
chown -R nobody "$work"
chmod 755 "$work"

for pkgbuild in "$work"/*/PKGBUILD; do
  dir=$(dirname "$pkgbuild")
  # --config: our makepkg.conf, not the build host's (see makepkg.conf).
  # --nodeps: makepkg checks depends=() against the build host's pacman
  #   database, which is empty on Debian; guardtest's dependency on
  #   guardtest-dep is for the testbed's pacman, not the build.
  # HOME: keeps makepkg from reading a ~/.makepkg.conf of nobody's.
  # SOURCE_DATE_EPOCH: reproducible builddate and file times.
  out=$work/out
  [[ ${dir##*/} == update-* ]] && out=$work/updates
  mkdir -p "$out" && chown nobody "$out"
  if ! (cd "$dir" && runuser -u nobody -- env HOME="$work" SOURCE_DATE_EPOCH=1700000000 \
    PKGDEST="$out" SRCDEST="$dir" BUILDDIR="$dir/build" \
    makepkg --config "$work/makepkg.conf" --nodeps --noconfirm --noprogressbar --nocolor \
    >"$dir/makepkg.log" 2>&1); then
    echo "fixtures.sh: makepkg failed in ${dir#"$work"/}:" >&2
    cat "$dir/makepkg.log" >&2
    exit 1
  fi
done

staging=$(mktemp -d "$cache_root/.staging.XXXXXX")
mkdir "$staging/packages" "$staging/repo" "$staging/updates"
cp "$work"/out/*.pkg.tar.gz "$staging/packages/"
cp "$work"/updates/*.pkg.tar.gz "$staging/updates/"
cp "$work"/out/*.pkg.tar.gz "$staging/repo/"
repo-add --quiet "$staging/repo/guardtest.db.tar.gz" "$staging"/repo/*.pkg.tar.gz >/dev/null
chmod -R a+rX "$staging"
chmod 755 "$staging"
# Concurrent runs may race to here: the first rename wins, and either copy is complete.
mv -T "$staging" "$fixtures" 2>/dev/null || rm -rf "$staging"
echo "$fixtures"
