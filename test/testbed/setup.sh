# The namespace testbed. Sourced by bash INSIDE `unshare -m --propagation private`
# (see testbed.ts): it refuses to run in the host's mount namespace, and every
# mount it makes lands on a tmpfs or an overlay that exists only in here.
#
# Needs: TESTBED_FIXTURES (from fixtures.sh).
# Overlays with a tmpfs upper layer: /usr, /etc, /var/lib; tmpfs: /run,
# /var/lib/pacman, /var/cache/pacman, /var/log, /opt, /var/lib/extensions.
# Leaves: pacman configured with the [guardtest] file:// repository, its
# sync database fresh, guardtest-dep installed; nothing merged, DB unlocked.

if [[ $(readlink /proc/self/ns/mnt) == "$(readlink /proc/1/ns/mnt)" ]]; then
  echo "testbed: refusing to set up in the host's mount namespace" >&2
  exit 99
fi
: "${TESTBED_FIXTURES:?testbed: TESTBED_FIXTURES is not set}"
export TESTBED_REPO=$TESTBED_FIXTURES/repo

testbed_overlay() { # DIR: writable view of DIR whose changes vanish with the namespace
  local scratch
  scratch=$(mktemp -d /run/testbed-overlay.XXXXXX)
  mkdir -p "$scratch/upper" "$scratch/work"
  mount -t overlay overlay -o "lowerdir=$1,upperdir=$scratch/upper,workdir=$scratch/work" "$1"
}

mount -t tmpfs -o mode=755 tmpfs /run
# pacman installs into /usr: give it a throw-away upper layer, so the host's
# /usr never changes (systemd-sysext stacks its overlay on top of this one).
testbed_overlay /usr
testbed_overlay /etc
testbed_overlay /var/lib            # so /var/lib/extensions can exist without touching the host
for dir in /var/lib/pacman /var/cache/pacman /var/log /opt /var/lib/extensions; do
  mkdir -p "$dir"
  mount -t tmpfs -o mode=755 tmpfs "$dir"
done
mkdir -p /var/lib/pacman/local /var/cache/pacman/pkg /etc/pacman.d/hooks /run/extensions
# systemd-sysext merges with shared propagation; inside this namespace only.
mount --make-rshared /

cat >/etc/pacman.conf <<CONF
[options]
Architecture = auto
SigLevel = Never
LocalFileSigLevel = Never
CheckSpace

[guardtest]
Server = file://$TESTBED_REPO
CONF

pacman -Sy --noconfirm >/dev/null
pacman -S --noconfirm guardtest-dep >/dev/null

testbed_merge_extension() { # NAME [RELATIVE_FILE]: a sysext carrying usr/share/NAME/file (or the given file)
  local name=$1 file=${2:-usr/share/$1/file} root=/run/extensions/$1
  mkdir -p "$root/usr/lib/extension-release.d" "$root/$(dirname "$file")"
  echo 'ID=_any' >"$root/usr/lib/extension-release.d/extension-release.$name"
  echo "from extension $name" >"$root/$file"
  systemd-sysext merge >/dev/null
}
testbed_unmerge() { systemd-sysext unmerge >/dev/null; }
testbed_lock_db() {
  mount --bind /var/lib/pacman /var/lib/pacman
  mount -o remount,bind,ro /var/lib/pacman
}
testbed_unlock_db() { umount /var/lib/pacman; }
