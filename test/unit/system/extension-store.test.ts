import { describe, expect, it } from 'vitest';
import { carryingExtensions, type Provenance, type StoredExtension } from '../../../src/system/extension-store.js';

const built = (name: string, packages: readonly string[]): StoredExtension => ({
  name,
  path: `/var/lib/extensions/${name}`,
  provenance: {
    name,
    packages: packages.map((pkg) => ({ name: pkg, version: '1-1', repository: 'extra', file: `${pkg}-1-1-any.pkg.tar.zst`, sha256: '0', explicit: true })),
  } as unknown as Provenance,
});
const foreign: StoredExtension = { name: 'devtools', path: '/var/lib/extensions/devtools' };
const store = [built('tools', ['ripgrep', 'fd']), built('editor', ['neovim', 'libvterm']), foreign];

describe('carryingExtensions', () => {
  it.each([
    [['ripgrep'], { ripgrep: 'tools' }],
    [['neovim', 'fd'], { neovim: 'editor', fd: 'tools' }],
    [['ripgrep', 'bash'], undefined],
    [['devtools'], undefined],
    [[], {}],
  ])('%j → %j', (packages, expected) => {
    const carriers = carryingExtensions(packages, store);
    expect(carriers && Object.fromEntries(carriers)).toEqual(expected);
  });
});
