/**
 * guard lock/unlock/merge/unmerge with real bind mounts and real
 * systemd-sysext, including kill -9 and concurrency.
 */
import { expect, it } from 'vitest';
import { describeInTestbed, runInTestbed } from '../testbed/testbed.js';

/** Prints "<self-binds> <ro|rw>" for /var/lib/pacman from the guard's own status. */
const LOCK_SUMMARY = `$GUARD status --json | node -e 'const s = JSON.parse(require("fs").readFileSync(0, "utf8")); console.log(s.lock.selfBinds, s.lock.locked ? "ro" : "rw", s.merged ? "merged" : "unmerged")'`;
const EXTENSION = `mkdir -p /run/extensions/e/usr/lib/extension-release.d; echo ID=_any >/run/extensions/e/usr/lib/extension-release.d/extension-release.e`;

describeInTestbed('guard lock and unlock', () => {
  it('locks with exactly one read-only self-bind, idempotently, and unlocks it', async () => {
    const result = await runInTestbed(`
      $GUARD lock; ${LOCK_SUMMARY}
      $GUARD lock; ${LOCK_SUMMARY}
      pacman -S --noconfirm guardtest-extra 2>&1 | grep -c 'could not lock database'
      $GUARD unlock; ${LOCK_SUMMARY}
      $GUARD unlock; ${LOCK_SUMMARY}`);
    expect(result.stdout).toBe([
      'locked: /var/lib/pacman', '1 ro unmerged',
      'already locked: /var/lib/pacman', '1 ro unmerged',
      '1',
      'unlocked: /var/lib/pacman', '0 rw unmerged',
      'not locked: /var/lib/pacman', '0 rw unmerged', '',
    ].join('\n'));
  });

  it('keeps the nosuid, nodev and noexec flags the directory had', async () => {
    const result = await runInTestbed(`
      mount -o remount,nosuid,nodev,noexec /var/lib/pacman
      $GUARD lock >/dev/null
      findmnt -n -o OPTIONS --mountpoint /var/lib/pacman | tail -n 1`);
    expect(result.stdout.split(',')).toEqual(expect.arrayContaining(['ro', 'nosuid', 'nodev', 'noexec']));
  });

  it('repairs a lock that was remounted read-write, and unlocks stacked self-binds', async () => {
    const result = await runInTestbed(`
      $GUARD lock >/dev/null; mount -o remount,bind,rw /var/lib/pacman; ${LOCK_SUMMARY}
      $GUARD lock; ${LOCK_SUMMARY}
      mount --bind /var/lib/pacman /var/lib/pacman; ${LOCK_SUMMARY} | sed 's/^[2-9] /stacked /'
      $GUARD unlock; ${LOCK_SUMMARY}`);
    expect(result.stdout).toBe(['1 rw unmerged', 'relocked: /var/lib/pacman', '1 ro unmerged', 'stacked ro unmerged', 'unlocked: /var/lib/pacman', '0 rw unmerged', ''].join('\n'));
  });

  it('unlocks every view stacked on the lock once nothing is merged (a second view over the first)', async () => {
    const result = await runInTestbed(`
      $GUARD extend guardtest >/dev/null 2>&1; echo "extend $?"
      layer=$(awk '$5 == "/var/lib/pacman"' /proc/self/mountinfo | tail -n 1 | grep -o 'lowerdir=[^:]*' | cut -d= -f2)
      test -d "$layer/local" && echo "a view"
      mount -t overlay pacman-guard-view -o "ro,lowerdir=$layer:/var/lib/pacman" /var/lib/pacman
      systemd-sysext unmerge >/dev/null
      $GUARD settle; echo "settle $?"
      ${LOCK_SUMMARY}
      awk '$5 == "/var/lib/pacman"' /proc/self/mountinfo | wc -l  # the testbed's own mount alone
      touch /var/lib/pacman/.probe && rm /var/lib/pacman/.probe && echo writable`);
    expect(result.stdout, result.stderr).toBe(['extend 0', 'a view', 'unlocked: nothing is merged', 'settle 0', '0 rw unmerged', '1', 'writable', ''].join('\n'));
  });

  it('never locks under a running transaction; waits with --wait; reports a stale db.lck without removing it', async () => {
    const result = await runInTestbed(`
      cp "$(command -v sleep)" /run/pacman
      # libalpm keeps db.lck open for the whole transaction: a 'pacman' that holds it open is one.
      ( exec 9>/var/lib/pacman/db.lck; exec /run/pacman 600 ) & holder=$!
      while [ ! -e /var/lib/pacman/db.lck ]; do sleep 0.05; done
      $GUARD lock; echo "busy $?"
      (sleep 1; rm /var/lib/pacman/db.lck; kill $holder) &
      $GUARD lock --wait=200; echo "waited $?"
      $GUARD unlock >/dev/null
      touch /var/lib/pacman/db.lck
      $GUARD lock; echo "stale $?"
      test -e /var/lib/pacman/db.lck && echo "db.lck kept"
      ${LOCK_SUMMARY}`);
    expect(result.stdout).toBe(['busy 3', 'locked: /var/lib/pacman', 'waited 0', 'stale 3', 'db.lck kept', '0 rw unmerged', ''].join('\n'));
    expect(result.stderr).toMatch(/error: not locking under a running transaction: a pacman transaction is in progress: pacman \(pid \d+\) holds \/var\/lib\/pacman\/db.lck/);
    expect(result.stderr).toContain('error: not locking: /var/lib/pacman/db.lck exists but no process holds it (a stale lock file)');
    expect(result.stderr).toContain('rm /var/lib/pacman/db.lck');
  });

  it('tells transactions apart by database: a pacman on another database, in another mount namespace, does not count', async () => {
    const result = await runInTestbed(`
      cp "$(command -v sleep)" /run/pacman
      # A pacman at its prompt, holding the db.lck of its own tmpfs database, as in a container or a pacstrap.
      unshare -m --propagation private sh -c 'mount -t tmpfs tmpfs /var/lib/pacman && exec 9>/var/lib/pacman/db.lck && touch /run/elsewhere-ready && exec /run/pacman 30' & other=$!
      while [ ! -e /run/elsewhere-ready ]; do sleep 0.05; done
      # And a pacman that holds nothing.
      /run/pacman 30 & idle=$!
      $GUARD lock; echo "lock $?"
      $GUARD status --json | node -e 'let s="";process.stdin.on("data",(d)=>s+=d).on("end",()=>console.log(JSON.parse(s).transaction.state))'
      testbed_merge_extension sample >/dev/null 2>&1; $GUARD unlock --force >/dev/null 2>&1; testbed_unmerge
      $GUARD merge >/dev/null; echo "merge $?"
      kill $other $idle`);
    expect(result.stdout, result.stderr).toBe('locked: /var/lib/pacman\nlock 0\nnone\nmerge 0\n');
  });

  it('refuses to unlock while extensions are merged, unless forced', async () => {
    const result = await runInTestbed(`$GUARD unlock; echo "status $?"; $GUARD unlock --force; echo "forced $?"; grep -c "\\[PACMAN-GUARD\\] override 'guard unlock --force'" /var/log/pacman.log`, { merged: true, locked: true });
    expect(result.stdout).toBe('status 3\nunlocked: /var/lib/pacman\nforced 0\n1\n');
    expect(result.stderr).toContain('warning: /var/lib/pacman unlocked with --force');
    expect(result.stderr).toContain('error: not unlocking /var/lib/pacman: system extensions are merged on /usr');
    expect(result.stderr).toContain('    guard unmerge');
  });

  it.each([
    ['mount is missing', 'mkdir /run/only; ln -s "$(command -v pacman-conf)" /run/only/; PATH=/run/only "$(command -v node)" "$PROJECT_ROOT/dist/cli/main.js" lock', 'error: mount is not installed'],
    ['the mount table is unreadable', 'mount -t tmpfs tmpfs /proc; $GUARD lock', 'error: cannot read /proc/self/mountinfo'],
    ['DBPath is not a directory', "touch /run/notadir; sed -i 's#^\\[options\\]#[options]\\nDBPath = /run/notadir#' /etc/pacman.conf; $GUARD lock", "error: pacman's DBPath /run/notadir is not a directory"],
  ])('changes nothing and says so when %s', async (_, command, message) => {
    const result = await runInTestbed(`grep ' /var/lib/pacman ' /proc/self/mountinfo >/run/before; ${command}; echo "status $?"; grep ' /var/lib/pacman ' /proc/self/mountinfo 2>/dev/null | cmp -s /run/before - && echo unchanged || { umount /proc 2>/dev/null; grep ' /var/lib/pacman ' /proc/self/mountinfo | cmp -s /run/before - && echo unchanged; }`);
    expect(result.stdout).toMatch(/^status [1-9]\nunchanged\n$/);
    expect(result.stderr).toContain(message);
  });

  it('ends 40 concurrent lock and unlock calls with zero or one guard mount, as status reports', async () => {
    const result = await runInTestbed(`
      for i in $(seq 40); do
        if [ $((i % 2)) = 0 ]; then $GUARD lock >/dev/null 2>&1 & else $GUARD unlock >/dev/null 2>&1 & fi
      done
      wait
      grep -c ' /var/lib/pacman ro' /proc/self/mountinfo || true
      ${LOCK_SUMMARY}`, { timeoutMs: 300_000 });
    const [readOnlyMounts, summary] = result.stdout.trim().split('\n');
    expect(['0', '1']).toContain(readOnlyMounts);
    expect(summary).toBe(readOnlyMounts === '1' ? '1 ro unmerged' : '0 rw unmerged');
    // Generous: 40 Node processes at once on a busy 2-core machine.
  }, 600_000);

  it('kill -9 at any point of lock or unlock leaves a state the next call repairs', async () => {
    const result = await runInTestbed(`
      for delay in 0.05 0.1 0.15 0.2 0.25 0.3 0.35 0.4; do
        $GUARD lock >/dev/null 2>&1 & pid=$!; sleep $delay; kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
        $GUARD lock >/dev/null || echo "lock after kill at $delay failed"
        ${LOCK_SUMMARY}
        $GUARD unlock >/dev/null 2>&1 & pid=$!; sleep $delay; kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
        $GUARD unlock >/dev/null || echo "unlock after kill at $delay failed"
        ${LOCK_SUMMARY}
      done`, { timeoutMs: 600_000 });
    const lines = result.stdout.trim().split('\n');
    expect(lines).toEqual(Array.from({ length: 8 }, () => ['1 ro unmerged', '0 rw unmerged']).flat());
  }, 900_000);
});

