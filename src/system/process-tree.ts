/**
 * Which process a pacman command was run for, and waiting for it to end:
 * what lets a redirected helper flow that failed take back what was built
 * for it. /proc/PID/stat is the only source, read by process-identity.ts.
 */
import { readProcess, type ProcessFacts } from './process-identity.js';

// The one parser of /proc/PID/stat is process-identity.ts's.
export { parseStat, readProcess, type ProcessFacts } from './process-identity.js';

/**
 * What runs a command for someone else: the flow is theirs. makepkg too: its
 * -s installs dependencies for the build of whoever ran it (trizen, or a
 * user whose shell then owns nothing).
 */
const PRIVILEGE_WRAPPERS = new Set(['sudo', 'doas', 'su', 'run0', 'pkexec', 'env', 'fakeroot', 'faked', 'makepkg']);
/** A shell a user types into: a command typed there is no helper's flow. */
const SHELLS = new Set(['bash', 'zsh', 'fish', 'sh', 'dash', 'ksh', 'tcsh', 'csh', 'nu', 'xonsh']);

/**
 * Pure: the helper a command ran for, walking up from its caller past sudo
 * and the like; undefined when that is a shell (typed by hand) or unknown.
 */
export function flowOwner(caller: number, read: (pid: number) => ProcessFacts | undefined): ProcessFacts | undefined {
  let current = read(caller);
  for (let hops = 0; current && PRIVILEGE_WRAPPERS.has(current.comm) && hops < 8; hops += 1) current = read(current.ppid);
  if (!current || current.pid <= 1 || SHELLS.has(current.comm)) return undefined;
  return current;
}

/** Resolves once the process (same PID and start time) is gone; polls, as /proc offers no wait for a non-child. */
export async function waitForExit(pid: number, startTime: string, intervalMs = 500): Promise<void> {
  for (;;) {
    const facts = readProcess(pid);
    if (!facts || facts.startTime !== startTime || facts.state === 'Z' || facts.state === 'X') return;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
