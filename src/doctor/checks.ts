/**
 * guard doctor's checks: pure functions from gathered facts to findings,
 * each with the fix to apply. The facts are gathered in facts.ts.
 */
import { dirname } from 'node:path';
import { isReadOnly, visibleMount, type MountEntry } from '../system/mountinfo.js';
import { baseMount } from '../system/image.js';
import type { UpdateInProgress } from '../system/update-record.js';
import { describeWrites, type MergedHierarchy } from '../system/merge-state.js';
import { HOOK_NAME as HOOK_FILE } from '../install/hook-file.js';
import { MERGING_UNITS, uncoveredPaths } from './units.js';
import type { HelperName } from '../helpers/options.js';
import { shownTime } from '../pacman/timestamp.js';
import { WRITABLE_INSTALL, WRITABLE_INSTALL_DIR } from '../install/advice.js';

export interface Finding {
  readonly check: string;
  readonly ok: boolean;
  readonly message: string;
  /** What to run or change, when not ok. */
  readonly fix?: string;
}

export interface HookFile {
  readonly directory: string;
  readonly name: string;
  /** A symlink to /dev/null: how pacman hooks are masked. */
  readonly masksWithDevNull: boolean;
  readonly isOurs: boolean;
}

export interface DoctorFacts {
  readonly mounts: readonly MountEntry[];
  readonly merged: readonly MergedHierarchy[];
  readonly dbPath: string;
  readonly dbLocked: boolean;
  /** `lsattr -d /usr` attributes, when lsattr could tell. */
  readonly usrAttributes?: string;
  readonly writable: Readonly<Record<string, boolean | undefined>>;
  /** The first `pacman` on PATH and on sudo's secure_path, and whether each is our shim. */
  readonly pathPacman?: { readonly path: string; readonly isShim: boolean };
  readonly sudoPacman?: { readonly path: string; readonly isShim: boolean };
  readonly sudoSecurePath?: string;
  /** The first yay and paru on PATH, and whether each is our helper shim; absent when not on PATH. */
  readonly pathHelpers?: Partial<Readonly<Record<HelperName, { readonly path: string; readonly isShim: boolean }>>>;
  /** Hook directories in the order pacman reads them (later ones override earlier ones). */
  readonly hookDirectories: readonly string[];
  readonly hooks: readonly HookFile[];
  readonly dropInInstalled: boolean;
  /** `systemctl cat` of each unit that merges (MERGING_UNITS) this systemd has; undefined when systemctl could not tell. */
  readonly units?: Readonly<Record<string, string>>;
  /** `systemctl is-enabled systemd-sysext.service`, when systemctl answered. */
  readonly sysextServiceEnabled?: string;
  /** Packages in the local database that own files under /opt. */
  readonly packagesOwningOpt: readonly string[];
  /** /etc/pacman-guard.conf: the policy, or why it cannot be read. */
  readonly guardConfig: { readonly ok: true; readonly policy: string; readonly exists: boolean } | { readonly ok: false; readonly error: string };
  /** Where refusals are recorded for whoever runs doctor: pacman's LogFile (writable?) and the journal (running?). */
  /** journal: journald's socket exists; logger: logger(1) is on PATH (it carries the entry to the journal). */
  readonly auditTrail?: { readonly logFile: string; readonly logWritable: boolean; readonly journal: boolean; readonly logger?: boolean };
  /** A guard update's record in /run, if there is one. */
  readonly update?: UpdateInProgress;
  /**
   * pacman's view of the merged packages: the entries it shows, the entries
   * the merged extensions carry (less packages the base has), and entries
   * that cannot be shown.
   */
  readonly view?: { readonly shown: readonly string[]; readonly carried: ReadonlyMap<string, string | undefined>; readonly problems: readonly { readonly file: string; readonly message: string }[] };
  /** Extensions guard update took out of use: name and reason. */
  readonly held?: readonly { readonly name: string; readonly reason: string }[];
}


/**
 * The one advice for `sudo pacman`, in guard doctor and in the README alike
 * (a test holds them together): sudo resets PATH to its secure_path.
 */
export const SUDO_FIX = "put the shim's directory first in sudo's secure_path: with the package, install -m 440 /usr/share/doc/pacman-guard/sudoers.example /etc/sudoers.d/pacman-guard; from a checkout, guard install --bindir /usr/local/bin (first in Arch's default secure_path)";

