/**
 * Why an extension does not fit the base: pacman -Dk's report read back, and
 * the reasons, which name the dependency and what the base has instead.
 */
import { describe, expect, it } from 'vitest';
import { alsoOnBase, describeMissing, parseDatabaseCheck, parseUnsatisfied, unfitExtensions, type FitFacts } from '../../../src/fit/reasons.js';
import { fitStamp } from '../../../src/fit/state.js';
import { extensionFit } from '../../../src/update/fit.js';

const facts: FitFacts = {
  base: new Map([['libfoo', '2.0-1'], ['glibc', '2.40-1'], ['libbar', '1.0-1']]),
  carried: new Map([
    ['toolD', { extension: 'toolD', version: '1.0-1' }],
    ['toolA', { extension: 'toolA', version: '1.0-1' }],
    ['libbaz', { extension: 'toolB', version: '3.0-1' }],
  ]),
  baseProvides: new Map([['libfoo.so', 'libfoo.so=2 (libfoo 2.0-1)']]),
};

describe('parseDatabaseCheck (LC_ALL=C pacman -Dk, pacman 6.0 and 7.x alike)', () => {
  it.each([
    ["error: missing 'libfoo<2.0' dependency for 'toolD'", [{ kind: 'missing', dependency: 'libfoo<2.0', package: 'toolD' }], []],
    ["error: 'toolA' conflicts with 'libbar'", [{ kind: 'conflict', package: 'toolA', other: 'libbar' }], []],
    ["error: file owned by 'libbar' and 'toolA': 'usr/lib/libbar.so'", [{ kind: 'file', package: 'libbar', other: 'toolA', path: 'usr/lib/libbar.so' }], []],
    ['warning: something pacman only warns about', [], []],
    ['No database errors have been found!', [], []],
    ["error: 'toolA-1.0-1': description file is missing", [], ["error: 'toolA-1.0-1': description file is missing"]],
  ] as const)('%s', (line, problems, unknown) => {
    expect(parseDatabaseCheck(`${line}\n`)).toEqual({ problems, unknown });
  });
});

describe('describeMissing: the dependency and what the base has', () => {
  it.each([
    ['a version the base does not satisfy', 'toolD', 'libfoo<2.0', 'toolD needs libfoo<2.0; the base has libfoo 2.0-1'],
    ['a provision the base has at another version', 'toolD', 'libfoo.so=1', 'toolD needs libfoo.so=1; the base has libfoo.so=2 (libfoo 2.0-1)'],
    ['what another extension carries at another version', 'toolA', 'libbaz>=4', 'toolA needs libbaz>=4; extension toolB has libbaz 3.0-1'],
    ['nothing anywhere', 'toolA', 'libqux', 'toolA needs libqux; neither the base nor an extension has libqux'],
  ] as const)('%s', (_name, pkg, dependency, reason) => {
    expect(describeMissing(pkg, dependency, facts)).toBe(reason);
  });
});

describe('unfitExtensions: pacman -Dk problems → the extensions that do not fit', () => {
  it.each([
    ['a missing dependency of a carried package', [{ kind: 'missing', dependency: 'libfoo<2.0', package: 'toolD' }],
      [['toolD', ['toolD needs libfoo<2.0; the base has libfoo 2.0-1']]]],
    ["the base's own problems are not an extension's", [{ kind: 'missing', dependency: 'libold', package: 'glibc' }], []],
    ['a carried package conflicts with a base package', [{ kind: 'conflict', package: 'toolA', other: 'libbar' }],
      [['toolA', ['toolA conflicts with libbar 1.0-1 on the base']]]],
    ['a base package conflicts with a carried one', [{ kind: 'conflict', package: 'libbar', other: 'toolA' }],
      [['toolA', ['toolA conflicts with libbar 1.0-1 on the base']]]],
    ['a file the base has too', [{ kind: 'file', package: 'libbar', other: 'toolA', path: 'usr/lib/libbar.so' }],
      [['toolA', ["the base's libbar 1.0-1 has /usr/lib/libbar.so, which toolA carries"]]]],
    ['a file two extensions carry: the second named is held', [{ kind: 'file', package: 'libbaz', other: 'toolA', path: 'usr/lib/x' }],
      [['toolA', ['/usr/lib/x of toolA is in extension toolB (libbaz) too']]]],
    ['the same problem twice is one reason', [{ kind: 'missing', dependency: 'libqux', package: 'toolA' }, { kind: 'missing', dependency: 'libqux', package: 'toolA' }],
      [['toolA', ['toolA needs libqux; neither the base nor an extension has libqux']]]],
  ] as const)('%s', (_name, problems, expected) => {
    expect([...unfitExtensions(problems, facts)]).toEqual(expected);
  });

  it('alsoOnBase: a carried package the base now has, at any version', () => {
    expect([...alsoOnBase({ ...facts, base: new Map([...facts.base, ['libbaz', '3.1-1']]) })]).toEqual([['toolB', ['the base now has libbaz 3.1-1, which it carries (3.0-1)']]]);
  });

  it('parseUnsatisfied: what pacman -S names under "could not satisfy dependencies"', () => {
    expect(parseUnsatisfied("could not satisfy dependencies; unable to satisfy dependency 'libfoo<2.0' required by toolD"))
      .toEqual([{ dependency: 'libfoo<2.0', package: 'toolD' }]);
  });
});

describe('fitStamp: the base package set and the builds checked over it', () => {
  const extension = (name: string, built: string) => ({ name, provenance: { built } as never });
  const base = ['ALPM_DB_VERSION', 'glibc-2.40-1', 'libfoo-1.0-1'];
  it.each([
    ['the same base in another order', ['libfoo-1.0-1', 'glibc-2.40-1', 'ALPM_DB_VERSION'], [extension('toolD', 't1')], true],
    ['another version of a base package', ['ALPM_DB_VERSION', 'glibc-2.40-1', 'libfoo-2.0-1'], [extension('toolD', 't1')], false],
    ['a rebuilt extension', base, [extension('toolD', 't2')], false],
    ['one more extension', base, [extension('toolD', 't1'), extension('toolA', 't1')], false],
    ['an extension not built by guard extend does not count', base, [extension('toolD', 't1'), { name: 'sample' }], true],
  ] as const)('%s: same stamp %s', (_name, otherBase, extensions, same) => {
    expect(fitStamp(otherBase, extensions) === fitStamp(base, [extension('toolD', 't1')])).toBe(same);
  });
});

describe('extensionFit after guard update, when pacman cannot resolve it', () => {
  it('names the dependency and the base version, not "could not satisfy dependencies"', () => {
    expect(extensionFit({
      carried: [{ name: 'toolD', version: '1.0-1', explicit: true }],
      base: new Map([['libfoo', '2.0-1']]),
      resolved: { error: "cannot resolve the packages: could not satisfy dependencies; unable to satisfy dependency 'libfoo<2.0' required by toolD" },
      shadowed: [],
    })).toEqual({ kind: 'hold', reason: 'toolD needs libfoo<2.0; the base has libfoo 2.0-1' });
  });
});
