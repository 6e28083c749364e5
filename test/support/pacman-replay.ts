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
  /** What pacman itself reached when it opened db.lck (fork mode; see pacman-fork-server.c). */
  readonly lock?: LockRecord;
}

/**
 * The directories pacman's process reached at its lock, named by the
 * candidates they are (a path in the testbed), or `dev:ino` when none is.
 */
export interface LockRecord {
  /** The database directory whose db.lck pacman opened. */
  readonly database: string;
  /** Where <dbpath>/local and <dbpath>/sync lead, or undefined when they do not exist. */
  readonly local?: string;
  readonly sync?: string;
  /** pacman got the lock (the replay then stopped it, status 77), as opposed to failing on it. */
  readonly taken: boolean;
}

/** The status the fork server gives a line once pacman holds the lock. */
export const TAKEN_LOCK_STATUS = 77;

export interface ReplayOptions {
  readonly lock?: 'read-only' | 'held';
  /** `exec` runs each line as a fresh process (to check the fork server against). */
  readonly mode?: 'fork' | 'exec';
  /** Lines at a time; default the fork server's (online CPUs + 1). */
  readonly jobs?: number;
  /** pacman's working directory (default: the test's). */
  readonly cwd?: string;
  /** Directories (searched recursively, symlinks not followed) whose identities name what a lock reached, besides /var/lib/pacman. */
  readonly candidates?: readonly string[];
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

/** The first lock attempt's record (pacman opens db.lck once per run). */
function lockRecord(text: string, names: ReadonlyMap<string, string>): LockRecord | undefined {
  const found = new Map<string, string | undefined>();
  let taken = false;
  for (const line of text.split('\n').filter(Boolean)) {
    const [kind, dev, ino] = line.split(' ');
    if (kind === 'taken') taken = true;
    else if (kind === 'lock' || kind === 'local' || kind === 'sync') {
      if (found.has(kind)) continue;
      found.set(kind, dev === 'missing' ? undefined : names.get(`${dev}:${ino}`) ?? `${dev}:${ino}`);
    }
  }
  const database = found.get('lock');
  if (database === undefined) return undefined;
  const local = found.get('local');
  const sync = found.get('sync');
  return { database, ...(local ? { local } : {}), ...(sync ? { sync } : {}), taken };
}

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
    options.cwd ? 'cd "$REPLAY_CWD" || exit 97' : '',
    '(LD_PRELOAD="$FORK_SERVER" "$PACMAN")',
    'status=$?',
    // Named after the replay: identities as pacman met them in this namespace.
    `find /var/lib/pacman ${(options.candidates ?? []).map((dir) => `'${dir}'`).join(' ')} -type d -exec stat -c '%d %i %n' {} + >"$FORK_SERVER_OUT/candidates" || exit 97`,
    'exit $status',
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
        ...(options.cwd ? { REPLAY_CWD: options.cwd } : {}),
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
    const names = new Map<string, string>();
    for (const line of readFileSync(join(out, 'candidates'), 'utf8').split('\n').filter(Boolean)) {
      const [dev, ino, ...path] = line.split(' ');
      // The first name wins: find lists a directory before what is under it.
      if (!names.has(`${dev}:${ino}`)) names.set(`${dev}:${ino}`, path.join(' '));
    }
    return cases.map((_, index) => {
      const status = statuses.get(index);
      if (!status) throw new Error(`replay with pacman ${build.label}: no status for line ${index}`);
      const lockFile = join(out, `${index}.lock`);
      const lock = existsSync(lockFile) ? lockRecord(readFileSync(lockFile, 'utf8'), names) : undefined;
      return {
        ...status,
        stdout: readFileSync(join(out, `${index}.out`), 'utf8').slice(0, 400),
        stderr: readFileSync(join(out, `${index}.err`), 'utf8').slice(0, 4000),
        ...(lock ? { lock } : {}),
      };
    });
  } finally {
    rmSync(workdir, { recursive: true, force: true });
  }
}
