/**
 * The pacman command-line model: what a pacman command line will do, decided
 * the way pacman's parseargs(), checkargs_*() and operation entry points decide
 * it. Pure: no I/O, no environment reads (the caller passes POSIXLY_CORRECT).
 */
import { getoptLong } from './getopt.js';
import {
  NEWEST_PACMAN_VARIANT,
  GLOBAL_MODIFIERS,
  OPERATION_LETTERS,
  OPERATION_MODIFIERS,
  getoptSpecFor,
  isAvailableIn,
  modifierCodes,
  type Flag,
  type Modifier,
  type Operation,
  type PacmanVariant,
} from './options.js';

export interface ParseOptions {
  /** The pacman build to parse as; default the newest the model knows. */
  readonly variant?: PacmanVariant;
  /** Whether POSIXLY_CORRECT is set in pacman's environment (getopt stops at the first operand). */
  readonly posixlyCorrect?: boolean;
}

/** What pacman does with the command line as a whole. */
export type Outcome =
  /** Runs the operation. */
  | 'run'
  /** Prints help (`-h` wins over everything but a getopt error and a second operation). */
  | 'help'
  /** Prints its version. */
  | 'version'
  /** Exits with an error before touching any database. */
  | 'rejected';

export interface PacmanCommand {
  readonly variant: PacmanVariant;
  readonly outcome: Outcome;
  /** pacman's own error message when rejected, and when it says it. */
  readonly rejection?: Rejection;
  /** Undefined when no operation was given. */
  readonly operation?: Operation;
  /** How often each flag was given (pacman counts -yy, -cc, -dd, -ss, -ii, -kk, -gg, -tt, -uu, -vv). */
  readonly flags: ReadonlyMap<Flag, number>;
  /** Arguments of options that take one: the last one for value options, all for list options. */
  readonly values: ReadonlyMap<Flag, readonly string[]>;
  readonly targets: readonly string[];
  /** A `-` target: pacman reads further targets from stdin. */
  readonly readsTargetsFromStdin: boolean;
  /** The root, database, config and sysroot named on the command line (undefined: pacman's configuration decides). */
  readonly paths: CommandPaths;
  /** pacman refuses to run this as a non-root user (util.c needs_root()). */
  readonly needsRoot: boolean;
  /** pacman will take the database lock (db.lck), given a usable configuration. */
  readonly needsLock: boolean;
  /**
   * pacman may install or remove package files under its root (a transaction
   * that is not --print, --downloadonly or --dbonly): what a read-only image
   * cannot take. Implies needsLock.
   */
  readonly changesFiles: boolean;
  /**
   * The parts of the locked database pacman writes: `sync` (-Sy, -Fy), `local`
   * (a transaction, -D --asdeps/--asexplicit). Empty when it takes no lock,
   * and for -Sc and -Sw without -y, which write only the package cache.
   */
  readonly writesDatabase: readonly DatabasePart[];
}

/** A directory of pacman's database (DBPath). */
export type DatabasePart = 'local' | 'sync';

export interface CommandPaths {
  readonly root?: string;
  readonly dbPath?: string;
  readonly config?: string;
  readonly sysroot?: string;
}

type MutableFlags = Map<Flag, number>;

interface Lookup {
  readonly byCode: ReadonlyMap<string, Modifier>;
}

const lookups = new Map<string, Lookup>();

/** Option code → meaning for an operation (its own options first, then the global ones, as pacman tries them). */
function lookupFor(operation: Operation | undefined, variant: PacmanVariant): Lookup {
  const key = `${operation ?? 'none'}@${variant}`;
  let lookup = lookups.get(key);
  if (lookup) return lookup;
  const byCode = new Map<string, Modifier>();
  const groups = [operation ? OPERATION_MODIFIERS[operation] : [], GLOBAL_MODIFIERS];
  for (const group of groups) {
    for (const modifier of group) {
      if (!isAvailableIn(modifier.since, variant)) continue;
      for (const code of modifierCodes(modifier)) {
        if (!byCode.has(code)) byCode.set(code, modifier);
      }
    }
  }
  lookup = { byCode };
  lookups.set(key, lookup);
  return lookup;
}

