/**
 * Replays command lines against a real pacman inside the namespace testbed,
 * through the fork server (pacman-fork-server.c): one pacman process per case
 * list, each line run by pacman's own main() in a forked child, several at a
 * time. The database is locked as the guard locks it (read-only self-bind),
 * or, with `lock: 'held'`, writable with db.lck held, which is how pacman
 * shows it would lock where it fails earlier on a read-only database.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { constants as osConstants, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PacmanBuild } from './pacman-builds.js';
import { PROJECT_ROOT, runInTestbed } from '../testbed/testbed.js';

export interface ReplayCase {
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
}

export interface PacmanRun {
  readonly status: number | null;
  readonly signal: string | null;
  readonly stderr: string;
  readonly stdout: string;
}

export interface ReplayOptions {
  readonly lock?: 'read-only' | 'held';
  /** `exec` runs each line as a fresh process (to check the fork server against). */
  readonly mode?: 'fork' | 'exec';
  /** Lines at a time; default the fork server's (online CPUs + 1). */
  readonly jobs?: number;
}

const SOURCE = join(PROJECT_ROOT, 'test/support/pacman-fork-server.c');
/** What pacman prints to a `-` target's stdin, as before with spawnSync. */
const STDIN_TARGETS = 'guardtest-extra\n';

let forkServer: string | undefined;

/** Compiles the fork server once per source (cached in the temporary directory). */
export function forkServerLibrary(): string {
  if (forkServer) return forkServer;
  const source = readFileSync(SOURCE);
  const key = createHash('sha256').update(source).digest('hex').slice(0, 16);
  const dir = join(tmpdir(), 'pacman-guard-fork-server');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const library = join(dir, `${key}.so`);
  if (!existsSync(library)) {
    const building = `${library}.${process.pid}`;
    execFileSync('cc', ['-O2', '-Wall', '-shared', '-fPIC', '-o', building, SOURCE, '-ldl'], { stdio: ['ignore', 'ignore', 'pipe'] });
    renameSync(building, library);
  }
  forkServer = library;
  return library;
}

/** Whether the fork server can be built here (a C compiler), else why not. */
export function forkServerUnavailable(): string | undefined {
  try {
    forkServerLibrary();
    return undefined;
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    return `cannot build the fork server with cc: ${stderr || (error as Error).message}`;
  }
}

function encodeCases(cases: readonly ReplayCase[]): Buffer {
  const fields: string[] = [];
  for (const { args, env = {} } of cases) {
    const entries = Object.entries(env).map(([name, value]) => `${name}=${value}`);
    // Only a `-` target makes pacman read stdin.
    fields.push(String(entries.length), ...entries, String(args.length), ...args, args.includes('-') ? STDIN_TARGETS : '');
  }
  if (fields.some((field) => field.includes('\0'))) throw new Error('a case contains a NUL byte');
  return Buffer.from(fields.map((field) => `${field}\0`).join(''));
}

const SIGNAL_NAMES = new Map(Object.entries(osConstants.signals).map(([name, number]) => [number, name]));

export async function replayInTestbed(build: PacmanBuild, cases: readonly ReplayCase[], options: ReplayOptions = {}): Promise<PacmanRun[]> {
  if (!build.binary) throw new Error(`pacman ${build.label}: ${build.missing}`);
  const workdir = mkdtempSync(join(tmpdir(), 'pacman-guard-replay-'));
  const casesFile = join(workdir, 'cases');
  const out = join(workdir, 'out');
  mkdirSync(out);
  writeFileSync(casesFile, encodeCases(cases));
  // An upstream build reads PREFIX/etc/pacman.conf: give it the testbed's.
  const body = [
    'if [[ -n $PACMAN_PREFIX ]]; then mount --bind /etc/pacman.conf "$PACMAN_PREFIX/etc/pacman.conf" || exit 97; fi',
    options.lock === 'held' ? ': >/var/lib/pacman/db.lck || exit 97' : '',
    'LD_PRELOAD="$FORK_SERVER" "$PACMAN"',
  ].join('\n');
  try {
    const result = await runInTestbed(body, {
      locked: options.lock !== 'held',
      env: {
        PACMAN: build.binary,
        PACMAN_PREFIX: build.prefix ?? '',
        FORK_SERVER: forkServerLibrary(),
        FORK_SERVER_CASES: casesFile,
        FORK_SERVER_OUT: out,
        FORK_SERVER_MODE: options.mode ?? 'fork',
        ...(options.jobs ? { FORK_SERVER_JOBS: String(options.jobs) } : {}),
      },
      // Generous: thousands of lines on a busy 2-core machine.
      timeoutMs: 900_000,
    });
    if (result.exitCode !== 0) throw new Error(`replay with pacman ${build.label} failed (exit ${result.exitCode}): ${result.stderr}`);
    const statuses = new Map<number, { status: number | null; signal: string | null }>();
    for (const line of readFileSync(join(out, 'status'), 'utf8').split('\n').filter(Boolean)) {
      const [index, kind, code] = line.split(' ');
      statuses.set(Number(index), kind === 'exit' ? { status: Number(code), signal: null } : { status: null, signal: SIGNAL_NAMES.get(Number(code)) ?? `signal ${code}` });
    }
    return cases.map((_, index) => {
      const status = statuses.get(index);
      if (!status) throw new Error(`replay with pacman ${build.label}: no status for line ${index}`);
      return {
        ...status,
        stdout: readFileSync(join(out, `${index}.out`), 'utf8').slice(0, 400),
        stderr: readFileSync(join(out, `${index}.err`), 'utf8').slice(0, 4000),
      };
    });
  } finally {
    rmSync(workdir, { recursive: true, force: true });
  }
}
