/**
 * The fit at every merge, in the namespace testbed with real pacman, makepkg
 * and systemd-sysext: an extension built over guardtest-lib 1.0 that needs
 * guardtest-lib<2.0 (guardtest-old), the base changed to guardtest-lib 2.0
 * the way guard update's window changes it (extensions unmerged, the database
 * unlocked, the real pacman) by an update whose guard then died. guard merge,
 * guard refresh, guard settle after a plain systemd-sysext refresh, and the
 * drop-in's steps at boot each hold it, unmerged, with the reason; the
 * fitting extension stays merged; pacman -Dk finds nothing.
 */
import { expect, it } from 'vitest';
import { describeInTestbed, runInTestbed } from '../testbed/testbed.js';
import { UNIT_STEPS } from '../testbed/unit-steps.js';

const INSTALL = '$GUARD install --bindir /run/guard-bin --hookdir /etc/pacman.d/hooks --unitdir /run/units --manifest /run/guard-installed.json >/dev/null';
const MERGED = 'echo "merged: $(sort /usr/.systemd-sysext/extensions 2>/dev/null | tr "\\n" " ")"';
const HELD = 'echo "held: $(ls /var/lib/extensions/.pacman-guard-held 2>/dev/null | tr "\\n" " ")"';
/** pacman's own check of the database it sees (the base and the merged extensions' packages). */
const DK = '/usr/bin/pacman -Dk >/dev/null 2>/run/testbed/dk.err; echo "pacman -Dk $?"; cat /run/testbed/dk.err';
/** Puts the held copy back in the store, as a user might by hand: the next merge must hold it again. */
const UNHOLD = 'mv /var/lib/extensions/.pacman-guard-held/guardtest-old /var/lib/extensions/ && rm /var/lib/extensions/.pacman-guard-held/guardtest-old.reason';
/** systemd's order for the drop-in's lines: a failure stops the rest, unless the line starts with '-'. */
/** systemd's order for the drop-in's lines (test/testbed/unit-steps.ts), and the settle unit after the start. */
const UNIT = `${UNIT_STEPS}
unit() { unit_step "$@"; }`;
const WARNINGS = "grep '^warning: extension' | sort";

