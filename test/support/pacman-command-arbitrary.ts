/**
 * Generated pacman command lines for the differential test: clusters in any
 * order, abbreviated long options, option arguments attached and separate,
 * permuted operands, `--`, repeats and invalid mixes. Letters and names come
 * from the option table, plus a few that pacman does not know.
 *
 * Paths stay on the testbed's own root and database (or are obviously
 * elsewhere), targets never contain `://` (pacman -U downloads those before
 * it locks), so that "did pacman try to lock?" is a fair oracle.
 */
import fc from 'fast-check';
import { GLOBAL_MODIFIERS, OPERATION_LETTERS, OPERATION_MODIFIERS, PACMAN_VARIANTS, SHORT_OPTIONS, longOptionNames, type Operation } from '../../src/pacman/options.js';

const OPERATION_LETTER_LIST = Object.keys(OPERATION_LETTERS);
const MODIFIER_LETTERS = [...new Set(SHORT_OPTIONS.replace(/[:DFQRSTUV]/g, ''))];
const UNKNOWN_LETTERS = ['a', 'z', 'W', 'E'];
/** Every variant's names: one pacman's unknown option is another's abbreviation (`--disable-s`). */
const LONG_NAMES = [...new Set(PACMAN_VARIANTS.flatMap((variant) => longOptionNames(variant)))];
const UNKNOWN_LONG_NAMES = ['bogus', 'nodep', 'forc', 'disable-s'];

/** Option arguments, keyed by what makes them interesting. */
const PATH_ARGUMENTS = ['/', '/var/lib/pacman', '/var/lib/pacman/', '/etc/pacman.conf', '/nonexistent', 'b', '-y', '--'];
const VALUE_ARGUMENTS: Readonly<Record<string, readonly string[]>> = {
  root: ['/', '/nonexistent'],
  dbpath: ['/var/lib/pacman', '/var/lib/pacman/', '/nonexistent/db'],
  sysroot: ['/'],
  config: ['/etc/pacman.conf'],
  color: ['never', 'auto', 'always', 'bogus'],
  ask: ['4', 'x', '-1'],
  arch: ['any', 'x86_64,any'],
  ignore: ['guardtest', 'a,,b'],
  ignoregroup: ['none'],
  overwrite: ['*', '/usr/share/x'],
  'assume-installed': ['guardtest-dep=1'],
  'print-format': ['%n', '%n %v'],
  cachedir: ['/var/cache/pacman/pkg/'],
  hookdir: ['/etc/pacman.d/hooks'],
  gpgdir: ['/etc/pacman.d/gnupg'],
  logfile: ['/var/log/pacman.log'],
};
const TARGETS = ['guardtest', 'guardtest-dep', 'guardtest-extra', 'guardtest-r', 'nonexistent', 'guard', 'hello', 'x.pkg.tar.zst', '-', 'local/guardtest-dep'];

/** Short letters the operation accepts (its own and the global ones), so most lines are plausible. */
function lettersOf(operation: Operation): string[] {
  return [...OPERATION_MODIFIERS[operation], ...GLOBAL_MODIFIERS].flatMap((modifier) => (modifier.short ? [modifier.short] : []));
}

const shortCluster = (operation: Operation): fc.Arbitrary<string[]> => fc
  .tuple(
    fc.array(
      fc.oneof(
        { weight: 1, arbitrary: fc.constantFrom(...OPERATION_LETTER_LIST) },
        { weight: 2, arbitrary: fc.constantFrom(...MODIFIER_LETTERS) },
        { weight: 12, arbitrary: fc.constantFrom(...(lettersOf(operation).length > 0 ? lettersOf(operation) : MODIFIER_LETTERS)) },
        { weight: 1, arbitrary: fc.constantFrom(...UNKNOWN_LETTERS) },
      ),
      { minLength: 1, maxLength: 3 },
    ),
    fc.constantFrom(...PATH_ARGUMENTS),
    fc.boolean(),
  )
  .map(([letters, argument, attached]) => {
    const word = `-${letters.join('')}`;
    // -b and -r take an argument: give them one, attached or as the next word.
    const needsArgument = /[br]/.test(word);
    if (!needsArgument) return [word];
    return attached && /[br]$/.test(word) ? [`${word}${argument}`] : [word, argument];
  });

/** Long names the operation accepts. */
function longNamesOf(operation: Operation): string[] {
  return [...OPERATION_MODIFIERS[operation], ...GLOBAL_MODIFIERS].filter((modifier) => LONG_NAMES.includes(modifier.flag)).map((modifier) => modifier.flag);
}

const longOption = (operation: Operation): fc.Arbitrary<string[]> => fc
  .tuple(
    fc.oneof(
      { weight: 12, arbitrary: fc.constantFrom(...longNamesOf(operation)) },
      { weight: 3, arbitrary: fc.constantFrom(...LONG_NAMES) },
      { weight: 1, arbitrary: fc.constantFrom(...UNKNOWN_LONG_NAMES) },
    ),
    fc.oneof({ weight: 4, arbitrary: fc.constant('full') }, { weight: 1, arbitrary: fc.constant('prefix') }),
    fc.nat({ max: 8 }),
    fc.boolean(),
    fc.nat(),
  )
  .map(([name, form, cut, useEquals, pick]) => {
    const spelled = form === 'prefix' ? name.slice(0, Math.max(1, name.length - 1 - cut)) : name;
    if (name === 'debug') {
      const levels = ['', '=1', '=2', '=3', '=x'];
      return [`--${spelled}${levels[pick % levels.length]}`];
    }
    const values = VALUE_ARGUMENTS[name];
    if (!values) return [`--${spelled}`];
    const argument = values[pick % values.length]!;
    return useEquals ? [`--${spelled}=${argument}`] : [`--${spelled}`, argument];
  });

const word = (operation: Operation): fc.Arbitrary<string[]> => fc.oneof(
  { weight: 5, arbitrary: shortCluster(operation) },
  { weight: 3, arbitrary: longOption(operation) },
  { weight: 5, arbitrary: fc.constantFrom(...TARGETS).map((target) => [target]) },
  { weight: 1, arbitrary: fc.constant<string[]>(['--']) },
);

export const pacmanCommandLine: fc.Arbitrary<string[]> = fc
  .constantFrom(...OPERATION_LETTER_LIST)
  .chain((letter) => fc.tuple(fc.constant(letter), fc.array(word(OPERATION_LETTERS[letter]!), { minLength: 0, maxLength: 4 }), fc.nat()))
  .map(([letter, words, position]) => {
    // Most real command lines name one operation; put it somewhere in the line.
    const flat = words.flat();
    const at = flat.length === 0 ? 0 : position % (flat.length + 1);
    return [...flat.slice(0, at), `-${letter}`, ...flat.slice(at)];
  });

/** A deterministic sample: the same command lines on every run, so a failure can be replayed. */
export function samplePacmanCommandLines(count: number, seed = 20261122): string[][] {
  return fc.sample(pacmanCommandLine, { numRuns: count, seed });
}
