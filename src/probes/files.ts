// Reading the deployment's files: bounded in size, refusing binary and non-UTF-8 content, with one clear
// error code per failure so that a missing or unreadable file is reported, never a crash.

import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { type FileHandle, open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { ProbeError } from '../engine/errors.js';

// O_NONBLOCK: a FIFO (or a device) given where a file is expected would otherwise block open() forever,
// with no timeout able to stop it (the open sits in libuv's thread pool). Regular files read the same.
const READ_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK;

/** An errno-style error, as fs throws them (ENOTREG: not a regular file; EFBIG: larger than allowed). */
function fsError(code: 'EISDIR' | 'ENOTREG' | 'EFBIG', message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code });
}

/**
 * A name given on the command line that was not UTF-8 reaches Node with U+FFFD in place of its bytes, so
 * the file it names cannot be found: say why.
 */
const NOT_UTF8_NAME = ' (the name as given is not valid UTF-8, so it cannot be opened: rename the file)';

/** What a `code` of the readers below means, in a few words (for one-line errors). */
export function fsReason(error: NodeJS.ErrnoException, maxBytes?: number, file?: string): string {
  switch (error.code) {
    case 'ENOENT':
      return `no such file${file?.includes('\ufffd') ? NOT_UTF8_NAME : ''}`;
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a folder, not a file';
    case 'ENOTREG':
      return 'not a regular file (a FIFO, socket or device)';
    case 'EFBIG':
      return `larger than ${maxBytes !== undefined ? `${maxBytes / 1024 / 1024} MiB` : 'allowed'}`;
    case 'ELOOP':
      return 'symbolic link loop';
    case 'ENOTDIR':
      return 'a part of the path is not a folder';
    default:
      return String(error.code ?? error.message);
  }
}

