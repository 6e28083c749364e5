/**
 * Command lines whose --sysroot, --root, --dbpath or --config lead somewhere
 * else than they seem (issue 21 item 8, issue 22 item 1), and the directory
 * tree they lead into. The differential test replays them against each
 * pacman build and compares the database pacman's own process reaches with
 * the one src/pacman/location.ts works out for that build.
 *
 * The tree (under a directory of /tmp, which the testbed shares):
 *   guest/                  a mounted guest system: etc/pacman.conf, var/lib/pacman/{local,sync}
 *   linked/                 a guest whose var/lib/pacman is an absolute symlink to /var/lib/pacman
 *   private/                checkupdates' private database: sync/, local -> /var/lib/pacman/local
 *   cwd/                    pacman's working directory: var/lib/pacman/{local,sync} and guest/ (a second guest)
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A guest's pacman.conf: one repository, so -S and -Sy get as far as the lock. */
const GUEST_CONF = `[options]
Architecture = auto
SigLevel = Never

[guardtest]
Server = file:///nonexistent-guest-repository
`;

/**
 * An empty database, with the version file pacman writes into an empty
 * local/ on its first run: without it, lines replayed side by side race to
 * write it, and one reads it half written ("database is incorrect version").
 */
function database(dir: string): void {
  for (const sub of ['local', 'sync']) mkdirSync(join(dir, sub), { recursive: true });
  writeFileSync(join(dir, 'local/ALPM_DB_VERSION'), '9\n');
}

function guest(dir: string): void {
  mkdirSync(join(dir, 'etc'), { recursive: true });
  writeFileSync(join(dir, 'etc/pacman.conf'), GUEST_CONF);
  database(join(dir, 'var/lib/pacman'));
  mkdirSync(join(dir, 'var/cache/pacman/pkg'), { recursive: true });
}

/** Builds the tree under `base` (an empty directory). */
export function makeLocationTree(base: string): void {
  guest(join(base, 'guest'));
  mkdirSync(join(base, 'linked/etc'), { recursive: true });
  writeFileSync(join(base, 'linked/etc/pacman.conf'), GUEST_CONF);
  mkdirSync(join(base, 'linked/var/lib'), { recursive: true });
  symlinkSync('/var/lib/pacman', join(base, 'linked/var/lib/pacman'));
  mkdirSync(join(base, 'private/sync'), { recursive: true });
  symlinkSync('/var/lib/pacman/local', join(base, 'private/local'));
  database(join(base, 'cwd/var/lib/pacman'));
  guest(join(base, 'cwd/guest'));
}

/** pacman's working directory for these lines. */
export const locationCwd = (base: string) => join(base, 'cwd');

/**
 * The lines, as argument vectors. `--config /etc/pacman.conf` is spelled out
 * where a sysroot applies: the upstream builds' compiled-in configuration is
 * under their prefix, which no guest has.
 */
export function locationLines(base: string): string[][] {
  const conf = ['--config', '/etc/pacman.conf'];
  const guestDir = join(base, 'guest');
  const linked = join(base, 'linked');
  const priv = join(base, 'private');
  // Enough `..` to climb from the guest to / whatever the depth of /tmp's directory.
  const climb = `${'../'.repeat(guestDir.split('/').length + 1)}var/lib/pacman`;
  const lines: string[][] = [
    // --sysroot '' (a script's unset variable).
    ['-S', 'guardtest', '--sysroot', ''],
    ['-Sy', '--sysroot', ''],
    ['-R', 'guardtest-dep', '--sysroot', '', ...conf],
    ['-S', 'guardtest', '--sysroot', '', '-b', 'var/lib/pacman', ...conf],
    // A sysroot that is this system, with relative -r and -b.
    ['-S', 'guardtest', '--sysroot', '/', ...conf],
    ['-S', 'guardtest', '--sysroot', '/', '-b', 'var/lib/pacman', ...conf],
    ['-S', 'guardtest', '--sysroot', '/', '-r', '.', ...conf],
    ['-S', 'guardtest', '--sysroot', '/', '-r', 'guest', ...conf],
    ['-Sy', '--sysroot', '//', '-b', './var/lib/pacman', ...conf],
    // A guest, absolute and relative.
    ['-S', 'guardtest', '--sysroot', guestDir, ...conf],
    ['-Sy', '--sysroot', guestDir, ...conf],
    ['-S', 'guardtest', '--sysroot', 'guest', ...conf],
    ['-S', 'guardtest', '--sysroot', '../guest', ...conf],
    ['-S', 'guardtest', '--sysroot', './guest/', '-b', '/var/lib/pacman', ...conf],
    ['-S', 'guardtest', '--sysroot', guestDir, '-b', 'var/lib/pacman', ...conf],
    // `..` out of the guest.
    ['-S', 'guardtest', '--sysroot', guestDir, '-b', climb, ...conf],
    ['-S', 'guardtest', '--sysroot', guestDir, '-r', climb.replace(/var\/lib\/pacman$/, ''), ...conf],
    ['-S', 'guardtest', '--sysroot', `${guestDir}/..`, '-b', '/guest/var/lib/pacman', ...conf],
    // A guest whose database is an absolute symlink to this system's.
    ['-S', 'guardtest', '--sysroot', linked, ...conf],
    ['-Sy', '--sysroot', linked, ...conf],
    ['-Syu', '--sysroot', linked, ...conf],
    ['-R', 'guardtest-dep', '--sysroot', linked, ...conf],
    ['-U', 'x.pkg.tar.zst', '--sysroot', linked, ...conf],
    ['-D', '--asdeps', 'guardtest-dep', '--sysroot', linked, ...conf],
    ['-Fy', '--sysroot', linked, ...conf],
    ['-Sc', '--sysroot', linked, ...conf],
    // A guest named as --root, with and without its database.
    ['-S', 'guardtest', '-r', guestDir],
    ['-S', 'guardtest', '-r', linked],
    ['-S', 'guardtest', '-r', guestDir, '-b', '/var/lib/pacman'],
    // checkupdates (pacman-contrib src/checkupdates.sh.in; v1.9.1 line 133, v1.13.1 line 150 adds --disable-sandbox-filesystem).
    ['-Sy', '--dbpath', `${priv}/`, '--logfile', '/dev/null'],
    ['-Sy', '--disable-sandbox-filesystem', '--dbpath', `${priv}/`, '--logfile', '/dev/null'],
  ];
  // A private --dbpath with every operation that locks (and -Qu, which reads it).
  for (const operation of [
    ['-Syy'], ['-Fy'], ['-Sc'], ['-Scc'], ['-Sw', 'guardtest'], ['-Syw', 'guardtest'], ['-S', 'guardtest'], ['-Su'], ['-Syu'],
    ['-S', '--dbonly', 'guardtest'], ['-Sp', 'guardtest'], ['-U', 'x.pkg.tar.zst'], ['-U', '--dbonly', 'x.pkg.tar.zst'],
    ['-R', 'guardtest-dep'], ['-Rns', 'guardtest-dep'], ['-D', '--asdeps', 'guardtest-dep'], ['-D', '--asexplicit', 'guardtest-dep'], ['-Qu'],
  ]) {
    lines.push([...operation, '--dbpath', priv], [...operation, '-b', 'var/lib/pacman']);
  }
  return lines;
}
