import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMountinfo } from '../../../src/system/mountinfo.js';
import {
  describeMerge, describeWrites, extensionOverlays, extensionsFromLowerdir, isExtensionMerged, mergedNames, modeFromOptions, modeInForce,
  readMergeState, type Marker, type MergeState,
} from '../../../src/system/merge-state.js';
import { markerDirectory } from '../../../src/system/sysext.js';
import { mutableOption } from '../../../src/lock/lifecycle.js';
import { sample } from '../../support/mountinfo-samples.js';

const since = new Date('2026-11-22T15:23:51Z');
/** A marker that confirms whatever overlay it is asked about, naming `names`. */
const confirming = (entries: ReturnType<typeof parseMountinfo>, names: Record<string, string[]>, origin?: unknown) => (hierarchy: string): Marker => ({
  dev: entries.find((entry) => entry.mountPoint === hierarchy && entry.root === '/' && (entry.source === 'sysext' || entry.source === 'confext'))!.device,
  extensions: names[hierarchy] ?? [],
  since,
  ...(origin === undefined ? {} : { origin }),
});
/** systemd 262's origin marker for `--mutable=yes` with extension demo. */
const ORIGIN_YES = { mutable: { mode: 'yes', mutableDirs: { '/usr': '/var/lib/extensions.mutable/usr', '/opt': '/var/lib/extensions.mutable/opt' } }, extensions: { demo: { path: '/var/lib/extensions/demo' } } };

describe('extension overlays in the mount table', () => {
  it('finds the /usr overlay systemd-sysext 252 made (real sample)', () => {
    const entries = parseMountinfo(sample('systemd252-merged-locked'));
    const { hierarchies } = readMergeState(entries, confirming(entries, { '/usr': ['sample'] }));
    expect(hierarchies).toEqual([{ hierarchy: '/usr', kind: 'sysext', extensions: ['sample'], since, mutable: false, mode: 'no', modeFrom: 'mountinfo', device: '0:55', confirmed: true }]);
  });

  it('finds mutable sysext merges and confext on /etc at any mount point (systemd >= 256)', () => {
    const overlays = extensionOverlays(parseMountinfo(sample('systemd256-mutable-and-confext')));
    expect(overlays.map(({ entry, kind }) => [entry.mountPoint, kind])).toEqual([['/usr', 'sysext'], ['/opt', 'sysext'], ['/etc', 'confext']]);
  });

  it('a mutable merge on 262: the read-only bind of <hierarchy>/.systemd-sysext (root not /) is not a hierarchy', () => {
    const entries = parseMountinfo(sample('systemd262-mutable-yes'));
    expect(extensionOverlays(entries).map(({ entry }) => entry.mountPoint)).toEqual(['/usr', '/opt']);
    const state = readMergeState(entries, confirming(entries, { '/usr': ['demo'], '/opt': ['demo'] }, ORIGIN_YES));
    expect(state.hierarchies.map((entry) => [entry.hierarchy, entry.mode, entry.modeFrom, entry.writesTo])).toEqual([
      ['/usr', 'yes', 'origin', '/var/lib/extensions.mutable/usr'],
      ['/opt', 'yes', 'origin', '/var/lib/extensions.mutable/opt'],
    ]);
    expect(state.hierarchies[0]!.sources).toEqual({ demo: '/var/lib/extensions/demo' });
    expect(mergedNames(state, 'sysext')).toEqual(['demo']);
    expect(describeWrites(state.hierarchies[0]!)).toBe('writes to /usr land in /var/lib/extensions.mutable/usr (mutable: yes)');
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
    ['a marker that matches', confirm, { confirmed: true, extensions: ['devtools'], mutable: true, mode: 'yes', modeFrom: 'mountinfo' }],
    ['a marker of another mount', { ...confirm, dev: '0:99' }, { confirmed: false, problem: 'marker says device 0:99, the overlay is 0:45' }],
    ['an unreadable marker: names from lowerdir, still merged', { error: 'cannot read /usr/.systemd-sysext: EACCES' }, { confirmed: false, extensions: ['devtools'], problem: 'cannot read /usr/.systemd-sysext: EACCES' }],
    ['an origin marker names the mode', { ...confirm, origin: { mutable: { mode: 'auto' } } }, { mode: 'auto', modeFrom: 'origin' }],
    ['an origin marker that does not parse as systemd writes it: the mount options decide', { ...confirm, origin: { mutable: { mode: 'sideways' } } }, { mode: 'yes', modeFrom: 'mountinfo' }],
  ])('%s', (_, marker, expected) => {
    expect(describeMerge(usr!.entry, 'sysext', marker)).toMatchObject(expected);
  });
});

describe('the mutable mode from the overlay options, where no origin marker says it', () => {
  const overlay = (options: string) => parseMountinfo(`41 21 0:45 / /usr rw - overlay sysext ${options}`)[0]!;
  it.each([
    ['ro,lowerdir=/run/systemd/sysext/meta/usr:/run/systemd/sysext/extensions/a/usr:/usr', 'no'],
    ['rw,lowerdir=/run/systemd/sysext/meta/usr:/usr,upperdir=/var/lib/extensions.mutable/usr,workdir=/var/lib/extensions.mutable/.systemd-usr-workdir', 'yes'],
    ['rw,lowerdir=/run/systemd/sysext/meta/usr:/usr,upperdir=/run/systemd/sysext/mutable/usr,workdir=/run/systemd/sysext/mutable/.work', 'ephemeral'],
    ['rw,lowerdir=/run/systemd/sysext/meta/usr:/var/lib/extensions.mutable/usr:/usr,upperdir=/run/systemd/sysext/mutable/usr,workdir=/run/x', 'ephemeral-import'],
    ['ro,lowerdir=/run/systemd/sysext/meta/usr:/var/lib/extensions.mutable/usr:/usr', 'import'],
  ])('%s → %s', (options, mode) => {
    expect(modeFromOptions(overlay(options))).toBe(mode);
  });
});

