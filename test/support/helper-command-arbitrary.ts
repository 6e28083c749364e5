/**
 * Generated yay and paru command lines for the helper shims' fast path:
 * short clusters with the operation first or anywhere, repeats, letters that
 * take an argument (`-b`, `-r`) with it attached or apart, letters neither
 * helper knows, long options from the helper's table with and without
 * `=value`, `-`, `--`, and targets. Letters and names come from the helper
 * option tables, so a letter or option added there is generated here too.
 */
import fc from 'fast-check';
import { helperSpec, type HelperName } from '../../src/helpers/options.js';

const UNKNOWN_LETTERS = ['z', 'E', 'j'];
const UNKNOWN_LONG_NAMES = ['bogus', 'searc', 'no-such-option'];
const TARGETS = ['x', 'guard', 'guardtest', 'local/guardtest', 'x.pkg.tar.zst', '.', 'aur/yay', '', 'a=b'];
const VALUES = ['/', '/var/lib/pacman', '/mnt', 'never', 'x', '-y', '--'];

function alphabet(helper: HelperName) {
  const spec = helperSpec(helper);
  const letters = [...spec.shortOptions.keys()];
  return {
    operations: letters.filter((letter) => spec.operations.has(letter)),
    modifiers: letters.filter((letter) => !spec.operations.has(letter) && spec.shortOptions.get(letter) === 'none'),
    withArgument: letters.filter((letter) => spec.shortOptions.get(letter) !== 'none'),
    longNames: [...spec.longOptions.keys()],
  };
}

const cluster = (helper: HelperName): fc.Arbitrary<string[]> => {
  const { operations, modifiers, withArgument } = alphabet(helper);
  return fc
    .tuple(
      fc.option(fc.constantFrom(...operations), { nil: undefined, freq: 5 }),
      fc.array(
        fc.oneof(
          { weight: 12, arbitrary: fc.constantFrom(...modifiers) },
          { weight: 1, arbitrary: fc.constantFrom(...operations) },
          { weight: 1, arbitrary: fc.constantFrom(...withArgument) },
          { weight: 1, arbitrary: fc.constantFrom(...UNKNOWN_LETTERS) },
        ),
        { minLength: 0, maxLength: 5 },
      ),
      fc.constantFrom(...VALUES),
      fc.boolean(),
    )
    .map(([operation, letters, value, attached]) => {
      const word = `-${operation ?? ''}${letters.join('')}`;
      if (word === '-') return [word];
      if (!withArgument.some((letter) => word.includes(letter))) return [word];
      return attached ? [`${word}${value}`] : [word, value];
    });
};

const longOption = (helper: HelperName): fc.Arbitrary<string[]> => fc
  .tuple(
    fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...alphabet(helper).longNames) }, { weight: 1, arbitrary: fc.constantFrom(...UNKNOWN_LONG_NAMES) }),
    fc.constantFrom(...VALUES),
    fc.constantFrom('none', 'equals', 'apart'),
  )
  .map(([name, value, form]) => (form === 'none' ? [`--${name}`] : form === 'equals' ? [`--${name}=${value}`] : [`--${name}`, value]));

const word = (helper: HelperName): fc.Arbitrary<string[]> => fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...TARGETS).map((target) => [target]) },
  { weight: 2, arbitrary: longOption(helper) },
  { weight: 1, arbitrary: cluster(helper) },
  { weight: 1, arbitrary: fc.constantFrom('-', '--').map((separator) => [separator]) },
);

/** One command line: usually a cluster first (the fast path's shape), then targets and options. */
export const helperCommandLine = (helper: HelperName): fc.Arbitrary<string[]> => fc
  .tuple(
    fc.oneof({ weight: 8, arbitrary: cluster(helper) }, { weight: 1, arbitrary: longOption(helper) }, { weight: 1, arbitrary: fc.constant([] as string[]) }),
    fc.array(fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...TARGETS).map((target) => [target]) }, { weight: 1, arbitrary: word(helper) }), { maxLength: 3 }),
  )
  .map(([first, rest]) => [...first, ...rest.flat()]);

/** A reproducible sample (fixed seed), so a failure names the same lines on every run. */
export function sampleHelperCommandLines(helper: HelperName, count: number, seed: number): string[][] {
  return fc.sample(helperCommandLine(helper), { numRuns: count, seed });
}
