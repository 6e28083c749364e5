// Boot cost (issue 21): what guard's drop-in adds to systemd-sysext.service's
// start, in each stack's booted root (test/system/rootfs.sh, boot.sh), as a
// multiple of a bare node start in the same root. Budget: at most one bare
// node start.
//
// A start is the unit's own timestamps: ActiveEnterTimestampMonotonic minus
// InactiveExitTimestampMonotonic (ExecStartPre, ExecStart, ExecStartPost);
// ExecMainStartTimestampMonotonic splits off what ran before systemd-sysext
// (the boot lock, hooks/systemd/boot-lock.sh, or the guard's lock --fit it
// hands over to). The same root, the same extension, alternating runs with and
// without the drop-in (a daemon-reload between them). Each start with the
// drop-in also says who locked (the start's journal) and how long the settle
// after it took (pacman-guard-settle.service, ordered after the unit and off
// the boot's path: pacman sees the extensions' packages from its end on).
// NODE_COMPILE_CACHE is no longer a variant: no node runs on the start's path
// when the shell locks, and before (node on the path) it was within noise.
//
// A bare node start: `node empty.mjs` in the same root, timed inside it.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, openSync, closeSync, readFileSync, readdirSync, rmSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const RUNS = 7;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** The container's PID 1: nspawn's child whose innermost pid is 1. */
function findLeader(nspawnPid) {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      const ppid = /^PPid:\s+(\d+)$/m.exec(status)?.[1];
      const nspid = /^NSpid:\s+(.*)$/m.exec(status)?.[1]?.trim().split(/\s+/);
      if (Number(ppid) === nspawnPid && nspid && nspid.length > 1 && nspid.at(-1) === '1') return Number(entry);
    } catch {
      // Gone meanwhile.
    }
  }
  return undefined;
}

function systemdMajor(rootfs) {
  const status = readFileSync(join(rootfs, 'var/lib/dpkg/status'), 'utf8');
  const stanza = status.split(/\n\n+/).find((text) => /^Package: systemd$/m.test(text));
  return Number(/^Version: (\d+)/m.exec(stanza ?? '')?.[1]);
}

async function inContainer(root, suite, work) {
  const rootfs = execFileSync('bash', [join(root, 'test/system/rootfs.sh'), suite], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  const state = mkdtempSync('/var/tmp/pacman-guard-bench-');
  const name = `pacman-guard-bench-${process.pid}-${suite}`;
  const ownNode = existsSync(join(rootfs, 'usr/bin/node')) && !/^Version: (1\d)\./m.test(readFileSync(join(rootfs, 'var/lib/dpkg/status'), 'utf8').split(/\n\n+/).find((text) => /^Package: nodejs$/m.test(text)) ?? 'Version: 1.');
  const log = openSync(join(state, 'console.log'), 'a');
  const env = systemdMajor(rootfs) >= 258 ? { ...process.env, SYSTEMD_NSPAWN_UNIFIED_HIERARCHY: '1' } : process.env;
  const child = spawn('bash', [join(root, 'test/system/boot.sh'), name, rootfs, state, root, ownNode ? '-' : process.execPath], { stdio: ['ignore', log, log], detached: true, env });
  closeSync(log);
  const exited = new Promise((resolve) => child.on('exit', resolve));
  let leader;
  try {
    for (let waited = 0; leader === undefined; waited += 100) {
      if (waited > 180_000 || child.exitCode !== null) throw new Error(`the ${suite} container did not start`);
      leader = findLeader(child.pid);
      if (leader === undefined) await sleep(100);
    }
    // stdin is /dev/null, not node's socketpair: bash takes a socket on stdin for rshd's and reads
    // /etc/bash.bashrc, whose PS1 test fails under -u (a line of noise per call).
    const run = (script) =>
      execFileSync('nsenter', ['--target', String(leader), '--mount', '--uts', '--ipc', '--net', '--pid', '--cgroup', '--root', '--wd', '--',
        'env', '-i', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'HOME=/root', 'LC_ALL=C.UTF-8', 'SYSTEMD_PAGER=', 'PS1=', 'bash', '-euo', 'pipefail', '-c', script], { encoding: 'utf8', timeout: 600_000, stdio: ['ignore', 'pipe', 'inherit'] });
    run('systemctl is-system-running --wait >/dev/null || true');
    return await work({ run, node: ownNode ? '/usr/bin/node' : '/srv/node/node', share: join(state, 'share'), rootfs });
  } finally {
    // Shut down as in container.ts: systemctl exit inside, then kill nspawn and
    // whatever is left in the container's own cgroups (the container's PID 1
    // is not in nspawn's process group), nothing outside them.
    if (leader !== undefined && child.exitCode === null) {
      spawnSync('nsenter', ['--target', String(leader), '--mount', '--pid', '--', 'systemctl', '--no-block', 'exit', '0'], { stdio: 'ignore', timeout: 30_000 });
      await Promise.race([exited, sleep(60_000)]);
    }
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Gone.
    }
    for (const hierarchy of ['/sys/fs/cgroup/unified', '/sys/fs/cgroup/systemd', '/sys/fs/cgroup']) {
      for (const pid of cgroupProcesses(join(hierarchy, name))) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Gone.
        }
      }
    }
    await exited;
    await sleep(500);
    for (const hierarchy of ['/sys/fs/cgroup/unified', '/sys/fs/cgroup/systemd', '/sys/fs/cgroup']) removeCgroup(join(hierarchy, name));
    rmSync(state, { recursive: true, force: true });
  }
}

