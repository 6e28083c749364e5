/**
 * Carries out a removal plan's steps (src/extend/removal.ts): an extension
 * left with nothing is removed, one left with some packages is rebuilt with
 * exactly those, each keeping its install reason. The redirect of pacman -R
 * and `guard extend --prune` both come here.
 */
import { extend, removeExtension, type ExtendResult } from './extend.js';
import type { RemovalStep } from './removal.js';

export interface ApplyOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly realPacman: string;
  readonly progress: (line: string) => void;
  readonly removed: (extension: string) => void;
  readonly rebuilt: (result: ExtendResult) => void;
}

export async function applyRemoval(steps: readonly RemovalStep[], options: ApplyOptions): Promise<void> {
  for (const step of steps) {
    if (step.action === 'remove') {
      await removeExtension(step.extension);
      options.removed(step.extension);
    } else {
      options.rebuilt(await extend({
        targets: step.targets,
        name: step.extension,
        ...(step.dependencies ? { dependencies: step.dependencies } : {}),
        env: options.env,
        realPacman: options.realPacman,
        progress: options.progress,
      }));
    }
  }
}
