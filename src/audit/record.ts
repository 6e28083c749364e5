/**
 * Writes an audit entry to pacman's log file and, when journald runs, to the
 * journal. A failure to record never changes the decision: it is returned as
 * a warning for the caller to print, except a user's EACCES on pacman.log.
 *
 * The journal's structured fields need its datagram socket, which Node
 * cannot open (it has no AF_UNIX SOCK_DGRAM), so `logger --journald` sends
 * them. The user does not wait for it: logger is started detached with the
 * entry in its stdin pipe, and guard exits as soon as it runs (the pipe
 * keeps the entry after guard is gone). Measured on a refusal (npm run
 * bench, 2-core machine): waiting for logger cost about as much as the whole
 * rest of the refusal's own work. What is lost: logger's own failures after
 * it started, which nobody would see either way at that point; a logger
 * that cannot start is still a warning. The pacman.log line is written before
 * returning, as before.
 */
import { appendFile, readFile, access } from 'node:fs/promises';
import { describeError } from '../errors.js';
import { journalFields, pacmanLogLine, type AuditEntry } from './entry.js';

export const JOURNAL_SOCKET = '/run/systemd/journal/socket';

export interface AuditTargets {
  /** pacman's LogFile (pacman-conf LogFile). */
  readonly logFile: string;
  readonly journalSocket?: string;
}

export async function recordAudit(entry: AuditEntry, targets: AuditTargets): Promise<string[]> {
  const warnings: string[] = [];
  try {
    await appendFile(targets.logFile, pacmanLogLine(entry));
  } catch (error) {
    // A user can never write root's pacman.log: that is no news worth a warning on every
    // refusal. The journal below records it; guard doctor says so, once.
    if (!userDenied(error)) warnings.push(`could not write to ${targets.logFile}: ${describeError(error)}`);
  }
  const socket = targets.journalSocket ?? JOURNAL_SOCKET;
  if (await exists(socket)) {
    const input = Object.entries(journalFields(entry)).map(([key, value]) => `${key}=${value.replace(/\n/g, ' ')}`).join('\n');
    try {
      await startDetached('logger', ['--journald'], input);
    } catch (error) {
      warnings.push(`could not write to the journal: ${describeError(error)}`);
    }
  }
  return warnings;
}

/** Starts `file` in its own session, its stdin a pipe holding `input`; resolves once it runs, without waiting for it. */
async function startDetached(file: string, args: readonly string[], input: string): Promise<void> {
  // Only when there is a journal to write to: node:child_process is costly to load (run-tool.ts).
  const { spawn } = await import('node:child_process');
  return new Promise((resolve, reject) => {
    // Its own session: a Ctrl-C on the terminal right after the refusal does not take the entry with it.
    const child = spawn(file, args, { detached: true, stdio: ['pipe', 'ignore', 'ignore'], env: { ...process.env, LC_ALL: 'C' } });
    child.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'ENOENT' ? new Error(`${file} is not installed`) : error));
    child.once('spawn', () => {
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(input);
      child.unref();
      resolve();
    });
  });
}

function userDenied(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return (code === 'EACCES' || code === 'EPERM') && process.getuid?.() !== 0;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** The command name of a process (/proc/PID/comm), or undefined when it is gone or unreadable. */
export async function processName(pid: number, procRoot = '/proc'): Promise<string | undefined> {
  try {
    return (await readFile(`${procRoot}/${pid}/comm`, 'utf8')).trim() || undefined;
  } catch {
    return undefined;
  }
}
