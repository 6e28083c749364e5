/**
 * `guard extend` and the redirect policy in the namespace testbed: real
 * pacman resolving and downloading from the [guardtest] file:// repository,
 * real bsdtar, real systemd-sysext refresh, the real database lock.
 */
import { expect, it } from 'vitest';
import { buildAurPackage } from '../testbed/aur-package.js';
import { describeInTestbed, runInTestbed } from '../testbed/testbed.js';
import { pacmanBuilds } from '../support/pacman-builds.js';

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

/**
 * A package the repository gained after the last real `pacman -Sy` (two hours
 * ago), one hour ago: earlier than now, as a mirror's database is when
 * `guard extend -y` runs. Then the database is locked.
 */
const ADD_TO_REPOSITORY = `${buildAurPackage({ depends: 'guardtest-lib', nodeps: true })}
cp "$built" "$TESTBED_REPO/"
repo-add --quiet "$TESTBED_REPO/guardtest.db.tar.gz" "$TESTBED_REPO/aurpkg-hello-0.1-1-any.pkg.tar.gz" >/dev/null
touch -d '-2 hours' /var/lib/pacman/sync/*
touch -d '-1 hour' "$TESTBED_REPO/guardtest.db.tar.gz" "$TESTBED_REPO/guardtest.files.tar.gz"
testbed_lock_db
`;

/** pacman 7.1.0 as released, from the differential test's list of builds. */
const PACMAN_7 = pacmanBuilds().find((build) => build.label === '7.1.0');

