import { existsSync, readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { describeInTestbed, runInTestbed } from '../testbed/testbed.js';

describeInTestbed('the namespace testbed', () => {
  it('has pacman with the guardtest repository and a base package, and leaves the host untouched', async () => {
    const hostMounts = readFileSync('/proc/self/mountinfo', 'utf8');
    const result = await runInTestbed('pacman -Q; pacman -Sl guardtest');
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain('guardtest-dep 1.0-1');
    expect(result.stdout).toContain('guardtest guardtest 1.0-1');
    expect(readFileSync('/proc/self/mountinfo', 'utf8')).toBe(hostMounts);
  });

  it('installs into a throw-away /usr: the host never sees testbed packages', async () => {
    const result = await runInTestbed('pacman -S --noconfirm guardtest-extra >/dev/null; cat /usr/share/guardtest-extra/file');
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toBe('guardtest-extra file\n');
    for (const path of ['/usr/share/guardtest-dep', '/usr/share/guardtest-extra', '/var/lib/pacman/local/guardtest-dep-1.0-1', '/var/lib/extensions', '/etc/pacman.d/hooks']) {
      expect(existsSync(path), path).toBe(false);
    }
  });

  it('runs real transactions', async () => {
    const result = await runInTestbed('pacman -S --noconfirm guardtest >/dev/null; cat /usr/share/guardtest/hello; pacman -Q guardtest');
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toBe('hello from guardtest\nguardtest 1.0-1\n');
  });

  it('merges a real system extension over /usr', async () => {
    const result = await runInTestbed('grep " - overlay sysext " /proc/self/mountinfo; cat /usr/share/sample/file; systemd-sysext list', { merged: true });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/ \/usr ro,.* - overlay sysext ro,lowerdir=/);
    expect(result.stdout).toContain('from extension sample');
    expect(result.stdout).toMatch(/sample\s/);
  });

  it('locks the database with a read-only self-bind that pacman cannot take', async () => {
    const result = await runInTestbed('ls /var/lib/pacman/local > /run/before; pacman -S --noconfirm guardtest-extra || echo "pacman failed: $?"; ls /var/lib/pacman/local | diff /run/before - && echo unchanged', { locked: true });
    expect(result.stdout).toContain('pacman failed: 1');
    expect(result.stdout).toContain('unchanged');
    expect(result.stderr).toContain('could not lock database');
  });
});
