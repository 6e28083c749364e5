/**
 * Writes wrappers/pacman, wrappers/yay and wrappers/paru, the shims as they
 * run from a checkout (`npm run generate`). A unit test fails when a
 * committed file differs from what this renders, so the shims cannot drift
 * from the models.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { HELPER_NAMES, type HelperName } from '../helpers/options.js';
import { deriveFastPathRules } from './fast-path.js';
import { helperFastPathRules } from './derive-helper-fast-path.js';
import { checkoutHelperShimSettings, renderHelperShim } from './render-helper.js';
import { CHECKOUT_SHIM_SETTINGS, renderShim } from './render.js';

export const CHECKOUT_SHIM_PATH = fileURLToPath(new URL('../../wrappers/pacman', import.meta.url));

export function checkoutHelperShimPath(helper: HelperName): string {
  return fileURLToPath(new URL(`../../wrappers/${helper}`, import.meta.url));
}

export function renderCheckoutShim(): string {
  return renderShim(CHECKOUT_SHIM_SETTINGS, deriveFastPathRules());
}

export function renderCheckoutHelperShim(helper: HelperName): string {
  return renderHelperShim(helper, checkoutHelperShimSettings(helper), helperFastPathRules(helper));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const files: [string, string][] = [
    [CHECKOUT_SHIM_PATH, renderCheckoutShim()],
    ...HELPER_NAMES.map((helper): [string, string] => [checkoutHelperShimPath(helper), renderCheckoutHelperShim(helper)]),
  ];
  for (const [path, content] of files) {
    writeFileSync(path, content);
    chmodSync(path, 0o755);
    console.log(`wrote ${path}`);
  }
}
