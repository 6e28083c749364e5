/**
 * The mount operations the lock needs, each one mount(8)/umount(8) call
 * with an argv array. Errors name the command and what it said.
 */
import { execa } from 'execa';
import { GuardError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';

async function run(file: string, args: readonly string[]): Promise<void> {
  try {
    await execa(file, args, { timeout: 30_000, env: { LC_ALL: 'C' } });
  } catch (error) {
    const failure = error as { code?: string; stderr?: string; shortMessage?: string };
    if (failure.code === 'ENOENT') {
      throw new GuardError(`${file} is not installed`, { exitCode: ExitCode.Failure, hints: ['  install util-linux (mount, umount)'], cause: error });
    }
    throw new GuardError(`${[file, ...args].join(' ')} failed: ${failure.stderr?.trim() || failure.shortMessage || String(error)}`, { exitCode: ExitCode.Failure, cause: error });
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
