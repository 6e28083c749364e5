/**
 * Writes an audit entry to pacman's log file and, when journald runs, to the
 * journal. A failure to record never changes the decision: it is returned as
 * a warning for the caller to print, except a user's EACCES on pacman.log.
 *
 * The journal's structured fields need its datagram socket, which Node cannot
 * open (it has no AF_UNIX SOCK_DGRAM), so `logger --journald` sends them, and
 * guard waits for it so that its failure can be reported. A detached logger
 * (its own session, the entry in its stdin pipe, guard exiting at once) was
 * measured against it and did not win: the refusal took 446 ms against 395 ms
 * waiting for logger (wall time, medians of 40 alternating runs in the
 * testbed with a datagram socket standing for journald, 2-core machine under
 * load): logger then competes with guard's own exit for the CPU. The
 * pacman.log line is written first.
 */
// Synchronous, like all file access on the hot paths: why in src/system/probe.ts.
import { accessSync, appendFileSync, readFileSync } from 'node:fs';
import { runTool } from '../system/run-tool.js';
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
  if (exists(socket)) {
    const input = Object.entries(journalFields(entry)).map(([key, value]) => `${key}=${value.replace(/\n/g, ' ')}`).join('\n');
    try {
      await runTool('logger', ['--journald'], { input, timeoutMs: 5_000 });
    } catch (error) {
      warnings.push(`could not write to the journal: ${describeError(error)}`);
    }
  }
  return warnings;
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
