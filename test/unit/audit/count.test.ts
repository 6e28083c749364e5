import { describe, expect, it } from 'vitest';
import { countAuditEvents, EVENT_KINDS, parseAuditLine } from '../../../src/audit/count.js';
import { pacmanLogLine } from '../../../src/audit/entry.js';
import { initStartTime, parseStartTicks } from '../../../src/system/boot-time.js';

const at = (iso: string) => new Date(iso);

describe('reading the audit trail back from pacman.log', () => {
  it.each([
    ["[2026-11-22T15:04:12+0000] [PACMAN-GUARD] refused 'pacman -S foo' (uid=0): merged", '2026-11-22T15:04:12Z', 'refused'],
    ["[2026-11-22T16:04:12+0100] [PACMAN-GUARD] refused (state unknown) 'pacman -Syu' (uid=0): x", '2026-11-22T15:04:12Z', 'refused (state unknown)'],
    ["[2026-11-22T10:34:12-0430] [PACMAN-GUARD] transaction aborted by the hook 'pacman -R a' (uid=0): x", '2026-11-22T15:04:12Z', 'transaction aborted by the hook'],
    ["[2026-11-22T15:04:12+0000] [PACMAN-GUARD] redirected 'pacman -S \"a b\"' (uid=1000 parent=yay): x", '2026-11-22T15:04:12Z', 'redirected'],
  ])('%s', (line, time, event) => {
    expect(parseAuditLine(line)).toEqual({ time: at(time), event });
  });

  it.each([
    ["[2026-11-22T15:04:12+0000] [ALPM] installed foo (1.0-1)"],
    ["[2026-11-22T15:04:12+0000] [PACMAN] Running 'pacman -S foo'"],
    ['[2026-11-22 15:04] [PACMAN-GUARD] refused \'pacman -S foo\' (uid=0): old timestamp format'],
    [''],
  ])('ignores a line that is not ours: %s', (line) => {
    expect(parseAuditLine(line)).toBeUndefined();
  });

  it('reads back every event pacmanLogLine writes, at whole seconds', () => {
    for (const event of Object.keys(EVENT_KINDS)) {
      const time = new Date(2026, 10, 22, 15, 4, 12, 345);
      expect(parseAuditLine(pacmanLogLine({ time, uid: 0, argv: ['pacman', '-S', "it's"], event, reason: 'r' }))).toEqual({ time: new Date(2026, 10, 22, 15, 4, 12), event });
    }
  });

  it('counts refusals and redirects since a time, and nothing else', () => {
    const log = [
      "[2026-11-22T09:00:00+0000] [PACMAN-GUARD] refused 'pacman -S old' (uid=0): before boot",
      "[2026-11-22T10:00:00+0000] [PACMAN] Running 'pacman -Syu'",
      "[2026-11-22T10:00:00+0000] [PACMAN-GUARD] refused 'pacman -S a' (uid=0): x",
      "[2026-11-22T10:00:01+0000] [PACMAN-GUARD] refused (state unknown) 'pacman -S a' (uid=0): x",
      "[2026-11-22T10:00:02+0000] [PACMAN-GUARD] transaction aborted by the hook 'pacman -R a' (uid=0): x",
      "[2026-11-22T10:00:03+0000] [PACMAN-GUARD] redirected 'pacman -S a' (uid=0): x",
      "[2026-11-22T10:00:04+0000] [PACMAN-GUARD] override 'guard unlock --force' (uid=0): x",
      "[2026-11-22T10:00:05+0000] [PACMAN-GUARD] skipped 'pacman -D --asdeps a' (uid=0): x",
      '',
    ].join('\n');
    // Boot at 10:00:00.700: pacman's whole-second timestamps of that second still count.
    expect(countAuditEvents(log, at('2026-11-22T10:00:00.700Z'))).toEqual({ refusals: 3, redirects: 1 });
    expect(countAuditEvents(log, at('2026-11-22T10:00:03.000Z'))).toEqual({ refusals: 0, redirects: 1 });
    expect(countAuditEvents('', at('2026-11-22T10:00:00Z'))).toEqual({ refusals: 0, redirects: 0 });
  });
});

describe('boot time: when PID 1 started', () => {
  const procStat = 'cpu  1 2 3\nintr 5\nctxt 9\nbtime 1764583080\nprocesses 42\n';
  // A container's init started 2.5 s after the host's kernel booted; a comm with ") " in it must not shift the fields.
  const init = '1 (systemd) S 0 1 1 0 -1 4194560 2239 40682 0 446 300 619 16937 12506 20 0 1 0 250 44421120 2949 18446744073709551615 1 1 0 0 0 0';
  it.each([
    [procStat, init, at('2025-12-01T09:58:02.500Z')],
    [procStat, init.replace('(systemd)', '(a) b (c)'), at('2025-12-01T09:58:02.500Z')],
    ['cpu  1 2 3\nprocesses 42\n', init, undefined],
    [procStat, '1 (systemd) S 0', undefined],
  ])('%#', (stat, initStat, expected) => {
    expect(initStartTime(stat, initStat)).toEqual(expected);
  });

  it('reads starttime, field 22', () => {
    expect(parseStartTicks(init)).toBe(250);
  });
});
