import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runGuard } from '../../../src/cli/run.js';
import { VERSION } from '../../../src/version.js';

function sink(isTTY = false) {
  let text = '';
  const stream = Object.assign(new Writable({ write(chunk, _, done) { text += String(chunk); done(); } }), { isTTY });
  return { stream, text: () => text };
}

async function guard(args: string[], env: NodeJS.ProcessEnv = {}) {
  const out = sink();
  const err = sink();
  const exitCode = await runGuard(args, { env, stdout: out.stream, stderr: err.stream });
  return { exitCode, stdout: out.text(), stderr: err.text() };
}

describe('guard, the command line', () => {
  it('prints its version', async () => {
    expect(await guard(['--version'])).toEqual({ exitCode: 0, stdout: `guard (pacman-guard) ${VERSION}\n`, stderr: '' });
  });

  it('lists the commands and the exit codes, but not the internal ones', async () => {
    const { exitCode, stdout } = await guard(['--help']);
    expect(exitCode).toBe(0);
    for (const command of ['check', 'status', 'lock', 'unlock', 'merge', 'unmerge', 'doctor', 'install']) expect(stdout).toMatch(new RegExp(`^    ${command} `, 'm'));
    expect(stdout).not.toMatch(/shim-check|^    hook /m);
    expect(stdout).toContain('    3   refused');
  });

  it.each([['lock'], ['doctor'], ['install']])('shows the help of %s', async (name) => {
    const { exitCode, stdout } = await guard([name, '--help']);
    expect(exitCode).toBe(0);
    expect(stdout).toMatch(new RegExp(`^usage:  guard ${name}`));
  });

  it.each([['check', '--help'], ['check', '-h'], ['check', '--json', '-h']])('prints the help of guard %s %s, like every command', async (...args) => {
    const { exitCode, stdout } = await guard(args);
    expect(exitCode).toBe(0);
    expect(stdout).toMatch(/^usage:  guard check /);
  });

  it('takes the global options after the command too, but not pacman\'s after --', async () => {
    expect((await guard(['docs', '--color=always', 'nonsense'])).stderr).toMatch(/^\u001b\[1;31merror: /);
    expect((await guard(['docs', '--color', 'always', 'nonsense'])).stderr).toMatch(/^\u001b\[1;31merror: /);
    expect((await guard(['docs', '--color=sometimes', 'man'])).stderr).toBe("error: invalid argument 'sometimes' for --color\n  expected one of: never, auto, always\n");
    const { stdout } = await guard(['docs', '--color=never', 'bash']);
    expect(stdout).toContain('complete -F _guard guard');
  });

  it.each([
    [['frobnicate'], "error: unknown command 'frobnicate'"],
    [[], 'error: no command given'],
    [['--bogus', 'status'], "error: invalid option '--bogus'"],
    [['--color', 'sometimes', 'status'], "error: invalid argument 'sometimes' for --color"],
    [['lock', '--wait=soon'], "error: invalid argument 'soon' for --wait"],
    [['status', '--bogus'], "error: unknown option '--bogus'"],
  ])('refuses %j with exit 2 and says so in pacman\'s words', async (args, message) => {
    const { exitCode, stderr } = await guard(args);
    expect(exitCode).toBe(2);
    expect(stderr.split('\n')[0]).toBe(message);
  });

  it('colours like pacman: --color always wins, NO_COLOR and pipes turn it off', async () => {
    expect((await guard(['--color', 'always', 'frobnicate'])).stderr).toMatch(/^\u001b\[1;31merror: \u001b\[0munknown command/);
    expect((await guard(['--color=never', 'frobnicate'])).stderr).toMatch(/^error: /);
    expect((await guard(['frobnicate'], { NO_COLOR: '1' })).stderr).toMatch(/^error: /);
    expect((await guard(['--color', 'auto', 'frobnicate'])).stderr).toMatch(/^error: /);
  });
});
