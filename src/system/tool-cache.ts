/**
 * Answers of query tools (pacman-conf, pacman --version) kept across runs in
 * guard's runtime directory, so the shim's slow path, the hook and status
 * spawn nothing. An answer is used only under the very key it was stored
 * with: the caller's key names everything the answer depends on (the tool's
 * binary, the files it reads). A cache file that is not exactly as written
 * (missing, malformed, another key) is a miss, and one anybody but root
 * could have written is not even read: pacman's configuration decides where
 * the guard looks for the lock.
 *
 * Only root writes it (the answers are the same for every user, and a user
 * must not be able to plant one); users read it. Written to a temporary file
 * and renamed, so a reader sees the old cache or the new one, never half.
 * A failed answer is never stored. Failing to write is no error: the next
 * run asks the tool again.
 */
// Read synchronously: every refusal, hook and status reads it (why: src/system/probe.ts); written
// asynchronously, only after a miss that ran the tool.
import { closeSync, constants, fstatSync, lstatSync, openSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile, chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { RUNTIME_DIR } from './runtime-dir.js';

export const TOOL_CACHE_FILE = 'tool-cache.json';
const FORMAT = 1;
/** Enough for the host's questions and a few --config/--root ones; the oldest go first. */
const MAX_ENTRIES = 16;

export interface ToolCacheOptions {
  /** Default /run/pacman-guard. */
  readonly runtimeDir?: string;
  /** The only owner whose cache is trusted, and the only user who writes it. Default root; tests without root pass their own uid. */
  readonly owner?: number;
}

export interface CachedQuestion {
  /** Which question (the tool and its arguments): a new answer replaces the old one. */
  readonly id: string;
  /** Everything the answer depends on; the answer is used only when this is unchanged. */
  readonly key: string;
}

interface Entry {
  readonly id: string;
  readonly key: string;
  readonly answer: string;
}

/** Pure: the entries of a cache file's text; [] for anything but what writeEntries writes. */
export function parseCache(text: string): Entry[] {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return [];
  }
  if (typeof document !== 'object' || document === null) return [];
  const { format, entries } = document as { format?: unknown; entries?: unknown };
  if (format !== FORMAT || !Array.isArray(entries)) return [];
  const valid = (entry: unknown): entry is Entry => typeof entry === 'object' && entry !== null
    && ['id', 'key', 'answer'].every((field) => typeof (entry as Record<string, unknown>)[field] === 'string');
  return entries.every(valid) ? entries : [];
}

/** Whether a file or directory's owner and mode let nobody but `owner` change it. */
const ownedSafely = (info: { uid: number; mode: number }, owner: number) => info.uid === owner && (info.mode & 0o022) === 0;

function trustedDirectory(directory: string, owner: number): boolean {
  try {
    const info = lstatSync(directory);
    return info.isDirectory() && ownedSafely(info, owner);
  } catch {
    return false;
  }
}

/** The cache's entries, or [] when it is absent, unreadable, untrusted or malformed. */
function readEntries(directory: string, owner: number): Entry[] {
  if (!trustedDirectory(directory, owner)) return [];
  let descriptor: number | undefined;
  try {
    // O_NOFOLLOW, then fstat: the checks are about the very file that is read.
    descriptor = openSync(join(directory, TOOL_CACHE_FILE), constants.O_RDONLY | constants.O_NOFOLLOW);
    const info = fstatSync(descriptor);
    if (!info.isFile() || !ownedSafely(info, owner)) return [];
    return parseCache(readFileSync(descriptor, 'utf8'));
  } catch {
    return [];
  } finally {
    if (descriptor !== undefined) closeSync(descriptor);
  }
}

async function writeEntries(directory: string, owner: number, entries: readonly Entry[]): Promise<void> {
  await mkdir(directory, { recursive: true, mode: 0o755 });
  if (!trustedDirectory(directory, owner)) return;
  const file = join(directory, TOOL_CACHE_FILE);
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, `${JSON.stringify({ format: FORMAT, entries })}\n`, { flag: 'wx', mode: 0o644 });
    // The umask may have taken the users' read bit: they would only miss, but they need not.
    await chmod(temporary, 0o644);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/**
 * The answer to `question`: the cached one when its key is unchanged,
 * otherwise `ask()`'s, stored for the next run (by root only).
 */
export async function cachedAnswer(question: CachedQuestion, ask: () => Promise<string>, options: ToolCacheOptions = {}): Promise<string> {
  const directory = options.runtimeDir ?? RUNTIME_DIR;
  const owner = options.owner ?? 0;
  const entries = readEntries(directory, owner);
  const hit = entries.find((entry) => entry.id === question.id && entry.key === question.key);
  if (hit) return hit.answer;
  const answer = await ask();
  if (process.getuid?.() === owner) {
    const kept = entries.filter((entry) => entry.id !== question.id).slice(-(MAX_ENTRIES - 1));
    await writeEntries(directory, owner, [...kept, { id: question.id, key: question.key, answer }]).catch(() => undefined);
  }
  return answer;
}
