/**
 * Writing a file for node_exporter's textfile collector. The collector reads
 * every *.prom file in its directory on each scrape, so the file is written
 * under a name it ignores and renamed into place: a scrape sees the old file
 * or the new one, never half of one.
 */
import { open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** node_exporter on Debian (compiled-in default of --collector.textfile.directory). */
export const DEFAULT_TEXTFILE_DIR = '/var/lib/prometheus/node-exporter';
export const TEXTFILE_NAME = 'pacman-guard.prom';

export async function writeTextfile(directory: string, content: string, name = TEXTFILE_NAME): Promise<string> {
  const target = join(directory, name);
  // Not *.prom, so the collector never reads it; in the same directory, so rename is atomic.
  const temporary = join(directory, `.${name}.${process.pid}.tmp`);
  try {
    const handle = await open(temporary, 'w', 0o644);
    try {
      await handle.writeFile(content);
      // On disk before the rename, so a crash leaves the old file or the whole new one.
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  return target;
}
