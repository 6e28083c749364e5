#!/usr/bin/env node
import { runGuard } from './run.js';

// Exit through process.exitCode so pending writes (and finally blocks) complete.
process.exitCode = await runGuard(process.argv.slice(2), { env: process.env, stdout: process.stdout, stderr: process.stderr });
