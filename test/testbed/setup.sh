# The namespace testbed. Sourced by bash INSIDE a private mount namespace
# (runInTestbed in namespace.ts runs `unshare --mount --propagation private
# --pid --fork --mount-proc bash -c ...`). It refuses to run in the host's
# mount namespace, and every mount it makes is either made there or lands on a
# tmpfs or overlay that exists only there.
#
# Needs:  TESTBED_FIXTURES  the directory fixtures.sh printed
#         TESTBED_HOST_MNT_NS  (optional) the host's `readlink /proc/self/ns/mnt`;
#                           without it the check compares with PID 1's namespace
# Mounts: tmpfs on /run; overlays with a tmpfs upper layer on /usr, /etc,
#         /var/lib, /var/cache (pacman writes into the first, the rest keep
#         new directories off the host); tmpfs on /var/lib/pacman,
#         /var/cache/pacman, /var/log, /opt, /var/lib/extensions,
#         /var/lib/pacman-guard; then / is made
#         rshared, as on a booted system (systemd-sysext needs it).
# Leaves: pacman.conf with the [guardtest] file:// repository, the sync
#         database fresh, guardtest-dep installed, nothing merged, database
#         writable. Exports TESTBED_REPO, TESTBED_PKGS, TESTBED_UPDATES (newer
#         versions, not in the repository) and TMPDIR (private).
# Gives:  testbed_merge_extension NAME [FILE], testbed_unmerge,
#         testbed_lock_db, testbed_unlock_db.

testbed_in_private_namespace() {
  local own host
  own=$(readlink /proc/self/ns/mnt) || return 1
  host=${TESTBED_HOST_MNT_NS:-$(readlink /proc/1/ns/mnt)} || return 1
  [[ -n $own && -n $host && $own != "$host" ]]
}
if ! testbed_in_private_namespace; then
  echo "testbed: refusing to set up in the host's mount namespace" >&2
  exit 99
fi
: "${TESTBED_FIXTURES:?testbed: TESTBED_FIXTURES is not set (run fixtures.sh)}"

testbed_overlay() { # DIR: a writable view of DIR whose changes vanish with the namespace
  local scratch
  scratch=$(mktemp -d /run/testbed/overlay.XXXXXX)
  mkdir "$scratch/upper" "$scratch/work"
  mount -t overlay overlay -o "lowerdir=$1,upperdir=$scratch/upper,workdir=$scratch/work" "$1"
}

testbed_tmpfs() { # DIR: an empty tmpfs on DIR; DIR must exist or lie under an overlay made above
  mkdir -p "$1"
  mount -t tmpfs -o mode=755 tmpfs "$1"
}

mount -t tmpfs -o mode=755 tmpfs /run
mkdir -p /run/testbed/tmp
chmod 1777 /run/testbed/tmp
export TMPDIR=/run/testbed/tmp

testbed_overlay /usr
testbed_overlay /etc
testbed_overlay /var/lib
testbed_overlay /var/cache
# /var/log and /opt are not under an overlay: mkdir there would write to the
# host, so they must already exist (they do on every Debian and Arch system).
for dir in /var/log /opt; do
  if [[ ! -d $dir ]]; then
    echo "testbed: $dir does not exist on this machine" >&2
    exit 1
  fi
done
# /var/lib/pacman-guard too: a test must never see what the host's guard keeps there.
for dir in /var/lib/pacman /var/cache/pacman /var/log /opt /var/lib/extensions /var/lib/pacman-guard; do
  testbed_tmpfs "$dir"
done
mkdir -p /var/lib/pacman/local /var/lib/pacman/sync /var/cache/pacman/pkg /etc/pacman.d/hooks /run/extensions
mount --make-rshared /

# Copies, so a body may add to or change the repository without touching the
# shared cache (and keep using it if it hides /tmp).
cp -r "$TESTBED_FIXTURES/repo" /run/testbed/repo
cp -r "$TESTBED_FIXTURES/packages" /run/testbed/packages
export TESTBED_REPO=/run/testbed/repo TESTBED_PKGS=/run/testbed/packages TESTBED_UPDATES=$TESTBED_FIXTURES/updates

# DBPath, CacheDir, LogFile, HookDir stay at pacman's compiled-in defaults
# (/var/lib/pacman/, /var/cache/pacman/pkg/, /var/log/pacman.log,
# /etc/pacman.d/hooks/), as in Arch's stock pacman.conf.
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

# NAME [FILE]: a system extension in /run/extensions/NAME carrying FILE (a
# path relative to its root; default usr/share/NAME/file), merged with any
# already there. The file reads "from extension NAME".
testbed_merge_extension() {
  local name=${1:?testbed_merge_extension NAME [FILE]} file=${2:-usr/share/$1/file}
  local root=/run/extensions/$name
  mkdir -p "$root/usr/lib/extension-release.d" "$root/$(dirname "$file")"
  echo 'ID=_any' >"$root/usr/lib/extension-release.d/extension-release.$name"
  echo "from extension $name" >"$root/$file"
  # refresh merges when nothing is merged and re-merges otherwise, so
  # extensions can be added one after another.
  systemd-sysext refresh >/dev/null
}

testbed_unmerge() { systemd-sysext unmerge >/dev/null; }

# The lock pacman-guard looks for: the database directory bound onto itself
# read-only. It binds the testbed's tmpfs, never the host's directory.
testbed_lock_db() {
  mount --bind /var/lib/pacman /var/lib/pacman
  mount -o remount,bind,ro /var/lib/pacman
}

# Removes the top self-bind only; the testbed's tmpfs underneath stays.
testbed_unlock_db() {
  if (($(awk '$5 == "/var/lib/pacman"' /proc/self/mountinfo | wc -l) < 2)); then
    echo "testbed_unlock_db: /var/lib/pacman is not locked" >&2
    return 1
  fi
  umount /var/lib/pacman
}

# A digest of pacman's real database: every file under /var/lib/pacman but
# db.lck, seen beneath pacman-guard's view of merged packages (unmounted in a
# child namespace only), so it shows what the view never writes.
testbed_real_db_digest() {
  unshare --mount --propagation private sh -c '
    while awk '\''$5 == "/var/lib/pacman"'\'' /proc/self/mountinfo | tail -n 1 | grep -q " overlay pacman-guard-view "; do
      umount /var/lib/pacman || exit 1
    done
    find /var/lib/pacman -path /var/lib/pacman/db.lck -prune -o -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum'
}
