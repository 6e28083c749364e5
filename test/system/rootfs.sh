#!/bin/bash
# Builds the Debian root file system the system test boots with systemd-nspawn,
# once per stack: it is cached outside the clone under a key made of the suite,
# its package list and this script, so a rerun costs a hash. Prints the root's
# path.
#
#   usage: rootfs.sh SUITE        SUITE: bookworm, trixie or sid (docs/stacks.md)
#   env:   PACMAN_GUARD_CI_CACHE  cache root (default /var/cache/pacman-guard-ci)
#
# Runs on the host as root. debootstrap writes only below the cache root; the
# host's mounts, /usr, /etc and /var/lib/pacman are not touched. A build that
# fails or is interrupted leaves no cache entry (it is renamed into place only
# when complete), and concurrent callers for the same root wait for one build
# (flock); different suites build side by side.
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache_root=${PACMAN_GUARD_CI_CACHE:-/var/cache/pacman-guard-ci}
suite=${1:-bookworm}

# What the container needs besides debootstrap's minbase, every package from
# the suite itself (so each stack is what that Debian ships):
#   systemd systemd-sysv   systemd as PID 1 (init), systemd-sysext, journald
#   dbus                   systemctl's bus (reboot, exit), as on a real system
#   pacman-package-manager pacman and libalpm, which guard guards
#   makepkg fakeroot       makepkg (guard extend's and the tests' packages)
#   libarchive-tools       bsdtar: guard extend unpacks with it, repo-add needs it
#   util-linux mount bsdutils procps
#                          nsenter, unshare, mount, logger --journald, ps
#   squashfs-tools         mksquashfs: a raw extension image (guard extend --list)
#   nodejs                 the suite's node (trixie 20, sid 24) runs guard;
#                          bookworm ships 18, below guard's floor: there the
#                          host's node 20 is bind-mounted and needs libstdc++6
common=(systemd systemd-sysv dbus pacman-package-manager makepkg fakeroot libarchive-tools
  util-linux mount bsdutils procps squashfs-tools)
case $suite in
  bookworm) packages=("${common[@]}" libstdc++6) ;;
  trixie | sid) packages=("${common[@]}" nodejs) ;;
  *)
    echo "rootfs.sh: unknown suite '$suite' (bookworm, trixie or sid)" >&2
    exit 2
    ;;
esac

key=$(
  {
    echo "$suite"
    printf '%s\n' "${packages[@]}"
    sha256sum <"$here/rootfs.sh"
  } | sha256sum | cut -c1-16
)
rootfs=$cache_root/rootfs-$suite-$key

if [[ -f $rootfs/etc/os-release ]]; then
  echo "$rootfs"
  exit 0
fi

# The mirror apt uses on this machine (deb822 .sources or a one-line
# sources.list entry), so a machine that reaches Debian only through its
# configured mirror still builds. This host's apt lists bookworm only: any
# entry of the main archive (a Suites: line of bookworm*) serves trixie and sid
# as well, and debootstrap checks them with debian-archive-keyring.
mirror() {
  local uri
  uri=$(awk '
      /^URIs:/ { uris = $2 }
      /^Suites:/ { for (i = 2; i <= NF; i++) if ($i ~ /^(bookworm|trixie|sid|stable|testing|unstable)$/ && !found) found = uris }
      /^$/ { uris = "" }
      END { print found }' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n1)
  if [[ -z $uri ]]; then
    uri=$(awk '$1 == "deb" && $0 !~ /\[/ && $3 ~ /^(bookworm|trixie|sid|stable|testing|unstable)$/ { print $2; exit }' \
      /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | head -n1)
  fi
  echo "${uri:-http://deb.debian.org/debian}"
}

mkdir -p -m 755 "$cache_root"
exec 9>"$cache_root/.rootfs-$suite.lock"
flock 9
# Another caller may have built it while this one waited.
if [[ -f $rootfs/etc/os-release ]]; then
  echo "$rootfs"
  exit 0
fi

work=$(mktemp -d "$cache_root/.rootfs-build-$suite.XXXXXX")
trap 'rm -rf --one-file-system "$work"' EXIT
started=$SECONDS
if ! debootstrap --variant=minbase --keyring=/usr/share/keyrings/debian-archive-keyring.gpg \
  --include="$(IFS=,; echo "${packages[*]}")" \
  "$suite" "$work/root" "$(mirror)" >"$work/debootstrap.log" 2>&1; then
  tail -n 40 "$work/debootstrap.log" >&2
  echo "rootfs.sh: debootstrap $suite failed (log above)" >&2
  exit 1
fi
# No machine-id: systemd generates a fresh one on every boot of a copy.
rm -f "$work/root/etc/machine-id"
: >"$work/root/etc/machine-id"
# debootstrap writes no /etc/hosts: without one, localhost does not resolve
# (node's tests and anything that connects to 127.0.0.1 by name).
printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' >"$work/root/etc/hosts"
# debootstrap's apt lists and downloaded packages are no use to the test.
rm -rf "$work/root/var/cache/apt/archives/"*.deb "$work/root/var/lib/apt/lists/"*
mv "$work/root" "$rootfs"
echo "rootfs.sh: built $rootfs in $((SECONDS - started)) s" >&2
echo "$rootfs"
