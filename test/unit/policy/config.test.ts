import { readFileSync } from 'node:fs';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseGuardConfig } from '../../../src/policy/config.js';
import { readGuardConfig } from '../../../src/system/guard-config-file.js';
import { GuardError } from '../../../src/errors.js';
import { ExitCode } from '../../../src/exit-codes.js';

const parse = (text: string) => parseGuardConfig(text, 'test.conf');
const errorOf = (text: string) => {
  try {
    parse(text);
  } catch (error) {
    if (error instanceof GuardError) return `${error.exitCode} ${error.message}`;
    throw error;
  }
  return 'no error';
};

describe('parseGuardConfig', () => {
  it.each([
    ['', 'refuse'],
    ['# nothing\n\n', 'refuse'],
    ['[options]\n', 'refuse'],
    ['[options]\nPolicy = redirect\n', 'redirect'],
    ['[options]\nPolicy=refuse', 'refuse'],
    ['  [ options ]  \n\tPolicy   =   redirect   # trailing comment\n', 'redirect'],
    ['[options]\r\nPolicy = redirect\r\n', 'redirect'],
  ])('%j → %s', (text, policy) => {
    expect(parse(text).policy).toBe(policy);
  });

  it.each([
    ['Policy = redirect', "2 test.conf:1: 'Policy = redirect' is outside a section; put it under [options]"],
    ['[options]\nPolcy = redirect', "2 test.conf:2: unknown option 'Polcy' (known: Policy)"],
    ['[options]\nPolicy = Redirect', "2 test.conf:2: invalid value 'Redirect' for Policy (expected refuse or redirect)"],
    ['[options]\nPolicy = allow', "2 test.conf:2: invalid value 'allow' for Policy (expected refuse or redirect)"],
    ['[options]\nPolicy', "2 test.conf:2: 'Policy' needs a value (refuse or redirect)"],
    ['[options]\nPolicy =', "2 test.conf:2: 'Policy' needs a value (refuse or redirect)"],
    ['[options]\nPolicy = redirect\nPolicy = refuse', "2 test.conf:3: 'Policy' is set twice"],
    ['[repo]\nPolicy = redirect', "2 test.conf:1: unknown section '[repo]' (only [options] exists)"],
    ['[options\nPolicy = redirect', "2 test.conf:1: malformed section header '[options'"],
  ])('%j is an error: %s', (text, expected) => {
    expect(errorOf(text)).toBe(expected);
  });

  it('the shipped packaging/pacman-guard.conf parses to the default', () => {
    const text = readFileSync(new URL('../../../packaging/pacman-guard.conf', import.meta.url), 'utf8');
    expect(parse(text)).toEqual({ policy: 'refuse' });
    expect(parse(text.replace('#Policy = refuse', 'Policy = redirect'))).toEqual({ policy: 'redirect' });
  });
});

describe('readGuardConfig', () => {
  const directory = mkdtempSync(join(tmpdir(), 'guard-config-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('a missing file is the default', async () => {
    await expect(readGuardConfig(join(directory, 'absent.conf'))).resolves.toEqual({ policy: 'refuse' });
  });

  it('reads the file', async () => {
    const path = join(directory, 'redirect.conf');
    writeFileSync(path, '[options]\nPolicy = redirect\n');
    await expect(readGuardConfig(path)).resolves.toEqual({ policy: 'redirect' });
  });

  it('a directory in its place is an error that says so, and state unknown', async () => {
    await expect(readGuardConfig(directory)).rejects.toMatchObject({ exitCode: ExitCode.StateUnknown, message: `${directory} is a directory, not a configuration file` });
  });

  it('a binary file is an error that says so, and never echoes its bytes', async () => {
    const path = join(directory, 'binary.conf');
    writeFileSync(path, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x1b, 0x5b, 0x32, 0x4a, 0x0a]));
    await expect(readGuardConfig(path)).rejects.toMatchObject({ exitCode: ExitCode.StateUnknown, message: `${path} is not a text file (it contains binary data)` });
  });

  it('control characters in a quoted line are escaped', () => {
    expect(errorOf('[options]\nPolicy = \u001b[2Jredirect')).toBe("2 test.conf:2: invalid value '\\x1b[2Jredirect' for Policy (expected refuse or redirect)");
  });

  it.skipIf(process.getuid?.() === 0)('an unreadable file is an error, not the default', async () => {
    const path = join(directory, 'unreadable.conf');
    writeFileSync(path, '[options]\nPolicy = redirect\n');
    chmodSync(path, 0o000);
    await expect(readGuardConfig(path)).rejects.toMatchObject({ exitCode: ExitCode.StateUnknown });
  });
});
