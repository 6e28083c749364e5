
import { describe, expect, it } from 'vitest';
import { MountinfoError, mountStack, parseMountinfo, parseMountinfoLine, unescapeMountinfo } from '../../../src/system/mountinfo.js';

import { sample } from '../../support/mountinfo-samples.js';

describe('parseMountinfoLine', () => {
  it.each([
    [
      'the proc(5) example',
      '36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue',
      { id: 36, parentId: 35, device: '98:0', root: '/mnt1', mountPoint: '/mnt2', mountOptions: ['rw', 'noatime'], optionalFields: ['master:1'], fsType: 'ext3', source: '/dev/root', superOptions: ['rw', 'errors=continue'] },
    ],
    [
      'no optional fields',
      '22 1 0:21 / /proc rw,relatime - proc proc rw',
      { optionalFields: [], fsType: 'proc', mountPoint: '/proc' },
    ],
    [
      'several optional fields',
      '30 21 0:5 / /x rw shared:5 master:2 propagate_from:1 - tmpfs tmpfs rw',
      { optionalFields: ['shared:5', 'master:2', 'propagate_from:1'] },
    ],
    [
      'escaped space, tab, newline and backslash in paths',
      '81 63 0:60 /a\\134b /run/a\\040dir\\011x\\012y rw - tmpfs my\\040src rw',
      { root: '/a\\b', mountPoint: '/run/a dir\tx\ny', source: 'my src' },
    ],
    [
      'a bind mount of a subdirectory: root is not /',
      '30 21 254:1 /var/lib/pacman /var/lib/pacman ro,nosuid,nodev,relatime shared:1 - ext4 /dev/vda2 rw',
      { root: '/var/lib/pacman', mountOptions: ['ro', 'nosuid', 'nodev', 'relatime'] },
    ],
    [
      'overlay options with an escaped comma in a lowerdir path',
      '41 21 0:45 / /usr ro - overlay sysext ro,lowerdir=/a\\,b:/usr,redirect_dir=on',
      { superOptions: ['ro', 'lowerdir=/a\\,b:/usr', 'redirect_dir=on'] },
    ],
    [
      'an empty source (some pseudo filesystems)',
      '50 21 0:50 / /x rw - tmpfs  rw',
      { source: '', superOptions: ['rw'] },
    ],
  ])('%s', (_, line, expected) => {
    expect(parseMountinfoLine(line)).toMatchObject(expected);
  });

  it.each([
    ['no separator', '36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 ext3 /dev/root rw'],
    ['too few fields', '36 35 98:0 /mnt1 - ext3 /dev/root rw'],
    ['a bad device', '36 35 98 / /mnt2 rw - ext3 /dev/root rw'],
    ['a bad ID', 'x 35 98:0 / /mnt2 rw - ext3 /dev/root rw'],
    ['nothing after the separator', '36 35 98:0 / /mnt2 rw - ext3'],
  ])('rejects %s with the line number', (_, line) => {
    expect(() => parseMountinfo(`22 1 0:21 / /proc rw - proc proc rw\n${line}\n`)).toThrow(MountinfoError);
    expect(() => parseMountinfo(`22 1 0:21 / /proc rw - proc proc rw\n${line}\n`)).toThrow(/^line 2: /);
  });
});

describe('parseMountinfo on real tables', () => {
  it('reads the overlay systemd-sysext 252 mounted and the lock, from the testbed', () => {
    const entries = parseMountinfo(sample('systemd252-merged-locked'));
    const usr = entries.find((entry) => entry.mountPoint === '/usr' && entry.source === 'sysext');
    expect(usr).toMatchObject({ fsType: 'overlay', mountOptions: expect.arrayContaining(['ro']) });
    expect(usr?.superOptions).toContain('lowerdir=/run/systemd/sysext/meta/usr:/run/systemd/sysext/extensions/sample/usr:/usr');
  });

  it('handles an empty table and a missing final newline', () => {
    expect(parseMountinfo('')).toEqual([]);
    expect(parseMountinfo('22 1 0:21 / /proc rw - proc proc rw')).toHaveLength(1);
  });
});

describe('mountStack', () => {
  it('orders stacked mounts by parent, not by line order (propagation adds copies out of order)', () => {
    const entries = parseMountinfo(sample('stacked-remounted-rw'));
    const stack = mountStack(entries, '/var/lib/pacman');
    expect(stack.map((entry) => entry.mountOptions[0])).toEqual(['rw', 'ro', 'ro', 'rw']);
    expect(stack.map((entry) => entry.parentId).slice(1)).toEqual(stack.map((entry) => entry.id).slice(0, -1));
  });

  it('is empty where nothing is mounted', () => {
    expect(mountStack(parseMountinfo(sample('systemd252-merged-locked')), '/nowhere')).toEqual([]);
  });
});

describe('unescapeMountinfo', () => {
  it.each([
    ['/plain', '/plain'],
    ['/a\\040b', '/a b'],
    ['/a\\134040', '/a\\040'],
  ])('%s → %s', (input, output) => expect(unescapeMountinfo(input)).toBe(output));
});
