/**
 * `guard install` and `guard uninstall`: put the pacman shim, the yay and
 * paru shims, the libalpm hook (and the systemd units) in place with absolute
 * paths rendered in, and record exactly what was written so that uninstall
 * removes that and nothing else.
 */
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GuardError, describeError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { WRITABLE_INSTALL } from './advice.js';
import { shellWord } from '../policy/refusal.js';
import { deriveFastPathRules } from '../shim/fast-path.js';
import type { HelperName } from '../helpers/options.js';
import { helperFastPathRules } from '../shim/derive-helper-fast-path.js';
import { helperShimSettings, renderHelperShim } from '../shim/render-helper.js';
import { renderShim, type ShimSettings } from '../shim/render.js';
import { BOOT_LOCK_TOKEN } from '../fit/boot-token.js';
import { DROP_INS, HOOK_NAME, HOOK_TEMPLATE, METRICS_UNITS, SETTLE_UNIT, readTemplate, renderHook } from './hook-file.js';

export interface PlannedFile {
  readonly path: string;
  readonly content: string;
  readonly mode: number;
  /** How to avoid a file of someone else's at this path, besides moving it away. */
  readonly conflictHint?: string;
  /** The option that chose its directory, for errors. */
  readonly option: '--bindir' | '--hookdir' | '--unitdir';
}

export interface InstallPlan {
  readonly files: readonly PlannedFile[];
}

export interface InstallOptions {
  readonly bindir: string;
  readonly hookdir: string;
  /** systemd's unit directory for the drop-in. */
  readonly unitdir: string;
  readonly shim: ShimSettings;
  /** The AUR helper shims to put next to the pacman shim (same node, guard and hierarchies). */
  readonly helpers: readonly HelperName[];
  /** The real helpers they run, where not HELPER_SHIMS' defaults. */
  readonly realHelpers?: Partial<Readonly<Record<HelperName, string>>>;
}

export interface ManifestEntry {
  readonly path: string;
  readonly sha256: string;
}

const sha256 = (content: string | Buffer) => createHash('sha256').update(content).digest('hex');

export async function planInstall(options: InstallOptions): Promise<InstallPlan> {
  const render = async (template: URL) => renderHook(await readTemplate(template), options.shim.node, options.shim.guardMain, BOOT_LOCK_TOKEN);
  return {
    files: [
      { path: join(options.bindir, 'pacman'), content: renderShim(options.shim, deriveFastPathRules()), mode: 0o755, conflictHint: '--bindir', option: '--bindir' as const },
      ...options.helpers.map((helper) => ({
        path: join(options.bindir, helper),
        content: renderHelperShim(helper, helperShimSettings(helper, options.shim, options.realHelpers?.[helper]), helperFastPathRules(helper)),
        mode: 0o755,
        conflictHint: `--bindir, or leave the ${helper} shim out with --helpers`,
        option: '--bindir' as const,
      })),
      { path: join(options.hookdir, HOOK_NAME), content: await render(HOOK_TEMPLATE), mode: 0o644, conflictHint: '--hookdir', option: '--hookdir' },
      ...(await Promise.all(DROP_INS.map(async (dropIn) => ({ path: join(options.unitdir, dropIn.path), content: await render(dropIn.template), mode: 0o644, conflictHint: '--unitdir', option: '--unitdir' as const })))),
      ...(await Promise.all([SETTLE_UNIT, ...METRICS_UNITS].map(async (unit) => ({ path: join(options.unitdir, unit.name), content: await render(unit.template), mode: 0o644, conflictHint: '--unitdir', option: '--unitdir' as const })))),
    ],
  };
}

