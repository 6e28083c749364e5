/**
 * pacman-guard under a real systemd: a Debian bookworm container booted by
 * systemd-nspawn (container.ts), with guard installed for real inside it. What
 * the namespace testbed can only replay (the drop-in's Exec lines, no
 * journald, no timers) runs here as on a machine: systemd-sysext.service at
 * boot, restart, stop and reboot, the journal, pacman-guard-metrics.timer.
 *
 * One container for the whole file; the steps build on each other in order.
 */
import { copyFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testbedFixtures } from '../testbed/namespace.js';
import { CONTAINER_GUARD, CONTAINER_SHARE, Container, type RunResult } from './container.js';

const rootfs = process.env.SYSTEM_TEST_ROOTFS;
const obstacle = process.env.SYSTEM_TEST_OBSTACLE ?? (rootfs ? undefined : 'the system project\'s global setup did not run');
const inCI = process.env.CI === 'true' || process.env.CI === '1';

const TEXTFILE = '/var/lib/prometheus/node-exporter/pacman-guard.prom';
const EXTENSION = 'guardtest-sysext';

/** Fails with everything that tells why: the script's output and the end of the console. */
function expectExit(result: RunResult, code: number, container: Container): void {
  if (result.exitCode !== code) throw new Error(`exit ${result.exitCode}, expected ${code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}\n${container.console()}`);
}

interface Status {
  engaged: boolean | null;
  merged: boolean | null;
  locked: boolean | null;
  hierarchies: { hierarchy: string; extensions: string[] }[];
  problems: string[];
  view: { mounted: boolean; packages: { package: string; extension: string | null }[] } | null;
}