describeInTestbed('guard merge, unmerge and refresh', () => {
  it('locks before merging and unlocks after unmerging', async () => {
    const result = await runInTestbed(`
      ${EXTENSION}
      $GUARD merge >/dev/null; ${LOCK_SUMMARY}
      pacman -S --noconfirm guardtest-extra 2>&1 | grep -c 'could not lock database'
      $GUARD unmerge >/dev/null; ${LOCK_SUMMARY}
      $GUARD refresh >/dev/null; ${LOCK_SUMMARY}
      rm -r /run/extensions/e; $GUARD refresh >/dev/null; ${LOCK_SUMMARY}`);
    expect(result.stdout).toBe(['1 ro merged', '1', '0 rw unmerged', '1 ro merged', '0 rw unmerged', ''].join('\n'));
  });

  it('puts the lock back as it was when the merge fails', async () => {
    const result = await runInTestbed(`
      ${EXTENSION}
      mkdir /run/fake; printf '#!/bin/sh\\necho "merge exploded" >&2; exit 1\\n' >/run/fake/systemd-sysext; chmod +x /run/fake/systemd-sysext
      PATH=/run/fake:$PATH $GUARD merge; echo "status $?"; ${LOCK_SUMMARY}`);
    expect(result.stdout).toBe('status 1\n0 rw unmerged\n');
    expect(result.stderr).toContain('error: systemd-sysext merge failed: merge exploded');
  });

  it('kill -9 during merge or unmerge never leaves extensions merged with the database writable', async () => {
    const result = await runInTestbed(`
      ${EXTENSION}
      for delay in 0.05 0.15 0.25 0.35 0.5; do
        $GUARD merge >/dev/null 2>&1 & pid=$!; sleep $delay; kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
        $GUARD status >/dev/null 2>&1; s=$?; [ $s = 5 ] && echo "inconsistent after killed merge at $delay"
        $GUARD merge >/dev/null 2>&1 || echo "merge after kill at $delay failed"
        ${LOCK_SUMMARY}
        $GUARD unmerge >/dev/null 2>&1 & pid=$!; sleep $delay; kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
        $GUARD status >/dev/null 2>&1; s=$?; [ $s = 5 ] && echo "inconsistent after killed unmerge at $delay"
        $GUARD unmerge >/dev/null 2>&1 || echo "unmerge after kill at $delay failed"
        ${LOCK_SUMMARY}
      done`, { timeoutMs: 600_000 });
    expect(result.stdout.trim().split('\n')).toEqual(Array.from({ length: 5 }, () => ['1 ro merged', '0 rw unmerged']).flat());
  }, 900_000);
});
