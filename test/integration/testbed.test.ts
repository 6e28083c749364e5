/**
 * Proves the testbed itself: real pacman transactions against the fixture
 * repository, a real systemd-sysext merge, a real read-only bind of the
 * database, every call its own namespace, and a host that none of it reaches.
 */
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { describeInTestbed, PROJECT_ROOT, runInTestbed } from '../testbed/testbed.js';

/** Every entry under `root` with its type, size and mtime; 'absent' if root does not exist. */
function treeListing(root: string): string[] {
  if (!existsSync(root)) return ['absent'];
  const entries: string[] = [];
  const walk = (path: string): void => {
    const stat = lstatSync(path);
    entries.push(`${path} ${stat.mode.toString(8)} ${stat.size} ${stat.mtimeMs}`);
    if (stat.isDirectory()) for (const name of readdirSync(path).sort()) walk(join(path, name));
  };
  walk(root);
  return entries;
}

function fileDigest(path: string): string {
  return existsSync(path) ? createHash('sha256').update(readFileSync(path)).digest('hex') : 'absent';
}

/** What the testbed must never change on the host. */
function hostState() {
  return {
    mountinfo: readFileSync('/proc/self/mountinfo', 'utf8'),
    pacmanDb: treeListing('/var/lib/pacman'),
    pacmanCache: treeListing('/var/cache/pacman'),
    pacmanConf: fileDigest('/etc/pacman.conf'),
    created: ['/usr/share/guardtest', '/usr/share/guardtest-dep', '/usr/share/guardtest-extra', '/usr/bin/guardtest-hello',
      '/usr/share/sample', '/run/extensions', '/var/lib/extensions', '/etc/pacman.d/hooks', '/var/log/pacman.log',
      '/usr/bin/guardtest-tool', '/usr/lib/guardtest', '/usr/share/pacman-guard', '/etc/pacman-guard.conf', '/etc/guardtest-tool.conf']
      .filter((path) => existsSync(path)),
  };
}

const LOCK_FAILURE = /(could not|unable to) lock database/;

