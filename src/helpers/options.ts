/**
 * The command lines of the AUR helpers yay and paru: pacman's option table
 * (src/pacman/options.ts, the one source of truth for pacman's options and
 * operations) extended by each helper's own operations and options, one table
 * per helper.
 *
 * Neither helper uses getopt. Both take `--name=value` and `--name value` for
 * options that take an argument, cluster short letters (`-Syu`), stop at `--`,
 * and match long names exactly (no abbreviations). Each accepts every short
 * letter in every operation: what a letter means depends on the operation
 * (paru's `-d` is --nodeps for -S and --delete for -L).
 *
 * Transcribed from:
 * - yay 12.4 (Jguer/yay 138c2dd, 2024-09): pkg/settings/parser/parser.go
 *   isArg(), isOp(), hasParam(); pkg/settings/args.go handleOption() (the
 *   options yay consumes instead of passing them to pacman); cmd.go usage().
 * - paru 2.x (Morganamilo/paru 9ac3578, 2026-01): src/command_line.rs
 *   takes_value() and handle_arg(); src/args.rs PACMAN_FLAGS and
 *   PACMAN_GLOBALS (the options paru passes to pacman).
 *
 * An option a table does not list makes the command line unclassifiable,
 * which counts as mutating (fail closed); listing one the helper rejects is
 * harmless (the helper stops with an error itself). So the tables may be a
 * superset of what a release accepts, never miss what it accepts.
 */
import { OPERATION_LETTERS, OPERATION_LONG_NAMES, SHORT_OPTIONS, getoptSpecFor, PACMAN_VARIANTS, type Operation } from '../pacman/options.js';

export type HelperName = 'yay' | 'paru';
export const HELPER_NAMES: readonly HelperName[] = ['yay', 'paru'];

/**
 * How an option takes its argument:
 * - `none`: never (yay still accepts and ignores `--name=value`; paru refuses it);
 * - `required`: the rest of the cluster, `=value`, or the next word whatever it is;
 * - `optional`: only as `--name=value` (paru's TakesValue::Optional, pacman's --debug).
 */
export type HelperArgument = 'none' | 'required' | 'optional';

/** The operations: pacman's seven, and each helper's own. */
export type HelperOperation =
  | Operation
  // yay
  | 'yay' | 'web' | 'version'
  // both
  | 'show' | 'build' | 'getpkgbuild'
  // paru
  | 'repoctl' | 'chrootctl';

export interface HelperTable {
  readonly helper: HelperName;
  /** The helper's own operations, with their short letter and long name (pacman's are added). */
  readonly operations: readonly (readonly [operation: HelperOperation, short: string, long: string])[];
  /** The helper's own long options (pacman's are added). */
  readonly longOptions: Readonly<Record<string, HelperArgument>>;
  /** The helper's own short letters besides operations (pacman's are added). */
  readonly shortOptions: Readonly<Record<string, HelperArgument>>;
  /**
   * Which options the helper passes on when it hands the command to pacman:
   * `all-but` lists the ones it keeps (yay deletes what handleOption()
   * consumed); `only-pacman-and` passes pacman's options and these extra
   * names (paru's PACMAN_FLAGS and PACMAN_GLOBALS).
   */
  readonly passesToPacman: { readonly kind: 'all-but'; readonly names: readonly string[] } | { readonly kind: 'only-pacman-and'; readonly names: readonly string[] };
}

const none = (...names: string[]): Record<string, HelperArgument> => Object.fromEntries(names.map((name) => [name, 'none' as const]));
const required = (...names: string[]): Record<string, HelperArgument> => Object.fromEntries(names.map((name) => [name, 'required' as const]));
const optional = (...names: string[]): Record<string, HelperArgument> => Object.fromEntries(names.map((name) => [name, 'optional' as const]));

