/**
 * What a yay or paru command line will do to this system: read-only (search,
 * info, PKGBUILD downloads, news, its own caches) or mutating (install,
 * remove, upgrade, refresh the sync databases, build and install). Pure.
 *
 * Where the helper hands the command line to pacman, the pacman model
 * decides (src/pacman/model.ts, across every pacman release it knows: one
 * that takes the lock makes it mutating). Where the helper does the work
 * itself, each branch below follows the helper's dispatch:
 * - yay: cmd.go handleCmd() and its handle* functions, clean.go,
 *   local_install.go, sync.go;
 * - paru: src/lib.rs handle_cmd() and its handle_* functions, clean.rs,
 *   install.rs, repo.rs, chroot.rs.
 * Unknown is mutating: a command line the tables cannot parse (an option a
 * newer release added, a typo) is treated as one that changes the system.
 */
import { parsePacmanCommand, type CommandPaths, type PacmanCommand } from '../pacman/model.js';
import { OPERATION_LONG_NAMES, PACMAN_VARIANTS, type Operation } from '../pacman/options.js';
import { isRedirectable } from '../policy/decide.js';
import { describeAction } from '../policy/describe.js';
import type { ColorSetting } from '../ui/output.js';
import { helperSpec, type HelperName, type HelperOperation } from './options.js';
import { parseHelperCommand, type ParsedHelperCommand } from './parse.js';

export type HelperEffect = 'read-only' | 'mutating';

export interface HelperCommand {
  readonly helper: HelperName;
  readonly args: readonly string[];
  /** The helper's operation (`default`: paru without one); undefined when the line did not parse. */
  readonly operation?: HelperOperation | 'default';
  readonly effect: HelperEffect;
  /** What it does, in words ("installing packages", "searching the repositories and the AUR"). */
  readonly action: string;
  /** Why it could not be classified (then it counts as mutating). */
  readonly unknown?: string;
  /**
   * Under Policy = redirect the helper may run: it only installs, so its
   * final `pacman -S`/`pacman -U` reaches the pacman shim, which builds
   * system extensions instead. Removals, upgrades and refreshes are not.
   */
  readonly redirectable: boolean;
  /** The root, database, config and sysroot named on the command line. */
  readonly paths: CommandPaths;
  /** The last `--color` given (both helpers follow it, and hand it to pacman), when pacman would accept it. */
  readonly color?: ColorSetting;
  /** The pacman command line the helper runs, where it hands the whole command to pacman. */
  readonly pacmanArgs?: readonly string[];
}

/** One parsed command line with the lookups the dispatch code uses. */
class Line {
  constructor(readonly parsed: ParsedHelperCommand) {}
  get targets() {
    return this.parsed.targets.length > 0 || this.parsed.readsTargetsFromStdin;
  }
  /** yay ExistsArg / paru has_arg: any of the spellings given. */
  has(...names: string[]): boolean {
    return this.parsed.options.some((option) => names.includes(option.name));
  }
  /** paru count(): occurrences of all spellings together. */
  count(...names: string[]): number {
    return this.parsed.options.filter((option) => names.includes(option.name)).length;
  }
  /** yay ExistsDouble: the first spelling present decides, given at least twice. */
  double(...names: string[]): boolean {
    const present = names.find((name) => this.has(name));
    return present !== undefined && this.count(present) >= 2;
  }
  last(...names: string[]): string | undefined {
    return this.parsed.options.filter((option) => names.includes(option.name) && option.value !== undefined).at(-1)?.value;
  }
}

function pathsOf(line: Line): CommandPaths {
  const root = line.last('root', 'r');
  const dbPath = line.last('dbpath', 'b');
  const config = line.last('config');
  const sysroot = line.last('sysroot');
  return {
    ...(root === undefined ? {} : { root }),
    ...(dbPath === undefined ? {} : { dbPath }),
    ...(config === undefined ? {} : { config }),
    ...(sysroot === undefined ? {} : { sysroot }),
  };
}

/**
 * The pacman command line the helper builds (yay BuildPacmanCmd(), paru
 * Args::args()): the operation, the options it passes on (an option that
 * takes an argument with it), `--`, the targets.
 */
