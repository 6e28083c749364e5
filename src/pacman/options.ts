/**
 * pacman's command-line options: the one table everything that parses a
 * pacman command line reads (the model, `guard check`, the shim's fast path
 * generator, completions, the helper shims).
 *
 * Transcribed from pacman's src/pacman/pacman.c (6.0.2, 7.0.0, 7.1.0 and
 * upstream master past 7.1.0): the getopt_long table in parseargs(), the short
 * option string, and which parsearg_* function accepts which option for which
 * operation. Keep the groups in the shape pacman has them (trans ⊂ remove,
 * trans ⊂ upgrade ⊂ sync, trans ⊂ files) so a diff against a new pacman
 * release is easy to read.
 */
import type { ArgumentKind, GetoptSpec, LongOptionSpec } from './getopt.js';

/**
 * pacman builds whose command line differs in a way the model cares about, in
 * the order of pacman's history (`since` compares positions in this list).
 * A variant is a build, not a version string: the 7.1.0 tag and 7.1.0 with
 * upstream commit 2df7c407 ("Add disable-sandbox-* options to parseargs") both
 * print "Pacman v7.1.0" but read `--disable-s` differently (see
 * system/pacman-version.ts for which variants a version string may be).
 */
export type PacmanVariant = '6.0' | '7.0' | '7.1.0' | '7.1.0+2df7c407';
export const PACMAN_VARIANTS: readonly PacmanVariant[] = ['6.0', '7.0', '7.1.0', '7.1.0+2df7c407'];
export const NEWEST_PACMAN_VARIANT: PacmanVariant = '7.1.0+2df7c407';

export type Operation = 'database' | 'files' | 'query' | 'remove' | 'sync' | 'deptest' | 'upgrade';

/** The operation letters, in pacman's option string order. */
export const OPERATION_LETTERS: Readonly<Record<string, Operation>> = {
  D: 'database',
  F: 'files',
  Q: 'query',
  R: 'remove',
  S: 'sync',
  T: 'deptest',
  U: 'upgrade',
};

export const OPERATION_LONG_NAMES: Readonly<Record<Operation, string>> = {
  database: 'database',
  files: 'files',
  query: 'query',
  remove: 'remove',
  sync: 'sync',
  deptest: 'deptest',
  upgrade: 'upgrade',
};

/** pacman's getopt short option string (identical in 6.0.2 and 7.x). */
export const SHORT_OPTIONS = 'DFQRSTUVb:cdefghiklmnopqr:stuvwxy';

/**
 * What an accepted option does to the parsed command:
 * - `switch`: sets the flag (pacman counts some, e.g. `-yy`, `-dd`, `-cc`);
 * - `value`: the last occurrence's argument wins (pacman frees and replaces);
 * - `list`: arguments accumulate, split on commas where pacman splits them.
 */
export type Effect = 'switch' | 'value' | 'list';

export type Flag =
  // operation-independent (parsearg_global)
  | 'arch' | 'ask' | 'cachedir' | 'color' | 'config' | 'debug' | 'gpgdir' | 'hookdir' | 'logfile'
  | 'noconfirm' | 'confirm' | 'dbpath' | 'root' | 'sysroot' | 'disable-download-timeout'
  | 'disable-sandbox' | 'disable-sandbox-filesystem' | 'disable-sandbox-syscalls' | 'verbose'
  // transactions (parsearg_trans)
  | 'nodeps' | 'dbonly' | 'noprogressbar' | 'noscriptlet' | 'print' | 'print-format' | 'assume-installed'
  // -R
  | 'cascade' | 'nosave' | 'recursive' | 'unneeded'
  // -U and -S
  | 'overwrite' | 'asdeps' | 'asexplicit' | 'needed' | 'ignore' | 'ignoregroup' | 'downloadonly'
  // -S, -Q, -F, -D
  | 'clean' | 'groups' | 'info' | 'list' | 'quiet' | 'search' | 'sysupgrade' | 'refresh'
  | 'regex' | 'machinereadable' | 'check' | 'changelog' | 'deps' | 'explicit' | 'foreign' | 'native'
  | 'owns' | 'file' | 'unrequired' | 'upgrades';

