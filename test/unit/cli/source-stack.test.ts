import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sourceMappedStack } from '../../../src/cli/source-stack.js';

describe('an internal error\'s stack through the bundle\'s source map', () => {
  let dir: string;
  let stack: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'source-stack-'));
    // Bundled the way scripts/bundle.mjs bundles: two TypeScript modules into one file.
    writeFileSync(join(dir, 'deep.ts'), 'export function deep(): never {\n  const reason: string = "deliberate";\n  throw new Error(reason);\n}\n');
    writeFileSync(join(dir, 'entry.ts'), 'import { deep } from "./deep.js";\ntry {\n  deep();\n} catch (error) {\n  console.log((error as Error).stack);\n}\n');
    // An ES module, as dist/ is: its frames are file: URLs.
    mkdirSync(join(dir, 'out'));
    writeFileSync(join(dir, 'out/package.json'), '{"type":"module"}');
    await build({ entryPoints: [join(dir, 'entry.ts')], outfile: join(dir, 'out/entry.js'), bundle: true, format: 'esm', platform: 'node', sourcemap: true, logLevel: 'silent' });
    stack = execFileSync(process.execPath, [join(dir, 'out/entry.js')], { encoding: 'utf8' });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names the TypeScript file and line of each bundled frame', () => {
    expect(stack).toContain(`file://${join(dir, 'out/entry.js')}:`);
    const mapped = sourceMappedStack(stack);
    expect(mapped).toMatch(new RegExp(`at deep \\(${join(dir, 'deep.ts')}:3:\\d+\\)`));
    expect(mapped).toContain(`${join(dir, 'entry.ts')}:3:`);
    expect(mapped).not.toContain('out/entry.js');
  });

  it('leaves a frame without a map as it was', () => {
    const frame = `    at run (file://${join(dir, 'nowhere.js')}:10:5)`;
    expect(sourceMappedStack(frame)).toBe(frame);
  });
});
