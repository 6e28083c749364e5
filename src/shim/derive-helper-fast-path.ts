/**
 * Derives the yay and paru fast-path rules (helper-fast-path.ts) from the
 * helper option tables through guard's own classification, and finds what a
 * rule admits that the classification calls mutating. Apart from the shape
 * because it loads the classification, which only `guard install`,
 * `npm run generate` and the tests need.
 */
import { classifyHelperCommand } from '../helpers/classify.js';
import { helperSpec, type HelperName } from '../helpers/options.js';
import { MAX_FAST_PATH_MODIFIERS, type HelperFastPathRule } from './helper-fast-path.js';

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

/**
 * The letter sequences of up to `length` letters, shortest first: with
 * `everyOrder`, every sequence (repeats and every order); without, one order
 * of each (letters in the order given, repeats kept), about a quarter as many.
 */
function* sequences(letters: readonly string[], length: number, everyOrder: boolean): Generator<string> {
  // Each entry: the sequence and the index of its last letter (the next may not come before it without everyOrder).
  let current: [string, number][] = [['', 0]];
  yield '';
  for (let size = 1; size <= length; size++) {
    const next: [string, number][] = [];
    for (const [prefix, last] of current) {
      for (let index = everyOrder ? 0 : last; index < letters.length; index++) next.push([prefix + letters[index], index]);
    }
    for (const [sequence] of next) yield sequence;
    current = next;
  }
}

/**
 * The first cluster the rule admits that the classification does not call
 * read-only (shortest first), if any. The derivation asks with `everyOrder`
 * false: neither helper's parser nor the classification cares in which order
 * letters without arguments come (each is an occurrence, counted or looked
 * for), and deriving is then fast enough for `guard install`. The tests ask
 * with every order, and check every cluster of the tables' letters besides.
 */
export function findMutatingCluster(helper: HelperName, rule: HelperFastPathRule, everyOrder = true): string | undefined {
  for (const rest of sequences(rule.allowed, MAX_FAST_PATH_MODIFIERS, everyOrder)) {
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
    const mutating = findMutatingCluster(helper, { operation, required, allowed: [...required, ...optional] }, false);
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

