/**
 * The shim's refusals in pacman's colours, decided as pacman decides them:
 * pacman's --color (the last one), then Color in pacman.conf with stdout a
 * terminal (script(1) provides one). Compared with real pacman's own output.
 */
import { expect, it } from 'vitest';
import { describeInTestbed, runInTestbed } from '../testbed/testbed.js';

const SHIM_FIRST = 'export PATH=$PROJECT_ROOT/wrappers:$PATH';
const ERROR = '\u001b[1;31merror: \u001b[0m';
const COLON = '\u001b[1;34m::\u001b[0;1m ';

describeInTestbed("the shim's refusals in pacman's colours", () => {
  it('pacman --color always -S x is coloured as pacman colours its own errors, --color=never is not', async () => {
    const result = await runInTestbed(`${SHIM_FIRST}
      pacman --color always -Q nonexistent 2>&1 | head -c ${ERROR.length}; echo; echo "status ---"
      pacman --color always -S guardtest 2>&1; echo "status $? ---"
      pacman --color=never -S guardtest 2>&1; echo "status $? ---"
      pacman --color never --color always -S guardtest 2>&1 | head -n1`, { merged: true });
    expect(result.stdout.match(/^status .*---$/gm)).toEqual(['status ---', 'status 3 ---', 'status 3 ---']);
    const [pacmansOwn, coloured, plain, lastWins] = result.stdout.split(/^status .*---\n/m);
    // Real pacman's error prefix, byte for byte, is the one the refusal uses.
    expect(pacmansOwn!.split('\n')[0]).toBe(ERROR);
    expect(coloured!.startsWith(`${ERROR}refusing 'pacman --color always -S guardtest' (installing packages): `)).toBe(true);
    expect(coloured).toMatch(new RegExp(`^${COLON.replace(/\[/g, '\\[')}To change the base system`, 'm'));
    expect(coloured).not.toMatch(/^:: /m);
    expect(plain).not.toContain('\u001b');
    expect(plain!.startsWith("error: refusing 'pacman --color=never -S guardtest' (installing packages): ")).toBe(true);
    expect(lastWins!.startsWith(ERROR)).toBe(true);
  });

  it("follows pacman.conf's Color on a terminal, and --color never over it", async () => {
    const result = await runInTestbed(`${SHIM_FIRST}
      script -qec 'pacman -S guardtest' /dev/null | head -n1; echo ---
      sed -i 's/^\\[options\\]/[options]\\nColor/' /etc/pacman.conf
      script -qec 'pacman -Q nonexistent' /dev/null; echo ---
      script -qec 'pacman -S guardtest' /dev/null | head -n1; echo ---
      script -qec 'pacman --color never -S guardtest' /dev/null | head -n1; echo ---
      pacman -S guardtest 2>&1 | head -n1; echo ---
      script -qec 'NO_COLOR=1 pacman -S guardtest' /dev/null | head -n1`, { merged: true });
    const [noColorOption, pacmansOwn, withColor, never, notATerminal, noColorEnv] = result.stdout.split('---\n');
    expect(noColorOption).toMatch(/^error: refusing 'pacman -S guardtest'/);
    expect(pacmansOwn).toMatch(/^\u001b\[1;31merror: \u001b\[0mpackage 'nonexistent' was not found/);
    expect(withColor!.startsWith(`${ERROR}refusing 'pacman -S guardtest'`)).toBe(true);
    expect(never).toMatch(/^error: refusing 'pacman --color never -S guardtest'/);
    expect(notATerminal).toMatch(/^error: refusing 'pacman -S guardtest'/);
    expect(noColorEnv).toMatch(/^error: refusing 'pacman -S guardtest'/);
  });

  it("colours the yay and paru shims' refusals the same way: the helper's --color, then pacman.conf's Color", async () => {
    // /bin/true stands in for the helpers: a refusal never runs them.
    const result = await runInTestbed(`${SHIM_FIRST}
      export PACMAN_GUARD_REAL_YAY=/bin/true PACMAN_GUARD_REAL_PARU=/bin/true
      yay --color always -S guardtest 2>&1 | head -n1; echo ---
      paru --color=always -S guardtest 2>&1 | head -n1; echo ---
      yay --color=never -S guardtest 2>&1 | head -n1; echo ---
      sed -i 's/^\\[options\\]/[options]\\nColor/' /etc/pacman.conf
      script -qec 'paru -S guardtest' /dev/null | head -n1; echo ---
      script -qec 'yay --color never -S guardtest' /dev/null | head -n1`, { merged: true });
    const [yayAlways, paruAlways, yayNever, paruTerminal, yayNeverOnTerminal] = result.stdout.split('---\n');
    expect(yayAlways!.startsWith(`${ERROR}refusing 'yay --color always -S guardtest'`), yayAlways).toBe(true);
    expect(paruAlways!.startsWith(`${ERROR}refusing 'paru --color=always -S guardtest'`), paruAlways).toBe(true);
    expect(yayNever).toMatch(/^error: refusing 'yay --color=never -S guardtest'/);
    expect(paruTerminal!.startsWith(`${ERROR}refusing 'paru -S guardtest'`), paruTerminal).toBe(true);
    expect(yayNeverOnTerminal).toMatch(/^error: refusing 'yay --color never -S guardtest'/);
  });
});
