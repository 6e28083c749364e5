/**
 * The pacman shim with real pacman, real merges and real bind mounts.
 */
import { expect, it } from 'vitest';
import { describeInTestbed, runInTestbed } from '../testbed/testbed.js';

const SHIM = '"$PROJECT_ROOT/wrappers/pacman"';

describeInTestbed('the pacman shim', () => {
  it('is transparent when nothing is merged: same output, same exit status, real transactions', async () => {
    const result = await runInTestbed(`
      ${SHIM} -Qi guardtest-dep >/run/shim.out 2>&1; echo "shim $?"
      pacman -Qi guardtest-dep >/run/pacman.out 2>&1; echo "pacman $?"
      cmp /run/shim.out /run/pacman.out && echo same-output
      ${SHIM} -Q nonexistent; echo "missing $?"
      ${SHIM} -S --noconfirm guardtest-extra >/dev/null; echo "install $?"
      cat /usr/share/guardtest-extra/file`);
    expect(result.stdout).toBe('shim 0\npacman 0\nsame-output\nmissing 1\ninstall 0\nguardtest-extra file\n');
    expect(result.stderr).toBe("error: package 'nonexistent' was not found\n");
  });

  it('refuses installs while extensions are merged, before pacman runs, and records it', async () => {
    const result = await runInTestbed(`
      ls /var/lib/pacman/local >/run/before
      ${SHIM} -S --noconfirm guardtest-extra; echo "status $?"
      ls /var/lib/pacman/local | cmp -s /run/before - && echo "database unchanged"
      test ! -e /usr/share/guardtest-extra && echo "nothing installed"
      grep -c 'PACMAN-GUARD' /var/log/pacman.log`, { merged: true });
    expect(result.stdout).toBe('status 3\ndatabase unchanged\nnothing installed\n1\n');
    expect(result.stderr).toContain("error: refusing 'pacman -S --noconfirm guardtest-extra' (installing packages): system extensions are merged");
    expect(result.stderr).toContain('  /usr: sample (merged since ');
    expect(result.stderr).toContain("\n:: To change the base system, run it in guard update's maintenance window:\n    guard update -S --noconfirm guardtest-extra\n");
    // No pacman output at all: it never started (no download, no prompt).
    expect(result.stderr).not.toMatch(/resolving dependencies|Proceed|downloading/);
  });

  it('refuses when only the database is locked, and lets queries through', async () => {
    const result = await runInTestbed(`
      ${SHIM} -R --noconfirm guardtest-dep; echo "remove $?"
      ${SHIM} -Q; echo "query $?"
      ${SHIM} -Ss guard >/dev/null; echo "search $?"`, { locked: true });
    expect(result.stdout).toBe('remove 3\nguardtest-dep 1.0-1\nquery 0\nsearch 0\n');
    expect(result.stderr).toContain("pacman's database is locked read-only");
  });

  it('lets another root through (pacstrap-style --root)', async () => {
    const result = await runInTestbed(`
      mkdir -p /run/newroot/var/lib/pacman
      ${SHIM} --root /run/newroot -Sy --noconfirm guardtest-extra >/dev/null; echo "status $?"
      test -e /run/newroot/usr/share/guardtest-extra/file && echo installed-there`, { merged: true, locked: true });
    expect(result.stdout).toBe('status 0\ninstalled-there\n');
  });

  it('fails closed when the state cannot be read', async () => {
    const result = await runInTestbed(`mount -t tmpfs tmpfs /proc; ${SHIM} -S --noconfirm guardtest-extra; echo "status $?"`, { merged: true });
    expect(result.stdout).toBe('status 4\n');
    expect(result.stderr).toMatch(/error: refusing 'pacman -S --noconfirm guardtest-extra' \(installing packages\): cannot tell whether system extensions are merged or the database is locked: cannot read \/proc\/self\/mountinfo/);
  });

  it('works through a symlink on PATH and never runs itself', async () => {
    const result = await runInTestbed(`
      mkdir -p /run/bin && ln -s "$PROJECT_ROOT/wrappers/pacman" /run/bin/pacman
      PATH=/run/bin:$PATH pacman -S --noconfirm guardtest-extra; echo "via symlink $?"
      PACMAN_GUARD_REAL_PACMAN=/run/bin/pacman /run/bin/pacman -Q; echo "loop $?"`, { merged: true });
    expect(result.stdout).toBe('via symlink 3\nloop 4\n');
    expect(result.stderr).toContain('error: pacman-guard: /run/bin/pacman is the pacman shim, not pacman');
  });

  it("exits as pacman does, signals included", async () => {
    const result = await runInTestbed(`
      printf '#!/bin/sh\\nkill -TERM $$\\n' >/run/dying-pacman; chmod +x /run/dying-pacman
      printf '#!/bin/sh\\nexit 42\\n' >/run/failing-pacman; chmod +x /run/failing-pacman
      set +e
      PACMAN_GUARD_REAL_PACMAN=/run/failing-pacman ${SHIM} -Q; echo "status $?"
      PACMAN_GUARD_REAL_PACMAN=/run/dying-pacman ${SHIM} -Q; echo "status $?"`);
    expect(result.stdout).toBe('status 42\nstatus 143\n');
  });
});
