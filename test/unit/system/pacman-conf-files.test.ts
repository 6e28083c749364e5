import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { includeCoverage, includeValues, pacmanConfFiles } from '../../../src/system/pacman-conf-files.js';

const values = (text: string) => includeValues(Buffer.from(text));

describe('Include lines, read as pacman reads them', () => {
  it.each([
    ['a plain Include', '[core]\nInclude = /etc/pacman.d/mirrorlist\n', ['/etc/pacman.d/mirrorlist']],
    ['white space around key and value', ' \tInclude\t=\t/etc/x.conf \r\n', ['/etc/x.conf']],
    ['an Include before any section (pacman follows it too)', 'Include = /etc/a\n[options]\n', ['/etc/a']],
    ['a comment only at the start of a line', '# Include = /etc/no\nInclude = /etc/yes # not a comment\n', ['/etc/yes # not a comment']],
    ['a section header is never a directive', '[Include = /etc/no]\n', []],
    ['the key is case-sensitive', 'include = /etc/no\nINCLUDE = /etc/no\n', []],
    ['no = is no Include', 'Include\n', []],
    ['an empty value', 'Include =\n', ['']],
    ['the value splits at the first =', 'Include = /etc/a=b\n', ['/etc/a=b']],
    ['a Unicode space is no C space: part of the key', 'Include\u00a0= /etc/no\n', []],
    ['a Unicode space is no C space: part of the value', 'Include = \u00a0/etc/x\n', ['\u00a0/etc/x']],
  ])('%s', (_name, text, expected) => {
    expect(values(text)).toEqual(expected);
  });

  it.each([
    ['a NUL byte', 'Include = /etc/a\0\n'],
    ['text that is not UTF-8', Buffer.from([0x49, 0xff, 0x0a])],
    // fgets(PATH_MAX) would read the rest of the line as a line of its own.
    ['a line pacman would split', `# ${'x'.repeat(4092)}Include = /etc/hidden\n`],
  ])('cannot be covered: %s', (_name, text) => {
    expect(includeValues(typeof text === 'string' ? Buffer.from(text) : text)).toBeUndefined();
  });

  it('keeps a line just under the buffer', () => {
    expect(values(`# ${'x'.repeat(4090)}\nInclude = /etc/a\n`)).toEqual(['/etc/a']);
  });
});

describe('how an Include value is covered', () => {
  it.each([
    ['/etc/pacman.d/mirrorlist', { file: '/etc/pacman.d/mirrorlist' }],
    ['/etc/pacman.d/*.conf', { directory: '/etc/pacman.d' }],
    ['/etc/pacman.d/repo-?', { directory: '/etc/pacman.d' }],
    ['/etc/pacman.d/[ab].conf', { directory: '/etc/pacman.d' }],
    ['pacman.d/mirrorlist', undefined],
    ['', undefined],
    ['/etc/*/mirrorlist', undefined],
    ['/etc/pacman.d/\\*.conf', undefined],
  ])('%s', (value, expected) => {
    expect(includeCoverage(value)).toEqual(expected);
  });
});

describe('the files pacman-conf reads', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pacman-conf-files-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('follows Includes, globs over the whole directory, and lists each file once', async () => {
    mkdirSync(join(dir, 'd'));
    writeFileSync(join(dir, 'pacman.conf'), `[options]\nInclude = ${dir}/d/*.conf\n[core]\nInclude = ${dir}/mirrorlist\n[extra]\nInclude = ${dir}/mirrorlist\n`);
    writeFileSync(join(dir, 'mirrorlist'), 'Server = https://example.invalid\n');
    writeFileSync(join(dir, 'd/a.conf'), `Include = ${dir}/missing\n`);
    writeFileSync(join(dir, 'd/notes.txt'), 'not included, but in the globbed directory\n');
    const files = await pacmanConfFiles(join(dir, 'pacman.conf'));
    expect(files?.map(([path, identity]) => [path, identity.split(':')[0]])).toEqual([
      [join(dir, 'pacman.conf'), 'file'],
      [`${dir}/d/`, 'entries'],
      [join(dir, 'd/a.conf'), 'file'],
      [join(dir, 'missing'), 'absent'],
      [join(dir, 'd/notes.txt'), 'file'],
      [join(dir, 'mirrorlist'), 'file'],
    ]);
  });

  it('gives no list for a relative Include deep down', async () => {
    writeFileSync(join(dir, 'pacman.conf'), `Include = ${dir}/a\n`);
    writeFileSync(join(dir, 'a'), 'Include = relative/b\n');
    expect(await pacmanConfFiles(join(dir, 'pacman.conf'))).toBeUndefined();
  });

  it('gives no list past pacman\'s ten levels of Include', async () => {
    for (let level = 0; level <= 11; level++) writeFileSync(join(dir, `${level}.conf`), `Include = ${dir}/${level + 1}.conf\n`);
    expect(await pacmanConfFiles(join(dir, '0.conf'))).toBeUndefined();
    writeFileSync(join(dir, '9.conf'), '');
    expect(await pacmanConfFiles(join(dir, '0.conf'))).toHaveLength(10);
  });

  it('a missing pacman.conf is part of the key, not a failure', async () => {
    expect(await pacmanConfFiles(join(dir, 'pacman.conf'))).toEqual([[join(dir, 'pacman.conf'), 'absent']]);
  });
});
