import { expect, it } from 'vitest';
import { describeInTestbed, runInTestbed } from '../testbed/testbed.js';

const SETUP = `
  $GUARD install --bindir /run/guard-bin --hookdir /etc/pacman.d/hooks --unitdir /run/units --manifest /run/m.json >/dev/null
  mkdir -p /etc/sudoers.d; echo 'Defaults secure_path="/run/guard-bin:/usr/bin"' >/etc/sudoers.d/guard
  # /usr an image (read-only by mount), then the extension merged over it and the database locked.
  mount --bind /usr /usr && mount -o remount,bind,ro /usr
  testbed_merge_extension sample >/dev/null 2>&1
  testbed_lock_db
  export PATH=/run/guard-bin:$PATH`;
const DOCTOR = `$GUARD doctor --unitdir /run/units --json | node -e 'const d = JSON.parse(require("fs").readFileSync(0, "utf8")); for (const f of d.findings) if (!f.ok) console.log(f.check)'; $GUARD doctor --unitdir /run/units >/dev/null 2>&1; echo "exit $?"`;

describeInTestbed('guard doctor', () => {
  it('passes a complete setup: merged and locked, shim first on PATH and in secure_path, hook, drop-in, /usr read-only', async () => {
    const result = await runInTestbed(`${SETUP}\n${DOCTOR}`);
    expect(result.stdout).toBe('exit 0\n');
  });

  it('finds a real yay ahead of the yay shim on PATH', async () => {
    const result = await runInTestbed(`${SETUP}
      mkdir -p /run/real-bin; printf '#!/bin/sh\\n' >/run/real-bin/yay; chmod +x /run/real-bin/yay
      export PATH=/run/real-bin:$PATH
      ${DOCTOR}
      $GUARD doctor --unitdir /run/units 2>&1 | grep -A1 -e '^warning: yay on PATH' ; $GUARD doctor --unitdir /run/units 2>&1 | grep -e 'paru on PATH'`);
    expect(result.stdout, result.stderr).toBe([
      'yay-shim-on-path',
      'exit 5',
      'warning: yay on PATH is /run/real-bin/yay, not the shim',
      "  fix: put the shims' directory before /run/real-bin on PATH (where none is installed: guard install --bindir /etc/pacman-guard/bin --hookdir /etc/pacman.d/hooks)",
      '  ok    paru on PATH is the shim (/run/guard-bin/paru)',
      '',
    ].join('\n'));
  });

  it('finds what is wrong, each with its fix', async () => {
    const result = await runInTestbed(`
      $GUARD install --bindir /run/guard-bin --hookdir /usr/share/libalpm/hooks --unitdir /run/units --manifest /run/m.json >/dev/null
      testbed_merge_extension sample >/dev/null 2>&1
      ln -s /dev/null /etc/pacman.d/hooks/00-pacman-guard.hook
      rm /run/units/systemd-sysext.service.d/pacman-guard.conf
      printf '[options]\\nPolicy = sometimes\\n' >/etc/pacman-guard.conf
      export PATH=/usr/bin:/bin
      ${DOCTOR}
      $GUARD doctor --unitdir /run/units 2>&1 | grep -c '  fix: '`);
    // /usr underneath the merged extension is the testbed's writable overlay: not an image.
    expect(result.stdout).toBe(['usr-read-only', 'merged-and-locked', 'shim-on-path', 'shim-in-sudo-secure-path', 'hook-not-masked', 'units-enabled', 'config-valid', 'exit 5', '7', ''].join('\n'));
  });
});
