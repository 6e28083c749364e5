/**
 * The README says what the code says: the exit codes as `guard --help` lists
 * them, the one sudo advice as `guard doctor` gives it, and no placeholders.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SUDO_FIX } from '../../../src/doctor/checks.js';
import { EXIT_CODE_DESCRIPTIONS, ExitCode } from '../../../src/exit-codes.js';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

describe('the README', () => {
  it('has the exit-code table of src/exit-codes.ts (and so of guard --help)', () => {
    const section = readme.slice(readme.indexOf('### Exit codes'));
    const rows = [...section.matchAll(/^\| (\d+) \| (.*) \|$/gm)].map(([, code, meaning]) => [Number(code), meaning!.replace(/\\\|/g, '|')]);
    const codes = Object.values(ExitCode).filter((code): code is ExitCode => typeof code === 'number');
    expect(rows).toEqual(codes.map((code) => [code, EXIT_CODE_DESCRIPTIONS[code]]));
  });

  it("gives guard doctor's sudo advice, and no other", () => {
    expect(readme).toContain(SUDO_FIX);
    expect(readme).not.toMatch(/add its directory first to secure_path/);
  });

  it('has no placeholders, and the sections a newcomer looks for', () => {
    expect(readme).not.toMatch(/<this repository>|TODO|TBD/);
    for (const section of ['## The two commands', '## Uninstall', '## Switching it off for a while', '## FAQ', '## Environment variables']) {
      expect(readme).toContain(`\n${section}\n`);
    }
  });

  it('documents every PACMAN_GUARD_ variable the shims and guard read', () => {
    for (const variable of ['PACMAN_GUARD_REAL_PACMAN', 'PACMAN_GUARD_REAL_YAY', 'PACMAN_GUARD_REAL_PARU', 'PACMAN_GUARD_SHIM_PID', 'PACMAN_GUARD_CALLER_PID']) {
      expect(readme.slice(readme.indexOf('## Environment variables'))).toContain(`\`${variable}\``);
    }
  });
});
