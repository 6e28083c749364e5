/**
 * A booted systemd in a container for the system test: a cached Debian root
 * (rootfs.sh, one per stack: stacks.ts) booted by systemd-nspawn (boot.sh), commands run inside with
 * nsenter. Results come back on nsenter's own stdout and stderr, from files
 * in the container, or from its journal: never from the console, which is
 * unreliable (it is kept in a log for diagnosis only).
 *
 * No vitest import here: global-setup.ts uses it too.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync, closeSync, readdirSync, rmdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { onPath } from '../testbed/namespace.js';
import { rootHasNode, systemdMajor, type Suite } from './stacks.js';

export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
const ROOTFS_SCRIPT = join(PROJECT_ROOT, 'test/system/rootfs.sh');
const BOOT_SCRIPT = join(PROJECT_ROOT, 'test/system/boot.sh');
/** Where the checkout and node appear in the container (boot.sh). */
export const CONTAINER_PROJECT = '/srv/pacman-guard';
export const CONTAINER_NODE = '/srv/node/node';
/** A directory shared with the container, read-write: STATE/share on the host. */
export const CONTAINER_SHARE = '/srv/share';

const REQUIRED_TOOLS = ['systemd-nspawn', 'debootstrap', 'nsenter', 'unshare', 'mount', 'flock'];
/** nspawn's status when the container rebooted (systemd-nspawn(1)). */
export const NSPAWN_REBOOTED = 133;


/** Why this machine cannot run the system test, or undefined when it can (as far as can be told without booting). */
export function systemTestObstacle(): string | undefined {
  if (process.platform !== 'linux') return 'needs Linux';
  if (process.getuid?.() !== 0) return 'needs root (systemd-nspawn, cgroups, mounts)';
  const missing = REQUIRED_TOOLS.filter((tool) => !onPath(tool));
  if (missing.length > 0) return `not installed: ${missing.join(', ')} (apt-get install systemd-container debootstrap)`;
  if (!['/sys/fs/cgroup/unified', '/sys/fs/cgroup/systemd', '/sys/fs/cgroup/cgroup.procs'].some((path) => existsSync(path))) return 'no cgroup hierarchy systemd could use under /sys/fs/cgroup';
  return undefined;
}

/** The cached root file system of a stack, built on first use (two to three minutes, then a hash); concurrent builds of different suites run side by side. */
export function buildRootfs(suite: Suite): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [ROOTFS_SCRIPT, suite], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(stdout.trim()) : reject(new Error(`rootfs.sh ${suite} exited with ${code}`))));
  });
}

export interface RunResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment a root login in the container would have; nothing of the test process leaks in. */
const CONTAINER_ENV = ['env', '-i', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'HOME=/root', 'LC_ALL=C.UTF-8', 'TERM=dumb', 'SYSTEMD_PAGER=', 'SYSTEMD_COLORS=0'];

let counter = 0;

export class Container {
  private nspawn: ChildProcess | undefined;
  private exited: Promise<number> | undefined;
  private leader: number | undefined;
  readonly state: string;
  readonly name: string;
  /** The root's systemd major version: what the stack can be asked to do. */
  readonly systemd: number;
  /** How guard is run inside: with the root's own node (trixie, sid) or the host's, bind-mounted (bookworm ships 18). */
  readonly node: string;
  readonly guard: string;

  constructor(private readonly rootfs: string) {
    this.state = mkdtempSync('/var/tmp/pacman-guard-system-');
    this.name = `pacman-guard-${process.pid}-${++counter}`;
    // share: read-write at /srv/share. mutable: a real directory for
    // /var/lib/extensions.mutable, which cannot live on the container's root
    // (an overlay cannot be another overlay's upper layer).
    execFileSync('mkdir', ['-p', join(this.state, 'share'), join(this.state, 'mutable')]);
    this.systemd = systemdMajor(rootfs);
    this.node = rootHasNode(rootfs) ? '/usr/bin/node' : CONTAINER_NODE;
    this.guard = `${this.node} ${CONTAINER_PROJECT}/dist/cli/main.js`;
  }

  /** The host side of CONTAINER_SHARE. */
  get share(): string {
    return join(this.state, 'share');
  }

  get consoleLog(): string {
    return join(this.state, 'console.log');
  }

