/**
 * What the pacman shim says when it cannot reach guard, or finds its own PID
 * in PACMAN_GUARD_SHIM_PID: one true sentence naming what is wrong, exit 4,
 * never the shell's own error. Rendered for a hierarchy that looks merged, so
 * every command line that takes the lock needs guard.
 */
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { deriveFastPathRules } from '../../../src/shim/fast-path.js';
import { CHECKOUT_SHIM_SETTINGS, renderShim, type ShimSettings } from '../../../src/shim/render.js';
import { markerDirectory } from '../../../src/system/sysext.js';

const rules = deriveFastPathRules();
const work = mkdtempSync(join(tmpdir(), 'pacman-guard-shim-messages-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const hierarchy = join(work, 'usr');
mkdirSync(markerDirectory(hierarchy, 'sysext'), { recursive: true });
const file = (name: string, text: string, mode: number) => {
  const path = join(work, name);
  writeFileSync(path, text);
  chmodSync(path, mode);
  return path;
};
const realPacman = file('real-pacman', '#!/bin/sh\necho "real pacman $*"\n', 0o755);
const notExecutable = file('node-not-executable', '#!/bin/sh\necho ran\n', 0o644);
const guardMain = file('main.js', '', 0o644);
const emptyPath = join(work, 'empty-bin');
mkdirSync(emptyPath);

function shim(name: string, settings: Partial<ShimSettings>): string {
  return file(name, renderShim({ ...CHECKOUT_SHIM_SETTINGS, realPacman, node: notExecutable, guardMain, sysextHierarchies: [hierarchy], confextHierarchies: [], dbPath: work, ...settings }, rules), 0o755);
}

async function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv = {}) {
  try {
    const { stdout, stderr } = await promisify(execFile)(command, args, { encoding: 'utf8', env: { PATH: `${emptyPath}:/usr/bin:/bin`, ...env } });
    return { status: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { status: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

describe("the pacman shim's own errors", () => {
  it('names a node that is not executable, exit 4, instead of the shell\'s "Permission denied" (126)', async () => {
    expect(await run(shim('shim-with-node-not-executable', {}), ['-S', 'x'])).toEqual({
      status: 4,
      stdout: '',
      stderr: `error: pacman-guard cannot check this command: ${notExecutable} is not an executable file\n`
        + '  refusing it, because the system state cannot be checked without Node.js; fix its permissions or reinstall it (nodejs)\n',
    });
  });

  it('says node is missing when it is not on PATH', async () => {
    expect(await run('/bin/sh', [shim('no-node', { node: '' }), '-S', 'x'], { PATH: emptyPath })).toEqual({
      status: 4,
      stdout: '',
      stderr: 'error: pacman-guard cannot check this command: node (Node.js) is not installed, or not on PATH\n'
        + '  refusing it, because the system state cannot be checked without it; install Node.js (nodejs)\n',
    });
  });

  it("says guard's dist/ is missing, and not node", async () => {
    const missing = join(work, 'dist/cli/main.js');
    expect(await run(shim('no-dist', { node: process.execPath, guardMain: missing }), ['-S', 'x'])).toEqual({
      status: 4,
      stdout: '',
      stderr: `error: pacman-guard cannot check this command: ${missing} is missing or unreadable\n`
        + '  refusing it, because the system state cannot be checked without it; build it (npm ci && npm run build) or reinstall pacman-guard\n',
    });
  });

  it('does not call pacman the shim when PACMAN_GUARD_SHIM_PID was set from outside', async () => {
    const spoofed = shim('spoofed', {});
    // exec keeps the PID: the shim starts with its own PID in the variable, though the real pacman is no shim.
    const result = await run('/bin/sh', ['-c', 'PACMAN_GUARD_SHIM_PID=$$ exec "$0" -Q', spoofed]);
    expect(result.status).toBe(4);
    expect(result.stderr).toMatch(new RegExp(`^error: pacman-guard: PACMAN_GUARD_SHIM_PID is this process \\(\\d+\\): ${realPacman} runs this shim again, or the variable was set outside the shim\\n`
      + '  unset PACMAN_GUARD_SHIM_PID; if it persists, set PACMAN_GUARD_REAL_PACMAN to the real pacman, or run: guard doctor\\n$'));
    expect(result.stderr).not.toContain('is the pacman shim');
  });

  it('still calls a real loop one', async () => {
    const looping = shim('looping', {});
    const result = await run(looping, ['-Q'], { PACMAN_GUARD_REAL_PACMAN: looping });
    expect(result).toEqual({
      status: 4,
      stdout: '',
      stderr: `error: pacman-guard: ${looping} is the pacman shim, not pacman\n  set PACMAN_GUARD_REAL_PACMAN to the real pacman, or run: guard doctor\n`,
    });
  });
});
