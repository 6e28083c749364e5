#!/bin/sh
# pacman-guard's boot lock: systemd-sysext.service's ExecStartPre, without a
# node start when nothing needs judging (docs/stacks.md, the boot cost).
#
#   boot-lock.sh TOKEN -- COMMAND...
#
# Locks pacman's database as `guard lock` does (DBPath bind-mounted onto
# itself, remounted read-only with the per-mount flags it had) when TOKEN says
# what `guard lock --fit` would find: the guard writes TOKEN (src/fit/
# boot-token.ts) each time it found every extension it built fitting the
# base, with DBPath, the update record's path, and the identity (device,
# inode, ctime in ns, as stat(1) prints them) of pacman.conf and what it
# includes, DBPath's local/, each entry of the extension store (whose listing
# must be the same) and each built extension's provenance. ctime cannot be set back: the same identities mean the same
# base, extensions and configuration as at that check.
#
# Anything else hands over to COMMAND (the guard, which decides, waits and
# refuses as it always did): no TOKEN or one of another version, an identity
# that differs, a guard update recorded (it refuses, naming --finish), a
# db.lck (a transaction, or a stale lock file), a mount on DBPath besides
# those TOKEN counts (the file system DBPath may be; a lock or view already),
# another guard holding the guard's own lock, or any step that fails. No half lock is left: a step that fails after the bind undoes it.
#
# The guard's own lock (src/lock/serialize.ts) is held while mounting: the
# directory /run/pacman-guard/lock.lock (mkdir is atomic) named by PID and
# start time, as a guard names it, so a guard that finds it abandoned takes
# it over.
set -u
set -f
token=${1:?usage: boot-lock.sh TOKEN -- COMMAND...}
shift
[ "${1-}" = -- ] && shift
[ $# -gt 0 ] || { echo 'boot-lock.sh: no command to hand over to' >&2; exit 2; }

run_dir=/run/pacman-guard
lock_dir=$run_dir/lock.lock
owner=$run_dir/lock.owner

# Reads TOKEN into db, record, others (mounts at DBPath not the guard's), store, recorded (its entries), paths and expected; fails on anything unexpected.
read_token() {
  [ -f "$token" ] && [ -r "$token" ] || return 1
  n=0
  db=
  record=
  store=
  paths=
  recorded=
  expected=
  while IFS= read -r line; do
    n=$((n + 1))
    case $n in
      1) [ "$line" = 'pacman-guard boot-lock 1' ] || return 1 ;;
      2) db=${line#dbpath } && [ "$db" != "$line" ] || return 1 ;;
      3) record=${line#record } && [ "$record" != "$line" ] || return 1 ;;
      4)
        others=${line#mounts }
        case $others in '' | *[!0-9]*) return 1 ;; esac
        ;;
      5) store=${line#store } && [ "$store" != "$line" ] || return 1 ;;
      *)
        path=${line%% *}
        paths="$paths $path"
        expected=${expected:+$expected
}$line
        # The store's own entries, as the shell's glob lists them below.
        case $path in
          "$store"/*/*) ;;
          "$store"/*) recorded="$recorded $path" ;;
        esac
        ;;
    esac
  done <"$token" || return 1
  [ -n "$db" ] && [ -n "$record" ] && [ -n "$store" ] && [ -n "$paths" ]
}

# Whether the store's entries now (no name starting with '.') are the ones the
# guard listed: the same names, as many (in any order: a glob sorts by locale).
same_store_entries() {
  seen=0
  set +f
  for entry in "$store"/*; do
    [ -e "$entry" ] || [ -L "$entry" ] || continue
    case "$recorded " in
      *" $entry "*) seen=$((seen + 1)) ;;
      *) set -f; return 1 ;;
    esac
  done
  set -f
  # shellcheck disable=SC2086 # counting words on purpose
  set -- $recorded
  [ "$seen" -eq $# ]
}

# From one read of the mount table: count, how many mounts are at $1; and
# source, the per-mount options (mountinfo's sixth field) of what a bind of $1
# copies: the topmost mount at $1, else the one $1 lies in (the longest mount
# point above it, its topmost mount).
mounts_at() {
  count=0
  top=
  source=
  longest=-1
  while read -r _id _parent _device _root point options _rest; do
    if [ "$point" = "$1" ]; then
      count=$((count + 1))
      top=$options
      continue
    fi
    case $1 in
      "$point"/*) ;;
      *) [ "$point" = / ] || continue ;;
    esac
    if [ "${#point}" -ge "$longest" ]; then
      longest=${#point}
      source=$options
    fi
  done </proc/self/mountinfo
  [ "$count" -eq 0 ] || source=$top
}

# The flags a read-only bind must repeat (src/system/mount.ts, KEPT_FLAGS), as ",a,b".
kept_flags() {
  kept=
  old_ifs=$IFS
  IFS=,
  for option in $1; do
    case $option in
      nosuid | nodev | noexec | noatime | nodiratime | relatime | strictatime) kept="$kept,$option" ;;
    esac
  done
  IFS=$old_ifs
}

# Whether nothing needs judging: the state TOKEN describes, unchanged (the
# mounts at DBPath are checked under the guard's lock, in lock).
unchanged() {
  read_token || return 1
  [ ! -e "$record" ] || return 1
  [ ! -e "$db/db.lck" ] || return 1
  # shellcheck disable=SC2086 # paths hold no white space (the guard writes none) and globbing is off
  actual=$(LC_ALL=C stat -c '%n %d %i %.9Z' -- $paths 2>/dev/null) || return 1
  [ "$actual" = "$expected" ] || return 1
  same_store_entries
}

# The lock itself, under the guard's own lock: only over the mounts that are
# not the guard's (no lock, no view of pacman's on DBPath yet); one mount(8)
# call binds and makes the bind read-only (util-linux >= 2.27), with the
# flags the bind copies. Undone on any failure after the bind.
lock() {
  mounts_at "$db"
  [ "$count" -eq "$others" ] && [ ! -e "$db/db.lck" ] || return 1
  kept_flags "$source"
  if ! mount --bind -o "ro$kept" "$db" "$db"; then
    # util-linux binds, then remounts read-only: a failed remount leaves a writable bind to undo.
    mounts_at "$db"
    [ "$count" -le "$others" ] || umount "$db"
    return 1
  fi
  mounts_at "$db"
  # pacman may have taken db.lck between the check and the mount: never a lock under a transaction.
  case ",$top," in
    *,ro,*) [ "$count" -eq $((others + 1)) ] && [ ! -e "$db/db.lck" ] && return 0 ;;
  esac
  umount "$db"
  return 1
}

# This process's start time, /proc/PID/stat's field 22 (comm, field 2, may hold spaces and parentheses).
start_time() {
  IFS= read -r stat_line </proc/$$/stat || return 1
  # shellcheck disable=SC2086 # split on purpose: the fields after comm, state being the first
  set -- ${stat_line##*) }
  [ $# -ge 20 ] || return 1
  eval "start=\${20}"
}

if unchanged && { [ -d "$run_dir" ] || mkdir -p "$run_dir"; } && mkdir "$lock_dir" 2>/dev/null; then
  # Named as a guard names itself, so that one finding this process gone takes the lock over.
  start_time && printf '%s %s\n' "$$" "$start" >"$owner"
  locked=1
  lock || locked=0
  rm -rf "$owner" "$lock_dir"
  if [ "$locked" -eq 1 ]; then
    echo "locked: $db"
    echo 'the base and the extensions are as when they were last checked: nothing to check (pacman-guard boot lock)'
    exit 0
  fi
fi
exec "$@"
