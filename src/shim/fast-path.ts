/**
 * The shim's fast path: which command lines the POSIX sh shim may pass to
 * pacman on an engaged system without starting Node, derived from the
 * command-line model (never written by hand, so it cannot drift from it).
 *
 * The fast path only ever answers "certainly does not take the lock" for a
 * simple shape: the first word is one short-option cluster without `-b`/`-r`
 * (which would consume arguments), every later word is an operand (does not
 * start with `-`). Within that shape the model's answer depends only on which
 * letters the cluster holds and whether operands follow, so the derived
 * letter sets are verified exhaustively against the model. Everything else
 * goes to Node and the full model.
 */
import { parsePacmanCommand } from '../pacman/model.js';
import {
  GLOBAL_MODIFIERS,
  OPERATION_LETTERS,
  OPERATION_MODIFIERS,
  PACMAN_VERSIONS,
  type Operation,
  type PacmanVersion,
} from '../pacman/options.js';

export interface FastPathRule {
  /** The operation letter, e.g. `S`. */
  readonly operation: string;
  /** At least one of these letters must be present; empty when none is needed. */
  readonly required: readonly string[];
  /** Letters that may be present besides the operation and the required ones. */
  readonly allowed: readonly string[];
}

/** Letters that make pacman print help or its version, which never lock. */
export const HELP_LETTERS = ['h', 'V'] as const;

/** Short letters that take no argument and are accepted by the operation (its own, then global ones). */
function candidateLetters(operation: Operation, versions: readonly PacmanVersion[]): string[] {
  const letters = new Set<string>();
  for (const modifier of [...OPERATION_MODIFIERS[operation], ...GLOBAL_MODIFIERS]) {
    if (!modifier.short || modifier.effect !== 'switch') continue;
    if (versions.some((version) => modifier.since && PACMAN_VERSIONS.indexOf(modifier.since) > PACMAN_VERSIONS.indexOf(version))) continue;
    letters.add(modifier.short);
  }
  return [...letters].sort();
}

/** Whether any pacman version would take the lock for `-<operation><letters> [operand]`. */
function mayLock(operation: string, letters: string, versions: readonly PacmanVersion[]): boolean {
  const cluster = `-${operation}${letters}`;
  return versions.some((version) =>
    parsePacmanCommand([cluster], { version }).needsLock || parsePacmanCommand([cluster, 'package'], { version }).needsLock,
  );
}

function* subsets(letters: readonly string[]): Generator<string> {
  const count = 1 << letters.length;
  for (let mask = 0; mask < count; mask++) {
    let subset = '';
    for (let bit = 0; bit < letters.length; bit++) if (mask & (1 << bit)) subset += letters[bit];
    yield subset;
  }
}

/** Every combination the rule admits, or the first one that may lock. */
export function findLockingCombination(rule: FastPathRule, versions: readonly PacmanVersion[] = PACMAN_VERSIONS): string | undefined {
  const requiredChoices = rule.required.length === 0 ? [''] : rule.required;
  for (const required of requiredChoices) {
    for (const subset of subsets(rule.allowed.filter((letter) => letter !== required))) {
      if (mayLock(rule.operation, required + subset, versions)) return `-${rule.operation}${required}${subset}`;
    }
  }
  return undefined;
}

function deriveRule(letter: string, versions: readonly PacmanVersion[]): FastPathRule | undefined {
  const operation = OPERATION_LETTERS[letter]!;
  const candidates = candidateLetters(operation, versions);
  const required = mayLock(letter, '', versions) ? candidates.filter((candidate) => !mayLock(letter, candidate, versions)) : [];
  if (mayLock(letter, '', versions) && required.length === 0) return undefined;
  const requiredChoices = required.length === 0 ? [''] : required;
  let allowed = candidates.filter((candidate) => !required.includes(candidate) && requiredChoices.every((choice) => !mayLock(letter, choice + candidate, versions)));
  // Pairs can still lock together; drop letters until every combination is proven safe.
  for (;;) {
    const locking = findLockingCombination({ operation: letter, required, allowed }, versions);
    if (locking === undefined) break;
    const culprit = allowed.find((candidate) => locking.slice(2).includes(candidate));
    if (culprit === undefined) return undefined;
    allowed = allowed.filter((candidate) => candidate !== culprit);
  }
  return { operation: letter, required, allowed: [...required, ...allowed].sort() };
}

/**
 * The fast-path rules for every operation, valid for every pacman version the
 * model knows (the shim does not know which pacman it fronts until it runs it).
 */
const derived = new Map<string, FastPathRule[]>();

/** Memoized: deriving takes seconds of CPU, and the rules depend on nothing but the versions. */
export function deriveFastPathRules(versions: readonly PacmanVersion[] = PACMAN_VERSIONS): FastPathRule[] {
  const key = versions.join(',');
  let rules = derived.get(key);
  if (!rules) {
    rules = Object.keys(OPERATION_LETTERS).flatMap((letter) => {
      const rule = deriveRule(letter, versions);
      return rule ? [rule] : [];
    });
    derived.set(key, rules);
  }
  return rules;
}

/**
 * The same decision the generated shell makes, in TypeScript: true when the
 * command line certainly does not take the lock. Used by tests to prove the
 * shell and the model agree.
 */
export function fastPathAllows(args: readonly string[], rules: readonly FastPathRule[]): boolean {
  const first = args[0];
  if (first === undefined || !/^-[A-Za-z]+$/.test(first)) return false;
  if (args.slice(1).some((word) => word.startsWith('-'))) return false;
  const letters = first.slice(1);
  if (/[br]/.test(letters)) return false;
  if (HELP_LETTERS.some((letter) => letters.includes(letter))) return true;
  // A repeated operation letter (-SS) is pacman's own "only one operation" error: harmless either way.
  const operations = new Set([...letters].filter((letter) => OPERATION_LETTERS[letter] !== undefined));
  if (operations.size !== 1) return false;
  const [operation] = operations;
  const rule = rules.find((candidate) => candidate.operation === operation);
  if (!rule) return false;
  const rest = [...letters].filter((letter) => letter !== rule.operation);
  if (!rest.every((letter) => rule.allowed.includes(letter))) return false;
  return rule.required.length === 0 || rest.some((letter) => rule.required.includes(letter));
}
