/**
 * guard update killed at every phase of its record (UPDATE_PHASES, the
 * record's own list: a phase added there is crashed here too), and once more
 * with a power loss: guard and pacman killed, the guard's mounts and /run's
 * state gone, then the boot as the drop-in runs it. After each, invariants,
 * not messages: /usr and /opt were never writable outside the window; every
 * command names `guard update --finish`; after it, no extension is merged over
 * a base it does not fit (pacman -Dk through the view), pacman -Qk misses no
 * file, the system is merged and locked, no build directory and no record is
 * left.
 *
 * The scene (issue 23): the base has guardtest-lib 1.0; extension
 * guardtest-oldlib needs guardtest-lib<2.0, extension guardtest-extra carries
 * guardtest-extra 1.0; the repository moves to guardtest-lib 2.0 and
 * guardtest-extra 2.0; then guard update -Syu. Done, oldlib is held (it does
 * not fit) and extra rebuilt.
 */
import { expect, it } from 'vitest';
import { UPDATE_PHASES } from '../../src/system/update-record.js';
import { describeInTestbed, runInTestbed } from '../testbed/testbed.js';
import { UNIT_STEPS } from '../testbed/unit-steps.js';
import { SCENE, WATCH } from '../support/update-scene.js';

/** Each of these commands refuses while the update is open and names guard update --finish; none advises guard settle. */
const NAMED = `
  named() { local name=$1; shift; out=$("$@" 2>&1); rc=$?
    case "$out" in *"guard update --finish"*) ;; *) echo "$name exit $rc does not name --finish: $out";; esac
    case "$out" in *"guard settle"*) echo "$name advises guard settle";; esac
    # status and doctor report (their own exit codes); the others refuse.
    [ "$name" = status ] || [ "$name" = doctor ] || [ $rc = 3 ] || echo "$name exit $rc"; }
  for command in status doctor merge lock unlock settle refresh "extend guardtest-dep" "update -Syu --noconfirm"; do named "$command" $GUARD $command; done
  echo "commands checked"`;

/** A power loss and the boot after it: the guard's mounts and /run's state gone, the image read-only, the drop-in's steps as systemd runs them. */
const POWER_LOSS_AND_BOOT = `
  kill -9 -- -$leader 2>/dev/null
  systemd-sysext unmerge >/dev/null 2>&1
  while (($(awk '$5 == "/var/lib/pacman"' /proc/self/mountinfo | wc -l) > 1)); do umount /var/lib/pacman; done
  rm -rf /run/pacman-guard
  mount -o remount,ro /opt
  # Each line as systemd runs it (test/testbed/unit-steps.ts); the settle unit after the start.
  ${UNIT_STEPS}
  step() { unit_step "$1" >/dev/null 2>&1; }
  if ! step ExecStartPre; then step ExecStopPost
  elif ! systemd-sysext refresh >/dev/null 2>&1 || ! step ExecStartPost; then systemd-sysext unmerge >/dev/null 2>&1; step ExecStopPost
  fi
  echo "after the boot: merged $(cat /usr/.systemd-sysext/extensions 2>/dev/null | wc -l)"`;

/** The invariants once --finish ran. */
const INVARIANTS = `
  $GUARD update --finish >/run/testbed/finish.out 2>&1; echo "finish $?"
  unwatch
  /usr/bin/pacman -Dk >/run/testbed/dk 2>&1 && echo "pacman -Dk clean" || cat /run/testbed/dk
  /usr/bin/pacman -Qk 2>&1 | grep -v ', 0 missing files$' || echo "pacman -Qk: no missing file"
  grep -qx guardtest-extra /usr/.systemd-sysext/extensions && echo "guardtest-extra merged"
  [ -w /var/lib/pacman ] && echo unlocked || echo locked
  ls -A /var/lib/extensions | grep -v '^\\.pacman-guard-held$' | grep '^\\.' || echo "no build directory"
  test -e /var/lib/pacman-guard/update.json && echo "record left" || echo "no record"`;

const AFTER_FINISH = ['finish 0', 'outside the window: 0 writable', 'pacman -Dk clean', 'pacman -Qk: no missing file', 'guardtest-extra merged', 'locked', 'no build directory', 'no record'];

describeInTestbed('guard update killed at every phase of its record', () => {
  it.each(UPDATE_PHASES.map((phase) => [phase]))('killed at %s: every command names --finish, which puts the system back', async (phase) => {
    const result = await runInTestbed(`
      ${SCENE}
      ${WATCH}
      setsid env PACMAN_GUARD_CRASH_AT="${phase}" $GUARD update -Syu --noconfirm >/run/testbed/update.out 2>&1 & leader=$!
      wait $leader; echo "guard exit $?"
      ${NAMED}
      ${INVARIANTS}`, { timeoutMs: 280_000 });
    expect(result.stdout, result.stderr).toBe(['guard exit 137', 'commands checked', ...AFTER_FINISH, ''].join('\n'));
  });

  it.each(UPDATE_PHASES.map((phase) => [phase]))('power loss at %s: the boot merges nothing, every command names --finish, which puts the system back', async (phase) => {
    const result = await runInTestbed(`
      ${SCENE}
      ${WATCH}
      setsid env PACMAN_GUARD_CRASH_AT="${phase}" $GUARD update -Syu --noconfirm >/run/testbed/update.out 2>&1 & leader=$!
      wait $leader; echo "guard exit $?"
      ${POWER_LOSS_AND_BOOT}
      ${NAMED}
      ${INVARIANTS}`, { timeoutMs: 280_000 });
    expect(result.stdout, result.stderr).toBe(['guard exit 137', 'after the boot: merged 0', 'commands checked', ...AFTER_FINISH, ''].join('\n'));
  });

  it('power loss in the middle of pacman\'s transaction (its scriptlet): the boot merges nothing, --finish clears the dead db.lck and puts the system back', async () => {
    const result = await runInTestbed(`
      ${SCENE}
      ${WATCH}
      setsid $GUARD update -S --noconfirm guardtest-slow >/run/testbed/update.out 2>&1 & leader=$!
      while [ ! -e /run/testbed/slow-started ]; do sleep 0.05; done
      ${POWER_LOSS_AND_BOOT}
      test -e /var/lib/pacman/db.lck && echo "db.lck left by pacman"
      ${NAMED}
      ${INVARIANTS}
      /usr/bin/pacman -Q guardtest-slow`, { timeoutMs: 280_000 });
    expect(result.stdout, result.stderr).toBe(['after the boot: merged 0', 'db.lck left by pacman', 'commands checked', ...AFTER_FINISH, 'guardtest-slow 1.0-1', ''].join('\n'));
  });
});
