/**
 * The yay and paru shims' fast path: which command lines the sh shim may
 * hand to the real helper without starting Node, derived from the helper
 * option tables through the classification (src/helpers/classify.ts), never
 * written by hand.
 *
 * A read-only helper operation is allowed in every state (decideHelper()
 * lets it through before it looks at the system), so the fast path only has
 * to answer "certainly read-only" for a simple shape:
 *   - the first word is one short-option cluster: the operation letter first,
 *     then at most MAX_FAST_PATH_MODIFIERS letters, none of which takes an
 *     argument (yay's and paru's `-b`/`-r` would consume what follows),
 *   - every later word is a target (does not start with `-`).
 * Within that shape the classification depends only on the cluster and on
 * whether targets follow, and there are few enough clusters that every one
 * the rules admit is checked against the classification, in every order and
 * with repeats (findMutatingCluster). The bound on the cluster is what makes
 * that check exhaustive: without it yay's 23 modifier letters give 2^23 sets
 * per operation. Everything else goes to `guard helper-check` as before.
 */
import { classifyHelperCommand } from '../helpers/classify.js';
import { helperSpec, type HelperName } from '../helpers/options.js';

/** Letters after the operation letter: `-Qtdq` has three; longer clusters go to guard. */
export const MAX_FAST_PATH_MODIFIERS = 3;

export interface HelperFastPathRule {
  /** The operation letter, e.g. `S`; it comes first in the cluster. */
  readonly operation: string;
  /** At least one of these letters must follow it; empty when the operation alone is read-only. */
  readonly required: readonly string[];
  /** The letters that may follow it (the required ones among them); each may repeat. */
  readonly allowed: readonly string[];
}

/** What stands for "some target" when the derivation asks the classification about a cluster. */
const TARGET = 'target';

/** The helper's operation letters, in its table's order. */
export function operationLetters(helper: HelperName): string[] {
  const spec = helperSpec(helper);
  return [...spec.shortOptions.keys()].filter((letter) => spec.operations.has(letter));
}

/** The helper's short letters that are not operations and take no argument: what may follow an operation letter. */
export function modifierLetters(helper: HelperName): string[] {
  const spec = helperSpec(helper);
  return [...spec.shortOptions].filter(([letter, argument]) => argument === 'none' && !spec.operations.has(letter)).map(([letter]) => letter);
}

/** Answers of isReadOnly(): the derivation and the exhaustive check ask the same clusters many times. */
const readOnlyAnswers = new Map<string, boolean>();

/** Whether the classification calls `<cluster>` read-only both alone and with a target. */
function isReadOnly(helper: HelperName, cluster: string): boolean {
  const key = `${helper} ${cluster}`;
  let answer = readOnlyAnswers.get(key);
  if (answer === undefined) {
    answer = classifyHelperCommand(helper, [cluster]).effect === 'read-only' && classifyHelperCommand(helper, [cluster, TARGET]).effect === 'read-only';
    readOnlyAnswers.set(key, answer);
  }
  return answer;
}

/** Every sequence of up to `length` letters (repeats and every order), shortest first. */
function* sequences(letters: readonly string[], length: number): Generator<string> {
  let current = [''];
  yield '';
  for (let size = 1; size <= length; size++) {
    const next: string[] = [];
    for (const prefix of current) for (const letter of letters) next.push(prefix + letter);
    yield* next;
    current = next;
  }
}

/** The first cluster the rule admits that the classification does not call read-only (shortest first), if any. */
export function findMutatingCluster(helper: HelperName, rule: HelperFastPathRule): string | undefined {
  for (const rest of sequences(rule.allowed, MAX_FAST_PATH_MODIFIERS)) {
    if (rule.required.length > 0 && ![...rest].some((letter) => rule.required.includes(letter))) continue;
    const cluster = `-${rule.operation}${rest}`;
    if (!isReadOnly(helper, cluster)) return cluster;
  }
  return undefined;
}

function deriveRule(helper: HelperName, operation: string): HelperFastPathRule | undefined {
  const letters = modifierLetters(helper);
  const alone = isReadOnly(helper, `-${operation}`);
  let required = alone ? [] : letters.filter((letter) => isReadOnly(helper, `-${operation}${letter}`));
  if (!alone && required.length === 0) return undefined;
  const choices = required.length === 0 ? [''] : required;
  let optional = letters.filter((letter) => !required.includes(letter) && choices.every((choice) => isReadOnly(helper, `-${operation}${choice}${letter}`)));
  // Letters that are harmless one by one can still be mutating together
  // (yay -Si is read-only, -Siy refreshes): drop the optional letter in the
  // shortest mutating cluster, or a required one when it has none, until no
  // admitted cluster is mutating.
  for (;;) {
    const mutating = findMutatingCluster(helper, { operation, required, allowed: [...required, ...optional] });
    if (mutating === undefined) break;
    const rest = [...mutating.slice(2)].reverse();
    const culprit = rest.find((letter) => optional.includes(letter));
    if (culprit !== undefined) optional = optional.filter((letter) => letter !== culprit);
    else required = required.filter((letter) => letter !== rest.find((candidate) => required.includes(candidate)));
    if (!alone && required.length === 0) return undefined;
  }
  return { operation, required, allowed: [...required, ...optional].sort() };
}

const derived = new Map<HelperName, readonly HelperFastPathRule[]>();

/** The fast-path rules of one helper, one per operation that has a read-only form (derived once per process). */
export function helperFastPathRules(helper: HelperName): readonly HelperFastPathRule[] {
  let rules = derived.get(helper);
  if (rules === undefined) {
    rules = operationLetters(helper).flatMap((operation) => {
      const rule = deriveRule(helper, operation);
      return rule ? [rule] : [];
    });
    derived.set(helper, rules);
  }
  return rules;
}

/**
 * The same decision the generated shell makes, in TypeScript: true when the
 * command line is in the fast path (certainly read-only). Tests prove the
 * shell and this agree, and that this never admits what the classification
 * calls mutating.
 */
export function helperFastPathAllows(args: readonly string[], rules: readonly HelperFastPathRule[]): boolean {
  const first = args[0];
  if (first === undefined || !/^-[A-Za-z]+$/.test(first)) return false;
  if (args.slice(1).some((word) => word.startsWith('-'))) return false;
  const rule = rules.find((candidate) => candidate.operation === first[1]);
  const rest = [...first.slice(2)];
  if (!rule || rest.length > MAX_FAST_PATH_MODIFIERS) return false;
  if (!rest.every((letter) => rule.allowed.includes(letter))) return false;
  return rule.required.length === 0 || rest.some((letter) => rule.required.includes(letter));
}
