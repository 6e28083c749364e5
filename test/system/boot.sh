#!/bin/bash
# Boots a cached root file system (rootfs.sh) with systemd as PID 1 in
# systemd-nspawn, for the system test.
#
#   usage: boot.sh NAME ROOTFS STATE PROJECT_ROOT NODE
#
# NAME          the machine's name and its cgroup's (unique per container)
# ROOTFS        the cached root (rootfs.sh): never written to
# STATE         a directory of this container's own: STATE/upper holds what the
#               container changed, so a second boot with the same STATE (a
#               reboot) finds the first one's changes
# PROJECT_ROOT  the checkout, bind-mounted read-only at /srv/pacman-guard
# NODE          this machine's node, bind-mounted read-only at /srv/node/node,
#               or - when the root's own node runs guard (trixie, sid)
# STATE/share is bind-mounted read-write at /srv/share, and STATE/mutable at
# /var/lib/extensions.mutable: systemd-sysext's mutable modes put an overlay's
# upper layer there, which cannot be on the container's root (an overlay).
# systemd >= 258 needs SYSTEMD_NSPAWN_UNIFIED_HIERARCHY=1 in the environment
# under nspawn 252 (container.ts sets it).
#
# Runs as root and exits with systemd-nspawn's status (133 when the container
# rebooted). The host's mounts are not changed: the overlay that is the
# container's root is mounted in a private mount namespace (unshare -m) that
# ends with nspawn, and /usr, /etc and /var/lib/pacman in the container are the
# container's own.
set -euo pipefail

name=$1 rootfs=$2 state=$3 project=$4 node=$5

# The container's systemd manages cgroups below the one it starts in. Each
# container gets its own, or parallel containers would share one. With
# --keep-unit and no systemd on the host, nspawn stays in the cgroup of the
# process that starts it: move this shell there first, for every hierarchy
# systemd uses (v1 name=systemd and the unified v2 one, or v2 alone).
for hierarchy in /sys/fs/cgroup/systemd /sys/fs/cgroup/unified; do
  [[ -d $hierarchy ]] || continue
  mkdir -p "$hierarchy/$name"
  echo $$ >"$hierarchy/$name/cgroup.procs"
done
if [[ ! -d /sys/fs/cgroup/systemd && ! -d /sys/fs/cgroup/unified ]]; then
  mkdir -p "/sys/fs/cgroup/$name"
  echo $$ >"/sys/fs/cgroup/$name/cgroup.procs"
fi

mkdir -p "$state/upper" "$state/work" "$state/root" "$state/share" "$state/mutable"
# Raw extension images (NAME.raw) need loop devices, and the container's /dev
# has none: the host's loop-control is bound in (nspawn sets no device policy
# here: there is no systemd on the host to apply one), and mkext.sh makes the
# loop device nodes inside. Binding the host's /dev/loopN nodes instead does
# not work: systemd-sysext removes the loop devices it allocated when it is
# done with them (LOOP_CTL_REMOVE), so they come and go on the host.
loop_binds=
if [[ -c /dev/loop-control ]]; then loop_binds=--bind=/dev/loop-control; fi
node_bind=
if [[ $node != - ]]; then node_bind="--bind-ro=$node:/srv/node/node"; fi
export rootfs state project node_bind loop_binds name
exec unshare --mount --propagation private bash -euo pipefail -c '
  mount -t overlay overlay -o "lowerdir=$rootfs,upperdir=$state/upper,workdir=$state/work" "$state/root"
  # --register=no --keep-unit: no machined, and no scope of its own (there is
  #   no systemd on the host to make one).
  # --private-network: the test needs no network; nothing leaks out.
  # --link-journal=no: the container keeps its journal; the host is not involved.
  # --console=read-only: the console is kept for diagnosis only; results are
  #   read with nsenter, never from it.
  exec systemd-nspawn --quiet --boot --register=no --keep-unit --machine="$name" \
    --directory="$state/root" --private-network --link-journal=no --resolv-conf=off --timezone=off \
    --console=read-only \
    --bind-ro="$project:/srv/pacman-guard" ${node_bind:+"$node_bind"} --bind="$state/share:/srv/share" \
    --bind="$state/mutable:/var/lib/extensions.mutable" $loop_binds
'
