/**
 * Which database a line locks and which root it installs into, per pacman
 * build, on a small machine built in a temporary directory (each lookup runs
 * as if that directory were `/`). Real pacman agrees line for line: see
 * test/integration/pacman-differential.test.ts.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { actsOnHost, hostEffect, locate, prependDir, unionEffect, type LocationLookup } from '../../../src/pacman/location.js';
import { parsePacmanCommand } from '../../../src/pacman/model.js';
import { PACMAN_VARIANTS, type PacmanVariant } from '../../../src/pacman/options.js';
import { realpathWithin } from '../../../src/system/path-lookup.js';

const machine = mkdtempSync(join(tmpdir(), 'pacman-guard-location-unit-'));
afterAll(() => rmSync(machine, { recursive: true, force: true }));

function dirs(...paths: string[]) {
  for (const path of paths) mkdirSync(join(machine, path), { recursive: true });
}
function system(at: string) {
  dirs(`${at}/etc`, `${at}/var/lib/pacman/local`, `${at}/var/lib/pacman/sync`);
  writeFileSync(join(machine, at, 'etc/pacman.conf'), '[options]\n');
}
system('/');
system('/mnt/guest');
system('/home/user/guest');
dirs('/mnt/linked/etc', '/mnt/linked/var/lib', '/home/user/var/lib/pacman/local', '/home/user/var/lib/pacman/sync', '/tmp/checkup-db-1000/sync');
writeFileSync(join(machine, 'mnt/linked/etc/pacman.conf'), '[options]\n');
symlinkSync('/var/lib/pacman', join(machine, 'mnt/linked/var/lib/pacman'));
symlinkSync('/var/lib/pacman/local', join(machine, 'tmp/checkup-db-1000/local'));
dirs('/mnt/loop/etc', '/mnt/loop/var/lib');
writeFileSync(join(machine, 'mnt/loop/etc/pacman.conf'), '[options]\n');
symlinkSync('/var/lib/pacman', join(machine, 'mnt/loop/var/lib/pacman'));

/** The machine above as pacman's filesystem; pacman.conf sets nothing, so pacman-conf's defaults apply. */
const lookup: LocationLookup = {
  realpath(path, context, directory) {
    const found = realpathWithin(path, { root: join(machine, context.root), cwd: context.cwd });
    if (found === undefined || (directory && !statSync(found).isDirectory())) return undefined;
    return found.slice(machine.length) || '/';
  },
  async configuredPaths(_file, root) {
    return { rootDir: root ?? '/', dbPath: root === undefined ? '/var/lib/pacman/' : `${root.replace(/\/$/, '')}/var/lib/pacman/` };
  },
};
const CWD = '/home/user';

async function where(line: readonly string[], variant: PacmanVariant): Promise<string> {
  const location = await locate(parsePacmanCommand(line, { variant }), variant, CWD, lookup);
  if (location.kind === 'fails') return 'fails';
  return location.database === '/var/lib/pacman' ? 'this system' : location.database;
}

const S = (...args: string[]) => ['-S', 'guardtest', ...args];
/** One row per line: what 6.0, 7.0 and 7.1 (both 7.1 builds alike) lock. */
const ROWS: readonly (readonly [line: readonly string[], v60: string, v70: string, v71: string, why: string])[] = [
  [S(), 'this system', 'this system', 'this system', 'no path'],
  [S('--sysroot', ''), 'fails', 'this system', 'fails', "chroot('') fails; 7.0 prefixes '' (the plain paths); 7.1 realpath('') fails"],
  [S('--sysroot', '/'), 'this system', 'this system', 'this system', ''],
  [S('--sysroot', '/', '-b', 'var/lib/pacman'), 'this system', 'this system', '/home/user/var/lib/pacman', '6.0 chdir("/")s, 7.0 prefixes "/"; 7.1 resolved -b from the working directory first'],
  [S('--sysroot', '/', '-r', '.'), 'this system', 'this system', '/home/user/var/lib/pacman', 'the database follows a relative root the same way'],
  [S('--sysroot', '', '-b', 'var/lib/pacman'), 'fails', 'this system', 'fails', ''],
  [S('-b', 'var/lib/pacman'), '/home/user/var/lib/pacman', '/home/user/var/lib/pacman', '/home/user/var/lib/pacman', 'no sysroot: from the working directory'],
  [S('--sysroot', '/mnt/guest'), '/mnt/guest/var/lib/pacman', '/mnt/guest/var/lib/pacman', '/mnt/guest/var/lib/pacman', ''],
  [S('--sysroot', 'guest'), '/home/user/guest/var/lib/pacman', '/home/user/guest/var/lib/pacman', '/home/user/guest/var/lib/pacman', 'relative: from the working directory'],
  [S('--sysroot', '/mnt/guest', '-b', '../../../../var/lib/pacman'), '/mnt/guest/var/lib/pacman', 'this system', '/mnt/guest/var/lib/pacman', '`..` stops at the chroot; 7.0 walks out; 7.1 resolved it from /home/user first'],
  [S('--sysroot', '/mnt/linked'), 'fails', 'this system', 'this system', 'inside the chroot the symlink points at itself (ELOOP); 7 follows it out of the guest'],
  [S('--sysroot', '/mnt/guest', '-b', '/var/lib/pacman'), '/mnt/guest/var/lib/pacman', '/mnt/guest/var/lib/pacman', '/mnt/guest/var/lib/pacman', ''],
  [S('-r', '/mnt/linked'), 'this system', 'this system', 'this system', 'the guest database named through --root is a symlink to this one'],
  [S('-r', '/mnt/guest', '-b', '/var/lib/pacman'), 'this system', 'this system', 'this system', ''],
  [S('--sysroot', '/mnt/missing'), 'fails', 'fails', 'fails', ''],
  [['-Sy', '--dbpath', '/tmp/checkup-db-1000/', '--logfile', '/dev/null'], '/tmp/checkup-db-1000', '/tmp/checkup-db-1000', '/tmp/checkup-db-1000', 'checkupdates'],
];

