import { describe, expect, it } from 'vitest';
import { runChecks, type DoctorFacts, type Finding } from '../../../src/doctor/checks.js';
import { securePathFrom } from '../../../src/doctor/facts.js';
import { parseMountinfo } from '../../../src/system/mountinfo.js';

const healthy: DoctorFacts = {
  mounts: parseMountinfo([
    '21 1 254:1 / / rw - ext4 /dev/vda2 rw',
    '22 21 254:2 / /usr ro - erofs /dev/vda3 ro',
    '23 21 0:30 / /run rw - tmpfs tmpfs rw',
  ].join('\n')),
  merged: [],
  dbPath: '/var/lib/pacman/',
  dbLocked: false,
  usrAttributes: '--------------e------- /usr',
  writable: { '/run': true, '/var/lib/extensions': true },
  pathPacman: { path: '/usr/local/bin/pacman', isShim: true },
  sudoPacman: { path: '/usr/local/bin/pacman', isShim: true },
  sudoSecurePath: '/usr/local/sbin:/usr/local/bin:/usr/bin',
  pathHelpers: { yay: { path: '/usr/local/bin/yay', isShim: true }, paru: { path: '/usr/local/bin/paru', isShim: true } },
  hookDirectories: ['/usr/share/libalpm/hooks', '/etc/pacman.d/hooks'],
  hooks: [{ directory: '/usr/share/libalpm/hooks', name: '00-pacman-guard.hook', masksWithDevNull: false, isOurs: true }],
  dropInInstalled: true,
  sysextServiceEnabled: 'enabled',
  packagesOwningOpt: [],
  guardConfig: { ok: true, policy: 'refuse', exists: true },
  auditTrail: { logFile: '/var/log/pacman.log', logWritable: true, journal: true },
};

const problems = (facts: DoctorFacts) => runChecks(facts).filter((finding) => !finding.ok).map((finding) => finding.check);

