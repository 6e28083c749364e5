import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TOOL_CACHE_FILE, cachedAnswer, parseCache } from '../../../src/system/tool-cache.js';
import { pacmanConfKey } from '../../../src/system/pacman-conf.js';

const uid = process.getuid!();
/** The key never runs the binary: an ELF header stands for it. */
const ELF = Buffer.concat([Buffer.from('\x7fELF', 'latin1'), Buffer.alloc(60, 1)]);

describe('the tool cache file', () => {
  it.each([
    ['not JSON', 'x'],
    ['another format', '{"format":2,"entries":[]}'],
    ['entries not a list', '{"format":1,"entries":{}}'],
    ['an entry without an answer', '{"format":1,"entries":[{"id":"a","key":"b"}]}'],
    ['an answer that is not text', '{"format":1,"entries":[{"id":"a","key":"b","answer":1}]}'],
    ['null', 'null'],
  ])('is empty when %s', (_name, text) => {
    expect(parseCache(text)).toEqual([]);
  });
});

describe('cached answers', () => {
  let dir: string;
  let runtimeDir: string;
  let asked: number;
  const ask = (answer: string) => async () => {
    asked++;
    return answer;
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tool-cache-'));
    runtimeDir = join(dir, 'run');
    asked = 0;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const options = () => ({ runtimeDir, owner: uid });

  it('asks once for an unchanged key, again for a changed one', async () => {
    expect(await cachedAnswer({ id: 'q', key: 'k1' }, ask('one'), options())).toBe('one');
    expect(await cachedAnswer({ id: 'q', key: 'k1' }, ask('two'), options())).toBe('one');
    expect(asked).toBe(1);
    expect(await cachedAnswer({ id: 'q', key: 'k2' }, ask('two'), options())).toBe('two');
    expect(asked).toBe(2);
    // The new answer replaced the old one: the old key is gone, not a second entry.
    expect(parseCache(readFileSync(join(runtimeDir, TOOL_CACHE_FILE), 'utf8'))).toEqual([{ id: 'q', key: 'k2', answer: 'two' }]);
  });

  it('keeps answers to different questions side by side', async () => {
    await cachedAnswer({ id: 'a', key: 'k' }, ask('A'), options());
    await cachedAnswer({ id: 'b', key: 'k' }, ask('B'), options());
    expect(await cachedAnswer({ id: 'a', key: 'k' }, ask('x'), options())).toBe('A');
    expect(await cachedAnswer({ id: 'b', key: 'k' }, ask('x'), options())).toBe('B');
    expect(asked).toBe(2);
  });

  it('writes a file users can read and only its owner can write', async () => {
    await cachedAnswer({ id: 'q', key: 'k' }, ask('one'), options());
    expect(statSync(join(runtimeDir, TOOL_CACHE_FILE)).mode & 0o777).toBe(0o644);
  });

  it('never stores a failed answer', async () => {
    await expect(cachedAnswer({ id: 'q', key: 'k' }, async () => { throw new Error('pacman-conf failed'); }, options())).rejects.toThrow('pacman-conf failed');
    expect(await cachedAnswer({ id: 'q', key: 'k' }, ask('one'), options())).toBe('one');
    expect(asked).toBe(1);
  });

  // Each case spoils a warm cache; the answer must then come from the tool again.
  it.each([
    ['writable by others', () => chmodSync(join(runtimeDir, TOOL_CACHE_FILE), 0o666)],
    ['writable by the group', () => chmodSync(join(runtimeDir, TOOL_CACHE_FILE), 0o664)],
    ['in a directory others can write', () => chmodSync(runtimeDir, 0o777)],
    ['malformed', () => writeFileSync(join(runtimeDir, TOOL_CACHE_FILE), '{"format":1,"entries":[{"id":"q"')],
    ['a symbolic link', () => {
      renameSync(join(runtimeDir, TOOL_CACHE_FILE), join(dir, 'elsewhere.json'));
      symlinkSync(join(dir, 'elsewhere.json'), join(runtimeDir, TOOL_CACHE_FILE));
    }],
    ['a runtime directory that is a symbolic link', () => {
      renameSync(runtimeDir, join(dir, 'real-run'));
      symlinkSync(join(dir, 'real-run'), runtimeDir);
    }],
  ])('is not trusted when %s', async (_name, spoil) => {
    await cachedAnswer({ id: 'q', key: 'k' }, ask('old'), options());
    spoil();
    expect(await cachedAnswer({ id: 'q', key: 'k' }, ask('new'), options())).toBe('new');
    expect(asked).toBe(2);
  });

  it('is not trusted, nor written, when someone else owns it', async () => {
    await cachedAnswer({ id: 'q', key: 'k' }, ask('old'), options());
    const someoneElse = { runtimeDir, owner: uid + 1 };
    expect(await cachedAnswer({ id: 'q', key: 'k' }, ask('new'), someoneElse)).toBe('new');
    expect(parseCache(readFileSync(join(runtimeDir, TOOL_CACHE_FILE), 'utf8'))).toEqual([{ id: 'q', key: 'k', answer: 'old' }]);
  });
});

describe("pacman-conf's key", () => {
  let dir: string;
  let binary: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pacman-conf-key-'));
    mkdirSync(join(dir, 'pacman.d'));
    writeFileSync(join(dir, 'pacman.conf'), `[options]\nDBPath = /var/lib/pacman/\n[core]\nInclude = ${dir}/pacman.d/mirrorlist\n`);
    writeFileSync(join(dir, 'pacman.d/mirrorlist'), 'Server = https://a.invalid/$repo\n');
    binary = join(dir, 'pacman-conf');
    writeFileSync(binary, ELF);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const key = () => pacmanConfKey(binary, join(dir, 'pacman.conf'), []);

  /** Rewrites a file with the same size and puts its mtime back, as cp -p or tar would. */
  const sameSizeSameMtime = (path: string, replace: (path: string) => void) => {
    const before = statSync(path);
    replace(path);
    utimesSync(path, before.atime, before.mtime);
    expect(statSync(path).size).toBe(before.size);
  };

  it.each([
    ['pacman.conf edited', () => writeFileSync(join(dir, 'pacman.conf'), `[options]\nDBPath = /srv/pacman/\n[core]\nInclude = ${dir}/pacman.d/mirrorlist\n`)],
    ['pacman.conf edited in place, same size and mtime', () => sameSizeSameMtime(join(dir, 'pacman.conf'), (path) => writeFileSync(path, readFileSync(path, 'utf8').replace('/var/', '/srv/')))],
    ['an included file edited', () => writeFileSync(join(dir, 'pacman.d/mirrorlist'), 'Server = https://b.invalid/$repo\n')],
    ['an included file removed', () => rmSync(join(dir, 'pacman.d/mirrorlist'))],
    ['the binary replaced', () => writeFileSync(binary, Buffer.concat([readFileSync(binary), Buffer.from('x')]))],
    ['the binary replaced by a copy: same size and mtime, another inode', () => sameSizeSameMtime(binary, (path) => {
      copyFileSync(path, `${path}.new`);
      renameSync(`${path}.new`, path);
    })],
  ])('changes when %s', async (_name, change) => {
    const before = await key();
    expect(before).toBeDefined();
    change();
    const after = await key();
    expect(after).toBeDefined();
    expect(after).not.toEqual(before);
  });

  it('stays the same when nothing changed', async () => {
    expect(await key()).toEqual(await key());
  });

  it('is undefined for a script (its answer depends on what it runs) or a config it cannot cover', async () => {
    writeFileSync(binary, '#!/bin/sh\necho [options]\n');
    expect(await key()).toBeUndefined();
    writeFileSync(binary, ELF);
    writeFileSync(join(dir, 'pacman.conf'), 'Include = pacman.d/mirrorlist\n');
    expect(await key()).toBeUndefined();
  });

  it('a changed glob match changes it', async () => {
    writeFileSync(join(dir, 'pacman.conf'), `Include = ${dir}/pacman.d/*.conf\n`);
    const before = await key();
    writeFileSync(join(dir, 'pacman.d/new.conf'), '');
    expect(await key()).not.toEqual(before);
  });
});