export interface Modifier {
  readonly flag: Flag;
  /** The short letter pacman accepts for this meaning in this group, if any. */
  readonly short?: string;
  readonly effect: Effect;
  /** Other flags pacman sets at the same time (`--dbonly` also sets NOSCRIPTLET). */
  readonly implies?: readonly Flag[];
  /** Validation of the argument, where pacman validates it while parsing. */
  readonly validate?: ArgumentValidator;
  /** First pacman variant whose parsearg_* function handles the option. */
  readonly since?: PacmanVariant;
}

/** Returns pacman's error message for an argument it rejects, or undefined. */
export type ArgumentValidator = (argument: string | undefined, variant: PacmanVariant) => string | undefined;

const sw = (flag: Flag, short?: string, extra: Partial<Modifier> = {}): Modifier => ({ flag, effect: 'switch', ...(short ? { short } : {}), ...extra });
const value = (flag: Flag, short?: string, extra: Partial<Modifier> = {}): Modifier => ({ flag, effect: 'value', ...(short ? { short } : {}), ...extra });
const list = (flag: Flag, extra: Partial<Modifier> = {}): Modifier => ({ flag, effect: 'list', ...extra });

// --- argument validation, as parsearg_global does it -------------------------

/** C's isspace() in the "C" locale. */
const C_SPACE = /^[ \t\n\v\f\r]*/;

/** strtol(s, &end, 10) with errno, for "whole string is a number" checks (pacman 7). */
function strtolWhole(text: string): bigint | undefined {
  const match = /^([+-]?)(\d+)$/.exec(text.replace(C_SPACE, ''));
  if (!match) return undefined;
  const magnitude = BigInt(match[2]!);
  const number = match[1] === '-' ? -magnitude : magnitude;
  // ERANGE: beyond a 64-bit long.
  if (number > 9223372036854775807n || number < -9223372036854775808n) return undefined;
  return number;
}

/** atoi() as glibc implements it (strtol truncated to int): the leading number, or 0. */
function atoi(text: string): number {
  const match = /^([+-]?)(\d+)/.exec(text.replace(C_SPACE, ''));
  if (!match) return 0;
  let number = BigInt(match[2]!);
  if (match[1] === '-') number = -number;
  // strtol saturates at LONG_MIN/LONG_MAX, then the conversion to int keeps the low 32 bits.
  if (number > 9223372036854775807n) number = 9223372036854775807n;
  if (number < -9223372036854775808n) number = -9223372036854775808n;
  return Number(BigInt.asIntN(32, number));
}

const validateColor: ArgumentValidator = (argument) =>
  argument === 'never' || argument === 'auto' || argument === 'always'
    ? undefined
    : `invalid argument '${argument}' for --color`;

const validateDebug: ArgumentValidator = (argument, variant) => {
  if (argument === undefined) return undefined;
  let level: number | bigint | undefined;
  if (variant === '6.0') {
    // pacman 6.0: (unsigned short)atoi(optarg)
    level = atoi(argument) & 0xffff;
  } else {
    level = strtolWhole(argument);
  }
  return level === 1 || level === 2 || level === 1n || level === 2n ? undefined : `'${argument}' is not a valid debug level`;
};

const validateAsk: ArgumentValidator = (argument, variant) => {
  if (variant === '6.0' || argument === undefined) return undefined;
  const level = strtolWhole(argument);
  return level !== undefined && level <= 4294967295n ? undefined : `'${argument}' is not a valid ask level`;
};

// --- who accepts what ---------------------------------------------------------

