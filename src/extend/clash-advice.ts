/**
 * What to do about files an extension would shadow, in commands that work
 * when typed in that state. Installing on the base instead is no way out:
 * pacman refuses a package whose files another package owns, or that no
 * package owns, as firmly ("conflicting files"). What an Arch admin does
 * then is take the owner away first (pacman -R it, or remove the extension
 * that carries it) and install again; a file nobody owns pacman replaces
 * only when told to (--overwrite). Pure: the refusal's hint lines.
 */
import { commandLine } from '../policy/refusal.js';
import type { ClashOwner, Conflict } from './conflicts.js';

export interface ClashRequest {
  /** The targets as typed: guard extend's command line again. */
  readonly targets: readonly string[];
  /** --name, when given. */
  readonly name?: string;
  /** Repository targets (pacman -S) and package files (pacman -U, resolved). */
  readonly names: readonly string[];
  readonly files: readonly string[];
  /** Base package → the base packages that depend on it (conflicts.ts, baseDependents). */
  readonly dependents: ReadonlyMap<string, readonly string[]>;
}

const distinct = <T>(values: Iterable<T>): T[] => [...new Set(values)];
const list = (names: readonly string[]) => names.join(', ');
const count = (n: number) => (n === 1 ? 'one of them' : `${n} of them`);

/** Pure: a path as an --overwrite pattern that matches it alone (fnmatch escapes; ',' separates patterns, '?' stands in). */
export function overwritePattern(path: string): string {
  return path.replace(/[\\*?[\]]/g, '\\$&').replace(/,/g, '?');
}

type OwnedBy<K extends ClashOwner['kind']> = Conflict & { readonly owner: Extract<ClashOwner, { kind: K }> };

function ownersOf<K extends ClashOwner['kind']>(conflicts: readonly Conflict[], kind: K): OwnedBy<K>[] {
  return conflicts.filter((conflict): conflict is OwnedBy<K> => conflict.owner.kind === kind);
}

function extendAgain(request: ClashRequest, targets = request.targets): string {
  return commandLine('guard', ['extend', ...(request.name !== undefined ? ['--name', request.name] : []), ...targets]);
}

/** pacman's way in for repository packages (-S) and package files (-U), in guard update's window. */
function baseInstall(request: ClashRequest, options: readonly string[]): string[] {
  return [
    ...(request.names.length > 0 ? [commandLine('guard', ['update', '-S', ...options, ...request.names])] : []),
    ...(request.files.length > 0 ? [commandLine('guard', ['update', '-U', ...options, ...request.files])] : []),
  ];
}

export function clashAdvice(conflicts: readonly Conflict[], request: ClashRequest): string[] {
  const packages = distinct(conflicts.map((conflict) => conflict.package));
  const layout = conflicts.filter((conflict) => conflict.directory && conflict.owner.kind === 'base');
  if (layout.length > 0) {
    // pacman's --overwrite would put the directory in place of the base's own symlink (/usr/sbin → bin): no advice to type.
    return [
      `  ${list(distinct(layout.map((conflict) => conflict.package)))} puts a directory where a base package has a file or a symlink:`,
      '  it was made for another file system layout; pacman refuses it on the base as well. Ask its packager',
    ];
  }
  const between = ownersOf(conflicts, 'package');
  if (between.length > 0) {
    const lines = [`  pacman will not install ${list(distinct(between.flatMap((conflict) => [conflict.owner.name, conflict.package])))} together either (conflicting files)`];
    // Leave out one the user named; a dependency cannot be left out.
    const named = between.map((conflict) => conflict.package).find((name) => request.targets.includes(name));
    const rest = request.targets.filter((target) => target !== named);
    if (named !== undefined && rest.length > 0) lines.push('  leave one of them out:', `    ${extendAgain(request, rest)}`);
    return lines;
  }

  const lines: string[] = [];
  const steps: string[] = [];
  const extensions = new Map<string, Extract<ClashOwner, { kind: 'extension' }> & { files: number }>();
  for (const { owner } of ownersOf(conflicts, 'extension')) {
    extensions.set(owner.name, { ...owner, files: (extensions.get(owner.name)?.files ?? 0) + 1 });
  }
  for (const extension of extensions.values()) {
    if (extension.ours) {
      lines.push(`  extension ${extension.name} carries ${count(extension.files)}: merged together, one would hide the other`);
      steps.push(commandLine('guard', ['extend', '--remove', extension.name]));
    } else {
      lines.push(`  extension ${extension.name} carries ${count(extension.files)}; guard extend did not build it: take it out of ${extension.path.replace(/\/[^/]+$/, '')} first`);
    }
  }
  const base = new Map<string, number>();
  for (const { owner } of ownersOf(conflicts, 'base')) base.set(owner.name, (base.get(owner.name) ?? 0) + 1);
  if (base.size > 0) {
    const owners = [...base.keys()];
    for (const [owner, files] of base) lines.push(`  ${owner} owns ${count(files)} on the base: pacman refuses to install over it too (conflicting files)`);
    const needing = distinct(owners.flatMap((owner) => request.dependents.get(owner) ?? [])).filter((name) => !base.has(name));
    // -R alone would stop at what needs them; -c (cascade) takes that too, and pacman lists it before asking.
    if (needing.length > 0) lines.push(`  ${list(needing)} on the base ${needing.length === 1 ? 'needs' : 'need'} ${owners.length === 1 ? 'it' : 'them'}: -c removes ${needing.length === 1 ? 'it' : 'them'} as well`);
    steps.push(commandLine('guard', ['update', needing.length > 0 ? '-Rc' : '-R', ...owners]));
  }
  const unowned = ownersOf(conflicts, 'unowned');
  if (unowned.length > 0) {
    // No package or extension to take away: pacman's answer is --overwrite, on the base.
    lines.push(`  no package owns ${count(unowned.length)}: pacman replaces such files only when told to (--overwrite), on the base`);
    steps.push(...baseInstall(request, unowned.flatMap((conflict) => ['--overwrite', overwritePattern(conflict.path)])));
  } else if (extensions.size > 0 || base.size > 0) {
    steps.push(extendAgain(request));
  }
  if (steps.length === 0) return lines;
  return [...lines, `  to have ${list(packages)} instead, run in turn:`, ...steps.map((step) => `    ${step}`)];
}
