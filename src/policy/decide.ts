/**
 * The guard's decision for one pacman command on this system. Pure: the
 * caller supplies the parsed command, whether it acts on this system, and the
 * probed state.
 */
import { ExitCode } from '../exit-codes.js';
import { actsOnHost, effectOfPlainLine, type HostEffect } from '../pacman/location.js';
import type { PacmanCommand } from '../pacman/model.js';
import { describeAction } from './describe.js';
import { shownTime } from '../pacman/timestamp.js';

export type Decision = 'allow' | 'refuse' | 'redirect';
export type PolicyMode = 'refuse' | 'redirect';

export interface MergedExtensions {
  readonly hierarchy: string;
  readonly extensions: readonly string[];
  readonly since?: Date;
  readonly mutable?: boolean;
}

/** A hierarchy of the read-only image, with why it is read-only in words. */
export interface ReadOnlyHierarchy {
  readonly hierarchy: string;
  readonly description: string;
}

/** A `guard update` maintenance window: open (running) or left open by a guard that died. */
export interface UpdateWindow {
  readonly pid: number;
  readonly started: string;
  readonly running: boolean;
}

/** What the guard knows about the system, or why it cannot know. */
export type Engagement =
  | {
    readonly known: true;
    readonly merged: readonly MergedExtensions[];
    readonly locked: boolean;
    readonly dbPath: string;
    /** Hierarchies pacman writes package files into that are read-only (absent: none). */
    readonly readOnly?: readonly ReadOnlyHierarchy[];
    readonly update?: UpdateWindow;
  }
  | { readonly known: false; readonly reason: string };

/**
 * The way forward from a refusal, true in the state that caused it:
 * - `inspect`: the state is unknown (guard status, guard doctor);
 * - `wait-for-update`: guard update is running;
 * - `finish-update`: a guard update was interrupted (guard update --finish);
 * - `update`: extensions are merged, or the command would write into the
 *   read-only image: the change belongs in guard update's maintenance window;
 * - `unlock`: only the database lock stands in the way (guard unlock … guard lock).
 */
export type NextStep = 'inspect' | 'wait-for-update' | 'finish-update' | 'update' | 'unlock';

export interface Verdict {
  readonly decision: Decision;
  /** With decision `redirect`: where to. */
  readonly redirect?: RedirectKind;
  /** One sentence: why. */
  readonly reason: string;
  /** What the command does, in words ("installing packages"). */
  readonly action: string;
  readonly exitCode: ExitCode;
  /** For a refusal (and a redirect, which falls back to one): what to do instead. */
  readonly next?: NextStep;
}

export function isEngaged(engagement: Engagement): boolean | undefined {
  return engagement.known ? engagement.merged.length > 0 || engagement.locked : undefined;
}

/**
 * Where the redirect policy sends a command the guard would refuse:
 * - `extend`: installs (`-S names`, `-U files`) become a system extension;
 * - `update`: upgrades (`-Su`, `-Syu`) run in guard update's maintenance window;
 * - `remove`: removals (`-R names`) leave the extensions that carry them, or
 *   the base through guard update (which one is for the shim to find out).
 */
export type RedirectKind = 'extend' | 'update' | 'remove';

export function redirectKind(command: PacmanCommand): RedirectKind | undefined {
  const has = (flag: Parameters<PacmanCommand['flags']['get']>[0]) => (command.flags.get(flag) ?? 0) > 0;
  if (command.outcome !== 'run' || has('print') || has('dbonly')) return undefined;
  if (command.operation === 'remove') return command.targets.length > 0 ? 'remove' : undefined;
  if (command.operation === 'upgrade') return command.targets.length > 0 ? 'extend' : undefined;
  if (command.operation !== 'sync' || has('clean') || has('downloadonly') || has('search') || has('info') || has('list') || has('groups')) return undefined;
  if (has('sysupgrade')) return 'update';
  return command.targets.length > 0 && !has('refresh') ? 'extend' : undefined;
}

