/**
 * How `guard shim-check` tells the sh shim what to do, by exit status:
 *   0               run pacman (exec, same argv)
 *   HANDLED         guard did the work itself (the redirect policy built an
 *                   extension): exit 0 without running pacman
 *   anything else   exit with it (3 refused, 4 state unknown, 1 failure, …)
 * HANDLED never leaves the shim, so it is not one of guard's exit codes.
 */
export const SHIM_HANDLED = 100 as const;
