import { describe, expect, it } from 'vitest';
import { answerOf, pacmanAsks, promptText } from '../../../src/pacman/confirm.js';
import { parsePacmanCommand } from '../../../src/pacman/model.js';

describe('pacmanAsks: whether pacman asks its questions (pacman.c, parsearg_global and after parseconfig)', () => {
  it.each([
    ['-S foo', true],
    ['-S --noconfirm foo', false],
    ['-S --noconfirm --confirm foo', true],
    ['-S --confirm --noconfirm foo', false],
    ['-S --noconf foo', false],
    ['-U --confirm x.pkg.tar.zst', true],
    ['-S --ask 4 foo', false],
    ['-S --ask=4 --confirm foo', false],
    ['-Sp foo', false],
    ['-Sp --confirm foo', false],
    ['-Rs --noconfirm foo', false],
    ['-R foo --noconfirm', false],
    ['-R -- --noconfirm', true],
  ])('pacman %s → asks %s', (line, expected) => {
    const args = line.split(' ');
    expect(pacmanAsks(args, parsePacmanCommand(args))).toBe(expected);
  });
});

describe("answerOf: question()'s reading of the line typed", () => {
  it.each([
    [undefined, true, false],
    ['', true, true],
    ['\n', true, true],
    ['  \n', false, false],
    ['y\n', false, true],
    ['Y', false, true],
    ['yes', false, true],
    ['YeS\n', false, true],
    [' y \n', false, true],
    ['n', true, false],
    ['NO\n', true, false],
    ['nope\n', true, false],
    ['ja\n', true, false],
  ] as const)('%j with preset %s → %s', (line, preset, expected) => {
    expect(answerOf(line, preset)).toBe(expected);
  });

  it('prints the choices as pacman does', () => {
    expect(promptText('Proceed with installation?', true)).toBe('Proceed with installation? [Y/n] ');
    expect(promptText('Do you want to remove ALL files from cache?', false)).toBe('Do you want to remove ALL files from cache? [y/N] ');
  });
});
