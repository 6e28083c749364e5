/**
 * The files pacman-conf's answer depends on: pacman.conf and every file its
 * Include lines can reach. Only paths are read here, never values:
 * pacman-conf stays the only parser of pacman.conf.
 *
 * Lines are read the way pacman's reader reads them (src/pacman/ini.c):
 * trimmed of C white space; `#` starts a comment only at the start of a line;
 * a section header is `[…]`; `key = value` splits at the first `=`; an
 * `Include` anywhere is a glob(3) followed at most 10 levels deep
 * (src/pacman/conf.c). The list only has to cover every file pacman-conf
 * could read, so it may cover more: a glob in the last path component covers
 * every entry of its directory. What it cannot cover that simply gives no
 * list, and then pacman-conf is asked every time: a relative path (relative
 * to the caller's directory), a glob in a directory component or with a
 * backslash, a line longer than pacman's line buffer (fgets would split it
 * and read the rest as a line of its own), a NUL byte, text that is not UTF-8,
 * an unreadable file.
 */
// Synchronous, like all file access on the hot paths: why in src/system/probe.ts.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { fileIdentity } from './file-identity.js';

/** pacman reads lines with fgets into a PATH_MAX buffer: a longer line is split. */
const LINE_BUFFER = 4096;
/** pacman's config_max_recursion. */
const MAX_DEPTH = 10;
const GLOB_CHARACTERS = /[*?[]/;

/** C's isspace in the C locale, which strtrim uses; String#trim would also strip Unicode spaces pacman keeps. */
const cTrim = (text: string) => text.replace(/^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g, '');

/** Pure: the values of a file's Include lines, or undefined when the file cannot be read as pacman reads it. */
export function includeValues(contents: Buffer): string[] | undefined {
  if (contents.includes(0)) return undefined;
  const text = contents.toString('utf8');
  if (text.includes('\uFFFD')) return undefined;
  const values: string[] = [];
  for (const rawLine of text.split('\n')) {
    // The newline shares the buffer: a line of LINE_BUFFER - 1 bytes already reaches fgets' limit.
    if (Buffer.byteLength(rawLine) + 1 >= LINE_BUFFER - 1) return undefined;
    const line = cTrim(rawLine);
    if (line === '' || line.startsWith('#') || (line.startsWith('[') && line.endsWith(']'))) continue;
    const equals = line.indexOf('=');
    if (equals === -1 || cTrim(line.slice(0, equals)) !== 'Include') continue;
    values.push(cTrim(line.slice(equals + 1)));
  }
  return values;
}

/**
 * Pure: how to cover one Include value. `file` is a path to follow, `directory`
 * a directory whose every entry is covered; undefined when it cannot be covered.
 */
export function includeCoverage(value: string): { file: string } | { directory: string } | undefined {
  if (!value.startsWith('/') || value.includes('\\')) return undefined;
  const directory = dirname(value);
  if (GLOB_CHARACTERS.test(directory)) return undefined;
  return GLOB_CHARACTERS.test(basename(value)) ? { directory } : { file: value };
}

/** One entry of the key: a path and what it was (fileIdentity), or a directory's entry names. */
export type KeyEntry = readonly [path: string, identity: string];

/**
 * The files (and globbed directories' listings) pacman-conf reads for
 * `config`, each with its identity; undefined when they cannot all be told.
 */
export async function pacmanConfFiles(config: string): Promise<KeyEntry[] | undefined> {
  const entries: KeyEntry[] = [];
  const seen = new Set<string>();
  const visit = async (path: string, depth: number): Promise<boolean> => {
    if (seen.has(path)) return true;
    seen.add(path);
    if (depth > MAX_DEPTH) return false;
    const identity = await fileIdentity(path);
    if (identity === undefined) return false;
    entries.push([path, identity]);
    if (!identity.startsWith('file:')) return identity === 'absent' || identity.startsWith('dir:');
    let values: string[] | undefined;
    try {
      values = includeValues(readFileSync(path));
    } catch {
      return false;
    }
    if (!values) return false;
    for (const value of values) {
      const coverage = includeCoverage(value);
      if (!coverage) return false;
      if ('file' in coverage) {
        if (!(await visit(coverage.file, depth + 1))) return false;
        continue;
      }
      let names: string[];
      try {
        names = readdirSync(coverage.directory).sort();
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'ENOENT' && code !== 'ENOTDIR') return false;
        names = [];
      }
      entries.push([`${coverage.directory}/`, `entries:${JSON.stringify(names)}`]);
      for (const name of names) if (!(await visit(join(coverage.directory, name), depth + 1))) return false;
    }
    return true;
  };
  return (await visit(config, 0)) ? entries : undefined;
}
