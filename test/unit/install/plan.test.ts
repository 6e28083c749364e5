import { Writable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { runGuard } from '../../../src/cli/run.js';
import { ExitCode } from '../../../src/exit-codes.js';
import { HELPER_NAMES } from '../../../src/helpers/options.js';
import { parseHelperList } from '../../../src/install/helper-list.js';
import { planInstall, type InstallOptions, type InstallPlan } from '../../../src/install/install.js';
import { helperFastPathRules } from '../../../src/shim/derive-helper-fast-path.js';
import { HELPER_SHIMS, helperShimSettings, renderHelperShim } from '../../../src/shim/render-helper.js';
import type { ShimSettings } from '../../../src/shim/render.js';

const shim: ShimSettings = {
  realPacman: '/usr/bin/pacman',
  dbPath: '/var/lib/pacman/',
  sysextHierarchies: ['/usr', '/opt'],
  confextHierarchies: ['/etc'],
  node: '/usr/bin/node',
  guardMain: '/usr/lib/node_modules/pacman-guard/dist/cli/main.js',
};
const options: InstallOptions = { bindir: '/b', hookdir: '/h', unitdir: '/u', shim, helpers: HELPER_NAMES };

// Each plan derives the pacman shim's fast path (seconds): plan once per configuration.
describe('guard install: the plan', () => {
  let plan: InstallPlan;
  // Generous: the derivation checks every pacman variant, on a machine that may be busy.
  beforeAll(async () => {
    plan = await planInstall(options);
  }, 120_000);
  const content = (files: InstallPlan, path: string) => files.files.find((file) => file.path === path)?.content;

  it('puts the yay and paru shims next to the pacman shim, executable', () => {
    expect(plan.files.map(({ path, mode }) => [path, mode.toString(8)])).toEqual([
      ['/b/pacman', '755'],
      ['/b/yay', '755'],
      ['/b/paru', '755'],
      ['/h/00-pacman-guard.hook', '644'],
      ['/u/systemd-sysext.service.d/pacman-guard.conf', '644'],
      ['/u/systemd-confext.service.d/pacman-guard.conf', '644'],
      ['/u/systemd-sysext@.service.d/pacman-guard.conf', '644'],
      ['/u/systemd-confext@.service.d/pacman-guard.conf', '644'],
      ['/u/systemd-sysupdate-notify-sysext@.service.d/pacman-guard.conf', '644'],
      ['/u/pacman-guard-settle.service', '644'],
      ['/u/pacman-guard-metrics.service', '644'],
      ['/u/pacman-guard-metrics.timer', '644'],
    ]);
  });

  it('renders each helper shim with the installed node and guard, and its default real helper', () => {
    for (const helper of HELPER_NAMES) {
      const shimText = content(plan, `/b/${helper}`);
      expect(shimText).toBe(renderHelperShim(helper, helperShimSettings(helper, shim), helperFastPathRules(helper)));
      expect(shimText).toContain(`node='/usr/bin/node'`);
      expect(shimText).toContain(`guard_main='${shim.guardMain}'`);
      expect(shimText).toContain(`real_helper=\${${HELPER_SHIMS[helper].realVariable}:-'/usr/bin/${helper}'}`);
    }
  });

  it('installs only the helpers asked for, each running the real helper it is given', async () => {
    const paruOnly = await planInstall({ ...options, helpers: parseHelperList('paru'), realHelpers: { paru: '/opt/paru/bin/paru' } });
    expect(paruOnly.files.map(({ path }) => path)).toEqual(['/b/pacman', '/b/paru', '/h/00-pacman-guard.hook', '/u/systemd-sysext.service.d/pacman-guard.conf', '/u/systemd-confext.service.d/pacman-guard.conf', '/u/systemd-sysext@.service.d/pacman-guard.conf', '/u/systemd-confext@.service.d/pacman-guard.conf', '/u/systemd-sysupdate-notify-sysext@.service.d/pacman-guard.conf', '/u/pacman-guard-settle.service', '/u/pacman-guard-metrics.service', '/u/pacman-guard-metrics.timer']);
    expect(content(paruOnly, '/b/paru')).toContain(`real_helper=\${PACMAN_GUARD_REAL_PARU:-'/opt/paru/bin/paru'}`);
    const none = await planInstall({ ...options, helpers: parseHelperList('none') });
    expect(none.files.map(({ path }) => path)).toEqual(['/b/pacman', '/h/00-pacman-guard.hook', '/u/systemd-sysext.service.d/pacman-guard.conf', '/u/systemd-confext.service.d/pacman-guard.conf', '/u/systemd-sysext@.service.d/pacman-guard.conf', '/u/systemd-confext@.service.d/pacman-guard.conf', '/u/systemd-sysupdate-notify-sysext@.service.d/pacman-guard.conf', '/u/pacman-guard-settle.service', '/u/pacman-guard-metrics.service', '/u/pacman-guard-metrics.timer']);
  });
});

describe('guard install --helpers', () => {
  it.each([
    [undefined, ['yay', 'paru']],
    ['yay,paru', ['yay', 'paru']],
    ['paru,yay', ['yay', 'paru']],
    ['paru', ['paru']],
    ['yay,yay', ['yay']],
    ['none', []],
  ])('%s means %j', (list, expected) => expect(parseHelperList(list)).toEqual(expected));

  it.each([
    ['pikaur', "--helpers: unknown helper 'pikaur' (known: yay, paru; or none)"],
    ['yay,trizen,aura', "--helpers: unknown helper 'trizen', 'aura' (known: yay, paru; or none)"],
    ['YAY', "--helpers: unknown helper 'YAY' (known: yay, paru; or none)"],
    ['', "--helpers: unknown helper '' (known: yay, paru; or none)"],
    ['yay,', "--helpers: unknown helper '' (known: yay, paru; or none)"],
    ['none,yay', "--helpers: 'none' cannot be combined with helper names"],
  ])('%j is a usage error', (list, message) => {
    expect(() => parseHelperList(list)).toThrow(expect.objectContaining({ message, exitCode: ExitCode.Usage }));
  });
});

describe('guard install: usage errors, before anything is read or written', () => {
  async function guard(args: string[]) {
    let stderr = '';
    const discard = new Writable({ write(_chunk, _encoding, done) { done(); } });
    const err = new Writable({ write(chunk, _encoding, done) { stderr += String(chunk); done(); } });
    const exitCode = await runGuard(args, { env: {}, stdout: discard, stderr: err });
    return { exitCode, stderr };
  }

  it('names an unknown helper', async () => {
    const { exitCode, stderr } = await guard(['install', '--helpers', 'yay,pikaur', '--manifest', '/nonexistent/m.json']);
    expect(exitCode).toBe(ExitCode.Usage);
    expect(stderr).toContain("error: --helpers: unknown helper 'pikaur' (known: yay, paru; or none)");
  });

  it('refuses a real helper for a shim it will not install', async () => {
    const { exitCode, stderr } = await guard(['install', '--helpers', 'paru', '--real-yay', '/opt/yay', '--manifest', '/nonexistent/m.json']);
    expect(exitCode).toBe(ExitCode.Usage);
    expect(stderr).toContain('error: --real-yay given, but --helpers leaves out the yay shim');
  });
});
