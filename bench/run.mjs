#!/usr/bin/env node
// Benchmarks (npm run bench): figures and ratios, never pass/fail.
//  1. the command-line model on a 10,000-target command line (budget 10 ms)
//  2. the mountinfo parser on a 10,000-line table (budget 20 ms)
//  3. the shim against /usr/bin/pacman in the namespace testbed (root only):
//     `pacman -Q` direct vs through the shim, disengaged and engaged
//     (budget +15 %); the refusal of pacman -S through the shim as installed
//     and guard status (engaged)
//     and the hook (disengaged) against a bare `node` start, alternating
//     (budget 1.3× each: all three answer from the tool cache); the yay
//     shim run by a user on a disengaged system against running the helper
//     directly (the shim reads mountinfo instead of asking guard).
//     `yay -Ss x` by a user on an engaged system, through the yay shim's fast
//     path against the helper direct, alternating (budget 1.1×). yay is not in
//     Debian: pacman -Ss stands in for it, being what yay -Ss does for the
//     repositories (yay adds a Go start and the AUR over the network, which
//     would only make the shim's share smaller).
//  5. guard update with nothing to do (unmerge, namespace, pacman -Syu, lock,
//     merge, verify) against a plain pacman -Syu with nothing to do, on the
//     same system made writable (budget: at most 1.5 s added).
//  6. pacman's view of merged packages: guard merge and guard unmerge of an
//     extension carrying 1, 10 and 100 packages' database entries, against
//     the same extension without entries (today's lock alone), 15 runs each
//     measuring both back to back; what is added is the median of the runs'
//     differences. Budget: at most 100 ms added for 100 packages.
//  9. guard update -Syu for a real change (guardtest-lib 1.0 → 2.0 under a
//     merged extension) against a plain pacman -Syu of the same change, the
//     change put back between runs (goal: at most 0.5 s added).
// 10. boot cost (bench/boot-cost.mjs): what the drop-in adds to
//     systemd-sysext.service's start in each stack's booted root (unit
//     timestamps, with and without it, alternating), as a multiple of a bare
//     node start in the same root (budget 1×); on node >= 22 also with
//     NODE_COMPILE_CACHE.
//  4. guard extend's extraction of one package (unpack, list, sort, move into
//     the extension tree) against bsdtar extracting the same package with
//     the same flags (budget 1.5×).
//  8. the fit at guard merge: what the stamp check adds to an ordinary merge, and what the check
//     itself (pacman -Dk over a base of 1,000 packages) adds when the base changed.
// Every figure is measured in this run, next to real pacman measured in the same run.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, readlinkSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parsePacmanCommand } from '../dist/pacman/model.js';
import { parseMountinfo } from '../dist/system/mountinfo.js';
import { BSDTAR_EXTRACT_ARGS } from '../dist/extend/extract.js';
import { moveHierarchies, unpackPackage } from '../dist/extend/unpack.js';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
    commands.forEach(([file, args, env, options], index) => {
      const start = process.hrtime.bigint();
      spawnSync(file, args, { stdio: 'ignore', env: { ...process.env, ...env }, ...options });
      samples[index].push(Number(process.hrtime.bigint() - start) / 1e6);
    });
  }
  return samples.map(median);
}

if (process.argv[2] === '--in-testbed' && process.argv[3] === 'update') {
  // The baseline gets the system guard update opens its window on: nothing merged, unlocked, /usr writable
  // (in a private namespace, which costs it an unshare and three mount calls that guard update does not pay).
  const plain = ['unshare', ['-m', '--propagation', 'private', 'sh', '-c', 'umount /var/lib/pacman && umount /usr && mount -o remount,bind,rw /usr && exec /usr/bin/pacman -Syu --noconfirm']];
  const windowed = ['node', [`${root}/dist/cli/main.js`, 'update', '--noconfirm']];
  const [direct, update] = timeCommands([plain, windowed], 7);
  console.log(JSON.stringify({ state: 'update', direct, update }));
  process.exit(0);
}

