#!/bin/bash
# Builds the testbed's packages with real makepkg (as nobody: makepkg refuses
# root) and a repository database with repo-add. Cached by the PKGBUILDs'
# content, so it runs once per change. Prints the fixture directory.
#
# usage: fixtures.sh   env: TESTBED_CACHE (default ${TMPDIR:-/tmp}/pacman-guard-testbed)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache_root=${TESTBED_CACHE:-${TMPDIR:-/tmp}/pacman-guard-testbed}
hash=$(cd "$here/pkgbuilds" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
fixtures=$cache_root/$hash

if [[ -f $fixtures/repo/guardtest.db.tar.gz ]]; then
  echo "$fixtures"
  exit 0
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/pacman-guard-build.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp -r "$here/pkgbuilds/." "$work/"
mkdir -p "$work/out"
# makepkg writes its build tree and packages as the building user.
chown -R nobody "$work"
chmod 755 "$work"
for package in "$work"/*/PKGBUILD; do
  dir=$(dirname "$package")
  [[ $dir == "$work/out" ]] && continue
  # --nodeps: the build host's pacman database is not the testbed's; the
  # PKGBUILDs have no build dependencies anyway.
  (cd "$dir" && runuser -u nobody -- env HOME="$work" PKGDEST="$work/out" SRCDEST="$dir" BUILDDIR="$dir/build" \
    makepkg --nodeps --noconfirm --noprogressbar >"$dir/makepkg.log" 2>&1) || {
    cat "$dir/makepkg.log" >&2
    exit 1
  }
done

mkdir -p "$cache_root"
staging=$(mktemp -d "$cache_root/.staging.XXXXXX")
mkdir -p "$staging/repo"
cp "$work"/out/*.pkg.tar.* "$staging/repo/"
repo-add -q "$staging/repo/guardtest.db.tar.gz" "$staging"/repo/*.pkg.tar.* >/dev/null
# Another run may have finished first; either copy is complete.
mv -T "$staging" "$fixtures" 2>/dev/null || rm -rf "$staging"
chmod -R a+rX "$fixtures"
echo "$fixtures"