/** parsearg_global: accepted by every operation, after the operation's own options. */
export const GLOBAL_MODIFIERS: readonly Modifier[] = [
  list('arch'),
  value('ask', undefined, { validate: validateAsk }),
  list('cachedir'),
  value('color', undefined, { validate: validateColor }),
  value('config'),
  sw('debug', undefined, { validate: validateDebug }),
  value('gpgdir'),
  list('hookdir'),
  value('logfile'),
  sw('noconfirm'),
  sw('confirm'),
  value('dbpath', 'b'),
  value('root', 'r'),
  value('sysroot'),
  sw('disable-download-timeout'),
  sw('disable-sandbox', undefined, { since: '7.0' }),
  // The 7.1.0 tag handles these two here but lacks them in getopt's table,
  // where only 2df7c407 adds them: on the tag getopt never returns them.
  sw('disable-sandbox-filesystem', undefined, { since: '7.1.0' }),
  sw('disable-sandbox-syscalls', undefined, { since: '7.1.0' }),
  sw('verbose', 'v'),
];

/** parsearg_trans: options common to -S, -R, -U (and, as pacman has it, -F). */
const TRANSACTION_MODIFIERS: readonly Modifier[] = [
  sw('nodeps', 'd'),
  sw('dbonly', undefined, { implies: ['noscriptlet'] }),
  sw('noprogressbar'),
  sw('noscriptlet'),
  sw('print', 'p'),
  value('print-format', undefined, { implies: ['print'] }),
  list('assume-installed'),
];

const REMOVE_MODIFIERS: readonly Modifier[] = [
  ...TRANSACTION_MODIFIERS,
  sw('cascade', 'c'),
  sw('nosave', 'n'),
  sw('recursive', 's'),
  sw('unneeded', 'u'),
];

/** parsearg_upgrade: options common to -S and -U. */
const UPGRADE_MODIFIERS: readonly Modifier[] = [
  ...TRANSACTION_MODIFIERS,
  list('overwrite'),
  sw('asdeps'),
  sw('asexplicit'),
  sw('needed'),
  list('ignore'),
  list('ignoregroup'),
  sw('downloadonly', 'w'),
];

const SYNC_MODIFIERS: readonly Modifier[] = [
  ...UPGRADE_MODIFIERS,
  sw('clean', 'c'),
  sw('groups', 'g'),
  sw('info', 'i'),
  sw('list', 'l'),
  sw('quiet', 'q'),
  sw('search', 's'),
  sw('sysupgrade', 'u'),
  sw('refresh', 'y'),
];

const FILES_MODIFIERS: readonly Modifier[] = [
  ...TRANSACTION_MODIFIERS,
  sw('list', 'l'),
  sw('refresh', 'y'),
  sw('regex', 'x'),
  sw('machinereadable'),
  sw('quiet', 'q'),
];

const DATABASE_MODIFIERS: readonly Modifier[] = [
  sw('asdeps'),
  sw('asexplicit'),
  sw('check', 'k'),
  sw('quiet', 'q'),
];

const QUERY_MODIFIERS: readonly Modifier[] = [
  sw('changelog', 'c'),
  sw('deps', 'd'),
  sw('explicit', 'e'),
  sw('groups', 'g'),
  sw('info', 'i'),
  sw('check', 'k'),
  sw('list', 'l'),
  sw('foreign', 'm'),
  sw('native', 'n'),
  sw('owns', 'o'),
  sw('file', 'p'),
  sw('quiet', 'q'),
  sw('search', 's'),
  sw('unrequired', 't'),
  sw('upgrades', 'u'),
];

/** The options each operation accepts besides the global ones. `-T` accepts none. */
export const OPERATION_MODIFIERS: Readonly<Record<Operation, readonly Modifier[]>> = {
  database: DATABASE_MODIFIERS,
  files: FILES_MODIFIERS,
  query: QUERY_MODIFIERS,
  remove: REMOVE_MODIFIERS,
  sync: SYNC_MODIFIERS,
  deptest: [],
  upgrade: UPGRADE_MODIFIERS,
};

// --- the getopt_long table ----------------------------------------------------

/** Code getopt returns for a long option that has no short letter of its own. */
export const longCode = (name: string): string => `--${name}`;

/**
 * pacman's `struct option opts[]`, in pacman's order. Names that pacman maps to
 * a short letter's code (`--sync` → `S`) return that letter; all others return
 * their own code, so `-d` and `--deps` stay distinct exactly as in pacman.
 */
