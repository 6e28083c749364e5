/**
 * The shims' reading of /etc/pacman-guard.conf: the policy, or refuse when
 * the file cannot be read or is invalid (fail closed), saying why.
 */
import { readGuardConfig } from '../system/guard-config-file.js';
import { GuardError, describeError } from '../errors.js';
import type { PolicyMode } from '../policy/decide.js';
import type { Output } from '../ui/output.js';

export async function policyOrRefuse(output: Output): Promise<PolicyMode> {
  try {
    return (await readGuardConfig()).policy;
  } catch (error) {
    const message = error instanceof GuardError ? error.message : describeError(error);
    output.error(message, '  the configuration is invalid, so pacman-guard refuses instead of redirecting (fail closed)');
    return 'refuse';
  }
}
