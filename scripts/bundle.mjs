#!/usr/bin/env node
// Bundles guard's hot paths into dist/cli/main.js, over the file tsc wrote
// (npm run build runs tsc first). Node then reads one file where it read one
// per module: on the refusal, the hook and guard status, resolving, reading
// and compiling some 40 small ES modules was the largest part of start-up
// after Node's own (--cpu-prof; figures in npm run bench).
//
// What is bundled: main.ts and everything it imports statically, and the
// commands and modules the hot paths import lazily (HOT below). Every other
// lazy import (guard install, update, extend, docs, the redirect policy …)
// stays an import of the file tsc wrote in dist/, so those commands load
// exactly as before, and the installed layout stays tsc's dist/ tree. So
// does a module that finds files relative to itself (new URL(…,
// import.meta.url)): it is imported from its own place in dist/.
//
// The source map (main.js.map) names the TypeScript file and line of every
// bundled function; guard's internal-error report maps its stack through it
// (src/cli/source-stack.ts).
//
// Measured against the alternatives (issue 16; Node 20, 2-core machine under
// load; CPU time of `guard shim-check` refusing, as a ratio to a bare node
// start, medians of 25 alternating runs in the testbed, each run with tsc's
// modules beside it): esbuild with code splitting 1.35× where tsc's modules
// took 1.45× (some 20 chunks still on the path); one CommonJS file of
// everything 1.45× where tsc's took 1.61× (650 kB to parse on every start);
// a startup snapshot (node --snapshot-blob) 1.68× where tsc's took 1.68×: no
// gain, and a blob only the node binary that built it can load, so every
// nodejs upgrade would break guard until it was rebuilt. This bundle:
// npm run bench's figures. V8's compile cache (module.enableCompileCache) is
// Node 22's; Node 20 has no such API. Measured for issue 21 on sid's node 24
// (NODE_COMPILE_CACHE on the boot's two steps): no gain, not kept
// (docs/stacks.md, the boot cost).
//
// Tried for issue 16 and not kept, because no measurement could tell them
// from the bundle as it is (user-space instructions by callgrind in the
// testbed, one run each; two runs of one build differed by up to 7M):
// leaving helper-check and the yay/paru machinery out of the bundle (120 kB
// instead of 151 kB) took the refusal 595.1M where the bundle took 605.4M,
// guard status 584.0M where it took 589.5M; esbuild's minifyWhitespace and
// minifySyntax (115 kB) 603.5M and 590.8M; both (93 kB) 604.8M and 581.0M.
// Importing node:fs and the other built-ins through createRequire instead of
// `import` (which makes Node evaluate fs's lazy stream getters): 601.0M and
// 593.5M; guard writes to process.stdout and stderr, which load the streams
// anyway. Timing runs (40 interleaved, CPU as a ratio to a bare node start)
// put the variants within 0.04 of each other.
// What does cost the refusal is a scavenge (about 4 ms, --trace-gc): it
// allocates some 1.3 MB in V8's young generation (the bundle's source text
// is 148 kB of it), where a bare node start allocates 0.46 MB, against a
// first semi-space of 1 MB (v8.getHeapSpaceStatistics at exit, GC held off).

import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const source = join(root, 'src');
const entry = join(source, 'cli/main.ts');
const outfile = join(root, 'dist/cli/main.js');

/** Lazily imported modules that the refusal, the hook, guard status and the helpers' slow path need. */
const HOT = new Set([
  'cli/commands/shim-check.ts',
  'cli/commands/helper-check.ts',
  'cli/commands/status.ts',
  'cli/commands/hook.ts',
  'cli/commands/check.ts',
  'cli/pacman-color.ts',
  'policy/refusal.ts',
  'audit/entry.ts',
  'audit/record.ts',
]);

const findsFilesBesideItself = (file) => /new URL\([^)]*import\.meta\.url/.test(readFileSync(file, 'utf8'));

/**
 * Leaves a module to tsc's copy in dist/, imported relative to the bundle (at
 * outfile): a module that finds files beside itself, and unless lazy imports
 * are bundled too, one imported lazily that is not on a hot path.
 */
const inPlace = (outfile, { bundleLazy = false } = {}) => ({
  name: 'in-place',
  setup(esbuild) {
    esbuild.onResolve({ filter: /^\.\.?\// }, ({ path, resolveDir, kind }) => {
      const file = resolve(resolveDir, path).replace(/\.js$/, '.ts');
      const module = relative(source, file);
      if (module.startsWith('..')) return undefined;
      const lazyAndCold = !bundleLazy && kind === 'dynamic-import' && !HOT.has(module);
      if (!lazyAndCold && !findsFilesBesideItself(file)) return undefined;
      const compiled = join(root, 'dist', module.replace(/\.ts$/, '.js'));
      const specifier = relative(dirname(outfile), compiled);
      return { path: specifier.startsWith('.') ? specifier : `./${specifier}`, external: true };
    });
  },
});

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Dependencies stay in node_modules (none is on a hot path: test/integration/module-count.test.ts).
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
};

// The shebang comes along from main.ts.
await build({ ...common, entryPoints: [entry], outfile, plugins: [inPlace(outfile)] });

/**
 * The boot's path, bundled on its own: systemd-sysext.service's drop-in runs
 * `guard lock --fit` before systemd-sysext and `guard settle` after it
 * (hooks/systemd/pacman-guard.conf.in), both commands of cli/commands/lock.ts,
 * which main.js imports lazily. Over tsc's lock.js, as one file: the boot
 * reads two files where it read some 40 (docs/stacks.md, the boot cost).
 * Not in main.js: its static imports (proper-lockfile, node:crypto,
 * node:async_hooks, node:child_process) would load on every refusal and hook.
 * It holds its own copies of the few modules main.js has too (errors.ts
 * among them: GuardError is recognised across copies, src/errors.ts);
 * nothing it shares state with is left outside it.
 */
const BOOT = 'cli/commands/lock.ts';
const bootFile = join(root, 'dist', BOOT.replace(/\.ts$/, '.js'));
await build({ ...common, entryPoints: [join(source, BOOT)], outfile: bootFile, plugins: [inPlace(bootFile)] });

/**
 * guard update (issue 23), bundled on its own the same way, over tsc's
 * cli/commands/update.js: the command and everything it imports in one file,
 * where Node read some 60 (the update, the lock, the probe, guard extend's
 * rebuild). Measured (`import()` of the command, fastest of 8 runs, this
 * 2-core machine under load): 144-184 ms from tsc's files, 70-94 ms from the
 * bundle; npm run bench's update-change state shows what it adds to guard
 * update -Syu. Unlike above, its lazy imports are bundled too, so that every
 * module has one copy in the process: serialize.ts's record of the locks held
 * (an AsyncLocalStorage) must be the same one for guard update and the guard
 * extend it runs inside its window. A module that finds files beside itself
 * stays tsc's.
 */
const updateFile = join(root, 'dist/cli/commands/update.js');
await build({ ...common, entryPoints: [join(source, 'cli/commands/update.ts')], outfile: updateFile, plugins: [inPlace(updateFile, { bundleLazy: true })] });