describe('confext', () => {
  const entries = parseMountinfo(sample('systemd262-confext-and-raw'));
  const state = readMergeState(entries, confirming(entries, { '/usr': ['tools'], '/etc': ['site'] }));

  it('is named from its marker (confexts), kept apart from sysext', () => {
    expect(mergedNames(state, 'sysext')).toEqual(['tools']);
    expect(mergedNames(state, 'confext')).toEqual(['site']);
  });

  it('is named from the lowerdir when the marker cannot be read', () => {
    const unreadable = readMergeState(entries, () => ({ error: 'EACCES' }));
    expect(mergedNames(unreadable, 'confext')).toEqual(['site']);
    expect(mergedNames(unreadable, 'sysext')).toEqual(['tools']);
  });
});

describe('which stored extension is merged', () => {
  const entries = parseMountinfo(sample('systemd262-confext-and-raw'));
  const state = readMergeState(entries, confirming(entries, { '/usr': ['tools'] }));
  it.each([
    ['tools', true],
    ['tools.raw', true],
    ['other.raw', false],
    ['site', false],
  ])('%s: %s', (name, merged) => {
    expect(isExtensionMerged(state, 'sysext', name)).toBe(merged);
  });
});

describe('the mode a re-merge passes on to systemd-sysext', () => {
  const mutable = parseMountinfo(sample('systemd262-mutable-yes'));
  const yes = readMergeState(mutable, confirming(mutable, { '/usr': ['demo'] }, ORIGIN_YES));
  const plain = parseMountinfo(sample('systemd252-merged-locked'));
  const no = readMergeState(plain, confirming(plain, { '/usr': ['sample'] }));
  const none: MergeState = { hierarchies: [] };
  it.each<[string, MergeState, Parameters<typeof mutableOption>[2], string | undefined]>([
    ['a mutable merge in force is kept', yes, { env: {} }, '--mutable=yes'],
    ['the unit\'s environment names a mode: systemd follows it', yes, { env: { SYSTEMD_SYSEXT_MUTABLE_MODE: 'ephemeral' } }, undefined],
    ['a mode asked for wins', yes, { env: {}, mutable: 'ephemeral' }, '--mutable=ephemeral'],
    ['a read-only merge: no option (systemd 252 knows none)', no, { env: {} }, undefined],
    ['nothing merged: no option', none, { env: {} }, undefined],
  ])('%s', (_, state, options, expected) => {
    expect(mutableOption('sysext', state, options)).toBe(expected);
    expect(modeInForce(none, 'sysext')).toBeUndefined();
  });
});

describe('the mode the unit is configured with, for a merge of nothing', () => {
  // A systemctl first on PATH that answers as a unit configured with SYSTEMD_SYSEXT_MUTABLE_MODE=yes would.
  let bin: string;
  const path = process.env.PATH;
  beforeAll(() => {
    bin = mkdtempSync(join(tmpdir(), 'unit-mode-'));
    writeFileSync(join(bin, 'systemctl'), '#!/bin/sh\necho "PATH=/usr/bin SYSTEMD_SYSEXT_MUTABLE_MODE=yes"\n');
    chmodSync(join(bin, 'systemctl'), 0o755);
    process.env.PATH = `${bin}:${path}`;
  });
  afterAll(() => {
    process.env.PATH = path;
    rmSync(bin, { recursive: true, force: true });
  });
  const none: MergeState = { hierarchies: [] };
  it.each<[string, Parameters<typeof mutableOption>[2], string | undefined]>([
    ['a merge by hand follows the unit', { env: {} }, '--mutable=yes'],
    ['guard update putting back a read-only merge does not ask the unit', { env: {}, unitMode: false }, undefined],
    ['guard update putting back a mutable merge passes its mode', { env: {}, mutable: 'auto', unitMode: false }, '--mutable=auto'],
  ])('%s', (_, options, expected) => {
    expect(mutableOption('sysext', none, options)).toBe(expected);
  });
});

describe('extensionsFromLowerdir', () => {
  it('lists extensions in merge order (lowerdir lists the top layer first)', () => {
    const [entry] = parseMountinfo('41 21 0:45 / /usr ro - overlay sysext ro,lowerdir=/run/systemd/sysext/meta/usr:/run/systemd/sysext/extensions/b/usr:/run/systemd/sysext/extensions/a/usr:/usr');
    expect(extensionsFromLowerdir(entry!)).toEqual(['a', 'b']);
  });
});

it.each([
  ['/usr', 'sysext', '/usr/.systemd-sysext'],
  ['/etc', 'confext', '/etc/.systemd-confext'],
  ['/', 'sysext', '/.systemd-sysext'],
] as const)('marker of %s (%s) is %s', (hierarchy, kind, expected) => {
  expect(markerDirectory(hierarchy, kind)).toBe(expected);
});