export function runChecks(facts: DoctorFacts): Finding[] {
  const findings: Finding[] = [];
  const add = (check: string, ok: boolean, message: string, fix?: string) => findings.push({ check, ok, message, ...(ok || !fix ? {} : { fix }) });

  // The image underneath any merged extensions: their overlay is read-only whatever the base is.
  const usr = baseMount(facts.mounts, '/usr');
  add('usr-read-only', usr !== undefined && isReadOnly(usr),
    usr && isReadOnly(usr) ? '/usr is mounted read-only (change it with guard update)' : '/usr is mounted writable',
    'mount /usr read-only (an image, or a read-only bind mount in fstab)');
  if (facts.update) {
    const { record, running } = facts.update;
    add('no-interrupted-update', running,
      running ? `guard update (pid ${record.pid}) is running: ${record.phase}` : `a guard update (pid ${record.pid}, started ${shownTime(record.started)}) was interrupted while ${record.phase}`,
      'guard update --finish');
  }
  if (facts.usrAttributes !== undefined) {
    const immutable = /i/.test(facts.usrAttributes.split(/\s/)[0] ?? '');
    add('usr-not-immutable-attribute', !immutable,
      immutable ? '/usr carries the immutable attribute (chattr +i), which breaks overlayfs merges' : '/usr does not carry chattr +i',
      'chattr -i /usr, and keep /usr read-only by mount instead');
  }

  for (const extension of facts.held ?? []) {
    add(`held:${extension.name}`, false, `extension ${extension.name} is held, not merged: ${extension.reason}`,
      `guard extend --rebuild ${extension.name}, or remove it: guard extend --remove ${extension.name}`);
  }

  for (const [path, writable] of Object.entries(facts.writable)) {
    if (writable === undefined) continue;
    add(`writable:${path}`, writable, `${path} is ${writable ? 'writable' : 'not writable'}`, `make ${path} writable (systemd-sysext and the guard keep state there)`);
  }

  const var_ = visibleMount(facts.mounts, '/var');
  add('var-not-read-only', !(var_ && isReadOnly(var_)), var_ && isReadOnly(var_) ? '/var is read-only as a whole' : '/var is writable',
    'keep /var writable; only /var/lib/pacman is locked, by guard lock');

  if (facts.view && (facts.view.shown.length > 0 || facts.view.carried.size > 0 || facts.view.problems.length > 0)) {
    const { shown, carried, problems } = facts.view;
    const shownSet = new Set(shown);
    const missing = [...carried.keys()].filter((entry) => !shownSet.has(entry));
    const extra = shown.filter((entry) => !carried.has(entry));
    const issues = [
      ...missing.map((entry) => `pacman does not see ${entry}${carried.get(entry) ? `, which extension ${carried.get(entry)} carries` : ''}`),
      ...extra.map((entry) => `pacman sees ${entry}, which no merged extension carries`),
    ];
    add('pacman-view', issues.length === 0,
      issues.length === 0 ? `pacman sees the ${shown.length} package${shown.length === 1 ? '' : 's'} the merged extensions carry` : issues.join('; '),
      facts.update ? 'guard update --finish' : 'guard settle');
    for (const problem of problems) add(`pacman-view-entry:${problem.file}`, false, `${problem.file}: ${problem.message}`, 'build the extension again with guard extend, or remove it with guard extend --remove');
  }

  add('merged-and-locked', facts.merged.length === 0 || facts.dbLocked,
    facts.merged.length === 0 ? 'no extensions are merged' : facts.dbLocked ? `extensions are merged and ${facts.dbPath} is locked` : `extensions are merged while ${facts.dbPath} is writable`,
    // settle, not lock: it also shows pacman the merged extensions' packages.
    facts.update ? 'guard update --finish' : 'guard settle');
  for (const entry of facts.merged) {
    const writes = describeWrites(entry);
    if (writes) add(`mutable:${entry.hierarchy}`, true, `${writes}; pacman stays refused (its database would not know those files)`);
  }

  // guard install writes under /usr by default, which merged extensions (or a read-only image) make read-only.
  const usrWritable = !(usr && isReadOnly(usr)) && !facts.merged.some((entry) => entry.hierarchy === '/usr');
  const install = usrWritable ? 'guard install' : `${WRITABLE_INSTALL}, and put ${WRITABLE_INSTALL_DIR} first on PATH and in sudo's secure_path (/usr is read-only)`;
  if (facts.pathPacman) {
    add('shim-on-path', facts.pathPacman.isShim, facts.pathPacman.isShim ? `pacman on PATH is the shim (${facts.pathPacman.path})` : `pacman on PATH is ${facts.pathPacman.path}, not the shim`, usrWritable ? 'guard install, and put its --bindir before /usr/bin on PATH' : `put the shims' directory before ${dirname(facts.pathPacman.path)} on PATH (where none is installed: ${WRITABLE_INSTALL})`);
  } else add('shim-on-path', false, 'no pacman on PATH', install);
  if (facts.sudoSecurePath !== undefined) {
    const found = facts.sudoPacman;
    add('shim-in-sudo-secure-path', Boolean(found?.isShim),
      found?.isShim ? `sudo finds the shim (${found.path})` : `sudo's secure_path finds ${found?.path ?? 'no pacman'}, not the shim`,
      SUDO_FIX);
  }

  for (const [helper, found] of Object.entries(facts.pathHelpers ?? {})) {
    if (!found) continue;
    // Without its shim first a helper clones and builds unchecked; only its final pacman -U meets the pacman shim.
    add(`${helper}-shim-on-path`, found.isShim,
      found.isShim ? `${helper} on PATH is the shim (${found.path})` : `${helper} on PATH is ${found.path}, not the shim`,
      usrWritable ? `guard install, and put its --bindir before ${dirname(found.path)} on PATH` : `put the shims' directory before ${dirname(found.path)} on PATH (where none is installed: ${WRITABLE_INSTALL})`);
  }

  const ours = facts.hooks.filter((hook) => hook.name === HOOK_FILE);
  const installed = ours.find((hook) => hook.isOurs);
  if (!installed) add('hook-installed', false, `the libalpm hook ${HOOK_FILE} is not in ${facts.hookDirectories.join(', ')}`, usrWritable ? 'guard install --hookdir /etc/pacman.d/hooks' : install);
  else {
    const position = facts.hookDirectories.indexOf(installed.directory);
    const masking = ours.find((hook) => hook !== installed && facts.hookDirectories.indexOf(hook.directory) > position);
    add('hook-not-masked', !masking,
      masking ? `the hook in ${installed.directory} is masked by ${masking.directory}/${HOOK_FILE}${masking.masksWithDevNull ? ' (a link to /dev/null)' : ''}` : `the hook is installed in ${installed.directory}`,
      masking ? `rm ${masking.directory}/${HOOK_FILE}` : undefined);
  }

  add('units-enabled', facts.dropInInstalled && (facts.sysextServiceEnabled === undefined || facts.sysextServiceEnabled === 'enabled'),
    !facts.dropInInstalled ? 'the systemd-sysext.service drop-in is not installed'
      : facts.sysextServiceEnabled && facts.sysextServiceEnabled !== 'enabled' ? `systemd-sysext.service is ${facts.sysextServiceEnabled}` : 'the lock follows systemd-sysext.service',
    !facts.dropInInstalled ? install : 'systemctl enable systemd-sysext.service');

  if (facts.units) {
    // The units as systemd has them: every way one merges must have the lock before and the settle after.
    const units = facts.units;
    for (const [unit, text] of Object.entries(units)) {
      // A unit one of them pulls in (the guard's settle unit) is read as part of that one.
      if (!(MERGING_UNITS as readonly string[]).includes(unit)) continue;
      if (unit.includes('@.') && Object.keys(units).some((name) => name.endsWith('.socket') && unit.startsWith(name.slice(0, -'.socket'.length)))) continue; // checked through its socket
      const paths = uncoveredPaths(unit, text, (name) => units[name]);
      add(`unit:${unit}`, paths.length === 0,
        paths.length === 0 ? `${unit}: the lock follows every way it merges` : `merges without the guard: ${paths.join('; ')}`,
        'guard install, then systemctl daemon-reload; a drop-in of your own that resets these Exec lines must keep the guard\'s (docs/merge-paths.md)');
    }
  }

  const optMerged = facts.merged.some((entry) => entry.hierarchy === '/opt');
  if (optMerged && facts.packagesOwningOpt.length > 0) {
    add('opt-writable-for-packages', false, `/opt is a sysext hierarchy (read-only while merged), but ${facts.packagesOwningOpt.join(', ')} install files there`,
      'set SYSTEMD_SYSEXT_HIERARCHIES=/usr for systemd-sysext.service, or ship those packages as extensions');
  }
  if (facts.auditTrail) {
    // Said here, once, rather than as a warning on every refusal (a user can never write pacman.log).
    const { logFile, logWritable, journal } = facts.auditTrail;
    add('audit-trail', logWritable || journal,
      logWritable ? `refusals are recorded in ${logFile}${journal ? ' and the journal' : ''}`
        : journal ? `${logFile} is not writable for you: your refusals are recorded in the journal only (root's go to ${logFile} too)`
          : `${logFile} is not writable for you and the journal is not running: your refusals are not recorded`,
      `run pacman as root (sudo pacman), or start systemd-journald`);
    // guard hands the journal entry to a detached logger and cannot report its failure on each refusal.
    if (journal && facts.auditTrail.logger === false) {
      add('journal-writer', false, 'journald runs, but logger is not on PATH: refusals do not reach the journal', 'install util-linux (logger)');
    }
  }
  add('config-valid', facts.guardConfig.ok,
    facts.guardConfig.ok
      ? (facts.guardConfig.exists ? `/etc/pacman-guard.conf: Policy = ${facts.guardConfig.policy}` : `/etc/pacman-guard.conf does not exist: Policy = ${facts.guardConfig.policy} (the default)`)
      : facts.guardConfig.error,
    'correct /etc/pacman-guard.conf (see guard(8)); until then the shim refuses instead of redirecting');
  return findings;
}
