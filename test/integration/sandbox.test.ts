/**
 * The newcomer's sandbox (npm run sandbox): the scripted demo shows a refused
 * `pacman -S` and a working `pacman -Q`, and leaves the host as it was.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { onPath } from '../testbed/namespace.js';
import { PROJECT_ROOT, describeInTestbed } from '../testbed/testbed.js';

/** Times differ from run to run: one placeholder for every time in pacman's format. */
const timeless = (text: string) => text.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}/g, '<time>');

/** The README's console blocks that say they are captured from the sandbox (an HTML comment right above them). */
export function capturedBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/<!-- captured: npm run sandbox[^\n]*-->\n```console\n([\s\S]*?)```/g)].map((match) => match[1]!);
}

describeInTestbed('the sandbox demo', () => {
  it('refuses pacman -S, follows the advice it prints, shows every transcript the README claims, and touches nothing on the host', async () => {
    const mounts = readFileSync('/proc/self/mountinfo', 'utf8');
    const { stdout, stderr } = await promisify(execFile)('bash', [`${PROJECT_ROOT}/test/testbed/sandbox.sh`], { encoding: 'utf8', timeout: 280_000 });
    const output = stdout + stderr;
    expect(output).toContain("error: refusing 'pacman -S guardtest' (installing packages): system extensions are merged");
    expect(output).toMatch(/# pacman -Q\nguardtest-dep 1\.0-1\n/);
    expect(output).toContain('hello from the demo extension');
    // The advice, as printed, is what the demo types next; it installs guardtest on the base and engages again.
    // One stream, as a terminal shows it: the demo sends each command's stderr to stdout.
    const advice = /:: To change the base system, run it in guard update's maintenance window:\n {4}(.*)\n/.exec(stdout)?.[1];
    expect(advice).toBe('guard update -S guardtest');
    expect(stdout).toContain(`# ${advice}\n`);
    expect(stdout).toMatch(/# pacman -Q\nguardtest 1\.0-1\nguardtest-dep 1\.0-1\n# guard status --short\nengaged: 1 extension merged, locked\n# echo \$\?\n3\n/);
    const readme = readFileSync(`${PROJECT_ROOT}/README.md`, 'utf8');
    const blocks = capturedBlocks(readme);
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    for (const block of blocks) expect(timeless(stdout), block).toContain(timeless(block));
    expect(readFileSync('/proc/self/mountinfo', 'utf8')).toBe(mounts);
    expect(existsSync('/usr/share/guardtest')).toBe(false);
    expect(existsSync('/run/extensions/demo')).toBe(false);
  });

  it('keeps what a session writes to /tmp, /var/tmp and /mnt, and gives sudo the shim first', async () => {
    const probe = `pacman-guard-sandbox-probe-${process.pid}`;
    const places = ['/tmp', '/var/tmp', '/mnt'].filter((dir) => existsSync(dir));
    // guard is an executable on PATH, not a shell function: sudo finds it (and the shim) through secure_path.
    const sudo = onPath('sudo') ? 'sudo guard status --short; echo "sudo guard $?"\nsudo sh -c \'command -v pacman\'\n' : '';
    const session = `touch ${places.map((dir) => `${dir}/${probe}`).join(' ')} && echo touched\ncat /etc/sudoers.d/pacman-guard-sandbox\ntype -t guard\n${sudo}exit\n`;
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
    expect(output).toContain('\nfile\n');
    if (onPath('sudo') || process.env.CI === 'true') {
      expect(output).toContain('engaged: 1 extension merged, locked\nsudo guard 3\n');
      expect(output).toContain('\n/run/guard-bin/pacman\n');
    }
    expect(output).toContain('Defaults secure_path="/run/guard-bin:');
    expect(output).toContain("files written anywhere else (/home,\n   /root, /srv, the rest of /var, the checkout) stay on the host.");
    expect(places.filter((dir) => existsSync(`${dir}/${probe}`))).toEqual([]);
  });

  it('says how to use it when given something else', async () => {
    const failure = await promisify(execFile)('bash', [`${PROJECT_ROOT}/test/testbed/sandbox.sh`, '--bogus'], { encoding: 'utf8' }).catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 2, stderr: "error: unknown option '--bogus' (usage: npm run sandbox [-- --shell])\n" });
  });
});
