#!/usr/bin/env node
// The guard's model of where each command line leads, worked out inside the
// testbed (the filesystem pacman met in the replay): for each line, the
// database and root src/pacman/location.ts reaches for one pacman variant,
// and where that database's local/ and sync/ lead. Uses the built dist/.
//
// usage: locate-lines.mjs VARIANT LINES.json   (an array of argv arrays; run in pacman's working directory)
import { readFileSync } from 'node:fs';

const root = process.env.PROJECT_ROOT;
const { parsePacmanCommand } = await import(`${root}/dist/pacman/model.js`);
const { databasePart, locate } = await import(`${root}/dist/pacman/location.js`);
const { systemLocationLookup } = await import(`${root}/dist/system/path-lookup.js`);

const [variant, file] = process.argv.slice(2);
const lines = JSON.parse(readFileSync(file, 'utf8'));
const cwd = process.cwd();
const results = [];
for (const args of lines) {
  const command = parsePacmanCommand(args, { variant });
  try {
    const location = await locate(command, variant, cwd, systemLocationLookup);
    if (location.kind === 'fails') {
      results.push({ outcome: command.outcome, needsLock: command.needsLock, fails: location.why });
    } else {
      const part = (name) => databasePart(location, name, systemLocationLookup) ?? null;
      results.push({ outcome: command.outcome, needsLock: command.needsLock, database: location.database, root: location.root, local: part('local'), sync: part('sync') });
    }
  } catch (error) {
    results.push({ outcome: command.outcome, needsLock: command.needsLock, error: String(error) });
  }
}
process.stdout.write(JSON.stringify(results));
