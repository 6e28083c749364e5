import { describe, expect, it } from 'vitest';
import { flowOwner, parseStat, type ProcessFacts } from '../../../src/system/process-tree.js';

const stat = (pid: number, comm: string, ppid: number, state = 'S') =>
  `${pid} (${comm}) ${state} ${ppid} ${pid} ${pid} 0 -1 4194560 100 0 0 0 0 0 0 0 20 0 1 0 ${1000 + pid} 1000 100 18446744073709551615`;

describe('parseStat', () => {
  it.each([
    [stat(42, 'trizen', 7), { pid: 42, comm: 'trizen', state: 'S', ppid: 7, startTime: '1042' }],
    [stat(42, 'a (b) c', 7, 'Z'), { pid: 42, comm: 'a (b) c', state: 'Z', ppid: 7, startTime: '1042' }],
    ['42 trizen S', undefined],
    ['', undefined],
  ])('%j', (line, expected) => {
    expect(parseStat(42, line)).toEqual(expected);
  });
});

describe('flowOwner: the helper a pacman command ran for', () => {
  const tree = (...chain: [number, string, number][]) => {
    const table = new Map(chain.map(([pid, comm, ppid]) => [pid, parseStat(pid, stat(pid, comm, ppid))!]));
    return (pid: number): ProcessFacts | undefined => table.get(pid);
  };
  it.each([
    ['yay runs sudo pacman', tree([30, 'sudo', 20], [20, 'yay', 10], [10, 'bash', 1]), 30, 'yay'],
    ['trizen runs makepkg -s, which runs sudo pacman', tree([40, 'sudo', 30], [30, 'makepkg', 20], [20, 'trizen', 10], [10, 'zsh', 1]), 40, 'trizen'],
    ['paru, directly as root', tree([20, 'paru', 10], [10, 'bash', 1]), 20, 'paru'],
    ['typed in a shell', tree([30, 'sudo', 10], [10, 'bash', 1]), 30, undefined],
    ['makepkg -s typed in a shell', tree([40, 'sudo', 30], [30, 'makepkg', 10], [10, 'fish', 1]), 40, undefined],
    ['a caller already gone', tree(), 30, undefined],
    ['up to init', tree([30, 'sudo', 1], [1, 'systemd', 0]), 30, undefined],
  ])('%s', (_name, read, caller, expected) => {
    expect(flowOwner(caller, read)?.comm).toBe(expected);
  });
});