if (process.argv[2] === '--in-testbed' && process.argv[3] === 'update-change') {
  // The same change each run, guardtest-lib 1.0 → 2.0 in the base, put back (untimed) by a downgrade
  // from the cache. The baseline as above: a plain pacman -Syu on the system made writable for it.
  const guard = (...args) => ['node', [`${root}/dist/cli/main.js`, ...args]];
  const downgrade = () => {
    const back = spawnSync(...guard('update', '-U', '--noconfirm', ...process.argv.slice(4)), { stdio: 'ignore' });
    if (back.status !== 0) throw new Error('the downgrade between runs failed');
  };
  // The baseline's system made as guard update's window finds it (in a private namespace: unmerged,
  // unlocked, /usr writable); that preparation is timed alone too and taken off, so that the figure
  // compares pacman alone with guard update.
  const prepare = 'systemd-sysext unmerge >/dev/null && umount /var/lib/pacman && mount -o remount,bind,rw /usr';
  const plain = ['unshare', ['-m', '--propagation', 'private', 'sh', '-c', `${prepare} && exec /usr/bin/pacman -Syu --noconfirm`]];
  const prepareOnly = ['unshare', ['-m', '--propagation', 'private', 'sh', '-c', prepare]];
  const samples = { direct: [], update: [], prepare: [] };
  for (let run = 0; run < 7; run++) {
    for (const kind of run % 2 === 0 ? ['direct', 'update'] : ['update', 'direct']) {
      downgrade();
      const [file, args] = kind === 'direct' ? plain : guard('update', '-Syu', '--noconfirm');
      const start = process.hrtime.bigint();
      const done = spawnSync(file, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
      samples[kind].push(Number(process.hrtime.bigint() - start) / 1e6);
      if (done.status !== 0) throw new Error(`${kind} -Syu failed: ${done.stderr}`);
    }
    const start = process.hrtime.bigint();
    spawnSync(...prepareOnly, { stdio: 'ignore' });
    samples.prepare.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  const direct = samples.direct.map((time, run) => time - samples.prepare[run]);
  const added = median(samples.update.map((time, run) => time - direct[run]));
  console.log(JSON.stringify({ state: 'update-change', direct: median(direct), update: median(samples.update), added, prepare: median(samples.prepare) }));
  process.exit(0);
}

if (process.argv[2] === '--in-testbed' && process.argv[3] === 'view') {
  const { renderDesc, renderFiles, entryFromPkgInfo } = await import('../dist/pacman/local-entry.js');
  const { gzipSync } = await import('node:zlib');
  const { renameSync } = await import('node:fs');
  const counts = process.argv.slice(4).map(Number);
  const off = '/run/bench-extensions';
  const guard = (verb) => spawnSync('node', [`${root}/dist/cli/main.js`, verb], { stdio: 'ignore' });
  /** An extension of `count` packages, each with 20 files, and their entries unless `withEntries` is false. */
  const makeExtension = (name, count, withEntries) => {
    const tree = join(off, name);
    mkdirSync(join(tree, 'usr/lib/extension-release.d'), { recursive: true });
    writeFileSync(join(tree, `usr/lib/extension-release.d/extension-release.${name}`), 'ID=_any\n');
    for (let index = 0; index < count; index++) {
      const pkg = `bench-${name}-${index}`;
      const files = ['usr/', 'usr/share/', `usr/share/${pkg}/`, ...Array.from({ length: 17 }, (_, file) => `usr/share/${pkg}/file-${String(file).padStart(2, '0')}`)];
      mkdirSync(join(tree, `usr/share/${pkg}`), { recursive: true });
      for (const file of files.filter((path) => !path.endsWith('/'))) writeFileSync(join(tree, file), `${file}\n`);
      if (!withEntries) continue;
      const pkgInfo = new Map([['pkgname', [pkg]], ['pkgver', ['1.0-1']], ['pkgdesc', ['a benchmark package']], ['arch', ['any']], ['size', ['4096']], ['depend', ['glibc']]]);
      const directory = join(tree, `usr/lib/pacman-guard/local/${pkg}-1.0-1`);
      mkdirSync(directory, { recursive: true });
      writeFileSync(join(directory, 'desc'), renderDesc(entryFromPkgInfo({ pkgInfo, installDate: 1796000000, reason: 0, validation: ['sha256'] })));
      writeFileSync(join(directory, 'files'), renderFiles(files));
      writeFileSync(join(directory, 'mtree'), gzipSync(`#mtree\n${files.map((file) => `./${file.replace(/\/$/, '')} time=1.0 size=1`).join('\n')}\n`));
    }
  };
  const results = [];
  for (const count of counts) {
    makeExtension(`plain${count}`, count, false);
    makeExtension(`view${count}`, count, true);
    const samples = { plain: { merge: [], unmerge: [] }, view: { merge: [], unmerge: [] } };
    for (let run = 0; run < 15; run++) {
      for (const kind of run % 2 === 0 ? ['plain', 'view'] : ['view', 'plain']) {
        const name = `${kind}${count}`;
        renameSync(join(off, name), `/run/extensions/${name}`);
        let start = process.hrtime.bigint();
        if (guard('merge').status !== 0) throw new Error(`guard merge failed with ${name}`);
        samples[kind].merge.push(Number(process.hrtime.bigint() - start) / 1e6);
        start = process.hrtime.bigint();
        if (guard('unmerge').status !== 0) throw new Error(`guard unmerge failed with ${name}`);
        samples[kind].unmerge.push(Number(process.hrtime.bigint() - start) / 1e6);
        renameSync(`/run/extensions/${name}`, join(off, name));
      }
    }
    // What the view adds: the median of each run's difference (a run measures both, back to back),
    // which a change in the machine's load between runs does not move as it moves either median.
    const added = (verb) => median(samples.view[verb].map((time, run) => time - samples.plain[verb][run]));
    results.push({ count, plain: { merge: median(samples.plain.merge), unmerge: median(samples.plain.unmerge) }, view: { merge: median(samples.view.merge), unmerge: median(samples.view.unmerge) }, added: { merge: added('merge'), unmerge: added('unmerge') } });
  }
  console.log(JSON.stringify({ state: 'view', results }));
  process.exit(0);
}

if (process.argv[2] === '--in-testbed' && process.argv[3] === 'fit') {
  // What the fit (src/fit/check.ts) adds to guard merge: one guard-built extension (provenance and one
  // package's entry) against the same tree without provenance (nothing to check), the stamp as recorded
  // (an ordinary merge) and the stamp removed before each merge (the check runs: pacman -Dk over the base,
  // made of `basePackages` entries of 20 files each, and the extension).
  const { renameSync } = await import('node:fs');
  const basePackages = Number(process.argv[4]);
  const guard = (verb) => spawnSync('node', [`${root}/dist/cli/main.js`, verb], { stdio: 'ignore' });
  for (let index = 0; index < basePackages; index++) {
    const directory = `/var/lib/pacman/local/bench-base-${index}-1.0-1`;
    mkdirSync(directory, { recursive: true });
    writeFileSync(join(directory, 'desc'), `%NAME%\nbench-base-${index}\n\n%VERSION%\n1.0-1\n\n%ARCH%\nany\n\n%REASON%\n1\n\n`);
    writeFileSync(join(directory, 'files'), `%FILES%\nusr/\nusr/share/\nusr/share/bench-base-${index}/\n${Array.from({ length: 17 }, (_, file) => `usr/share/bench-base-${index}/file-${file}\n`).join('')}\n`);
  }
  // Beside the store, on its file system (rename), under a name systemd-sysext and the guard ignore.
  const off = '/var/lib/extensions/.bench-fit';
  const make = (name, provenance) => {
    const tree = join(off, name);
    mkdirSync(join(tree, 'usr/lib/extension-release.d'), { recursive: true });
    writeFileSync(join(tree, `usr/lib/extension-release.d/extension-release.${name}`), 'ID=_any\n');
    const entry = join(tree, `usr/lib/pacman-guard/local/bench-${name}-1.0-1`);
    mkdirSync(entry, { recursive: true });
    writeFileSync(join(entry, 'desc'), `%NAME%\nbench-${name}\n\n%VERSION%\n1.0-1\n\n%ARCH%\nany\n\n%REASON%\n0\n\n%DEPENDS%\nguardtest-dep\n\n`);
    writeFileSync(join(entry, 'files'), `%FILES%\nusr/\nusr/share/\nusr/share/bench-${name}/\nusr/share/bench-${name}/file\n\n`);
    mkdirSync(join(tree, `usr/share/bench-${name}`), { recursive: true });
    writeFileSync(join(tree, `usr/share/bench-${name}/file`), 'x\n');
    if (!provenance) return;
    mkdirSync(join(tree, 'usr/share/pacman-guard/extensions'), { recursive: true });
    writeFileSync(join(tree, `usr/share/pacman-guard/extensions/${name}.json`), JSON.stringify({ name, builtBy: 'bench', built: '2026-01-01T00:00:00.000Z', extensionRelease: {}, packages: [{ name: `bench-${name}`, version: '1.0-1', repository: 'guardtest', file: '', sha256: '', explicit: true }], notCarried: { files: {}, scriptlets: {}, hooks: [], sysusers: {} } }));
  };
  make('plain', false);
  make('built', true);
  const kinds = ['plain', 'recorded', 'checked'];
  const samples = Object.fromEntries(kinds.map((kind) => [kind, []]));
  for (let run = 0; run < 15; run++) {
    for (const kind of run % 2 === 0 ? kinds : [...kinds].reverse()) {
      const name = kind === 'plain' ? 'plain' : 'built';
      if (kind === 'checked') rmSync('/var/lib/pacman-guard/fit.json', { force: true });
      renameSync(join(off, name), `/var/lib/extensions/${name}`);
      const start = process.hrtime.bigint();
      if (guard('merge').status !== 0) throw new Error(`guard merge failed (${kind})`);
      samples[kind].push(Number(process.hrtime.bigint() - start) / 1e6);
      if (guard('unmerge').status !== 0) throw new Error(`guard unmerge failed (${kind})`);
      renameSync(`/var/lib/extensions/${name}`, join(off, name));
    }
  }
  const added = (kind) => median(samples[kind].map((time, run) => time - samples.plain[run]));
  console.log(JSON.stringify({ state: 'fit', basePackages, plain: median(samples.plain), recorded: added('recorded'), checked: added('checked') }));
  process.exit(0);
}

if (process.argv[2] === '--in-testbed') {
  const shim = `${root}/wrappers/pacman`;
  const state = process.argv[3];
  const [direct, viaShim] = timeCommands([['/usr/bin/pacman', ['-Q']], [shim, ['-Q']]], 300);
  const result = { state, direct, viaShim };
  // Start-up against a bare node start, alternating (issue 16): the first run of each fills the tool cache.
  const empty = `${process.env.TMPDIR}/empty.mjs`;
  writeFileSync(empty, '');
  const bareNode = ['node', [empty]];
  const guard = (...args) => ['node', [`${root}/dist/cli/main.js`, ...args]];
  if (state === 'engaged') {
    // The shim as guard install writes it (node and guard's main.js named): the checkout's finds
    // itself with readlink -f first, a process of its own (about 15 ms here) that users never pay.
    const { CHECKOUT_SHIM_SETTINGS, renderShim } = await import('../dist/shim/render.js');
    const { deriveFastPathRules } = await import('../dist/shim/fast-path.js');
    writeFileSync('/run/bench-pacman', renderShim({ ...CHECKOUT_SHIM_SETTINGS, node: process.execPath, guardMain: `${root}/dist/cli/main.js` }, deriveFastPathRules()), { mode: 0o755 });
    const refusal = ['/run/bench-pacman', ['-S', '--noconfirm', 'guardtest-extra']];
    [result.bareNode, result.refusal, result.status] = timeCommands([bareNode, refusal, guard('status')], 40);
  } else {
    [result.bareNodeFree, result.hook] = timeCommands([bareNode, guard('hook')], 40);
    // The user may not reach the checkout; the shim needs nothing else while disengaged.
    copyFileSync(`${root}/wrappers/yay`, '/run/bench-yay');
    chmodSync('/run/bench-yay', 0o755);
    const asNobody = { uid: 65534, gid: 65534 };
    const helper = { PACMAN_GUARD_REAL_YAY: '/bin/true' };
    // -S: a search would take the fast path and never read mountinfo.
    [result.helperDirect, result.helperViaShim] = timeCommands([['/bin/true', [], {}, asNobody], ['/run/bench-yay', ['-S', 'guard'], helper, asNobody]], 300);
  }
  if (state === 'engaged') {
    // A user's yay: the shim needs nothing from the checkout for a search.
    copyFileSync(`${root}/wrappers/yay`, '/run/bench-yay');
    chmodSync('/run/bench-yay', 0o755);
    const asNobody = { uid: 65534, gid: 65534 };
    const helper = { PACMAN_GUARD_REAL_YAY: '/usr/bin/pacman' };
    // The floor for any sh shim: a shell that does nothing but exec the helper.
    const bareShell = ['/bin/sh', ['-c', 'exec /usr/bin/pacman -Ss x'], {}, asNobody];
    [result.searchDirect, result.searchViaShim, result.searchViaBareShell] = timeCommands([['/usr/bin/pacman', ['-Ss', 'x'], {}, asNobody], ['/run/bench-yay', ['-Ss', 'x'], helper, asNobody], bareShell], 300);
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

/**
 * A package of 3,000 small files in 100 directories and 10 files of 1 MiB,
 * with a file in etc/ (left behind) and the metadata makepkg writes.
 */
function makeBenchPackage(directory) {
  const source = join(directory, 'source');
  for (let dir = 0; dir < 100; dir++) {
    mkdirSync(join(source, `usr/share/bench/${dir}`), { recursive: true });
    for (let file = 0; file < 30; file++) writeFileSync(join(source, `usr/share/bench/${dir}/file-${file}.txt`), `${dir}/${file} `.repeat(200));
  }
  mkdirSync(join(source, 'usr/lib/bench'), { recursive: true });
  for (let file = 0; file < 10; file++) writeFileSync(join(source, `usr/lib/bench/blob-${file}`), Buffer.from(Array.from({ length: 1 << 20 }, (_, i) => (i * 2654435761 + file) >>> 24)));
  mkdirSync(join(source, 'etc'));
  writeFileSync(join(source, 'etc/bench.conf'), 'x = 1\n');
  writeFileSync(join(source, '.PKGINFO'), 'pkgname = bench\npkgver = 1.0-1\n');
  const zstd = spawnSync('bsdtar', ['--zstd', '-cf', '/dev/null', '-C', source, '.PKGINFO']).status === 0;
  const file = join(directory, `bench-1.0-1-any.pkg.tar.${zstd ? 'zst' : 'gz'}`);
  execFileSync('bsdtar', [zstd ? '--zstd' : '-z', '-cf', file, '-C', source, '.PKGINFO', 'etc', 'usr']);
  rmSync(source, { recursive: true });
  return file;
}

async function benchExtraction() {
  if (spawnSync('bsdtar', ['--version']).status !== 0) {
    console.log('extraction: skipped (bsdtar is not installed)');
    return;
  }
  const directory = mkdtempSync(join(tmpdir(), 'pacman-guard-bench-'));
  try {
    const file = makeBenchPackage(directory);
    const samples = { bsdtar: [], guard: [] };
    for (let run = 0; run < 10; run++) {
      const target = join(directory, `run-${run}`);
      mkdirSync(join(target, 'bsdtar'), { recursive: true });
      const withBsdtar = () => {
        const start = process.hrtime.bigint();
        execFileSync('bsdtar', [...BSDTAR_EXTRACT_ARGS, '-f', file, '-C', join(target, 'bsdtar')]);
        samples.bsdtar.push(Number(process.hrtime.bigint() - start) / 1e6);
      };
      const withGuard = async () => {
        const start = process.hrtime.bigint();
        const unpacked = await unpackPackage(file, join(target, 'unpacked'), ['/usr', '/opt']);
        await moveHierarchies(unpacked, join(target, 'tree'), ['/usr', '/opt']);
        samples.guard.push(Number(process.hrtime.bigint() - start) / 1e6);
      };
      // Alternating which goes first spreads the cost of the other's writeback over both.
      if (run % 2 === 0) {
        withBsdtar();
        await withGuard();
      } else {
        await withGuard();
        withBsdtar();
      }
      rmSync(target, { recursive: true });
    }
    const [bsdtar, guard] = [median(samples.bsdtar), median(samples.guard)];
    console.log(`extraction, ${file.split('.').at(-1)} package of 3,011 files: bsdtar ${ms(bsdtar)}, guard extend ${ms(guard)}: ratio ${(guard / bsdtar).toFixed(3)} (budget 1.5×)`);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
await benchExtraction();

if (process.getuid?.() !== 0) {
  console.log('\nshim: skipped (the testbed needs root)');
  process.exit(0);
}
const fixtures = execFileSync('bash', [`${root}/test/testbed/fixtures.sh`], { encoding: 'utf8' }).trim();
// A PID namespace too: guard update refuses while any pacman runs, and the host's are none of its business here.
const inTestbed = (prologue, state, ...rest) => JSON.parse(execFileSync('unshare', ['-m', '--propagation', 'private', '--pid', '--fork', '--kill-child', '--mount-proc', 'bash', '-euo', 'pipefail', '-c',
  `source "${root}/test/testbed/setup.sh"; ${prologue} node "${root}/bench/run.mjs" --in-testbed ${state} ${rest.join(' ')}`], { encoding: 'utf8', env: { ...process.env, TESTBED_FIXTURES: fixtures, TESTBED_HOST_MNT_NS: readlinkSync('/proc/self/ns/mnt') } }).trim().split('\n').at(-1));
const free = inTestbed('', 'disengaged');
const engaged = inTestbed('testbed_merge_extension sample >/dev/null 2>&1; testbed_lock_db;', 'engaged');
for (const result of [free, engaged]) {
  const overhead = (result.viaShim / result.direct - 1) * 100;
  console.log(`pacman -Q, ${result.state.padEnd(11)} direct ${ms(result.direct)}, through the shim ${ms(result.viaShim)}: ratio ${(result.viaShim / result.direct).toFixed(3)} (${overhead >= 0 ? '+' : ''}${overhead.toFixed(1)} %, budget +15 %)`);
}
const startup = (what, time, bare) => console.log(`${what.padEnd(30)}${ms(time)}, a bare node start ${ms(bare)}: ratio ${(time / bare).toFixed(3)} (budget 1.3×)`);
startup('refusal through the shim:', engaged.refusal, engaged.bareNode);
startup('guard status, engaged:', engaged.status, engaged.bareNode);
startup('the hook, disengaged:', free.hook, free.bareNodeFree);
const helperOverhead = free.helperViaShim - free.helperDirect;
console.log(`yay shim as a user, disengaged: a helper direct ${ms(free.helperDirect)}, through the shim ${ms(free.helperViaShim)}: +${ms(helperOverhead)} (${(helperOverhead / free.direct).toFixed(2)}× a pacman -Q)`);
console.log(`yay -Ss x as a user, engaged: the helper direct ${ms(engaged.searchDirect)}, through the shim ${ms(engaged.searchViaShim)}: ratio ${(engaged.searchViaShim / engaged.searchDirect).toFixed(3)} (budget 1.1×; a bare sh -c 'exec …' ${ms(engaged.searchViaBareShell)})`);
const update = inTestbed('mount --bind /usr /usr && mount -o remount,bind,ro /usr; testbed_merge_extension sample >/dev/null 2>&1; testbed_lock_db;', 'update');
console.log(`guard update, nothing to do: pacman -Syu ${ms(update.direct)}, guard update ${ms(update.update)}: +${ms(update.update - update.direct)} (ratio ${(update.update / update.direct).toFixed(2)}; budget +1500 ms)`);
// The same change (issue 23): guardtest-lib 1.0 → 2.0 in the base, under a merged extension.
const change = inTestbed([
  'pacman -S --noconfirm guardtest-lib >/dev/null;',
  'rm "$TESTBED_REPO"/guardtest-lib-1.0-*.pkg.tar.gz; cp "$TESTBED_UPDATES"/guardtest-lib-2.0-*.pkg.tar.gz "$TESTBED_REPO/";',
  'repo-add --quiet "$TESTBED_REPO/guardtest.db.tar.gz" "$TESTBED_REPO"/guardtest-lib-2.0-*.pkg.tar.gz >/dev/null 2>&1;',
  'mount --bind /usr /usr && mount -o remount,bind,ro /usr; testbed_merge_extension sample >/dev/null 2>&1; testbed_lock_db;',
].join(' '), 'update-change', '/var/cache/pacman/pkg/guardtest-lib-1.0-1-any.pkg.tar.gz');
console.log(`guard update -Syu, one package upgraded: pacman -Syu ${ms(change.direct)}, guard update ${ms(change.update)}: +${ms(change.added)} (median of the runs' differences; goal +500 ms; the baseline's own unmerge/unlock, ${ms(change.prepare)}, taken off)`);
const view = inTestbed('', 'view', 1, 10, 100);
for (const { count, plain, view: shown, added: difference } of view.results) {
  const added = (verb) => `${verb} ${ms(plain[verb])} → ${ms(shown[verb])} (${difference[verb] >= 0 ? '+' : '−'}${ms(Math.abs(difference[verb]))})`;
  console.log(`pacman's view, ${String(count).padStart(3)} package(s): ${added('merge')}, ${added('unmerge')}; budget +100 ms for 100`);
}
const fit = inTestbed('', 'fit', 1000);
const signed = (value) => `${value >= 0 ? '+' : '−'}${ms(Math.abs(value))}`;
console.log(`the fit at guard merge (one guard-built extension, a base of ${fit.basePackages + 1} packages): a merge ${ms(fit.plain)}; stamp as recorded ${signed(fit.recorded)}; base changed, checked with pacman -Dk ${signed(fit.checked)}`);

// 7. Boot cost (issue 21): what the drop-in adds to systemd-sysext.service's start in each stack's booted root.
const { benchBootCost } = await import('./boot-cost.mjs');
await benchBootCost(root.replace(/\/$/, ''));
