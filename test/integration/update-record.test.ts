/**
 * The cases of issue 23 about the update's record, signals and log: SIGTERM
 * and SIGHUP while pacman runs (6), a second update and a merge during an
 * update (5), what an interrupted update refuses (7), "n", a failed download
 * and -Sy rebuild nothing (4), --finish after a kill in the rebuild (2),
 * held extensions rebuilt by the next update (3), the rollback with the held
 * extension merged again (10), and the lines in pacman.log (9).
 */
import { expect, it } from 'vitest';
import { describeInTestbed, runInTestbed } from '../testbed/testbed.js';
import { SCENE, WATCH } from '../support/update-scene.js';

const MERGED = 'sort /usr/.systemd-sysext/extensions 2>/dev/null | tr "\\n" " "; echo';
const LOCKED = '[ -w /var/lib/pacman ] && echo unlocked || echo locked';
const json = (expression: string) => `node -e 'let s="";process.stdin.on("data",(d)=>s+=d).on("end",()=>{const d=JSON.parse(s);console.log(${expression})})'`;
/** pacman.log's guard lines, the time stamp checked for pacman's format and then left out. */
const GUARD_LOG = `grep -F '[PACMAN-GUARD]' /var/log/pacman.log | grep -E '^\\[[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{4}\\] \\[PACMAN-GUARD\\] ' | sed -E 's/^\\[[^]]*\\] \\[PACMAN-GUARD\\] //; s/ \\(uid=0\\)//' | cut -c1-100`;

describeInTestbed('guard update and signals', () => {
  it.each(['TERM', 'HUP'])('SIG%s to guard while pacman runs: pacman ends its transaction, guard puts the system back, records it, and exits with pacman\'s status', async (signal) => {
    const result = await runInTestbed(`
      ${SCENE}
      ${WATCH}
      $GUARD update -S --noconfirm guardtest-slow >/run/testbed/update.out 2>&1 & guard=$!
      while [ ! -e /run/testbed/slow-started ]; do sleep 0.05; done
      kill -${signal} $guard
      # Recorded by guard's handler: waited for (a guard that never records it fails by the test's timeout).
      until grep -q '"signal"' /var/lib/pacman-guard/update.json; do sleep 0.05; done
      ${json('d.signal')} </var/lib/pacman-guard/update.json
      touch /run/testbed/slow-go
      wait $guard; echo "update $?"
      unwatch
      ${MERGED}
      ${LOCKED}
      test -e /var/lib/pacman/db.lck || echo "no db.lck"
      test -e /var/lib/pacman-guard/update.json || echo "no record"
      /usr/bin/pacman -Q guardtest-slow
      grep -c 'received SIG${signal}' /run/testbed/update.out
      ${GUARD_LOG} | grep -v -e '^extensions' -e 'update started'`, { timeoutMs: 280_000 });
    expect(result.stdout, result.stderr).toBe([
      `SIG${signal}`,
      'update 0',
      'outside the window: 0 writable',
      'guardtest-extra guardtest-oldlib ',
      'locked',
      'no db.lck',
      'no record',
      'guardtest-slow 1.0-1',
      '1',
      `pacman exited 'guard update -S --noconfirm guardtest-slow': pacman -S --noconfirm guardtest-slow exited with status 0 (guard received SIG${signal} and let it end)`.slice(0, 100),
      "update finished 'guard update -S --noconfirm guardtest-slow': merged guardtest-extra, guardtest-oldlib; /var/lib/pacman locked".slice(0, 100),
      '',
    ].join('\n'));
  });
});

