/**
 * The pacman builds the differential test runs against: Debian's pacman 6.0.2
 * on PATH, and the upstream builds .ci/build-pacman.sh makes from the
 * archives listed in .ci/pacman-builds (the one list both read).
 */
import { createHash } from 'node:crypto';
import { accessSync, constants, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PACMAN_VARIANTS, type PacmanVariant } from '../../src/pacman/options.js';
import { PROJECT_ROOT } from '../testbed/testbed.js';

export interface PacmanBuild {
  /** What the test reports: `6.0.2`, `7.1.0-master`. */
  readonly label: string;
  /** The model variant this build is. */
  readonly variant: PacmanVariant;
  /** The pacman binary; undefined when the build is missing (see `missing`). */
  readonly binary?: string;
  /** The build's prefix, whose etc/pacman.conf the testbed replaces with its own. */
  readonly prefix?: string;
  /** Why the build cannot be used. */
  readonly missing?: string;
}

const BUILD_LIST = join(PROJECT_ROOT, '.ci/pacman-builds');
const SOURCE_DIR = process.env.PACMAN_GUARD_PACMAN_SRC ?? resolve(PROJECT_ROOT, '../shared/pacman-src');
const BUILD_CACHE = process.env.PACMAN_GUARD_BUILD_CACHE ?? '/var/cache/pacman-guard-ci';

function isVariant(text: string): text is PacmanVariant {
  return (PACMAN_VARIANTS as readonly string[]).includes(text);
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function upstreamBuild(label: string, archive: string, variant: PacmanVariant): PacmanBuild {
  const tarball = join(SOURCE_DIR, archive);
  let sha256: string;
  try {
    sha256 = createHash('sha256').update(readFileSync(tarball)).digest('hex');
  } catch (error) {
    return { label, variant, missing: `cannot read ${tarball}: ${(error as Error).message}` };
  }
  const prefix = join(BUILD_CACHE, `pacman-${sha256}`);
  const binary = join(prefix, 'bin/pacman');
  if (!executable(binary)) return { label, variant, missing: `${binary} is not built (bash .ci/build-pacman.sh ${SOURCE_DIR})` };
  return { label, variant, binary, prefix };
}

export function pacmanBuilds(): PacmanBuild[] {
  const builds: PacmanBuild[] = [{ label: '6.0.2', variant: '6.0', binary: '/usr/bin/pacman' }];
  for (const line of readFileSync(BUILD_LIST, 'utf8').split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields[0] === '' || fields[0]!.startsWith('#')) continue;
    const [label, archive, variant] = fields;
    if (!label || !archive || !variant || !isVariant(variant)) throw new Error(`${BUILD_LIST}: malformed line: ${line}`);
    builds.push(upstreamBuild(label, archive, variant));
  }
  return builds;
}
