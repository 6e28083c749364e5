/**
 * The mount operations the lock needs, each one mount(8)/umount(8) call
 * with an argv array. Errors name the command and what it said.
 *
 * Through run-tool (node:child_process), not execa: lock, unlock, merge and
 * settle load nothing else of execa's, and importing it was a large part of
 * their start-up.
 */
import { GuardError, describeError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { ToolError, runTool } from './run-tool.js';

async function run(file: string, args: readonly string[]): Promise<void> {
  try {
    await runTool(file, args, { timeoutMs: 30_000 });
  } catch (error) {
    if (error instanceof ToolError && error.code === 'ENOENT') {
      throw new GuardError(`${file} is not installed`, { exitCode: ExitCode.Failure, hints: ['  install util-linux (mount, umount)'], cause: error });
    }
    const said = error instanceof ToolError ? error.stderr.trim() : '';
    throw new GuardError(`${[file, ...args].join(' ')} failed: ${said || describeError(error)}`, { exitCode: ExitCode.Failure, cause: error });
  }
}

/** Per-mount flags a read-only remount must repeat, or the kernel clears them. */
export const KEPT_FLAGS = ['nosuid', 'nodev', 'noexec', 'noatime', 'nodiratime', 'relatime', 'strictatime'] as const;

export function keptFlags(mountOptions: readonly string[]): string[] {
  return mountOptions.filter((option) => (KEPT_FLAGS as readonly string[]).includes(option));
}

export const bindOntoItself = (path: string) => run('mount', ['--bind', path, path]);

export const remountBind = (path: string, mode: 'ro' | 'rw', flags: readonly string[]) =>
  run('mount', ['-o', ['remount', 'bind', mode, ...flags].join(','), path]);

/** Unmounts the topmost mount at path (not lazily: a busy lock must be reported, not hidden). */
export const unmountTop = (path: string) => run('umount', [path]);

/** A file system's own read-only flag, seen through every mount of it (not only this one). */
export const remountFileSystem = (path: string, mode: 'ro' | 'rw') => run('mount', ['-o', `remount,${mode}`, path]);