/** Whether the redirect policy can turn this command into `guard extend`. */
export function isRedirectable(command: PacmanCommand): boolean {
  return redirectKind(command) === 'extend';
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

/**
 * `effect`: what the command does to this system's database and root
 * (src/pacman/location.ts). A line that locks and writes only another
 * database and installs into another root passes; one that writes package
 * files into this root through a private --dbpath is judged like any other
 * change to this system (it would leave files no database records).
 * `true` stands for the effect of the line as if it named no path, `false`
 * for a line that touches nothing of this system.
 */
const NOWHERE: HostEffect = { locksDatabase: false, writesDatabase: false, writesFiles: false };

export function decide(command: PacmanCommand, onHost: HostEffect | boolean, engagement: Engagement, mode: PolicyMode = 'refuse'): Verdict {
  const effect = typeof onHost === 'boolean' ? (onHost ? effectOfPlainLine(command) : NOWHERE) : onHost;
  const action = describeAction(command);
  const allow = (reason: string): Verdict => ({ decision: 'allow', reason, action, exitCode: ExitCode.Ok });

  if (command.outcome === 'help') return allow('pacman prints its help');
  if (command.outcome === 'version') return allow('pacman prints its version');
  if (command.outcome === 'rejected') return allow(`pacman rejects this command line itself (${command.rejection?.message})`);
  if (!command.needsLock) return allow(`${action} does not change the system`);
  if (!actsOnHost(effect)) {
    return allow(effect.otherDatabase === undefined
      ? `pacman would stop before it locks any database`
      : `${action} locks and writes only ${effect.otherDatabase}, not this system's database or root`);
  }

  if (!engagement.known) return unknownStateRefusal(engagement, action);
  // A maintenance window is open: the base is being changed, or was left half-changed.
  if (engagement.update) return updateWindowRefusal(engagement.update, action);
  if (!isEngaged(engagement)) {
    if (!effect.writesFiles || (engagement.readOnly ?? []).length === 0) {
      return allow(engagement.readOnly ? `${NOT_ENGAGED}, and ${action} writes no package files into the read-only image` : NOT_ENGAGED);
    }
  }

  const reason = engagedReason(engagement, effect.writesFiles);
  const next = nextStep(engagement, effect.writesFiles);
  // Only a line on this system's own database becomes guard extend/update: a private --dbpath is no request for either.
  const redirect = mode === 'redirect' && effect.locksDatabase ? redirectKind(command) : undefined;
  if (redirect) return { decision: 'redirect', redirect, reason, action, exitCode: ExitCode.Ok, next };
  return { decision: 'refuse', reason, action, exitCode: ExitCode.Refused, next };
}

/**
 * What proceeds on a known, engaged system. Unlocking is the way only when
 * nothing is merged and the command writes nothing into a read-only image:
 * `guard unmerge` there would merge extensions that were not merged before
 * once `guard merge` follows, and pacman would write into the image.
 */
export function nextStep(engagement: Extract<Engagement, { known: true }>, writesFiles: boolean): NextStep {
  if (engagement.merged.length > 0) return 'update';
  if (writesFiles && (engagement.readOnly ?? []).length > 0) return 'update';
  return 'unlock';
}

/** An open maintenance window refuses every change but its own. */
export function updateWindowRefusal(update: UpdateWindow, action: string): Verdict {
  const reason = update.running
    ? `guard update (pid ${update.pid}) is changing the base system`
    : `a guard update (pid ${update.pid}, started ${shownTime(update.started)}) was interrupted before it put the system back`;
  return { decision: 'refuse', reason, action, exitCode: ExitCode.Refused, next: update.running ? 'wait-for-update' : 'finish-update' };
}

export const NOT_ENGAGED = 'no system extensions are merged and the database is writable';

/** Fail closed: a command that changes the system, on a system whose state could not be read. */
export function unknownStateRefusal(engagement: Extract<Engagement, { known: false }>, action: string): Verdict {
  return {
    decision: 'refuse',
    reason: `cannot tell whether system extensions are merged or the database is locked: ${engagement.reason}`,
    action,
    exitCode: ExitCode.StateUnknown,
    next: 'inspect',
  };
}

/**
 * Why an engaged system refuses changes: what is merged where, the lock, and
 * (for a command that writes package files) the read-only image.
 */
export function engagedReason(engagement: Extract<Engagement, { known: true }>, writesFiles = true): string {
  const parts: string[] = [];
  if (engagement.merged.length > 0) {
    const merged = engagement.merged.map((entry) => `${entry.hierarchy} (${entry.extensions.join(', ') || 'unnamed'})`).join(', ');
    parts.push(`system extensions are merged on ${merged}`);
  }
  if (engagement.locked) parts.push(`${engagement.dbPath} is locked read-only`);
  if (writesFiles) parts.push(...(engagement.readOnly ?? []).map((entry) => entry.description));
  return parts.join(' and ');
}