const LONG_OPTION_TABLE: readonly (readonly [name: string, argument: ArgumentKind, shortCode?: string, since?: PacmanVariant])[] = [
  ['database', 'none', 'D'],
  ['files', 'none', 'F'],
  ['query', 'none', 'Q'],
  ['remove', 'none', 'R'],
  ['sync', 'none', 'S'],
  ['deptest', 'none', 'T'],
  ['upgrade', 'none', 'U'],
  ['version', 'none', 'V'],
  ['help', 'none', 'h'],
  ['dbpath', 'required'],
  ['cascade', 'none'],
  ['changelog', 'none'],
  ['clean', 'none'],
  ['nodeps', 'none'],
  ['deps', 'none'],
  ['explicit', 'none'],
  ['groups', 'none'],
  ['info', 'none'],
  ['check', 'none'],
  ['list', 'none'],
  ['foreign', 'none'],
  ['native', 'none'],
  ['nosave', 'none'],
  ['owns', 'none'],
  ['file', 'none'],
  ['print', 'none'],
  ['quiet', 'none'],
  ['root', 'required'],
  ['sysroot', 'required'],
  ['recursive', 'none'],
  ['search', 'none'],
  ['regex', 'none'],
  ['machinereadable', 'none'],
  ['unrequired', 'none'],
  ['upgrades', 'none'],
  ['sysupgrade', 'none'],
  ['unneeded', 'none'],
  ['verbose', 'none'],
  ['downloadonly', 'none'],
  ['refresh', 'none'],
  ['noconfirm', 'none'],
  ['confirm', 'none'],
  ['config', 'required'],
  ['ignore', 'required'],
  ['assume-installed', 'required'],
  ['debug', 'optional'],
  // In getopt's table but handled by no parsearg_* function: "invalid option '--force'".
  ['force', 'none'],
  ['overwrite', 'required'],
  ['noprogressbar', 'none'],
  ['noscriptlet', 'none'],
  ['ask', 'required'],
  ['cachedir', 'required'],
  ['hookdir', 'required'],
  ['asdeps', 'none'],
  ['logfile', 'required'],
  ['ignoregroup', 'required'],
  ['needed', 'none'],
  ['asexplicit', 'none'],
  ['arch', 'required'],
  ['print-format', 'required'],
  ['gpgdir', 'required'],
  ['dbonly', 'none'],
  ['color', 'required'],
  ['disable-download-timeout', 'none'],
  ['disable-sandbox', 'none', undefined, '7.0'],
  // Not in the 7.1.0 tag's table (so `--disable-s` there is `--disable-sandbox`);
  // upstream 2df7c407, the first commit after the tag, adds them.
  ['disable-sandbox-filesystem', 'none', undefined, '7.1.0+2df7c407'],
  ['disable-sandbox-syscalls', 'none', undefined, '7.1.0+2df7c407'],
];

export function isAvailableIn(since: PacmanVariant | undefined, variant: PacmanVariant): boolean {
  return since === undefined || PACMAN_VARIANTS.indexOf(since) <= PACMAN_VARIANTS.indexOf(variant);
}

const getoptSpecs = new Map<PacmanVariant, GetoptSpec>(
  PACMAN_VARIANTS.map((variant) => {
    const longOptions: LongOptionSpec[] = LONG_OPTION_TABLE
      .filter(([, , , since]) => isAvailableIn(since, variant))
      .map(([name, argument, shortCode]) => ({ name, argument, code: shortCode ?? longCode(name) }));
    return [variant, { shortOptions: SHORT_OPTIONS, longOptions }] as const;
  }),
);

export function getoptSpecFor(variant: PacmanVariant): GetoptSpec {
  return getoptSpecs.get(variant)!;
}

/** The codes (short letter and/or long code) that select a modifier. */
export function modifierCodes(modifier: Modifier): string[] {
  const codes = [longCode(modifier.flag)];
  if (modifier.short) codes.push(modifier.short);
  return codes;
}

/** Every long option name pacman's getopt knows in this variant, for completions and docs. */
export function longOptionNames(variant: PacmanVariant): string[] {
  return getoptSpecFor(variant).longOptions.map((option) => option.name);
}
