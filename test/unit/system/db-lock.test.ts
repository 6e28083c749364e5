import { describe, expect, it } from 'vitest';
import { dbLockState, normalizeDirectory } from '../../../src/system/db-lock.js';
import { parseMountinfo } from '../../../src/system/mountinfo.js';
import { sample } from '../../support/mountinfo-samples.js';

const root = '21 1 254:1 / / rw,relatime shared:1 - ext4 /dev/vda2 rw';
const table = (...lines: string[]) => parseMountinfo([root, ...lines].join('\n'));

describe('dbLockState', () => {
  it.each([
    ['nothing mounted: writable', table(), { locked: false, selfBinds: 0, remountedReadWrite: false }],
    ['the guard lock on a root filesystem: a read-only self-bind', table('30 21 254:1 /var/lib/pacman /var/lib/pacman ro,nosuid,nodev - ext4 /dev/vda2 rw'), { locked: true, selfBinds: 1 }],
    ['a self-bind not yet remounted read-only', table('30 21 254:1 /var/lib/pacman /var/lib/pacman rw - ext4 /dev/vda2 rw'), { locked: false, selfBinds: 1, remountedReadWrite: true }],
    ['two stacked locks', table('30 21 254:1 /var/lib/pacman /var/lib/pacman ro - ext4 /dev/vda2 rw', '31 30 254:1 /var/lib/pacman /var/lib/pacman ro - ext4 /dev/vda2 rw'), { locked: true, selfBinds: 2 }],
    ['a read-only mount of something else is still a lock pacman cannot pass', table('30 21 0:77 / /var/lib/pacman ro - tmpfs tmpfs ro'), { locked: true, selfBinds: 0 }],
    ['/var on its own filesystem: the bind root is relative to it', table('25 21 254:3 / /var rw - ext4 /dev/vda3 rw', '30 25 254:3 /lib/pacman /var/lib/pacman ro - ext4 /dev/vda3 rw'), { locked: true, selfBinds: 1 }],
    ['the whole root read-only: pacman cannot lock either', parseMountinfo('21 1 254:1 / / ro - ext4 /dev/vda2 ro'), { locked: true, selfBinds: 0 }],
  ])('%s', (_, entries, expected) => {
    expect(dbLockState(entries, '/var/lib/pacman/')).toMatchObject({ dbPath: '/var/lib/pacman', ...expected });
  });

  it('reads the testbed: a tmpfs database, locked by a self-bind (real sample)', () => {
    expect(dbLockState(parseMountinfo(sample('systemd252-merged-locked')), '/var/lib/pacman')).toMatchObject({ locked: true, selfBinds: 1, remountedReadWrite: false });
  });

  it('reads a lock that was bound again and remounted read-write (real sample)', () => {
    expect(dbLockState(parseMountinfo(sample('stacked-remounted-rw')), '/var/lib/pacman')).toMatchObject({ locked: false, selfBinds: 3, remountedReadWrite: true });
  });
});

it.each([
  ['/var/lib/pacman/', '/var/lib/pacman'],
  ['/var//lib/pacman', '/var/lib/pacman'],
  ['/', '/'],
  ['///', '/'],
])('normalizeDirectory(%s) = %s', (input, output) => expect(normalizeDirectory(input)).toBe(output));
