import { describe, expect, it } from 'vitest';
import { journalFields, pacmanLogLine, pacmanTimestamp } from '../../../src/audit/entry.js';

describe('audit entries', () => {
  const entry = { time: new Date(2026, 10, 22, 15, 4, 12), uid: 1000, sudoUser: 'alice', parent: 'yay', argv: ['pacman', '-S', 'a b'], event: 'refused', reason: 'system extensions are merged on /usr (devtools)' };

  it("writes pacman's log format: [YYYY-MM-DDTHH:MM:SS+ZZZZ] [TAG] message", () => {
    expect(pacmanLogLine(entry)).toMatch(/^\[2026-11-22T15:04:12[+-]\d{4}\] \[PACMAN-GUARD\] refused 'pacman -S "a b"' \(uid=1000 sudo_user=alice parent=yay\): system extensions are merged on \/usr \(devtools\)\n$/);
  });

  it('keeps one line per entry', () => {
    expect(pacmanLogLine({ ...entry, reason: 'two\nlines' }).split('\n')).toHaveLength(2);
  });

  it('gives journal fields for journalctl filtering', () => {
    expect(journalFields(entry)).toMatchObject({ SYSLOG_IDENTIFIER: 'pacman-guard', PACMAN_GUARD_PARENT: 'yay', PACMAN_GUARD_SUDO_USER: 'alice', PACMAN_GUARD_UID: '1000' });
  });

  it('formats the local time offset as pacman does (%z)', () => {
    expect(pacmanTimestamp(new Date(2026, 0, 2, 3, 4, 5))).toMatch(/^2026-01-02T03:04:05[+-]\d{4}$/);
  });
});
