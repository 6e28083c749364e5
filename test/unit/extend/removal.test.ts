import { describe, expect, it } from 'vitest';
import { planRemoval, planRemovalOf, removalCommands } from '../../../src/extend/removal.js';
import type { StoredExtension } from '../../../src/system/extension-store.js';

const extension = (name: string, packages: [string, boolean][]): StoredExtension => ({
  name,
  path: `/var/lib/extensions/${name}`,
  provenance: {
    name, builtBy: 'pacman-guard', built: '2026-12-01T10:00:00Z', extensionRelease: {},
    packages: packages.map(([packageName, explicit]) => ({ name: packageName, version: '1.0-1', repository: 'guardtest', file: `/cache/${packageName}.pkg.tar.gz`, sha256: '', explicit })),
    notCarried: { files: {}, scriptlets: {}, hooks: [], sysusers: {} },
  },
});
const store = [
  extension('tool', [['guardtest-tool', true], ['guardtest-lib', false]]),
  extension('pair', [['guardtest', true], ['guardtest-extra', true]]),
  { name: 'handmade', path: '/var/lib/extensions/handmade' },
];
const base = new Set(['guardtest-dep', 'pacman']);

describe('planRemoval', () => {
  it.each([
    [['guardtest-tool'], { kind: 'extensions', steps: [{ extension: 'tool', action: 'remove' }] }],
    [['guardtest-extra'], { kind: 'extensions', steps: [{ extension: 'pair', action: 'rebuild', targets: ['guardtest'] }] }],
    [['guardtest', 'guardtest-extra', 'guardtest-tool'], { kind: 'extensions', steps: [{ extension: 'tool', action: 'remove' }, { extension: 'pair', action: 'remove' }] }],
    [['guardtest-tool', 'guardtest-lib'], { kind: 'extensions', steps: [{ extension: 'tool', action: 'remove' }] }],
    [['guardtest-lib'], { kind: 'dependency', target: 'guardtest-lib', extension: 'tool', neededBy: ['guardtest-tool'] }],
    [['guardtest-dep'], { kind: 'base' }],
    [['guardtest-dep', 'guardtest'], { kind: 'mixed', inExtensions: ['guardtest'], inBase: ['guardtest-dep'] }],
    [['nothing-here', 'guardtest-dep'], { kind: 'not found', targets: ['nothing-here'] }],
  ] as const)('pacman -R %j → %j', (targets, expected) => {
    expect(planRemoval(targets, store, base)).toEqual(expected);
  });

  it('spells the steps as guard commands', () => {
    expect(removalCommands([{ extension: 'tool', action: 'remove' }, { extension: 'pair', action: 'rebuild', targets: ['guardtest'] }]))
      .toEqual([['guard', 'extend', '--remove', 'tool'], ['guard', 'extend', '--name', 'pair', 'guardtest']]);
  });
});

describe('planRemovalOf: exactly what pacman -R --print would remove', () => {
  it.each([
    // pacman -R guardtest-tool: its dependency stays, an orphan in the extension.
    [['guardtest-tool'], { kind: 'extensions', steps: [{ extension: 'tool', action: 'rebuild', targets: ['guardtest-lib'], dependencies: ['guardtest-lib'], removed: ['guardtest-tool'] }] }],
    // pacman -Rs guardtest-tool: both go, and the extension with them.
    [['guardtest-tool', 'guardtest-lib'], { kind: 'extensions', steps: [{ extension: 'tool', action: 'remove' }] }],
    // pacman -Rdd guardtest-lib: what pacman was told to break.
    [['guardtest-lib'], { kind: 'extensions', steps: [{ extension: 'tool', action: 'rebuild', targets: ['guardtest-tool'], removed: ['guardtest-lib'] }] }],
    [['guardtest-extra'], { kind: 'extensions', steps: [{ extension: 'pair', action: 'rebuild', targets: ['guardtest'], removed: ['guardtest-extra'] }] }],
    [['guardtest-dep'], { kind: 'base' }],
    [['guardtest-dep', 'guardtest'], { kind: 'mixed', inExtensions: ['guardtest'], inBase: ['guardtest-dep'] }],
    [['nothing-here'], { kind: 'not found', targets: ['nothing-here'] }],
  ] as const)('pacman would remove %j → %j', (removed, expected) => {
    expect(planRemovalOf(removed, store, base)).toEqual(expected);
  });
});