export interface Rejection {
  readonly message: string;
  /**
   * `parse`: parseargs() refuses it, before pacman reads its configuration.
   * `operation`: the operation refuses it (no operation, no targets) after
   * pacman has read its configuration and opened the database, so a broken
   * configuration or a missing root can fail first, with another message.
   */
  readonly stage: 'parse' | 'operation';
}

class RejectionSignal {
  constructor(readonly rejection: Rejection) {}
}

function reject(message: string, stage: Rejection['stage'] = 'parse'): never {
  throw new RejectionSignal({ message, stage });
}

export function parsePacmanCommand(args: readonly string[], options: ParseOptions = {}): PacmanCommand {
  const variant = options.variant ?? NEWEST_PACMAN_VARIANT;
  const flags: MutableFlags = new Map();
  const values = new Map<Flag, string[]>();
  let operation: Operation | undefined;
  let targets: readonly string[] = [];

  const result = (outcome: Outcome, rejection?: Rejection): PacmanCommand => {
    const has = (flag: Flag) => (flags.get(flag) ?? 0) > 0;
    const paths: CommandPaths = {
      ...definedLast('root', values),
      ...definedLast('dbPath', values, 'dbpath'),
      ...definedLast('config', values),
      ...definedLast('sysroot', values),
    };
    const runs = outcome === 'run';
    return {
      variant,
      outcome,
      ...(rejection === undefined ? {} : { rejection }),
      ...(operation === undefined ? {} : { operation }),
      flags,
      values,
      targets,
      readsTargetsFromStdin: targets.includes('-'),
      paths,
      needsRoot: runs && needsRoot(operation, has, variant),
      needsLock: runs && needsLock(operation, has, targets.length > 0),
      changesFiles: runs && changesFiles(operation, has, targets.length > 0),
      writesDatabase: runs ? writesDatabase(operation, has, targets.length > 0) : [],
    };
  };

  const parsed = getoptLong(getoptSpecFor(variant), args, { posixlyCorrect: options.posixlyCorrect ?? false });
  if (!parsed.ok) return result('rejected', { message: parsed.message, stage: 'parse' });

  // First pass (parsearg_op with dryrun = 0): the operation, -h and -V.
  let conflictingOperations = false;
  let help = false;
  let showVersion = false;
  for (const option of parsed.options) {
    const letterOperation = OPERATION_LETTERS[option.code];
    if (letterOperation) {
      if (operation !== undefined || conflictingOperations) conflictingOperations = true;
      else operation = letterOperation;
    } else if (option.code === 'h') help = true;
    else if (option.code === 'V') showVersion = true;
  }
  if (conflictingOperations) {
    operation = undefined;
    return result('rejected', { message: 'only one operation may be used at a time', stage: 'parse' });
  }
  if (help) return result('help');
  if (showVersion) return result('version');

  try {
    // Second pass: every other option, first the operation's parser, then the global one.
    const lookup = lookupFor(operation, variant);
    for (const option of parsed.options) {
      if (OPERATION_LETTERS[option.code] || option.code === 'h' || option.code === 'V') continue;
      const modifier = lookup.byCode.get(option.code);
      if (!modifier) reject(`invalid option '${option.display}'`);
      const invalid = modifier.validate?.(option.argument, variant);
      if (invalid) reject(invalid);
      apply(modifier, option.argument, flags, values);
    }
    targets = parsed.operands;
    checkCombinations(operation, flags);
    checkOperationTargets(operation, flags, targets);
  } catch (error) {
    if (error instanceof RejectionSignal) return result('rejected', error.rejection);
    throw error;
  }
  return result('run');
}

function definedLast<K extends keyof CommandPaths>(key: K, values: ReadonlyMap<Flag, readonly string[]>, flag: Flag = key as Flag): Partial<CommandPaths> {
  const all = values.get(flag);
  const last = all?.[all.length - 1];
  return last === undefined ? {} : { [key]: last };
}

