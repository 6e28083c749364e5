/**
 * A reader that goes away (`guard status | head -1`) ends guard quietly, as it
 * ends pacman and coreutils (SIGPIPE): no stack trace. Node ignores SIGPIPE,
 * so a write to a closed pipe fails with EPIPE instead, emitted as an 'error'
 * event that would crash the process.
 *
 * The command still runs to its end rather than exiting on the spot: guard
 * lock, merge and extend hold mounts and files that a `finally` puts back,
 * and an abrupt exit could leave them half done. Only the output is lost.
 */
import { ExitCode } from '../exit-codes.js';

/** What a shell reports for a process killed by SIGPIPE (128 + 13), pacman's status in `pacman -Q | head -1`. */
export const BROKEN_PIPE_STATUS = ExitCode.BrokenPipe;

export interface PipeWatch {
  /** Whether a write failed because the reader had gone. */
  readonly broken: boolean;
}

export function watchForBrokenPipe(streams: readonly NodeJS.WritableStream[]): PipeWatch {
  const watch = { broken: false };
  for (const stream of streams) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') watch.broken = true;
      // After a broken pipe, further writes fail too (the stream is destroyed): nothing left to tell.
      else if (!watch.broken) throw error;
    });
  }
  return watch;
}

/**
 * The status to exit with: the command's own when it is not success (a
 * refusal stays a refusal, so a pipe never turns one into anything else), and
 * SIGPIPE's when a successful command could not write all of its output.
 */
export function exitStatus(commandStatus: number, watch: PipeWatch): number {
  return commandStatus === ExitCode.Ok && watch.broken ? BROKEN_PIPE_STATUS : commandStatus;
}