function suite(): void {
  let container: Container;
  const run = (script: string) => container.run(script);
  const status = async (): Promise<Status> => {
    const result = await run(`${CONTAINER_GUARD} status --json`);
    return JSON.parse(result.stdout) as Status;
  };

  beforeAll(async () => {
    container = new Container(rootfs!);
    // A package in the container's pacman database, for the hook to guard: pacman -R needs a real target.
    const packages = join(testbedFixtures(), 'packages');
    const dep = readdirSync(packages).find((file) => file.startsWith('guardtest-dep-'))!;
    copyFileSync(join(packages, dep), join(container.share, dep));
    await container.boot();
    const setup = await run(`set -e
      # The container's own pacman.conf (Debian ships one without Arch's keyring): no signatures for the test package.
      printf '[options]\\nArchitecture = auto\\nSigLevel = Never\\nLocalFileSigLevel = Never\\n' >/etc/pacman.conf
      pacman -U --noconfirm ${CONTAINER_SHARE}/${dep} >/dev/null
      # An extension as an admin would put it: a tree in /var/lib/extensions for this OS.
      . /etc/os-release
      mkdir -p /var/lib/extensions/${EXTENSION}/usr/lib/extension-release.d /var/lib/extensions/${EXTENSION}/usr/share/${EXTENSION}
      printf 'ID=%s\\nVERSION_ID=%s\\n' "$ID" "$VERSION_ID" >/var/lib/extensions/${EXTENSION}/usr/lib/extension-release.d/extension-release.${EXTENSION}
      echo hello >/var/lib/extensions/${EXTENSION}/usr/share/${EXTENSION}/hello
      # Its package's database entry, as guard extend writes one: pacman sees it while merged.
      entry=/var/lib/extensions/${EXTENSION}/usr/lib/pacman-guard/local/${EXTENSION}-1.0-1
      mkdir -p $entry
      printf '%%NAME%%\n${EXTENSION}\n\n%%VERSION%%\n1.0-1\n\n%%VALIDATION%%\nnone\n\n' >$entry/desc
      printf '%%FILES%%\nusr/\nusr/share/\nusr/share/${EXTENSION}/\nusr/share/${EXTENSION}/hello\n\n' >$entry/files`);
    expectExit(setup, 0, container);
  });

  afterAll(async () => {
    await container?.destroy();
  });

  it('guard install puts the drop-in and the units in place, and systemd reads them after daemon-reload', async () => {
    const result = await run(`${CONTAINER_GUARD} install --helpers none && systemctl daemon-reload && systemctl enable systemd-sysext.service 2>&1
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
    expect(await status()).toMatchObject({ merged: true, locked: true, hierarchies: [{ hierarchy: '/usr', extensions: [EXTENSION] }], problems: [] });
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
    expect(await status()).toMatchObject({ merged: false, locked: false, hierarchies: [], problems: [] });
    expect((await run(`test -e /usr/share/${EXTENSION}`)).exitCode).toBe(1);
    expect((await run(`/usr/bin/pacman -Q ${EXTENSION}`)).exitCode).toBe(1);
  });

  it('a reboot comes back merged and locked, and the enabled timer writes the metrics again', async () => {
    expectExit(await run(`rm ${TEXTFILE}`), 0, container);
    await container.reboot();
    expect(await status()).toMatchObject({ merged: true, locked: true, hierarchies: [{ hierarchy: '/usr', extensions: [EXTENSION] }], problems: [], view: { mounted: true, packages: [{ package: `${EXTENSION}-1.0-1` }] } });
    const result = await container.until(`cat ${TEXTFILE}`, 180_000);
    expectExit(result, 0, container);
    expect(result.stdout).toContain('pacman_guard_locked 1\n');
    // Counted since boot: the refusal was before this one.
    expect(result.stdout).toContain('pacman_guard_refusals_total 0\n');
  });

  it('the hook aborts /usr/bin/pacman -R after a plain systemd-sysext merge without the lock', async () => {
    expectExit(await run('systemctl stop systemd-sysext.service && systemd-sysext merge'), 0, container);
    expect(await status()).toMatchObject({ merged: true, locked: false });
    const prometheus = await run(`${CONTAINER_GUARD} status --prometheus`);
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
  });

  it('guard update installs a package on a read-only /usr and leaves systemd-sysext.service merged and locked', async () => {
    const packages = join(testbedFixtures(), 'packages');
    const extra = readdirSync(packages).find((file) => file.startsWith('guardtest-extra-'))!;
    copyFileSync(join(packages, extra), join(container.share, extra));
    // /usr as an image: read-only by mount underneath the extensions, merged again through the service.
    expectExit(await run('systemd-sysext unmerge && mount --bind /usr /usr && mount -o remount,bind,ro /usr && systemctl restart systemd-sysext.service'), 0, container);
    expect(await status()).toMatchObject({ merged: true, locked: true });
    const refused = await run(`pacman -U --noconfirm ${CONTAINER_SHARE}/${extra}`);
    expect(refused.exitCode).toBe(3);
    expect(refused.stderr).toContain(`guard update -U --noconfirm ${CONTAINER_SHARE}/${extra}`);

    const result = await run(`${CONTAINER_GUARD} update -U --noconfirm ${CONTAINER_SHARE}/${extra}`);
    expectExit(result, 0, container);
    expect(result.stdout).toContain(':: Put back as found: merged guardtest-sysext; /var/lib/pacman locked; /usr read-only');
    expect(await status()).toMatchObject({ merged: true, locked: true, hierarchies: [{ hierarchy: '/usr', extensions: [EXTENSION] }], problems: [] });
    expect((await run('cat /usr/share/guardtest-extra/file; pacman -Q guardtest-extra; test -w /usr/share || echo read-only')).stdout)
      .toBe('guardtest-extra file\nguardtest-extra 1.0-1\nread-only\n');
    // systemd's view of the unit is untouched: a restart still ends merged and locked.
    expectExit(await run('systemctl restart systemd-sysext.service'), 0, container);
    expect(await status()).toMatchObject({ merged: true, locked: true });
  });
}

if (rootfs && !obstacle) {
  describe('pacman-guard under a booted systemd (systemd-nspawn)', suite);
} else if (inCI) {
  describe('pacman-guard under a booted systemd (systemd-nspawn)', () => {
    it('needs a container systemd-nspawn can boot', () => {
      throw new Error(`the system test cannot run under CI: ${obstacle}`);
    });
  });
} else {
  describe.skip(`pacman-guard under a booted systemd (skipped: ${obstacle})`, suite);
}
