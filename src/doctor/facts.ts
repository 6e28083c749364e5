/**
 * Gathers what guard doctor checks. Every probe that cannot tell leaves its
 * fact unknown rather than guessing.
 */
import { baseEntries, entryOwners, readEntries } from '../system/view.js';
import { describeView } from '../system/view-state.js';
import { localPackageName } from '../pacman/local-entry.js';
import type { MountEntry } from '../system/mountinfo.js';
import { constants } from 'node:fs';
import { access, lstat, readFile, readdir, readlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { GuardError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { dbLockState } from '../system/db-lock.js';
import { readPacmanConfig } from '../system/pacman-conf.js';
import { readMounts } from '../system/probe.js';
import { runTool } from '../system/run-tool.js';
import { MERGING_UNITS, parseUnitText } from './units.js';
import { readMergeState } from '../system/merge-state.js';
import type { DoctorFacts, HookFile } from './checks.js';
import { HOOK_NAME as HOOK_FILE, SYSTEM_HOOK_DIRECTORY } from '../install/hook-file.js';
import { readGuardConfigFile } from '../system/guard-config-file.js';
import { HELPER_NAMES } from '../helpers/options.js';
import { shimMarker } from '../shim/render.js';
import { describeError } from '../errors.js';
import { readUpdateRecord, type UpdateInProgress } from '../system/update-record.js';
import { listHeld } from '../system/extension-store.js';
import { JOURNAL_SOCKET } from '../audit/record.js';
import { findOnPath as findExecutable } from '../system/find-on-path.js';

/** The system hook directory libalpm reads before pacman.conf's HookDir entries. */
/** Arch's sudo is built with this secure_path; a Defaults line in sudoers replaces it. */
export const ARCH_SUDO_SECURE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/bin';
const EXTENSION_DIRECTORIES = ['/run', '/run/extensions', '/etc/extensions', '/var/lib/extensions'];

async function writable(path: string): Promise<boolean | undefined> {
  try {
    await access(path, constants.F_OK);
  } catch {
    return undefined;
  }
  return access(path, constants.W_OK).then(() => true, () => false);
}

/** The first executable `command` in a search path, as a shell finds it, and whether it is our shim for it. */
async function findOnPath(command: string, searchPath: string): Promise<{ path: string; isShim: boolean } | undefined> {
  for (const directory of searchPath.split(':').filter(Boolean)) {
    const candidate = join(directory, command);
    try {
      await access(candidate, constants.X_OK);
    } catch {
      continue;
    }
    const head = await readFile(candidate).then((content) => content.subarray(0, 512).toString('latin1'), () => '');
    return { path: candidate, isShim: head.includes(shimMarker(command)) };
  }
  return undefined;
}

/** `Defaults secure_path=…` from sudoers and sudoers.d (the last one wins, as in sudo). */
export function securePathFrom(sudoers: readonly string[]): string | undefined {
  let found: string | undefined;
  for (const text of sudoers) {
    for (const match of text.matchAll(/^\s*Defaults\s+secure_path\s*=\s*"?([^"\n]+?)"?\s*$/gm)) found = match[1];
  }
  return found;
}

async function sudoSecurePath(): Promise<string> {
  const files = ['/etc/sudoers', ...(await readdir('/etc/sudoers.d').then((names) => names.sort().map((name) => `/etc/sudoers.d/${name}`), () => []))];
  const texts = await Promise.all(files.map((file) => readFile(file, 'utf8').catch(() => '')));
  return securePathFrom(texts) ?? ARCH_SUDO_SECURE_PATH;
}

async function hookFiles(directories: readonly string[]): Promise<HookFile[]> {
  const found: HookFile[] = [];
  for (const directory of directories) {
    const path = join(directory, HOOK_FILE);
    try {
      const status = await lstat(path);
      const target = status.isSymbolicLink() ? await readlink(path) : undefined;
      const content = target === undefined ? await readFile(path, 'utf8') : '';
      found.push({ directory, name: HOOK_FILE, masksWithDevNull: target === '/dev/null', isOurs: content.includes('pacman-guard') });
    } catch {
      // Not there.
    }
  }
  return found;
}

/** Base packages with files in /opt: what an extension carries there is in /opt because it is merged, and needs nothing writable. */
async function packagesOwningOpt(dbPath: string): Promise<string[]> {
  const local = join(dbPath, 'local');
  const owners: string[] = [];
  for (const entry of await baseEntries(dbPath).catch(() => [])) {
    const files = await readFile(join(local, entry, 'files'), 'utf8').catch(() => '');
    if (/^opt\/./m.test(files)) owners.push(entry);
  }
  return owners;
}

/** Whether this process can append to `path` (or create it, when it does not exist yet). */
async function writableFile(path: string): Promise<boolean> {
  try {
    await access(path, constants.W_OK);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return false;
    return access(dirname(path), constants.W_OK).then(() => true, () => false);
  }
}

/** What pacman's view shows, against what the merged extensions carry (packages the base has are shown from the base). */
async function viewFacts(mounts: readonly MountEntry[], dbPath: string, merged: boolean, env: NodeJS.ProcessEnv): Promise<DoctorFacts['view']> {
  const shown = (await describeView(mounts, dbPath)).packages.map((entry) => entry.directory);
  if (!merged) return { shown, carried: new Map(), problems: [] };
  const owners = await entryOwners('/');
  const { entries, problems } = await readEntries('/', env, (directory) => owners.get(directory));
  const onBase = new Set((await baseEntries(dbPath)).map(localPackageName));
  const carried = new Map(entries.filter((item) => !onBase.has(item.entry.name)).map((item) => [item.directory, item.extension] as const));
  return { shown, carried, problems };
}

/**
 * `systemctl cat` of each unit that merges, and of each unit one of them pulls
 * in (the guard's settle unit), for those this systemd has; undefined when
 * systemctl cannot answer at all.
 */
async function unitTexts(): Promise<Record<string, string> | undefined> {
  const texts: Record<string, string> = {};
  let answered = false;
  const ask = async (unit: string) => {
    try {
      texts[unit] = (await runTool('systemctl', ['cat', '--no-pager', unit])).stdout;
      answered = true;
    } catch (error) {
      // "No files found for UNIT": this systemd has no such unit. Anything else: systemctl cannot tell.
      if (/No files found|not found/i.test(String((error as { stderr?: string }).stderr ?? ''))) answered = true;
    }
  };
  for (const unit of MERGING_UNITS) await ask(unit);
  const pulled = new Set(Object.values(texts).flatMap((text) => parseUnitText(text).wants).filter((unit) => unit.endsWith('.service') && !(unit in texts)));
  for (const unit of pulled) await ask(unit);
  return answered ? texts : undefined;
}

export async function gatherFacts(options: { env: NodeJS.ProcessEnv; unitdir: string }): Promise<DoctorFacts> {
  const mounts = await readMounts();
  if (!mounts.ok) throw new GuardError(mounts.reason, { exitCode: ExitCode.StateUnknown });
  const config = await readPacmanConfig();
  const hookDirectories = [SYSTEM_HOOK_DIRECTORY, ...config.hookDirs.map((directory) => directory.replace(/\/+$/, ''))];
  const securePath = await sudoSecurePath();
  const [merged, usrAttributes, hooks, pathPacman, sudoPacman, dropIn, enabled, optOwners] = await Promise.all([
    readMergeState(mounts.value).hierarchies,
    runTool('lsattr', ['-d', '/usr']).then(({ stdout }) => stdout.trim(), () => undefined),
    hookFiles(hookDirectories),
    findOnPath('pacman', options.env.PATH ?? ''),
    findOnPath('pacman', securePath),
    access(join(options.unitdir, 'systemd-sysext.service.d/pacman-guard.conf')).then(() => true, () => false),
    runTool('systemctl', ['is-enabled', 'systemd-sysext.service']).then(({ stdout }) => stdout.trim(), (error: { stderr?: string; message?: string }) => {
      const answer = /^(disabled|masked|static|indirect|enabled-runtime|linked)$/m.exec(String(error.message ?? ''));
      return answer?.[1];
    }),
    packagesOwningOpt(config.dbPath),
  ]);
  const units = await unitTexts();
  // Not sudo's secure_path: yay and paru refuse to run as root.
  const pathHelpers = await Promise.all(HELPER_NAMES.map(async (helper) => [helper, await findOnPath(helper, options.env.PATH ?? '')] as const));
  const writableEntries = await Promise.all(EXTENSION_DIRECTORIES.map(async (path) => [path, await writable(path)] as const));
  return {
    mounts: mounts.value,
    merged,
    dbPath: config.dbPath,
    dbLocked: dbLockState(mounts.value, config.dbPath).locked,
    ...(usrAttributes === undefined ? {} : { usrAttributes }),
    writable: Object.fromEntries(writableEntries),
    ...(pathPacman ? { pathPacman } : {}),
    ...(sudoPacman ? { sudoPacman } : {}),
    sudoSecurePath: securePath,
    pathHelpers: Object.fromEntries(pathHelpers.filter(([, found]) => found !== undefined)),
    hookDirectories,
    hooks,
    dropInInstalled: dropIn,
    ...(units ? { units } : {}),
    ...(enabled ? { sysextServiceEnabled: enabled } : {}),
    packagesOwningOpt: optOwners,
    held: await listHeld().catch(() => []),
    view: await viewFacts(mounts.value, config.dbPath, merged.length > 0, options.env),
    ...updateFacts(),
    auditTrail: {
      logFile: config.logFile,
      logWritable: await writableFile(config.logFile),
      journal: await access(JOURNAL_SOCKET).then(() => true, () => false),
      logger: (await findExecutable('logger', options.env.PATH)) !== undefined,
    },
    guardConfig: await readGuardConfigFile().then((file) => ({ ok: true as const, policy: file.config.policy, exists: file.exists }), (error: unknown) => ({ ok: false as const, error: describeError(error) })),
  };
}

function updateFacts(): { update?: UpdateInProgress } {
  try {
    const update = readUpdateRecord();
    return update ? { update } : {};
  } catch (error) {
    throw new GuardError(describeError(error), { exitCode: ExitCode.StateUnknown });
  }
}
