/**
 * The guard's decision for one pacman command on this system. Pure: the
 * caller supplies the parsed command, whether it acts on this system, and the
 * probed state.
 */
import { ExitCode } from '../exit-codes.js';
import type { PacmanCommand } from '../pacman/model.js';
import { describeAction } from './describe.js';

export type Decision = 'allow' | 'refuse' | 'redirect';
export type PolicyMode = 'refuse' | 'redirect';

export interface MergedExtensions {
  readonly hierarchy: string;
  readonly extensions: readonly string[];
  readonly since?: Date;
  readonly mutable?: boolean;
}

/** What the guard knows about the system, or why it cannot know. */
export type Engagement =
  | { readonly known: true; readonly merged: readonly MergedExtensions[]; readonly locked: boolean; readonly dbPath: string }
  | { readonly known: false; readonly reason: string };

export interface Verdict {
  readonly decision: Decision;
  /** One sentence: why. */
  readonly reason: string;
  /** What the command does, in words ("installing packages"). */
  readonly action: string;
  readonly exitCode: ExitCode;
}

export function isEngaged(engagement: Engagement): boolean | undefined {
  return engagement.known ? engagement.merged.length > 0 || engagement.locked : undefined;
}

/** Whether the redirect policy can turn this command into `guard extend`. */
export function isRedirectable(command: PacmanCommand): boolean {
  const has = (flag: Parameters<PacmanCommand['flags']['get']>[0]) => (command.flags.get(flag) ?? 0) > 0;
  if (command.outcome !== 'run' || command.targets.length === 0) return false;
  if (command.operation === 'upgrade') return !has('print') && !has('dbonly');
  if (command.operation === 'sync') {
    return !has('clean') && !has('refresh') && !has('sysupgrade') && !has('downloadonly') && !has('print')
      && !has('search') && !has('info') && !has('list') && !has('groups') && !has('dbonly');
  }
  return false;
}

/**
 * The packages a `pacman -D --asdeps|--asexplicit` command marks, or
 * undefined for any other command. yay and paru run it right after their
 * `pacman -S`/`-U`; under the redirect policy those packages went into a
 * system extension, where no install reason applies.
 */
export function installReasonTargets(command: PacmanCommand): readonly string[] | undefined {
  if (command.outcome !== 'run' || command.operation !== 'database' || command.readsTargetsFromStdin) return undefined;
  const marks = (command.flags.get('asdeps') ?? 0) > 0 || (command.flags.get('asexplicit') ?? 0) > 0;
  return marks && command.targets.length > 0 ? command.targets : undefined;
}

export function decide(command: PacmanCommand, actsOnHost: boolean, engagement: Engagement, mode: PolicyMode = 'refuse'): Verdict {
  const action = describeAction(command);
  const allow = (reason: string): Verdict => ({ decision: 'allow', reason, action, exitCode: ExitCode.Ok });

  if (command.outcome === 'help') return allow('pacman prints its help');
  if (command.outcome === 'version') return allow('pacman prints its version');
  if (command.outcome === 'rejected') return allow(`pacman rejects this command line itself (${command.rejection?.message})`);
  if (!command.needsLock) return allow(`${action} does not change the system`);
  if (!actsOnHost) return allow(`${action} acts on another root and database, not this system's`);

  if (!engagement.known) return unknownStateRefusal(engagement, action);
  if (!isEngaged(engagement)) return allow(NOT_ENGAGED);

  const reason = engagedReason(engagement);
  if (mode === 'redirect' && isRedirectable(command)) {
    return { decision: 'redirect', reason, action, exitCode: ExitCode.Ok };
  }
  return { decision: 'refuse', reason, action, exitCode: ExitCode.Refused };
}

export const NOT_ENGAGED = 'no system extensions are merged and the database is writable';

/** Fail closed: a command that changes the system, on a system whose state could not be read. */
export function unknownStateRefusal(engagement: Extract<Engagement, { known: false }>, action: string): Verdict {
  return {
    decision: 'refuse',
    reason: `cannot tell whether system extensions are merged or the database is locked: ${engagement.reason}`,
    action,
    exitCode: ExitCode.StateUnknown,
  };
}

/** Why an engaged system refuses changes: what is merged where, and the lock. */
export function engagedReason(engagement: Extract<Engagement, { known: true }>): string {
  const parts: string[] = [];
  if (engagement.merged.length > 0) {
    const merged = engagement.merged.map((entry) => `${entry.hierarchy} (${entry.extensions.join(', ') || 'unnamed'})`).join(', ');
    parts.push(`system extensions are merged on ${merged}`);
  }
  if (engagement.locked) parts.push(`${engagement.dbPath} is locked read-only`);
  return parts.join(' and ');
}
