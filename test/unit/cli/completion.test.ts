/**
 * The completions, run in the shells themselves: bash's function with
 * COMP_WORDS set, zsh's with its completion builtins replaced by functions
 * that print what they were given, fish's through `complete -C`. In a
 * directory with a package file and a directory, so file and directory
 * names are really completed. zsh and fish are Debian packages .ci/run
 * installs; without them (outside CI) their cases are skipped.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { documentedCommands, renderCompletion } from '../../../src/cli/docs.js';
import { onPath } from '../../testbed/namespace.js';

const commands = await documentedCommands();
const dir = mkdtempSync(join(tmpdir(), 'guard-completion-'));
writeFileSync(join(dir, 'pkg-1.0-1-any.pkg.tar.zst'), '');
mkdirSync(join(dir, 'promdir'));
const script = (shell: 'bash' | 'zsh' | 'fish') => {
  const file = join(dir, `guard.${shell}`);
  writeFileSync(file, renderCompletion(shell, commands));
  return file;
};
const inCI = process.env.CI === 'true' || process.env.CI === '1';
const shellIt = (shell: string) => (onPath(shell) || inCI ? it : it.skip);

/** Each case: the words typed (the last one is being completed), and candidates that must and must not be offered. */
const CASES: readonly (readonly [string[], string[], string[]])[] = [
  [['guard', ''], ['status', 'extend', 'docs'], ['hook', 'shim-check']],
  [['guard', 'docs', ''], ['man', 'bash', 'zsh', 'fish'], ['--help']],
  [['guard', '--color', 'always', 'st'], ['status'], []],
  [['guard', '--color', 'always', 'status', '--s'], ['--short'], []],
  [['guard', 'status', '--color', ''], ['never', 'auto', 'always'], []],
  [['guard', 'extend', './pk'], ['./pkg-1.0-1-any.pkg.tar.zst'], []],
  [['guard', 'metrics', '--textfile-dir', 'pro'], ['promdir'], []],
  [['guard', 'lock', '--w'], ['--wait'], []],
];

describe('the completions, in the shells', () => {
  it.each(CASES)('bash: %j', (words, offered, notOffered) => {
    // As bash splits them: `--color=always` is three words, so one case spells it that way too.
    const run = (typed: string[]) => execFileSync('bash', ['-c', `source ${script('bash')}; COMP_WORDS=("$@"); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); _guard; printf '%s\\n' "\${COMPREPLY[@]}"`, 'bash', ...typed], { cwd: dir, encoding: 'utf8' }).split('\n');
    const got = run(words);
    for (const candidate of offered) expect(got).toContain(candidate);
    for (const candidate of notOffered) expect(got).not.toContain(candidate);
    if (words.includes('--color')) {
      const split = words.flatMap((word, index) => (word === '--color' && index < words.length - 1 ? ['--color', '='] : [word]));
      const got = run(split);
      for (const candidate of offered) expect(got).toContain(candidate);
    }
  });

  shellIt('zsh')('zsh: every case', () => {
    const stubs = [
      'compadd() { local prefix=; while [[ $1 == -* && $1 != -- ]]; do [[ $1 == -P ]] && { prefix=$2; shift; }; shift; done; [[ $1 == -- ]] && shift; print -rl -- ${@/#/$prefix}; }',
      '_files() { local -a found; if [[ $1 == -/ ]]; then found=(${words[CURRENT]}*(N/)); else found=(${words[CURRENT]}*(N)); fi; print -rl -- $found; }',
      '_describe() { local -a entries; entries=("${(@P)2}"); print -rl -- ${entries%%:*}; }',
      'compdef() { :; }',
    ].join('\n');
    for (const [words, offered, notOffered] of CASES) {
      const got = execFileSync('zsh', ['-f', '-c', `${stubs}\nsource ${script('zsh')}\nwords=("$@"); CURRENT=$#words; _guard`, 'zsh', ...words], { cwd: dir, encoding: 'utf8' }).split('\n');
      const matching = got.filter((candidate) => candidate.startsWith(words.at(-1)!));
      for (const candidate of offered) expect(matching, JSON.stringify(words)).toContain(candidate);
      for (const candidate of notOffered) expect(matching, JSON.stringify(words)).not.toContain(candidate);
    }
  });

  shellIt('fish')('fish: every case, and --color=', () => {
    for (const [words, offered, notOffered] of CASES) {
      const got = execFileSync('fish', ['--no-config', '-c', `source ${script('fish')}; complete -C"$argv[1]"`, words.join(' ')], { cwd: dir, encoding: 'utf8' })
        .split('\n').map((line) => line.split('\t')[0]!.replace(/\/$/, ''));
      for (const candidate of offered) expect(got, JSON.stringify(words)).toContain(candidate);
      for (const candidate of notOffered) expect(got, JSON.stringify(words)).not.toContain(candidate);
    }
    const color = execFileSync('fish', ['--no-config', '-c', `source ${script('fish')}; complete -C'guard --color='`], { cwd: dir, encoding: 'utf8' });
    expect(color).toContain('--color=always');
  });
});
