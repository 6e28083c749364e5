/**
 * An internal error's stack, its frames in the bundled entry point
 * (dist/cli/main.js, scripts/bundle.mjs) mapped back to the TypeScript file
 * and line through the bundle's source map. Loaded only when an internal
 * error is reported: Node's own --enable-source-maps would parse the map on
 * every start. A frame without a map, or one the map does not cover, stays
 * as it was.
 */
import { readFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export function sourceMappedStack(stack: string): string {
  const maps = new Map<string, SourceMap | undefined>();
  const mapFor = (url: string): SourceMap | undefined => {
    if (!maps.has(url)) {
      let map: SourceMap | undefined;
      try {
        map = new SourceMap(JSON.parse(readFileSync(`${fileURLToPath(url)}.map`, 'utf8')) as SourceMapPayload);
      } catch {
        map = undefined;
      }
      maps.set(url, map);
    }
    return maps.get(url);
  };
  return stack.replace(/(file:\/\/[^\s()]+\.js):(\d+):(\d+)/g, (frame, url: string, line: string, column: string) => {
    const entry = mapFor(url)?.findEntry(Number(line) - 1, Number(column) - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number } | undefined;
    if (entry?.originalSource === undefined || entry.originalLine === undefined || entry.originalColumn === undefined) return frame;
    const source = entry.originalSource.startsWith('file:') ? fileURLToPath(entry.originalSource)
      : isAbsolute(entry.originalSource) ? entry.originalSource : resolve(dirname(fileURLToPath(url)), entry.originalSource);
    return `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  });
}
