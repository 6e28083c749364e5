#!/bin/bash
# The sandbox: see pacman-guard work on any Linux machine with util-linux,
# systemd (systemd-sysext) and Debian's or Arch's pacman, without touching the
# host. It builds the testbed (a private mount namespace: a sample extension
# merged over /usr, pacman's database locked, the shim first on PATH) and runs
# a scripted demo, or with --shell opens a shell in there.
#
# usage: sudo npm run sandbox [-- --shell]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
if [[ $EUID -ne 0 ]]; then
  echo "error: the sandbox needs root for its private mount namespace; run: sudo npm run sandbox" >&2
  exit 2
fi
case ${1:-} in
  ''|--shell) ;;
  *) echo "error: unknown option '$1' (usage: npm run sandbox [-- --shell])" >&2; exit 2 ;;
esac
[[ -f $root/dist/cli/main.js ]] || { echo "error: dist/ is missing; run: npm ci && npm run build" >&2; exit 2; }
fixtures=$(bash "$root/test/testbed/fixtures.sh")
exec unshare --mount --propagation private --pid --fork --kill-child --mount-proc \
  env TESTBED_FIXTURES="$fixtures" TESTBED_HOST_MNT_NS="$(readlink /proc/self/ns/mnt)" PROJECT_ROOT="$root" \
  bash "$root/test/testbed/sandbox-inside.sh" "${1:-}"
