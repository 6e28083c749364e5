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
 *
 * This module is the shape and the decision; derive-helper-fast-path.ts
 * derives the rules (it loads the classification).
 */

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
