/**
 * pacman-guard under a real systemd, one stack at a time: a Debian root
 * (bookworm, trixie or sid: stacks.ts) booted by systemd-nspawn
 * (container.ts), with guard installed for real inside it. What the
 * namespace testbed can only replay runs here as on a machine: every way that
 * stack's systemd merges extensions (start, stop, restart, reboot, reload,
 * varlink, the sysupdate notification, mutable modes, confexts, raw images),
 * the journal, pacman-guard-metrics.timer, and pacman 7's DownloadUser.
 *
 * Each scenario runs where the root's systemd (or pacman) has the feature,
 * read from the root, and ends with the same check (expectSettled): pacman's
 * database locked exactly while a system extension is merged, pacman's view
 * showing exactly the merged extensions' packages, guard status agreeing and
 * reporting no problem, and systemd-sysext.service never failed by the guard.
 * The truth is taken from systemd and the kernel (systemd-sysext status, a
 * write into /var/lib/pacman, /usr/bin/pacman -Q), not from guard.
 *
 * One container per stack; the steps build on each other in order.
 */
import { copyFileSync, cpSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testbedFixtures } from '../testbed/namespace.js';
import { CONTAINER_SHARE, Container, type RunResult } from './container.js';
import { obstacleVariable, packageVersion, rootfsVariable, type Suite } from './stacks.js';

/** Makes the scenarios' extensions inside the container (installed as /root/mkext). */
const MKEXT = fileURLToPath(new URL('mkext.sh', import.meta.url));
const inCI = process.env.CI === 'true' || process.env.CI === '1';

const TEXTFILE = '/var/lib/prometheus/node-exporter/pacman-guard.prom';
/** The extension merged through most of the scenarios. */
const EXTENSION = 'guardtest-sysext';
/** Extensions the scenarios add and remove; each carries one package entry named like it (mkext.sh). */
const SECOND = 'guardtest-second';
const INCOMPATIBLE = 'guardtest-fedora';
const RAW = 'guardtest-raw';
const CONFEXT = 'guardtest-confext';
/** Every package an extension of the scenarios can show pacman: what the view check looks for. */
const EXTENSION_PACKAGES = [EXTENSION, SECOND, RAW, 'guardtest-lib', 'guardtest'];

/** Fails with everything that tells why: the script's output and the end of the console. */
function expectExit(result: RunResult, code: number, container: Container): void {
  if (result.exitCode !== code) throw new Error(`exit ${result.exitCode}, expected ${code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}\n${container.console()}`);
}

interface Status {
  engaged: boolean | null;
  merged: boolean | null;
  locked: boolean | null;
  hierarchies: { hierarchy: string; kind?: string; extensions: string[] }[];
  problems: string[];
  view: { mounted: boolean; packages: { package: string; extension: string | null }[] } | null;
  exitCode: number;
}


export function systemSuite(suite: Suite): void {
  const rootfs = process.env[rootfsVariable(suite)];
  const obstacle = process.env[obstacleVariable(suite)] ?? (rootfs ? undefined : "the system project's global setup did not run");
  const title = `pacman-guard under a booted systemd: Debian ${suite} (systemd-nspawn)`;
  if (rootfs && !obstacle) {
    describe(title, () => scenarios(rootfs));
  } else if (inCI) {
    describe(title, () => {
      it('needs a container systemd-nspawn can boot', () => {
        throw new Error(`the ${suite} system test cannot run under CI: ${obstacle}`);
      });
    });
  } else {
    describe.skip(`${title} (skipped: ${obstacle})`, () => scenarios(rootfs ?? ''));
  }
}

