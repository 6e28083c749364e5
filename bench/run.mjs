#!/usr/bin/env node
// Benchmarks (npm run bench): figures and ratios, never pass/fail.
//  1. the command-line model on a 10,000-target command line (budget 10 ms)
//  2. the mountinfo parser on a 10,000-line table (budget 20 ms)
//  3. the shim against /usr/bin/pacman in the namespace testbed (root only):
//     `pacman -Q` direct vs through the shim, disengaged and engaged
//     (budget +15 %), and how long a refusal takes (budget 150 ms).
// Every figure is measured in this run, next to real pacman measured in the same run.
import { execFileSync, spawnSync } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parsePacmanCommand } from '../dist/pacman/model.js';
import { parseMountinfo } from '../dist/system/mountinfo.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (value) => `${value.toFixed(2)} ms`;

function timeIt(fn, runs) {
  for (let i = 0; i < Math.min(10, runs); i++) fn();
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(samples);
}

/** Wall time of one command, median of interleaved runs (interleaving spreads machine noise over both). */
function timeCommands(commands, runs) {
  const samples = commands.map(() => []);
  for (let i = 0; i < runs; i++) {
    commands.forEach(([file, args, env], index) => {
      const start = process.hrtime.bigint();
      spawnSync(file, args, { stdio: 'ignore', env: { ...process.env, ...env } });
      samples[index].push(Number(process.hrtime.bigint() - start) / 1e6);
    });
  }
  return samples.map(median);
}

if (process.argv[2] === '--in-testbed') {
  const shim = `${root}/wrappers/pacman`;
  const state = process.argv[3];
  const [direct, viaShim] = timeCommands([['/usr/bin/pacman', ['-Q']], [shim, ['-Q']]], 300);
  const result = { state, direct, viaShim };
  if (state === 'engaged') {
    const [refusal] = timeCommands([[shim, ['-S', '--noconfirm', 'guardtest-extra']]], 20);
    result.refusal = refusal;
  }
  console.log(JSON.stringify(result));
  process.exit(0);
}

console.log('pacman-guard benchmarks');
console.log(`  node ${process.version}, ${execFileSync('sh', ['-c', 'pacman --version | sed -n 2p'], { encoding: 'utf8' }).trim().replace(/^.*(Pacman v\S+).*$/, '$1')}\n`);

const targets = Array.from({ length: 10_000 }, (_, index) => `package-${index}`);
const argv = ['-S', '--needed', ...targets];
const model = timeIt(() => parsePacmanCommand(argv), 200);
console.log(`model, 10,000 targets:        ${ms(model)} (budget 10 ms: ${(model / 10).toFixed(2)}× of it)`);

const line = (index) => `${100 + index} 1 0:${index} / /srv/mount\\040${index} rw,nosuid,nodev,relatime shared:${index} - tmpfs tmpfs rw,size=1024k,mode=755`;
const table = `${Array.from({ length: 10_000 }, (_, index) => line(index)).join('\n')}\n`;
const parse = timeIt(() => parseMountinfo(table), 50);
console.log(`mountinfo, 10,000 lines:      ${ms(parse)} (budget 20 ms: ${(parse / 20).toFixed(2)}× of it)`);

if (process.getuid?.() !== 0) {
  console.log('\nshim: skipped (the testbed needs root)');
  process.exit(0);
}
const fixtures = execFileSync('bash', [`${root}/test/testbed/fixtures.sh`], { encoding: 'utf8' }).trim();
const inTestbed = (prologue, state) => JSON.parse(execFileSync('unshare', ['-m', '--propagation', 'private', 'bash', '-euo', 'pipefail', '-c',
  `source "${root}/test/testbed/setup.sh"; ${prologue} node "${root}/bench/run.mjs" --in-testbed ${state}`], { encoding: 'utf8', env: { ...process.env, TESTBED_FIXTURES: fixtures, TESTBED_HOST_MNT_NS: readlinkSync('/proc/self/ns/mnt') } }).trim().split('\n').at(-1));
const free = inTestbed('', 'disengaged');
const engaged = inTestbed('testbed_merge_extension sample >/dev/null 2>&1; testbed_lock_db;', 'engaged');
for (const result of [free, engaged]) {
  const overhead = (result.viaShim / result.direct - 1) * 100;
  console.log(`pacman -Q, ${result.state.padEnd(11)} direct ${ms(result.direct)}, through the shim ${ms(result.viaShim)}: ratio ${(result.viaShim / result.direct).toFixed(3)} (${overhead >= 0 ? '+' : ''}${overhead.toFixed(1)} %, budget +15 %)`);
}
console.log(`refusal of pacman -S, engaged: ${ms(engaged.refusal)} (${(engaged.refusal / engaged.direct).toFixed(1)}× a pacman -Q; budget 150 ms)`);