describeInTestbed('the fit at every merge', () => {
  it('guard merge, refresh, settle and the boot steps hold an extension the changed base no longer fits, and merge the rest', async () => {
    const result = await runInTestbed(`
      ${INSTALL}
      ${UNIT}
      /usr/bin/pacman -S --noconfirm guardtest-lib >/dev/null
      $GUARD extend guardtest-old >/dev/null 2>&1; echo "extend old $?"
      $GUARD extend guardtest >/dev/null 2>&1; echo "extend guardtest $?"
      ${MERGED}
      # The update's window, then its guard died: unmerged, unlocked, the base changed by the real pacman.
      $GUARD unmerge >/dev/null
      /usr/bin/pacman -U --noconfirm "$TESTBED_UPDATES"/guardtest-lib-2.0-1-any.pkg.tar.gz >/dev/null 2>&1; echo "pacman -U $?"
      /usr/bin/pacman -Q guardtest-lib

      echo "-- guard merge"
      $GUARD merge 2>&1 | ${WARNINGS}
      ${MERGED}; ${HELD}
      cat /var/lib/extensions/.pacman-guard-held/guardtest-old.reason
      ${DK}
      $GUARD extend --list | cut -c1-36 | sed 's/ *$//'
      $GUARD merge 2>&1 | ${WARNINGS}; echo "again: nothing new held"

      echo "-- guard refresh"
      ${UNHOLD}
      $GUARD refresh 2>&1 | ${WARNINGS}
      ${MERGED}; ${HELD}

      echo "-- a plain systemd-sysext refresh, then guard settle"
      ${UNHOLD}
      systemd-sysext refresh >/dev/null 2>&1
      ${MERGED}
      $GUARD settle 2>&1 | ${WARNINGS}
      ${MERGED}; ${HELD}
      ${DK}

      echo "-- boot: a fresh /run, the drop-in's steps"
      ${UNHOLD}
      $GUARD unmerge >/dev/null
      rm -rf /run/pacman-guard
      unit ExecStartPre 2>&1 | ${WARNINGS}
      systemd-sysext refresh >/dev/null 2>&1
      unit ExecStartPost >/dev/null 2>&1
      ${MERGED}; ${HELD}
      ${DK}
      $GUARD status >/dev/null 2>&1; echo "status $?"`, { timeoutMs: 230_000 });
    const held = 'warning: extension guardtest-old is held, not merged: guardtest-old needs guardtest-lib<2.0; the base has guardtest-lib 2.0-1';
    expect(result.stdout, result.stderr).toBe([
      'extend old 0',
      'extend guardtest 0',
      'merged: guardtest guardtest-old ',
      'pacman -U 0',
      'guardtest-lib 2.0-1',
      '-- guard merge',
      held,
      'merged: guardtest ',
      'held: guardtest-old guardtest-old.reason ',
      'guardtest-old needs guardtest-lib<2.0; the base has guardtest-lib 2.0-1',
      'pacman -Dk 0',
      'guardtest                merged',
      'guardtest-old            held',
      '                         held: guard',
      'again: nothing new held',
      '-- guard refresh',
      held,
      'merged: guardtest ',
      'held: guardtest-old guardtest-old.reason ',
      '-- a plain systemd-sysext refresh, then guard settle',
      'merged: guardtest guardtest-old ',
      held,
      'merged: guardtest ',
      'held: guardtest-old guardtest-old.reason ',
      'pacman -Dk 0',
      "-- boot: a fresh /run, the drop-in's steps",
      held,
      'merged: guardtest ',
      'held: guardtest-old guardtest-old.reason ',
      'pacman -Dk 0',
      'status 3',
    ].join('\n') + '\n');
  });

  it('guard extend --rebuild NAME and guard extend --name NAME rebuild a held extension and replace the held copy', async () => {
    const result = await runInTestbed(`
      $GUARD extend guardtest >/dev/null 2>&1; echo "extend $?"
      $GUARD unmerge >/dev/null
      /usr/bin/pacman -R --noconfirm guardtest-dep >/dev/null; echo "pacman -R $?"
      $GUARD merge 2>&1 | ${WARNINGS}
      ${MERGED}; ${HELD}
      $GUARD doctor 2>&1 | grep -A1 'held, not merged' | sed 's/^ *//'
      $GUARD extend --rebuild guardtest 2>&1 | grep -E '^(rebuilt|built|    )'; echo "rebuild $?"
      ${MERGED}; ${HELD}
      $GUARD extend --list | cut -c1-36 | sed 's/ *$//'
      $GUARD doctor 2>&1 | grep -c 'held, not merged'
      # The base gets guardtest-dep back: the extension now carries a package the base has.
      $GUARD unmerge >/dev/null
      /usr/bin/pacman -S --noconfirm guardtest-dep >/dev/null; echo "pacman -S $?"
      $GUARD merge 2>&1 | ${WARNINGS}
      $GUARD extend --name guardtest guardtest 2>&1 | grep -E '^(rebuilt|built|    )'
      ${MERGED}; ${HELD}
      $GUARD extend --list | cut -c1-36 | sed 's/ *$//'
      # guard update's check of a merged extension: its own files, seen through the merge, are not the base's.
      node --input-type=module -e "const { checkExtensions } = await import('$PROJECT_ROOT/dist/update/extensions.js'); console.log(JSON.stringify(await checkExtensions({ store: '/var/lib/extensions', dbPath: '/var/lib/pacman', pacman: '/usr/bin/pacman' })))"
      # A check that cannot run fails closed: the extension is held, guard fit still exits 0 (the drop-in goes on).
      rm /var/lib/pacman-guard/fit.json
      PACMAN_GUARD_REAL_PACMAN=/run/testbed/no-pacman $GUARD fit 2>&1; echo "fit $?"
      ${MERGED}; ${HELD}
      $GUARD extend --rebuild nosuch; echo "no such $?"
      # guard lock --fit, the drop-in's step before systemd-sysext: a fit check that cannot run to its end
      # (here it cannot hold what it could not judge) is a warning; the lock stands and the step succeeds.
      mv /var/lib/extensions/.pacman-guard-held/guardtest /var/lib/extensions/ && rm -r /var/lib/extensions/.pacman-guard-held
      : >/var/lib/extensions/.pacman-guard-held; rm -f /var/lib/pacman-guard/fit.json
      PACMAN_GUARD_REAL_PACMAN=/run/testbed/no-pacman $GUARD lock --wait=120 --fit 2>/run/testbed/lock-fit.err; echo "lock --fit $?"
      grep -c "^warning: the fit check did not run to its end: .*pacman-guard-held.* (the database stays locked)$" /run/testbed/lock-fit.err
      [ -w /var/lib/pacman ] && echo unlocked || echo locked`, { timeoutMs: 230_000 });
    expect(result.stdout, result.stderr).toBe([
      'extend 0',
      'pacman -R 0',
      'warning: extension guardtest is held, not merged: guardtest needs guardtest-dep; neither the base nor an extension has guardtest-dep',
      'merged: ',
      'held: guardtest guardtest.reason ',
      'warning: extension guardtest is held, not merged: guardtest needs guardtest-dep; neither the base nor an extension has guardtest-dep',
      'fix: guard extend --rebuild guardtest, or remove it: guard extend --remove guardtest',
      'built and merged extension guardtest: /var/lib/extensions/guardtest',
      '    guardtest-dep 1.0-1 (dependency)',
      '    guardtest 1.0-1',
      'rebuild 0',
      'merged: guardtest ',
      'held: ',
      'guardtest                merged',
      '0',
      'pacman -S 0',
      'warning: extension guardtest is held, not merged: the base now has guardtest-dep 1.0-1, which it carries (1.0-1)',
      'built and merged extension guardtest: /var/lib/extensions/guardtest',
      '    guardtest 1.0-1',
      'merged: guardtest ',
      'held: ',
      'guardtest                merged',
      '[{"name":"guardtest","targets":["guardtest"],"fit":{"kind":"fits"}}]',
      'warning: extension guardtest is held, not merged: its fit to the base cannot be checked: /run/testbed/no-pacman is not installed (ENOENT)',
      '    rebuild it: guard extend --rebuild guardtest, or remove it: guard extend --remove guardtest',
      'checked 1 extension(s) against the base: 0 fit, 1 held',
      'fit 0',
      'merged: ',
      'held: guardtest guardtest.reason ',
      'no such 2',
      'locked: /var/lib/pacman',
      'lock --fit 0',
      '1',
      'locked',
    ].join('\n') + '\n');
    expect(result.stderr).toContain('error: extension nosuch not found in /var/lib/extensions');
  });
});
