import { describe, expect, it } from 'vitest';
import { parseForVariants } from '../../../src/cli/judge.js';
import { parsePacmanCommand } from '../../../src/pacman/model.js';
import { PACMAN_VARIANTS } from '../../../src/pacman/options.js';
import { variantsForVersion } from '../../../src/system/pacman-version.js';
import { DISABLE_SANDBOX_ABBREVIATIONS } from '../../support/pacman7-edge-cases.js';
import { samplePacmanCommandLines } from '../../support/pacman-command-arbitrary.js';

const words = (line: string) => line.split(' ').filter(Boolean);
const PACMAN_7_1_0 = variantsForVersion('Pacman v7.1.0 - libalpm v16.0.0')!;

describe('variants that print the same version: the reading that locks wins', () => {
  it('"Pacman v7.1.0" is the tag or a build with 2df7c407', () => {
    expect(PACMAN_7_1_0).toEqual(['7.1.0', '7.1.0+2df7c407']);
  });

  it.each(DISABLE_SANDBOX_ABBREVIATIONS)('%s takes the lock whichever 7.1.0 it is', (line) => {
    const command = parseForVariants(words(line), PACMAN_7_1_0, {});
    expect(command.needsLock).toBe(true);
    expect(command.variant).toBe('7.1.0');
  });

  it('takes the newest reading when none locks', () => {
    const command = parseForVariants(['-S', '--disable-sandbox-filesystem', '-s', 'x'], PACMAN_7_1_0, {});
    expect(command.variant).toBe('7.1.0+2df7c407');
    expect(command.needsLock).toBe(false);
  });

  it('never reads "no lock" where one of the variants locks (generated lines, every set of variants)', () => {
    const lines = samplePacmanCommandLines(2_000, 13);
    const sets = [PACMAN_7_1_0, PACMAN_VARIANTS, ['7.0', '7.1.0'] as const];
    for (const args of lines) {
      for (const variants of sets) {
        const anyLocks = variants.some((variant) => parsePacmanCommand(args, { variant }).needsLock);
        expect(parseForVariants(args, variants, {}).needsLock, `${args.join(' ')} for ${variants.join(', ')}`).toBe(anyLocks);
      }
    }
  });

  it('parses for every variant when given none', () => {
    expect(parseForVariants(['-S', '--disable-s', 'x'], [], {}).needsLock).toBe(true);
  });

  it('POSIXLY_CORRECT in the environment reaches every reading', () => {
    expect(parseForVariants(['-Ss', 'guard', '-y'], PACMAN_7_1_0, { POSIXLY_CORRECT: '1' }).needsLock).toBe(false);
    expect(parseForVariants(['-Ss', 'guard', '-y'], PACMAN_7_1_0, {}).needsLock).toBe(true);
  });
});
