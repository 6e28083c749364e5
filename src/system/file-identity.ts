/**
 * What a file is, as a string that changes whenever its contents may have:
 * device, inode, size, and mtime and ctime in nanoseconds. ctime is kept
 * because an edit can put mtime back (touch -d, tar, cp -p) but never ctime;
 * the inode catches a file replaced by rename with the same size and times.
 */
// Synchronous, like all file access on the hot paths: why in src/system/probe.ts.
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';

/** `absent` for a missing path, `dir:…` for a directory (its entries are keyed separately), undefined when it cannot be told. */
export async function fileIdentity(path: string): Promise<string | undefined> {
  try {
    const info = statSync(path, { bigint: true });
    if (info.isDirectory()) return `dir:${info.dev}:${info.ino}`;
    const kind = info.isFile() ? 'file' : 'other';
    return `${kind}:${info.dev}:${info.ino}:${info.size}:${info.mtimeNs}:${info.ctimeNs}`;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? 'absent' : undefined;
  }
}

const ELF_MAGIC = Buffer.from([0x7f, 0x45, 0x4c, 0x46]);

/**
 * The identity of an executable whose answers may be cached, or undefined.
 * Only an ELF file: a script's answer depends on what it runs, which its
 * own identity does not cover (a wrapper around another pacman, a test's
 * stand-in). Read through one descriptor, so the identity is the file read.
 */
export async function binaryIdentity(path: string): Promise<string | undefined> {
  let descriptor: number | undefined;
  try {
    descriptor = openSync(path, 'r');
    const info = fstatSync(descriptor, { bigint: true });
    if (!info.isFile()) return undefined;
    const head = Buffer.alloc(ELF_MAGIC.length);
    const bytesRead = readSync(descriptor, head, 0, head.length, 0);
    if (bytesRead !== head.length || !head.equals(ELF_MAGIC)) return undefined;
    return `elf:${info.dev}:${info.ino}:${info.size}:${info.mtimeNs}:${info.ctimeNs}`;
  } catch {
    return undefined;
  } finally {
    if (descriptor !== undefined) closeSync(descriptor);
  }
}
