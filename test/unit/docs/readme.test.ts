/**
 * The README says what the code says: the exit codes as `guard --help` lists
 * them, the one sudo advice as `guard doctor` gives it, and no placeholders.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ENVIRONMENT } from '../../../src/cli/docs.js';
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
    for (const section of ['## The two commands', '## Quick start on Arch', '## Daily use', '## Updating the system', '## Extensions', '## AUR helpers', '## Switching it off for a while', '## Uninstall', '## FAQ']) {
      expect(readme).toContain(`\n${section}\n`);
    }
  });

  it('is one a user reads to the end: under 250 lines, internals in docs/', () => {
    expect(readme.split('\n').length).toBeLessThan(250);
  });

  it('names no address that does not exist, and sudo in the set-up', () => {
    expect(readme).not.toContain('github.com/pacman-guard');
    expect(readme).toContain('from a checkout of this repository');
    expect(readme).toMatch(/apt-get install [^\n]*\bsudo\b/);
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { repository?: unknown };
    expect(pkg.repository).toBeUndefined();
    expect(readFileSync(new URL('../../../packaging/PKGBUILD', import.meta.url), 'utf8')).not.toContain('github.com/pacman-guard');
  });

  it('links only files that exist, or the docs other work adds', () => {
    const planned = ['docs/update.md', 'docs/fit.md', 'docs/merge-state.md', 'docs/merge-paths.md', 'docs/stacks.md', 'docs/sysroot.md', 'docs/aur-helpers.md'];
    for (const [, target] of readme.matchAll(/\]\(([^)#]+)(?:#[^)]*)?\)/g)) {
      if (/^https?:/.test(target!) || planned.includes(target!)) continue;
      expect(existsSync(new URL(`../../../${target}`, import.meta.url)), target).toBe(true);
    }
  });

  it('documents every PACMAN_GUARD_ variable the shims and guard read, in guard(8) and docs/reference.md', () => {
    const reference = readFileSync(new URL('../../../docs/reference.md', import.meta.url), 'utf8');
    const environment = ENVIRONMENT.map(([names]) => names).join(', ');
    for (const variable of ['PACMAN_GUARD_REAL_PACMAN', 'PACMAN_GUARD_REAL_YAY', 'PACMAN_GUARD_REAL_PARU', 'PACMAN_GUARD_SHIM_PID', 'PACMAN_GUARD_CALLER_PID']) {
      expect(reference.slice(reference.indexOf('## Environment variables'))).toContain(`\`${variable}\``);
      expect(environment).toContain(variable);
    }
  });
});
