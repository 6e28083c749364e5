/**
 * `guard extend` and the redirect policy in the namespace testbed: real
 * pacman resolving and downloading from the [guardtest] file:// repository,
 * real bsdtar, real systemd-sysext refresh, the real database lock.
 */
import { expect, it } from 'vitest';
import { buildAurPackage } from '../testbed/aur-package.js';
import { describeInTestbed, runInTestbed } from '../testbed/testbed.js';

const INSTALL = '$GUARD install --bindir /run/guard-bin --hookdir /etc/pacman.d/hooks --unitdir /run/units --manifest /run/guard-installed.json >/dev/null';
/** Everything in pacman's real database directory (beneath the view of merged packages), hashed. */
const DB_DIGEST = 'testbed_real_db_digest';
const MERGED = 'cat /usr/.systemd-sysext/extensions | tr "\\n" " "; echo';
const LIBRARY_HOOK = `mkdir -p /etc/pacman.d/hooks
cat >/etc/pacman.d/hooks/guardtest-cache.hook <<'HOOK'
[Trigger]
Operation = Install
Operation = Upgrade
Type = Path
Target = usr/lib/guardtest/*

[Action]
Description = Updating the guardtest library cache...
When = PostTransaction
Exec = /bin/true
HOOK`;

describeInTestbed('guard extend', () => {
  it('builds an extension from a package and the dependency the base lacks, merges it, and leaves the database alone', async () => {
    const result = await runInTestbed(`
      ${INSTALL}
      ${LIBRARY_HOOK}
      before=$(${DB_DIGEST})
      $GUARD extend guardtest-tool; echo "extend $?"
      guardtest-tool
      cat /usr/lib/guardtest/libguardtest.so.1
      ${MERGED}
      test "$(${DB_DIGEST})" = "$before" && echo "database unchanged"
      [ -w /var/lib/pacman ] || echo ro
      test -e /etc/guardtest-tool.conf || echo "no /etc file"
      . /etc/os-release
      grep -x "ID=$ID" /usr/lib/extension-release.d/extension-release.guardtest-tool >/dev/null && echo "ID matches"
      grep -x "VERSION_ID=$VERSION_ID" /usr/lib/extension-release.d/extension-release.guardtest-tool >/dev/null && echo "VERSION_ID matches"
      grep -c '^ARCHITECTURE=' /usr/lib/extension-release.d/extension-release.guardtest-tool
      node -e 'const p = require("/usr/share/pacman-guard/extensions/guardtest-tool.json"); console.log(p.packages.map((e) => [e.name, e.version, e.explicit, e.sha256.length].join(" ")).join("\\n"))'
      ls /var/cache/pacman/pkg
      ls -A /var/lib/extensions`, { merged: true, locked: true });
    expect(result.stdout, result.stderr).toBe([
      ':: Resolving packages...',
      ':: Retrieving 2 package(s): guardtest-lib-1.0-1 guardtest-tool-2.0-3',
      ':: Extracting packages...',
      ':: Merging extension guardtest-tool...',
      'built and merged extension guardtest-tool: /var/lib/extensions/guardtest-tool',
      '    guardtest-lib 1.0-1 (dependency)',
      '    guardtest-tool 2.0-3',
      'extend 0',
      'guardtest-tool 2.0',
      'guardtest library',
      'guardtest-tool sample ',
      'database unchanged',
      'ro',
      'no /etc file',
      'ID matches',
      'VERSION_ID matches',
      '1',
      'guardtest-lib 1.0-1 false 64',
      'guardtest-tool 2.0-3 true 64',
      'guardtest-dep-1.0-1-any.pkg.tar.gz',
      'guardtest-lib-1.0-1-any.pkg.tar.gz',
      'guardtest-tool-2.0-3-any.pkg.tar.gz',
      'guardtest-tool',
      '',
    ].join('\n'));
    // What the extension cannot carry is said, not dropped; the guard's own hook is not news.
    expect(result.stderr).toContain([
      "warning: guardtest-tool: 2 path(s) outside the extension's hierarchies are not carried:",
      '    /etc/guardtest-tool.conf',
      '    /var/lib/guardtest-tool/',
      'warning: guardtest-tool: its install scriptlet did not run (post_install, post_upgrade)',
      'warning: guardtest-tool: declares system users and groups nobody created (/usr/lib/sysusers.d/guardtest-tool.conf); run: systemd-sysusers',
      'warning: hooks an installation would have run did not run:',
      '    guardtest-cache.hook: Updating the guardtest library cache...',
    ].join('\n'));
    expect(result.stderr).not.toContain('00-pacman-guard');
  });

  it('rebuilds in place, lists, and --remove takes it back out', async () => {
    const result = await runInTestbed(`
      before=$(${DB_DIGEST})
      $GUARD extend guardtest-tool >/dev/null 2>&1; echo "first $?"
      $GUARD extend guardtest-tool 2>/dev/null | grep merged; echo "again $?"
      ls -A /var/lib/extensions
      $GUARD extend --list
      $GUARD extend --remove guardtest-tool; echo "remove $?"
      test -e /usr/bin/guardtest-tool || echo "gone from /usr"
      ${MERGED}
      ls -A /var/lib/extensions | wc -l
      test "$(${DB_DIGEST})" = "$before" && echo "database unchanged"
      $GUARD extend --remove guardtest-tool; echo "remove again $?"
      $GUARD extend --remove sample; echo "remove sample $?"`, { merged: true, locked: true });
    expect(result.stdout, result.stderr).toBe([
      'first 0',
      'rebuilt and merged extension guardtest-tool: /var/lib/extensions/guardtest-tool',
      'again 0',
      'guardtest-tool',
      'guardtest-tool           merged      guardtest-lib 1.0-1, guardtest-tool 2.0-3',
      'removed extension guardtest-tool',
      'remove 0',
      'gone from /usr',
      'sample ',
      '0',
      'database unchanged',
      'remove again 2',
      'remove sample 2',
      '',
    ].join('\n'));
    expect(result.stderr).toContain('error: extension guardtest-tool not found in /var/lib/extensions');
  });

  it('counts packages other extensions carry as installed', async () => {
    const result = await runInTestbed(`
      $GUARD extend guardtest-lib >/dev/null 2>&1; echo "lib $?"
      $GUARD extend guardtest-tool 2>/dev/null | grep -A3 '^built'; echo "tool $?"
      guardtest-tool
      ${MERGED}`, { merged: true, locked: true });
    expect(result.stdout, result.stderr).toBe([
      'lib 0',
      'built and merged extension guardtest-tool: /var/lib/extensions/guardtest-tool',
      '    guardtest-tool 2.0-3',
      'tool 0',
      'guardtest-tool 2.0',
      'guardtest-lib guardtest-tool sample ',
      '',
    ].join('\n'));
  });

  it('refuses files that would shadow the base, by name, and leaves no trace', async () => {
    const result = await runInTestbed(`
      state() { ${MERGED}; ls -A /var/lib/extensions | wc -l; }
      before=$(state)
      $GUARD extend guardtest-clash; echo "clash $?"
      $GUARD extend guardtest-dep; echo "base package $?"
      # The base's symlink is made before the merge: a merged /usr is read-only.
      testbed_unmerge; ln -s /usr/share /usr/lib/guardtest; testbed_merge_extension sample 2>/dev/null
      $GUARD extend guardtest-lib; echo "directory over a symlink $?"
      test "$(state)" = "$before" && echo "nothing changed"
      cat /usr/share/guardtest-dep/data`, { merged: true, locked: true });
    expect(result.stdout).toContain('clash 3\n');
    expect(result.stdout).toContain('base package 3\n');
    expect(result.stdout).toContain('directory over a symlink 3\n');
    expect(result.stdout).toMatch(/nothing changed\nguardtest-dep data\n$/);
    expect(result.stderr).toContain([
      'error: refusing to build the extension: 1 file would silently shadow existing ones',
      '  /usr/share/guardtest-dep/data (guardtest-clash) exists in base package guardtest-dep',
    ].join('\n'));
    expect(result.stderr).toContain('error: guardtest-dep is installed on the base system; an extension cannot replace base packages');
    expect(result.stderr).toContain('  /usr/lib/guardtest (guardtest-lib) exists in a non-directory on the running system');
  });

  it('a failed download, a broken package file and a bad name change nothing', async () => {
    const result = await runInTestbed(`
      state() { ${MERGED}; ls -A /var/lib/extensions | wc -l; }
      before=$(state)
      rm "$TESTBED_REPO"/guardtest-lib-1.0-1-any.pkg.tar.gz
      $GUARD extend guardtest-tool >/dev/null; echo "download $?"
      head -c 100 "$TESTBED_PKGS/guardtest-extra-1.0-1-any.pkg.tar.gz" >/run/testbed/broken-1-1-any.pkg.tar.gz
      $GUARD extend /run/testbed/broken-1-1-any.pkg.tar.gz >/dev/null; echo "broken $?"
      $GUARD extend --name 'a:b' guardtest-extra >/dev/null; echo "name $?"
      $GUARD extend nosuchpackage >/dev/null; echo "unknown $?"
      $GUARD extend --bogus; echo "option $?"
      test "$(state)" = "$before" && echo "nothing changed"
      ls -A "$TMPDIR" | grep -c pacman-guard-extend`, { merged: true, locked: true });
    expect(result.stdout, result.stderr).toBe('download 1\nbroken 1\nname 2\nunknown 1\noption 2\nnothing changed\n0\n');
    expect(result.stderr).toMatch(/error: cannot download the packages: .*guardtest-lib/);
    expect(result.stderr).toContain('error: cannot read the package files:');
    expect(result.stderr).toContain("error: invalid extension name 'a:b'");
    expect(result.stderr).toContain('error: cannot resolve the packages: target not found: nosuchpackage');
    expect(result.stderr).toContain("error: unknown option '--bogus'");
  });
});

