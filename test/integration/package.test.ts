/**
 * packaging/PKGBUILD built with real makepkg as an unprivileged user (nobody;
 * makepkg refuses root), from a copy of this checkout, then its contents
 * checked file by file and the installed guard and shim run from an extracted
 * copy. The build needs npm's registry (npm ci), as CI's own `npm ci` does.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { deriveFastPathRules } from '../../src/shim/fast-path.js';
import { HELPER_NAMES } from '../../src/helpers/options.js';
import { helperFastPathRules } from '../../src/shim/derive-helper-fast-path.js';
import { HELPER_SHIMS, helperShimSettings, renderHelperShim } from '../../src/shim/render-helper.js';
import { renderShim, type ShimSettings } from '../../src/shim/render.js';
import { readPacmanConfig } from '../../src/system/pacman-conf.js';
import { PROJECT_ROOT, describeInTestbed } from '../testbed/testbed.js';

/** Everything outside npm's tree (usr/lib/node_modules/pacman-guard/). */
const EXPECTED_FILES = [
  'etc/pacman-guard.conf',
  'etc/profile.d/pacman-guard.sh',
  'usr/bin/guard',
  'usr/lib/pacman-guard/bin/pacman',
  'usr/lib/pacman-guard/bin/paru',
  'usr/lib/pacman-guard/bin/yay',
  'usr/lib/systemd/system/pacman-guard-metrics.service',
  'usr/lib/systemd/system/pacman-guard-metrics.timer',
  'usr/lib/systemd/system/pacman-guard-settle.service',
  'usr/lib/systemd/system/systemd-confext.service.d/pacman-guard.conf',
  'usr/lib/systemd/system/systemd-confext@.service.d/pacman-guard.conf',
  'usr/lib/systemd/system/systemd-sysext.service.d/pacman-guard.conf',
  'usr/lib/systemd/system/systemd-sysext@.service.d/pacman-guard.conf',
  'usr/lib/systemd/system/systemd-sysupdate-notify-sysext@.service.d/pacman-guard.conf',
  'usr/share/bash-completion/completions/guard',
  'usr/share/doc/pacman-guard/README.md',
  'usr/share/doc/pacman-guard/sudoers.example',
  'usr/share/fish/vendor_completions.d/guard.fish',
  'usr/share/libalpm/hooks/00-pacman-guard.hook',
  'usr/share/licenses/pacman-guard/LICENSE',
  'usr/share/man/man8/guard.8.gz',
  'usr/share/zsh/site-functions/_guard',
];
const MODULE = 'usr/lib/node_modules/pacman-guard';
const GUARD_MAIN = `/${MODULE}/dist/cli/main.js`;
/** 2026-01-01: makepkg dates the package, and the PKGBUILD guard(8), from it. */
const SOURCE_DATE_EPOCH = '1767225600';