export function pacmanArgsFor(parsed: ParsedHelperCommand, operation: Operation, targets: readonly string[] = parsed.targets): string[] {
  const spec = helperSpec(parsed.helper);
  const words = [`--${OPERATION_LONG_NAMES[operation]}`];
  for (const option of parsed.options) {
    if (!spec.passesToPacman(option.name)) continue;
    const short = option.name.length === 1;
    const argument = short ? spec.shortOptions.get(option.name) : spec.longOptions.get(option.name);
    if (argument !== 'required' || option.value === undefined) words.push(short ? `-${option.name}` : `--${option.name}`);
    else words.push(short ? `-${option.name}${option.value}` : `--${option.name}=${option.value}`);
  }
  words.push('--', ...targets);
  if (parsed.readsTargetsFromStdin && !targets.includes('-')) words.push('-');
  return words;
}

/** The pacman model's reading, failing closed across variants: the one that takes the lock if any does. */
function pacmanReading(args: readonly string[]): PacmanCommand {
  const readings = PACMAN_VARIANTS.map((variant) => parsePacmanCommand(args, { variant }));
  return readings.find((command) => command.needsLock) ?? readings.at(-1)!;
}

type Classified = Omit<HelperCommand, 'helper' | 'args' | 'paths'>;

const readOnly = (operation: HelperCommand['operation'], action: string): Classified =>
  ({ operation, effect: 'read-only', action, redirectable: false });

/** The helper hands the command to pacman: the pacman model decides. */
function passThrough(line: Line, operation: Operation, helperOperation: HelperCommand['operation'] = operation): Classified {
  const pacmanArgs = pacmanArgsFor(line.parsed, operation);
  const command = pacmanReading(pacmanArgs);
  if (command.outcome === 'rejected') {
    return { ...readOnly(helperOperation, `nothing: pacman rejects it (${command.rejection?.message})`), pacmanArgs };
  }
  return {
    operation: helperOperation,
    effect: command.needsLock ? 'mutating' : 'read-only',
    action: describeAction(command),
    redirectable: command.needsLock && isRedirectable(command),
    pacmanArgs,
  };
}

/**
 * The pacman command line a helper's own work amounts to: the operation, the
 * options it passes on that pacman accepts for that operation on their own
 * (yay -Bi's `-i` is not pacman -U's), `--`, the targets.
 */
function likePacmanArgs(parsed: ParsedHelperCommand, like: Operation, targets: readonly string[]): string[] {
  const words = pacmanArgsFor(parsed, like, targets);
  const separator = words.indexOf('--');
  const accepted = words.slice(1, separator).filter((word) =>
    PACMAN_VARIANTS.some((variant) => parsePacmanCommand([words[0]!, word, '--', 'target'], { variant }).rejection?.stage !== 'parse'));
  return [words[0]!, ...accepted, ...words.slice(separator)];
}

/**
 * The helper does the work itself and ends in pacman: mutating, whatever
 * pacman would make of the line. `like` is the pacman operation it amounts
 * to, for the words and for whether the redirect policy may let it run.
 */
function ownWork(line: Line, operation: HelperCommand['operation'], like: Operation, action?: string, targets?: readonly string[]): Classified {
  const command = pacmanReading(likePacmanArgs(line.parsed, like, targets ?? line.parsed.targets));
  const runs = command.outcome === 'run';
  return {
    operation,
    effect: 'mutating',
    action: action ?? (runs ? describeAction(command) : like === 'remove' ? 'removing packages' : 'installing packages'),
    redirectable: runs && isRedirectable(command),
  };
}

// --- yay: cmd.go handleCmd() ---------------------------------------------------

function classifyYay(line: Line): Classified {
  const operation = line.parsed.operation!;
  // handleCmd(): help first, whatever the operation (handleHelp runs `pacman -h` for pacman's).
  if (line.has('h', 'help')) return readOnly(operation, 'printing help');
  switch (operation) {
    case 'version':
      return readOnly(operation, 'printing its version');
    case 'database':
    case 'files':
    case 'deptest':
    case 'upgrade':
    case 'remove':
      // handleUpgrade(), handleRemove() and the D/F/T cases: BuildPacmanCmd with the same arguments.
      return passThrough(line, operation);
    case 'query':
      // handleQuery(): -Qu is yay's own upgrade list (repositories and AUR), read-only.
      if (line.has('u', 'upgrades')) return readOnly(operation, 'listing available upgrades');
      return passThrough(line, operation);
    case 'sync':
      return classifyYaySync(line);
    case 'build':
      // handleBuild(): only -i does anything (installLocalPKGBUILD: build, then install).
      if (line.has('i', 'install')) return ownWork(line, operation, 'upgrade', 'building and installing packages from PKGBUILDs');
      return readOnly(operation, 'nothing (-B builds and installs only with -i)');
    case 'getpkgbuild':
      // handleGetpkgbuild(): PKGBUILDs into the current directory, or printed (-p).
      return readOnly(operation, line.has('p', 'print') ? 'printing PKGBUILDs' : 'downloading PKGBUILDs into the current directory');
    case 'show':
      // handlePrint(): configuration, news, completions, statistics.
      return readOnly(operation, 'printing information');
    case 'web':
      // handleWeb(): votes on the AUR website.
      return readOnly(operation, 'voting for AUR packages');
    case 'yay':
      // handleYay(): --gendb writes yay's own vcs.json (in ~/.cache/yay); -c removes
      // unneeded dependencies (cleanDependencies: pacman -Rsu); targets open the
      // number menu and install what is picked (displayNumberMenu → syncInstall).
      if (line.has('gendb')) return readOnly(operation, "generating yay's development package database");
      if (line.double('c') || line.has('c', 'clean')) {
        return ownWork(line, operation, 'remove', 'removing unneeded dependencies', ['(unneeded dependencies)']);
      }
      if (line.targets) return ownWork(line, operation, 'sync', 'searching and installing packages');
      return readOnly(operation, 'nothing (no targets)');
    default:
      return { operation, effect: 'mutating', action: `an operation yay has that pacman-guard does not know (${operation})`, redirectable: false, unknown: `unknown operation ${operation}` };
  }
}

