/**
 * Writes an audit entry to pacman's log file and, when journald runs, to the
 * journal. A failure to record never changes the decision: the pacman.log
 * line's is returned as a warning for the caller to print, except a user's
 * EACCES on pacman.log.
 *
 * The journal's structured fields need its datagram socket, which Node cannot
 * open (it has no AF_UNIX SOCK_DGRAM), so `logger --journald` sends them. The
 * user does not wait for it: logger is started detached (its own session, so
 * the terminal's signals leave it alone), the entry goes into its stdin pipe,
 * and guard exits without waiting for it to finish. The pacman.log line is
 * written first, and waited for. Measured under a booted systemd with
 * journald (the system test's container, medians of 40 alternating runs of
 * `guard shim-check` refusing): 148.6 ms detached against 152.8 ms waiting
 * for logger, and all 80 entries reached the journal.
 */
// Synchronous, like all file access on the hot paths: why in src/system/probe.ts.
import { accessSync, appendFileSync, readFileSync } from 'node:fs';
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
    appendFileSync(targets.logFile, pacmanLogLine(entry));
  } catch (error) {
    // A user can never write root's pacman.log: that is no news worth a warning on every
    // refusal. The journal below records it; guard doctor says so, once.
    if (!userDenied(error)) warnings.push(`could not write to ${targets.logFile}: ${describeError(error)}`);
  }
  const socket = targets.journalSocket ?? JOURNAL_SOCKET;
  if (exists(socket)) await sendToJournal(Object.entries(journalFields(entry)).map(([key, value]) => `${key}=${value.replace(/\n/g, ' ')}`).join('\n'));
  return warnings;
}

/**
 * Hands the entry to a detached `logger --journald`. Its failure cannot be
 * reported (guard has exited by then); `guard doctor` checks that logger is
 * installed where journald runs.
 */
async function sendToJournal(input: string): Promise<void> {
  const { spawn } = await import('node:child_process');
  const logger = spawn('logger', ['--journald'], { detached: true, stdio: ['pipe', 'ignore', 'ignore'], env: { ...process.env, LC_ALL: 'C' } });
  logger.on('error', () => undefined);
  logger.stdin?.on('error', () => undefined);
  // The entry fits in the pipe's buffer: written at once, so guard's exit never cuts it short.
  logger.stdin?.end(input);
  logger.unref();
}

function userDenied(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return (code === 'EACCES' || code === 'EPERM') && process.getuid?.() !== 0;
}

function exists(path: string): boolean {
  try {
    accessSync(path);
    return true;
  } catch {
    return false;
  }
}

/** The command name of a process (/proc/PID/comm), or undefined when it is gone or unreadable. */
export async function processName(pid: number, procRoot = '/proc'): Promise<string | undefined> {
  try {
    return readFileSync(`${procRoot}/${pid}/comm`, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}
