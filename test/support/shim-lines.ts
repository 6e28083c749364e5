/**
 * Runs a rendered shim for many command lines in one sh process (a process
 * per line would be thousands of them): each line sources the shim in a
 * subshell with its arguments. Returns what each line printed. Asynchronous:
 * a worker blocked in spawnSync for long on a busy machine misses vitest's
 * own calls and fails the run.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { expect } from 'vitest';
import { shellQuote } from '../../src/shim/render.js';

export async function shimOutputs(shim: string, lines: readonly (readonly string[])[], scriptFile: string): Promise<string[]> {
  const script = lines.map((args) => `( set -- ${args.map(shellQuote).join(' ')}; . ${shellQuote(shim)} ) 2>&1; echo "=== $?"`).join('\n');
  writeFileSync(scriptFile, `${script}\n`);
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, LC_ALL: 'C' };
  const run = await promisify(execFile)('/bin/sh', [scriptFile], { encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024 });
  expect(run.stderr).toBe('');
  const outputs = run.stdout.split(/^=== \d+\n/m).slice(0, -1);
  expect(outputs).toHaveLength(lines.length);
  return outputs;
}