/** handleSync(), in its order. */
function classifyYaySync(line: Line): Classified {
  if (line.has('s', 'search')) return readOnly('sync', 'searching the repositories and the AUR');
  if (line.has('p', 'print', 'print-format')) return passThrough(line, 'sync');
  if (line.has('c', 'clean')) {
    // syncClean(): pacman -Sc unless -a/--aur (yay's AUR build cache only, in ~/.cache/yay).
    // extractYayOptions() walks a map, so with both -a and -N the mode is either.
    if (line.has('a', 'aur') && !line.has('N', 'repo')) return readOnly('sync', "cleaning yay's build cache");
    return passThrough(line, 'sync');
  }
  if (line.has('l', 'list') || line.has('g', 'groups') || line.has('i', 'info')) return passThrough(line, 'sync');
  // syncInstall(): refreshes (-y), upgrades (-u), resolves, clones, builds, installs.
  if (line.has('u', 'sysupgrade') || line.targets) return ownWork(line, 'sync', 'sync');
  if (line.has('y', 'refresh')) return passThrough(line, 'sync');
  return readOnly('sync', 'nothing (no targets)');
}

// --- paru: lib.rs handle_cmd() -------------------------------------------------

/**
 * Whether paru's mode includes the repositories after the command line:
 * -a/--aur, --repo and --pkgbuilds assign it, --mode adds to it (config.rs
 * `impl FromStr for Mode`). Undefined: paru.conf decides.
 */
function paruRepoMode(line: Line): boolean | undefined {
  let repo: boolean | undefined;
  for (const option of line.parsed.options) {
    if (option.name === 'a' || option.name === 'aur' || option.name === 'pkgbuilds') repo = false;
    else if (option.name === 'repo') repo = true;
    else if (option.name === 'mode') {
      for (const word of (option.value ?? '').split(',')) {
        if (word === 'all' || word === 'repo' || (word !== 'aur' && /^[arp]+$/.test(word) && word.includes('r'))) repo = true;
      }
    }
  }
  return repo;
}

