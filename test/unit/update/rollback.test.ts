import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findInCache, isPackageFileOf, rollbackPlan } from '../../../src/update/rollback.js';

describe('what a rollback undoes', () => {
  it.each([
    ['an upgrade: the previous version back', ['libfoo-1.0-1', 'toolz-1-1'], ['libfoo-2.0-1', 'toolz-1-1'], { install: ['libfoo-1.0-1'], remove: [] }],
    ['a removal: the package back', ['libfoo-1.0-1', 'old-lib-3-2'], ['libfoo-1.0-1'], { install: ['old-lib-3-2'], remove: [] }],
    ['an addition: removed', ['libfoo-1.0-1'], ['libfoo-1.0-1', 'new-thing-0.1-1'], { install: [], remove: ['new-thing'] }],
    ['all three', ['a-1-1', 'b-1-1'], ['a-2-1', 'c-1-1'], { install: ['a-1-1', 'b-1-1'], remove: ['c'] }],
    ['nothing changed', ['a-1-1'], ['a-1-1'], { install: [], remove: [] }],
  ])('%s', (_name, before, now, expected) => expect(rollbackPlan(before, now)).toEqual(expected));
});

describe('package files in the cache', () => {
  it.each([
    ['libfoo-1.0-1-x86_64.pkg.tar.zst', 'libfoo-1.0-1', true],
    ['libfoo-1.0-1-any.pkg.tar.gz', 'libfoo-1.0-1', true],
    ['libfoo-1.0-1-x86_64.pkg.tar.zst.sig', 'libfoo-1.0-1', false],
    ['libfoo-extra-1.0-1-x86_64.pkg.tar.zst', 'libfoo-1.0-1', false],
    ['libfoo-1.0-10-x86_64.pkg.tar.zst', 'libfoo-1.0-1', false],
  ])('%s is the file of %s: %s', (file, entry, expected) => expect(isPackageFileOf(file, entry)).toBe(expected));

  it('finds each in any cache directory and names the missing', () => {
    const root = mkdtempSync(join(tmpdir(), 'guard-cache-'));
    mkdirSync(join(root, 'a'));
    mkdirSync(join(root, 'b'));
    writeFileSync(join(root, 'b', 'libfoo-1.0-1-any.pkg.tar.zst'), '');
    expect(findInCache(['libfoo-1.0-1', 'gone-2-1'], [join(root, 'a'), join(root, 'b'), join(root, 'none')])).toEqual({ files: [join(root, 'b', 'libfoo-1.0-1-any.pkg.tar.zst')], missing: ['gone-2-1'] });
  });
});
