/**
 * Whether an extension still fits the base after an update, and the parts of
 * guard update that are pure: its arguments and the namespace's remounts.
 */
import { describe, expect, it } from 'vitest';
import { splitUpdateArguments } from '../../../src/cli/commands/update.js';
import { parseMountinfo } from '../../../src/system/mountinfo.js';
import { imageHierarchies } from '../../../src/system/image.js';
import { extensionFit } from '../../../src/update/fit.js';
import { startTimeFromStat } from '../../../src/system/process-identity.js';
import { namespaceArgv } from '../../../src/update/window.js';

const carried = [
  { name: 'guardtest-tool', version: '2.0-3', explicit: true },
  { name: 'guardtest-lib', version: '1.0-1', explicit: false },
];
const base = new Map([['guardtest-dep', '1.0-1']]);

describe('extensionFit', () => {
  it.each([
    ['pacman would choose the same packages', { resolved: carried }, { kind: 'fits' }],
    ['a dependency was bumped in the repository', { resolved: [carried[0]!, { name: 'guardtest-lib', version: '2.0-1' }] },
      { kind: 'rebuild', reasons: ['guardtest-lib 1.0-1 → 2.0-1'] }],
    ['the base now has the dependency', { resolved: [carried[0]!], base: new Map([...base, ['guardtest-lib', '1.0-1']]) },
      { kind: 'rebuild', reasons: ['guardtest-lib is now in the base (1.0-1), not needed in the extension'] }],
    ['a new dependency', { resolved: [...carried, { name: 'guardtest-extra', version: '1.0-1' }] },
      { kind: 'rebuild', reasons: ['needs guardtest-extra 1.0-1, which it does not carry'] }],
    ['the base now has a file it carries', { resolved: carried, shadowed: ['usr/bin/guardtest-tool'] },
      { kind: 'rebuild', reasons: ['the base now has /usr/bin/guardtest-tool, which it carries'] }],
    ['the base now has the package it was built for', { resolved: carried, base: new Map([...base, ['guardtest-tool', '2.0-3']]) },
      { kind: 'hold', reason: 'the base now has guardtest-tool 2.0-3, which it was built to add' }],
    ['pacman cannot resolve it any more', { resolved: { error: 'cannot resolve "guardtest-abi=1", a dependency of "guardtest-tool"' } },
      { kind: 'hold', reason: 'pacman cannot resolve it against the new base: cannot resolve "guardtest-abi=1", a dependency of "guardtest-tool"' }],
  ] as const)('%s', (_name, input, expected) => {
    expect(extensionFit({ carried, base, shadowed: [], ...input })).toEqual(expected);
  });
});

describe('guard update arguments', () => {
  it.each([
    [[], { noRebuild: false, finish: false, pacmanArgs: ['-Syu'] }],
    [['--no-rebuild'], { noRebuild: true, finish: false, pacmanArgs: ['-Syu'] }],
    [['-S', 'foo', '--no-rebuild'], { noRebuild: true, finish: false, pacmanArgs: ['-S', 'foo'] }],
    [['-R', '--', '--no-rebuild'], { noRebuild: false, finish: false, pacmanArgs: ['-R', '--', '--no-rebuild'] }],
    [['--finish'], { noRebuild: false, finish: true, pacmanArgs: ['-Syu'] }],
    [['--noconfirm'], { noRebuild: false, finish: false, pacmanArgs: ['-Syu', '--noconfirm'] }],
    [['-Rs', 'foo'], { noRebuild: false, finish: false, pacmanArgs: ['-Rs', 'foo'] }],
  ] as const)('%j', (args, expected) => {
    expect(splitUpdateArguments(args)).toEqual(expected);
  });
});

describe('the window', () => {
  it('clears the per-mount flag on its copy, or makes the file system writable, keeping nosuid and the like', () => {
    const mounts = parseMountinfo([
      '1 0 254:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw',
      '30 1 254:1 /usr /usr ro,nodev,relatime shared:1 - ext4 /dev/vda1 rw',
      '31 1 0:40 / /opt ro,nosuid,relatime shared:3 - tmpfs tmpfs ro,mode=755',
    ].join('\n'));
    const argv = namespaceArgv(imageHierarchies(mounts, ['/usr', '/opt']).filter((entry) => entry.readOnly), '/usr/bin/pacman', ['-Syu']);
    expect(argv.slice(0, 4)).toEqual(['--mount', '--propagation', 'private', '--']);
    expect(argv.slice(7)).toEqual(['pacman-guard-update', 'remount,bind,rw,nodev,relatime', '/usr', 'remount,rw,nosuid,relatime', '/opt', '--', '/usr/bin/pacman', '-Syu']);
  });

  it('reads a process start time from /proc/PID/stat, whatever its name holds', () => {
    expect(startTimeFromStat('123 (node a) b) S 1 123 123 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 987654 1000 10')).toBe('987654');
  });
});