function classifyParu(line: Line): Classified {
  const operation = line.parsed.operation ?? 'default';
  // parse_args(): --help (pacman's own help for pacman's operations) and --version exit at once.
  if (line.has('h', 'help')) return readOnly(operation, 'printing help');
  if (line.has('V', 'version')) return readOnly(operation, 'printing its version');
  const interactive = line.has('interactive');
  switch (operation) {
    case 'database':
    case 'files':
      return passThrough(line, operation);
    case 'upgrade':
      // handle_upgrade(): no targets builds the PKGBUILD in the current directory (install::build_dirs).
      if (!line.targets) return ownWork(line, operation, 'upgrade', 'building and installing the PKGBUILD in the current directory', ['.']);
      return passThrough(line, operation);
    case 'build':
      // handle_build(): "no targets specified" without directories; otherwise build_dirs(),
      // which installs missing dependencies, and the packages themselves with -i.
      if (!line.targets) return readOnly(operation, 'nothing: paru rejects it (no targets specified)');
      return ownWork(line, operation, 'upgrade', line.has('i', 'install')
        ? 'building and installing packages from PKGBUILDs'
        : 'building packages from PKGBUILDs (installing their missing dependencies)');
    case 'query':
      // handle_query(): interactive -Qs and -Qu are paru's own and read-only.
      if (line.has('s', 'search') && interactive) return readOnly(operation, 'searching installed packages');
      if (line.has('u', 'upgrades')) return readOnly(operation, 'listing available upgrades');
      return passThrough(line, operation);
    case 'sync':
      return classifyParuSync(line, interactive);
    case 'remove':
      // remove::remove(): pacman -R with the same arguments, targets picked first with --interactive.
      if (interactive) return ownWork(line, operation, 'remove', 'removing packages', ['(picked interactively)']);
      return passThrough(line, operation);
    case 'deptest':
      // handle_test(): -Ta asks the AUR; otherwise pacman -T.
      if (line.has('a', 'aur')) return readOnly(operation, 'testing dependencies against the AUR');
      return passThrough(line, operation);
    case 'getpkgbuild':
      // handle_get_pkg_build(): print (-p), comments (-c), or download into the current directory.
      return readOnly(operation, line.has('p', 'print') ? 'printing PKGBUILDs' : line.count('c', 'comments') > 0 ? 'printing AUR comments' : 'downloading PKGBUILDs into the current directory');
    case 'show':
      // handle_show(): news, completions, statistics, dependency order.
      return readOnly(operation, 'printing information');
    case 'repoctl': {
      // handle_repo(): -c cleans, -y/-u syncs the local repositories' databases
      // into DBPath (repo::refresh, with libalpm: neither the shim nor the hook
      // sees it), -d removes from them (-dd uninstalls too); otherwise lists.
      const changes = line.count('c', 'clean') > 0 || line.has('y', 'refresh') || line.has('u', 'sysupgrade') || line.count('d', 'delete') > 0;
      if (changes) return { operation, effect: 'mutating', action: 'changing local repositories and their sync databases', redirectable: false };
      return readOnly(operation, 'listing local repositories');
    }
    case 'chrootctl':
      // handle_chroot(): creates, updates and runs commands in the build chroot
      // (chroot_dir, /var/lib/aurbuild/<arch> by default) with mkarchroot and
      // arch-nspawn; pacman acts on the chroot's root, not on this system.
      return readOnly(operation, 'working in the build chroot, not on this system');
    case 'default':
      // handle_default(): --gendb writes paru's devel.toml (in ~/.cache/paru); -c
      // removes unneeded dependencies; targets search and install interactively.
      if (line.has('gendb')) return readOnly(operation, "generating paru's development package database");
      if (line.count('c', 'clean') > 0) return ownWork(line, operation, 'remove', 'removing unneeded dependencies', ['(unneeded dependencies)']);
      if (line.targets) return ownWork(line, operation, 'sync', 'searching and installing packages');
      return readOnly(operation, 'nothing: paru rejects it (no operation specified)');
    default:
      return { operation, effect: 'mutating', action: `an operation paru has that pacman-guard does not know (${operation})`, redirectable: false, unknown: `unknown operation ${operation}` };
  }
}

/** handle_sync(), in its order. */
function classifyParuSync(line: Line, interactive: boolean): Classified {
  if (line.has('i', 'info')) return passThrough(line, 'sync');
  if (line.has('c', 'clean')) {
    // clean::clean(): pacman -Sc when the mode includes the repositories, then paru's clone directory.
    if (paruRepoMode(line) === false) return readOnly('sync', "cleaning paru's build cache");
    return passThrough(line, 'sync');
  }
  if (line.has('l', 'list')) return passThrough(line, 'sync');
  if (line.has('s', 'search')) return readOnly('sync', 'searching the repositories and the AUR');
  if (line.has('g', 'groups') || line.has('p', 'print', 'print-format')) return passThrough(line, 'sync');
  // install::install(): without targets, -y or -u it does nothing.
  if (!line.targets && !line.has('y', 'refresh') && !line.has('u', 'sysupgrade') && !interactive) return readOnly('sync', 'nothing (no targets)');
  return ownWork(line, 'sync', 'sync');
}

export function classifyHelperCommand(helper: HelperName, args: readonly string[]): HelperCommand {
  const parse = parseHelperCommand(helper, args);
  if (!parse.ok) {
    return {
      helper,
      args,
      effect: 'mutating',
      action: `a command line pacman-guard cannot read: ${parse.problem}`,
      unknown: parse.problem,
      redirectable: false,
      paths: {},
    };
  }
  const line = new Line(parse.command);
  const classified = helper === 'yay' ? classifyYay(line) : classifyParu(line);
  const color = line.last('color');
  const valid = color === 'never' || color === 'auto' || color === 'always';
  return { helper, args, ...classified, paths: pathsOf(line), ...(valid ? { color } : {}) };
}