describe('guard doctor checks', () => {
  it('passes a healthy setup', () => expect(problems(healthy)).toEqual([]));

  it.each<[string, Partial<DoctorFacts>, string[]]>([
    ['/usr writable', { mounts: parseMountinfo('21 1 254:1 / / rw - ext4 /dev/vda2 rw') }, ['usr-read-only']],
    ['chattr +i on /usr', { usrAttributes: '----i---------e------- /usr' }, ['usr-not-immutable-attribute']],
    ['/usr writable underneath a merged extension', { mounts: parseMountinfo(['21 1 254:1 / / rw - ext4 /dev/vda2 rw', '40 21 0:60 / /usr ro - overlay sysext ro,lowerdir=/run/systemd/sysext/meta/usr:/usr'].join('\n')) }, ['usr-read-only']],
    ['an interrupted guard update', { update: { running: false, thisBoot: true, record: { pid: 42, pidStart: '1', started: '2026-12-01T10:00:00.000Z', args: ['-Syu'], found: { merged: [], locked: true }, opened: [], packagesBefore: [], rebuilding: [], phase: 'running pacman' } } }, ['no-interrupted-update']],
    ['a held extension', { held: [{ name: 'ripgrep', reason: 'the base now has ripgrep 14.1.1-1, which it was built to add' }] }, ['held:ripgrep']],
    ['/run not writable', { writable: { '/run': false } }, ['writable:/run']],
    ['/var read-only as a whole', { mounts: parseMountinfo(['21 1 254:1 / / rw - ext4 /dev/vda2 rw', '22 21 254:2 / /usr ro - erofs /dev/vda3 ro', '24 21 254:4 / /var ro - ext4 /dev/vda4 ro'].join('\n')) }, ['var-not-read-only']],
    ['merged but unlocked', { merged: [{ hierarchy: '/usr', kind: 'sysext', extensions: ['x'], mutable: false, mode: 'no', modeFrom: 'mountinfo', device: '0:50', confirmed: true }] }, ['merged-and-locked']],
    ['the shim not first on PATH', { pathPacman: { path: '/usr/bin/pacman', isShim: false } }, ['shim-on-path']],
    ["the shim not in sudo's secure_path", { sudoPacman: { path: '/usr/bin/pacman', isShim: false } }, ['shim-in-sudo-secure-path']],
    ['a real yay before the yay shim on PATH', { pathHelpers: { yay: { path: '/usr/bin/yay', isShim: false }, paru: { path: '/usr/local/bin/paru', isShim: true } } }, ['yay-shim-on-path']],
    ['a real paru on PATH without its shim', { pathHelpers: { paru: { path: '/usr/bin/paru', isShim: false } } }, ['paru-shim-on-path']],
    ['both helpers real', { pathHelpers: { yay: { path: '/usr/bin/yay', isShim: false }, paru: { path: '/usr/bin/paru', isShim: false } } }, ['yay-shim-on-path', 'paru-shim-on-path']],
    ['neither helper on PATH', { pathHelpers: {} }, []],
    ['no hook', { hooks: [] }, ['hook-installed']],
    ['a hook masked by a /dev/null link in a later directory', { hooks: [...healthy.hooks, { directory: '/etc/pacman.d/hooks', name: '00-pacman-guard.hook', masksWithDevNull: true, isOurs: false }] }, ['hook-not-masked']],
    ['a HookDir that drops the system directory is not masking when our hook is there', { hookDirectories: ['/etc/pacman.d/hooks'], hooks: [{ directory: '/etc/pacman.d/hooks', name: '00-pacman-guard.hook', masksWithDevNull: false, isOurs: true }] }, []],
    ['no drop-in', { dropInInstalled: false }, ['units-enabled']],
    ['systemd-sysext.service disabled', { sysextServiceEnabled: 'disabled' }, ['units-enabled']],
    ['/opt merged while packages install there', { merged: [{ hierarchy: '/opt', kind: 'sysext', extensions: ['x'], mutable: false, mode: 'no', modeFrom: 'mountinfo', device: '0:50', confirmed: true }], dbLocked: true, packagesOwningOpt: ['google-chrome-1-1'] }, ['opt-writable-for-packages']],
    ['pacman.log unwritable without a journal', { auditTrail: { logFile: '/var/log/pacman.log', logWritable: false, journal: false } }, ['audit-trail']],
    ['pacman.log unwritable, but the journal running (a user): no problem', { auditTrail: { logFile: '/var/log/pacman.log', logWritable: false, journal: true } }, []],
    ['journald running, but no logger to carry the entry', { auditTrail: { logFile: '/var/log/pacman.log', logWritable: true, journal: true, logger: false } }, ['journal-writer']],
    ['no logger and no journald: nothing to carry', { auditTrail: { logFile: '/var/log/pacman.log', logWritable: true, journal: false, logger: false } }, []],
    ["pacman's view showing what the merged extensions carry", { view: { shown: ['rg-14.1-1'], carried: new Map([['rg-14.1-1', 'rg']]), problems: [] } }, []],
    ["pacman's view missing a merged package (a guard killed between the views)", { view: { shown: [], carried: new Map([['rg-14.1-1', 'rg']]), problems: [] } }, ['pacman-view']],
    ["pacman's view showing a package no merged extension carries", { view: { shown: ['rg-14.1-1', 'fd-9-1'], carried: new Map([['rg-14.1-1', 'rg']]), problems: [] } }, ['pacman-view']],
    ['a merged entry pacman cannot be shown', { view: { shown: [], carried: new Map(), problems: [{ file: '/usr/lib/pacman-guard/local/rg-14.1-1/desc', message: 'line 4: unknown key %X%' }] } }, ['pacman-view-entry:/usr/lib/pacman-guard/local/rg-14.1-1/desc']],
    ['an invalid /etc/pacman-guard.conf', { guardConfig: { ok: false, error: "/etc/pacman-guard.conf:2: unknown option 'Polcy' (known: Policy)" } }, ['config-valid']],
  ])('finds %s', (_, change, expected) => {
    expect(problems({ ...healthy, ...change })).toEqual(expected);
  });

  it.each<[string, DoctorFacts['pathHelpers'], Finding[]]>([
    ['our shims first', healthy.pathHelpers, [
      { check: 'yay-shim-on-path', ok: true, message: 'yay on PATH is the shim (/usr/local/bin/yay)' },
      { check: 'paru-shim-on-path', ok: true, message: 'paru on PATH is the shim (/usr/local/bin/paru)' },
    ]],
    ['a real yay first', { yay: { path: '/usr/bin/yay', isShim: false } }, [
      { check: 'yay-shim-on-path', ok: false, message: 'yay on PATH is /usr/bin/yay, not the shim', fix: "put the shims' directory before /usr/bin on PATH (where none is installed: guard install --bindir /etc/pacman-guard/bin --hookdir /etc/pacman.d/hooks)" },
    ]],
    ['no helper on PATH', {}, []],
    ['no helper facts', undefined, []],
  ])('helper shims on PATH: %s', (_, pathHelpers, expected) => {
    const { pathHelpers: _healthy, ...rest } = healthy;
    const facts: DoctorFacts = pathHelpers === undefined ? rest : { ...rest, pathHelpers };
    expect(runChecks(facts).filter((finding) => finding.check.endsWith('-shim-on-path') && finding.check !== 'shim-on-path')).toEqual(expected);
  });

  it.each<[string, Partial<DoctorFacts>, string, string]>([
    ['a missing /etc/pacman-guard.conf', { guardConfig: { ok: true, policy: 'refuse', exists: false } }, 'config-valid', '/etc/pacman-guard.conf does not exist: Policy = refuse (the default)'],
    ['an existing /etc/pacman-guard.conf', { guardConfig: { ok: true, policy: 'redirect', exists: true } }, 'config-valid', '/etc/pacman-guard.conf: Policy = redirect'],
    ['pacman.log for a user', { auditTrail: { logFile: '/var/log/pacman.log', logWritable: false, journal: true } }, 'audit-trail',
      "/var/log/pacman.log is not writable for you: your refusals are recorded in the journal only (root's go to /var/log/pacman.log too)"],
    ['pacman.log for root', {}, 'audit-trail', 'refusals are recorded in /var/log/pacman.log and the journal'],
  ])('says it as it is: %s', (_, change, check, message) => {
    expect(runChecks({ ...healthy, ...change }).find((finding) => finding.check === check)?.message).toBe(message);
  });

  it('names the fix with every problem', () => {
    const findings = runChecks({ ...healthy, dropInInstalled: false, pathPacman: { path: '/usr/bin/pacman', isShim: false } });
    for (const finding of findings.filter((candidate) => !candidate.ok)) expect(finding.fix).toBeTruthy();
  });
});

it.each([
  [['Defaults env_reset\nDefaults secure_path="/a:/b"\n'], '/a:/b'],
  [['Defaults secure_path=/a\n', 'Defaults  secure_path = "/c:/d"\n'], '/c:/d'],
  [['# Defaults secure_path="/x"\n'], undefined],
])('secure_path from sudoers %j is %s', (texts, expected) => expect(securePathFrom(texts)).toBe(expected));
