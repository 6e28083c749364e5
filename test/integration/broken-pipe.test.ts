/**
 * A reader that goes away ends guard quietly, as it ends pacman: no stack
 * trace, and the command's own status (141, SIGPIPE's, for one that would
 * have succeeded). Every command, on a pipe whose reader is already gone (so
 * every write fails, whatever the machine's speed), and piped into head -c1.
 */
import { expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands.js';
import { describeInTestbed, runInTestbed } from '../testbed/testbed.js';

/** Each command with arguments that make it print, in an order in which each succeeds, and its status. */
const RUNS: readonly [command: string, args: string, status: number][] = [
  ['status', 'status', 3],
  ['check', 'check -- -S guardtest', 3],
  ['doctor', 'doctor', 5],
  ['docs', 'docs man', 141],
  ['extend', 'extend --list', 141],
  ['lock', 'lock', 141],
  ['unmerge', 'unmerge', 141],
  ['unlock', 'unlock', 141],
  ['merge', 'merge', 141],
  ['refresh', 'refresh', 141],
  ['settle', 'settle', 141],
  // The drop-in's boot step: it reports what it checked.
  ['fit', 'fit', 141],
  // pacman writes to the same pipe and dies by SIGPIPE; guard update puts everything back and exits as pacman did.
  ['update', 'update -Sy --noconfirm', 141],
  // Writes its file and prints nothing.
  ['metrics', 'metrics --textfile-dir /run', 0],
  ['install', 'install --bindir /run/guard-bin --hookdir /run/hooks --unitdir /run/units --manifest /run/m.json', 141],
  ['uninstall', 'uninstall --manifest /run/m.json', 141],
  ['--help', '--help', 141],
  ['--version', '--version', 141],
];

/** Opens fd 4 as a pipe whose reader has gone: a FIFO opened read-write, then for writing, then the read side closed. */
const BROKEN_PIPE = 'mkfifo /run/fifo; exec 3<>/run/fifo 4>/run/fifo 3<&-';
const STACK_TRACE = /EPIPE|node:|^\s+at /m;

describeInTestbed('a closed pipe on stdout', () => {
  it('covers every command', () => {
    const covered = new Set(RUNS.map(([command]) => command));
    expect(COMMANDS.filter((entry) => !entry.internal && !covered.has(entry.name)).map((entry) => entry.name)).toEqual([]);
  });

  it('ends every command quietly, with its own status or 141', async () => {
    const body = RUNS.map(([, args]) => `$GUARD ${args} >&4 2>/run/err; echo "$? $(grep -cE '${STACK_TRACE.source.replace('^\\s+', '^ +')}' /run/err)"`).join('\n');
    const result = await runInTestbed(`${BROKEN_PIPE}\n${body}`, { merged: true, locked: true });
    expect(result.stderr).not.toMatch(STACK_TRACE);
    const outcomes = result.stdout.trim().split('\n');
    expect(RUNS.map(([, args], index) => `${args}: ${outcomes[index]}`)).toEqual(RUNS.map(([, args, status]) => `${args}: ${status} 0`));
  });

  it.each([['status', 3], ['doctor', 5]])('guard %s | head -c1 prints one byte and no stack trace, and keeps its status %i', async (command, status) => {
    // The body runs with pipefail: the pipeline's status is guard's.
    const result = await runInTestbed(`$GUARD ${command} | head -c1; echo " $?"`, { merged: true, locked: true });
    expect(result.stdout).toMatch(new RegExp(`^. ${status}\\n$`, 's'));
    expect(result.stderr).not.toMatch(STACK_TRACE);
  });
});
