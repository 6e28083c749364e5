import { readFileSync } from 'node:fs';

/** A recorded /proc/self/mountinfo from test/fixtures/mountinfo/. */
export const sample = (name: string) => readFileSync(new URL(`../fixtures/mountinfo/${name}.txt`, import.meta.url), 'utf8');
