// Reading what triage reads: a file or stdin, bounded (MAX_TRIAGE_BYTES), as UTF-8 text, UTF-16 with a
// byte-order mark (Windows copies), or gzip (Element rageshake logs are .log.gz), decompressed to the
// same bound.

import { open, stat } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { InputError } from '../engine/errors.js';

export const MAX_TRIAGE_BYTES = 8 * 1024 * 1024;
const MIB = MAX_TRIAGE_BYTES / 1024 / 1024;

export interface TriageInput {
  /** The file name, or "stdin". */
  name: string;
  text: string;
  /** Bytes read (before decompression). */
  bytes: number;
  /** Only the end of the file was read (bundle logs larger than the bound). */
  truncated?: boolean;
}

function tooLarge(name: string): InputError {
  return new InputError(
    `${name} is larger than ${MIB} MiB; triage reads at most ${MIB} MiB: give it the part around the problem (for example: tail -c 8M homeserver.log | matrixdoc triage -)`,
  );
}

/** Bytes → text: gzip is decompressed, UTF-16 with a BOM decoded, anything else read as UTF-8. */
export function decodeInput(bytes: Buffer, name: string, maxBytes = MAX_TRIAGE_BYTES): string {
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    let out: Buffer;
    try {
      out = gunzipSync(bytes, { maxOutputLength: maxBytes + 1 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) throw tooLarge(`${name} (decompressed)`);
      throw new InputError(`${name}: looks like gzip but cannot be decompressed (${(error as Error).message})`);
    }
    if (out.length > maxBytes) throw tooLarge(`${name} (decompressed)`);
    return decodeInput(out, name, maxBytes);
  }
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  if (bytes.subarray(0, 8192).includes(0)) {
    throw new InputError(
      `${name}: binary content (NUL bytes); triage reads text: a ticket, chat messages, console output or log lines (plain, gzip or UTF-16)`,
    );
  }
  // Not fatal: a log with a stray invalid byte is still worth reading.
  return new TextDecoder('utf-8').decode(bytes);
}

async function readStdin(maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += b.length;
    if (size > maxBytes) {
      process.stdin.destroy();
      throw tooLarge('the input on stdin');
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

function fsError(error: NodeJS.ErrnoException, file: string): InputError {
  const why =
    error.code === 'ENOENT'
      ? 'no such file'
      : error.code === 'EACCES' || error.code === 'EPERM'
        ? 'permission denied'
        : error.code === 'EISDIR'
          ? 'is a folder, not a file'
          : (error.code ?? error.message);
  return new InputError(`cannot read ${file}: ${why}`, { file });
}

/**
 * Reads a file, at most `maxBytes`. With `tail`, a larger regular file is not an error: its last
 * `maxBytes` are read, from the first whole line (logs given to `bundle`).
 */
export async function readInputFile(file: string, opts: { maxBytes?: number; tail?: boolean } = {}): Promise<TriageInput> {
  const maxBytes = opts.maxBytes ?? MAX_TRIAGE_BYTES;
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    const info = await stat(file);
    if (info.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    handle = await open(file, 'r');
    let position = 0;
    let truncated = false;
    if (info.isFile() && info.size > maxBytes) {
      if (!opts.tail) throw tooLarge(file);
      const head = Buffer.alloc(2);
      await handle.read(head, 0, 2, 0);
      // A compressed file cut in the middle cannot be read at all.
      if (head[0] === 0x1f && head[1] === 0x8b)
        throw new InputError(`${file}: a gzip file larger than ${MIB} MiB; decompress the part around the problem first`);
      position = info.size - maxBytes;
      truncated = true;
    }
    // Read at most maxBytes + 1: a file that grows, or a pipe, stays bounded.
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, info.isFile() ? position + length : null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > maxBytes) {
      if (!opts.tail) throw tooLarge(file);
      length = maxBytes;
      truncated = true;
    }
    let bytes = buffer.subarray(0, length);
    if (position > 0) {
      // Start at a whole line.
      const nl = bytes.indexOf(0x0a);
      if (nl >= 0) bytes = bytes.subarray(nl + 1);
    }
    return { name: file, text: decodeInput(bytes, file, maxBytes), bytes: length, ...(truncated ? { truncated } : {}) };
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw fsError(error as NodeJS.ErrnoException, file);
  } finally {
    await handle?.close();
  }
}

/** `-` or nothing: stdin. Anything else: a file. */
export async function readTriageInput(source: string | undefined, maxBytes = MAX_TRIAGE_BYTES): Promise<TriageInput> {
  if (source === undefined || source === '-') {
    const bytes = await readStdin(maxBytes);
    return { name: 'stdin', text: decodeInput(bytes, 'the input on stdin', maxBytes), bytes: bytes.length };
  }
  return readInputFile(source, { maxBytes });
}
