/**
 * The guard's decision for one yay or paru command line. Pure: the caller
 * supplies the classified command, whether it acts on this system, the probed
 * state and the policy (/etc/pacman-guard.conf).
 *
 * - refuse (the default): while engaged, every mutating helper operation is
 *   refused before the helper starts, so before any clone, build or prompt.
 * - redirect: helper operations that only install run (`yay -S names`,
 *   `yay names`, `yay -Bi dir`, `paru -B dir`, `-U`): the helper ends in
 *   `pacman -S`/`pacman -U`, which the pacman shim turns into `guard extend`.
 *   Removals, upgrades, refreshes and cache cleaning are refused either way.
 */
import { ExitCode } from '../exit-codes.js';
import { NOT_ENGAGED, engagedReason, isEngaged, unknownStateRefusal, nextStep, updateWindowRefusal, type Engagement, type PolicyMode, type Verdict } from '../policy/decide.js';
import type { HelperCommand } from './classify.js';

export function decideHelper(command: HelperCommand, actsOnHost: boolean, engagement: Engagement, policy: PolicyMode = 'refuse'): Verdict {
  const { action } = command;
  const allow = (reason: string): Verdict => ({ decision: 'allow', reason, action, exitCode: ExitCode.Ok });

  if (command.effect === 'read-only') return allow(`${command.helper}: ${action}, which does not change the system`);
  if (!actsOnHost) return allow(`${action} acts on another root and database, not this system's`);
  if (!engagement.known) return unknownStateRefusal(engagement, action);
  if (engagement.update) return updateWindowRefusal(engagement.update, action);
  // A mutating helper operation counts as writing package files: it ends in a transaction, or fails closed.
  if (!isEngaged(engagement) && (engagement.readOnly ?? []).length === 0) return allow(NOT_ENGAGED);

  const reason = engagedReason(engagement);
  if (policy === 'redirect' && command.redirectable) {
    return allow(`${reason}; Policy = redirect: the pacman shim builds system extensions from what ${command.helper} installs`);
  }
  return { decision: 'refuse', reason, action, exitCode: ExitCode.Refused, next: nextStep(engagement, true) };
}
