/**
 * The yay and paru shims with real merges, the real database lock and the
 * real pacman shim. The "real" helpers are recorders: they write their argv
 * to /run/helpers/calls, so a refused command shows up as one that never ran.
 */
import { expect, it } from 'vitest';
import { HELPER_NAMES } from '../../src/helpers/options.js';
import { describeInTestbed, runInTestbed } from '../testbed/testbed.js';

/** Recorders as the real yay and paru, the shims as functions, and `calls` to read (and reset) what ran. */
const SETUP = `
  mkdir -p /run/helpers
  for helper in yay paru; do
    cat >/run/helpers/$helper <<'EOF'
#!/bin/sh
echo "ran \${0##*/}\${*:+ $*}" >>/run/helpers/calls
EOF
    chmod +x /run/helpers/$helper
  done
  export PACMAN_GUARD_REAL_YAY=/run/helpers/yay PACMAN_GUARD_REAL_PARU=/run/helpers/paru
  yay() { "$PROJECT_ROOT/wrappers/yay" "$@"; }
  paru() { "$PROJECT_ROOT/wrappers/paru" "$@"; }
  calls() { cat /run/helpers/calls 2>/dev/null; : >/run/helpers/calls; }
`;

describeInTestbed('the yay and paru shims', () => {
  it.each(HELPER_NAMES)('%s: with an extension merged, read-only operations run and mutating ones are refused before the helper starts', async (helper) => {
    const result = await runInTestbed(`${SETUP}
      ${helper} -Ss guard; echo "search $?"; calls
      ${helper} -Si guardtest; echo "info $?"; calls
      ${helper} -Gp guardtest; echo "pkgbuild $?"; calls
      ${helper} -Pw; echo "news $?"; calls
      # The fast path: a read-only command line runs the helper without ever asking guard.
      PATH=/run/helpers-empty ${helper} -Ssq guard; echo "search without node $?"; calls
      ${helper} -S guardtest; echo "install $?"; calls
      ${helper} guardtest; echo "search and install $?"; calls
      ${helper}; echo "bare $?"; calls
      ${helper} -Syu --noconfirm; echo "upgrade $?"; calls
      ${helper} -R guardtest-dep; echo "remove $?"; calls
      ${helper} --no-such-option -Ss guard; echo "unknown option $?"; calls
      grep -c "\\[PACMAN-GUARD\\] refused '${helper}[ ']" /var/log/pacman.log
      grep -F "refused '${helper} -S guardtest' (uid=0 parent=bash): system extensions are merged on /usr (sample)" /var/log/pacman.log | wc -l`, { merged: true });
    expect(result.stdout, result.stderr).toBe([
      'search 0', `ran ${helper} -Ss guard`,
      'info 0', `ran ${helper} -Si guardtest`,
      'pkgbuild 0', `ran ${helper} -Gp guardtest`,
      'news 0', `ran ${helper} -Pw`,
      'search without node 0', `ran ${helper} -Ssq guard`,
      'install 3',
      'search and install 3',
      'bare 3',
      'upgrade 3',
      'remove 3',
      'unknown option 3',
      '6',
      '1',
      '',
    ].join('\n'));
    expect(result.stderr).toContain([
      `error: refusing '${helper} -S guardtest' (installing packages): system extensions are merged, so ${helper} would change the image under them`,
      '  /usr: sample (merged since ',
    ].join('\n'));
    expect(result.stderr).toContain([
      ":: From the repositories: install in guard update's maintenance window:",
      '    guard update -S guardtest',
      ':: From the AUR: build, then install the package files in the window:',
      `    ${helper} -G guardtest`,
      '    (cd guardtest && makepkg)',
      '    guard update -U $(cd guardtest && makepkg --packagelist)',
      `:: Or have what ${helper} installs built into system extensions instead:`,
      "    set 'Policy = redirect' in /etc/pacman-guard.conf",
    ].join('\n'));
    expect(result.stderr).toContain(`error: refusing '${helper}' (upgrading the system): system extensions are merged`);
    expect(result.stderr).toContain(`error: refusing '${helper} -R guardtest-dep' (removing packages)`);
  });

  it.each(HELPER_NAMES)('%s: disengaged, everything runs straight away', async (helper) => {
    const result = await runInTestbed(`${SETUP}
      ${helper} -S guardtest; echo "install $?"
      ${helper}; echo "bare $?"
      # Not even node is needed: the shim execs the helper before asking guard.
      PATH=/run/helpers-empty ${helper} -Syu; echo "upgrade without node $?"
      calls`);
    expect(result.stdout, result.stderr).toBe(`install 0\nbare 0\nupgrade without node 0\nran ${helper} -S guardtest\nran ${helper}\nran ${helper} -Syu\n`);
    expect(result.stderr).toBe('');
  });

  it('refuses when only the database is locked, and fails closed when the state cannot be read', async () => {
    const result = await runInTestbed(`${SETUP}
      yay -S guardtest; echo "locked install $?"
      paru -Ss guard; echo "locked search $?"
      calls
      mount -t tmpfs tmpfs /proc
      paru -S guardtest; echo "unknown install $?"
      yay -Ss guard; echo "unknown search $?"
      calls`, { locked: true });
    expect(result.stdout, result.stderr).toBe('locked install 3\nlocked search 0\nran paru -Ss guard\nunknown install 4\nunknown search 0\nran yay -Ss guard\n');
    expect(result.stderr).toContain("error: refusing 'yay -S guardtest' (installing packages): pacman's database is locked read-only");
    expect(result.stderr).toMatch(/error: refusing 'paru -S guardtest' \(installing packages\): cannot tell whether system extensions are merged or the database is locked: cannot read \/proc\/self\/mountinfo/);
  });

  it('as a user (who can never write the database) runs the helper without guard unless the database is on a read-only mount', async () => {
    // The user must reach the shim and guard: the checkout may sit under a directory only root enters.
    const USER_SETUP = `${SETUP}
      mkdir -p /run/project && mount --bind "$PROJECT_ROOT" /run/project
      : >/run/helpers/calls; chmod 666 /run/helpers/calls
      as_user() { runuser -u nobody -- env PACMAN_GUARD_REAL_YAY=/run/helpers/yay "$@"; }
      # Without node on PATH, only a shim that never asks guard can run the helper.
      no_node=/run/helpers-empty`;
    const free = await runInTestbed(`${USER_SETUP}
      as_user PATH=$no_node /run/project/wrappers/yay -S guardtest; echo "free $?"
      calls`);
    expect(free.stdout, free.stderr).toBe('free 0\nran yay -S guardtest\n');

    const locked = await runInTestbed(`${USER_SETUP}
      as_user PATH=$no_node /run/project/wrappers/yay -S guardtest 2>/dev/null; echo "locked, without node $?"
      # A search is in the fast path: it runs before the shim looks at the state.
      as_user PATH=$no_node /run/project/wrappers/yay -Ss guard; echo "locked search, without node $?"
      as_user /run/project/wrappers/yay -S guardtest 2>/dev/null; echo "locked install $?"
      # A writable mount below the database directory does not hide the lock above it.
      mount -t tmpfs tmpfs /var/lib/pacman/sync
      as_user PATH=$no_node /run/project/wrappers/yay -S guardtest 2>/dev/null; echo "stacked below $?"
      calls`, { locked: true });
    expect(locked.stdout, locked.stderr).toBe('locked, without node 4\nlocked search, without node 0\nlocked install 3\nstacked below 4\nran yay -Ss guard\n');

    const unknown = await runInTestbed(`${USER_SETUP}
      mount -t tmpfs tmpfs /proc
      as_user PATH=$no_node /run/project/wrappers/yay -S guardtest 2>/dev/null; echo "no mountinfo $?"
      calls`);
    expect(unknown.stdout, unknown.stderr).toBe('no mountinfo 4\n');
  });

  it('lets another root through, and never runs itself', async () => {
    const result = await runInTestbed(`${SETUP}
      mkdir -p /run/newroot/var/lib/pacman
      yay --root /run/newroot -S guardtest; echo "other root $?"
      calls
      PACMAN_GUARD_REAL_PARU="$PROJECT_ROOT/wrappers/paru" paru -Ss guard; echo "loop $?"`, { merged: true, locked: true });
    expect(result.stdout, result.stderr).toBe('other root 0\nran yay --root /run/newroot -S guardtest\nloop 4\n');
    expect(result.stderr).toContain(`error: pacman-guard: ${process.cwd()}/wrappers/paru is the paru shim, not paru`);
  });

  it('under Policy = redirect, installs run and their pacman -S becomes a system extension; the rest is refused', async () => {
    const result = await runInTestbed(`${SETUP}
      printf '[options]\\nPolicy = redirect\\n' >/etc/pacman-guard.conf
      # A yay that does what yay does at the end: pacman -S, then pacman -D -q --asexplicit
      # of what it installed, both through the pacman shim.
      mkdir -p /run/shims && ln -s "$PROJECT_ROOT/wrappers/pacman" /run/shims/pacman
      printf '#!/bin/sh\\necho "ran yay $*" >>/run/helpers/calls\\npacman -S --noconfirm "$@" && exec pacman -D -q --asexplicit "$@"\\n' >/run/helpers/yay
      PATH=/run/shims:$PATH yay guardtest-extra >/dev/null 2>/run/err; echo "yay install $?"
      cat /usr/share/guardtest-extra/file
      /usr/bin/pacman -Q guardtest-extra
      paru -B ./dir; echo "paru build $?"
      calls
      yay -Syu; echo "upgrade $?"
      paru -R guardtest-dep; echo "remove $?"
      paru -Sc; echo "clean $?"
      calls`, { merged: true, locked: true });
    expect(result.stdout, result.stderr).toBe([
      'yay install 0',
      'guardtest-extra file',
      'guardtest-extra 1.0-1',
      'paru build 0',
      'ran yay guardtest-extra',
      'ran paru -B ./dir',
      'upgrade 3',
      'remove 3',
      'clean 3',
      '',
    ].join('\n'));
    expect(result.stderr).not.toMatch(/refusing '(yay guardtest-extra|paru -B)/);
    expect(result.stderr).toContain("error: refusing 'yay -Syu' (upgrading the system)");
  });
});