  /** Boots (or boots again, after a reboot) and waits until systemd reports the boot finished. */
  async boot(timeoutMs = 180_000): Promise<void> {
    const log = openSync(this.consoleLog, 'a');
    const node = this.node === CONTAINER_NODE ? process.execPath : '-';
    // systemd >= 258 as PID 1 refuses the hybrid cgroup layout this host's nspawn (252) gives it by default.
    const env = this.systemd >= 258 ? { ...process.env, SYSTEMD_NSPAWN_UNIFIED_HIERARCHY: '1' } : process.env;
    const child = spawn('bash', [BOOT_SCRIPT, this.name, this.rootfs, this.state, PROJECT_ROOT, node], {
      stdio: ['ignore', log, log],
      detached: true,
      env,
    });
    closeSync(log);
    this.nspawn = child;
    this.leader = undefined;
    running.add(this);
    this.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? 128 + (signal === 'SIGKILL' ? 9 : 15))));
    const deadline = Date.now() + timeoutMs;
    while (this.leader === undefined) {
      if (Date.now() > deadline) throw new Error(`the container did not start within ${timeoutMs} ms\n${this.console()}`);
      if (child.exitCode !== null) throw new Error(`systemd-nspawn exited with ${child.exitCode} before the container booted\n${this.console()}`);
      this.leader = this.findLeader(child.pid!);
      if (this.leader === undefined) await sleep(100);
    }
    // is-system-running --wait returns once the boot finished: "running", or "degraded" with a failed unit.
    for (;;) {
      const { stdout } = await this.run('systemctl is-system-running --wait', { timeoutMs: Math.max(1000, deadline - Date.now()) });
      const state = stdout.trim();
      if (state === 'running' || state === 'degraded') return;
      if (Date.now() > deadline) throw new Error(`the container's systemd did not finish booting: ${state}\n${this.console()}`);
      await sleep(500);
    }
  }

  /** The container's PID 1, a child of systemd-nspawn (boot.sh execs it, so it has the spawned pid). */
  private findLeader(nspawnPid: number): number | undefined {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const status = readFileSync(`/proc/${entry}/status`, 'utf8');
        const ppid = /^PPid:\s+(\d+)$/m.exec(status)?.[1];
        const nspid = /^NSpid:\s+(.*)$/m.exec(status)?.[1]?.trim().split(/\s+/);
        if (Number(ppid) === nspawnPid && nspid && nspid.length > 1 && nspid[nspid.length - 1] === '1') return Number(entry);
      } catch {
        // Gone meanwhile.
      }
    }
    return undefined;
  }

  /** Runs a bash script as root inside the container, in all its namespaces; never rejects for a non-zero exit. */
  run(script: string, options: { timeoutMs?: number } = {}): Promise<RunResult> {
    if (this.leader === undefined) throw new Error('the container is not running');
    const timeoutMs = options.timeoutMs ?? 120_000;
    return new Promise((resolve, reject) => {
      const child = spawn('nsenter', ['--target', String(this.leader), '--mount', '--uts', '--ipc', '--net', '--pid', '--cgroup', '--root', '--wd', '--', ...CONTAINER_ENV, 'bash', '-o', 'pipefail', '-c', script], {
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      const timer = setTimeout(() => {
        stderr += `\ncontainer: killed after ${timeoutMs} ms\n`;
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }, timeoutMs);
      child.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        resolve({ exitCode: code ?? 128 + (signal === 'SIGKILL' ? 9 : 15), stdout, stderr });
      });
    });
  }

  /** Polls `script` until it exits 0 (the journal and timers are asynchronous); the last result either way. */
  async until(script: string, timeoutMs = 120_000): Promise<RunResult> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const result = await this.run(script);
      if (result.exitCode === 0 || Date.now() > deadline) return result;
      await sleep(1000);
    }
  }

  /** `systemctl reboot` inside: nspawn exits with 133, and the same state boots again. */
  async reboot(timeoutMs = 180_000): Promise<void> {
    await this.run('systemctl --no-block reboot');
    const status = await this.waitForExit(timeoutMs);
    if (status !== NSPAWN_REBOOTED) throw new Error(`systemd-nspawn exited with ${status} instead of ${NSPAWN_REBOOTED} (reboot)\n${this.console()}`);
    await this.boot(timeoutMs);
  }

  /** nspawn's exit status, or -1 after timeoutMs. */
  private async waitForExit(timeoutMs: number): Promise<number> {
    // A timer left running would keep the test process alive after the suite.
    const cancel = new AbortController();
    const timeout = sleep(timeoutMs, -1, { signal: cancel.signal }).catch(() => -1);
    try {
      return await Promise.race([this.exited!, timeout]);
    } finally {
      cancel.abort();
    }
  }

  /** Shuts the container down (`systemctl exit 0` inside: nspawn exits 0), killing what is left after a while; removes its state. */
  async destroy(): Promise<number | undefined> {
    let status: number | undefined;
    if (this.nspawn && this.nspawn.exitCode === null && this.leader !== undefined) {
      await this.run('systemctl --no-block exit 0', { timeoutMs: 30_000 }).catch(() => undefined);
      status = await this.waitForExit(90_000);
    }
    this.kill();
    if (this.nspawn && this.nspawn.exitCode === null) await this.waitForExit(30_000);
    running.delete(this);
    for (const hierarchy of ['/sys/fs/cgroup/systemd', '/sys/fs/cgroup/unified', '/sys/fs/cgroup']) removeCgroup(join(hierarchy, this.name));
    rmSync(this.state, { recursive: true, force: true });
    return status === -1 ? undefined : status;
  }

  /** Kills nspawn and everything left in the container's own cgroups: nothing outside them is touched. */
  kill(): void {
    if (this.nspawn?.pid !== undefined && this.nspawn.exitCode === null) {
      try {
        process.kill(-this.nspawn.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    for (const hierarchy of ['/sys/fs/cgroup/unified', '/sys/fs/cgroup/systemd', '/sys/fs/cgroup']) {
      for (const pid of cgroupProcesses(join(hierarchy, this.name))) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    }
  }

  console(): string {
    try {
      return `console (for diagnosis only):\n${readFileSync(this.consoleLog, 'utf8').split('\n').slice(-40).join('\n')}`;
    } catch {
      return '';
    }
  }
}

function cgroupProcesses(directory: string): number[] {
  if (!existsSync(directory)) return [];
  const pids: number[] = [];
  try {
    pids.push(...readFileSync(join(directory, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean).map(Number));
    for (const entry of readdirSync(directory, { withFileTypes: true })) if (entry.isDirectory()) pids.push(...cgroupProcesses(join(directory, entry.name)));
  } catch {
    // Removed meanwhile.
  }
  return pids;
}

/** cgroups are removed leaves first, with rmdir; a cgroup that still has processes stays. */
function removeCgroup(directory: string): void {
  if (!existsSync(directory)) return;
  try {
    for (const entry of readdirSync(directory, { withFileTypes: true })) if (entry.isDirectory()) removeCgroup(join(directory, entry.name));
    rmdirSync(directory);
  } catch {
    // Busy or gone.
  }
}

/** Containers still running are killed if the test process exits first. */
const running = new Set<Container>();
process.once('exit', () => {
  for (const container of running) container.kill();
});
