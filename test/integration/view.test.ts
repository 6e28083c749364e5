/**
 * pacman's view of the merged system (issue 12): with the database locked and
 * extensions merged, real pacman 6.0.2, makepkg and the guard's yay-like
 * sequences see the packages guard-built extensions carry, read-only; the
 * real database is never written; bad entries are refused before anything
 * changes; a kill -9 at each mount step leaves a state `guard settle` repairs.
 */
import { expect, it } from 'vitest';
import { buildAurPackage } from '../testbed/aur-package.js';
import { describeInTestbed, runInTestbed } from '../testbed/testbed.js';

const DB_DIGEST = 'testbed_real_db_digest';
const ENTRIES = '/var/lib/extensions/guardtest/usr/lib/pacman-guard/local/guardtest-1.0-1';
/** The state in one line: merged extensions, lock, what pacman sees beyond the base. */
const SUMMARY = `$GUARD status --json | node -e '
  const s = JSON.parse(require("fs").readFileSync(0, "utf8"));
  const names = [...new Set(s.hierarchies.flatMap((h) => h.extensions))].join(",") || "-";
  const view = s.view.mounted ? s.view.packages.map((p) => p.package).join(",") : "no view";
  console.log(names, s.lock.locked ? "ro" : "rw", view)'`;
/** A user's package build, as an AUR helper runs it: makepkg as nobody, dependencies checked (no --nodeps). */
const BUILD_AS_USER = (depends: string) => buildAurPackage({ depends });

