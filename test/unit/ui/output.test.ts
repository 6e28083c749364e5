import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { pacmanColorFlag } from '../../../src/cli/pacman-color.js';
import { parsePacmanCommand } from '../../../src/pacman/model.js';
import { createOutput, shouldColor } from '../../../src/ui/output.js';

describe('when to colour, as pacman decides', () => {
  it.each([
    [{ isTTY: true }, false],
    [{ isTTY: true, pacmanConfColor: true }, true],
    [{ isTTY: false, pacmanConfColor: true }, false],
    [{ isTTY: true, pacmanConfColor: true, noColorEnv: '1' }, false],
    [{ isTTY: false, flag: 'always' as const, noColorEnv: '1' }, true],
    [{ isTTY: false, flag: 'always' as const }, true],
    [{ isTTY: true, flag: 'never' as const, pacmanConfColor: true }, false],
    [{ isTTY: true, flag: 'auto' as const }, true],
    [{ isTTY: true, flag: 'auto' as const, noColorEnv: '1' }, false],
    [{ isTTY: false, flag: 'auto' as const, pacmanConfColor: true }, false],
  ])('colour for %j is %s', (inputs, expected) => expect(shouldColor(inputs)).toBe(expected));

  it.each([
    ['-S x', undefined],
    ['--color always -S x', 'always'],
    ['--color=never -S x', 'never'],
    ['-S --color never --color always x', 'always'],
    ['-S --color always --col=never x', 'never'],
    ['-S x --color auto', 'auto'],
    ['-S -- --color always', undefined],
  ])("pacman %s: pacman's --color is %s (the last one, as pacman parses it)", (line, expected) => {
    expect(pacmanColorFlag(parsePacmanCommand(line.split(' ')))).toBe(expected);
  });
});

function printed(color: boolean) {
  let out = '';
  let err = '';
  const sink = (append: (text: string) => void) => new Writable({ write(chunk, _, done) { append(String(chunk)); done(); } });
  const output = createOutput({ color, out: sink((text) => (out += text)), err: sink((text) => (err += text)) });
  output.error("refusing 'pacman -S x' (installing packages): reason", '  /usr: sample', ':: To run it anyway:', '    guard unmerge');
  output.warning('could not write');
  output.heading('Building');
  output.line(`run ${output.bold('guard doctor')}`);
  return { out, err };
}

describe("messages in pacman's style", () => {
  it('without colour: plain prefixes', () => {
    expect(printed(false)).toEqual({
      err: "error: refusing 'pacman -S x' (installing packages): reason\n  /usr: sample\n:: To run it anyway:\n    guard unmerge\nwarning: could not write\n",
      out: ':: Building\nrun guard doctor\n',
    });
  });

  it("with colour: pacman's own sequences (bold red error:, bold yellow warning:, bold blue :: before bold text)", () => {
    expect(printed(true)).toEqual({
      err: "\u001b[1;31merror: \u001b[0mrefusing 'pacman -S x' (installing packages): reason\n  /usr: sample\n"
        + '\u001b[1;34m::\u001b[0;1m To run it anyway:\u001b[0m\n    guard unmerge\n\u001b[1;33mwarning: \u001b[0mcould not write\n',
      out: '\u001b[1;34m::\u001b[0;1m Building\u001b[0m\nrun \u001b[0;1mguard doctor\u001b[0m\n',
    });
  });
});