describeInTestbed('packaging/PKGBUILD', () => {
  let work: string;
  let packageFile: string;
  let listing: string[];
  const sh = (script: string) => execFileSync('bash', ['-euo', 'pipefail', '-c', script], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C', W: work } });
  // The build takes minutes on a busy machine: asynchronous, because a worker blocked that long
  // in execFileSync misses vitest's own calls and fails the run.
  const shAsync = async (script: string) => (await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', script], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C', W: work } })).stdout;
  const member = (path: string) => sh(`bsdtar -xOf "${packageFile}" ${path}`);

  beforeAll(async () => {
    // nobody must not reach the checkout (nor write into it): a copy under /tmp.
    work = mkdtempSync('/tmp/pacman-guard-package-');
    await shAsync(`
      tar -C "${PROJECT_ROOT}" --exclude=./node_modules --exclude=./dist --exclude=./.git \\
        --exclude=./packaging/src --exclude=./packaging/pkg --exclude='./packaging/*.pkg.tar*' -cf - . | tar -C "$W" -xf -
      cp "$W/test/testbed/makepkg.conf" "$W/makepkg.conf"
      mkdir "$W/out" "$W/home"
      chown -R nobody "$W"; chmod 755 "$W"
      cd "$W/packaging"
      if ! runuser -u nobody -- env HOME="$W/home" PKGDEST="$W/out" BUILDDIR="$W/build" SRCDEST="$W/packaging" \\
          SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH} makepkg --config "$W/makepkg.conf" --nodeps --noconfirm --nocolor >"$W/makepkg.log" 2>&1; then
        cat "$W/makepkg.log" >&2; exit 1
      fi`);
    const built = readdirSync(join(work, 'out'));
    expect(built).toHaveLength(1);
    packageFile = join(work, 'out', built[0]!);
    listing = sh(`bsdtar -tf "${packageFile}"`).split('\n').filter(Boolean);
    sh(`mkdir "$W/root" && bsdtar -xpf "${packageFile}" -C "$W/root"`);
  }, 1_200_000);
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("is named after package.json's version", () => {
    const { version } = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(packageFile.split('/').at(-1)).toBe(`pacman-guard-${version}-1-any.pkg.tar.gz`);
  });

  it("makepkg --packagelist names the file it built: what guard install's advice on a read-only /usr installs", () => {
    const listed = sh(`cd "$W/packaging" && runuser -u nobody -- env HOME="$W/home" PKGDEST="$W/out" BUILDDIR="$W/build" SRCDEST="$W/packaging" \\
      makepkg --config "$W/makepkg.conf" --packagelist`);
    expect(listed).toBe(`${packageFile}\n`);
  });

  it('installs the command, the shim, the hook, the drop-in, the man page, completions and the config', () => {
    const files = listing.filter((path) => !path.endsWith('/') && !path.startsWith('.') && !path.startsWith(`${MODULE}/`));
    expect(files.sort()).toEqual(EXPECTED_FILES);
    // npm's tree holds what package.json's "files" names and the runtime dependencies, nothing else.
    const moduleTop = new Set(listing.filter((path) => path.startsWith(`${MODULE}/`)).map((path) => path.slice(MODULE.length + 1).split('/')[0]!).filter(Boolean));
    expect([...moduleTop].sort()).toEqual(['LICENSE', 'README.md', 'dist', 'hooks', 'node_modules', 'package.json', 'wrappers']);
    expect(listing).toContain(GUARD_MAIN.slice(1));
    expect(listing.filter((path) => path.startsWith('usr/local/'))).toEqual([]);
    // Owned by root, directories 755 (npm leaves them group-writable and owned by the builder).
    const modes = sh(`bsdtar -tvf "${packageFile}" | grep -v ' \\.[A-Z]*$' | awk '{print $1, $3, $4}' | sort -u`);
    expect(modes.split('\n').filter(Boolean).sort()).toEqual(['-rw-r--r-- root root', '-rwxr-xr-x root root', 'drwxr-xr-x root root', 'lrwxrwxrwx root root']);
  });

  it('marks the config as a backup file and declares its dependencies', () => {
    const pkginfo = member('.PKGINFO');
    expect(pkginfo.match(/^backup = .*$/gm)).toEqual(['backup = etc/pacman-guard.conf']);
    expect(pkginfo.match(/^depend = .*$/gm)).toEqual(['depend = nodejs>=20', 'depend = pacman', 'depend = systemd', 'depend = util-linux', 'depend = libarchive']);
    expect(pkginfo.match(/^makedepend = .*$/gm)).toEqual(['makedepend = npm']);
    expect(pkginfo).toMatch(/^arch = any$/m);
    const { license } = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { license: string };
    expect(pkginfo.match(/^license = .*$/gm)).toEqual([`license = ${license}`]);
    expect(pkginfo).toMatch(new RegExp(`^builddate = ${SOURCE_DATE_EPOCH}$`, 'm'));
    expect(member('etc/pacman-guard.conf')).toBe(readFileSync(join(PROJECT_ROOT, 'packaging/pacman-guard.conf'), 'utf8'));
  });

  it('ships the runtime dependencies package-lock.json pins, and no development ones', () => {
    const lock = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string; dev?: boolean }> };
    const pinned = Object.entries(lock.packages).filter(([path, entry]) => path.startsWith('node_modules/') && !entry.dev).map(([path, entry]) => `${path} ${entry.version}`);
    // Every package.json in npm's tree that is a package the lock file knows (not a subdirectory's, e.g. dist/esm).
    const shipped = listing.filter((path) => path.startsWith(`${MODULE}/node_modules/`) && path.endsWith('/package.json'))
      .map((path) => path.slice(MODULE.length + 1, -'/package.json'.length))
      .filter((path) => lock.packages[path] !== undefined)
      .map((path) => `${path} ${(JSON.parse(member(`${MODULE}/${path}/package.json`)) as { version: string }).version}`);
    expect(shipped.sort()).toEqual(pinned.sort());
    expect(pinned.length).toBeGreaterThan(0);
  });

  it('refers to its installed paths, never to the build directory', async () => {
    expect(sh(`{ grep -rlF "$W" "$W/root" --exclude=.BUILDINFO --exclude=.MTREE || true; } | wc -l`)).toBe('0\n');
    const exec = `/usr/bin/node ${GUARD_MAIN}`;
    expect(sh('grep "^Exec" "$W/root/usr/share/libalpm/hooks/00-pacman-guard.hook"')).toBe(`Exec = ${exec} hook\n`);
    expect(sh('grep "^Exec" "$W/root/usr/lib/systemd/system/systemd-sysext.service.d/pacman-guard.conf"'))
      .toBe(`ExecStartPre=/bin/sh /${MODULE}/hooks/systemd/boot-lock.sh /var/lib/pacman-guard/boot-lock -- ${exec} lock --wait=120 --fit\nExecReload=\nExecReload=${exec} lock --wait=120 --fit\nExecReload=systemd-sysext refresh\nExecReload=${exec} settle\nExecStopPost=${exec} settle\n`);
    // The boot lock's script is in the package, where the drop-in names it.
    expect(sh(`bsdtar -tf "${packageFile}" ${MODULE}/hooks/systemd/boot-lock.sh`)).toBe(`${MODULE}/hooks/systemd/boot-lock.sh\n`);
    expect(sh('grep "^ExecStart" "$W/root/usr/lib/systemd/system/pacman-guard-settle.service"')).toBe(`ExecStart=${exec} settle\n`);
    // Shipped disabled: EXPECTED_FILES has no timers.target.wants/ link.
    expect(sh('grep "^ExecStart" "$W/root/usr/lib/systemd/system/pacman-guard-metrics.service"')).toBe(`ExecStart=${exec} metrics\n`);
    expect(sh(`readlink "$W/root/usr/bin/guard"`)).toBe(`../lib/node_modules/pacman-guard/dist/cli/main.js\n`);
    // The shim is exactly what src/shim/render.ts makes of the installed paths: one source of truth.
    const { dbPath } = await readPacmanConfig();
    const installed: ShimSettings = {
      realPacman: '/usr/bin/pacman',
      dbPath,
      sysextHierarchies: ['/usr', '/opt'],
      confextHierarchies: ['/etc'],
      node: '/usr/bin/node',
      guardMain: GUARD_MAIN,
    };
    expect(member('usr/lib/pacman-guard/bin/pacman')).toBe(renderShim(installed, deriveFastPathRules()));
    // So are the yay and paru shims, from src/shim/render-helper.ts, each running /usr/bin/<helper>.
    for (const helper of HELPER_NAMES) {
      expect(member(`usr/lib/pacman-guard/bin/${helper}`), helper).toBe(renderHelperShim(helper, helperShimSettings(helper, installed), helperFastPathRules(helper)));
    }
  });

  it('ships the pacman, yay and paru shims executable', () => {
    const shims = sh(`bsdtar -tvf "${packageFile}" usr/lib/pacman-guard/bin/ | awk '{print $1, $3, $4, $NF}' | sort`);
    expect(shims.split('\n').filter(Boolean)).toEqual(['pacman', 'paru', 'yay'].map((name) => `-rwxr-xr-x root root usr/lib/pacman-guard/bin/${name}`).concat(['drwxr-xr-x root root usr/lib/pacman-guard/bin/']).sort());
  });

  it('runs: guard from the extracted package, its man page and completions', () => {
    expect(sh('"$W/root/usr/bin/guard" --version')).toMatch(/^guard \(pacman-guard\) \d+\.\d+\.\d+\n$/);
    const man = sh('gzip -dc "$W/root/usr/share/man/man8/guard.8.gz"');
    expect(man).toMatch(/^\.TH GUARD 8 "2026-01-01" "pacman-guard \d+\.\d+\.\d+"/);
    for (const section of ['.SH THE PACMAN SHIM', '.SH THE LIBALPM HOOK', '.I /usr/lib/pacman\\-guard/bin/pacman', '.I /etc/pacman\\-guard.conf']) {
      expect(man).toContain(section);
    }
    expect(sh('bash -n "$W/root/usr/share/bash-completion/completions/guard" && echo ok')).toBe('ok\n');
    expect(sh('grep -c "^#compdef guard" "$W/root/usr/share/zsh/site-functions/_guard"')).toBe('1\n');
    expect(sh('grep -c "^complete -c guard" "$W/root/usr/share/fish/vendor_completions.d/guard.fish"')).not.toBe('0\n');
  });

  it('puts the shims first on PATH, and they pass pacman and the helpers through on this disengaged host', () => {
    expect(sh('PATH=/usr/bin:/bin; . "$W/root/etc/profile.d/pacman-guard.sh"; . "$W/root/etc/profile.d/pacman-guard.sh"; echo "$PATH"'))
      .toBe('/usr/lib/pacman-guard/bin:/usr/bin:/bin\n');
    expect(sh('grep "^Defaults" "$W/root/usr/share/doc/pacman-guard/sudoers.example"')).toMatch(/^Defaults secure_path="\/usr\/lib\/pacman-guard\/bin:/);
    const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: 'C' };
    delete env.PACMAN_GUARD_REAL_PACMAN;
    for (const args of [['-V'], ['-Q'], ['-Qi', 'pacman-guard-no-such-package']]) {
      const viaShim = spawnSync('sh', [join(work, 'root/usr/lib/pacman-guard/bin/pacman'), ...args], { encoding: 'utf8', env });
      const direct = spawnSync('/usr/bin/pacman', args, { encoding: 'utf8', env });
      expect({ status: viaShim.status, stdout: viaShim.stdout, stderr: viaShim.stderr }, args.join(' ')).toEqual({ status: direct.status, stdout: direct.stdout, stderr: direct.stderr });
    }
    // The helper shims hand a disengaged host's command line to the helper untouched (echo stands in for it).
    for (const helper of HELPER_NAMES) {
      const viaShim = spawnSync('sh', [join(work, `root/usr/lib/pacman-guard/bin/${helper}`), '-Ss', 'a b'], { encoding: 'utf8', env: { ...env, [HELPER_SHIMS[helper].realVariable]: '/bin/echo' } });
      expect({ status: viaShim.status, stdout: viaShim.stdout, stderr: viaShim.stderr }, helper).toEqual({ status: 0, stdout: '-Ss a b\n', stderr: '' });
    }
  });
});