describeInTestbed('the namespace testbed', () => {
  let hostBefore: ReturnType<typeof hostState>;
  beforeAll(() => {
    hostBefore = hostState();
  });

  it('starts with the guardtest repository synced and guardtest-dep installed', async () => {
    const result = await runInTestbed('pacman -Q; echo ---; pacman -Sl guardtest; echo ---; pacman-conf DBPath HookDir');
    expect(result.exitCode, result.stderr).toBe(0);
    const [installed, available, conf] = result.stdout.split('---\n');
    expect(installed).toBe('guardtest-dep 1.0-1\n');
    expect(available).toBe([
      'guardtest guardtest 1.0-1', 'guardtest guardtest-clash 1.0-1', 'guardtest guardtest-dep 1.0-1 [installed]',
      'guardtest guardtest-extra 1.0-1', 'guardtest guardtest-lib 1.0-1', 'guardtest guardtest-old 1.0-1', 'guardtest guardtest-oldlib 1.0-1',
      'guardtest guardtest-slow 1.0-1', 'guardtest guardtest-tool 2.0-3', '',
    ].join('\n'));
    expect(conf).toBe('DBPath = /var/lib/pacman/\nHookDir = /etc/pacman.d/hooks/\n');
  });

  it('gives the body its environment', async () => {
    const result = await runInTestbed('echo "$PROJECT_ROOT|$GUARD|$TESTBED_REPO|$TMPDIR|$EXTRA"; ls "$TESTBED_PKGS" "$TESTBED_REPO"', {
      env: { EXTRA: 'extra' },
    });
    expect(result.exitCode, result.stderr).toBe(0);
    const [first, ...listing] = result.stdout.split('\n');
    expect(first).toBe(`${PROJECT_ROOT}|node ${PROJECT_ROOT}/dist/cli/main.js|/run/testbed/repo|/run/testbed/tmp|extra`);
    const packages = ['guardtest-1.0-1-any.pkg.tar.gz', 'guardtest-clash-1.0-1-any.pkg.tar.gz', 'guardtest-dep-1.0-1-any.pkg.tar.gz',
      'guardtest-extra-1.0-1-any.pkg.tar.gz', 'guardtest-lib-1.0-1-any.pkg.tar.gz', 'guardtest-old-1.0-1-any.pkg.tar.gz',
      'guardtest-oldlib-1.0-1-any.pkg.tar.gz', 'guardtest-slow-1.0-1-any.pkg.tar.gz', 'guardtest-tool-2.0-3-any.pkg.tar.gz'];
    expect(listing.join('\n')).toBe(
      ['/run/testbed/packages:', ...packages, '', '/run/testbed/repo:', ...packages,
        'guardtest.db', 'guardtest.db.tar.gz', 'guardtest.files', 'guardtest.files.tar.gz', ''].join('\n'),
    );
  });

  it('runs real transactions: install with a dependency, install a file, remove', async () => {
    const result = await runInTestbed(`
      pacman -S --noconfirm guardtest >/dev/null
      cat /usr/share/guardtest/hello
      guardtest-hello
      pacman -Qi guardtest | grep '^Depends On'
      pacman -U --noconfirm "$TESTBED_PKGS/guardtest-extra-1.0-1-any.pkg.tar.gz" >/dev/null
      cat /usr/share/guardtest-extra/file
      pacman -R --noconfirm guardtest-extra >/dev/null
      test -e /usr/share/guardtest-extra/file || echo removed
      pacman -Q`);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout.replace(/ +/g, ' ')).toBe([
      'hello from guardtest',
      'hello from guardtest',
      'Depends On : guardtest-dep',
      'guardtest-extra file',
      'removed',
      'guardtest 1.0-1',
      'guardtest-dep 1.0-1',
      '',
    ].join('\n'));
  });

  it('starts every call afresh: nothing carries over from the previous one', async () => {
    const first = await runInTestbed('pacman -S --noconfirm guardtest-extra >/dev/null; testbed_merge_extension carried; testbed_lock_db');
    expect(first.exitCode, first.stderr).toBe(0);
    const second = await runInTestbed('pacman -Q; grep -c " - overlay sysext " /proc/self/mountinfo; ls /run/extensions; touch /var/lib/pacman/writable && echo writable');
    expect(second.stdout).toBe('guardtest-dep 1.0-1\n0\nwritable\n');
  });

  it('merges a real system extension over /usr, visible to systemd-sysext, and unmerges it', async () => {
    const result = await runInTestbed(`
      grep ' - overlay sysext ' /proc/self/mountinfo
      cat /usr/share/sample/file
      echo ---; systemd-sysext list
      echo ---; systemd-sysext status
      echo ---; testbed_unmerge
      grep -c ' - overlay sysext ' /proc/self/mountinfo
      test -e /usr/share/sample/file || echo gone`, { merged: true });
    expect(result.exitCode, result.stderr).toBe(0);
    const [mounts, list, status, after] = result.stdout.split('---\n');
    expect(mounts).toMatch(/^\d+ \d+ \S+ \/ \/usr ro[ ,].* - overlay sysext ro,lowerdir=\/run\/systemd\/sysext\/meta\/usr:\/run\/systemd\/sysext\/extensions\/sample\/usr:\/usr/);
    expect(mounts).toContain('from extension sample\n');
    expect(list).toMatch(/^sample\s+directory\s+\/run\/extensions\/sample\s/m);
    expect(status).toMatch(/^\/usr\s+sample\s/m);
    expect(after).toBe('0\ngone\n');
  });

  it('puts an extension file where it is told, and merges several', async () => {
    const result = await runInTestbed(`
      testbed_merge_extension second usr/lib/second/tool
      cat /usr/share/sample/file /usr/lib/second/tool
      systemd-sysext status | grep -A1 '^/usr'`, { merged: true });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^from extension sample\nfrom extension second\n\/usr\s+sample\s.*\n\s+second\s*\n$/);
  });

  it('locks the database with a read-only self-bind that pacman cannot take, and unlocks it', async () => {
    const result = await runInTestbed(`
      grep ' /var/lib/pacman ' /proc/self/mountinfo | tail -n 1
      snapshot() { find /var/lib/pacman -printf '%p %s %T@\\n' | sort; }
      snapshot >"$TMPDIR/before"
      pacman -S --noconfirm guardtest-extra; echo "pacman exit $?"
      snapshot | diff "$TMPDIR/before" - && echo unchanged
      testbed_unlock_db
      pacman -S --noconfirm guardtest-extra >/dev/null; echo "pacman exit $?"
      pacman -Q guardtest-extra`, { locked: true });
    expect(result.exitCode, result.stderr).toBe(0);
    // Read-only per mount, while the tmpfs itself (the super options) stays rw.
    expect(result.stdout).toMatch(/^\d+ \d+ \S+ \/ \/var\/lib\/pacman ro,.* - tmpfs tmpfs rw,/);
    expect(result.stdout).toContain('pacman exit 1\nunchanged\npacman exit 0\nguardtest-extra 1.0-1\n');
    expect(result.stderr).toMatch(LOCK_FAILURE);
  });

  it('merged and locked together', async () => {
    const result = await runInTestbed('pacman -S --noconfirm guardtest; echo "exit $?"; cat /usr/share/sample/file', { merged: true, locked: true });
    expect(result.stdout).toBe('exit 1\nfrom extension sample\n');
    expect(result.stderr).toMatch(LOCK_FAILURE);
  });

  it('has its own PID namespace: no pacman of another test or of the host is visible', async () => {
    const result = await runInTestbed('cat /proc/1/comm; ls /proc | grep -c "^[0-9]"');
    expect(result.exitCode, result.stderr).toBe(0);
    const [init, processes] = result.stdout.trim().split('\n');
    expect(init).toBe('bash');
    expect(Number(processes)).toBeLessThan(5);
  });

  it('returns failures, stdin and output without throwing', async () => {
    const result = await runInTestbed('read -r line; echo "got $line"; echo oops >&2; exit 7', { stdin: 'input\n' });
    expect(result).toEqual({ exitCode: 7, stdout: 'got input\n', stderr: 'oops\n', timedOut: false });
  });

  // No wall clock: the timeout must outlast the setup on a busy machine, and a
  // runner that waited for `sleep 600` would run into the test's own timeout.
  it('kills the whole namespace on timeout, and does not wait for background processes', async () => {
    const slow = await runInTestbed('echo started; sleep 600', { timeoutMs: 60_000 });
    expect(slow).toMatchObject({ exitCode: 137, stdout: 'started\n', timedOut: true });
    const background = await runInTestbed('sleep 600 & echo done');
    expect(background).toMatchObject({ exitCode: 0, stdout: 'done\n', timedOut: false });
  }, 300_000);

  it('fails loudly when setup cannot complete', async () => {
    const result = await runInTestbed('echo body ran', { env: { TESTBED_FIXTURES: '/nonexistent' } });
    expect(result.exitCode).not.toBe(0);
    expect(result.stdout).not.toContain('body ran');
    expect(result.stderr).toContain('/nonexistent');
  });

  it('refuses to set up in the mount namespace it was told is the host', async () => {
    // Run inside a testbed, so even a broken check could only mount in there.
    const result = await runInTestbed(`
      before=$(wc -l </proc/self/mountinfo)
      TESTBED_HOST_MNT_NS=$(readlink /proc/self/ns/mnt) bash -c 'source "$TESTBED_SETUP"; echo set up'; echo "exit $?"
      test "$(wc -l </proc/self/mountinfo)" = "$before" && echo no new mounts`);
    expect(result.stdout).toBe('exit 99\nno new mounts\n');
    expect(result.stderr).toContain("refusing to set up in the host's mount namespace");
  });

  it('keeps a live merge and lock inside its namespace', async () => {
    const name = `live${process.pid}`;
    const scratch = mkdtempSync(join(tmpdir(), 'testbed-live-'));
    const release = join(scratch, 'release');
    try {
      // The body holds its namespace open until the host side has looked.
      const live = runInTestbed(`testbed_merge_extension ${name}; testbed_lock_db
        for _ in $(seq 1800); do test -e "$RELEASE" && break; sleep 0.05; done; echo released`, { env: { RELEASE: release } });
      // Found from the host side: some process whose mount table has the merge. Generous: the
      // testbed's setup alone takes seconds on a busy machine.
      const merged = await waitFor(() => processesWithMount(`/extensions/${name}/usr`).length > 0, 90_000);
      const hostMounts = readFileSync('/proc/self/mountinfo', 'utf8');
      const leaked = existsSync(`/usr/share/${name}`);
      writeFileSync(release, '');
      expect(merged).toBe(true);
      expect(hostMounts).toBe(hostBefore.mountinfo);
      expect(leaked).toBe(false);
      expect((await live).stdout).toBe('released\n');
    } finally {
      writeFileSync(release, '');
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('leaves the host untouched: mounts, pacman database and cache, configuration, no new files', () => {
    expect(hostState()).toEqual(hostBefore);
  });
});

function processesWithMount(fragment: string): string[] {
  return readdirSync('/proc').filter((pid) => {
    if (!/^\d+$/.test(pid)) return false;
    try {
      return readFileSync(`/proc/${pid}/mountinfo`, 'utf8').includes(fragment);
    } catch {
      return false; // exited meanwhile
    }
  });
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return condition();
}