function apply(modifier: Modifier, argument: string | undefined, flags: MutableFlags, values: Map<Flag, string[]>): void {
  for (const flag of [modifier.flag, ...(modifier.implies ?? [])]) {
    flags.set(flag, (flags.get(flag) ?? 0) + 1);
  }
  if (argument === undefined) return;
  const existing = values.get(modifier.flag) ?? [];
  switch (modifier.effect) {
    case 'list':
      // parsearg_util_addlist: strtok_r on ",", which drops empty fields.
      values.set(modifier.flag, [...existing, ...argument.split(',').filter((item) => item !== '')]);
      break;
    case 'value':
      values.set(modifier.flag, [...existing, argument]);
      break;
    case 'switch':
      // Only --debug=N: the level was validated, nothing to keep.
      break;
  }
}

/** The checkargs_*() functions: combinations pacman refuses ("may not be used together"). */
function checkCombinations(operation: Operation | undefined, flags: ReadonlyMap<Flag, number>): void {
  const has = (flag: Flag) => (flags.get(flag) ?? 0) > 0;
  const invalidTogether = (used: boolean, first: string, second: string) => {
    if (used) reject(`invalid option: '${first}' and '${second}' may not be used together`);
  };
  const transaction = () => {
    if (has('print')) {
      invalidTogether(has('dbonly'), '--print', '--dbonly');
      invalidTogether(has('noscriptlet'), '--print', '--noscriptlet');
    }
  };
  const upgrade = () => {
    transaction();
    invalidTogether(has('asdeps') && has('asexplicit'), '--asdeps', '--asexplicit');
  };
  const queryDisplay = (name: string) => {
    invalidTogether(has('changelog'), name, '--changelog');
    invalidTogether(has('check'), name, '--check');
    invalidTogether(has('info'), name, '--info');
    invalidTogether(has('list'), name, '--list');
  };
  const queryFilter = (name: string) => {
    invalidTogether(has('deps'), name, '--deps');
    invalidTogether(has('explicit'), name, '--explicit');
    invalidTogether(has('upgrades'), name, '--upgrade');
    invalidTogether(has('unrequired'), name, '--unrequired');
    invalidTogether(has('native'), name, '--native');
    invalidTogether(has('foreign'), name, '--foreign');
  };

  switch (operation) {
    case 'database':
      invalidTogether(has('asdeps') && has('asexplicit'), '--asdeps', '--asexplicit');
      if (has('check')) {
        invalidTogether(has('asdeps'), '--asdeps', '--check');
        invalidTogether(has('asexplicit'), '--asexplicit', '--check');
      }
      break;
    case 'query':
      if (has('file')) {
        invalidTogether(has('groups'), '--file', '--groups');
        invalidTogether(has('search'), '--file', '--search');
        invalidTogether(has('owns'), '--file', '--owns');
      } else if (has('search')) {
        invalidTogether(has('groups'), '--search', '--groups');
        invalidTogether(has('owns'), '--search', '--owns');
        queryDisplay('--search');
        queryFilter('--search');
      } else if (has('owns')) {
        invalidTogether(has('groups'), '--owns', '--groups');
        queryDisplay('--owns');
        queryFilter('--owns');
      } else if (has('groups')) {
        queryDisplay('--groups');
      }
      invalidTogether(has('deps') && has('explicit'), '--deps', '--explicit');
      invalidTogether(has('native') && has('foreign'), '--native', '--foreign');
      break;
    case 'remove':
      transaction();
      if (has('nosave')) {
        invalidTogether(has('print'), '--nosave', '--print');
        invalidTogether(has('dbonly'), '--nosave', '--dbonly');
      }
      break;
    case 'upgrade':
      upgrade();
      break;
    case 'sync':
      upgrade();
      if (has('clean')) {
        invalidTogether(has('groups'), '--clean', '--groups');
        invalidTogether(has('info'), '--clean', '--info');
        invalidTogether(has('list'), '--clean', '--list');
        invalidTogether(has('refresh'), '--clean', '--refresh');
        invalidTogether(has('search'), '--clean', '--search');
        invalidTogether(has('sysupgrade'), '--clean', '--sysupgrade');
        invalidTogether(has('downloadonly'), '--clean', '--downloadonly');
      } else if (has('info')) {
        invalidTogether(has('groups'), '--info', '--groups');
        invalidTogether(has('list'), '--info', '--list');
        invalidTogether(has('search'), '--info', '--search');
        invalidTogether(has('sysupgrade'), '--info', '--sysupgrade');
        invalidTogether(has('downloadonly'), '--info', '--downloadonly');
      } else if (has('search')) {
        invalidTogether(has('groups'), '--search', '--groups');
        invalidTogether(has('list'), '--search', '--list');
        invalidTogether(has('sysupgrade'), '--search', '--sysupgrade');
        invalidTogether(has('downloadonly'), '--search', '--downloadonly');
      } else if (has('list')) {
        invalidTogether(has('groups'), '--list', '--groups');
        invalidTogether(has('sysupgrade'), '--list', '--sysupgrade');
        invalidTogether(has('downloadonly'), '--list', '--downloadonly');
      } else if (has('groups')) {
        invalidTogether(has('sysupgrade'), '--groups', '--sysupgrade');
        invalidTogether(has('downloadonly'), '--groups', '--downloadonly');
      }
      break;
    // checkargs_files() only looks at a flag -F can never set; -T and no operation have no checks.
    case 'files':
    case 'deptest':
    case undefined:
      break;
  }
}

