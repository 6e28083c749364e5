import { describe, expect, it } from 'vitest';
import { statusDocument } from '../../../src/status/document.js';
import { CONDITIONS, renderPrometheus, type MetricsInput } from '../../../src/metrics/prometheus.js';
import type { SystemState } from '../../../src/system/probe.js';
import type { MergedHierarchy } from '../../../src/system/merge-state.js';
import { parseMountinfo } from '../../../src/system/mountinfo.js';

const dbPath = '/var/lib/pacman';
const usr = (extensions: string[]): MergedHierarchy => ({ hierarchy: '/usr', kind: 'sysext', extensions, mutable: false, mode: 'no', modeFrom: 'mountinfo', device: '0:42', confirmed: true });

/** A probed state, as probeSystem() would return it (no mounts needed for these facts). */
function state(parts: { merged?: MergedHierarchy[] | null; locked?: boolean | null; transaction?: 'none' | 'stale' | null; readOnlyUsr?: boolean; interruptedUpdate?: boolean; staleView?: boolean }): SystemState {
  const unknown = { ok: false as const, reason: 'cannot read /proc/self/mountinfo: EACCES' };
  return {
    dbPath,
    mounts: { ok: true, value: [] },
    merged: parts.merged === null ? unknown : { ok: true, value: parts.merged ?? [] },
    dbLock: parts.locked === null ? unknown : { ok: true, value: { dbPath, locked: parts.locked ?? false, selfBinds: parts.locked ? 1 : 0, remountedReadWrite: false, otherMounts: 0, views: 0 } },
    transaction: parts.transaction === null ? unknown
      : { ok: true, value: { lockFile: `${dbPath}/db.lck`, lockFileExists: parts.transaction === 'stale', holders: [], state: parts.transaction ?? 'none' } },
    image: { ok: true, value: parts.readOnlyUsr ? [{ hierarchy: '/usr', readOnly: 'mount', mount: parseMountinfo('30 1 254:1 /usr /usr ro - ext4 /dev/vda1 rw')[0]! }] : [] },
    update: {
      ok: true,
      value: parts.interruptedUpdate
        ? { running: false, thisBoot: true, record: { pid: 42, pidStart: '1', started: '2026-12-01T10:00:00.000Z', args: ['-Syu'], found: { merged: [], locked: true }, opened: [], packagesBefore: [], rebuilding: [], phase: 'running pacman' } }
        : undefined,
    },
    view: { ok: true, value: { mounted: false, packages: [], ...(parts.merged === null ? {} : { stale: { notMerged: parts.staleView ? ['gone-1-1'] : [], notShown: [] } }) } },
  };
}

const input = (probed: SystemState, extra: Partial<MetricsInput> = {}): MetricsInput => ({
  status: statusDocument(probed).document,
  hierarchies: ['/usr', '/opt', '/etc'],
  audit: { refusals: 2, redirects: 1 },
  ...extra,
});

/** The samples only, `name{labels} value`, for table rows. */
const samples = (text: string) => text.split('\n').filter((line) => line && !line.startsWith('#'));

