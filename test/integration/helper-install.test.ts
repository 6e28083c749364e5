/**
 * `guard install` puts the yay and paru shims next to the pacman shim, and
 * the installed copies work from there: recorders stand in for the real
 * helpers (they append their argv to /run/helpers/calls).
 */
import { expect, it } from 'vitest';
import { describeInTestbed, runInTestbed } from '../testbed/testbed.js';

const MANIFEST = '/run/guard-installed.json';
const INSTALL = `$GUARD install --bindir /run/guard-bin --hookdir /etc/pacman.d/hooks --unitdir /run/units --manifest ${MANIFEST}`;
const RECORDERS = `
  mkdir -p /run/helpers
  for helper in yay paru; do
    printf '#!/bin/sh\\necho "ran \${0##*/} $*" >>/run/helpers/calls\\n' >/run/helpers/$helper
    chmod +x /run/helpers/$helper
  done
  calls() { cat /run/helpers/calls 2>/dev/null; : >/run/helpers/calls; }`;

describeInTestbed('guard install: the yay and paru shims', () => {
  it('installs both next to the pacman shim, rendered for this guard; they run the helper, refuse -S when merged; uninstall removes them', async () => {
    const result = await runInTestbed(`${RECORDERS}
      ${INSTALL} --real-paru /run/helpers/paru >/dev/null; echo "install $?"
      stat -c '%a %n' /run/guard-bin/yay /run/guard-bin/paru
      grep -c -e "^node='$(command -v node)'$" -e "^guard_main='$PROJECT_ROOT/dist/cli/main.js'$" /run/guard-bin/yay
      export PATH=/run/guard-bin:$PATH
      PACMAN_GUARD_REAL_YAY=/run/helpers/yay yay -S guardtest; echo "disengaged yay -S $?"
      paru -S guardtest; echo "disengaged paru -S $?"
      calls
      testbed_merge_extension sample >/dev/null 2>&1
      PACMAN_GUARD_REAL_YAY=/run/helpers/yay yay -S guardtest; echo "merged yay -S $?"
      PACMAN_GUARD_REAL_YAY=/run/helpers/yay yay -Ss guard; echo "merged yay -Ss $?"
      paru -S guardtest; echo "merged paru -S $?"
      calls
      $GUARD uninstall --manifest ${MANIFEST}; echo "uninstall $?"
      ls -A /run/guard-bin`);
    expect(result.stdout, result.stderr).toBe([
      'install 0',
      '755 /run/guard-bin/yay',
      '755 /run/guard-bin/paru',
      '2',
      'disengaged yay -S 0',
      'disengaged paru -S 0',
      'ran yay -S guardtest',
      'ran paru -S guardtest',
      'merged yay -S 3',
      'merged yay -Ss 0',
      'merged paru -S 3',
      'ran yay -Ss guard',
      'removed    /run/guard-bin/pacman',
      'removed    /run/guard-bin/yay',
      'removed    /run/guard-bin/paru',
      'removed    /etc/pacman.d/hooks/00-pacman-guard.hook',
      'removed    /run/units/systemd-sysext.service.d/pacman-guard.conf',
      'removed    /run/units/systemd-confext.service.d/pacman-guard.conf',
      'removed    /run/units/systemd-sysext@.service.d/pacman-guard.conf',
      'removed    /run/units/systemd-confext@.service.d/pacman-guard.conf',
      'removed    /run/units/systemd-sysupdate-notify-sysext@.service.d/pacman-guard.conf',
      'removed    /run/units/pacman-guard-settle.service',
      'removed    /run/units/pacman-guard-metrics.service',
      'removed    /run/units/pacman-guard-metrics.timer',
      'uninstall 0',
      '',
    ].join('\n'));
    expect(result.stderr).toContain("error: refusing 'yay -S guardtest' (installing packages): system extensions are merged");
    expect(result.stderr).toContain("error: refusing 'paru -S guardtest' (installing packages): system extensions are merged");
  });

  it('an installed shim without its helper fails as a missing command: 127, before anything else', async () => {
    const result = await runInTestbed(`
      ${INSTALL} --helpers yay --real-yay /run/no-such/yay >/dev/null; echo "install $?"
      ls /run/guard-bin
      /run/guard-bin/yay -S guardtest 2>/run/err; echo "yay $?"
      PACMAN_GUARD_REAL_YAY=/run/also-missing /run/guard-bin/yay -Ss guard 2>>/run/err; echo "overridden $?"
      cat /run/err`, { merged: true });
    expect(result.stdout, result.stderr).toBe([
      'install 0',
      'pacman',
      'yay',
      'yay 127',
      'overridden 127',
      'error: yay is not installed: /run/no-such/yay is not an executable file',
      '  install yay, or set PACMAN_GUARD_REAL_YAY to the real yay (this yay is the pacman-guard shim)',
      'error: yay is not installed: /run/also-missing is not an executable file',
      '  install yay, or set PACMAN_GUARD_REAL_YAY to the real yay (this yay is the pacman-guard shim)',
      '',
    ].join('\n'));
  });

  it('refuses an unknown helper name without touching anything', async () => {
    const result = await runInTestbed(`
      ${INSTALL} --helpers yay,pikaur; echo "install $?"
      test -e /run/guard-bin || test -e ${MANIFEST} || echo "nothing written"`);
    expect(result.stdout).toBe('install 2\nnothing written\n');
    expect(result.stderr).toContain("error: --helpers: unknown helper 'pikaur' (known: yay, paru; or none)");
  });
});
