/**
 * Advice that works when typed (issue 24): each test provokes a refusal or a
 * finding in the namespace testbed, reads the command it names from the
 * output, types exactly that, and checks that it did what was promised.
 */
import { expect, it } from 'vitest';
import { describeInTestbed, runInTestbed } from '../testbed/testbed.js';

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

  it('the file-clash refusal names guard update, not an unmerge and pacman', async () => {
    const result = await runInTestbed(`
      ${GUARD_FN}
      $GUARD extend guardtest-clash; echo "extend $?"`, { merged: true, locked: true });
    expect(result.stdout).toContain('extend 3\n');
    expect(result.stderr).toContain('  an overlay hides such files instead of failing; install on the base system instead:\n    guard update -S guardtest-clash\n');
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
});
