/**
 * The boot lock (hooks/systemd/boot-lock.sh, systemd-sysext.service's
 * ExecStartPre): the lock in the shell while the guard's last fit check still
 * describes the machine, the guard's own lock --fit in every other case. Run
 * for real in the testbed, where DBPath is a file system of its own (a tmpfs).
 * The booted stacks prove the same through systemd (test/system/scenarios.ts).
 */
import { expect, it } from 'vitest';
import { describeInTestbed, runInTestbed } from '../testbed/testbed.js';

/** The script as the drop-in runs it, handing over to a stand-in for the guard that says so. */
const BOOT = `boot() { sh "$PROJECT_ROOT/hooks/systemd/boot-lock.sh" /var/lib/pacman-guard/boot-lock -- sh -c 'echo "handed over: $*"' guard lock --wait=120 --fit | sed -n '$p'; }`;
/** What the lock is: the mounts at DBPath, whether pacman could write there, the guard's own lock. */
const STATE = `state() { echo "  $(awk '$5 == "/var/lib/pacman"' /proc/self/mountinfo | wc -l) mounts, $(touch /var/lib/pacman/.probe 2>/dev/null && rm /var/lib/pacman/.probe && echo writable || echo read-only), guard lock $(test -e /run/pacman-guard/lock.lock && echo held || echo free)"; }`;

describeInTestbed('the boot lock', () => {
  it("locks as guard lock does while nothing changed since the guard's last fit check, and hands over, changing nothing, otherwise", async () => {
    const result = await runInTestbed(`
      ${BOOT}
      ${STATE}
      mkdir -p /var/lib/extensions/e/usr/lib/extension-release.d; echo ID=_any >/var/lib/extensions/e/usr/lib/extension-release.d/extension-release.e
      echo "no token yet"; boot; state
      $GUARD fit >/dev/null; echo "after guard fit"; sed -n '1,5p' /var/lib/pacman-guard/boot-lock
      echo "nothing changed"; boot; state
      # The guard takes the shell's lock for its own.
      $GUARD status --json | node -e 'const s = JSON.parse(require("fs").readFileSync(0, "utf8")); console.log("  guard status: locked", s.lock.locked, "self-binds", s.lock.selfBinds)'
      $GUARD unlock; state
      # Each change the token stands for hands over; the guard's next check writes it again.
      case_() { echo "$1"; boot; state; $GUARD unlock >/dev/null 2>&1; }
      mkdir /var/lib/pacman/local/x-1-1 && rmdir /var/lib/pacman/local/x-1-1; case_ "the base's entries changed"
      $GUARD fit >/dev/null; echo "checked again"; boot; state; $GUARD unlock >/dev/null
      cp /etc/pacman.conf /run/conf && cat /run/conf >/etc/pacman.conf; case_ "pacman.conf written"; $GUARD fit >/dev/null
      mkdir /var/lib/extensions/new; case_ "an extension added to the store"; rmdir /var/lib/extensions/new; $GUARD fit >/dev/null
      sed -i '1s/ 1$/ 2/' /var/lib/pacman-guard/boot-lock; case_ "a token of another version"; $GUARD fit >/dev/null
      touch /var/lib/pacman-guard/update.json; case_ "an update recorded"; rm /var/lib/pacman-guard/update.json
      touch /var/lib/pacman/db.lck; case_ "a db.lck"; rm /var/lib/pacman/db.lck
      $GUARD lock >/dev/null; case_ "locked already"
      mkdir -p /run/pacman-guard/lock.lock; sleep 60 & holder=$!
      echo "$holder $(cut -d' ' -f22 /proc/$holder/stat)" >/run/pacman-guard/lock.owner
      echo "another guard holds the guard's lock"; boot; state
      kill $holder; rm -r /run/pacman-guard/lock.lock /run/pacman-guard/lock.owner
      echo "all back"; boot; state; $GUARD unlock >/dev/null
      # A mount(8) that binds and then fails to make the bind read-only: the bind is undone, the guard decides.
      mkdir -p /run/fake-bin; printf '#!/bin/sh\\n/usr/bin/mount --bind "$4" "$5"; exit 32\\n' >/run/fake-bin/mount; chmod +x /run/fake-bin/mount
      echo "the read-only bind fails halfway"; PATH=/run/fake-bin:$PATH boot; state
      # Merged, pacman's view on DBPath: a fit check then (guard fit) must not describe local/ as seen through the view.
      mkdir -p /var/lib/extensions/v/usr/lib/extension-release.d /var/lib/extensions/v/usr/lib/pacman-guard/local/v-1.0-1
      echo ID=_any >/var/lib/extensions/v/usr/lib/extension-release.d/extension-release.v
      printf '%%NAME%%\\nv\\n\\n%%VERSION%%\\n1.0-1\\n\\n%%ARCH%%\\nany\\n' >/var/lib/extensions/v/usr/lib/pacman-guard/local/v-1.0-1/desc
      printf '%%FILES%%\\n\\n' >/var/lib/extensions/v/usr/lib/pacman-guard/local/v-1.0-1/files
      $GUARD merge >/dev/null 2>&1; /usr/bin/pacman -Q v
      $GUARD fit >/dev/null; $GUARD unmerge >/dev/null
      echo "merged, fit checked through the view, unmerged"; boot; state`);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe([
      'no token yet', 'handed over: lock --wait=120 --fit', '  1 mounts, writable, guard lock free',
      'after guard fit', 'pacman-guard boot-lock 1', 'dbpath /var/lib/pacman', 'record /var/lib/pacman-guard/update.json', 'mounts 1', 'store /var/lib/extensions',
      'nothing changed', 'the base and the extensions are as when they were last checked: nothing to check (pacman-guard boot lock)', '  2 mounts, read-only, guard lock free',
      '  guard status: locked true self-binds 1',
      'unlocked: /var/lib/pacman', '  1 mounts, writable, guard lock free',
      "the base's entries changed", 'handed over: lock --wait=120 --fit', '  1 mounts, writable, guard lock free',
      'checked again', 'the base and the extensions are as when they were last checked: nothing to check (pacman-guard boot lock)', '  2 mounts, read-only, guard lock free',
      'pacman.conf written', 'handed over: lock --wait=120 --fit', '  1 mounts, writable, guard lock free',
      'an extension added to the store', 'handed over: lock --wait=120 --fit', '  1 mounts, writable, guard lock free',
      'a token of another version', 'handed over: lock --wait=120 --fit', '  1 mounts, writable, guard lock free',
      'an update recorded', 'handed over: lock --wait=120 --fit', '  1 mounts, writable, guard lock free',
      'a db.lck', 'handed over: lock --wait=120 --fit', '  1 mounts, writable, guard lock free',
      'locked already', 'handed over: lock --wait=120 --fit', '  2 mounts, read-only, guard lock free',
      "another guard holds the guard's lock", 'handed over: lock --wait=120 --fit', '  1 mounts, writable, guard lock held',
      'all back', 'the base and the extensions are as when they were last checked: nothing to check (pacman-guard boot lock)', '  2 mounts, read-only, guard lock free',
      'the read-only bind fails halfway', 'handed over: lock --wait=120 --fit', '  1 mounts, writable, guard lock free',
      'v 1.0-1',
      'merged, fit checked through the view, unmerged', 'the base and the extensions are as when they were last checked: nothing to check (pacman-guard boot lock)', '  2 mounts, read-only, guard lock free',
      '',
    ].join('\n'));
  }, 240_000);
});