describeInTestbed('guard extend -y', () => {
  it('refreshes for real: a package added to the repository after the last -Sy is found, and the real sync databases stay as they were', async () => {
    const result = await runInTestbed(`${ADD_TO_REPOSITORY}
      sums() { sha256sum /var/lib/pacman/sync/*; stat -c '%n %Y' /var/lib/pacman/sync/*; }
      before=$(sums)
      $GUARD extend aurpkg-hello >/dev/null; echo "without -y $?"
      $GUARD extend -y aurpkg-hello 2>/dev/null | grep '^built'; echo "with -y $?"
      aurpkg-hello
      test "$(sums)" = "$before" && echo "real sync databases unchanged"`, { merged: true });
    expect(result.stdout, result.stderr).toBe([
      'without -y 1',
      'built and merged extension aurpkg-hello: /var/lib/extensions/aurpkg-hello',
      'with -y 0',
      'hello from the AUR',
      'real sync databases unchanged',
      '',
    ].join('\n'));
    expect(result.stderr).toContain('error: cannot resolve the packages: target not found: aurpkg-hello');
  });

  const label = PACMAN_7 ? `pacman ${PACMAN_7.label}` : 'pacman 7 (not built)';
  it(`under ${label} with DownloadUser = alpm, as Arch's pacman.conf has it: -y and the download work`, async () => {
    if (!PACMAN_7?.binary || !PACMAN_7.prefix) throw new Error(`no pacman 7 build: ${pacmanBuilds().map((build) => build.missing).filter(Boolean).join('; ')}`);
    const result = await runInTestbed(`${ADD_TO_REPOSITORY}
      # Arch's alpm user (sysusers.d/alpm.conf in pacman's sources: u alpm - "Arch Linux Package Management" /); /etc is the testbed's.
      useradd --system --no-create-home --home-dir / --shell /usr/sbin/nologin alpm
      # The build reads its own etc/pacman.conf; /var/cache is the testbed's overlay.
      sed 's/^\\[options\\]$/[options]\\nDownloadUser = alpm/' /etc/pacman.conf >"${PACMAN_7.prefix}/etc/pacman.conf"
      grep -c '^DownloadUser = alpm$' "${PACMAN_7.prefix}/etc/pacman.conf"
      export PACMAN_GUARD_REAL_PACMAN=${PACMAN_7.binary}
      $PACMAN_GUARD_REAL_PACMAN --version | grep -o 'Pacman v[0-9.]*'
      $GUARD extend -y aurpkg-hello | grep '^built'; echo "with -y $?"
      aurpkg-hello; guardtest-tool 2>/dev/null || echo "guardtest-tool not there yet"
      $GUARD extend -y guardtest-tool 2>/dev/null | grep '^built'; echo "download $?"
      guardtest-tool
      ls -A /var/cache/pacman/pkg | grep -c '^download-' || true
      ls -A "$TMPDIR" | grep -c pacman-guard-extend || true`, { merged: true });
    expect(result.stdout, result.stderr).toBe([
      '1',
      `Pacman v${PACMAN_7.label.replace(/-.*/, '')}`,
      'built and merged extension aurpkg-hello: /var/lib/extensions/aurpkg-hello',
      'with -y 0',
      'hello from the AUR',
      'guardtest-tool not there yet',
      'built and merged extension guardtest-tool: /var/lib/extensions/guardtest-tool',
      'download 0',
      'guardtest-tool 2.0',
      '0',
      '0',
      '',
    ].join('\n'));
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
      '',
      'Extension aurpkg-hello (new): /var/lib/extensions/aurpkg-hello',
      'Packages (2)',
      '    guardtest-lib  1.0-1  guardtest (dependency)',
      '    aurpkg-hello   0.1-1  local',
      '',
      // --noconfirm: the question on stdout, answered with its default, as pacman prints it.
      ':: Proceed with building a system extension? [Y/n] ',
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

const REDIRECT = "printf '[options]\\nPolicy = redirect\\n' >/etc/pacman-guard.conf";
/** ANSWER COMMAND…: the command on a pseudo-terminal, ANSWER typed at its [Y/n] prompt. */
const AT_TERMINAL = 'at_terminal() { python3 "$PROJECT_ROOT/test/support/pty-answer.py" "$@"; }';

describeInTestbed('the redirect asks as pacman asks', () => {
  it('on a terminal: lists what it would build, a typed "n" exits 1 with nothing changed, a typed "y" builds', async () => {
    const result = await runInTestbed(`${BUILD_AUR_PACKAGE}
      ${REDIRECT}
      ${AT_TERMINAL}
      at_terminal n env PATH=/run/guard-bin:$PATH pacman -U "$built" >/run/no
      tail -n 1 /run/no
      ls -A /var/lib/extensions | wc -l
      test "$(${DB_DIGEST})" = "$before" && echo "database unchanged"
      at_terminal y env PATH=/run/guard-bin:$PATH pacman -U "$built" >/run/yes
      tail -n 1 /run/yes
      aurpkg-hello
      echo ---; cat /run/no`, { merged: true, locked: true });
    expect(result.stdout, result.stderr).toBe([
      'exit 1',
      '0',
      'database unchanged',
      'exit 0',
      'hello from the AUR',
      '---',
      ':: pacman-guard: system extensions are merged on /usr (sample) and /var/lib/pacman is locked read-only; building a system extension instead of installing (Policy = redirect)',
      '    guard extend /run/testbed/tmp/aur/out/aurpkg-hello-0.1-1-any.pkg.tar.gz',
      ':: Resolving packages...',
      '',
      'Extension aurpkg-hello (new): /var/lib/extensions/aurpkg-hello',
      'Packages (2)',
      '    guardtest-lib  1.0-1  guardtest (dependency)',
      '    aurpkg-hello   0.1-1  local',
      '',
      ':: Proceed with building a system extension? [Y/n] n',
      'exit 1',
      '',
    ].join('\n'));
    expect(result.stdout).not.toContain('Retrieving');
  });

  it('--noconfirm answers yes and prints the question on stdout; --confirm after it asks again; stdin decides when it is no terminal', async () => {
    const result = await runInTestbed(`${BUILD_AUR_PACKAGE}
      ${REDIRECT}
      shim -U --noconfirm --confirm "$built" </dev/null >/run/out 2>/run/err; echo "confirm, empty stdin $?"
      grep -c 'Proceed' /run/out || true
      grep 'Proceed' /run/err
      printf 'nope\\n' | shim -U "$built" >/dev/null 2>/run/err; echo "piped nope $?"
      grep 'Proceed' /run/err
      ls -A /var/lib/extensions | wc -l
      printf 'YES\\n' | shim -U "$built" >/dev/null 2>/run/err; echo "piped YES $?"
      grep 'Proceed' /run/err
      shim -U --confirm --noconfirm "$built" >/run/out 2>/dev/null; echo "noconfirm $?"
      grep 'Proceed' /run/out`, { merged: true, locked: true });
    expect(result.stdout, result.stderr).toBe([
      'confirm, empty stdin 1',
      '0',
      ':: Proceed with building a system extension? [Y/n] ',
      'piped nope 1',
      ':: Proceed with building a system extension? [Y/n] nope',
      '0',
      'piped YES 0',
      ':: Proceed with building a system extension? [Y/n] YES',
      'noconfirm 0',
      ':: Proceed with building a system extension? [Y/n] ',
      '',
    ].join('\n'));
  });

  it('-R takes out what pacman would remove and nothing more: the dependency stays, an orphan in its extension; -Rs takes it too', async () => {
    const result = await runInTestbed(`${BUILD_AUR_PACKAGE}
      ${REDIRECT}
      shim -U --noconfirm "$built" >/dev/null 2>&1; echo "install $?"
      shim -R guardtest-lib </dev/null >/dev/null 2>/run/err; echo "dependency still needed $?"
      cat /run/err
      at_terminal() { python3 "$PROJECT_ROOT/test/support/pty-answer.py" "$@"; }
      at_terminal y env PATH=/run/guard-bin:$PATH pacman -R aurpkg-hello | grep -E '^(Extension|    keeps|:: Do you|exit)'
      /usr/bin/pacman -Q aurpkg-hello 2>/dev/null || echo "aurpkg-hello removed"
      /usr/bin/pacman -Qdt
      ls -A /var/lib/extensions
      test "$(${DB_DIGEST})" = "$before" && echo "database unchanged"
      shim -U --noconfirm "$built" >/dev/null 2>&1; echo "again $?"
      shim -Rs --noconfirm aurpkg-hello | grep -E '^(Extension|removed)'
      /usr/bin/pacman -Q guardtest-lib 2>/dev/null || echo "guardtest-lib removed"
      ls -A /var/lib/extensions | wc -l`, { merged: true, locked: true, timeoutMs: 500_000 });
    expect(result.stdout, result.stderr).toBe([
      'install 0',
      'dependency still needed 1',
      'error: failed to prepare transaction (could not satisfy dependencies)',
      ":: removing guardtest-lib breaks dependency 'guardtest-lib' required by aurpkg-hello",
      '  nothing was changed',
      'Extension aurpkg-hello: rebuilt without aurpkg-hello',
      '    keeps guardtest-lib (dependency)',
      ':: Do you want to remove these packages? [Y/n] y',
      'exit 0',
      'aurpkg-hello removed',
      'guardtest-lib 1.0-1',
      'aurpkg-hello',
      'database unchanged',
      'again 0',
      'Extension aurpkg-hello: removed, with every package in it',
      'removed extension aurpkg-hello',
      'guardtest-lib removed',
      '0',
      '',
    ].join('\n'));
  }, 600_000);

  it('a user without root is told to use sudo before anything else', async () => {
    const result = await runInTestbed(`${BUILD_AUR_PACKAGE}
      ${REDIRECT}
      runuser -u nobody -- env PATH=/run/guard-bin:$PATH pacman -U --noconfirm "$built"; echo "as nobody $?"
      ls -A /var/lib/extensions | wc -l`, { merged: true, locked: true });
    expect(result.stdout, result.stderr).toBe('as nobody 1\n0\n');
    expect(result.stderr).toMatch(/\n[^\n]*$/);
    expect(result.stderr.slice(result.stderr.indexOf('error: '))).toBe([
      'error: you cannot perform this operation unless you are root.',
      '  nothing was changed; under Policy = redirect the guard does it for pacman, as root:',
      '    sudo pacman -U --noconfirm /run/testbed/tmp/aur/out/aurpkg-hello-0.1-1-any.pkg.tar.gz',
      '',
    ].join('\n'));
  });
});

/** Waits (generously, polling) until CONDITION holds, or says it never did. */
const WAIT_UNTIL = 'wait_until() { for _ in $(seq 600); do eval "$1" && return 0; sleep 0.5; done; echo "never: $1"; }';

describeInTestbed('orphans in extensions', () => {
  it('--list marks what pacman -Qdt would, --prune takes it out; a dependency -R left behind is one', async () => {
    const result = await runInTestbed(`${BUILD_AUR_PACKAGE}
      ${REDIRECT}
      # Typed in a shell: a dependency by hand stays, as pacman leaves it.
      shim -S --asdeps --noconfirm guardtest-extra >/dev/null 2>&1; echo "asdeps $?"
      shim -U --noconfirm "$built" >/dev/null 2>&1; echo "install $?"
      $GUARD extend --list
      $GUARD extend --prune | grep -v '^::'; echo "prune $?"
      shim -R --noconfirm aurpkg-hello >/dev/null 2>&1; echo "remove $?"
      $GUARD extend --list
      $GUARD extend --prune | grep -v '^::'; echo "prune $?"
      ls -A /var/lib/extensions | wc -l
      $GUARD extend --prune; echo "nothing to prune $?"
      test "$(${DB_DIGEST})" = "$before" && echo "database unchanged"`, { merged: true, locked: true, timeoutMs: 500_000 });
    expect(result.stdout, result.stderr).toBe([
      'asdeps 0',
      'install 0',
      'aurpkg-hello             merged      guardtest-lib 1.0-1, aurpkg-hello 0.1-1',
      'guardtest-extra          merged      guardtest-extra 1.0-1 (orphan)',
      '                         orphan: installed as dependencies that nothing merged needs',
      'take the orphans out with: guard extend --prune',
      'removed extension guardtest-extra',
      'prune 0',
      'remove 0',
      'aurpkg-hello             merged      guardtest-lib 1.0-1 (orphan)',
      '                         orphan: installed as dependencies that nothing merged needs',
      'take the orphans out with: guard extend --prune',
      'removed extension aurpkg-hello',
      'prune 0',
      '0',
      'no orphans in the merged extensions',
      'nothing to prune 0',
      'database unchanged',
      '',
    ].join('\n'));
  }, 600_000);

  it("a helper flow that fails takes back what was built for it: trizen's own pacman -U hits the lock, the dependency extension goes when trizen ends", async () => {
    const result = await runInTestbed(`${BUILD_AUR_PACKAGE}
      ${REDIRECT}
      ${WAIT_UNTIL}
      mkdir -p /run/helpers
      # As trizen with its default pacman_command: the dependency through pacman on PATH (the shim),
      # the built package through /usr/bin/pacman itself, which the locked database refuses.
      cat >/run/helpers/trizen <<'HELPER'
#!/bin/sh
PATH=/run/guard-bin:$PATH pacman -S --asdeps --noconfirm guardtest-lib >/run/trizen-deps.out 2>&1 || exit 1
/usr/bin/pacman -U --noconfirm "$1" >/dev/null 2>&1 || { echo "trizen: pacman -U failed"; exit 1; }
HELPER
      # As yay: both through the shim; the built package needs the dependency, which stays.
      cat >/run/helpers/yay <<'HELPER'
#!/bin/sh
PATH=/run/guard-bin:$PATH pacman -S --asdeps --noconfirm guardtest-lib >/dev/null 2>&1 || exit 1
PATH=/run/guard-bin:$PATH pacman -U --noconfirm "$1" >/dev/null 2>&1
HELPER
      chmod +x /run/helpers/trizen /run/helpers/yay
      /run/helpers/trizen "$built"; echo "trizen $?"
      tail -n 1 /run/trizen-deps.out | sed 's/trizen ([0-9]*)/trizen (PID)/'
      # The watcher takes the extension out, then merges again: wait for it to end, not for the directory.
      wait_until '! pgrep -f "extend --prune --[o]nly" >/dev/null'  # [o]: not this script's own text
      ${MERGED}
      /usr/bin/pacman -Q guardtest-lib 2>/dev/null || echo "guardtest-lib taken back"
      /run/helpers/yay "$built"; echo "yay $?"
      wait_until '! pgrep -f "extend --prune --[o]nly" >/dev/null'  # [o]: not this script's own text
      ${MERGED}
      aurpkg-hello
      test "$(${DB_DIGEST})" = "$before" && echo "database unchanged"`, { merged: true, locked: true, timeoutMs: 500_000 });
    expect(result.stdout, result.stderr).toBe([
      'trizen: pacman -U failed',
      'trizen 1',
      'pacman sees guardtest-lib as installed dependencies while extension guardtest-lib is merged; when trizen (PID) ends, it is taken out if nothing merged needs it (guard extend --prune)',
      'sample ',
      'guardtest-lib taken back',
      'yay 0',
      'aurpkg-hello guardtest-lib sample ',
      'hello from the AUR',
      'database unchanged',
      '',
    ].join('\n'));
  }, 600_000);
});

/**
 * aurutils, by the command lines it runs (its source cannot be fetched in CI;
 * read at github.com/aurutils/aurutils, docs/aur-helpers.md cites each line).
 * `aur build` adds what it built to a local file:// repository with repo-add
 * (lib/pacman/aur-build: `env -C "$db_root" LANG=C repo-add … "$db_path" "${pkglist[@]}"`),
 * a repository the system's own sync databases have never seen.
 */
const LOCAL_REPOSITORY = `${buildAurPackage({ depends: 'guardtest-lib', nodeps: true })}
mkdir -p /run/custom && cp "$built" /run/custom/
env -C /run/custom LANG=C repo-add /run/custom/custom.db.tar.gz /run/custom/aurpkg-hello-0.1-1-any.pkg.tar.gz >/dev/null
printf '\\n[custom]\\nSigLevel = Never\\nServer = file:///run/custom\\n' >>/etc/pacman.conf
`;

describeInTestbed('aurutils while engaged', () => {
  it("aur sync --no-sync, then guard extend -y NAME: the local repository's package becomes an extension; aur build's own sync lines stay refused, said as what they write", async () => {
    const result = await runInTestbed(`${LOCAL_REPOSITORY}
      ${INSTALL}
      shim() { PATH=/run/guard-bin:$PATH pacman "$@"; }
      before=$(${DB_DIGEST})
      # aurutils <= 10 (lib/aur-build, tag 10, lines 500-501), against a configuration of the local repository alone:
      { printf '[options]\\n'; printf '[custom]\\nSigLevel = Never\\nServer = file:///run/custom\\n'; } >/run/local.conf
      shim -Fy --config=/run/local.conf 2>/run/fy.err; echo "pacman -Fy --config $?"
      shim -Syu --config=/run/local.conf --ignore= --noconfirm 2>/dev/null; echo "pacman -Syu --config $?"
      head -n 1 /run/fy.err
      # The flow that works: the package built into the local repository (aur sync --no-sync), then an extension from it.
      $GUARD extend -y aurpkg-hello 2>/dev/null | grep -E '^(built|    )'; echo "guard extend -y $?"
      aurpkg-hello
      /usr/bin/pacman -Q aurpkg-hello guardtest-lib
      test "$(${DB_DIGEST})" = "$before" && echo "database unchanged"`, { merged: true, locked: true });
    expect(result.stdout, result.stderr).toBe([
      'pacman -Fy --config 3',
      'pacman -Syu --config 3',
      "error: refusing 'pacman -Fy --config=/run/local.conf' (synchronizing the files databases): it would write the files databases under /var/lib/pacman, which is locked read-only while system extensions are merged",
      'built and merged extension aurpkg-hello: /var/lib/extensions/aurpkg-hello',
      '    guardtest-lib 1.0-1 (dependency)',
      '    aurpkg-hello 0.1-1',
      'guard extend -y 0',
      'hello from the AUR',
      'aurpkg-hello 0.1-1',
      'guardtest-lib 1.0-1',
      'database unchanged',
      '',
    ].join('\n'));
  });
});
