/**
 * The stacks the system test boots (docs/stacks.md): one Debian suite each,
 * with that suite's systemd, pacman and (but for bookworm) node. What a stack
 * can do is read from the root itself (its systemd's version), never from a
 * table of what the suite is supposed to ship.
 *
 * No vitest import here: global-setup.ts uses it too.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const SUITES = ['bookworm', 'trixie', 'sid'] as const;
export type Suite = (typeof SUITES)[number];

/** Where global-setup.ts tells the suite the root's path, and why not. */
export const rootfsVariable = (suite: Suite) => `SYSTEM_TEST_ROOTFS_${suite.toUpperCase()}`;
export const obstacleVariable = (suite: Suite) => `SYSTEM_TEST_OBSTACLE_${suite.toUpperCase()}`;

/** A package's version as dpkg installed it in the root, or undefined. */
export function packageVersion(rootfs: string, name: string): string | undefined {
  const status = readFileSync(join(rootfs, 'var/lib/dpkg/status'), 'utf8');
  for (const stanza of status.split(/\n\n+/)) {
    if (!new RegExp(`^Package: ${name.replace(/[.+]/g, '\\$&')}$`, 'm').test(stanza)) continue;
    if (!/^Status: install ok installed$/m.test(stanza)) continue;
    return /^Version: (.+)$/m.exec(stanza)?.[1];
  }
  return undefined;
}

/** The systemd major version in the root (252, 257, 262, ...). */
export function systemdMajor(rootfs: string): number {
  const version = packageVersion(rootfs, 'systemd');
  const major = Number(/^(\d+)/.exec(version ?? '')?.[1]);
  if (!Number.isInteger(major)) throw new Error(`no systemd package in ${rootfs}`);
  return major;
}

/** The root's own node, when it is one guard runs on (>= 20); otherwise the host's is bind-mounted. */
export function rootHasNode(rootfs: string): boolean {
  const version = packageVersion(rootfs, 'nodejs');
  return version !== undefined && Number(/^(\d+)/.exec(version)?.[1]) >= 20;
}
