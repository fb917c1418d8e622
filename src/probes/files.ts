// Reading the deployment's files: bounded in size, refusing binary and non-UTF-8 content, with one clear
// error code per failure so that a missing or unreadable file is reported, never a crash.

import { createHash } from 'node:crypto';
import { open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { ProbeError } from '../engine/errors.js';

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
      return new ProbeError('FILE_NOT_FOUND', `${what} ${file}: no such file`, { file });
    case 'EACCES':
    case 'EPERM':
      return new ProbeError('FILE_UNREADABLE', `${what} ${file}: permission denied (run as a user that can read it)`, { file });
    case 'EISDIR':
      return new ProbeError('FILE_IS_DIRECTORY', `${what} ${file}: is a folder, expected a file`, { file });
    case 'ELOOP':
      return new ProbeError('FILE_UNREADABLE', `${what} ${file}: symbolic link loop`, { file });
    case 'ENOTDIR':
      return new ProbeError('FILE_NOT_FOUND', `${what} ${file}: a part of the path is not a folder`, { file });
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
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(file, 'r');
    const info = await handle.stat();
    if (info.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    if (!info.isFile()) throw new ProbeError('FILE_UNREADABLE', `${what} ${file}: not a regular file`, { file });
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
    const names = (await readdir(p)).sort();
    for (const name of names) {
      // Editor backups and package-manager leftovers are not loaded by nginx's usual include globs.
      if (name.startsWith('.') || /(~|\.bak|\.orig|\.dpkg-\w+|\.swp)$/.test(name) || !include(p, name)) continue;
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