const NO_TARGETS = 'no targets specified (use -h for help)';
const rejectNoTargets = () => reject(NO_TARGETS, 'operation');

/**
 * Errors pacman's operation functions raise from the command line alone,
 * before they take the lock: no operation, or no targets where one is needed.
 */
function checkOperationTargets(operation: Operation | undefined, flags: ReadonlyMap<Flag, number>, targets: readonly string[]): void {
  const has = (flag: Flag) => (flags.get(flag) ?? 0) > 0;
  const none = targets.length === 0;
  switch (operation) {
    case undefined:
      reject('no operation specified (use -h for help)', 'operation');
      break;
    case 'remove':
    case 'upgrade':
      if (none) rejectNoTargets();
      break;
    case 'database':
      if (none && (has('asdeps') || has('asexplicit'))) rejectNoTargets();
      break;
    case 'sync':
      if (none && !has('clean') && !has('refresh') && !has('search') && !has('groups') && !has('info') && !has('list') && !has('sysupgrade')) {
        rejectNoTargets();
      }
      break;
    case 'files':
      if (none && !has('list') && !has('refresh')) rejectNoTargets();
      break;
    case 'query':
      // pacman_query(): -Qs and -Qg work on everything; -Qp and -Qo need something to look at.
      if (none && !has('search') && !has('groups') && (has('file') || has('owns'))) rejectNoTargets();
      break;
    case 'deptest':
      break;
  }
}

/** util.c needs_root(). */
function needsRoot(operation: Operation | undefined, has: (flag: Flag) => boolean, variant: PacmanVariant): boolean {
  // pacman 6.0 chroots into --sysroot, which needs root; 7.x prefixes paths instead.
  if (variant === '6.0' && has('sysroot')) return true;
  switch (operation) {
    case 'database':
      return !has('check');
    case 'upgrade':
    case 'remove':
      return !has('print');
    case 'sync':
      return has('clean') || has('refresh') || (!has('groups') && !has('info') && !has('list') && !has('search') && !has('print'));
    case 'files':
      return has('refresh');
    default:
      return false;
  }
}

