import { describe, expect, it } from 'vitest';
import { clashAdvice, overwritePattern, type ClashRequest } from '../../../src/extend/clash-advice.js';
import type { ClashOwner, Conflict } from '../../../src/extend/conflicts.js';

const clash = (path: string, pkg: string, owner: ClashOwner): Conflict => ({ path, package: pkg, owner });
const request = (changes: Partial<ClashRequest> = {}): ClashRequest => ({ targets: ['foo'], names: ['foo'], files: [], dependents: new Map(), ...changes });
const ours = (name: string): ClashOwner => ({ kind: 'extension', name, path: `/var/lib/extensions/${name}`, ours: true });

describe('clashAdvice: the commands to type, in turn', () => {
  it.each<[string, Conflict[], ClashRequest, string[]]>([
    ['a base package nothing needs: remove it, then extend again',
      [clash('/usr/x', 'foo', { kind: 'base', name: 'bar' })], request(),
      ['guard update -R bar', 'guard extend foo']],
    ['a base package others need: -Rc takes them too',
      [clash('/usr/x', 'foo', { kind: 'base', name: 'bar' }), clash('/usr/y', 'foo', { kind: 'base', name: 'baz' })],
      request({ dependents: new Map([['bar', ['app', 'baz']], ['baz', []]]) }),
      ['guard update -Rc bar baz', 'guard extend foo']],
    ['another extension of ours: remove it, then extend again, with --name and a file as typed',
      [clash('/usr/x', 'foo', ours('other'))], request({ targets: ['./foo-1-1-any.pkg.tar.zst'], names: [], files: ['/root/foo-1-1-any.pkg.tar.zst'], name: 'mine' }),
      ['guard extend --remove other', 'guard extend --name mine ./foo-1-1-any.pkg.tar.zst']],
    ['an extension that is not ours: taken out by hand first (the line says where), then extend again',
      [clash('/usr/x', 'foo', { kind: 'extension', name: 'vendor', path: '/usr/lib/extensions/vendor', ours: false })], request(), ['guard extend foo']],
    ['a file nobody owns: pacman --overwrite, on the base, for names and files',
      [clash('/usr/x', 'foo', { kind: 'unowned' }), clash('/opt/a,b*', 'foo', { kind: 'unowned' })],
      request({ targets: ['foo', 'f.pkg.tar.zst'], files: ['/root/f.pkg.tar.zst'] }),
      ["guard update -S --overwrite /usr/x --overwrite '/opt/a?b\\*' foo", "guard update -U --overwrite /usr/x --overwrite '/opt/a?b\\*' /root/f.pkg.tar.zst"]],
    ['a base owner and an unowned file: remove the owner, then overwrite on the base',
      [clash('/usr/x', 'foo', { kind: 'base', name: 'bar' }), clash('/usr/y', 'foo', { kind: 'unowned' })], request(),
      ['guard update -R bar', 'guard update -S --overwrite /usr/y foo']],
    ['two packages of one extension, both named: leave one out',
      [clash('/usr/x', 'b', { kind: 'package', name: 'a' })], request({ targets: ['a', 'b'], names: ['a', 'b'] }),
      ['guard extend a']],
    ['a package and its dependency: nothing to leave out',
      [clash('/usr/x', 'dep', { kind: 'package', name: 'foo' })], request(), []],
    ["a directory over a base package's symlink: no command (--overwrite would break the base's layout)",
      [{ ...clash('/usr/sbin', 'foo', { kind: 'base', name: 'filesystem' }), directory: true }], request(), []],
    ['a directory over a symlink no package owns: --overwrite puts the directory in its place',
      [{ ...clash('/usr/lib/foo', 'foo', { kind: 'unowned' }), directory: true }], request(),
      ['guard update -S --overwrite /usr/lib/foo foo']],
  ])('%s', (_, conflicts, req, commands) => {
    const lines = clashAdvice(conflicts, req);
    expect(lines.filter((line) => line.startsWith('    ')).map((line) => line.trim())).toEqual(commands);
    // Every line is a hint (indented); never the old advice that pacman refuses in this state.
    expect(lines.every((line) => line.startsWith('  '))).toBe(true);
    expect(lines.join('\n')).not.toMatch(/guard unmerge|guard update -S foo$/m);
  });

  it('says where an extension guard extend did not build is to be taken out from', () => {
    expect(clashAdvice([clash('/usr/x', 'foo', { kind: 'extension', name: 'vendor', path: '/usr/lib/extensions/vendor', ours: false })], request()))
      .toContain('  extension vendor carries one of them; guard extend did not build it: take it out of /usr/lib/extensions first');
  });

  it('names what -Rc removes besides the owner', () => {
    expect(clashAdvice([clash('/usr/x', 'foo', { kind: 'base', name: 'bar' })], request({ dependents: new Map([['bar', ['app']]]) })))
      .toContain('  app on the base needs it: -c removes it as well');
  });

  it.each([
    ['/usr/share/x', '/usr/share/x'],
    ['/usr/a*b?[c]\\', '/usr/a\\*b\\?\\[c\\]\\\\'],
    ['/usr/a,b', '/usr/a?b'],
  ])('--overwrite pattern for %s is %s', (path, pattern) => {
    expect(overwritePattern(path)).toBe(pattern);
  });
});