describe('guard status --prometheus', () => {
  it('renders every family with HELP and TYPE, in the exposition format', () => {
    expect(renderPrometheus(input(state({ merged: [usr(['devtools', 'debug'])], locked: true })))).toBe(`\
# HELP pacman_guard_state_unknown 1 when pacman-guard could not read the system's state; it then refuses pacman's changes (fail closed)
# TYPE pacman_guard_state_unknown gauge
pacman_guard_state_unknown 0
# HELP pacman_guard_engaged 1 when system extensions are merged, pacman's database is locked, the image is read-only or a guard update is open
# TYPE pacman_guard_engaged gauge
pacman_guard_engaged 1
# HELP pacman_guard_locked 1 when pacman's database is locked (bind-mounted read-only)
# TYPE pacman_guard_locked gauge
pacman_guard_locked 1
# HELP pacman_guard_merged_unlocked 1 when system extensions are merged while pacman's database is writable: pacman could change the system (run guard settle)
# TYPE pacman_guard_merged_unlocked gauge
pacman_guard_merged_unlocked 0
# HELP pacman_guard_view_stale 1 when pacman's view of the database does not match what is merged: it lists packages whose files are gone, or misses merged ones (run guard settle)
# TYPE pacman_guard_view_stale gauge
pacman_guard_view_stale 0
# HELP pacman_guard_stale_db_lock 1 when pacman's db.lck exists but no process holds it
# TYPE pacman_guard_stale_db_lock gauge
pacman_guard_stale_db_lock 0
# HELP pacman_guard_read_only_image 1 when a hierarchy pacman writes package files into is read-only (changes go through guard update)
# TYPE pacman_guard_read_only_image gauge
pacman_guard_read_only_image 0
# HELP pacman_guard_update_running 1 while guard update has its maintenance window open
# TYPE pacman_guard_update_running gauge
pacman_guard_update_running 0
# HELP pacman_guard_update_interrupted 1 when a guard update was interrupted before it put the system back (run guard update --finish)
# TYPE pacman_guard_update_interrupted gauge
pacman_guard_update_interrupted 0
# HELP pacman_guard_merged_extensions System extensions merged into each hierarchy (systemd-sysext, systemd-confext)
# TYPE pacman_guard_merged_extensions gauge
pacman_guard_merged_extensions{hierarchy="/etc"} 0
pacman_guard_merged_extensions{hierarchy="/opt"} 0
pacman_guard_merged_extensions{hierarchy="/usr"} 2
# HELP pacman_guard_problems Problems guard status reports (guard status lists them)
# TYPE pacman_guard_problems gauge
pacman_guard_problems 0
# HELP pacman_guard_refusals_total pacman and AUR helper commands refused, and transactions the libalpm hook aborted, since boot (pacman.log)
# TYPE pacman_guard_refusals_total counter
pacman_guard_refusals_total 2
# HELP pacman_guard_redirects_total pacman installs turned into system extensions (Policy = redirect) since boot (pacman.log)
# TYPE pacman_guard_redirects_total counter
pacman_guard_redirects_total 1
`);
  });

  it.each([
    ['disengaged', state({}), ['state_unknown 0', 'engaged 0', 'locked 0', 'merged_unlocked 0', 'view_stale 0', 'stale_db_lock 0', 'read_only_image 0', 'update_running 0', 'update_interrupted 0', 'problems 0']],
    ['locked, nothing merged', state({ locked: true }), ['state_unknown 0', 'engaged 1', 'locked 1', 'merged_unlocked 0', 'view_stale 0', 'stale_db_lock 0', 'read_only_image 0', 'update_running 0', 'update_interrupted 0', 'problems 0']],
    ['merged but unlocked', state({ merged: [usr(['devtools'])] }), ['state_unknown 0', 'engaged 1', 'locked 0', 'merged_unlocked 1', 'view_stale 0', 'stale_db_lock 0', 'read_only_image 0', 'update_running 0', 'update_interrupted 0', 'problems 1']],
    ['a stale db.lck', state({ transaction: 'stale' }), ['state_unknown 0', 'engaged 0', 'locked 0', 'merged_unlocked 0', 'view_stale 0', 'stale_db_lock 1', 'read_only_image 0', 'update_running 0', 'update_interrupted 0', 'problems 1']],
    ['a read-only image', state({ readOnlyUsr: true }), ['state_unknown 0', 'engaged 1', 'locked 0', 'merged_unlocked 0', 'view_stale 0', 'stale_db_lock 0', 'read_only_image 1', 'update_running 0', 'update_interrupted 0', 'problems 0']],
    ['an interrupted guard update', state({ interruptedUpdate: true }), ['state_unknown 0', 'engaged 1', 'locked 0', 'merged_unlocked 0', 'view_stale 0', 'stale_db_lock 0', 'read_only_image 0', 'update_running 0', 'update_interrupted 1', 'problems 1']],
    ['a stale view: pacman lists a package whose extension is gone', state({ locked: true, staleView: true }), ['state_unknown 0', 'engaged 1', 'locked 1', 'merged_unlocked 0', 'view_stale 1', 'stale_db_lock 0', 'read_only_image 0', 'update_running 0', 'update_interrupted 0', 'problems 1']],
    // Unknown values are left out, never written as 0: "not merged" and "could not tell" must differ.
    ['state unknown', state({ merged: null, locked: null, transaction: null }), ['state_unknown 1', 'read_only_image 0', 'problems 3']],
    ['transaction unknown only', state({ transaction: null }), ['state_unknown 0', 'engaged 0', 'locked 0', 'merged_unlocked 0', 'view_stale 0', 'read_only_image 0', 'update_running 0', 'update_interrupted 0', 'problems 1']],
  ])('%s', (_name, probed, expected) => {
    const unlabelled = samples(renderPrometheus(input(probed))).filter((line) => !line.includes('{') && !line.includes('_total'));
    expect(unlabelled).toEqual(expected.map((sample) => `pacman_guard_${sample}`));
  });

  it('counts merged extensions per hierarchy, 0 where none, and none at all when merges are unknown', () => {
    const perHierarchy = (text: string) => samples(text).filter((line) => line.startsWith('pacman_guard_merged_extensions'));
    const confext: MergedHierarchy = { ...usr(['site']), hierarchy: '/etc', kind: 'confext' };
    expect(perHierarchy(renderPrometheus(input(state({ merged: [usr(['a', 'b', 'c']), confext], locked: true }), { hierarchies: ['/usr'] })))).toEqual([
      'pacman_guard_merged_extensions{hierarchy="/etc"} 1',
      'pacman_guard_merged_extensions{hierarchy="/usr"} 3',
    ]);
    expect(perHierarchy(renderPrometheus(input(state({ merged: null }))))).toEqual([]);
  });

  it('escapes label values as the exposition format wants', () => {
    const odd = { ...usr(['x']), hierarchy: '/srv/a "b"\\c' };
    expect(samples(renderPrometheus(input(state({ merged: [odd], locked: true }), { hierarchies: [] })))).toContain('pacman_guard_merged_extensions{hierarchy="/srv/a \\"b\\"\\\\c"} 1');
  });

  it('leaves the counters out when pacman.log cannot be read', () => {
    expect(renderPrometheus(input(state({}), { audit: undefined }))).not.toContain('_total');
  });

  it('names every condition once, in snake case with the pacman_guard_ prefix', () => {
    const names = CONDITIONS.map((condition) => condition.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^pacman_guard_[a-z]+(_[a-z]+)*$/);
  });
});