function scenarios(rootfs: string): void {
  let container: Container;
  const run = (script: string) => container.run(script);
  const guard = (args: string) => run(`${container.guard} ${args}`);
  const status = async (): Promise<Status> => JSON.parse((await guard('status --json')).stdout) as Status;
  // What the root can do, from its packages (the describe callback runs before beforeAll boots it).
  const systemd = rootfs ? Number(/^(\d+)/.exec(packageVersion(rootfs, 'systemd') ?? '')?.[1]) : 0;
  const pacmanMajor = rootfs ? Number(/^(\d+)/.exec(packageVersion(rootfs, 'pacman-package-manager') ?? '')?.[1]) : 0;
  /** systemctl reload systemd-sysext.service exists since 257 (ExecReload=systemd-sysext refresh). */
  const hasReload = systemd >= 257;
  /** Mutable merges (--mutable=, SYSTEMD_SYSEXT_MUTABLE_MODE) since 256. */
  const hasMutable = systemd >= 256;
  /** systemd-confext since 254. */
  const hasConfext = systemd >= 254;
  /** pacman's DownloadUser since 7.0. */
  const hasDownloadUser = pacmanMajor >= 7;
  /** Packages of EXTENSION_PACKAGES installed in the base (by guard update): pacman lists them merged or not. */
  let base = new Set<string>();

  /** What systemd has merged now, by hierarchy: its own answer, not guard's. */
  async function systemdMerged(tool: 'systemd-sysext' | 'systemd-confext'): Promise<Map<string, string[]>> {
    const result = await run(`${tool} status --json=short`);
    expectExit(result, 0, container);
    const rows = JSON.parse(result.stdout) as { hierarchy: string; extensions: string[] | string }[];
    // 262 lists a hierarchy it did not merge with an empty list (older ones say "none").
    return new Map(rows.filter((row) => Array.isArray(row.extensions) && row.extensions.length > 0).map((row) => [row.hierarchy, [...(row.extensions as string[])].sort()]));
  }

  /**
   * The invariant every scenario ends in: the sysexts merged are `sysexts`
   * (and the confexts `confexts`), pacman's database is locked exactly while
   * a sysext is merged, pacman sees exactly their packages, guard status says
   * the same with no problem, and the unit has not failed.
   */
  async function expectSettled(sysexts: string[], confexts: string[] = []): Promise<void> {
    try {
      // systemctl start returns when systemd-sysext.service has started; the settle after it (pacman's view,
      // the lock's removal when nothing merged) is pacman-guard-settle.service's, ordered after it: its job ends first.
      expectExit(await run(`for i in $(seq 1200); do systemctl list-jobs --no-legend --no-pager | grep -q 'pacman-guard-settle' || exit 0; sleep 0.1; done; exit 1`), 0, container);
      await checkSettled(sysexts, confexts);
    } catch (error) {
      // What tells why, from the container: systemd's and guard's view, the extensions, the unit's journal.
      const diagnosis = await run(`systemd-sysext status; ${hasConfext ? 'systemd-confext status;' : ''} ls /var/lib/extensions; findmnt -n -o TARGET,FSTYPE,OPTIONS /var/lib/pacman; ${container.guard} status
        systemctl show -p ActiveState,Result systemd-sysext.service pacman-guard-settle.service; journalctl -b --no-pager -o cat -n 15 -u systemd-sysext.service -u pacman-guard-settle.service
        grep ' /var/lib/pacman ' /proc/self/mountinfo; journalctl -b --no-pager -o short-monotonic -n 30 -u 'systemd-sysext@*' -u 'systemd-sysupdate-notify-sysext@*'`);
      if (error instanceof Error) error.message += `\n--- the container:\n${diagnosis.stdout}${diagnosis.stderr}`;
      throw error;
    }
  }

  async function checkSettled(sysexts: string[], confexts: string[]): Promise<void> {
    const merged = await systemdMerged('systemd-sysext');
    const mergedNames = [...new Set([...merged.values()].flat())].sort();
    expect(mergedNames, 'systemd-sysext status').toEqual([...sysexts].sort());
    if (hasConfext) {
      const etc = [...(await systemdMerged('systemd-confext')).values()].flat().sort();
      expect(etc, 'systemd-confext status').toEqual([...confexts].sort());
    }
    // The lock as the kernel enforces it: a write into the database fails exactly while anything is
    // merged, a confext included (pacman writes /etc too: backup files, .pacnew; docs/merge-state.md).
    const anything = sysexts.length + confexts.length > 0;
    const write = await run('touch /var/lib/pacman/.guard-probe && rm /var/lib/pacman/.guard-probe');
    expect(write.exitCode === 0 ? 'writable' : 'read-only', `/var/lib/pacman (${write.stderr.trim()})`).toBe(anything ? 'read-only' : 'writable');
    // pacman's view: exactly the merged extensions' packages, no stale one.
    const query = await run(`/usr/bin/pacman -Qq ${EXTENSION_PACKAGES.join(' ')} 2>/dev/null`);
    const shown = query.stdout.split('\n').filter(Boolean).sort();
    const carried = (name: string) => EXTENSION_PACKAGES.includes(name);
    expect(shown, '/usr/bin/pacman -Qq (the view)').toEqual([...new Set([...sysexts.filter(carried), ...base])].sort());
    // guard agrees, with no phantom hierarchy (a mutable merge's /usr/.systemd-sysext) and no problem.
    const state = await status();
    const guardSysexts = state.hierarchies.filter((row) => row.kind !== 'confext' && row.hierarchy !== '/etc');
    expect(guardSysexts.map((row) => row.hierarchy).sort(), 'guard status: sysext hierarchies').toEqual([...merged.keys()].sort());
    expect([...new Set(guardSysexts.flatMap((row) => row.extensions))].sort(), 'guard status: sysext names').toEqual(mergedNames);
    if (confexts.length > 0) {
      expect(state.hierarchies.filter((row) => row.kind === 'confext' || row.hierarchy === '/etc').flatMap((row) => row.extensions).sort(), 'guard status: confext names').toEqual([...confexts].sort());
    }
    expect({ locked: state.locked, problems: state.problems }, 'guard status').toEqual({ locked: anything, problems: [] });
    // The unit: never failed by the guard's Exec lines, nor the settle unit after it.
    const unit = await run('systemctl show -p Result --value systemd-sysext.service; systemctl is-failed systemd-sysext.service pacman-guard-settle.service');
    expect(unit.stdout.split('\n').slice(0, 3), 'systemd-sysext.service Result, is-failed (and pacman-guard-settle.service\'s)').toEqual(['success', expect.not.stringMatching(/^failed$/), expect.not.stringMatching(/^failed$/)]);
    const internal = await run("journalctl -b --no-pager -o cat -u systemd-sysext.service -u pacman-guard-settle.service | grep -i 'internal error'");
    expect(internal.stdout, 'the unit\'s journal').toBe('');
  }

  /** Polls until the state settles as expected (a varlink call returns before anything that follows it is done). */
  async function eventuallySettled(sysexts: string[], confexts: string[] = [], timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        await expectSettled(sysexts, confexts);
        return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 2000));
      }
    }
  }

  /**
   * Where every scenario after the first ones starts, whatever the one before
   * left: only EXTENSION present, merged by the unit, the database locked,
   * nothing under /usr but the merge (read-only, no mutable mode's upper
   * layer or bind) and nothing merged on /opt or /etc. Files
   * are put back here; mounts by a restart of the unit, or else by a reboot.
   * Each scenario then proves its own outcome, not the one before it.
   */
  async function baseline(): Promise<void> {
    // The scenarios start systemd-sysext.service many times in a row: on a quiet machine more than its
    // start limit (StartLimitBurst=5 in 10 s) and systemd refuses the next start ("attempted too
    // often", seen in a local CI run). The limit is systemd's, not under test: each scenario starts with
    // the counter reset. Every start is still judged by its result (atBaseline, expectSettled).
    expectExit(await run(`set -e
      systemctl reset-failed systemd-sysext.service
      systemctl stop systemd-confext.service 2>/dev/null || true
      ${hasConfext ? 'systemd-confext unmerge >/dev/null 2>&1 || true' : ''}
      rm -rf /var/lib/confexts
      if [[ -d /root/${EXTENSION} ]]; then rm -rf /var/lib/extensions/${EXTENSION}; mv /root/${EXTENSION} /var/lib/extensions/; fi
      find /var/lib/extensions -mindepth 1 -maxdepth 1 ! -name ${EXTENSION} -exec rm -rf {} +
      if [[ -e /etc/systemd/system/systemd-sysext.service.d/50-mutable.conf ]]; then
        rm /etc/systemd/system/systemd-sysext.service.d/50-mutable.conf
        systemctl daemon-reload
      fi
      printf '[options]\\nArchitecture = auto\\nSigLevel = Never\\nLocalFileSigLevel = Never\\n' >/etc/pacman.conf`), 0, container);
    const atBaseline = async () => (await run(`[[ $(systemd-sysext status --json=short) =~ \\[\\"${EXTENSION}\\"\\] ]] || exit 1
      [[ $(awk '$5 ~ /^\\/(usr|opt|etc)(\\/\\.systemd-(sysext|confext))?$/' /proc/self/mountinfo | wc -l) == 1 ]] || exit 2
      ! grep -q ' /usr .*upperdir=' /proc/self/mountinfo || exit 2
      if touch /var/lib/pacman/.guard-probe 2>/dev/null; then rm /var/lib/pacman/.guard-probe; exit 3; fi
      [[ $(systemctl is-active systemd-sysext.service) == active && $(systemctl show -p Result --value systemd-sysext.service) == success ]] || exit 4`)).exitCode === 0;
    if (await atBaseline()) return;
    await run('systemctl restart systemd-sysext.service');
    if (await atBaseline()) return;
    await container.reboot();
    if (await atBaseline()) return;
    await expectSettled([EXTENSION]);
    throw new Error('the container did not come back to the baseline (only guardtest-sysext merged, locked, the unit active) after a reboot');
  }

  /**
   * Who took the lock in the current start of systemd-sysext.service, from that
   * start's journal: boot-lock.sh says so in its last line; the guard's lock
   * --fit never does.
   */
  async function lockedBy(): Promise<string> {
    // journald takes the lines asynchronously: the lock's line first.
    const journal = await container.until(`id=$(systemctl show -p InvocationID --value systemd-sysext.service)
      journalctl -b --no-pager -o cat _SYSTEMD_INVOCATION_ID=$id | grep -A1 '^locked: /var/lib/pacman' | grep .`, 60_000);
    expectExit(journal, 0, container);
    if (journal.stdout.includes('(pacman-guard boot lock)')) return 'the boot lock';
    // Why the shell handed over, for the failure message: the token against what stat says now.
    const why = await run(`cat /var/lib/pacman-guard/boot-lock; echo '-- now:'; LC_ALL=C stat -c '%n %d %i %.9Z' -- $(sed -n '5,$s/ .*//p' /var/lib/pacman-guard/boot-lock); ls -l /var/lib/pacman-guard; grep ' /var/lib/pacman ' /proc/self/mountinfo`);
    return `the guard\n${why.stdout}${why.stderr}`;
  }

  const usrMount = async () => (await run('findmnt -n -o OPTIONS --mountpoint /usr')).stdout;

  beforeAll(async () => {
    container = new Container(rootfs);
    // Packages for the container's pacman: a dependency to guard, files to install, a repository.
    const fixtures = testbedFixtures();
    for (const file of readdirSync(join(fixtures, 'packages'))) copyFileSync(join(fixtures, 'packages', file), join(container.share, file));
    cpSync(join(fixtures, 'repo'), join(container.share, 'repo'), { recursive: true, verbatimSymlinks: true });
    copyFileSync(MKEXT, join(container.share, 'mkext'));
    await container.boot();
    const setup = await run(`set -e
      # The container's own pacman.conf (Debian ships one without Arch's keyring): no signatures for the test packages.
      printf '[options]\\nArchitecture = auto\\nSigLevel = Never\\nLocalFileSigLevel = Never\\n' >/etc/pacman.conf
      pacman -U --noconfirm ${CONTAINER_SHARE}/guardtest-dep-1.0-1-any.pkg.tar.gz >/dev/null
      install -m 755 ${CONTAINER_SHARE}/mkext /root/mkext
      # An extension as an admin would put it: a tree in /var/lib/extensions for this OS.
      /root/mkext ${EXTENSION}`);
    expectExit(setup, 0, container);
  });

  afterAll(async () => {
    await container?.destroy();
  });

  it('the stack: its systemd, pacman and node, as the test output shows them', async () => {
    const result = await run(`systemctl --version | sed -n 1p; /usr/bin/pacman --version | sed -n 's/.*\\(Pacman v[^ ]*\\).*/\\1/p'; ${container.node} --version; ${container.guard} --version`);
    expectExit(result, 0, container);
    console.log(`system test: ${packageVersion(rootfs, 'systemd') ? '' : ''}${result.stdout.trim().split('\n').join(' | ')}`);
    expect(result.stdout).toMatch(new RegExp(`^systemd ${container.systemd}\\b`));
  });

  it('guard install puts the drop-in and the units in place, and systemd reads them after daemon-reload', async () => {
    const result = await run(`${container.guard} install --helpers none && systemctl daemon-reload && systemctl enable systemd-sysext.service 2>&1
      systemctl show -p DropInPaths --value systemd-sysext.service
      systemctl is-enabled pacman-guard-metrics.timer pacman-guard-metrics.service`);
    // Shipped disabled: is-enabled exits non-zero and says so for both.
    expect(result.stdout).toContain('installed  /usr/local/bin/pacman');
    expect(result.stdout).toContain('installed  /etc/systemd/system/pacman-guard-metrics.timer');
    expect(result.stdout).toContain('/etc/systemd/system/systemd-sysext.service.d/pacman-guard.conf');
    expect(result.stdout).toMatch(/disabled\n(disabled|static)\n$/);
  });

  it('systemctl restart systemd-sysext ends merged and locked', async () => {
    expectExit(await run('systemctl restart systemd-sysext.service'), 0, container);
    await expectSettled([EXTENSION]);
    expect((await run(`cat /usr/share/${EXTENSION}/hello`)).stdout).toBe('hello\n');
    // The drop-in's settle showed pacman the extension's package.
    expect((await run(`/usr/bin/pacman -Q ${EXTENSION}; /usr/bin/pacman -Qo /usr/share/${EXTENSION}/hello`)).stdout)
      .toBe(`${EXTENSION} 1.0-1\n/usr/share/${EXTENSION}/hello is owned by ${EXTENSION} 1.0-1\n`);
  });

  it('the shim refuses pacman -S with exit 3', async () => {
    const result = await run('command -v pacman; pacman -S guardtest-extra');
    expect(result.stdout).toBe('/usr/local/bin/pacman\n');
    expect(result.stderr).toMatch(/^error: /);
    expect(result.exitCode).toBe(3);
  });

  it('the refusal is in the journal, with its fields', async () => {
    // journald takes the entry asynchronously: wait for it.
    const result = await container.until(`journalctl -b --no-pager -o json SYSLOG_IDENTIFIER=pacman-guard PACMAN_GUARD_EVENT=refused | grep .`, 60_000);
    expectExit(result, 0, container);
    const entries = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, string>);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      SYSLOG_IDENTIFIER: 'pacman-guard',
      PRIORITY: '4',
      PACMAN_GUARD_EVENT: 'refused',
      PACMAN_GUARD_UID: '0',
      PACMAN_GUARD_ARGV: 'pacman -S guardtest-extra',
    });
    expect(entries[0]!.MESSAGE).toMatch(/^refused 'pacman -S guardtest-extra' \(uid=0.*\): /);
    // What an admin types: the short form shows it too.
    expect((await run('journalctl -b --no-pager -t pacman-guard')).stdout).toContain("refused 'pacman -S guardtest-extra'");
  });

  it('the refusal is in pacman.log', async () => {
    expect((await run('grep -F "[PACMAN-GUARD]" /var/log/pacman.log')).stdout).toMatch(/^\[[^\]]+\] \[PACMAN-GUARD\] refused 'pacman -S guardtest-extra' \(uid=0.*\): .*\n$/);
  });

  it('pacman-guard-metrics.timer writes the metrics into the textfile directory', async () => {
    // node_exporter's package makes the directory; this container has none.
    expectExit(await run('mkdir -p /var/lib/prometheus/node-exporter && systemctl enable --now pacman-guard-metrics.timer 2>&1'), 0, container);
    // Started after OnBootSec= has passed, the timer elapses at once; otherwise within 30 s of boot.
    const result = await container.until(`cat ${TEXTFILE}`, 120_000);
    expectExit(result, 0, container);
    expect(result.stdout).toContain('pacman_guard_locked 1\n');
    expect(result.stdout).toContain('pacman_guard_merged_extensions{hierarchy="/usr"} 1\n');
    expect(result.stdout).toContain('pacman_guard_refusals_total 1\n');
    // Written by rename: no temporary file is left for the collector to trip over.
    expect((await run('ls -A /var/lib/prometheus/node-exporter')).stdout).toBe('pacman-guard.prom\n');
  });

  it('systemctl stop systemd-sysext ends unmerged and unlocked', async () => {
    expectExit(await run('systemctl stop systemd-sysext.service'), 0, container);
    await expectSettled([]);
    expect((await run(`test -e /usr/share/${EXTENSION}`)).exitCode).toBe(1);
  });

  it('a reboot comes back merged and locked, and the enabled timer writes the metrics again', async () => {
    expectExit(await run(`rm ${TEXTFILE}`), 0, container);
    await container.reboot();
    await expectSettled([EXTENSION]);
    expect(await status()).toMatchObject({ view: { mounted: true, packages: [{ package: `${EXTENSION}-1.0-1` }] } });
    const result = await container.until(`cat ${TEXTFILE}`, 180_000);
    expectExit(result, 0, container);
    expect(result.stdout).toContain('pacman_guard_locked 1\n');
    // Counted since boot: the refusal was before this one.
    expect(result.stdout).toContain('pacman_guard_refusals_total 0\n');
  });

  it('the hook aborts /usr/bin/pacman -R after a plain systemd-sysext merge without the lock', async () => {
    expectExit(await run('systemctl stop systemd-sysext.service && systemd-sysext merge'), 0, container);
    expect(await status()).toMatchObject({ merged: true, locked: false });
    const prometheus = await guard('status --prometheus');
    expect(prometheus.exitCode).toBe(5);
    expect(prometheus.stdout).toContain('pacman_guard_merged_unlocked 1\n');

    // pacman relays the hook's output itself, on stdout or stderr.
    const result = await run('/usr/bin/pacman -R --noconfirm guardtest-dep 2>&1');
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('error: pacman-guard: aborting the transaction: system extensions are merged on /usr');
    expect(result.stdout).toContain('failed to commit transaction (failed to run transaction hooks)');
    expectExit(await run('pacman -Q guardtest-dep'), 0, container);
    expect((await run('grep -F "[PACMAN-GUARD] transaction aborted by the hook" /var/log/pacman.log')).exitCode).toBe(0);
    const journal = await container.until("journalctl -b --no-pager -o cat 'PACMAN_GUARD_EVENT=transaction aborted by the hook' | grep .", 60_000);
    expect(journal.stdout).toContain('transaction aborted by the hook');
    // Back the way systemd does it: the unit merges again, locked.
    expectExit(await run('systemd-sysext unmerge && systemctl restart systemd-sysext.service'), 0, container);
    await expectSettled([EXTENSION]);
  });

  it.runIf(hasReload)('systemctl reload after adding an extension: merged and locked', async () => {
    await baseline();
    // Started while its only extension is incompatible: nothing merged, unlocked.
    expectExit(await run(`systemctl stop systemd-sysext.service && mv /var/lib/extensions/${EXTENSION} /root/${EXTENSION} && /root/mkext ${INCOMPATIBLE} fedora && systemctl start systemd-sysext.service`), 0, container);
    await expectSettled([]);
    expectExit(await run(`/root/mkext ${SECOND} && systemctl reload systemd-sysext.service`), 0, container);
    await expectSettled([SECOND]);
  });

  it.runIf(hasReload)('systemctl reload after removing an extension: pacman no longer sees its package', async () => {
    await baseline();
    expectExit(await run(`/root/mkext ${SECOND} && systemctl reload systemd-sysext.service`), 0, container);
    await expectSettled([EXTENSION, SECOND]);
    expectExit(await run(`rm -rf /var/lib/extensions/${SECOND} && systemctl reload systemd-sysext.service`), 0, container);
    await expectSettled([EXTENSION]);
  });

  it('a plain systemd-sysext refresh after removing an extension: the view follows, or status reports it stale', async () => {
    await baseline();
    expectExit(await run(`/root/mkext ${SECOND}`), 0, container);
    expectExit(await guard('refresh'), 0, container);
    await expectSettled([EXTENSION, SECOND]);
    // Typed in a shell, around the guard: systemd merges the one left; the lock stays (still merged).
    expectExit(await run(`rm -rf /var/lib/extensions/${SECOND} && systemd-sysext refresh`), 0, container);
    const shown = await run(`/usr/bin/pacman -Q ${SECOND}`);
    if (shown.exitCode === 0) {
      // The view is stale (pacman lists a package whose files are gone): status, --json and the metrics must say so.
      const state = await status();
      expect(state.problems.join('\n'), 'guard status --json problems with a stale view').toMatch(new RegExp(SECOND));
      expect(state.exitCode, 'guard status exit code with a stale view').not.toBe(3);
      expect((await guard('status')).exitCode).toBe(state.exitCode);
    }
    expectExit(await guard('refresh'), 0, container);
    await expectSettled([EXTENSION]);
  });

  it.runIf(systemd >= 256)('varlink io.systemd.sysext.Merge and Unmerge, with the unit stopped: the lock follows', async () => {
    await baseline();
    const socket = await run('command -v varlinkctl && systemctl start systemd-sysext.socket && test -S /run/systemd/io.systemd.sysext');
    expectExit(socket, 0, container);
    expectExit(await run('systemctl stop systemd-sysext.service'), 0, container);
    await expectSettled([]);
    expectExit(await run(`varlinkctl call /run/systemd/io.systemd.sysext io.systemd.sysext.Merge '{}'`), 0, container);
    await eventuallySettled([EXTENSION]);
    expectExit(await run(`varlinkctl call /run/systemd/io.systemd.sysext io.systemd.sysext.Unmerge '{}'`), 0, container);
    await eventuallySettled([]);
    expectExit(await run(`varlinkctl call /run/systemd/io.systemd.sysext io.systemd.sysext.Refresh '{}'`), 0, container);
    await eventuallySettled([EXTENSION]);
    expectExit(await run('systemd-sysext unmerge; systemctl start systemd-sysext.service'), 0, container);
    await expectSettled([EXTENSION]);
  });

  it.runIf(systemd >= 262)('the sysupdate notification (systemd-sysupdate-notify-sysext.socket) refreshes with the lock', async () => {
    await baseline();
    // The socket's path, as the unit has it.
    const listen = await run('systemctl start systemd-sysupdate-notify-sysext.socket && systemctl show -p Listen --value systemd-sysupdate-notify-sysext.socket');
    expectExit(listen, 0, container);
    const path = /^(\/\S+)/.exec(listen.stdout.trim())?.[1];
    expect(path, `Listen= of systemd-sysupdate-notify-sysext.socket: ${listen.stdout}`).toBeDefined();
    expectExit(await run('systemctl stop systemd-sysext.service'), 0, container);
    await expectSettled([]);
    // What systemd-sysupdate sends when an update completed (every parameter is optional).
    expectExit(await run(`varlinkctl call ${path} io.systemd.SysUpdate.Notify.OnCompletedUpdate '{}'`), 0, container);
    await eventuallySettled([EXTENSION]);
    expectExit(await run('systemd-sysext unmerge; systemctl start systemd-sysext.service'), 0, container);
    await expectSettled([EXTENSION]);
  });

  for (const mode of ['yes', 'ephemeral']) {
    it.runIf(hasMutable)(`a mutable merge (SYSTEMD_SYSEXT_MUTABLE_MODE=${mode}) is one hierarchy, locked, and guard keeps the mode`, async () => {
      await baseline();
      expectExit(await run(`systemctl stop systemd-sysext.service
        printf '[Service]\\nEnvironment=SYSTEMD_SYSEXT_MUTABLE_MODE=${mode}\\n' >/etc/systemd/system/systemd-sysext.service.d/50-mutable.conf
        systemctl daemon-reload && systemctl start systemd-sysext.service`), 0, container);
      expect(await usrMount(), 'the merge is mutable (an upper layer)').toContain('upperdir=');
      await expectSettled([EXTENSION]);
      // pacman stays refused.
      expect((await run('pacman -S guardtest-extra')).exitCode).toBe(3);
      // guard's own refresh, unmerge and merge put the mode back as they found it.
      expectExit(await guard('refresh'), 0, container);
      expect(await usrMount(), 'after guard refresh').toContain('upperdir=');
      await expectSettled([EXTENSION]);
      expectExit(await guard('unmerge'), 0, container);
      await expectSettled([]);
      expectExit(await guard('merge'), 0, container);
      expect(await usrMount(), 'after guard unmerge, guard merge').toContain('upperdir=');
      await expectSettled([EXTENSION]);
      expectExit(await run('systemctl stop systemd-sysext.service && rm /etc/systemd/system/systemd-sysext.service.d/50-mutable.conf && systemctl daemon-reload && systemctl start systemd-sysext.service'), 0, container);
      expect(await usrMount()).not.toContain('upperdir=');
      await expectSettled([EXTENSION]);
    });
  }

  it.runIf(hasConfext)('a confext: named, kept apart from the sysexts in stop, unmerge, merge and guard update, and put back', async () => {
    await baseline();
    const extra = 'guardtest-extra-1.0-1-any.pkg.tar.gz';
    expectExit(await run(`/root/mkext --confext ${CONFEXT} && systemctl start systemd-confext.service && cat /etc/share/${CONFEXT}/hello`), 0, container);
    await expectSettled([EXTENSION], [CONFEXT]);
    // Stopping the sysexts' unit leaves the confext merged, and the lock with it.
    expectExit(await run('systemctl stop systemd-sysext.service'), 0, container);
    await expectSettled([], [CONFEXT]);
    const merged = await guard('merge');
    expectExit(merged, 0, container);
    await expectSettled([EXTENSION], [CONFEXT]);
    const unmerged = await guard('unmerge');
    expectExit(unmerged, 0, container);
    await expectSettled([], [CONFEXT]);
    expectExit(await guard('merge'), 0, container);
    await expectSettled([EXTENSION], [CONFEXT]);
    // guard update: pacman runs (it writes /etc too), and both come back as found.
    const update = await guard(`update -U --noconfirm ${CONTAINER_SHARE}/${extra}`);
    expectExit(update, 0, container);
    expect((await run(`pacman -Q guardtest-extra; cat /etc/share/${CONFEXT}/hello`)).stdout).toBe('guardtest-extra 1.0-1\nhello\n');
    await expectSettled([EXTENSION], [CONFEXT]);
    expectExit(await run(`systemctl stop systemd-confext.service; rm -rf /var/lib/confexts/${CONFEXT} && systemctl restart systemd-sysext.service`), 0, container);
    await expectSettled([EXTENSION]);
  });

  it('a raw image: merged, locked, and merged in guard extend --list', async () => {
    await baseline();
    expectExit(await run(`/root/mkext --raw ${RAW} && systemctl restart systemd-sysext.service`), 0, container);
    await expectSettled([EXTENSION, RAW]);
    const list = await guard('extend --list');
    expectExit(list, 0, container);
    expect(list.stdout).toMatch(new RegExp(`^${RAW}(\\.raw)?\\s+merged\\b`, 'm'));
    expectExit(await run(`rm /var/lib/extensions/${RAW}.raw && systemctl restart systemd-sysext.service`), 0, container);
    await expectSettled([EXTENSION]);
  });

  it('the boot lock locks in the shell while nothing changed since the guard\'s last fit check, and hands over to the guard once the base changed', async () => {
    await baseline();
    // baseline() wrote pacman.conf: the guard decides this start, and writes the token again.
    expectExit(await run('systemctl restart systemd-sysext.service'), 0, container);
    await expectSettled([EXTENSION]);
    // As at boot: the guard's runtime state gone with /run (the token is on /var).
    expectExit(await run('systemctl stop systemd-sysext.service && rm -rf /run/pacman-guard && systemctl start systemd-sysext.service'), 0, container);
    await expectSettled([EXTENSION]);
    expect(await lockedBy(), 'a start with nothing changed, /run fresh').toBe('the boot lock');
    // The base changes while nothing is merged (a package removed and installed again: local/ changes).
    expectExit(await run(`systemctl stop systemd-sysext.service
      pacman -Rdd --noconfirm guardtest-dep >/dev/null && pacman -U --noconfirm ${CONTAINER_SHARE}/guardtest-dep-1.0-1-any.pkg.tar.gz >/dev/null
      systemctl start systemd-sysext.service`), 0, container);
    await expectSettled([EXTENSION]);
    expect(await lockedBy(), 'a start after the base changed').toMatch(/^the guard\n/);
    expectExit(await run('systemctl restart systemd-sysext.service'), 0, container);
    await expectSettled([EXTENSION]);
    expect(await lockedBy(), 'a restart after the guard checked again').toBe('the boot lock');
    // An update record (here one that does not parse): the shell never decides; the guard refuses and the unit fails, nothing merged.
    const refused = await run(`systemctl stop systemd-sysext.service
      printf '{}' >/var/lib/pacman-guard/update.json
      systemctl start systemd-sysext.service 2>/dev/null && exit 9
      systemctl show -p Result --value systemd-sysext.service
      systemd-sysext status --json=short`);
    expectExit(refused, 0, container);
    expect(refused.stdout).toMatch(/^exit-code\n/);
    expect(refused.stdout).not.toContain(EXTENSION);
    const journal = await container.until(`id=$(systemctl show -p InvocationID --value systemd-sysext.service)
      journalctl -b --no-pager -o cat _SYSTEMD_INVOCATION_ID=$id | grep -F 'cannot tell whether a guard update is in progress'`, 60_000);
    expectExit(journal, 0, container);
    expectExit(await run('rm /var/lib/pacman-guard/update.json && systemctl reset-failed systemd-sysext.service && systemctl start systemd-sysext.service'), 0, container);
    await expectSettled([EXTENSION]);
  });

  it('guard update installs a package on a read-only /usr and leaves systemd-sysext.service merged and locked', async () => {
    await baseline();
    const extra = 'guardtest-extra-1.0-1-any.pkg.tar.gz';
    // /usr as an image: read-only by mount underneath the extensions, merged again through the service.
    expectExit(await run('systemd-sysext unmerge && mount --bind /usr /usr && mount -o remount,bind,ro /usr && systemctl restart systemd-sysext.service'), 0, container);
    expect(await status()).toMatchObject({ merged: true, locked: true });
    const refused = await run(`pacman -U --noconfirm ${CONTAINER_SHARE}/${extra}`);
    expect(refused.exitCode).toBe(3);
    expect(refused.stderr).toContain(`guard update -U --noconfirm ${CONTAINER_SHARE}/${extra}`);

    const result = await guard(`update -U --noconfirm ${CONTAINER_SHARE}/${extra}`);
    expectExit(result, 0, container);
    expect(result.stdout).toContain(`:: Put back as found: merged ${EXTENSION}; /var/lib/pacman locked; /usr read-only`);
    await expectSettled([EXTENSION]);
    expect((await run('cat /usr/share/guardtest-extra/file; pacman -Q guardtest-extra; test -w /usr/share || echo read-only')).stdout)
      .toBe('guardtest-extra file\nguardtest-extra 1.0-1\nread-only\n');
    // systemd's view of the unit is untouched: a restart still ends merged and locked.
    expectExit(await run('systemctl restart systemd-sysext.service'), 0, container);
    await expectSettled([EXTENSION]);
  });

  it.runIf(hasDownloadUser)("pacman 7's DownloadUser = alpm: guard extend -y, guard extend, guard update -S", async () => {
    await baseline();
    // The alpm user as Arch's pacman package creates it (sysusers.d/alpm.conf), and Arch's pacman.conf line.
    expectExit(await run(`set -e
      mkdir -p /etc/sysusers.d
      printf 'u alpm - "Arch Linux Package Management" /\\n' >/etc/sysusers.d/alpm.conf
      systemd-sysusers
      id alpm
      rm -rf /srv/repo && cp -r ${CONTAINER_SHARE}/repo /srv/repo && chmod -R a+rX /srv/repo
      printf '[options]\\nArchitecture = auto\\nSigLevel = Never\\nLocalFileSigLevel = Never\\nDownloadUser = alpm\\n\\n[guardtest]\\nServer = file:///srv/repo\\n' >/etc/pacman.conf`), 0, container);
    const refreshed = await guard('extend -y guardtest-lib');
    expectExit(refreshed, 0, container);
    await expectSettled([EXTENSION, 'guardtest-lib']);
    // Without -y: the system's own sync databases, which -y never writes (its copy is that run's alone).
    // They are refreshed the sanctioned way, in guard update's window; the package download is alpm's.
    expectExit(await guard('update -Sy --noconfirm'), 0, container);
    await expectSettled([EXTENSION, 'guardtest-lib']);
    const plain = await guard('extend guardtest');
    expectExit(plain, 0, container);
    await expectSettled([EXTENSION, 'guardtest-lib', 'guardtest']);
    expectExit(await guard('extend --remove guardtest'), 0, container);
    expectExit(await guard('extend --remove guardtest-lib'), 0, container);
    await expectSettled([EXTENSION]);
    const update = await guard('update -Sy --noconfirm guardtest');
    expectExit(update, 0, container);
    expect((await run('pacman -Q guardtest')).stdout).toBe('guardtest 1.0-1\n');
    base.add('guardtest');
    await expectSettled([EXTENSION]);
  });

  it('a fresh database at boot (no /var/lib/pacman/local): the unit does not fail, the lock follows the merge', async () => {
    await baseline();
    expectExit(await run('systemctl stop systemd-sysext.service && mv /var/lib/pacman/local /root/pacman-local'), 0, container);
    const installed = base;
    base = new Set();
    await container.reboot();
    await expectSettled([EXTENSION]);
    expectExit(await run('systemctl stop systemd-sysext.service'), 0, container);
    await expectSettled([]);
    expectExit(await run('rm -rf /var/lib/pacman/local && mv /root/pacman-local /var/lib/pacman/local && systemctl start systemd-sysext.service'), 0, container);
    base = installed;
    await expectSettled([EXTENSION]);
  });
}