describe('the database each pacman build locks', () => {
  it.each(ROWS)('pacman %j: 6.0 %s, 7.0 %s, 7.1 %s (%s)', async (line, v60, v70, v71) => {
    expect(await where(line, '6.0')).toBe(v60);
    expect(await where(line, '7.0')).toBe(v70);
    expect(await where(line, '7.1.0')).toBe(v71);
    expect(await where(line, '7.1.0+2df7c407')).toBe(v71);
  });

  it('prepends a sysroot as conf.c prepend_dir() does', () => {
    expect(prependDir('', '/etc/pacman.conf')).toBe('/etc/pacman.conf');
    expect(prependDir('/mnt/', '//var/lib')).toBe('/mnt/var/lib');
    expect(prependDir('guest', 'var/lib')).toBe('guest/var/lib');
  });
});

async function effect(line: readonly string[], variants: readonly PacmanVariant[] = PACMAN_VARIANTS): Promise<string> {
  const host = await locate(parsePacmanCommand(['-Q']), '6.0', '/', lookup);
  if (host.kind !== 'reached') throw new Error('no host');
  const effects = await Promise.all(variants.map(async (variant) => {
    const command = parsePacmanCommand(line, { variant });
    return hostEffect(command, await locate(command, variant, CWD, lookup), host, lookup);
  }));
  const union = unionEffect(effects);
  const parts = [union.locksDatabase && 'locks', union.writesDatabase && 'writes database', union.writesFiles && 'writes files'].filter(Boolean);
  return actsOnHost(union) ? parts.join(', ') : `nothing here${union.otherDatabase ? ` (${union.otherDatabase})` : ''}`;
}

const PRIVATE = ['--dbpath', '/tmp/checkup-db-1000/'];
const EFFECTS: readonly (readonly [line: readonly string[], expected: string, why: string])[] = [
    [['-Sy', ...PRIVATE, '--logfile', '/dev/null'], 'nothing here (/tmp/checkup-db-1000)', 'checkupdates: only the private sync/'],
    [['-Fy', ...PRIVATE], 'nothing here (/tmp/checkup-db-1000)', ''],
    [['-Syw', 'guardtest', ...PRIVATE], 'nothing here (/tmp/checkup-db-1000)', 'only the cache besides the private sync/'],
    [['-Sc', ...PRIVATE], 'nothing here (/tmp/checkup-db-1000)', 'only the cache'],
    [['-S', 'guardtest', ...PRIVATE], 'writes database, writes files', 'local/ is the symlink to this system\'s, and the files land in /'],
    [['-S', '--dbonly', 'guardtest', ...PRIVATE], 'writes database', ''],
    [['-U', 'x.pkg.tar.zst', '--dbpath', '/mnt/guest/var/lib/pacman'], 'writes files', 'a private database of its own, files into /: drift with no record'],
    [['-R', 'guardtest-dep', '--dbpath', '/mnt/guest/var/lib/pacman'], 'writes files', ''],
    [['-D', '--asdeps', 'guardtest-dep', ...PRIVATE], 'writes database', 'through the local symlink'],
    [['-S', 'guardtest', '-r', '/mnt/guest'], 'nothing here (/mnt/guest/var/lib/pacman)', 'pacstrap'],
    [['-S', 'guardtest', '--sysroot', '/mnt/linked'], 'locks, writes database', 'pacman 7 on a guest whose database is this one'],
    [['-S', 'guardtest', '--sysroot', ''], 'locks, writes database, writes files', '7.0 reads it as this system'],
    [['-Syu'], 'locks, writes database, writes files', ''],
];

describe('what a line does to this system', () => {
  it.each(EFFECTS)('pacman %j → %s (%s)', async (line, expected) => {
    expect(await effect(line)).toBe(expected);
  });

  it('on 7.1 only, --sysroot \'\' touches nothing (pacman rejects it)', async () => {
    expect(await effect(S('--sysroot', ''), ['7.1.0'])).toBe('nothing here');
    expect(await effect(S('--sysroot', ''), ['6.0'])).toBe('nothing here');
  });
});