describeInTestbed('while a guard update runs', () => {
  it('a second guard update, merge, lock and extend exit 3 at once naming it (pid, since); status and doctor do not advise guard settle', async () => {
    const result = await runInTestbed(`
      ${SCENE}
      $GUARD update -S --noconfirm guardtest-slow >/run/testbed/update.out 2>&1 & guard=$!
      while [ ! -e /run/testbed/slow-started ]; do sleep 0.05; done
      for command in "update -S --noconfirm guardtest-dep" merge lock unlock settle refresh "extend guardtest-dep"; do
        $GUARD $command 2>/run/testbed/err >/dev/null; rc=$?
        grep -q "guard update (pid $guard, since " /run/testbed/err && echo "$command: $rc, names the update" || { echo "$command: $rc"; cat /run/testbed/err; }
      done
      $GUARD status 2>&1 | grep -c 'guard settle'
      $GUARD doctor 2>&1 | grep -c 'guard settle'
      touch /run/testbed/slow-go
      wait $guard; echo "update $?"`, { timeoutMs: 280_000 });
    expect(result.stdout, result.stderr).toBe([
      'update -S --noconfirm guardtest-dep: 3, names pid',
      'merge: 3, names pid',
      'lock: 3, names pid',
      'unlock: 3, names pid',
      'settle: 3, names pid',
      'refresh: 3, names pid',
      'extend guardtest-dep: 3, names pid',
      '0',
      '0',
      'update 0',
      '',
    ].join('\n').replaceAll('names pid', 'names the update'));
  });
});

describeInTestbed('extensions are rebuilt only when the base changed', () => {
  it('"n" at the prompt, a failed download and -Sy alone check and rebuild nothing; the upgrade then rebuilds extra and holds oldlib', async () => {
    const result = await runInTestbed(`
      ${SCENE}
      said() { grep -E '^:: (Checking|Rebuilding)|^    [a-z-]+: ' /run/testbed/out; }
      echo n | $GUARD update -Syu >/run/testbed/out 2>&1; echo "declined $?"; said
      $GUARD update -Sy --noconfirm >/run/testbed/out 2>&1; echo "-Sy $?"; said
      mv "$TESTBED_REPO"/guardtest-lib-2.0-*.pkg.tar.gz /run/testbed/
      rm -f /var/cache/pacman/pkg/guardtest-lib-2.0-*
      $GUARD update -Syu --noconfirm >/run/testbed/out 2>&1; echo "download fails $?"; said
      mv /run/testbed/guardtest-lib-2.0-*.pkg.tar.gz "$TESTBED_REPO/"
      ${MERGED}
      $GUARD update -Syu --noconfirm >/run/testbed/out 2>&1; echo "upgrade $?"; said
      ${MERGED}
      ${GUARD_LOG} | grep -E '^extensions' | cut -c1-60`, { timeoutMs: 280_000 });
    expect(result.stdout.split('\n'), result.stderr).toEqual([
      'declined 1',
      '-Sy 0',
      'download fails 1',
      'guardtest-extra guardtest-oldlib ',
      'upgrade 0',
      ':: Checking system extensions against the new base...',
      '    guardtest-extra: needs a rebuild: guardtest-extra 1.0-1 → 2.0-1',
      expect.stringMatching(/^ {4}guardtest-oldlib: does not fit: /),
      ':: Rebuilding extension guardtest-extra...',
      'guardtest-extra ',
      "extensions rebuilt 'guard update -Syu --noconfirm': guardtest-extra".slice(0, 60),
      "extensions held 'guard update -Syu --noconfirm': guardtest-oldlib: ".slice(0, 60),
      '',
    ]);
  });
});

