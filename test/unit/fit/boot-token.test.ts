/**
 * The boot lock's token (src/fit/boot-token.ts): what the shell reads must be
 * what GNU stat prints, and a token is only written when the shell can read it
 * as meant.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { BOOT_TOKEN_HEADER, identitiesOf, identityLine, renderBootToken, writeBootToken } from '../../../src/fit/boot-token.js';
import { bootLockScript } from '../../../src/install/hook-file.js';

const identity = (path: string, ctimeNs: bigint) => ({ path, dev: 65024n, ino: 713n, ctimeNs });

describe('identityLine', () => {
  it.each([
    [1796211908_832880856n, '/etc/pacman.conf 65024 713 1796211908.832880856'],
    [1796211908_000000001n, '/etc/pacman.conf 65024 713 1796211908.000000001'],
    [1796211908_000000000n, '/etc/pacman.conf 65024 713 1796211908.000000000'],
    [999n, '/etc/pacman.conf 65024 713 0.000000999'],
  ])('ctime %s ns', (ctimeNs, line) => {
    expect(identityLine(identity('/etc/pacman.conf', ctimeNs))).toBe(line);
  });

  const scratch = mkdtempSync(join(tmpdir(), 'boot-token-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("is what GNU stat -c '%n %d %i %.9Z' prints, for a file, a directory and a symbolic link (not followed)", () => {
    writeFileSync(join(scratch, 'file'), 'x');
    execFileSync('ln', ['-s', 'file', join(scratch, 'link')]);
    const paths = [join(scratch, 'file'), scratch, join(scratch, 'link')];
    const stat = execFileSync('stat', ['-c', '%n %d %i %.9Z', '--', ...paths], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
    expect(identitiesOf(paths)!.map(identityLine).join('\n') + '\n').toBe(stat);
  });

  it('has no identities for a path that is absent (stat would fail there)', () => {
    expect(identitiesOf([scratch, join(scratch, 'absent')])).toBeUndefined();
  });
});

describe('renderBootToken', () => {
  const identities = [identity('/etc/pacman.conf', 1n), identity('/var/lib/pacman/local', 2n)];
  it('names the DBPath, the record, the mounts that are not the guard\'s, the store, then one identity per line', () => {
    expect(renderBootToken('/var/lib/pacman', '/var/lib/pacman-guard/update.json', '/var/lib/extensions', 0, identities)).toBe([
      BOOT_TOKEN_HEADER,
      'dbpath /var/lib/pacman',
      'record /var/lib/pacman-guard/update.json',
      'mounts 0',
      'store /var/lib/extensions',
      '/etc/pacman.conf 65024 713 0.000000001',
      '/var/lib/pacman/local 65024 713 0.000000002',
      '',
    ].join('\n'));
  });

  it.each([
    ['a DBPath with a space', '/var/lib/pac man', 0, identities],
    ['a relative DBPath', 'var/lib/pacman', 0, identities],
    ['an identity path with a glob character', '/var/lib/pacman', 0, [identity('/etc/pacman.d/*', 1n)]],
    ['an identity path with a newline', '/var/lib/pacman', 0, [identity('/etc/pac\nman.conf', 1n)]],
    ['no identity at all', '/var/lib/pacman', 0, []],
    ['a negative mount count', '/var/lib/pacman', -1, identities],
    ['a DBPath with a backslash', '/var/lib/pac\\man', 0, identities],
  ] as const)('writes none for %s: every boot asks the guard', (_why, dbPath, mounts, list) => {
    expect(renderBootToken(dbPath, '/var/lib/pacman-guard/update.json', '/var/lib/extensions', mounts, list)).toBeUndefined();
  });
});

describe('writeBootToken', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'boot-token-write-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  it('writes the text, keeps the very file when it is the same, replaces it whole when not', () => {
    const path = join(scratch, 'state/boot-lock');
    const inode = () => execFileSync('stat', ['-c', '%i', path], { encoding: 'utf8' });
    writeBootToken('a\n', path);
    const first = inode();
    writeBootToken('a\n', path);
    expect(inode()).toBe(first);
    writeBootToken('b\n', path);
    expect(readFileSync(path, 'utf8')).toBe('b\n');
    expect(inode()).not.toBe(first);
  });
});

describe('the boot lock script', () => {
  it('is found beside the guard it hands over to, in the package', () => {
    expect(bootLockScript('/usr/lib/node_modules/pacman-guard/dist/cli/main.js')).toBe('/usr/lib/node_modules/pacman-guard/hooks/systemd/boot-lock.sh');
    expect(existsSync(bootLockScript(fileURLToPath(new URL('../../../dist/cli/main.js', import.meta.url))))).toBe(true);
  });
});
