#!/usr/bin/env node
// Runs pacman once per command line and reports what happened, as JSON.
// Used inside the namespace testbed by the differential test: plain Node, no
// dependencies, so it runs with nothing built.
//
// usage: pacman-batch.mjs INPUT.json   (an array of argv arrays)
// env:   PACMAN (default /usr/bin/pacman)
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const pacman = process.env.PACMAN ?? '/usr/bin/pacman';
const lines = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const results = lines.map((args) => {
  const run = spawnSync(pacman, args, {
    // Targets for a "-" argument; unused otherwise. pacman never sees a terminal here.
    input: 'guardtest-extra\n',
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, LC_ALL: 'C' },
  });
  return {
    status: run.status,
    signal: run.signal,
    error: run.error ? String(run.error) : undefined,
    stderr: run.stderr.slice(0, 4000),
    stdout: run.stdout.slice(0, 400),
  };
});
process.stdout.write(JSON.stringify(results));
