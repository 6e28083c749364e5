#!/bin/bash
# Builds the Debian bookworm root file system the system test boots with
# systemd-nspawn, once: it is cached outside the clone under a key made of its
# package list and this script, so a rerun costs a hash. Prints the root's path.
#
#   usage: rootfs.sh
#   env:   PACMAN_GUARD_CI_CACHE  cache root (default /var/cache/pacman-guard-ci)
#
# Runs on the host as root. debootstrap writes only below the cache root; the
# host's mounts, /usr, /etc and /var/lib/pacman are not touched. A build that
# fails or is interrupted leaves no cache entry (it is renamed into place only
# when complete), and concurrent callers wait for one build (flock).
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache_root=${PACMAN_GUARD_CI_CACHE:-/var/cache/pacman-guard-ci}
suite=bookworm

# What the container needs besides debootstrap's minbase:
#   systemd systemd-sysv   systemd as PID 1 (init), systemd-sysext, journald
#   dbus                   systemctl's bus (reboot, exit), as on a real system
#   pacman-package-manager pacman 6.0.2 and libalpm, which guard guards
#   libstdc++6             the host's node (bind-mounted) links against it
# util-linux (mount, nsenter), bsdutils (logger --journald) are in minbase.
packages=(systemd systemd-sysv dbus pacman-package-manager libstdc++6)

key=$(
  {
    echo "$suite"
    printf '%s\n' "${packages[@]}"
    sha256sum <"$here/rootfs.sh"
  } | sha256sum | cut -c1-16
)
rootfs=$cache_root/rootfs-$key

if [[ -f $rootfs/etc/os-release ]]; then
  echo "$rootfs"
  exit 0
fi

# The mirror apt uses on this machine (deb822 .sources or a one-line
# sources.list entry for the suite), so a machine that reaches Debian only
# through its configured mirror still builds.
mirror() {
  local uri
  uri=$(awk -v suite="$suite" '
      /^URIs:/ { uris = $2 }
      /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == suite) found = uris }
      /^$/ { uris = "" }
      END { print found }' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n1)
  if [[ -z $uri ]]; then
    uri=$(awk -v suite="$suite" '$1 == "deb" && $0 !~ /\[/ && $3 == suite { print $2; exit }' \
      /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | head -n1)
  fi
  echo "${uri:-http://deb.debian.org/debian}"
}

mkdir -p -m 755 "$cache_root"
exec 9>"$cache_root/.rootfs.lock"
flock 9
# Another caller may have built it while this one waited.
if [[ -f $rootfs/etc/os-release ]]; then
  echo "$rootfs"
  exit 0
fi

work=$(mktemp -d "$cache_root/.rootfs-build.XXXXXX")
trap 'rm -rf --one-file-system "$work"' EXIT
started=$SECONDS
if ! debootstrap --variant=minbase --include="$(IFS=,; echo "${packages[*]}")" \
  "$suite" "$work/root" "$(mirror)" >"$work/debootstrap.log" 2>&1; then
  tail -n 40 "$work/debootstrap.log" >&2
  echo "rootfs.sh: debootstrap failed (log above)" >&2
  exit 1
fi
# No machine-id: systemd generates a fresh one on every boot of a copy.
rm -f "$work/root/etc/machine-id"
: >"$work/root/etc/machine-id"
# debootstrap's apt lists and downloaded packages are no use to the test.
rm -rf "$work/root/var/cache/apt/archives/"*.deb "$work/root/var/lib/apt/lists/"*
mv "$work/root" "$rootfs"
echo "rootfs.sh: built $rootfs in $((SECONDS - started)) s" >&2
echo "$rootfs"
