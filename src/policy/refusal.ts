/**
 * The text of a refusal: what was refused, why, and the exact commands that
 * proceed. Pure, so every variant is tested as text.
 */
import type { Engagement, Verdict } from './decide.js';

export interface RefusalText {
  readonly message: string;
  readonly details: readonly string[];
}

/** Quotes one argv word for a shell command the user can paste. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export function commandLine(program: string, args: readonly string[]): string {
  return [program, ...args].map(shellWord).join(' ');
}

function formatSince(since: Date | undefined): string {
  if (!since) return '';
  const iso = since.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  return ` (merged since ${iso})`;
}

/**
 * @param args pacman's arguments as the user gave them
 * @param asRoot whether the user is root already (no `sudo` in the suggestions)
 * @param extendTargets the packages, when `guard extend` could take them instead (the sanctioned path)
 */
export function refusalText(verdict: Verdict, engagement: Engagement, args: readonly string[], asRoot: boolean, extendTargets?: readonly string[]): RefusalText {
  const sudo = asRoot ? '' : 'sudo ';
  const refused = commandLine('pacman', args);
  if (!engagement.known) {
    return {
      message: `refusing '${refused}' (${verdict.action}): ${verdict.reason}`,
      details: [
        '  pacman-guard refuses changes when it cannot tell the state of the system.',
        ':: Find out what is wrong with:',
        '    guard status',
        '    guard doctor',
      ],
    };
  }
  const details: string[] = [];
  for (const merged of engagement.merged) {
    const names = merged.extensions.length > 0 ? merged.extensions.join(', ') : 'unnamed extensions';
    details.push(`  ${merged.hierarchy}: ${names}${formatSince(merged.since)}${merged.mutable ? ', mutable' : ''}`);
  }
  if (engagement.locked) details.push(`  ${engagement.dbPath}: read-only (locked)`);
  const why = engagement.merged.length > 0
    ? 'system extensions are merged, so pacman would change the image under them'
    : "pacman's database is locked read-only";
  details.push(
    ':: To run it anyway, unmerge the extensions and unlock the database, then run it again:',
    `    ${sudo}guard unmerge`,
    `    ${sudo}${refused}`,
    `    ${sudo}guard merge`,
  );
  if (extendTargets && extendTargets.length > 0) {
    details.push(':: Or build a system extension from them instead of installing:', `    ${sudo}${commandLine('guard', ['extend', ...extendTargets])}`);
  }
  return { message: `refusing '${refused}' (${verdict.action}): ${why}`, details };
}
