/**
 * The probe, `guard status` and `guard check` against real systemd-sysext
 * merges and real read-only bind mounts.
 */
import { expect, it } from 'vitest';
import { describeInTestbed, runInTestbed } from '../testbed/testbed.js';

interface StatusJson {
  engaged: boolean | null;
  merged: boolean | null;
  locked: boolean | null;
  hierarchies: { hierarchy: string; kind: string; extensions: string[]; since: string | null; mutable: boolean; confirmed: boolean }[];
  lock: { dbPath: string; locked: boolean; selfBinds: number; remountedReadWrite: boolean } | null;
  transaction: { state: string; lockFile: string; pids: number[] } | null;
  var: { path: string; expected: string; actual: string }[];
  problems: string[];
  exitCode: number;
}

async function status(prologue: string, options: { merged?: boolean; locked?: boolean } = {}) {
  const result = await runInTestbed(`${prologue}\n$GUARD status --json; echo "exit $?" >&2`, options);
  const exit = /exit (\d+)/.exec(result.stderr)?.[1];
  return { json: JSON.parse(result.stdout) as StatusJson, exitCode: Number(exit), stderr: result.stderr };
}

describeInTestbed('guard status', () => {
  it('nothing merged, database writable: exit 0', async () => {
    const { json, exitCode } = await status('');
    expect(exitCode).toBe(0);
    expect(json).toMatchObject({ engaged: false, merged: false, locked: false, hierarchies: [], lock: { dbPath: '/var/lib/pacman', selfBinds: 0 }, transaction: { state: 'none' }, problems: [] });
    expect(json.var).toContainEqual({ path: '/var/cache/pacman', expected: 'writable', actual: 'writable' });
  });

  it('merged and locked: the extension, its hierarchy, since when; exit 3', async () => {
    const { json, exitCode } = await status('', { merged: true, locked: true });
    expect(exitCode).toBe(3);
    expect(json).toMatchObject({ engaged: true, merged: true, locked: true, lock: { locked: true, selfBinds: 1, remountedReadWrite: false }, problems: [] });
    expect(json.hierarchies).toEqual([{ hierarchy: '/usr', kind: 'sysext', extensions: ['sample'], since: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), mutable: false, mode: 'no', writesTo: null, confirmed: true }]);
    expect(json.var).toContainEqual({ path: '/var/lib/pacman', expected: 'read-only while merged', actual: 'read-only' });
  });

  it('merged but unlocked is inconsistent: exit 5 with the fix', async () => {
    const { json, exitCode } = await status('', { merged: true });
    expect(exitCode).toBe(5);
    expect(json.problems).toEqual(['extensions are merged but /var/lib/pacman is writable: run guard settle']);
  });

  it('finds every hierarchy, including ones set by SYSTEMD_SYSEXT_HIERARCHIES in the merging environment', async () => {
    const { json } = await status(`
      mkdir -p /srv && mount -t tmpfs tmpfs /srv
      root=/run/extensions/multi
      mkdir -p $root/usr/lib/extension-release.d $root/opt/multi $root/srv/multi
      echo ID=_any >$root/usr/lib/extension-release.d/extension-release.multi
      SYSTEMD_SYSEXT_HIERARCHIES=/usr:/opt:/srv systemd-sysext merge >/dev/null 2>&1`);
    expect(json.hierarchies.map((entry) => [entry.hierarchy, entry.extensions, entry.confirmed])).toEqual([
      ['/usr', ['multi'], true],
      ['/opt', ['multi'], true],
      ['/srv', ['multi'], true],
    ]);
  });

  it('names several extensions merged on one hierarchy', async () => {
    const { json } = await status('testbed_merge_extension first; testbed_merge_extension second; systemd-sysext refresh >/dev/null 2>&1');
    expect(json.hierarchies[0]?.extensions).toEqual(['first', 'second']);
  });

  it('reports a lock bound again and remounted read-write', async () => {
    const { json, exitCode } = await status('mount --bind /var/lib/pacman /var/lib/pacman; mount -o remount,bind,rw /var/lib/pacman', { locked: true });
    expect(exitCode).toBe(0);
    expect(json.lock).toMatchObject({ locked: false, remountedReadWrite: true });
    expect(json.problems).toContain('/var/lib/pacman has a self-bind that was remounted read-write');
  });

  it('reports a stale db.lck without removing it', async () => {
    const result = await runInTestbed('touch /var/lib/pacman/db.lck; $GUARD status --json; test -e /var/lib/pacman/db.lck && echo kept >&2');
    const json = JSON.parse(result.stdout) as StatusJson;
    expect(json.transaction).toMatchObject({ state: 'stale', lockFile: '/var/lib/pacman/db.lck' });
    expect(result.stderr).toContain('kept');
  });

  it('says what it could not read and exits 4 when /proc is gone', async () => {
    const result = await runInTestbed('mount -t tmpfs tmpfs /proc; $GUARD status; echo "exit $?"');
    expect(result.stdout).toContain('exit 4');
    expect(result.stdout).toContain('unknown: cannot read /proc/self/mountinfo');
  });
});

