/**
 * Lines that lock this system's database through --sysroot or --root
 * (issue 21 item 8) meet the guard like any other while it is engaged:
 * refused before pacman runs, with the refusal's text, and audited. Which
 * build locks what is proven line by line by the differential test
 * (docs/sysroot.md has the table); here the shim acts on it, with each build
 * as the real pacman.
 */
import { expect, it } from 'vitest';
import type { PacmanVariant } from '../../src/pacman/options.js';
import { pacmanBuilds } from '../support/pacman-builds.js';
import { describeInTestbed, runInTestbed } from '../testbed/testbed.js';

function inCI(): boolean {
  return process.env.CI === 'true' || process.env.CI === '1';
}

const ALL: readonly PacmanVariant[] = ['6.0', '7.0', '7.1.0', '7.1.0+2df7c407'];
/** Each line, and the builds on which it locks this system's database (the others stop before any lock). */
const LINES: readonly (readonly [line: string, locksHere: readonly PacmanVariant[]])[] = [
  ["--sysroot '' -S --noconfirm guardtest-extra", ['7.0']],
  ['--sysroot /run/linked --config /etc/pacman.conf -S --noconfirm guardtest-extra', ['7.0', '7.1.0', '7.1.0+2df7c407']],
  ['-r /run/linked -S --noconfirm guardtest-extra', ALL],
  ['--sysroot / -b var/lib/pacman -R --noconfirm guardtest-dep', ['6.0', '7.0']],
];

describeInTestbed('lines that lock this system through --sysroot or --root', () => {
  for (const build of pacmanBuilds()) {
    if (build.missing) {
      if (inCI()) it(`pacman ${build.label}`, () => { throw new Error(`pacman ${build.label} is unavailable under CI: ${build.missing}`); });
      continue;
    }
    it(`pacman ${build.label}: refused and audited where this build locks this system, let through where it does not`, async () => {
      const result = await runInTestbed(`
        if [[ -n $PACMAN_PREFIX ]]; then mount --bind /etc/pacman.conf "$PACMAN_PREFIX/etc/pacman.conf" || exit 97; fi
        mkdir -p /run/linked/etc /run/linked/var/lib /run/cwd && cp /etc/pacman.conf /run/linked/etc/ && ln -s /var/lib/pacman /run/linked/var/lib/pacman
        cd /run/cwd
        ${LINES.map(([line]) => `
        logged=$(grep -c PACMAN-GUARD /var/log/pacman.log)
        PACMAN_GUARD_REAL_PACMAN=$PACMAN "$PROJECT_ROOT/wrappers/pacman" ${line} >/dev/null 2>/run/err; status=$?
        grep -q "^error: refusing 'pacman " /run/err && refusal=refusal || refusal=none
        echo "$status $refusal audit:$(( $(grep -c PACMAN-GUARD /var/log/pacman.log) - logged ))"`).join('')}
        test ! -e /usr/share/guardtest-extra && echo "nothing installed"`, { merged: true, locked: true, env: { PACMAN: build.binary!, PACMAN_PREFIX: build.prefix ?? '' } });
      const lines = result.stdout.split('\n');
      LINES.forEach(([line, locksHere], index) => {
        if (locksHere.includes(build.variant)) expect(lines[index], line).toBe('3 refusal audit:1');
        else expect(lines[index], line).toMatch(/^(?!3 )\d+ none audit:0$/);
      });
      expect(lines[LINES.length]).toBe('nothing installed');
    }, 300_000);
  }
});
