/**
 * The namespace testbed for integration tests: every call runs a bash body as
 * root in fresh private mount and PID namespaces set up by setup.sh (tmpfs and
 * overlays over /run, /usr, /etc, /var/lib, /var/cache, pacman's directories
 * and /opt), with real pacman, real systemd-sysext and real bind mounts. The
 * host's mounts and files are never touched.
 *
 * No vitest import here: global-setup.ts and scripts can use it too.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants as fsConstants, readlinkSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
const SETUP_SCRIPT = join(PROJECT_ROOT, 'test/testbed/setup.sh');
const FIXTURES_SCRIPT = join(PROJECT_ROOT, 'test/testbed/fixtures.sh');

/**
 * A PID namespace besides the mount namespace: pacman-guard scans /proc for
 * running pacman processes, and without one every testbed (and every other
 * pacman on the machine) would see the others'. With --kill-child, killing
 * unshare kills the namespace's init and so everything in it.
 */
const UNSHARE_ARGS = ['--mount', '--propagation', 'private', '--pid', '--fork', '--kill-child', '--mount-proc'];

/** Under the integration tests' own timeout (vitest.config.ts), so a hung body reports its output. */
const DEFAULT_TIMEOUT_MS = 240_000;

export interface TestbedResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The body ran past timeoutMs and was killed (exitCode is then 137). */
  readonly timedOut: boolean;
}

export interface TestbedOptions {
  /** Extra environment for the body (added to the test process's own). */
  readonly env?: Readonly<Record<string, string>>;
  /** Kill the whole namespace after this long; default 240 s. */
  readonly timeoutMs?: number;
  /** Standard input of the body; default empty. */
  readonly stdin?: string;
  /** Merge an extension named `sample` before the body runs (testbed_merge_extension sample). */
  readonly merged?: boolean;
  /** Lock the database (read-only self-bind) before the body runs (testbed_lock_db). */
  readonly locked?: boolean;
}

export interface TestbedAvailability {
  readonly available: boolean;
  readonly reason?: string;
}

const REQUIRED_TOOLS = ['unshare', 'mount', 'runuser', 'pacman', 'makepkg', 'repo-add', 'systemd-sysext', 'bsdtar', 'fakeroot'];

/** Whether `tool` is an executable in one of PATH's directories (also for the system test's checks). */
export function onPath(tool: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir || '.', tool), fsConstants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function checkAvailability(): TestbedAvailability {
  if (process.platform !== 'linux') return { available: false, reason: 'the testbed needs Linux' };
  if (process.getuid?.() !== 0) return { available: false, reason: 'the testbed needs root' };
  const missing = REQUIRED_TOOLS.filter((tool) => !onPath(tool));
  if (missing.length > 0) return { available: false, reason: `not installed: ${missing.join(', ')}` };
  try {
    execFileSync('unshare', [...UNSHARE_ARGS, 'true'], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 10_000 });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    return { available: false, reason: `cannot create mount and PID namespaces: ${stderr || String(error)}` };
  }
  return { available: true };
}

let availability: TestbedAvailability | undefined;

/** Whether this machine can run the testbed: root, the tools, and namespaces that work. Memoized. */
export function testbedAvailability(): TestbedAvailability {
  availability ??= checkAvailability();
  return availability;
}

let fixtures: string | undefined;

/**
 * The fixture directory (packages/ and repo/), built by fixtures.sh on first
 * use or taken from TESTBED_FIXTURES, which global-setup.ts sets for the run.
 */
export function testbedFixtures(): string {
  fixtures ??= process.env.TESTBED_FIXTURES || execFileSync('bash', [FIXTURES_SCRIPT], { encoding: 'utf8' }).trim();
  return fixtures;
}

/** Namespaces still running, killed if the test process exits first. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) killGroup(child);
});

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  return 128 + (signal ? osConstants.signals[signal] : 0);
}

/**
 * Runs `body` with bash as root in a fresh testbed (see setup.sh) and resolves
 * with its exit code and output; never rejects for a non-zero exit.
 *
 * The setup runs under `set -euo pipefail`, so a broken testbed fails loudly;
 * the body then runs with `set -u -o pipefail` but without `-e`, because
 * bodies report statuses themselves (`cmd; echo "exit $?"`).
 *
 * The body's environment: the test process's, plus LC_ALL=C, PROJECT_ROOT,
 * GUARD (`node $PROJECT_ROOT/dist/cli/main.js`, built by `npm test`),
 * TESTBED_REPO (the [guardtest] repository), TESTBED_PKGS (the built
 * packages), TESTBED_FIXTURES, TMPDIR (a private tmpfs), then options.env.
 */
export function runInTestbed(body: string, options: TestbedOptions = {}): Promise<TestbedResult> {
  const script = [
    'source "$TESTBED_SETUP"',
    options.merged ? 'testbed_merge_extension sample' : '',
    options.locked ? 'testbed_lock_db' : '',
    'set +e',
    body,
    '',
  ].join('\n');
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const child = spawn('unshare', [...UNSHARE_ARGS, 'bash', '-euo', 'pipefail', '-c', script], {
      env: {
        ...process.env,
        LC_ALL: 'C',
        PROJECT_ROOT,
        GUARD: `node ${PROJECT_ROOT}/dist/cli/main.js`,
        TESTBED_SETUP: SETUP_SCRIPT,
        TESTBED_FIXTURES: testbedFixtures(),
        TESTBED_HOST_MNT_NS: readlinkSync('/proc/self/ns/mnt'),
        ...options.env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
      // Its own process group, so a timeout can kill everything it started.
      detached: true,
    });
    running.add(child);
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child);
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      running.delete(child);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      if (timedOut) stderr += `\ntestbed: killed after ${timeoutMs} ms\n`;
      resolve({ exitCode: exitCodeOf(code, signal), stdout, stderr, timedOut });
    });
    // A body that never reads its input must not crash the test with EPIPE.
    child.stdin.on('error', () => {});
    child.stdin.end(options.stdin ?? '');
  });
}
