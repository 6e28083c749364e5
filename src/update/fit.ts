/**
 * Whether a guard-built extension still fits the base after `guard update`
 * changed it. Pure: the caller brings the extension's provenance, what pacman
 * now resolves for the same targets, the base's packages and the carried
 * files the base now has too.
 *
 * - fits: pacman would choose exactly the packages the extension carries;
 * - rebuild: it would choose others (a newer version in the repository, a
 *   dependency the base now has, a dependency the new base no longer
 *   satisfies), or the base now has a file the extension carries;
 * - hold: no rebuild can make it fit (a package it was built for is now part
 *   of the base, or pacman cannot resolve it against the new base).
 */
import type { ProvenancePackage } from '../system/extension-store.js';
import type { ResolvedPackage } from '../extend/resolve.js';
import { describeMissing, parseUnsatisfied } from '../fit/reasons.js';

export type Fit =
  | { readonly kind: 'fits' }
  | { readonly kind: 'rebuild'; readonly reasons: readonly string[] }
  | { readonly kind: 'hold'; readonly reason: string };

export interface FitInput {
  readonly carried: readonly Pick<ProvenancePackage, 'name' | 'version' | 'explicit'>[];
  /** The base's packages after the update: name → version. */
  readonly base: ReadonlyMap<string, string>;
  /** pacman's resolution of the extension's targets against the new base, or why it failed. */
  readonly resolved: readonly Pick<ResolvedPackage, 'name' | 'version'>[] | { readonly error: string };
  /** Files the extension carries that the base now has as well (the overlay would hide them). */
  readonly shadowed: readonly string[];
}

const MAX_LISTED = 5;
const listed = (items: readonly string[]) => (items.length > MAX_LISTED ? [...items.slice(0, MAX_LISTED), `and ${items.length - MAX_LISTED} more`] : items).join(', ');

export function extensionFit(input: FitInput): Fit {
  const nowInBase = input.carried.filter((entry) => entry.explicit && input.base.has(entry.name));
  if (nowInBase.length > 0) {
    return { kind: 'hold', reason: `the base now has ${listed(nowInBase.map((entry) => `${entry.name} ${input.base.get(entry.name)}`))}, which it was built to add` };
  }
  if ('error' in input.resolved) {
    // "toolD needs libfoo<2.0; the base has libfoo 2.0-1" when pacman named the dependency.
    const unsatisfied = parseUnsatisfied(input.resolved.error);
    const facts = { base: input.base, carried: new Map() };
    return { kind: 'hold', reason: unsatisfied.length > 0 ? unsatisfied.map((item) => describeMissing(item.package, item.dependency, facts)).join('; ') : `pacman cannot resolve it against the new base: ${input.resolved.error}` };
  }

  const carried = new Map(input.carried.map((entry) => [entry.name, entry.version]));
  const wanted = new Map(input.resolved.map((entry) => [entry.name, entry.version]));
  const reasons: string[] = [];
  for (const [name, version] of wanted) {
    const had = carried.get(name);
    if (had === undefined) reasons.push(`needs ${name} ${version}, which it does not carry`);
    else if (had !== version) reasons.push(`${name} ${had} → ${version}`);
  }
  for (const [name, version] of carried) {
    if (wanted.has(name)) continue;
    reasons.push(input.base.has(name) ? `${name} is now in the base (${input.base.get(name)}), not needed in the extension` : `${name} ${version} is no longer needed`);
  }
  if (input.shadowed.length > 0) reasons.push(`the base now has ${listed(input.shadowed.map((path) => `/${path}`))}, which it carries`);
  return reasons.length === 0 ? { kind: 'fits' } : { kind: 'rebuild', reasons };
}
