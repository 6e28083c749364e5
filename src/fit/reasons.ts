/**
 * Why an extension does not fit the base, in words that name the package,
 * the dependency and what the base has instead ("toolD needs libfoo<2.0;
 * the base has libfoo 2.0-1"). Pure: the facts come from `pacman -Dk` run on
 * the base's entries plus the extensions' (src/fit/check.ts), so pacman alone
 * decides what satisfies a dependency, a conflict or a shared file.
 */

/** One line of `pacman -Dk`'s report (pacman's src/pacman/database.c, the same in 6.0 and 7.x). */
export type DatabaseProblem =
  | { readonly kind: 'missing'; readonly dependency: string; readonly package: string }
  | { readonly kind: 'conflict'; readonly package: string; readonly other: string }
  | { readonly kind: 'file'; readonly package: string; readonly other: string; readonly path: string };

const PATTERNS: readonly [RegExp, (match: RegExpExecArray) => DatabaseProblem][] = [
  [/^error: missing '(.+)' dependency for '(.+)'$/, (m) => ({ kind: 'missing', dependency: m[1]!, package: m[2]! })],
  [/^error: '(.+)' conflicts with '(.+)'$/, (m) => ({ kind: 'conflict', package: m[1]!, other: m[2]! })],
  [/^error: file owned by '(.+)' and '(.+)': '(.+)'$/, (m) => ({ kind: 'file', package: m[1]!, other: m[2]!, path: m[3]! })],
];

/**
 * Pure: `LC_ALL=C pacman -Dk`'s output. Lines it does not know are returned
 * apart: the caller cannot tell what they mean, so it fails closed.
 */
export function parseDatabaseCheck(output: string): { problems: DatabaseProblem[]; unknown: string[] } {
  const problems: DatabaseProblem[] = [];
  const unknown: string[] = [];
  for (const line of output.split('\n').map((text) => text.trim())) {
    if (!line.startsWith('error:')) continue;
    const pattern = PATTERNS.map(([regex, make]) => ({ match: regex.exec(line), make })).find(({ match }) => match);
    if (pattern?.match) problems.push(pattern.make(pattern.match));
    else unknown.push(line);
  }
  return { problems, unknown };
}

/**
 * Pure: `:: unable to satisfy dependency 'DEP' required by PKG` lines, which
 * pacman -S prints under "could not satisfy dependencies".
 */
export function parseUnsatisfied(output: string): { dependency: string; package: string }[] {
  return [...output.matchAll(/unable to satisfy dependency '([^']+)' required by (\S+)/g)].map((m) => ({ dependency: m[1]!, package: m[2]! }));
}

/** Pure: a dependency's package name: `libfoo<2.0` → `libfoo`. */
export const dependencyName = (dependency: string) => dependency.split(/[<>=]/)[0]!;

export interface FitFacts {
  /** The base's packages: name → version. */
  readonly base: ReadonlyMap<string, string>;
  /** The packages the extensions carry: name → extension and version. */
  readonly carried: ReadonlyMap<string, { readonly extension: string; readonly version: string }>;
  /** What base packages provide under another name: provision name → `provision (package version)`. */
  readonly baseProvides?: ReadonlyMap<string, string>;
}

/** Pure: "PKG needs DEP; the base has …", naming what the base (or another extension) has under that name. */
export function describeMissing(pkg: string, dependency: string, facts: FitFacts): string {
  const name = dependencyName(dependency);
  const onBase = facts.base.get(name);
  const provided = facts.baseProvides?.get(name);
  const elsewhere = facts.carried.get(name);
  const has = onBase !== undefined ? `the base has ${name} ${onBase}`
    : provided !== undefined ? `the base has ${provided}`
    : elsewhere !== undefined ? `extension ${elsewhere.extension} has ${name} ${elsewhere.version}`
    : `neither the base nor an extension has ${name}`;
  return `${pkg} needs ${dependency}; ${has}`;
}

/** Pure: carried packages the base has too (any version): the base's copy and the extension's would overlay each other. */
export function alsoOnBase(facts: FitFacts): Map<string, string[]> {
  const reasons = new Map<string, string[]>();
  for (const [name, { extension, version }] of facts.carried) {
    const onBase = facts.base.get(name);
    if (onBase !== undefined) add(reasons, extension, `the base now has ${name} ${onBase}, which it carries (${version})`);
  }
  return reasons;
}

function add(reasons: Map<string, string[]>, extension: string, reason: string): void {
  const list = reasons.get(extension) ?? [];
  if (!list.includes(reason)) list.push(reason);
  reasons.set(extension, list);
}

/**
 * Pure: extension → why it does not fit, from pacman's report on the base
 * plus the extensions. Problems among base packages alone are the base's,
 * not an extension's, and are left out.
 */
export function unfitExtensions(problems: readonly DatabaseProblem[], facts: FitFacts): Map<string, string[]> {
  const reasons = new Map<string, string[]>();
  const where = (pkg: string) => facts.carried.get(pkg)?.extension;
  const onBase = (pkg: string) => `${pkg} ${facts.base.get(pkg) ?? ''}`.trim();
  for (const problem of problems) {
    const mine = where(problem.package);
    if (problem.kind === 'missing') {
      if (mine) add(reasons, mine, describeMissing(problem.package, problem.dependency, facts));
      continue;
    }
    const theirs = where(problem.other);
    if (problem.kind === 'conflict') {
      if (mine) add(reasons, mine, `${problem.package} conflicts with ${theirs ? `${problem.other} in extension ${theirs}` : `${onBase(problem.other)} on the base`}`);
      else if (theirs) add(reasons, theirs, `${problem.other} conflicts with ${onBase(problem.package)} on the base`);
      continue;
    }
    // A file two packages own: the one an extension carries would hide the other.
    if (mine && theirs) add(reasons, theirs, `/${problem.path} of ${problem.other} is in extension ${mine} (${problem.package}) too`);
    else if (mine) add(reasons, mine, `the base's ${onBase(problem.other)} has /${problem.path}, which ${problem.package} carries`);
    else if (theirs) add(reasons, theirs, `the base's ${onBase(problem.package)} has /${problem.path}, which ${problem.other} carries`);
  }
  return reasons;
}
