#!/usr/bin/env node
// Runs pacman once per command line and reports what happened, as JSON.
// Used inside the namespace testbed by the differential test: plain Node, no
// dependencies, so it runs with nothing built.
//
// usage: pacman-batch.mjs INPUT.json   (an array of argv arrays, or of { args, env })
// env:   PACMAN (default /usr/bin/pacman)
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const pacman = process.env.PACMAN ?? '/usr/bin/pacman';
const lines = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const results = lines.map((line) => {
  const { args, env } = Array.isArray(line) ? { args: line, env: {} } : line;
  // Targets for a "-" argument. Only then does pacman read stdin; writing to a
  // pacman that never reads (and may have exited) would fail with EPIPE.
  const readsStdin = args.includes('-');
  const run = spawnSync(pacman, args, {
    ...(readsStdin ? { input: 'guardtest-extra\n' } : { stdio: ['ignore', 'pipe', 'pipe'] }),
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, LC_ALL: 'C', ...env },
  });
  return {
    status: run.status,
    signal: run.signal,
    // EPIPE: pacman rejected the command line before it read the targets we offered.
    error: run.error && run.error.code !== 'EPIPE' ? String(run.error) : undefined,
    stderr: run.stderr.slice(0, 4000),
    stdout: run.stdout.slice(0, 400),
  };
});
process.stdout.write(JSON.stringify(results));