describeInTestbed('guard update --finish after a kill in the rebuild', () => {
  it('rebuilds what the record says was being rebuilt, removes the build directory the kill left, and merges', async () => {
    const result = await runInTestbed(`
      ${SCENE}
      setsid $GUARD update -Syu --noconfirm >/run/testbed/out 2>&1 & leader=$!
      # Killed while guard extend builds guardtest-extra again: its work directory exists. Polled with
      # builtins only (a glob, kill -0, read -t on a fifo as a 5 ms sleep): an ls and a sleep per round
      # missed the whole build once on a loaded machine (a CI run), and the update ran to its end.
      mkfifo /run/testbed/nap; exec 9<>/run/testbed/nap
      building() { set -- /var/lib/extensions/.guardtest-extra.pacman-guard-*; [ -e "$1" ]; }
      while ! building && kill -0 $leader 2>/dev/null; do read -r -t 0.005 -u 9 _ || true; done
      kill -9 -- -$leader 2>/dev/null; wait $leader
      ls -d /var/lib/extensions/.guardtest-extra.pacman-guard-* | wc -l
      ${json('d.phase + ": " + d.rebuilding.map((r) => r.name).join(" ")')} </var/lib/pacman-guard/update.json
      $GUARD update --finish >/run/testbed/finish.out 2>&1; echo "finish $?"
      grep -E '^    removing|^:: Rebuilding' /run/testbed/finish.out | sed 's/pacman-guard-[A-Za-z0-9]*,/pacman-guard-XXXXXX,/'
      ls -A /var/lib/extensions | tr '\n' ' '; echo
      ${MERGED}
      ${LOCKED}
      /usr/bin/pacman -Dk >/dev/null 2>&1 && echo "pacman -Dk clean"
      test -e /var/lib/pacman-guard/update.json || echo "no record"`, { timeoutMs: 280_000 });
    expect(result.stdout, result.stderr).toBe([
      '1',
      'rebuilding: guardtest-extra',
      'finish 0',
      '    removing /var/lib/extensions/.guardtest-extra.pacman-guard-XXXXXX, left by an interrupted build',
      ':: Rebuilding extension guardtest-extra...',
      '.pacman-guard-held guardtest-extra ',
      'guardtest-extra ',
      'locked',
      'pacman -Dk clean',
      'no record',
      '',
    ].join('\n'));
  });
});

/** The held extensions' directory: each held one and its reason. */
const HELD = 'ls -A /var/lib/extensions/.pacman-guard-held 2>/dev/null | tr "\\n" " "; echo';
/** How guard extend --list shows each extension: name and state, once per line. */
const LISTED = '$GUARD extend --list | grep -E "^guardtest-" | awk \'{print $1, $2}\'';

describeInTestbed('held extensions are rebuilt by the next guard update', () => {
  it('after a --no-rebuild update, a -Syu with nothing to upgrade rebuilds and merges the held extension, its held copy gone; the one no rebuild can mend stays held with its reason', async () => {
    const result = await runInTestbed(`
      ${SCENE}
      $GUARD update --no-rebuild -Syu --noconfirm >/run/testbed/out 2>&1; echo "no-rebuild $?"
      ${HELD}
      ${MERGED}
      $GUARD update -Syu --noconfirm >/run/testbed/out 2>&1; echo "nothing to upgrade $?"
      grep -E '^:: (Checking|Rebuilding)|there is nothing to do|^    still held: |^warning: (extension|left)' /run/testbed/out | cut -c1-70
      ${HELD}
      ${MERGED}
      ${LOCKED}
      ${LISTED}
      /usr/bin/pacman -Q guardtest-extra
      /usr/bin/pacman -Dk >/dev/null 2>&1 && echo "pacman -Dk clean"
      test -e /var/lib/pacman-guard/update.json || echo "no record"
      ${GUARD_LOG} | grep -E '^extensions rebuilt' | cut -c1-80`, { timeoutMs: 280_000 });
    expect(result.stdout.split('\n'), result.stderr).toEqual([
      'no-rebuild 0',
      'guardtest-extra guardtest-extra.reason guardtest-oldlib guardtest-oldlib.reason ',
      '',
      'nothing to upgrade 0',
      ' there is nothing to do',
      ':: Rebuilding held extension guardtest-extra...',
      ':: Rebuilding held extension guardtest-oldlib...',
      expect.stringMatching(/^ {4}still held: ./),
      'warning: extension guardtest-oldlib is not merged: guardtest-oldlib needs guardtest-lib<2.0; the base has guardtest-lib 2.0-1'.slice(0, 70),
      'guardtest-oldlib guardtest-oldlib.reason ',
      'guardtest-extra ',
      'locked',
      'guardtest-extra merged',
      'guardtest-oldlib held',
      // Through the view of what is merged: the rebuilt extension's package, at the repository's version.
      'guardtest-extra 2.0-1',
      'pacman -Dk clean',
      'no record',
      "extensions rebuilt 'guard update -Syu --noconfirm': guardtest-extra",
      '',
    ]);
  });

  it('the rebuild of held extensions is in the record: killed in it, --finish rebuilds them', async () => {
    const result = await runInTestbed(`
      ${SCENE}
      $GUARD update --no-rebuild -Syu --noconfirm >/dev/null 2>&1; echo "no-rebuild $?"
      setsid env PACMAN_GUARD_CRASH_AT=rebuilding $GUARD update -Syu --noconfirm >/run/testbed/out 2>&1 & leader=$!
      wait $leader; echo "guard exit $?"
      ${json('d.phase + ": " + d.rebuilding.map((r) => r.name + (r.held ? " (held)" : "")).join(", ")')} </var/lib/pacman-guard/update.json
      $GUARD update --finish >/run/testbed/finish.out 2>&1; echo "finish $?"
      grep -E '^:: Rebuilding' /run/testbed/finish.out
      ${HELD}
      ${MERGED}
      ${LOCKED}
      test -e /var/lib/pacman-guard/update.json || echo "no record"`, { timeoutMs: 280_000 });
    expect(result.stdout, result.stderr).toBe([
      'no-rebuild 0',
      'guard exit 137',
      'rebuilding: guardtest-extra (held), guardtest-oldlib (held)',
      'finish 0',
      ':: Rebuilding held extension guardtest-extra...',
      ':: Rebuilding held extension guardtest-oldlib...',
      'guardtest-oldlib guardtest-oldlib.reason ',
      'guardtest-extra ',
      'locked',
      'no record',
      '',
    ].join('\n'));
  });
});

