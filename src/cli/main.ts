#!/usr/bin/env node
import { exitStatus, watchForBrokenPipe } from './broken-pipe.js';
import { runGuard } from './run.js';

const pipe = watchForBrokenPipe([process.stdout, process.stderr]);
// Exit through process.exitCode so pending writes (and finally blocks) complete.
const status = await runGuard(process.argv.slice(2), { env: process.env, stdout: process.stdout, stderr: process.stderr });
process.exitCode = status;
// A failed write is reported after the write returned: decide once every write has been tried.
process.once('exit', () => {
  process.exitCode = exitStatus(status, pipe);
});