async function readIfExists(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function readManifest(path: string): Promise<ManifestEntry[]> {
  const text = await readIfExists(path);
  if (!text) return [];
  try {
    const parsed = JSON.parse(text.toString('utf8')) as { files?: ManifestEntry[] };
    if (!Array.isArray(parsed.files)) throw new Error('no "files" list');
    return parsed.files;
  } catch (error) {
    throw new GuardError(`malformed install manifest ${path}: ${describeError(error)}`, { exitCode: ExitCode.Failure, hints: ['  fix or remove it, then run guard install again'] });
  }
}

/** The packaging directory of this checkout: dist/install/ → packaging/. */
const PACKAGING = fileURLToPath(new URL('../../packaging', import.meta.url));

/**
 * The ways that work on a read-only /usr, each one whole: the package (built
 * first, by name, so the file exists), or directories outside /usr.
 */
export const READ_ONLY_HINTS = [
  '  on a read-only /usr, build the package (as a user: makepkg does not run as root),',
  "  then install it in guard update's maintenance window:",
  `    cd ${shellWord(PACKAGING)} && makepkg`,
  // makepkg names the file it built, wherever the user's PKGDEST puts it and whatever PKGEXT it ends in.
  `    sudo guard update -U $(cd ${shellWord(PACKAGING)} && makepkg --packagelist)`,
  '  or install into writable directories, the shims first on PATH and in sudo\'s secure_path:',
  `    ${WRITABLE_INSTALL}`,
];

/** The nearest existing directory at or above `path`: where mkdir -p would start writing. */
async function existingAncestor(path: string): Promise<string> {
  for (let current = path; ; current = dirname(current)) {
    try {
      await access(current, constants.F_OK);
      return current;
    } catch {
      if (current === dirname(current)) return current;
    }
  }
}

/** Before anything is written: every directory the plan writes into can be written, or nothing is. */
async function requireWritableDirectories(files: readonly PlannedFile[]): Promise<void> {
  const failures: string[] = [];
  let readOnly = false;
  const seen = new Set<string>();
  for (const file of files) {
    const directory = dirname(file.path);
    if (seen.has(directory)) continue;
    seen.add(directory);
    const ancestor = await existingAncestor(directory);
    try {
      await access(ancestor, constants.W_OK);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      readOnly ||= code === 'EROFS';
      failures.push(`${file.option} ${directory}: ${code === 'EROFS' ? `${ancestor} is on a read-only file system` : describeError(error)}`);
    }
  }
  if (failures.length > 0) {
    throw new GuardError(`cannot install: ${failures.length === 1 ? 'a directory is' : 'directories are'} not writable`, {
      exitCode: ExitCode.Failure,
      hints: [...failures.map((failure) => `  ${failure}`), '  nothing was changed', ...(readOnly ? READ_ONLY_HINTS : [])],
    });
  }
}

/** Writes via a temporary file and rename, so a half-written shim is never on PATH. */
async function writeAtomically(path: string, content: string, mode: number): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.pacman-guard-new`;
  await writeFile(temporary, content, { mode });
  await rename(temporary, path);
}

export type FileOutcome = 'installed' | 'updated' | 'unchanged';

/**
 * Installs the plan; a file that exists but was not installed by us is never
 * overwritten. Without a manifest path (a package build's staging
 * directory, where pacman keeps the record) none is written.
 */
export async function install(plan: InstallPlan, manifestPath: string | undefined): Promise<{ path: string; outcome: FileOutcome }[]> {
  const manifest = manifestPath ? await readManifest(manifestPath) : [];
  const results: { path: string; outcome: FileOutcome }[] = [];
  for (const file of plan.files) {
    const existing = await readIfExists(file.path);
    const ours = manifest.some((entry) => entry.path === file.path && existing !== undefined && entry.sha256 === sha256(existing));
    if (existing !== undefined && !ours && sha256(existing) !== sha256(file.content)) {
      throw new GuardError(`${file.path} exists and was not installed by pacman-guard`, {
        exitCode: ExitCode.Failure,
        hints: [`  nothing was changed; move it away or choose another directory${file.conflictHint ? ` (${file.conflictHint})` : ''}`],
      });
    }
  }
  await requireWritableDirectories(plan.files);
  const entries: ManifestEntry[] = [];
  for (const file of plan.files) {
    const existing = await readIfExists(file.path);
    let outcome: FileOutcome = 'installed';
    if (existing !== undefined) outcome = sha256(existing) === sha256(file.content) ? 'unchanged' : 'updated';
    try {
      if (outcome !== 'unchanged') await writeAtomically(file.path, file.content, file.mode);
    } catch (error) {
      const readOnly = (error as NodeJS.ErrnoException).code === 'EROFS';
      throw new GuardError(`cannot write ${file.path} (${file.option}): ${describeError(error)}`, {
        exitCode: ExitCode.Failure,
        hints: readOnly ? READ_ONLY_HINTS : [],
        cause: error,
      });
    }
    entries.push({ path: file.path, sha256: sha256(file.content) });
    results.push({ path: file.path, outcome });
  }
  if (!manifestPath) return results;
  // Keep entries of earlier installs to other directories: uninstall removes those too.
  const kept = manifest.filter((entry) => !entries.some((added) => added.path === entry.path));
  await writeAtomically(manifestPath, `${JSON.stringify({ files: [...kept, ...entries] }, null, 2)}\n`, 0o644);
  return results;
}

export type RemoveOutcome = 'removed' | 'missing' | 'modified, kept';

/** Removes what the manifest lists, unless it was changed since (then it is kept and reported). */
export async function uninstall(manifestPath: string): Promise<{ path: string; outcome: RemoveOutcome }[]> {
  const manifest = await readManifest(manifestPath);
  const results: { path: string; outcome: RemoveOutcome }[] = [];
  for (const entry of manifest) {
    const existing = await readIfExists(entry.path);
    if (existing === undefined) results.push({ path: entry.path, outcome: 'missing' });
    else if (sha256(existing) !== entry.sha256) results.push({ path: entry.path, outcome: 'modified, kept' });
    else {
      await rm(entry.path);
      results.push({ path: entry.path, outcome: 'removed' });
    }
  }
  await rm(manifestPath, { force: true });
  return results;
}
