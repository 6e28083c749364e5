/**
 * The hot paths load only what they need: the refusal through the shim, the
 * libalpm hook (engaged and not) and guard status load a fixed number of
 * files (the bundled entry point and the modules left in place beside it,
 * scripts/bundle.mjs), no dependency (execa, proper-lockfile), nothing of
 * guard extend and nothing of guard docs. Each path is traced by
 * test/support/module-trace.mjs in its own run. What the bundle holds is
 * counted from its source map: the TypeScript modules the hot paths carry.
 *
 * The counts are deliberate: a new import on one of these paths costs every
 * refusal, hook and status its load time. If you add one on purpose, update
 * the number here (the failure prints the list) and say why in the commit.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT, describeInTestbed, runInTestbed } from '../testbed/testbed.js';

const TRACE = `${PROJECT_ROOT}/test/support/module-trace.mjs`;

/** The modules one command line loads: file URLs relative to the project, each once, sorted. */
async function modulesLoaded(command: string, state: { merged?: boolean; locked?: boolean }): Promise<string[]> {
  const result = await runInTestbed(`
    $GUARD status >/dev/null || true  # the tool cache warm, as on any system after its first run
    MODULE_TRACE_FILE=/run/testbed/modules NODE_OPTIONS="--import=${TRACE}" ${command} >/dev/null 2>&1 || true
    sort -u /run/testbed/modules`, state);
  return result.stdout.trim().split('\n').map((url) => url.replace(`file://${PROJECT_ROOT}/`, ''));
}

const engaged = { merged: true, locked: true };
// 1: the bundle alone. dist/version.js (which reads package.json) was the second until issue 16: only --version imports it now.
const PATHS = [
  // [what, command line, state, modules]
  ['the refusal through the shim', '$PROJECT_ROOT/wrappers/pacman -S --noconfirm guardtest-extra', engaged, 1],
  ['the hook, engaged', '$GUARD hook', engaged, 1],
  ['the hook, disengaged', '$GUARD hook', {}, 1],
  ['guard status', '$GUARD status', engaged, 1],
] as const;

describeInTestbed('modules loaded on the hot paths', () => {
  it.each(PATHS)('%s', async (_what, command, state, count) => {
    const modules = await modulesLoaded(command, state);
    // Guard's own modules only: no dependency, nothing of extend or docs.
    expect(modules.filter((module) => !module.startsWith('dist/') || /^dist\/(extend\/|cli\/docs\.js|cli\/commands\/docs\.js)/.test(module))).toEqual([]);
    expect(modules).toContain('dist/cli/main.js');
    expect({ count: modules.length, modules }).toEqual({ count, modules });
  });
});

describe('the bundled entry point', () => {
  it('carries the hot paths\' modules: a fixed number, none of extend or docs', () => {
    const map = JSON.parse(readFileSync(`${PROJECT_ROOT}/dist/cli/main.js.map`, 'utf8')) as { sources: string[] };
    const modules = map.sources.map((source) => source.replace(/^(\.\.\/)+/, '')).sort();
    expect(modules.filter((module) => !module.startsWith('src/') || /^src\/(extend\/|cli\/docs\.ts|cli\/commands\/docs\.ts)/.test(module))).toEqual([]);
    // 48: the probe reads pacman's view of the merged packages (src/system/view-state.ts) since issue 12.
    // 50: which database a line locks, per pacman build (src/pacman/location.ts, src/system/path-lookup.ts), issues 21 and 22.
    // 51: src/pacman/timestamp.ts, the one time format every refusal and status shows (issue 24).
    // 54 (issue 21): the one reader of the merge state (src/system/merge-state.ts), the status document
    // moved below cli/ (src/status/document.ts), and the entry parser status uses to tell a stale view
    // from an entry that cannot be shown (src/pacman/local-entry.ts).
    // 55 (issue 23): the process identity the update record and the lock holder share (src/system/process-identity.ts).
    // 56: /etc/pacman-guard.conf's syntax (src/policy/config.ts, pure) and its reading
    // (src/system/guard-config-file.ts, an effect) are two modules where src/config/ was one.
    expect({ count: modules.length, modules }).toEqual({ count: 56, modules });
  });
});

describe('the commands left in dist/', () => {
  it('report their errors as guard\'s own, though the bundle holds another copy of GuardError', () => {
    let failure: { status?: number; stderr?: string } = {};
    try {
      execFileSync('node', [`${PROJECT_ROOT}/dist/cli/main.js`, 'docs', 'nonsense'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      failure = error as typeof failure;
    }
    expect({ status: failure.status, stderr: failure.stderr }).toEqual({ status: 2, stderr: 'error: expected one of man, bash, zsh, fish\n  e.g. guard docs man > guard.8\n' });
  });
});

describeInTestbed('modules loaded by guard update', () => {
  it('its own bundle, no execa: guard extend\'s dependency is imported only where a rebuild runs it', async () => {
    // One package added to the base under a merged extension: the window, the check of the extensions and the merge all run.
    const result = await runInTestbed(`
      mount --bind /usr /usr && mount -o remount,bind,ro /usr
      testbed_merge_extension sample >/dev/null 2>&1; testbed_lock_db
      MODULE_TRACE_FILE=/run/testbed/modules NODE_OPTIONS="--import=${TRACE}" $GUARD update -S --noconfirm guardtest-extra >/run/testbed/update.out 2>&1; echo "update $?"
      grep '^:: Checking' /run/testbed/update.out
      sort -u /run/testbed/modules`);
    const [status, checking, ...urls] = result.stdout.trim().split('\n');
    expect([status, checking]).toEqual(['update 0', ':: Checking system extensions against the new base...']);
    const modules = urls.map((url) => url.replace(`file://${PROJECT_ROOT}/`, ''));
    expect(modules.filter((module) => module.includes('node_modules/execa/'))).toEqual([]);
    // The bundle (scripts/bundle.mjs), and beside it only the modules that find files beside themselves (and theirs).
    expect(modules.filter((module) => module.startsWith('dist/'))).toEqual([
      'dist/cli/commands/update.js', 'dist/cli/main.js', 'dist/errors.js', 'dist/exit-codes.js', 'dist/install/hook-file.js', 'dist/version.js',
    ]);
  });
});
