/**
 * The namespace testbed for integration tests: every call runs a bash body as
 * root in a fresh private mount namespace set up by setup.sh (tmpfs and
 * overlays over /run, /etc, /var/lib, pacman's directories and /opt), with
 * real pacman, real systemd-sysext and real bind mounts. The host's mounts
 * and files are never touched.
 */
import { execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
const SETUP = `${PROJECT_ROOT}/test/testbed/setup.sh`;
const FIXTURES = `${PROJECT_ROOT}/test/testbed/fixtures.sh`;

export interface TestbedResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface TestbedOptions {
  readonly env?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
  readonly stdin?: string;
  /** Merge a sample extension named `sample` before the body runs. */
  readonly merged?: boolean;
  /** Lock the database (read-only self-bind) before the body runs. */
  readonly locked?: boolean;
}

let fixtures: string | undefined;

/** Builds (or finds cached) the fixture packages and repository; returns their directory. */
export function testbedFixtures(): string {
  fixtures ??= process.env.TESTBED_FIXTURES ?? execFileSync('bash', [FIXTURES], { encoding: 'utf8' }).trim();
  return fixtures;
}

const REQUIRED_TOOLS = ['unshare', 'pacman', 'makepkg', 'repo-add', 'systemd-sysext', 'mount', 'runuser'];

export function testbedAvailability(): { available: boolean; reason?: string } {
  if (process.getuid?.() !== 0) return { available: false, reason: 'the testbed needs root' };
  for (const tool of REQUIRED_TOOLS) {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    } catch {
      return { available: false, reason: `${tool} is not installed` };
    }
  }
  try {
    execFileSync('unshare', ['-m', '--propagation', 'private', 'true'], { stdio: 'ignore' });
  } catch (error) {
    return { available: false, reason: `cannot create a mount namespace: ${String(error)}` };
  }
  return { available: true };
}

export function runInTestbed(body: string, options: TestbedOptions = {}): Promise<TestbedResult> {
  const prologue = [
    `source ${JSON.stringify(SETUP)}`,
    options.merged ? 'testbed_merge_extension sample' : '',
    options.locked ? 'testbed_lock_db' : '',
    // Bodies check exit statuses themselves ("cmd; echo $?"); the setup above must not fail.
    'set +e',
  ].filter(Boolean).join('\n');
  const script = `${prologue}\n${body}\n`;
  return new Promise((resolve, reject) => {
    const child = spawn('unshare', ['-m', '--propagation', 'private', 'bash', '-euo', 'pipefail', '-c', script], {
      env: {
        ...process.env,
        TESTBED_FIXTURES: testbedFixtures(),
        PROJECT_ROOT,
        GUARD: `node ${PROJECT_ROOT}/dist/cli/main.js`,
        LC_ALL: 'C',
        ...options.env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ exitCode: code ?? 128 + (signal ? 9 : 0), stdout, stderr });
    });
    child.stdin.end(options.stdin ?? '');
  });
}