function cgroupProcesses(directory) {
  if (!existsSync(directory)) return [];
  const pids = [];
  try {
    pids.push(...readFileSync(join(directory, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean).map(Number));
    for (const entry of readdirSync(directory, { withFileTypes: true })) if (entry.isDirectory()) pids.push(...cgroupProcesses(join(directory, entry.name)));
  } catch {
    // Removed meanwhile.
  }
  return pids;
}

function removeCgroup(directory) {
  if (!existsSync(directory)) return;
  try {
    for (const entry of readdirSync(directory, { withFileTypes: true })) if (entry.isDirectory()) removeCgroup(join(directory, entry.name));
    rmdirSync(directory);
  } catch {
    // Busy or gone.
  }
}

/** One stack's figures: ms medians of the unit's start with and without the drop-in and the settle after it, and a bare node start. */
async function measure(root, suite) {
  return inContainer(root, suite, async ({ run, node, share }) => {
    copyFileSync(join(root, 'test/system/mkext.sh'), join(share, 'mkext'));
    run(`printf '[options]\\nArchitecture = auto\\nSigLevel = Never\\n' >/etc/pacman.conf
      # A database as on any installed system (guard settle reads local/).
      mkdir -p /var/lib/pacman/local
      install -m 755 /srv/share/mkext /root/mkext && /root/mkext bench-sysext
      ${node} /srv/pacman-guard/dist/cli/main.js install --helpers none >/dev/null
      mkdir -p /root/off
      mv /etc/systemd/system/systemd-sysext.service.d/pacman-guard.conf /root/off/
      : >/root/empty.mjs
      systemctl daemon-reload`);
    const variants = ['without', 'with'];
    const dropins = { without: [], with: ['pacman-guard.conf'] };
    const samples = Object.fromEntries(variants.map((variant) => [variant, { start: [], pre: [], settle: [], shell: 0 }]));
    const fields = 'InactiveExitTimestampMonotonic,ExecMainStartTimestampMonotonic,ActiveEnterTimestampMonotonic';
    for (let index = 0; index < RUNS + 1; index++) {
      // Rotate the order so no variant always follows the same one.
      const order = variants.map((_, offset) => variants[(index + offset) % variants.length]);
      for (const variant of order) {
        const out = run(`d=/etc/systemd/system/systemd-sysext.service.d
          systemctl stop systemd-sysext.service
          mv $d/*.conf /root/off/ 2>/dev/null || true
          for f in ${dropins[variant].join(' ')}; do mv /root/off/$f $d/; done
          systemctl daemon-reload
          # Many starts in a row would hit the unit's start rate limit (StartLimitBurst=).
          systemctl reset-failed systemd-sysext.service 2>/dev/null || true
          systemctl start systemd-sysext.service
          # The settle after the start (with the drop-in) ends before the next stop, which would cut it short.
          while systemctl list-jobs --no-legend --no-pager | grep -q pacman-guard-settle; do sleep 0.05; done
          systemctl show -p ${fields} systemd-sysext.service
          if [ -e $d/pacman-guard.conf ]; then
            systemctl show -p InactiveExitTimestampMonotonic,ActiveEnterTimestampMonotonic pacman-guard-settle.service | sed 's/^/Settle/'
            # Who locked: the start's journal (journald takes it asynchronously; the fit's line comes last).
            j="journalctl --no-pager -o cat _SYSTEMD_INVOCATION_ID=$(systemctl show -p InvocationID --value systemd-sysext.service)"
            for i in $(seq 100); do $j | grep -Eq '^(the base and the extensions|checked )' && break; sleep 0.05; done
            $j | grep -c 'pacman-guard boot lock' || true
          fi`);
        // KEY=VALUE lines, in systemd's order (not the order asked for).
        const value = (key) => Number(new RegExp(`^${key}=(\\d+)$`, 'm').exec(out)?.[1]);
        const [inactiveExit, execMain, activeEnter] = ['InactiveExitTimestampMonotonic', 'ExecMainStartTimestampMonotonic', 'ActiveEnterTimestampMonotonic'].map(value);
        if (!(activeEnter > inactiveExit)) throw new Error(`systemd-sysext.service did not start (${variant}): ${out}`);
        // The first round fills the page cache (and has the guard write the boot lock's token): not counted.
        if (index === 0) continue;
        samples[variant].start.push((activeEnter - inactiveExit) / 1000);
        samples[variant].pre.push((execMain - inactiveExit) / 1000);
        if (variant === 'with') {
          samples[variant].settle.push((value('SettleActiveEnterTimestampMonotonic') - value('SettleInactiveExitTimestampMonotonic')) / 1000);
          if (/^1$/m.test(out)) samples[variant].shell += 1;
        }
      }
    }
    const bare = run(`for i in $(seq 21); do s=$EPOCHREALTIME; ${node} /root/empty.mjs; e=$EPOCHREALTIME; echo "$s $e"; done`)
      .trim().split('\n').map((line) => line.split(' ').map(Number)).map(([s, e]) => (e - s) * 1000);
    return {
      suite,
      node: run(`${node} --version`).trim(),
      systemd: run('systemctl --version | sed -n 1p').trim(),
      bare: median(bare.slice(1)),
      runs: RUNS,
      ...Object.fromEntries(variants.map((variant) => [variant, { start: median(samples[variant].start), pre: median(samples[variant].pre), settle: samples[variant].settle.length ? median(samples[variant].settle) : 0, shell: samples[variant].shell }])),
    };
  });
}

/** Prints one line per stack; a stack whose root cannot be built or booted here is named and skipped. */
export async function benchBootCost(root, suites = ['bookworm', 'trixie', 'sid']) {
  const ms = (value) => `${value.toFixed(1)} ms`;
  for (const suite of suites) {
    let result;
    try {
      result = await measure(root, suite);
    } catch (error) {
      console.log(`boot cost, ${suite}: skipped (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`);
      continue;
    }
    const added = result.with.start - result.without.start;
    const line = `boot cost, ${suite} (${result.systemd.replace(/ \(.*/, '')}, node ${result.node}): systemd-sysext.service starts in ${ms(result.without.start)} bare, ${ms(result.with.start)} with the drop-in: +${ms(added)} = ${(added / result.bare).toFixed(2)}× a bare node start (${ms(result.bare)}; budget 1×: ${added <= result.bare ? 'met' : 'NOT met'}; ExecStartPre ${ms(result.with.pre - result.without.pre)}, locked in the shell in ${result.with.shell} of ${result.runs} starts); the settle after it, off the boot's path (pacman-guard-settle.service): ${ms(result.with.settle)}`;
    console.log(line);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { fileURLToPath } = await import('node:url');
  await benchBootCost(fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, ''), process.argv.slice(2).length > 0 ? process.argv.slice(2) : undefined);
}
