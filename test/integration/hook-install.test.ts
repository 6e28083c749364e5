/**
 * `guard install` into the testbed, and the libalpm hook as the backstop for
 * pacman run by absolute path: real transactions, real merges.
 */
import { expect, it } from 'vitest';
import { describeInTestbed, runInTestbed } from '../testbed/testbed.js';
import { UNIT_STEPS } from '../testbed/unit-steps.js';

const INSTALL = '$GUARD install --bindir /run/guard-bin --hookdir /etc/pacman.d/hooks --unitdir /run/units --manifest /run/guard-installed.json';

describeInTestbed('guard install and the libalpm hook', () => {
  it('installs the shim and the hook, idempotently, and uninstall removes exactly them', async () => {
    const result = await runInTestbed(`
      ${INSTALL}; echo "install $?"
      ${INSTALL}; echo "again $?"
      grep -c "^Exec = $(command -v node) $PROJECT_ROOT/dist/cli/main.js hook$" /etc/pacman.d/hooks/00-pacman-guard.hook
      touch /etc/pacman.d/hooks/unrelated.hook
      $GUARD uninstall --manifest /run/guard-installed.json; echo "uninstall $?"
      ls /run/guard-bin /etc/pacman.d/hooks`);
    expect(result.stdout).toBe([
      'installed  /run/guard-bin/pacman',
      'installed  /run/guard-bin/yay',
      'installed  /run/guard-bin/paru',
      'installed  /etc/pacman.d/hooks/00-pacman-guard.hook',
      'installed  /run/units/systemd-sysext.service.d/pacman-guard.conf',
      'installed  /run/units/systemd-confext.service.d/pacman-guard.conf',
      'installed  /run/units/systemd-sysext@.service.d/pacman-guard.conf',
      'installed  /run/units/systemd-confext@.service.d/pacman-guard.conf',
      'installed  /run/units/systemd-sysupdate-notify-sysext@.service.d/pacman-guard.conf',
      'installed  /run/units/pacman-guard-settle.service',
      'installed  /run/units/pacman-guard-metrics.service',
      'installed  /run/units/pacman-guard-metrics.timer',
      ':: systemd reads the drop-in and the units after: systemctl daemon-reload',
      'install 0',
      'unchanged  /run/guard-bin/pacman',
      'unchanged  /run/guard-bin/yay',
      'unchanged  /run/guard-bin/paru',
      'unchanged  /etc/pacman.d/hooks/00-pacman-guard.hook',
      'unchanged  /run/units/systemd-sysext.service.d/pacman-guard.conf',
      'unchanged  /run/units/systemd-confext.service.d/pacman-guard.conf',
      'unchanged  /run/units/systemd-sysext@.service.d/pacman-guard.conf',
      'unchanged  /run/units/systemd-confext@.service.d/pacman-guard.conf',
      'unchanged  /run/units/systemd-sysupdate-notify-sysext@.service.d/pacman-guard.conf',
      'unchanged  /run/units/pacman-guard-settle.service',
      'unchanged  /run/units/pacman-guard-metrics.service',
      'unchanged  /run/units/pacman-guard-metrics.timer',
      'again 0',
      '1',
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
      '/etc/pacman.d/hooks:',
      'unrelated.hook',
      '',
      '/run/guard-bin:',
      '',
    ].join('\n'));
  });

  it('never overwrites a file it did not install, and keeps one changed since', async () => {
    const result = await runInTestbed(`
      mkdir -p /run/guard-bin; echo mine >/run/guard-bin/pacman
      ${INSTALL}; echo "install $?"; cat /run/guard-bin/pacman
      rm /run/guard-bin/pacman; ${INSTALL} >/dev/null
      echo '# local change' >>/etc/pacman.d/hooks/00-pacman-guard.hook
      $GUARD uninstall --manifest /run/guard-installed.json; echo "uninstall $?"
      test -e /etc/pacman.d/hooks/00-pacman-guard.hook && echo kept`);
    expect(result.stdout).toContain('install 1\nmine\n');
    expect(result.stderr).toContain('error: /run/guard-bin/pacman exists and was not installed by pacman-guard');
    expect(result.stdout).toContain('uninstall 1\nkept\n');
    expect(result.stderr).toContain('warning: /etc/pacman.d/hooks/00-pacman-guard.hook was changed since it was installed; kept');
  });

  it('the installed shim refuses on PATH, as sudo would find it', async () => {
    const result = await runInTestbed(`
      ${INSTALL} >/dev/null
      PATH=/run/guard-bin:/usr/bin:/bin pacman -S --noconfirm guardtest-extra; echo "status $?"`, { merged: true, locked: true });
    expect(result.stdout).toBe('status 3\n');
    expect(result.stderr).toContain("error: refusing 'pacman -S --noconfirm guardtest-extra'");
  });

  it('aborts /usr/bin/pacman -R while extensions are merged but the database is unlocked: nothing changes', async () => {
    const result = await runInTestbed(`
      ${INSTALL} >/dev/null
      ls -R /var/lib/pacman/local >/run/before
      /usr/bin/pacman -R --noconfirm guardtest-dep >/run/pacman.out 2>&1; echo "status $?"
      ls -R /var/lib/pacman/local | cmp -s /run/before - && echo "database unchanged"
      test -e /usr/share/guardtest-dep/data && echo "files still there"
      grep -c 'transaction aborted by the hook' /var/log/pacman.log
      cat /run/pacman.out >&2`, { merged: true });
    expect(result.stdout).toBe('status 1\ndatabase unchanged\nfiles still there\n1\n');
    // pacman relays a hook's output itself.
    expect(result.stderr).toContain('error: pacman-guard: aborting the transaction: system extensions are merged on /usr (sample)');
    expect(result.stderr).toContain('failed to commit transaction (failed to run transaction hooks)');
  });

  it("keeps the lock in step with systemd-sysext.service: the drop-in's commands around start and stop", async () => {
    // No systemd runs in the testbed: play the unit's Exec lines in systemd's order.
    const result = await runInTestbed(`
      ${INSTALL} >/dev/null
      # Each of the unit's KEY= lines in order, as systemd runs them: a failure stops the rest, unless the line starts with '-'.
      ${UNIT_STEPS}
      unit() { unit_step "$@"; }
      summary() { $GUARD status >/dev/null 2>&1; echo "status $?"; }
      mkdir -p /run/extensions/e/usr/lib/extension-release.d; echo ID=_any >/run/extensions/e/usr/lib/extension-release.d/extension-release.e
      unit ExecStartPre >/dev/null; summary
      systemd-sysext refresh >/dev/null 2>&1; unit ExecStartPost >/dev/null; summary
      systemd-sysext unmerge >/dev/null 2>&1; unit ExecStopPost >/dev/null; summary
      rm -r /run/extensions/e
      unit ExecStartPre >/dev/null; systemd-sysext refresh >/dev/null 2>&1; unit ExecStartPost >/dev/null; summary`);
    // locked before the merge (3), merged and locked (3), all undone (0); nothing to merge: unlocked (0).
    expect(result.stdout).toBe('status 3\nstatus 3\nstatus 0\nstatus 0\n');
  });

  it('lets transactions through once the extensions are unmerged', async () => {
    const result = await runInTestbed(`
      ${INSTALL} >/dev/null
      testbed_merge_extension sample >/dev/null 2>&1; testbed_unmerge >/dev/null 2>&1
      /usr/bin/pacman -S --noconfirm guardtest-extra >/dev/null; echo "status $?"
      cat /usr/share/guardtest-extra/file`);
    expect(result.stdout).toBe('status 0\nguardtest-extra file\n');
  });
});
