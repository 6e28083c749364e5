/**
 * What a guard update writes to pacman.log (pacman's own format, tag
 * [PACMAN-GUARD]) and the journal: its start, pacman's result, the
 * extensions it held and rebuilt, its finish, a --finish and a rollback.
 * The audit trail's writer (src/audit/record.ts) does both; a failure to
 * write is a warning, never a reason to stop putting the system back.
 */
import { auditEntry } from '../audit/entry.js';
import { recordAudit } from '../audit/record.js';
import type { Output } from '../ui/output.js';

/** The journal's PRIORITY for these lines: info (a refusal is a warning). */
const INFO = 6;

export type UpdateLog = (event: string, message: string) => Promise<void>;

export function updateLog(options: { env: NodeJS.ProcessEnv; logFile: string; argv: readonly string[]; output: Output }): UpdateLog {
  return async (event, message) => {
    const entry = auditEntry(options.env, { argv: options.argv, event, reason: message });
    const warnings = await recordAudit({ ...entry, priority: INFO }, { logFile: options.logFile }).catch((error: unknown) => [String(error)]);
    for (const warning of warnings) options.output.warning(warning);
  };
}
