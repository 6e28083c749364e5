// `node --import` this (or NODE_OPTIONS=--import=…) with MODULE_TRACE_FILE set:
// every file module the program imports is appended to that file, one URL a
// line. A resolve hook sees each import as the ESM loader resolves it, so
// what is listed is what the program loaded, in every layout.
import { register } from 'node:module';

const file = process.env.MODULE_TRACE_FILE;
if (!file) throw new Error('module-trace.mjs: MODULE_TRACE_FILE is not set');
const hooks = `
import { appendFileSync } from 'node:fs';
let file;
export function initialize(data) { file = data.file; }
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (result.url.startsWith('file:')) appendFileSync(file, result.url + '\\n');
  return result;
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`, { data: { file } });
