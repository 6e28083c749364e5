/**
 * The yay and paru shims when the helper itself is missing: the package puts
 * them on PATH whether or not yay or paru is installed.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HELPER_NAMES } from '../../../src/helpers/options.js';
import { HELPER_SHIMS } from '../../../src/shim/render-helper.js';
import { checkoutHelperShimPath } from '../../../src/shim/write-checkout-shim.js';

const work = mkdtempSync(join(tmpdir(), 'pacman-guard-helper-shim-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const notExecutable = join(work, 'not-executable');
writeFileSync(notExecutable, '#!/bin/sh\necho ran\n');
chmodSync(notExecutable, 0o644);

describe.each(HELPER_NAMES)('the %s shim without the real helper', (helper) => {
  const { realVariable } = HELPER_SHIMS[helper];

  it.each([
    ['missing', join(work, 'missing')],
    ['not executable', notExecutable],
    ['a directory', work],
  ])('exits 127 when it is %s, naming it and the override', (_, real) => {
    // An empty PATH: the check needs neither node nor guard.
    const result = spawnSync('/bin/sh', [checkoutHelperShimPath(helper), '-S', 'x'], {
      encoding: 'utf8',
      env: { PATH: join(work, 'empty'), [realVariable]: real },
    });
    expect({ status: result.status, stdout: result.stdout, stderr: result.stderr }).toEqual({
      status: 127,
      stdout: '',
      stderr: `error: ${helper} is not installed: ${real} is not an executable file\n  install ${helper}, or set ${realVariable} to the real ${helper} (this ${helper} is the pacman-guard shim)\n`,
    });
  });
});
