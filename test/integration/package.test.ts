/**
 * packaging/PKGBUILD built with real makepkg as an unprivileged user, from a
 * copy of this checkout, then its contents checked file by file and the
 * installed guard and shim run from an extracted copy.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PROJECT_ROOT, describeInTestbed } from '../testbed/testbed.js';

const EXPECTED_FILES = [
  'etc/pacman-guard.conf',
  'etc/profile.d/pacman-guard.sh',
  'usr/bin/guard',
  'usr/lib/pacman-guard/bin/pacman',
  'usr/lib/systemd/system/systemd-sysext.service.d/pacman-guard.conf',
  'usr/share/bash-completion/completions/guard',
  'usr/share/doc/pacman-guard/README.md',
  'usr/share/doc/pacman-guard/sudoers.example',
  'usr/share/fish/vendor_completions.d/guard.fish',
  'usr/share/libalpm/hooks/00-pacman-guard.hook',
  'usr/share/licenses/pacman-guard/LICENSE',
  'usr/share/man/man8/guard.8.gz',
  'usr/share/zsh/site-functions/_guard',
];

describeInTestbed('packaging/PKGBUILD', () => {
  let work: string;
  let packageFile: string;
  let root: string;
  const sh = (script: string) => execFileSync('bash', ['-euo', 'pipefail', '-c', script], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C', W: work } });

  beforeAll(() => {
    // makepkg refuses root and nobody must reach the checkout: a copy under /tmp.
    work = mkdtempSync('/tmp/pacman-guard-package-');
    sh(`
      tar -C "${PROJECT_ROOT}" --exclude=./node_modules --exclude=./dist --exclude=./.git -cf - . | tar -C "$W" -xf -
      cp "$W/test/testbed/makepkg.conf" "$W/makepkg.conf"
      mkdir "$W/out" "$W/home"
      chown -R nobody "$W"; chmod 755 "$W"
      cd "$W/packaging"
      if ! runuser -u nobody -- env HOME="$W/home" PKGDEST="$W/out" BUILDDIR="$W/build" SRCDEST="$W/packaging" \\
          makepkg --config "$W/makepkg.conf" --nodeps --noconfirm --nocolor >"$W/makepkg.log" 2>&1; then
        cat "$W/makepkg.log" >&2; exit 1
      fi`);
    const built = readdirSync(join(work, 'out'));
    expect(built).toHaveLength(1);
    packageFile = join(work, 'out', built[0]!);
    root = join(work, 'root');
    sh(`mkdir "$W/root" && bsdtar -xpf "${packageFile}" -C "$W/root"`);
  }, 600_000);
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('is named after package.json\'s version', () => {
    const { version } = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(packageFile.split('/').at(-1)).toBe(`pacman-guard-${version}-1-any.pkg.tar.gz`);
  });

  it('installs the command, the shim, the hook, the drop-in, the man page, completions and the config', () => {
    const files = sh(`bsdtar -tf "${packageFile}"`).split('\n').filter((path) => path && !path.endsWith('/') && !path.startsWith('.')
      && !path.startsWith('usr/lib/node_modules/'));
    expect(files.sort()).toEqual(EXPECTED_FILES);
    expect(sh(`bsdtar -tf "${packageFile}" | grep -c '^usr/lib/node_modules/pacman-guard/dist/cli/main.js$'`)).toBe('1\n');
    // Nothing in /usr/local, as packages must not.
    expect(sh(`bsdtar -tf "${packageFile}" | grep -c '^usr/local/' || true`)).toBe('0\n');
  });

  it('marks the config as a backup file and declares its dependencies', () => {
    const pkginfo = sh(`bsdtar -xOf "${packageFile}" .PKGINFO`);
    expect(pkginfo.match(/^backup = .*$/gm)).toEqual(['backup = etc/pacman-guard.conf']);
    expect(pkginfo.match(/^depend = .*$/gm)).toEqual(['depend = nodejs>=20', 'depend = pacman', 'depend = systemd', 'depend = util-linux', 'depend = libarchive']);
    expect(pkginfo).toMatch(/^arch = any$/m);
    expect(pkginfo).toMatch(/^license = MIT$/m);
  });

  it('refers to its installed paths, never to the build directory', () => {
    expect(sh(`{ grep -rlF "$W" "$W/root" --exclude=.BUILDINFO --exclude=.MTREE || true; } | wc -l`)).toBe('0\n');
    expect(sh('grep "^Exec" "$W/root/usr/share/libalpm/hooks/00-pacman-guard.hook"')).toBe('Exec = /usr/bin/node /usr/lib/node_modules/pacman-guard/dist/cli/main.js hook\n');
    expect(sh('grep -E "^(node|guard_main|real_pacman)=" "$W/root/usr/lib/pacman-guard/bin/pacman"')).toBe([
      "real_pacman=${PACMAN_GUARD_REAL_PACMAN:-'/usr/bin/pacman'}",
      "node='/usr/bin/node'",
      "guard_main='/usr/lib/node_modules/pacman-guard/dist/cli/main.js'",
      '',
    ].join('\n'));
    expect(sh('stat -c "%U:%G %a" "$W/root/usr/bin" "$W/root/usr/lib/node_modules/pacman-guard" "$W/root/usr/lib/pacman-guard/bin/pacman"')).toBe('root:root 755\nroot:root 755\nroot:root 755\n');
  });

  it('runs: guard from the extracted package, its man page, and the shim passing pacman -V through', () => {
    expect(sh('"$W/root/usr/bin/guard" --version')).toMatch(/^guard \(pacman-guard\) \d+\.\d+\.\d+\n$/);
    expect(sh('gzip -dc "$W/root/usr/share/man/man8/guard.8.gz" | grep -c "^\\.TH GUARD 8"')).toBe('1\n');
    expect(sh('bash -n "$W/root/usr/share/bash-completion/completions/guard" && echo ok')).toBe('ok\n');
    expect(sh('sh "$W/root/usr/lib/pacman-guard/bin/pacman" -V | grep -c "Pacman v"')).toBe('1\n');
    expect(sh('. "$W/root/etc/profile.d/pacman-guard.sh"; echo "${PATH%%:*}"')).toBe('/usr/lib/pacman-guard/bin\n');
  });
});