/*
 * Not modelled: pacman 7.1 passes --cachedir, --gpgdir, --hookdir, -b/--dbpath,
 * -r/--root and --sysroot through realpath() while parsing and rejects the
 * line when that fails (a missing directory; a relative path that does not
 * resolve from pacman's working directory). The model keeps "lock" there:
 * - the answer is a fact of the filesystem when pacman runs, not of the
 *   command line: a directory created between the guard's stat and pacman's
 *   realpath() would turn a "rejected, no lock" verdict into an unguarded
 *   mutating pacman, so any stat here could only ever fail open;
 * - the refusal costs nothing: pacman would have rejected the line anyway;
 * - the model stays pure, one reading per command line.
 * The differential test lists these lines as known, safe-side differences.
 */

/**
 * Whether pacman takes the database lock, from its operation functions:
 * - -S: `-Sc` locks through trans_init; `-Sy` locks to update the sync
 *   databases (alpm_db_update); a transaction (`-S pkg`, `-Su`, `-Sw`) locks
 *   unless --print sets ALPM_TRANS_FLAG_NOLOCK (main(); not for -Sc);
 *   -Ss/-Si/-Sl/-Sg stop before the transaction;
 * - -R, -U: a transaction, so unless --print;
 * - -D: only --asdeps/--asexplicit (change_install_reason); -Dk reads;
 * - -F: only -Fy; -Q and -T never.
 */
function needsLock(operation: Operation | undefined, has: (flag: Flag) => boolean, hasTargets: boolean): boolean {
  switch (operation) {
    case 'sync':
      if (has('clean') || has('refresh')) return true;
      if (has('search') || has('groups') || has('info') || has('list')) return false;
      return (hasTargets || has('sysupgrade')) && !has('print');
    case 'remove':
    case 'upgrade':
      return hasTargets && !has('print');
    case 'database':
      return hasTargets && (has('asdeps') || has('asexplicit'));
    case 'files':
      return has('refresh');
    case 'query':
    case 'deptest':
    case undefined:
      return false;
  }
}

/**
 * Whether a command that takes the lock may also write package files: a
 * transaction commits files unless --print (nothing runs), --downloadonly
 * (only the cache) or --dbonly (only the database: pacman then also skips
 * scriptlets and hooks). `-Sy`, `-Sc`, `-D`, `-Fy` touch only /var.
 */
function changesFiles(operation: Operation | undefined, has: (flag: Flag) => boolean, hasTargets: boolean): boolean {
  if (!needsLock(operation, has, hasTargets) || has('print') || has('dbonly')) return false;
  switch (operation) {
    case 'sync':
      return !has('clean') && !has('downloadonly') && (hasTargets || has('sysupgrade'));
    case 'remove':
    case 'upgrade':
      return true;
    default:
      return false;
  }
}

/**
 * The database directories a locking command writes: -y refreshes sync/
 * (alpm_db_update); a transaction that commits (not --downloadonly: that
 * only fills the cache) and -D's install reasons write local/.
 */
function writesDatabase(operation: Operation | undefined, has: (flag: Flag) => boolean, hasTargets: boolean): DatabasePart[] {
  if (!needsLock(operation, has, hasTargets)) return [];
  const parts: DatabasePart[] = [];
  if ((operation === 'sync' || operation === 'files') && has('refresh')) parts.push('sync');
  switch (operation) {
    case 'sync':
      if (!has('clean') && !has('downloadonly') && !has('print') && (hasTargets || has('sysupgrade'))) parts.push('local');
      break;
    case 'remove':
    case 'upgrade':
    case 'database':
      parts.push('local');
      break;
    default:
      break;
  }
  return parts;
}

/**
 * The targets pacman acts on when one of them is `-` and stdin is not a
 * terminal: the first `-` goes, and each non-empty line of stdin is appended
 * as one target (pacman.c reads with getline and strips only the newline, so
 * "a b" is one target, and a carriage return stays).
 */
export function withStdinTargets(targets: readonly string[], stdin: string): string[] {
  const index = targets.indexOf('-');
  const kept = index === -1 ? [...targets] : [...targets.slice(0, index), ...targets.slice(index + 1)];
  return [...kept, ...stdin.split('\n').filter((line) => line !== '')];
}
