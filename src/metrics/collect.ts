/**
 * The metrics' inputs besides the status document: the audit trail's counts
 * since boot (pacman.log) and the hierarchies extensions merge into.
 */
import { readFile } from 'node:fs/promises';
import { countAuditEvents } from '../audit/count.js';
import type { StatusDocument } from '../status/document.js';
import { bootTime } from '../system/boot-time.js';
import { extensionHierarchies } from '../system/sysext.js';
import { renderPrometheus, type AuditCounts } from './prometheus.js';

/** Counts from pacman.log since boot; undefined when either cannot be read (the counters are then left out). */
export async function auditCountsSinceBoot(logFile: string, procRoot?: string): Promise<AuditCounts | undefined> {
  const since = await bootTime(procRoot);
  if (!since) return undefined;
  let text: string;
  try {
    text = await readFile(logFile, 'utf8');
  } catch (error) {
    // No log yet: nothing was refused on this machine.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { refusals: 0, redirects: 0 };
    return undefined;
  }
  return countAuditEvents(text, since);
}

export async function prometheusText(status: StatusDocument, logFile: string, env: NodeJS.ProcessEnv): Promise<string> {
  return renderPrometheus({
    status,
    hierarchies: [...extensionHierarchies(env, 'sysext'), ...extensionHierarchies(env, 'confext')],
    audit: await auditCountsSinceBoot(logFile),
  });
}