/** yay: parser.go isArg()/isOp()/hasParam() beyond pacman's options. */
export const YAY_TABLE: HelperTable = {
  helper: 'yay',
  // isOp(): pacman's operations, -V/--version (an operation for yay), and these.
  operations: [
    ['version', 'V', 'version'],
    ['yay', 'Y', 'yay'],
    ['web', 'W', 'web'],
    ['build', 'B', 'build'],
    ['show', 'P', 'show'],
    ['getpkgbuild', 'G', 'getpkgbuild'],
  ],
  longOptions: {
    // hasParam(): the yay options that take an argument.
    ...required('aururl', 'aurrpcurl', 'mflags', 'gpgflags', 'gitflags', 'builddir', 'editor', 'editorflags', 'makepkg',
      'makepkgconf', 'pacman', 'git', 'gpg', 'sudo', 'sudoflags', 'requestsplitn', 'answerclean', 'answerdiff', 'answeredit',
      'answerupgrade', 'completioninterval', 'sortby', 'searchby'),
    // isArg(): the rest of yay's own options.
    ...none('save', 'afterclean', 'cleanafter', 'keepsrc', 'devel', 'timeupdate', 'topdown', 'bottomup', 'redownload',
      'redownloadall', 'noredownload', 'rebuild', 'rebuildall', 'rebuildtree', 'norebuild', 'batchinstall', 'noanswerclean',
      'noanswerdiff', 'noansweredit', 'noanswerupgrade', 'nomakepkgconf', 'sudoloop', 'provides', 'pgpfetch', 'cleanmenu',
      'diffmenu', 'editmenu', 'useask', 'combinedupgrade', 'aur', 'repo', 'removemake', 'noremovemake', 'askremovemake',
      'askyesremovemake', 'complete', 'stats', 'news', 'gendb', 'currentconfig', 'defaultconfig', 'singlelineresults',
      'doublelineresults', 'separatesources', 'numberupgrades'),
    // -W's options as doc/yay.8 documents them (cmd.go handleWeb() reads "vote"/"unvote").
    ...none('vote', 'unvote'),
  },
  // -a/--aur, -N/--repo.
  shortOptions: none('a', 'N'),
  // settings/args.go handleOption(): consumed by yay, never passed to pacman.
  passesToPacman: {
    kind: 'all-but',
    names: ['aururl', 'aurrpcurl', 'save', 'afterclean', 'cleanafter', 'keepsrc', 'devel', 'timeupdate', 'topdown', 'bottomup',
      'singlelineresults', 'doublelineresults', 'completioninterval', 'sortby', 'searchby', 'redownload', 'redownloadall',
      'noredownload', 'rebuild', 'rebuildall', 'rebuildtree', 'norebuild', 'batchinstall', 'answerclean', 'noanswerclean',
      'answerdiff', 'noanswerdiff', 'answeredit', 'noansweredit', 'answerupgrade', 'noanswerupgrade', 'gpgflags', 'mflags',
      'gitflags', 'builddir', 'editor', 'editorflags', 'makepkg', 'makepkgconf', 'nomakepkgconf', 'pacman', 'git', 'gpg', 'sudo',
      'sudoflags', 'requestsplitn', 'sudoloop', 'provides', 'pgpfetch', 'cleanmenu', 'diffmenu', 'editmenu', 'useask',
      'combinedupgrade', 'a', 'aur', 'N', 'repo', 'removemake', 'noremovemake', 'askremovemake', 'askyesremovemake',
      'separatesources'],
  },
};

/** paru: command_line.rs takes_value()/handle_arg() beyond pacman's options. */
export const PARU_TABLE: HelperTable = {
  helper: 'paru',
  operations: [
    ['build', 'B', 'build'],
    ['show', 'P', 'show'],
    ['getpkgbuild', 'G', 'getpkgbuild'],
    ['repoctl', 'L', 'repoctl'],
    ['chrootctl', 'C', 'chrootctl'],
  ],
  longOptions: {
    // takes_value() Required.
    ...required('aururl', 'aurrpcurl', 'makepkg', 'pacman', 'pacman-conf', 'git', 'gpg', 'sudo', 'pkgctl', 'fm', 'bat',
      'makepkgconf', 'mflags', 'gitflags', 'gpgflags', 'sudoflags', 'batflags', 'fmflags', 'chrootflags', 'chrootpkgs',
      'rootchrootpkgs', 'completioninterval', 'sortby', 'searchby', 'limit', 'develsuffixes', 'builddir', 'clonedir',
      'develfile', 'ignoredevel', 'mode'),
    // takes_value() Optional; --pager reads a value it never consumes, so only --pager=CMD works.
    ...optional('removemake', 'redownload', 'rebuild', 'sudoloop', 'localrepo', 'chroot', 'provides', 'sign', 'signdb', 'pager'),
    // handle_arg()'s other arms, and PACMAN_FLAGS' names that are not pacman's.
    ...none('installdebug', 'noinstalldebug', 'news', 'stats', 'order', 'upgrademenu', 'noupgrademenu', 'noremovemake',
      'cleanafter', 'nocleanafter', 'noredownload', 'norebuild', 'topdown', 'bottomup', 'aur', 'repo', 'pkgbuilds',
      'interactive', 'skipreview', 'review', 'gendb', 'nocheck', 'devel', 'nodevel', 'noprovides', 'pgpfetch', 'nopgpfetch',
      'useask', 'nouseask', 'savechanges', 'nosavechanges', 'combinedupgrade', 'nocombinedupgrade', 'batchinstall',
      'nobatchinstall', 'nosudoloop', 'optional', 'complete', 'install', 'delete', 'noinstall', 'newsonupgrade',
      'nonewsonupgrade', 'comments', 'ssh', 'failfast', 'nofailfast', 'keepsrc', 'nokeepsrc', 'nolocalrepo', 'nochroot',
      'nokeeprepocache', 'keeprepocache', 'nosign', 'nosigndb', 'absdir', 'asdep', 'asexp'),
  },
  shortOptions: none('a'),
  // args.rs: PACMAN_FLAGS and PACMAN_GLOBALS are pacman's options (without
  // --version and the operations) and these.
  passesToPacman: { kind: 'only-pacman-and', names: ['absdir', 'asdep', 'asexp', 'optional'] },
};

