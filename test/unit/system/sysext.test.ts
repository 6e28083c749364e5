import { describe, expect, it } from 'vitest';
import { parseMountinfo } from '../../../src/system/mountinfo.js';
import { describeMerge, extensionOverlays, extensionsFromLowerdir, markerDirectory, mergedHierarchies, type Marker } from '../../../src/system/sysext.js';
import { sample } from '../../support/mountinfo-samples.js';

const since = new Date('2026-11-22T15:23:51Z');

describe('extension overlays in the mount table', () => {
  it('finds the /usr overlay systemd-sysext 252 made (real sample)', async () => {
    const entries = parseMountinfo(sample('systemd252-merged-locked'));
    const merged = await mergedHierarchies(entries, async () => ({ dev: entries.find((entry) => entry.source === 'sysext')!.device, extensions: ['sample'], since }));
    expect(merged).toEqual([{ hierarchy: '/usr', kind: 'sysext', extensions: ['sample'], since, mutable: false, device: '0:55', confirmed: true }]);
  });

  it('finds mutable sysext merges and confext on /etc at any mount point (systemd >= 256)', () => {
    const overlays = extensionOverlays(parseMountinfo(sample('systemd256-mutable-and-confext')));
    expect(overlays.map(({ entry, kind }) => [entry.mountPoint, kind])).toEqual([['/usr', 'sysext'], ['/opt', 'sysext'], ['/etc', 'confext']]);
  });

  it('ignores other overlays and a sysext overlay hidden by a later mount', () => {
    const entries = parseMountinfo([
      '21 1 254:1 / / rw - ext4 /dev/vda2 rw',
      '40 21 0:44 / /var/lib/docker/x rw - overlay overlay rw,lowerdir=/a:/b',
      '41 21 0:45 / /usr ro - overlay sysext ro,lowerdir=/run/systemd/sysext/extensions/a/usr:/usr',
      '42 41 0:46 / /usr ro - ext4 /dev/vda3 ro',
    ].join('\n'));
    expect(extensionOverlays(entries)).toEqual([]);
  });
});

describe('describeMerge', () => {
  const [usr] = extensionOverlays(parseMountinfo(sample('systemd256-mutable-and-confext')));
  const confirm: Marker = { dev: '0:45', extensions: ['devtools'], since };

  it.each<[string, Marker, object]>([
    ['a marker that matches', confirm, { confirmed: true, extensions: ['devtools'], mutable: true }],
    ['a marker of another mount', { ...confirm, dev: '0:99' }, { confirmed: false, problem: 'marker says device 0:99, the overlay is 0:45' }],
    ['an unreadable marker: names from lowerdir, still merged', { error: 'cannot read /usr/.systemd-sysext: EACCES' }, { confirmed: false, extensions: ['devtools'], problem: 'cannot read /usr/.systemd-sysext: EACCES' }],
  ])('%s', (_, marker, expected) => {
    expect(describeMerge(usr!.entry, 'sysext', marker)).toMatchObject(expected);
  });
});

describe('extensionsFromLowerdir', () => {
  it('lists extensions in merge order (lowerdir lists the top layer first)', () => {
    const [entry] = parseMountinfo('41 21 0:45 / /usr ro - overlay sysext ro,lowerdir=/run/systemd/sysext/meta/usr:/run/systemd/sysext/extensions/b/usr:/run/systemd/sysext/extensions/a/usr:/usr');
    expect(extensionsFromLowerdir(entry!, 'sysext')).toEqual(['a', 'b']);
  });
});

it.each([
  ['/usr', 'sysext', '/usr/.systemd-sysext'],
  ['/etc', 'confext', '/etc/.systemd-confext'],
  ['/', 'sysext', '/.systemd-sysext'],
] as const)('marker of %s (%s) is %s', (hierarchy, kind, expected) => {
  expect(markerDirectory(hierarchy, kind)).toBe(expected);
});
