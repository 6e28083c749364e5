/**
 * The newcomer's sandbox (npm run sandbox): the scripted demo shows a refused
 * `pacman -S` and a working `pacman -Q`, and leaves the host as it was.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { PROJECT_ROOT, describeInTestbed } from '../testbed/testbed.js';

describeInTestbed('the sandbox demo', () => {
  it('refuses pacman -S, lets pacman -Q through, installs after guard unmerge, and touches nothing on the host', async () => {
    const mounts = readFileSync('/proc/self/mountinfo', 'utf8');
    const { stdout, stderr } = await promisify(execFile)('bash', [`${PROJECT_ROOT}/test/testbed/sandbox.sh`], { encoding: 'utf8', timeout: 280_000 });
    const output = stdout + stderr;
    expect(output).toContain("error: refusing 'pacman -S guardtest' (installing packages): system extensions are merged");
    expect(output).toMatch(/\$ pacman -Q\S*\nguardtest-dep 1\.0-1\n/);
    expect(output).toContain('hello from the demo extension');
    expect(output).toContain('installing guardtest...');
    expect(readFileSync('/proc/self/mountinfo', 'utf8')).toBe(mounts);
    expect(existsSync('/usr/share/guardtest')).toBe(false);
    expect(existsSync('/run/extensions/demo')).toBe(false);
  });

  it('keeps what a session writes to /tmp, /var/tmp and /mnt, and gives sudo the shim first', async () => {
    const probe = `pacman-guard-sandbox-probe-${process.pid}`;
    const places = ['/tmp', '/var/tmp', '/mnt'].filter((dir) => existsSync(dir));
    const session = `touch ${places.map((dir) => `${dir}/${probe}`).join(' ')} && echo touched\ncat /etc/sudoers.d/pacman-guard-sandbox\nexit\n`;
    const child = execFile('bash', [`${PROJECT_ROOT}/test/testbed/sandbox.sh`, '--shell'], { encoding: 'utf8', timeout: 280_000 });
    child.stdin!.end(session);
    const output = await new Promise<string>((resolve, reject) => {
      let text = '';
      child.stdout!.on('data', (chunk: string) => (text += chunk));
      child.stderr!.on('data', (chunk: string) => (text += chunk));
      child.on('error', reject);
      child.on('close', () => resolve(text));
    });
    expect(output).toContain('touched\n');
    expect(output).toContain('Defaults secure_path="/run/guard-bin:');
    expect(output).toContain("files written anywhere else (/home,\n   /root, /srv, the rest of /var, the checkout) stay on the host.");
    expect(places.filter((dir) => existsSync(`${dir}/${probe}`))).toEqual([]);
  });

  it('says how to use it when given something else', async () => {
    const failure = await promisify(execFile)('bash', [`${PROJECT_ROOT}/test/testbed/sandbox.sh`, '--bogus'], { encoding: 'utf8' }).catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 2, stderr: "error: unknown option '--bogus' (usage: npm run sandbox [-- --shell])\n" });
  });
});
