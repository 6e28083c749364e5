/**
 * libalpm hooks (alpm-hooks(5)) an installation would have triggered. An
 * extension is merged, not installed, so none of them runs: the guard names
 * them instead of dropping them silently (ldconfig, icon and font caches,
 * systemd-sysusers and -tmpfiles, …).
 */
import { matchesTargets } from './fnmatch.js';

export type HookOperation = 'Install' | 'Upgrade' | 'Remove';

export interface HookTrigger {
  readonly operations: readonly HookOperation[];
  readonly type: 'Path' | 'Package';
  readonly targets: readonly string[];
}

export interface AlpmHook {
  /** The file name: a later hook directory's file of the same name overrides an earlier one. */
  readonly name: string;
  readonly triggers: readonly HookTrigger[];
  readonly description?: string;
  readonly when?: string;
  readonly exec?: string;
}

/** Pure: one hook file. Returns undefined for a file libalpm would reject (then it never runs either). */
export function parseAlpmHook(name: string, text: string): AlpmHook | undefined {
  const triggers: { operations: HookOperation[]; type?: string; targets: string[] }[] = [];
  const action: Record<string, string> = {};
  let section: string | undefined;
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      section = header[1];
      if (section === 'Trigger') triggers.push({ operations: [], targets: [] });
      continue;
    }
    const equals = line.indexOf('=');
    const key = (equals === -1 ? line : line.slice(0, equals)).trim();
    const value = equals === -1 ? '' : line.slice(equals + 1).trim();
    const trigger = triggers.at(-1);
    if (section === 'Trigger' && trigger) {
      if (key === 'Operation' && (value === 'Install' || value === 'Upgrade' || value === 'Remove')) trigger.operations.push(value);
      else if (key === 'Type') trigger.type = value === 'File' ? 'Path' : value;
      else if (key === 'Target') trigger.targets.push(value);
    } else if (section === 'Action') {
      action[key] = value;
    }
  }
  const valid = triggers.length > 0 && triggers.every((trigger) => trigger.operations.length > 0 && trigger.targets.length > 0
    && (trigger.type === 'Path' || trigger.type === 'Package'));
  if (!valid || action.Exec === undefined) return undefined;
  return {
    name,
    triggers: triggers.map((trigger) => ({ operations: trigger.operations, type: trigger.type as 'Path' | 'Package', targets: trigger.targets })),
    ...(action.Description !== undefined ? { description: action.Description } : {}),
    ...(action.When !== undefined ? { when: action.When } : {}),
    exec: action.Exec,
  };
}

/**
 * Pure: the hooks that an installation of these packages would run.
 * `paths` are package paths as pacman lists them (relative, directories
 * ending in '/'). Hooks are given in hook-directory order; a later file of
 * the same name replaces an earlier one, as in libalpm.
 */
export function triggeredHooks(hooks: readonly AlpmHook[], packageNames: readonly string[], paths: readonly string[], operation: HookOperation = 'Install'): AlpmHook[] {
  const effective = new Map<string, AlpmHook>();
  for (const hook of hooks) effective.set(hook.name, hook);
  return [...effective.values()].filter((hook) => hook.triggers.some((trigger) => {
    if (!trigger.operations.includes(operation)) return false;
    const candidates = trigger.type === 'Package' ? packageNames : paths;
    return candidates.some((candidate) => matchesTargets(trigger.targets, candidate));
  }));
}
