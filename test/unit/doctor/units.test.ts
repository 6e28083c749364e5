import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isGuardStep, parseUnitText, uncoveredPaths } from '../../../src/doctor/units.js';

const GUARD = '/usr/bin/node /usr/lib/node_modules/pacman-guard/dist/cli/main.js';
/** systemd-sysext.service as 257 and 262 ship it (the [Service] part). */
const UNIT_257 = `# /usr/lib/systemd/system/systemd-sysext.service
[Unit]
Description=Merge System Extension Images into /usr/ and /opt/
[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=systemd-sysext refresh
ExecReload=systemd-sysext refresh
ExecStop=systemd-sysext unmerge
`;
const UNIT_252 = `# /lib/systemd/system/systemd-sysext.service
[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=systemd-sysext merge
ExecStop=systemd-sysext unmerge
`;
/** The drop-in guard install writes (hooks/systemd/pacman-guard.conf.in, rendered). */
const DROP_IN = `
# /etc/systemd/system/systemd-sysext.service.d/pacman-guard.conf
[Service]
ExecStartPre=${GUARD} lock --wait=120
ExecStartPost=${GUARD} settle
ExecReload=
ExecReload=${GUARD} lock --wait=120
ExecReload=systemd-sysext refresh
ExecReload=${GUARD} settle
ExecStopPost=${GUARD} settle
`;
/** Seed 004 (Kairos): its own drop-in, read after ours, overrides ExecReload again. */
const KAIROS_AFTER = `
# /etc/systemd/system/systemd-sysext.service.d/zz-kairos.conf
[Service]
ExecStart=
ExecStart=systemd-sysext refresh --image-policy=root=verity+signed
ExecReload=
ExecReload=systemd-sysext refresh --image-policy=root=verity+signed
`;
const SOCKET = `# /usr/lib/systemd/system/systemd-sysext.socket
[Socket]
ListenStream=/run/systemd/io.systemd.sysext
FileDescriptorName=varlink
SocketMode=0600
Accept=yes
`;
const INSTANCE = `# /usr/lib/systemd/system/systemd-sysext@.service
[Service]
Environment=LISTEN_FDNAMES=varlink
ExecStart=-systemd-sysext
`;
const INSTANCE_DROP_IN = `
# /etc/systemd/system/systemd-sysext@.service.d/pacman-guard.conf
[Service]
ExecStartPre=${GUARD} lock --wait=120
ExecStopPost=${GUARD} settle
`;

describe('the units that merge, as systemctl cat shows them', () => {
  it.each<[string, string, string, Record<string, string>, string[]]>([
    ['252 with the drop-in: covered (its new ExecReload too)', 'systemd-sysext.service', UNIT_252 + DROP_IN, {}, []],
    ['257 with the drop-in: covered', 'systemd-sysext.service', UNIT_257 + DROP_IN, {}, []],
    ['257 without the drop-in: start, stop and reload merge without the guard', 'systemd-sysext.service', UNIT_257, {}, [
      'systemd-sysext.service: systemd-sysext refresh runs with no guard lock before it (ExecStartPre)',
      "systemd-sysext.service: no guard settle after its start (ExecStartPost, or a unit it pulls in ordered after it): the lock may stay with nothing merged, or pacman's view stale",
      'systemd-sysext.service: no guard settle after it stops (ExecStopPost)',
      'systemd-sysext.service: ExecReload=systemd-sysext refresh runs without the guard lock before it and no guard settle after it',
    ]],
    ["a later drop-in that resets ExecReload drops the guard's reload", 'systemd-sysext.service', UNIT_257 + DROP_IN + KAIROS_AFTER, {}, [
      'systemd-sysext.service: ExecReload=systemd-sysext refresh --image-policy=root=verity+signed runs without the guard lock before it and no guard settle after it',
    ]],
    ['the varlink socket with the template covered', 'systemd-sysext.socket', SOCKET, { 'systemd-sysext@.service': INSTANCE + INSTANCE_DROP_IN }, []],
    ['the varlink socket without', 'systemd-sysext.socket', SOCKET, { 'systemd-sysext@.service': INSTANCE }, [
      'systemd-sysext.socket (/run/systemd/io.systemd.sysext) starts systemd-sysext@.service: -systemd-sysext runs with no guard lock before it (ExecStartPre)',
      'systemd-sysext.socket (/run/systemd/io.systemd.sysext) starts systemd-sysext@.service: no guard settle after it stops (ExecStopPost)',
    ]],
  ])('%s', (_name, unit, text, services, expected) => {
    expect(uncoveredPaths(unit, text, (name) => services[name])).toEqual(expected);
  });

  it('reads resets and later files as systemd does', () => {
    expect(parseUnitText(UNIT_257 + DROP_IN + KAIROS_AFTER).exec.ExecStart).toEqual(['systemd-sysext refresh --image-policy=root=verity+signed']);
    expect(parseUnitText(UNIT_257 + DROP_IN).exec.ExecReload).toEqual([`${GUARD} lock --wait=120`, 'systemd-sysext refresh', `${GUARD} settle`]);
  });

  it.each([
    [`${GUARD} lock --wait=120`, 'lock', true],
    [`-/usr/bin/guard settle`, 'settle', true],
    [`${GUARD} settle`, 'lock', false],
    ['/usr/bin/locksmith lock', 'lock', false],
  ] as const)('%s is the guard\'s %s: %s', (line, step, expected) => {
    expect(isGuardStep(line, step)).toBe(expected);
  });
});

describe('the drop-ins guard install writes pass the check', () => {
  const template = (file: string) => readFileSync(new URL(`../../../hooks/systemd/${file}`, import.meta.url), 'utf8').replaceAll('@GUARD_EXEC@', GUARD);
  const rendered = (file: string) => `\n# /etc/systemd/system/x.d/pacman-guard.conf\n${template(file)}`;
  // The settle after systemd-sysext.service's start is a unit of its own, which its drop-in pulls in.
  const settleUnit = `# /etc/systemd/system/pacman-guard-settle.service\n${template('pacman-guard-settle.service.in')}`;
  const units = (name: string) => (name === 'pacman-guard-settle.service' ? settleUnit : undefined);
  it.each([
    ['systemd-sysext.service', UNIT_252, 'pacman-guard.conf.in'],
    ['systemd-sysext.service', UNIT_257, 'pacman-guard.conf.in'],
    ['systemd-confext.service', UNIT_257.replaceAll('sysext', 'confext'), 'pacman-guard-confext.conf.in'],
    ['systemd-sysext@.service', INSTANCE, 'pacman-guard-varlink.conf.in'],
  ])('%s with %s', (unit, text, file) => {
    expect(uncoveredPaths(unit, text + rendered(file), units)).toEqual([]);
  });

  it.each([
    ['the settle unit is missing', () => undefined],
    ['the settle unit is not ordered after the start', () => settleUnit.replace(/^After=.*$/m, 'After=local-fs.target')],
    ['the settle unit runs something else', () => settleUnit.replace(/ settle$/m, ' status')],
  ])('a settle unit that does not settle after the start is reported: %s', (_why, lookup) => {
    expect(uncoveredPaths('systemd-sysext.service', UNIT_257 + rendered('pacman-guard.conf.in'), lookup)).toEqual([
      "systemd-sysext.service: no guard settle after its start (ExecStartPost, or a unit it pulls in ordered after it): the lock may stay with nothing merged, or pacman's view stale",
    ]);
  });
});
