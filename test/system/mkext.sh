#!/bin/bash
# Creates an extension in the system test's container (scenarios.ts):
#
#   usage: mkext [--confext] [--raw] NAME [ID]
#
# /var/lib/extensions/NAME (or /var/lib/confexts/NAME with --confext) for this
# OS (or for the os-release ID given), with a file share/NAME/hello and, for a
# sysext, its package's database entry as guard extend writes one, so pacman's
# view shows package NAME 1.0-1 while it is merged. With --raw it becomes a
# squashfs image /var/lib/extensions/NAME.raw instead of a directory.
set -euo pipefail
kind=sysext raw=
while [[ $1 == --* ]]; do
  case $1 in --confext) kind=confext ;; --raw) raw=1 ;; esac
  shift
done
name=$1
. /etc/os-release
id=${2:-$ID}
if [[ $kind == confext ]]; then
  tree=/var/lib/confexts/$name top=etc release=etc/extension-release.d/extension-release.$name
else
  tree=/var/lib/extensions/$name top=usr release=usr/lib/extension-release.d/extension-release.$name
fi
[[ -n $raw ]] && tree=/root/build/$name
mkdir -p "$tree/$(dirname "$release")" "$tree/$top/share/$name"
# sid's os-release has no VERSION_ID: the extension names none either.
{ echo "ID=$id"; if [[ -n ${VERSION_ID:-} ]]; then echo "VERSION_ID=$VERSION_ID"; fi; } >"$tree/$release"
echo hello >"$tree/$top/share/$name/hello"
if [[ $kind == sysext ]]; then
  entry=$tree/usr/lib/pacman-guard/local/$name-1.0-1
  mkdir -p "$entry"
  printf '%%NAME%%\n%s\n\n%%VERSION%%\n1.0-1\n\n%%VALIDATION%%\nnone\n\n' "$name" >"$entry/desc"
  printf '%%FILES%%\nusr/\nusr/share/\nusr/share/%s/\nusr/share/%s/hello\n\n' "$name" "$name" >"$entry/files"
fi
if [[ -n $raw ]]; then
  # Loop device nodes for systemd-sysext to attach the image to: the
  # container's /dev has only loop-control (boot.sh).
  for i in $(seq 0 63); do [[ -e /dev/loop$i ]] || mknod -m 600 "/dev/loop$i" b 7 "$i"; done
  mkdir -p /var/lib/extensions
  mksquashfs "$tree" "/var/lib/extensions/$name.raw" -quiet -no-progress -noappend -all-root
  rm -rf "$tree"
fi
