#!/bin/bash
# Fetches pacman's own test suite (pactest) from Debian's source package
# pacman-package-manager, the pacman this machine runs, and prints the
# directory that holds pactest.py. Cached; apt's own configuration and lists
# are left alone: the deb-src entry and the lists live in the cache directory.
#
# env: PACTEST_CACHE (default ${TMPDIR:-/tmp}/pacman-guard-pactest)
set -euo pipefail

cache=${PACTEST_CACHE:-${TMPDIR:-/tmp}/pacman-guard-pactest}
version=$(dpkg-query -W -f '${source:Upstream-Version}' pacman-package-manager)
tree=$cache/pacman-$version/test/pacman
if [[ -f $tree/pactest.py ]]; then
  echo "$tree"
  exit 0
fi

mkdir -p "$cache/apt/parts" "$cache/apt/lists/partial" "$cache/apt/cache/archives/partial"
# The suites and mirror this machine already uses, as a deb-src entry.
suite=$(. /etc/os-release && echo "$VERSION_CODENAME")
mirror=$(sed -n 's/^URIs: *\(http[^ ]*debian\)\/\?$/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n 1)
cat >"$cache/apt/parts/pactest-src.sources" <<SOURCES
Types: deb-src
URIs: ${mirror:-http://deb.debian.org/debian}
Suites: $suite
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
apt_options=(
  -o "Dir::Etc::sourcelist=/dev/null" -o "Dir::Etc::sourceparts=$cache/apt/parts"
  -o "Dir::State::Lists=$cache/apt/lists" -o "Dir::Cache=$cache/apt/cache"
)
apt-get "${apt_options[@]}" update -qq
(cd "$cache" && apt-get "${apt_options[@]}" source --download-only -qq "pacman-package-manager=$(dpkg-query -W -f '${Version}' pacman-package-manager)" 2>/dev/null)
# The upstream tarball holds test/pacman; Debian's patches do not touch it.
for archive in "$cache"/pacman-package-manager_"$version".orig.tar.{xz,gz,bz2,zst}; do
  [[ -f $archive ]] && tar -xf "$archive" -C "$cache"
done
[[ -f $tree/pactest.py ]] || { echo "pactest.py not found in $cache/pacman-$version" >&2; exit 1; }
echo "$tree"