/** makepkg as nobody, as an AUR helper does it (dependencies not checked: the base lacks guardtest-lib), then the shim installed. */
const BUILD_AUR_PACKAGE = `${buildAurPackage({ depends: 'guardtest-lib', nodeps: true })}
${INSTALL}
shim() { PATH=/run/guard-bin:$PATH pacman "$@"; }
before=$(${DB_DIGEST})
`;

describeInTestbed('the redirect policy, end to end with makepkg', () => {
  it('under refuse, pacman -U of a built package is refused and names guard extend', async () => {
    const result = await runInTestbed(`${BUILD_AUR_PACKAGE}
      shim -U --noconfirm "$built"; echo "refuse $?"
      test "$(${DB_DIGEST})" = "$before" && echo "database unchanged"
      test -e /usr/bin/aurpkg-hello || echo "not installed"`, { merged: true, locked: true });
    expect(result.stdout, result.stderr).toBe('refuse 3\ndatabase unchanged\nnot installed\n');
    expect(result.stderr).toContain("error: refusing 'pacman -U --noconfirm /run/testbed/tmp/aur/out/aurpkg-hello-0.1-1-any.pkg.tar.gz' (installing package files)");
    expect(result.stderr).toContain(':: Or build a system extension from them instead of installing:\n    guard extend /run/testbed/tmp/aur/out/aurpkg-hello-0.1-1-any.pkg.tar.gz');
  });

  it('under redirect, it becomes a merged extension, pacman -S too, and --remove brings the system back', async () => {
    const result = await runInTestbed(`${BUILD_AUR_PACKAGE}
      printf '[options]\\nPolicy = redirect\\n' >/etc/pacman-guard.conf
      shim -U --noconfirm "$built" >/run/out 2>/run/err; echo "redirect $?"
      aurpkg-hello
      ${MERGED}
      systemd-sysext list | awk 'NR > 1 { print $1 }' | tr '\\n' ' '; echo
      /usr/bin/pacman -Q aurpkg-hello guardtest-lib
      test "$(${DB_DIGEST})" = "$before" && echo "database unchanged"
      grep -c 'PACMAN-GUARD.*redirected' /var/log/pacman.log
      shim -S --noconfirm guardtest-extra >/dev/null 2>&1; echo "sync redirect $?"
      cat /usr/share/guardtest-extra/file
      # Upgrades and removals go to guard update (update.test.ts); cleaning and downloads stay refused.
      shim -Sc --noconfirm 2>/dev/null; echo "cache cleaning still refused $?"
      shim -Sw --noconfirm guardtest 2>/dev/null; echo "download still refused $?"
      $GUARD extend --remove aurpkg-hello >/dev/null; $GUARD extend --remove guardtest-extra >/dev/null
      test -e /usr/bin/aurpkg-hello || echo "removed"
      ${MERGED}
      test "$(${DB_DIGEST})" = "$before" && echo "database unchanged"
      cat /run/out`, { merged: true, locked: true, timeoutMs: 500_000 });
    expect(result.stdout, result.stderr).toBe([
      'redirect 0',
      'hello from the AUR',
      'aurpkg-hello sample ',
      'aurpkg-hello sample ',
      'aurpkg-hello 0.1-1',
      'guardtest-lib 1.0-1',
      'database unchanged',
      '1',
      'sync redirect 0',
      'guardtest-extra file',
      'cache cleaning still refused 3',
      'download still refused 3',
      'removed',
      'sample ',
      'database unchanged',
      ':: pacman-guard: system extensions are merged on /usr (sample) and /var/lib/pacman is locked read-only; building a system extension instead of installing (Policy = redirect)',
      '    guard extend /run/testbed/tmp/aur/out/aurpkg-hello-0.1-1-any.pkg.tar.gz',
      ':: Resolving packages...',
      ':: Retrieving 2 package(s): guardtest-lib-1.0-1 aurpkg-hello-0.1-1',
      ':: Extracting packages...',
      ':: Merging extension aurpkg-hello...',
      'built and merged extension aurpkg-hello: /var/lib/extensions/aurpkg-hello',
      '    guardtest-lib 1.0-1 (dependency)',
      '    aurpkg-hello 0.1-1',
      "pacman sees the packages while extension aurpkg-hello is merged; its database is unchanged; to undo: guard extend --remove aurpkg-hello",
      '',
    ].join('\n'));
    // Generous: makepkg, two extensions and their merges on a busy 2-core machine.
  }, 600_000);

  it("under redirect, an AUR helper's whole sequence succeeds: pacman -U, then pacman -D of what it built; pacman -S - reads stdin", async () => {
    const result = await runInTestbed(`${BUILD_AUR_PACKAGE}
      printf '[options]\\nPolicy = redirect\\n' >/etc/pacman-guard.conf
      # yay and paru: install what they built, then mark it explicit and its dependencies as such.
      shim -U --noconfirm "$built" >/dev/null 2>&1; echo "install $?"
      shim -D -q --asexplicit aurpkg-hello; echo "mark explicit $?"
      shim -D --asdeps aurpkg-hello guardtest-lib; echo "mark deps $?"
      shim -D --asdeps guardtest-dep 2>/dev/null; echo "mark a base package $?"
      shim -D --asdeps aurpkg-hello nosuchpackage 2>/dev/null; echo "mark an unknown package $?"
      grep -c 'PACMAN-GUARD.*skipped' /var/log/pacman.log
      # aurutils (aur sync -u): the upgrades on stdin, one per line.
      printf 'guardtest-extra\\n' | shim -S --noconfirm - >/dev/null 2>&1; echo "stdin $?"
      cat /usr/share/guardtest-extra/file
      shim -S - </dev/null; echo "empty stdin $?"
      test "$(${DB_DIGEST})" = "$before" && echo "database unchanged"`, { merged: true, locked: true });
    expect(result.stdout, result.stderr).toBe([
      'install 0',
      ':: pacman-guard: aurpkg-hello is in system extensions (aurpkg-hello), which pacman sees read-only: the install reason stays as the extension records it (Policy = redirect)',
      'mark explicit 0',
      ':: pacman-guard: aurpkg-hello, guardtest-lib are in system extensions (aurpkg-hello), which pacman sees read-only: the install reason stays as the extension records it (Policy = redirect)',
      'mark deps 0',
      'mark a base package 3',
      'mark an unknown package 3',
      '2',
      'stdin 0',
      'guardtest-extra file',
      'empty stdin 1',
      'database unchanged',
      '',
    ].join('\n'));
    expect(result.stderr).toContain("error: argument '-' specified with empty stdin");
  });

  it('an invalid policy file fails closed: the install is refused and the file named', async () => {
    const result = await runInTestbed(`${BUILD_AUR_PACKAGE}
      printf '[options]\\nPolicy = redirekt\\n' >/etc/pacman-guard.conf
      shim -U --noconfirm "$built"; echo "invalid $?"
      test -e /usr/bin/aurpkg-hello || echo "not installed"
      ls -A /var/lib/extensions | wc -l
      shim -Q guardtest-dep; echo "query $?"`, { merged: true, locked: true });
    expect(result.stdout, result.stderr).toBe('invalid 3\nnot installed\n0\nguardtest-dep 1.0-1\nquery 0\n');
    expect(result.stderr).toContain([
      "error: /etc/pacman-guard.conf:2: invalid value 'redirekt' for Policy (expected refuse or redirect)",
      '  the configuration is invalid, so pacman-guard refuses instead of redirecting (fail closed)',
      "error: refusing 'pacman -U --noconfirm",
    ].join('\n'));
  });
});
