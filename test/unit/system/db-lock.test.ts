import { describe, expect, it } from 'vitest';
import { dbLockState, normalizeDirectory, viewLayer } from '../../../src/system/db-lock.js';
import { parseMountinfo } from '../../../src/system/mountinfo.js';
import { sample } from '../../support/mountinfo-samples.js';

const root = '21 1 254:1 / / rw,relatime shared:1 - ext4 /dev/vda2 rw';
const table = (...lines: string[]) => parseMountinfo([root, ...lines].join('\n'));

describe('dbLockState', () => {
  it.each([
    ['nothing mounted: writable', table(), { locked: false, selfBinds: 0, remountedReadWrite: false, otherMounts: 0, views: 0 }],
    ['the guard lock on a root filesystem: a read-only self-bind', table('30 21 254:1 /var/lib/pacman /var/lib/pacman ro,nosuid,nodev - ext4 /dev/vda2 rw'), { locked: true, selfBinds: 1, otherMounts: 0 }],
    ['a self-bind not yet remounted read-only', table('30 21 254:1 /var/lib/pacman /var/lib/pacman rw - ext4 /dev/vda2 rw'), { locked: false, selfBinds: 1, remountedReadWrite: true }],
    ['two stacked locks', table('30 21 254:1 /var/lib/pacman /var/lib/pacman ro - ext4 /dev/vda2 rw', '31 30 254:1 /var/lib/pacman /var/lib/pacman ro - ext4 /dev/vda2 rw'), { locked: true, selfBinds: 2, otherMounts: 0 }],
    ['a read-only mount of something else is still a lock pacman cannot pass', table('30 21 0:77 / /var/lib/pacman ro - tmpfs tmpfs ro'), { locked: true, selfBinds: 0, otherMounts: 1 }],
    ['DBPath a file system of its own, locked: one mount that is not the guard\'s', table('30 21 0:77 / /var/lib/pacman rw - tmpfs tmpfs rw', '31 30 0:77 / /var/lib/pacman ro - tmpfs tmpfs rw'), { locked: true, selfBinds: 1, otherMounts: 1 }],
    ['/var on its own filesystem: the bind root is relative to it', table('25 21 254:3 / /var rw - ext4 /dev/vda3 rw', '30 25 254:3 /lib/pacman /var/lib/pacman ro - ext4 /dev/vda3 rw'), { locked: true, selfBinds: 1 }],
    ['the whole root read-only: pacman cannot lock either', parseMountinfo('21 1 254:1 / / ro - ext4 /dev/vda2 ro'), { locked: true, selfBinds: 0 }],
  ])('%s', (_, entries, expected) => {
    expect(dbLockState(entries, '/var/lib/pacman/')).toMatchObject({ dbPath: '/var/lib/pacman', ...expected });
  });

  const lock = '30 21 254:1 /var/lib/pacman /var/lib/pacman ro,nosuid,nodev - ext4 /dev/vda2 rw';
  const view = (id: number, parent: number, source = 'pacman-guard-view', lower = '/run/pacman-guard/view/1-2:/var/lib/pacman') =>
    `${id} ${parent} 0:90 / /var/lib/pacman ro,nosuid,nodev,noexec,relatime - overlay ${source} ro,lowerdir=${lower},redirect_dir=on`;
  it.each([
    ['the view on top of the lock: locked, one self-bind, the view seen', table(lock, view(31, 30)), { locked: true, selfBinds: 1, view: true, views: 1, otherMounts: 0 }],
    ['the view copied beneath the self-bind by mount propagation: only the top one counts', table(view(29, 21), lock.replace('30 21', '30 29'), view(31, 30)), { locked: true, selfBinds: 1, view: true, views: 2 }],
    ['an overlay of another source on top is not the view', table(lock, view(31, 30, 'overlay')), { locked: true, selfBinds: 1, view: false, views: 0, otherMounts: 1 }],
    ['the view covered by another mount is not the view pacman sees', table(lock, view(31, 30), '32 31 0:77 / /var/lib/pacman ro - tmpfs tmpfs ro'), { locked: true, selfBinds: 1, view: false }],
  ])('%s', (_, entries, { view: hasView, ...expected }) => {
    const state = dbLockState(entries, '/var/lib/pacman');
    expect(state).toMatchObject(expected);
    expect(state.view !== undefined).toBe(hasView);
  });

  it.each([
    ['/run/pacman-guard/view/1-2:/var/lib/pacman', '/run/pacman-guard/view/1-2'],
    ['/run/a\\:b:/var/lib/pacman', '/run/a\\:b'],
  ])("reads the view's own layer from lowerdir %s", (lower, layer) => {
    const [entry] = parseMountinfo(view(31, 30, 'pacman-guard-view', lower));
    expect(viewLayer(entry!)).toBe(layer);
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
