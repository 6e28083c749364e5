#!/usr/bin/env node
// The guard's model of where each command line leads, worked out inside the
// testbed (the filesystem pacman met in the replay): for each line, the
// database and root src/pacman/location.ts reaches for one pacman variant,
// and where that database's local/ and sync/ lead. Uses the built dist/.
//
// With GUARD_VARIANTS (a JSON list: the variants the build's --version may
// be), also what the guard's verdict carries for the line: `host`, whether it
// touches this system (src/cli/judge.ts effectOnHost, those variants' union).
//
// usage: locate-lines.mjs VARIANT LINES.json   (an array of argv arrays; run in pacman's working directory)
import { readFileSync } from 'node:fs';

const root = process.env.PROJECT_ROOT;
const { parsePacmanCommand } = await import(`${root}/dist/pacman/model.js`);
const { databasePart, locate } = await import(`${root}/dist/pacman/location.js`);
const { systemLocationLookup } = await import(`${root}/dist/system/path-lookup.js`);
const { actsOnHost } = await import(`${root}/dist/pacman/location.js`);
const { effectOnHost, parseForVariants } = await import(`${root}/dist/cli/judge.js`);
const { readPacmanConfig } = await import(`${root}/dist/system/pacman-conf.js`);
const guardVariants = process.env.GUARD_VARIANTS ? JSON.parse(process.env.GUARD_VARIANTS) : undefined;
const hostConfig = guardVariants ? await readPacmanConfig() : undefined;

/** The guard's answer: does the line (as parsed for every variant it may be) touch this system? */
async function guardHost(args) {
  if (!guardVariants) return undefined;
  const command = parseForVariants(args, guardVariants, {});
  if (command.outcome !== 'run' || !command.needsLock) return false;
  try {
    return actsOnHost(await effectOnHost(command, guardVariants, hostConfig));
  } catch {
    return true;
  }
}

const [variant, file] = process.argv.slice(2);
const lines = JSON.parse(readFileSync(file, 'utf8'));
const cwd = process.cwd();
const results = [];
for (const args of lines) {
  const command = parsePacmanCommand(args, { variant });
  const guard = { guardHost: await guardHost(args) };
  try {
    const location = await locate(command, variant, cwd, systemLocationLookup);
    if (location.kind === 'fails') {
      results.push({ ...guard, outcome: command.outcome, needsLock: command.needsLock, fails: location.why });
    } else {
      const part = (name) => databasePart(location, name, systemLocationLookup) ?? null;
      results.push({ ...guard, outcome: command.outcome, needsLock: command.needsLock, database: location.database, root: location.root, local: part('local'), sync: part('sync') });
    }
  } catch (error) {
    results.push({ ...guard, outcome: command.outcome, needsLock: command.needsLock, error: String(error) });
  }
}
process.stdout.write(JSON.stringify(results));
