/**
 * Writes wrappers/pacman, the shim as it runs from a checkout
 * (`npm run generate`). A unit test fails when the committed file differs
 * from what this renders, so the shim cannot drift from the model.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { deriveFastPathRules } from './fast-path.js';
import { CHECKOUT_SHIM_SETTINGS, renderShim } from './render.js';

export const CHECKOUT_SHIM_PATH = fileURLToPath(new URL('../../wrappers/pacman', import.meta.url));

export function renderCheckoutShim(): string {
  return renderShim(CHECKOUT_SHIM_SETTINGS, deriveFastPathRules());
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(CHECKOUT_SHIM_PATH, renderCheckoutShim());
  chmodSync(CHECKOUT_SHIM_PATH, 0o755);
  console.log(`wrote ${CHECKOUT_SHIM_PATH}`);
}