/** Opens a regular file for reading without ever blocking; folders (EISDIR) and FIFOs, sockets, devices (ENOTREG) are refused. */
export async function openRegularFile(file: string): Promise<FileHandle> {
  const handle = await open(file, READ_FLAGS);
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw fsError('EISDIR', `${file}: is a directory`);
    if (!info.isFile()) throw fsError('ENOTREG', `${file}: not a regular file`);
    return handle;
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** A whole regular file, at most `maxBytes` (EFBIG beyond), read without blocking on FIFOs. */
export async function readRegularFile(file: string, maxBytes: number): Promise<Buffer> {
  const handle = await openRegularFile(file);
  try {
    const buffer = Buffer.alloc(Math.min(maxBytes + 1, Math.max((await handle.stat()).size, 64 * 1024)));
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > maxBytes) throw fsError('EFBIG', `${file}: larger than ${maxBytes} bytes`);
    return buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}

/** readRegularFile, synchronously (profiles and target lists, read before anything runs). */
export function readRegularFileSync(file: string, maxBytes: number): Buffer {
  const fd = openSync(file, READ_FLAGS);
  try {
    const info = fstatSync(fd);
    if (info.isDirectory()) throw fsError('EISDIR', `${file}: is a directory`);
    if (!info.isFile()) throw fsError('ENOTREG', `${file}: not a regular file`);
    const buffer = Buffer.alloc(Math.min(maxBytes + 1, Math.max(info.size, 64 * 1024)));
    let length = 0;
    while (length < buffer.length) {
      const bytesRead = readSync(fd, buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > maxBytes) throw fsError('EFBIG', `${file}: larger than ${maxBytes} bytes`);
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

/** Config files are small; anything larger is a mistake (a log, a dump) and would only cost memory. */
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

export interface TextFile {
  file: string;
  text: string;
  sha256: string;
  size: number;
}

function describeFsError(error: NodeJS.ErrnoException, file: string, what: string): ProbeError {
  switch (error.code) {
    case 'ENOENT':
      return new ProbeError('FILE_NOT_FOUND', `${what} ${file}: ${fsReason(error, undefined, file)}`, { file });
    case 'EACCES':
    case 'EPERM':
      return new ProbeError('FILE_UNREADABLE', `${what} ${file}: permission denied (run as a user that can read it)`, { file });
    case 'EISDIR':
      return new ProbeError('FILE_IS_DIRECTORY', `${what} ${file}: is a folder, expected a file`, { file });
    case 'ELOOP':
      return new ProbeError('FILE_UNREADABLE', `${what} ${file}: symbolic link loop`, { file });
    case 'ENOTDIR':
      return new ProbeError('FILE_NOT_FOUND', `${what} ${file}: a part of the path is not a folder`, { file });
    case 'ENOTREG':
      return new ProbeError('FILE_UNREADABLE', `${what} ${file}: not a regular file (a FIFO, socket or device)`, { file });
    default:
      return new ProbeError('FILE_UNREADABLE', `${what} ${file}: ${error.message}`, { file });
  }
}

/**
 * Reads a UTF-8 text file. `what` names the input in errors (for example "--homeserver-config").
 * `overlay` holds texts that stand in for files (`matrixdoc fix` judges its fixes before writing them).
 */
export async function readTextFile(file: string, what: string, maxBytes = MAX_CONFIG_BYTES, overlay?: ReadonlyMap<string, string>): Promise<TextFile> {
  const replaced = overlay?.get(file);
  if (replaced !== undefined) {
    const bytes = Buffer.from(replaced, 'utf8');
    return { file, text: replaced, sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length };
  }
  let handle: FileHandle | undefined;
  try {
    handle = await openRegularFile(file);
    const info = await handle.stat();
    // Read at most maxBytes + 1 so a file that grows, or a /proc-like file with size 0, is still bounded.
    const buffer = Buffer.alloc(Math.min(maxBytes + 1, Math.max(info.size, 64 * 1024)));
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > maxBytes) {
      throw new ProbeError('FILE_TOO_LARGE', `${what} ${file}: larger than ${maxBytes / 1024 / 1024} MiB; this is not a config file`, { file });
    }
    const bytes = buffer.subarray(0, length);
    if (bytes.subarray(0, 8192).includes(0)) {
      throw new ProbeError('FILE_BINARY', `${what} ${file}: binary content (NUL bytes); expected a text config file`, { file });
    }
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new ProbeError('FILE_NOT_UTF8', `${what} ${file}: not valid UTF-8 text`, { file });
    }
    return { file, text, sha256: createHash('sha256').update(bytes).digest('hex'), size: length };
  } catch (error) {
    if (error instanceof ProbeError) throw error;
    throw describeFsError(error as NodeJS.ErrnoException, file, what);
  } finally {
    await handle?.close();
  }
}

/** Files named directly, plus the regular files inside named folders (not recursive), sorted. */
export async function expandConfigPaths(paths: string[], what: string, include: (dir: string, name: string) => boolean = () => true): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(p);
    } catch (error) {
      throw describeFsError(error as NodeJS.ErrnoException, p, what);
    }
    if (!info.isDirectory()) {
      out.push(p);
      continue;
    }
    let raw: Buffer[];
    try {
      raw = await readdir(p, { encoding: 'buffer' });
    } catch (error) {
      throw describeFsError(error as NodeJS.ErrnoException, p, what);
    }
    const entries = raw.map((bytes) => ({ bytes, name: bytes.toString('utf8') })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const { bytes, name } of entries) {
      // Editor backups and package-manager leftovers are not loaded by nginx's usual include globs.
      if (name.startsWith('.') || /(~|\.bak|\.orig|\.dpkg-\w+|\.swp)$/.test(name) || !include(p, name)) continue;
      // A name that is not UTF-8 could only be shown and opened as another name (U+FFFD in place of its
      // bytes): it would be skipped without a word, although nginx or Synapse read it.
      if (!isUtf8(bytes)) {
        throw new ProbeError(
          'FILE_NAME_NOT_UTF8',
          `${what} ${p}: the file name ${JSON.stringify(name)} is not valid UTF-8 (bytes ${bytes.toString('hex')}); rename it`,
          { file: p },
        );
      }
      const full = path.join(p, name);
      try {
        if ((await stat(full)).isFile()) out.push(full);
      } catch {
        // a dangling link in sites-enabled is skipped here; nginx would fail on it, a later check can say so
      }
    }
  }
  return out;
}
