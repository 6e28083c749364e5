import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { documentedCommands, optionNames, renderCompletion, renderManPage } from '../../../src/cli/docs.js';

describe('guard(8) and completions, generated from the commands', async () => {
  const commands = await documentedCommands();

  it('documents every command with its usage, options and the exit codes', () => {
    const page = renderManPage(commands, new Date('2026-11-22'));
    expect(page).toMatch(/^\.TH GUARD 8 "2026-11-22" "pacman-guard /);
    for (const { command } of commands) {
      for (const usage of command.usage.split('\n')) expect(page).toContain(`.B ${usage.trim().replace(/-/g, '\\-')}`);
      for (const [flags] of command.options) expect(page).toContain(flags.replace(/-/g, '\\-'));
    }
    expect(page).toContain('.SH THE PACMAN SHIM');
    expect(page).toContain('.SH THE LIBALPM HOOK');
    expect(page).toMatch(/\.SH EXIT STATUS\n\.TP\n\.B 0\n/);
    expect(page).not.toMatch(/shim-check|^\.B guard hook/m);
  });

  it.each(['bash', 'zsh', 'fish'] as const)('completes every command and option in %s', (shell) => {
    const script = renderCompletion(shell, commands);
    for (const { name, command } of commands) {
      expect(script).toContain(name);
      for (const [flags] of command.options) {
        for (const option of optionNames(flags)) {
          const spelled = shell !== 'fish' ? option : option.startsWith('--') ? `-l ${option.slice(2)}` : `-s ${option.slice(1)}`;
          expect(script).toContain(spelled);
        }
      }
    }
  });

  it('writes a bash completion that bash accepts and that completes commands', () => {
    const script = renderCompletion('bash', commands);
    const completed = execFileSync('bash', ['-c', `${script}\nCOMP_WORDS=(guard lo); COMP_CWORD=1; _guard; echo "\${COMPREPLY[@]}"\nCOMP_WORDS=(guard lock --w); COMP_CWORD=2; _guard; echo "\${COMPREPLY[@]}"`], { encoding: 'utf8' });
    expect(completed).toBe('lock\n--wait\n');
  });

  it.each([
    ['--wait[=<seconds>]', ['--wait']],
    ['--bindir <dir>', ['--bindir']],
    ['-h, --help', ['-h', '--help']],
  ])('reads option names from %s', (flags, names) => expect(optionNames(flags)).toEqual(names));
});
