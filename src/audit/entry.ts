/**
 * What the audit trail records about a refusal, and how it is written down:
 * pacman's own log format for pacman.log, key=value fields for the journal.
 * Pure.
 */
import { createRequire } from 'node:module';
import { count, isShortened, shownWords } from '../policy/target-list.js';
import { pacmanTimestamp } from '../pacman/timestamp.js';

/** The timestamp pacman writes: one definition, in src/pacman/timestamp.ts. */
export { pacmanTimestamp };

export interface AuditEntry {
  readonly time: Date;
  readonly uid: number;
  readonly sudoUser?: string;
  /** The command of the process that ran pacman (yay, paru, makepkg, bash, …). */
  readonly parent?: string;
  readonly argv: readonly string[];
  /** `refused`, `refused (state unknown)`, `override` … */
  readonly event: string;
  readonly reason: string;
  /** The journal's PRIORITY (syslog level); default 4, a warning (a refusal). */
  readonly priority?: number;
}

/** An entry for the current process: time, uid and SUDO_USER filled in. */
export function auditEntry(env: NodeJS.ProcessEnv, fields: Pick<AuditEntry, 'argv' | 'event' | 'reason'> & { parent?: string | undefined }): AuditEntry {
  const { parent, ...rest } = fields;
  return {
    time: new Date(),
    uid: process.getuid?.() ?? -1,
    ...(env.SUDO_USER ? { sudoUser: env.SUDO_USER } : {}),
    ...(parent ? { parent } : {}),
    ...rest,
  };
}

/** pacman's log tag for lines it did not write itself, like [ALPM-SCRIPTLET]. */
export const LOG_TAG = 'PACMAN-GUARD';

const quoteWord = (word: string) => (/^[\w@%+=:,./-]+$/.test(word) ? word : JSON.stringify(word));

/**
 * The argv as recorded: whole when short; else its first words, the count and
 * a sha256 of the whole list (each word NUL-terminated, as in
 * /proc/PID/cmdline), so that a 100,000-target command is one short line that
 * still identifies exactly what was refused.
 */
export function recordedArgv(argv: readonly string[]): string {
  const shown = shownWords(argv, quoteWord);
  if (!isShortened(argv)) return shown;
  // node:crypto only for the rare long argv: loading it costs every refusal about 5 ms (--cpu-prof).
  const { createHash } = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
  const digest = createHash('sha256');
  for (const word of argv) digest.update(`${word}\0`);
  return `${shown} (${count(argv.length)} arguments, sha256 ${digest.digest('hex')})`;
}

/** One line of pacman.log, newline included. */
export function pacmanLogLine(entry: AuditEntry): string {
  const who = [`uid=${entry.uid}`, entry.sudoUser ? `sudo_user=${entry.sudoUser}` : undefined, entry.parent ? `parent=${entry.parent}` : undefined]
    .filter(Boolean)
    .join(' ');
  const message = `${entry.event} '${recordedArgv(entry.argv)}' (${who}): ${entry.reason}`.replace(/\n/g, ' ');
  return `[${pacmanTimestamp(entry.time)}] [${LOG_TAG}] ${message}\n`;
}

/** Journal fields (systemd-cat/logger do not take them; the message carries them, fields are for `journalctl -o verbose` via logger --journald). */
export function journalFields(entry: AuditEntry): Record<string, string> {
  return {
    MESSAGE: pacmanLogLine(entry).replace(/^\[[^\]]*\] \[[^\]]*\] /, '').trimEnd(),
    SYSLOG_IDENTIFIER: 'pacman-guard',
    PRIORITY: String(entry.priority ?? 4),
    PACMAN_GUARD_EVENT: entry.event,
    PACMAN_GUARD_UID: String(entry.uid),
    ...(entry.sudoUser ? { PACMAN_GUARD_SUDO_USER: entry.sudoUser } : {}),
    ...(entry.parent ? { PACMAN_GUARD_PARENT: entry.parent } : {}),
    PACMAN_GUARD_ARGV: recordedArgv(entry.argv),
  };
}