describeInTestbed('guard update --rollback', () => {
  it('undoes the last update from the cache (guardtest-lib 2.0 back to 1.0) in the window, and guardtest-oldlib (needs guardtest-lib<2.0) is merged again; without the package in the cache it refuses, naming it, and changes nothing', async () => {
    const result = await runInTestbed(`
      ${SCENE}
      ${WATCH}
      $GUARD update -Syu --noconfirm >/dev/null 2>&1; echo "update $?"
      /usr/bin/pacman -Q guardtest-lib
      $GUARD update --rollback >/run/testbed/out 2>&1; echo "rollback $?"
      /usr/bin/pacman -Q guardtest-lib
      grep -E '^:: Rebuilding' /run/testbed/out
      ${MERGED}
      ${HELD}
      ${LISTED}
      ${LOCKED}
      /usr/bin/pacman -Dk >/dev/null 2>&1 && echo "pacman -Dk clean"
      ${GUARD_LOG} | grep -c "^update started 'guard update --rollback'"
      $GUARD update -Syu --noconfirm >/dev/null 2>&1; echo "update $?"
      rm /var/cache/pacman/pkg/guardtest-lib-1.0-*
      before=$(testbed_real_db_digest)
      $GUARD update --rollback; echo "no cache $?"
      [ "$(testbed_real_db_digest)" = "$before" ] && echo "unchanged"
      /usr/bin/pacman -Q guardtest-lib
      unwatch`, { timeoutMs: 280_000 });
    expect(result.stdout, result.stderr).toBe([
      'update 0',
      'guardtest-lib 2.0-1',
      'rollback 0',
      'guardtest-lib 1.0-1',
      // Held by the update (it needs guardtest-lib<2.0), rebuilt against the base the rollback leaves: merged again, the held copy gone.
      ':: Rebuilding held extension guardtest-oldlib...',
      'guardtest-extra guardtest-oldlib ',
      '',
      'guardtest-extra merged',
      'guardtest-oldlib merged',
      'locked',
      'pacman -Dk clean',
      '1',
      'update 0',
      'no cache 3',
      'unchanged',
      'guardtest-lib 2.0-1',
      'outside the window: 0 writable',
      '',
    ].join('\n'));
    expect(result.stderr).toMatch(/error: cannot roll back the update of .*: not in pacman's package cache: guardtest-lib-1.0-1\n  nothing was changed/);
  });
});