export const HELPER_TABLES: Readonly<Record<HelperName, HelperTable>> = { yay: YAY_TABLE, paru: PARU_TABLE };

/** A helper's whole command line: pacman's options and operations with the helper's added. */
export interface HelperSpec {
  readonly table: HelperTable;
  /** Long name → how it takes an argument (operations included, as `none`). */
  readonly longOptions: ReadonlyMap<string, HelperArgument>;
  /** Short letter → how it takes an argument (operations included, as `none`). */
  readonly shortOptions: ReadonlyMap<string, HelperArgument>;
  /** Short letter or long name → operation. */
  readonly operations: ReadonlyMap<string, HelperOperation>;
  /** Whether the helper hands this option (as given, `c` or `clean`) to pacman. */
  passesToPacman(name: string): boolean;
}

/** pacman's long options in any variant the model knows, with how they take an argument. */
function pacmanLongOptions(): Map<string, HelperArgument> {
  const options = new Map<string, HelperArgument>();
  for (const variant of PACMAN_VARIANTS) {
    for (const option of getoptSpecFor(variant).longOptions) options.set(option.name, option.argument);
  }
  return options;
}

/** pacman's short letters from its getopt string (`b:` takes an argument). */
function pacmanShortOptions(): Map<string, HelperArgument> {
  const options = new Map<string, HelperArgument>();
  for (let index = 0; index < SHORT_OPTIONS.length; index++) {
    const letter = SHORT_OPTIONS[index]!;
    if (letter === ':') continue;
    options.set(letter, SHORT_OPTIONS[index + 1] === ':' ? 'required' : 'none');
  }
  return options;
}

const PACMAN_OPERATION_NAMES = new Set<string>([...Object.keys(OPERATION_LETTERS), ...Object.values(OPERATION_LONG_NAMES)]);

function compile(table: HelperTable): HelperSpec {
  const longOptions = pacmanLongOptions();
  const shortOptions = pacmanShortOptions();
  const operations = new Map<string, HelperOperation>();
  for (const [letter, operation] of Object.entries(OPERATION_LETTERS)) {
    operations.set(letter, operation);
    operations.set(OPERATION_LONG_NAMES[operation], operation);
  }
  for (const [operation, short, long] of table.operations) {
    operations.set(short, operation);
    operations.set(long, operation);
    shortOptions.set(short, 'none');
    longOptions.set(long, 'none');
  }
  for (const [name, argument] of Object.entries(table.longOptions)) longOptions.set(name, argument);
  for (const [name, argument] of Object.entries(table.shortOptions)) shortOptions.set(name, argument);

  const pacmanNames = new Set([...pacmanLongOptions().keys(), ...pacmanShortOptions().keys()]);
  const passes = table.passesToPacman;
  const passesToPacman = passes.kind === 'all-but'
    ? (name: string) => !passes.names.includes(name) && !operations.has(name)
    : (name: string) => (pacmanNames.has(name) && !PACMAN_OPERATION_NAMES.has(name) && name !== 'version' && name !== 'V') || passes.names.includes(name);
  return { table, longOptions, shortOptions, operations, passesToPacman };
}

const specs = new Map<HelperName, HelperSpec>(HELPER_NAMES.map((helper) => [helper, compile(HELPER_TABLES[helper])]));

export function helperSpec(helper: HelperName): HelperSpec {
  return specs.get(helper)!;
}
