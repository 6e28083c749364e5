import { expect, it } from 'vitest';
import { shouldColor } from '../../../src/ui/output.js';

it.each([
  [{ isTTY: true }, false],
  [{ isTTY: true, pacmanConfColor: true }, true],
  [{ isTTY: false, pacmanConfColor: true }, false],
  [{ isTTY: true, pacmanConfColor: true, noColorEnv: '1' }, false],
  [{ isTTY: false, flag: 'always' as const, noColorEnv: '1' }, true],
  [{ isTTY: true, flag: 'never' as const, pacmanConfColor: true }, false],
  [{ isTTY: true, flag: 'auto' as const }, true],
  [{ isTTY: false, flag: 'auto' as const }, false],
])('colour for %j is %s', (inputs, expected) => expect(shouldColor(inputs)).toBe(expected));
