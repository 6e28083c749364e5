/**
 * Advice that works when typed (issue 24): each test provokes a refusal or a
 * finding in the namespace testbed, reads the command it names from the
 * output, types exactly that, and checks that it did what was promised.
 */
import { expect, it } from 'vitest';
import { describeInTestbed, runInTestbed } from '../testbed/testbed.js';
import { aurPkgbuild } from '../testbed/aur-package.js';

/** The first indented command line after a line that ends with `:` and mentions `marker`. */
/** `guard` as the advice spells it. */
const GUARD_FN = 'guard() { $GUARD "$@"; }';
const ADVICE = (marker: string) => `sed -n '/${marker}/{n;s/^ *//;p;q}'`;

describeInTestbed('advice, followed', () => {
  it('guard extend of a base package names guard update -S, which upgrades it on the base', async () => {
    const result = await runInTestbed(`
      ${GUARD_FN}
      $GUARD extend guardtest-dep 2>/run/err; echo "extend $?"
      cat /run/err >&2
      advice=$(${ADVICE('to change it on the base')} /run/err)
      echo "advice: $advice"
      eval "$advice --noconfirm" >/dev/null; echo "followed $?"
      $GUARD status --short; echo "status $?"`, { merged: true, locked: true });
    expect(result.stdout).toContain('extend 3\n');
    expect(result.stdout).toContain('advice: guard update -S guardtest-dep\n');
    expect(result.stdout).toContain('followed 0\n');
    expect(result.stdout).toContain('engaged: 1 extension merged, locked\nstatus 3\n');
    expect(result.stderr).not.toContain('guard unmerge, then');
  });

  /**
   * Runs `guard extend ARGS`, then each command the refusal lists (its lines
   * indented by four), in turn, exactly as printed, answering pacman's
   * questions with their defaults; prints each command and its exit status.
   */
  const FOLLOW_CLASH = `${GUARD_FN}
      follow() {
        $GUARD extend "$@" >/dev/null 2>/run/err; echo "extend $?"
        cat /run/err >&2
        sed -n 's/^    //p' /run/err >/run/steps
        while read -r step; do
          echo "+ $step"
          { yes '' || true; } | eval "$step" >/run/out 2>&1; status=$?
          echo "-> $status"; [ "$status" = 0 ] || cat /run/out >&2
        done </run/steps
      }`;

  it('a file clash with a base package: remove it, then extend again', async () => {
    const result = await runInTestbed(`
      ${FOLLOW_CLASH}
      follow guardtest-clash
      pacman -Q guardtest-dep 2>/dev/null || echo "guardtest-dep gone"
      cat /usr/share/guardtest-dep/data
      $GUARD status --short`, { merged: true, locked: true });
    expect(result.stderr).toContain('  /usr/share/guardtest-dep/data (guardtest-clash) exists in base package guardtest-dep\n');
    expect(result.stdout).toContain([
      'extend 3',
      '+ guard update -R guardtest-dep', '-> 0',
      '+ guard extend guardtest-clash', '-> 0',
      'guardtest-dep gone',
      'not the real data',
      'engaged: 2 extensions merged, locked',
    ].join('\n'));
    expect(result.stderr).not.toMatch(/guard unmerge|guard update -S guardtest-clash/);
  });

  it('a file clash with a base package others need: -Rc takes them too, then extend again', async () => {
    const result = await runInTestbed(`
      ${FOLLOW_CLASH}
      $GUARD update -S --noconfirm guardtest >/dev/null 2>&1; echo "guardtest on the base $?"
      follow guardtest-clash
      pacman -Qq guardtest guardtest-dep 2>/dev/null || echo "guardtest and guardtest-dep gone"
      pacman -Qq guardtest-clash
      $GUARD status --short`, { merged: true, locked: true });
    expect(result.stderr).toContain('  guardtest on the base needs it: -c removes it as well\n');
    expect(result.stdout).toContain([
      'guardtest on the base 0',
      'extend 3',
      '+ guard update -Rc guardtest-dep', '-> 0',
      '+ guard extend guardtest-clash', '-> 0',
      'guardtest and guardtest-dep gone',
      'guardtest-clash',
      'engaged: 2 extensions merged, locked',
    ].join('\n'));
  });

  it('a file clash with another extension: remove that extension, then extend again', async () => {
    const result = await runInTestbed(`
      ${FOLLOW_CLASH}
      $GUARD update -R --noconfirm guardtest-dep >/dev/null 2>&1; echo "off the base $?"
      $GUARD extend guardtest-dep >/dev/null 2>&1; echo "extension guardtest-dep $?"
      follow guardtest-clash
      $GUARD extend --list | grep -o '^[a-z-]*' | sort | tr '\n' ' '; echo
      cat /usr/share/guardtest-dep/data
      $GUARD status --short`, { merged: true, locked: true });
    expect(result.stderr).toContain('  /usr/share/guardtest-dep/data (guardtest-clash) exists in extension guardtest-dep\n');
    expect(result.stdout).toContain([
      'off the base 0',
      'extension guardtest-dep 0',
      'extend 3',
      '+ guard extend --remove guardtest-dep', '-> 0',
      '+ guard extend guardtest-clash', '-> 0',
    ].join('\n'));
    expect(result.stdout).toContain('not the real data\nengaged: 2 extensions merged, locked\n');
  });

  it('a file clash with a file no package owns: pacman --overwrite on the base, in the window', async () => {
    const result = await runInTestbed(`
      ${FOLLOW_CLASH}
      # Made before the merge: a merged /usr is read-only.
      testbed_unmerge; mkdir -p /usr/share/guardtest-extra; echo stray >/usr/share/guardtest-extra/file; testbed_merge_extension sample 2>/dev/null
      follow guardtest-extra
      pacman -Qo /usr/share/guardtest-extra/file
      cat /usr/share/guardtest-extra/file
      $GUARD status --short`, { merged: true, locked: true });
    expect(result.stderr).toContain('  /usr/share/guardtest-extra/file (guardtest-extra) exists in the running system, owned by no package\n');
    expect(result.stdout).toContain([
      'extend 3',
      '+ guard update -S --overwrite /usr/share/guardtest-extra/file guardtest-extra', '-> 0',
      '/usr/share/guardtest-extra/file is owned by guardtest-extra 1.0-1',
      'guardtest-extra file',
      'engaged: 1 extension merged, locked',
    ].join('\n'));
  });

  it('a directory where a symlink no package owns stands: pacman --overwrite puts the directory in its place', async () => {
    const result = await runInTestbed(`
      ${FOLLOW_CLASH}
      testbed_unmerge; ln -s /usr/share /usr/lib/guardtest; testbed_merge_extension sample 2>/dev/null
      follow guardtest-lib
      test -d /usr/lib/guardtest && ! test -L /usr/lib/guardtest && echo "a directory now"
      pacman -Qo /usr/lib/guardtest/libguardtest.so.1
      $GUARD status --short`, { merged: true, locked: true });
    expect(result.stderr).toContain('  /usr/lib/guardtest (guardtest-lib) exists in a non-directory on the running system, owned by no package\n');
    expect(result.stdout).toContain([
      'extend 3',
      '+ guard update -S --overwrite /usr/lib/guardtest guardtest-lib', '-> 0',
      'a directory now',
      '/usr/lib/guardtest/libguardtest.so.1 is owned by guardtest-lib 1.0-1',
      'engaged: 1 extension merged, locked',
    ].join('\n'));
  });

  it('two named packages that clash with each other: leave one out', async () => {
    const result = await runInTestbed(`
      ${FOLLOW_CLASH}
      $GUARD update -R --noconfirm guardtest-dep >/dev/null 2>&1; echo "off the base $?"
      follow guardtest-dep guardtest-clash
      cat /usr/share/guardtest-dep/data
      $GUARD status --short`, { merged: true, locked: true });
    expect(result.stderr).toContain('  /usr/share/guardtest-dep/data (guardtest-clash) exists in package guardtest-dep\n  pacman will not install guardtest-dep, guardtest-clash together either (conflicting files)\n');
    expect(result.stdout).toContain([
      'off the base 0',
      'extend 3',
      '+ guard extend guardtest-dep', '-> 0',
      'guardtest-dep data',
      'engaged: 2 extensions merged, locked',
    ].join('\n'));
  });

  it('merged with the database unlocked: status --short names guard settle, which locks and shows the view', async () => {
    const result = await runInTestbed(`
      ${GUARD_FN}
      $GUARD status --short; echo "status $?"
      advice=$($GUARD status --short | sed 's/^[^:]*: //; s/;.*//')
      eval "$advice" >/dev/null; echo "followed $?"
      $GUARD status --short; echo "status $?"`, { merged: true });
    expect(result.stdout).toMatch(/^merged, unlocked: guard settle.*\nstatus \d\n/);
    expect(result.stdout).toContain('followed 0\n');
    expect(result.stdout).toContain('engaged: 1 extension merged, locked\nstatus 3\n');
  });

  it("doctor's install fix on a merged /usr writes where it can, and the hook is then found", async () => {
    const result = await runInTestbed(`
      ${GUARD_FN}
      $GUARD doctor --json >/run/doctor.json; echo "doctor $?"
      fix=$(node -e 'const d = JSON.parse(require("fs").readFileSync("/run/doctor.json", "utf8")); const f = (d.findings ?? d).find((x) => x.check === "hook-installed"); console.log(f.fix.split(",")[0])')
      echo "fix: $fix"
      eval "$fix" >/dev/null; echo "followed $?"
      $GUARD doctor --json | node -e 'const d = JSON.parse(require("fs").readFileSync(0, "utf8")); console.log("hook ok:", (d.findings ?? d).find((x) => x.check === "hook-not-masked")?.ok)'`, { merged: true, locked: true });
    expect(result.stdout).toContain('fix: guard install --bindir /etc/pacman-guard/bin --hookdir /etc/pacman.d/hooks\n');
    expect(result.stdout).toContain('followed 0\n');
    expect(result.stdout).toContain('hook ok: true\n');
  });

  it('doctor does not blame /opt for a package only an extension carries', async () => {
    const result = await runInTestbed(`
      ${GUARD_FN}
      $GUARD extend guardtest-slow >/dev/null 2>&1; echo "extend $?"
      pacman -Qq guardtest-slow
      $GUARD doctor --json | node -e 'const d = JSON.parse(require("fs").readFileSync(0, "utf8")); console.log("opt finding:", JSON.stringify((d.findings ?? d).find((x) => x.check === "opt-writable-for-packages") ?? null))'`, { merged: true, locked: true });
    expect(result.stdout).toContain('extend 0\n');
    expect(result.stdout).toContain('guardtest-slow\n');
    expect(result.stdout).toContain('opt finding: null\n');
  });

  it('guard check reports a broken /etc/pacman-guard.conf as the shim does', async () => {
    const result = await runInTestbed(`
      ${GUARD_FN}
      printf '[options]\\nPolicy = sometimes\\n' >/etc/pacman-guard.conf
      $GUARD check -- -S guardtest >/dev/null 2>/run/check; echo "check $?"
      $GUARD install --bindir /run/guard-bin --hookdir /etc/pacman.d/hooks --unitdir /run/units --manifest /run/m.json >/dev/null
      /run/guard-bin/pacman -S guardtest 2>/run/shim; echo "shim $?"
      head -2 /run/check; echo ---; head -2 /run/shim`, { merged: true, locked: true });
    expect(result.stdout).toContain('check 3\n');
    expect(result.stdout).toContain('shim 3\n');
    const [check, shim] = result.stdout.split('---\n');
    const configError = "error: /etc/pacman-guard.conf:2: invalid value 'sometimes' for Policy (expected refuse or redirect)";
    expect(check).toContain(configError);
    expect(shim).toContain(configError);
  });

  it("a refused yay names guard update commands, and each does what yay would have done to the base", async () => {
    const result = await runInTestbed(`
      ${GUARD_FN}
      yay() { "$PROJECT_ROOT/wrappers/yay" "$@"; }
      export PACMAN_GUARD_REAL_YAY=/bin/false
      yay 2>/run/err; echo "yay $?"
      advice=$(${ADVICE('To upgrade the base system')} /run/err)
      echo "advice: $advice"
      echo | eval "$advice" >/dev/null 2>&1; echo "followed $?"
      yay -R guardtest-dep 2>/run/err; echo "yay -R $?"
      advice=$(${ADVICE('To change the base system')} /run/err)
      echo "advice: $advice"
      echo | eval "$advice" >/dev/null 2>&1; echo "followed $?"
      pacman -Qq guardtest-dep || echo "guardtest-dep removed"
      $GUARD status --short`, { merged: true, locked: true });
    expect(result.stdout).toContain('yay 3\nadvice: guard update -Syu\nfollowed 0\n');
    expect(result.stdout).toContain('yay -R 3\nadvice: guard update --remove -- guardtest-dep\nfollowed 0\n');
    expect(result.stdout).toContain('guardtest-dep removed\nengaged: 1 extension merged, locked\n');
  });

  it('a refused yay -S names the AUR route, and typed by a user (PKGDEST set, another PKGEXT) it installs the package on the base', async () => {
    const result = await runInTestbed(`
      # A user with sudo, whose secure_path finds guard, as sudoers.example sets up.
      mkdir -p /run/guard-bin /etc/sudoers.d
      printf '#!/bin/sh\\nexec %s "$@"\\n' "$GUARD" >/run/guard-bin/guard; chmod 755 /run/guard-bin/guard
      printf '%s\\n' 'Defaults secure_path="/run/guard-bin:/usr/sbin:/usr/bin:/sbin:/bin"' 'nobody ALL=(root) NOPASSWD: ALL' >/etc/sudoers.d/advice
      chmod 440 /etc/sudoers.d/advice
      home=$(mktemp -d /tmp/aur-user.XXXXXX); mkdir "$home/packages"
      # The user's own makepkg.conf: packages in PKGDEST, compressed as the testbed's (not .pkg.tar.zst).
      { cat "$PROJECT_ROOT/test/testbed/makepkg.conf"; echo "PKGDEST=$home/packages"; } >"$home/.makepkg.conf"
      chown -R nobody "$home"; chmod 755 "$home"
      user() { (cd "$home" && runuser -u nobody -- env HOME="$home" PACMAN_GUARD_REAL_YAY=/bin/false bash -c "$1"); }
      user '"$PROJECT_ROOT/wrappers/yay" -S aurpkg-hello' 2>/run/err; echo "yay $?"
      cat /run/err >&2
      # What yay -G fetches from the AUR: the package's build files in ./aurpkg-hello.
      mkdir "$home/aurpkg-hello"
${aurPkgbuild('$home/aurpkg-hello', 'guardtest-dep')}
      chown -R nobody "$home/aurpkg-hello"
      sed -n '/From the AUR/,/^::/p' /run/err | sed -n 's/^    //p' | grep -v ' -G ' >/run/steps
      while read -r step; do
        echo "+ $step"
        { yes "" || true; } | user "$step" >/run/out 2>&1; status=$?
        echo "-> $status"; [ "$status" = 0 ] || cat /run/out >&2
      done </run/steps
      ls "$home/aurpkg-hello" | grep -c 'pkg.tar' || true
      aurpkg-hello
      pacman -Qq aurpkg-hello
      $GUARD status --short`, { merged: true, locked: true });
    expect(result.stdout, result.stderr).toContain([
      'yay 3',
      '+ (cd aurpkg-hello && makepkg)', '-> 0',
      '+ sudo guard update -U $(cd aurpkg-hello && makepkg --packagelist)', '-> 0',
      '0',
      'hello from the AUR',
      'aurpkg-hello',
      'engaged: 1 extension merged, locked',
    ].join('\n'));
  });
});