describeInTestbed('guard check', () => {
  async function check(args: string, options: { merged?: boolean; locked?: boolean } = {}) {
    const result = await runInTestbed(`$GUARD check --json -- ${args}; echo "exit $?" >&2`, options);
    return { json: JSON.parse(result.stdout) as Record<string, unknown>, exitCode: Number(/exit (\d+)/.exec(result.stderr)?.[1]) };
  }

  it.each([
    ['-S guardtest', {}, { operation: 'sync', needsLock: true, host: true, decision: 'allow' }, 0],
    ['-S guardtest', { merged: true, locked: true }, { operation: 'sync', needsLock: true, host: true, decision: 'refuse', action: 'installing packages' }, 3],
    ['-Qi guardtest-dep', { merged: true, locked: true }, { operation: 'query', needsLock: false, decision: 'allow' }, 0],
    ['-Sy', { locked: true }, { needsLock: true, decision: 'refuse' }, 3],
    ['--root /run -S guardtest', { merged: true }, { needsLock: true, host: false, decision: 'allow' }, 0],
    ['--dbpath /var/lib/pacman/ -R guardtest-dep', { merged: true }, { needsLock: true, host: true, decision: 'refuse' }, 3],
    ['-Uy x', { merged: true }, { outcome: 'rejected', rejection: "invalid option '-y'", needsLock: false, decision: 'allow' }, 0],
  ] as const)('pacman %s %j', async (args, options, expected, exitCode) => {
    const result = await check(args, options);
    expect(result.json).toMatchObject({ ...expected, pacmanVersion: '6.0', variants: ['6.0'] });
    expect(result.exitCode).toBe(exitCode);
    expect(typeof result.json.reason).toBe('string');
  });

  it('explains itself in text', async () => {
    const result = await runInTestbed('$GUARD check -- -Syu', { merged: true, locked: true });
    expect(result.stdout).toBe([
      'pacman -Syu',
      '  operation:   sync (upgrading the system)',
      '  takes lock:  yes',
      '  acts on:     this system',
      '  decision:    refuse: system extensions are merged on /usr (sample) and /var/lib/pacman is locked read-only',
      '',
    ].join('\n'));
  });

  it('rejects its own bad usage with exit 2', async () => {
    const result = await runInTestbed('$GUARD check --bogus -- -Q; echo "exit $?"; $GUARD check -Q; echo "exit $?"; $GUARD frobnicate; echo "exit $?"');
    expect(result.stdout).toBe('exit 2\nexit 2\nexit 2\n');
    expect(result.stderr).toContain("error: unknown option '--bogus'");
    expect(result.stderr).toContain("error: pacman's arguments go after '--'");
    expect(result.stderr).toContain("error: unknown command 'frobnicate'");
  });
});