describeInTestbed("pacman's view of merged extensions", () => {
  it('pacman -Q, -Qi, -Qo, -Qk and -T see an extension package while merged; unmerge leaves the real database as it was', async () => {
    const result = await runInTestbed(`
      before=$(${DB_DIGEST})
      $GUARD extend guardtest guardtest-slow >/dev/null 2>&1; echo "extend $?"
      ${SUMMARY}
      /usr/bin/pacman -Q guardtest guardtest-slow
      /usr/bin/pacman -Qo /usr/bin/guardtest-hello /opt/guardtest-slow/file
      /usr/bin/pacman -T guardtest guardtest-slow; echo "T $?"
      /usr/bin/pacman -Qi guardtest | grep -E '^(Name|Install Reason|Validated By|Depends On) '
      /usr/bin/pacman -Qkk guardtest guardtest-slow
      /usr/bin/pacman -Qq | tr '\\n' ' '; echo
      touch /var/lib/pacman/local/x 2>/dev/null || echo "the view is read-only"
      /usr/bin/pacman -S --noconfirm guardtest-extra 2>&1 | grep -c 'could not lock database'
      $GUARD doctor 2>&1 | grep -F 'pacman sees the'
      $GUARD unmerge >/dev/null; echo "unmerge $?"
      ${SUMMARY}
      /usr/bin/pacman -Q guardtest 2>&1; echo "Q $?"
      test "$(${DB_DIGEST})" = "$before" && echo "real database unchanged"
      $GUARD merge; echo "merge $?"
      /usr/bin/pacman -Q guardtest
      $GUARD merge | tail -n 1
      ls /run/pacman-guard/view | wc -l`, { locked: true, timeoutMs: 500_000 });
    expect(result.stdout, result.stderr).toBe([
      'extend 0',
      'guardtest ro guardtest-1.0-1,guardtest-slow-1.0-1',
      'guardtest 1.0-1',
      'guardtest-slow 1.0-1',
      '/usr/bin/guardtest-hello is owned by guardtest 1.0-1',
      '/opt/guardtest-slow/file is owned by guardtest-slow 1.0-1',
      'T 0',
      'Name            : guardtest',
      'Depends On      : guardtest-dep',
      'Install Reason  : Explicitly installed',
      'Validated By    : SHA-256 Sum',
      'guardtest: 6 total files, 0 altered files',
      'guardtest-slow: 7 total files, 0 altered files',
      'guardtest guardtest-dep guardtest-slow ',
      'the view is read-only',
      '1',
      '  ok    pacman sees the 2 packages the merged extensions carry',
      'unmerge 0',
      '- rw no view',
      "error: package 'guardtest' was not found",
      'Q 1',
      'real database unchanged',
      'Using extensions \'guardtest\'.',
      "Merged extensions into '/usr'.",
      "Merged extensions into '/opt'.",
      'locked: /var/lib/pacman',
      'pacman sees 2 packages from extensions: guardtest-1.0-1 guardtest-slow-1.0-1',
      'merge 0',
      'guardtest 1.0-1',
      'pacman sees 2 packages from extensions: guardtest-1.0-1 guardtest-slow-1.0-1',
      '1',
      '',
    ].join('\n'));
  }, 600_000);

  it('makepkg as a user checks depends=() against the view: it fails before guard extend and builds after', async () => {
    const result = await runInTestbed(`
      ${BUILD_AS_USER('guardtest')}
      grep -o 'Missing dependencies:' "$work/makepkg.log"
      $GUARD extend guardtest >/dev/null 2>&1; echo "extend $?"
      ${BUILD_AS_USER('guardtest')}
      test -f "$built" && echo "built"`, { locked: true, timeoutMs: 500_000 });
    expect(result.stdout, result.stderr).toBe(['makepkg failed', 'Missing dependencies:', 'extend 0', 'built', ''].join('\n'));
  }, 600_000);

  it("under redirect, a helper's sequence builds against a dependency an earlier redirect made into an extension", async () => {
    const result = await runInTestbed(`
      $GUARD install --bindir /run/guard-bin --hookdir /etc/pacman.d/hooks --unitdir /run/units --manifest /run/guard-installed.json >/dev/null
      printf '[options]\\nPolicy = redirect\\n' >/etc/pacman-guard.conf
      shim() { PATH=/run/guard-bin:$PATH pacman "$@"; }
      before=$(${DB_DIGEST})
      # What yay and paru run for an AUR package: its repository dependencies first, as dependencies,
      shim -S --asdeps --noconfirm guardtest-lib >/run/deps.out 2>&1; echo "dependencies $?"
      # then makepkg as the user (which checks depends=() with pacman -T),
      ${BUILD_AS_USER('guardtest-lib')}
      # then the built package, and its install reason.
      shim -U --noconfirm "$built" >/dev/null 2>&1; echo "install $?"
      shim -D -q --asexplicit aurpkg-hello; echo "mark $?"
      aurpkg-hello
      ${SUMMARY}
      /usr/bin/pacman -Qi guardtest-lib aurpkg-hello | grep -E '^(Name|Install Reason) '
      test "$(${DB_DIGEST})" = "$before" && echo "real database unchanged"
      tail -n 1 /run/deps.out`, { merged: true, locked: true, timeoutMs: 500_000 });
    expect(result.stdout, result.stderr).toBe([
      'dependencies 0',
      'install 0',
      ':: pacman-guard: aurpkg-hello is in system extensions (aurpkg-hello), which pacman sees read-only: the install reason stays as the extension records it (Policy = redirect)',
      'mark 0',
      'hello from the AUR',
      'aurpkg-hello,guardtest-lib,sample ro aurpkg-hello-0.1-1,guardtest-lib-1.0-1',
      'Name            : guardtest-lib',
      'Install Reason  : Installed as a dependency for another package',
      'Name            : aurpkg-hello',
      'Install Reason  : Explicitly installed',
      'real database unchanged',
      'pacman sees guardtest-lib as installed dependencies while extension guardtest-lib is merged; if the build that needs it fails, remove it: guard extend --remove guardtest-lib',
      '',
    ].join('\n'));
  }, 600_000);

  it('never shows a package systemd-sysext did not merge: the view built before the merge goes on only over what was merged', async () => {
    const release = '/var/lib/extensions/slow/usr/lib/extension-release.d/extension-release.slow';
    const result = await runInTestbed(`
      $GUARD extend guardtest >/dev/null 2>&1; echo "extend $?"
      $GUARD extend --name slow guardtest-slow >/dev/null 2>&1; echo "extend $?"
      ${SUMMARY}
      $GUARD unmerge >/dev/null
      cp ${release} /run/release; echo ID=nothing-like-this >${release}
      # A mount(8) that logs what each view it mounts holds.
      mkdir -p /run/log-mount
      cat >/run/log-mount/mount <<'WRAPPER'
#!/bin/sh
for argument in "$@"; do
  case $argument in *lowerdir=*) layer=\${argument#*lowerdir=}; layer=\${layer%%:*}; echo "mounted a view of: $(ls "$layer/local" | grep -vx ALPM_DB_VERSION | tr '\n' ' ')" >>/run/mounted ;; esac
done
exec /usr/bin/mount "$@"
WRAPPER
      chmod +x /run/log-mount/mount
      PATH=/run/log-mount:$PATH $GUARD merge >/dev/null; echo "merge $?"
      cat /run/mounted
      ${SUMMARY}
      /usr/bin/pacman -Q guardtest-slow 2>&1; echo "Q $?"
      cp /run/release ${release}
      $GUARD refresh | tail -n 1; echo "refresh $?"
      ${SUMMARY}
      /usr/bin/pacman -Q guardtest-slow`, { locked: true, timeoutMs: 500_000 });
    expect(result.stdout, result.stderr).toBe([
      'extend 0',
      'extend 0',
      'guardtest,slow ro guardtest-1.0-1,guardtest-slow-1.0-1',
      'merge 0',
      // Only the view of what was merged was ever mounted.
      'mounted a view of: guardtest-1.0-1 ',
      'guardtest ro guardtest-1.0-1',
      "error: package 'guardtest-slow' was not found",
      'Q 1',
      'pacman sees 2 packages from extensions: guardtest-1.0-1 guardtest-slow-1.0-1',
      'refresh 0',
      'guardtest,slow ro guardtest-1.0-1,guardtest-slow-1.0-1',
      'guardtest-slow 1.0-1',
      '',
    ].join('\n'));
  }, 600_000);

  it('a corrupt or hand-edited entry is refused by merge and refresh, naming the file, and changes nothing', async () => {
    const result = await runInTestbed(`
      $GUARD extend guardtest >/dev/null 2>&1; echo "extend $?"
      $GUARD unmerge >/dev/null
      cp -a ${ENTRIES} /run/good
      try() { # DESCRIPTION, then the edit as a command
        rm -rf ${ENTRIES}; cp -a /run/good ${ENTRIES}; sh -c "$2"
        $GUARD merge 2>/run/err; echo "$1: merge $?"; head -n 2 /run/err | sed 's/^/  /'
        ${SUMMARY}
      }
      try "hand-edited version" "sed -i 's/^1.0-1$/1.0-2/' ${ENTRIES}/desc"
      try "unknown key" "printf '%%EVIL%%\\\\nyes\\\\n\\\\n' >>${ENTRIES}/desc"
      try "a file outside the hierarchies" "sed -i 's#^usr/bin/guardtest-hello#etc/shadow#' ${ENTRIES}/files"
      try "a stray file" "touch ${ENTRIES}/install"
      try "no files file" "rm ${ENTRIES}/files"
      rm -rf ${ENTRIES}; cp -a /run/good ${ENTRIES}; sed -i 's/^0$/x/; s/^57$/lots/' ${ENTRIES}/desc
      $GUARD refresh 2>&1 | head -n 2; ${SUMMARY}
      rm -rf ${ENTRIES}; cp -a /run/good ${ENTRIES}
      $GUARD merge >/dev/null; ${SUMMARY}`, { timeoutMs: 500_000 });
    expect(result.stdout, result.stderr).toBe([
      'extend 0',
      'hand-edited version: merge 3',
      '  error: not merging: a package entry in extension guardtest is not valid',
      `    ${ENTRIES}/desc: line 1: names guardtest-1.0-2, but the entry's directory is guardtest-1.0-1`,
      '- rw no view',
      'unknown key: merge 3',
      '  error: not merging: a package entry in extension guardtest is not valid',
      `    ${ENTRIES}/desc: line 37: unknown key %EVIL%`,
      '- rw no view',
      'a file outside the hierarchies: merge 3',
      '  error: not merging: a package entry in extension guardtest is not valid',
      `    ${ENTRIES}/files: line 4: 'etc/shadow' lies outside the extension's hierarchies (/usr/, /opt/)`,
      '- rw no view',
      'a stray file: merge 3',
      '  error: not merging: a package entry in extension guardtest is not valid',
      `    ${ENTRIES}: unexpected file 'install' in the entry (only desc, files and mtree belong there)`,
      '- rw no view',
      'no files file: merge 3',
      '  error: not merging: a package entry in extension guardtest is not valid',
      `    ${ENTRIES}/files: missing`,
      '- rw no view',
      'error: not refreshing: a package entry in extension guardtest is not valid',
      `  ${ENTRIES}/desc: line 26: %SIZE% is not a number: 'lots'`,
      '- rw no view',
      'guardtest ro guardtest-1.0-1',
      '',
    ].join('\n'));
  }, 600_000);


  it('kill -9 at each mount step of showing or hiding the view never leaves the database writable, and guard settle repairs it', async () => {
    // mount and umount wrappers that kill the guard (node; the testbed's PID namespace has no other) just before or after they touch the view.
    const result = await runInTestbed(`
      mkdir -p /run/kill
      cat >/run/kill/mount <<'WRAPPER'
#!/bin/sh
if echo "$*" | grep -q pacman-guard-view; then
  [ "$KILL_AT" = before-mount ] && { pkill -9 -f dist/cli/main.js; exit 1; }
  /usr/bin/mount "$@"; s=$?
  [ "$KILL_AT" = after-mount ] && pkill -9 -f dist/cli/main.js
  exit $s
fi
exec /usr/bin/mount "$@"
WRAPPER
      cat >/run/kill/umount <<'WRAPPER'
#!/bin/sh
if awk '$5 == "/var/lib/pacman"' /proc/self/mountinfo | tail -n 1 | grep -q pacman-guard-view; then
  [ "$KILL_AT" = before-umount ] && { pkill -9 -f dist/cli/main.js; exit 1; }
  /usr/bin/umount "$@"; s=$?
  [ "$KILL_AT" = after-umount ] && pkill -9 -f dist/cli/main.js
  exit $s
fi
exec /usr/bin/umount "$@"
WRAPPER
      chmod +x /run/kill/mount /run/kill/umount
      writable() { touch /var/lib/pacman/probe 2>/dev/null && { rm -f /var/lib/pacman/probe; echo "WRITABLE"; }; }
      $GUARD extend guardtest >/dev/null 2>&1; echo "extend $?"
      for at in before-umount after-umount before-mount after-mount; do
        # Showing: a second extension, so the view is built again (the old one unmounted, the new one mounted).
        KILL_AT=$at PATH=/run/kill:$PATH $GUARD extend guardtest-extra >/dev/null 2>&1; echo "extend killed $at: $?"
        writable; ${SUMMARY}
        $GUARD settle >/dev/null; ${SUMMARY}; ls /run/pacman-guard/view | wc -l
        $GUARD extend --remove guardtest-extra >/dev/null 2>&1 || echo "remove failed"
      done
      for at in before-umount after-umount; do
        # Hiding: unmerge takes the view away first.
        KILL_AT=$at PATH=/run/kill:$PATH $GUARD unmerge >/dev/null 2>&1; echo "unmerge killed $at: $?"
        writable; ${SUMMARY}
        $GUARD settle >/dev/null; ${SUMMARY}
      done`, { locked: true, timeoutMs: 800_000 });
    const one = 'guardtest ro guardtest-1.0-1';
    const both = 'guardtest,guardtest-extra ro guardtest-1.0-1,guardtest-extra-1.0-1';
    const unshown = 'guardtest,guardtest-extra ro no view';
    // The view's steps and systemd-sysext run in one sh (src/system/sysext-steps.ts), which goes on to the end once guard is killed.
    expect(result.stdout, result.stderr).toBe([
      'extend 0',
      // Killed before the old view went: nothing changed (the refresh comes after), the old view still read-only.
      'extend killed before-umount: 137', one, one, '1',
      // Killed between the views: the steps go on (refresh, then the new view).
      'extend killed after-umount: 137', both, both, '1',
      // The mount failing after the refresh: no view, but the lock stays; settle shows it.
      'extend killed before-mount: 137', unshown, both, '1',
      'extend killed after-mount: 137', both, both, '1',
      'unmerge killed before-umount: 137', one, one,
      // Killed after the view went: the unmerge goes on; locked until settle finds nothing merged.
      'unmerge killed after-umount: 137', '- ro no view', '- rw no view',
      '',
    ].join('\n'));
  }, 900_000);
});
