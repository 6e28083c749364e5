/**
 * What pacman's view of the database (src/system/view.ts) shows now, read
 * from the mount table and the view's own layer: for the probe, status and
 * doctor, which must stay light (no mounting code here).
 */
// Synchronous, like all file access on the hot paths: why in src/system/probe.ts.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { dbLockState, viewLayer } from './db-lock.js';
import type { MountEntry } from './mountinfo.js';

export interface ViewState {
  readonly mounted: boolean;
  /** NAME-VERSION entries the view adds, and the extension each came from (null when no provenance named it). */
  readonly packages: readonly { readonly directory: string; readonly extension: string | null }[];
}

/** The entries the mounted view adds (directory names), or an empty set with no view. */
export async function viewEntries(mounts: readonly MountEntry[], dbPath: string): Promise<Set<string>> {
  const view = dbLockState(mounts, dbPath).view;
  const layer = view && viewLayer(view);
  if (!layer) return new Set();
  try {
    return new Set(readdirSync(join(layer, 'local')));
  } catch {
    return new Set();
  }
}

export async function describeView(mounts: readonly MountEntry[], dbPath: string): Promise<ViewState> {
  const view = dbLockState(mounts, dbPath).view;
  const layer = view && viewLayer(view);
  if (!layer) return { mounted: false, packages: [] };
  const names = readdirSync(join(layer, 'local')).sort();
  let record: Record<string, string | null>;
  try {
    record = JSON.parse(readFileSync(join(layer, 'extensions.json'), 'utf8')) as Record<string, string | null>;
  } catch {
    record = {};
  }
  return { mounted: true, packages: names.map((directory) => ({ directory, extension: record[directory] ?? null })) };
}
