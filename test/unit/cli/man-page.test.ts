/**
 * guard(8) as man shows it: `guard docs man` rendered by man-db and groff
 * with every groff warning on, failing on any; each usage line of a command
 * on a line of its own. man-db and groff-base are Debian packages .ci/run
 * installs; without man (outside CI) this is skipped.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { documentedCommands, renderManPage } from '../../../src/cli/docs.js';
import { onPath } from '../../testbed/namespace.js';

const inCI = process.env.CI === 'true' || process.env.CI === '1';

describe('guard(8) through man', () => {
  (onPath('man') || inCI ? it : it.skip)('renders without a warning, usage lines apart, with ENVIRONMENT and EXAMPLES', async () => {
    const page = renderManPage(await documentedCommands(), new Date('2026-11-22T00:00:00Z'));
    const rendered = spawnSync('man', ['--warnings=w', '-l', '-'], { input: page, encoding: 'utf8', env: { ...process.env, MANWIDTH: '80', MANPAGER: 'cat', PAGER: 'cat', LC_ALL: 'C.UTF-8' } });
    expect(rendered.stderr).toBe('');
    expect(rendered.status).toBe(0);
    const lines = rendered.stdout.split('\n').map((line) => line.trim());
    for (const { command } of await documentedCommands()) {
      const [first, ...more] = command.usage.split('\n').map((usage) => usage.trim());
      // A long first line wraps; every later one is short and must stand alone, not run into the description.
      expect(lines.some((line) => line.startsWith(first!.slice(0, 30)))).toBe(true);
      for (const usage of more) expect(lines, usage).toContain(usage);
    }
    for (const section of ['ENVIRONMENT', 'EXAMPLES', 'EXIT STATUS', 'FILES']) expect(lines).toContain(section);
    expect(lines).toContain('node dist/cli/main.js docs man | man -l -');
  });

  it('fails on a warning: the check itself can fail', () => {
    if (!onPath('man') && !inCI) return;
    const rendered = spawnSync('man', ['--warnings=w', '-l', '-'], { input: '.TH X 8\n.SH NAME\n.BOGUS x\n', encoding: 'utf8', env: { ...process.env, MANPAGER: 'cat' } });
    expect(rendered.stderr).toContain('warning');
  });
});
