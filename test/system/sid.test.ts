/**
 * The system test on Debian sid's stack (stacks.ts, scenarios.ts). One file
 * per stack, so that vitest's two workers boot two stacks side by side.
 */
import { systemSuite } from './scenarios.js';

systemSuite('sid');
