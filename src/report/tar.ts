// A minimal POSIX ustar writer (and reader, for verification): 512-byte headers and blocks, regular
// files and folders only, names split into prefix/name as ustar allows. Enough for a support bundle
// that GNU tar, bsdtar and Python's tarfile read; no dependency.

const BLOCK = 512;

export interface TarEntry {
  /** Path inside the archive, with / separators; a folder ends with /. */
  name: string;
  /** File content (a string is written as UTF-8); absent for folders. */
  data?: Buffer | string;
  /** Permission bits; 0o600 for files and 0o700 for folders unless given. */
  mode?: number;
  mtime?: Date;
}

function octal(value: number, width: number): string {
  // width - 1 octal digits, then NUL.
  const text = Math.floor(value).toString(8);
  if (text.length > width - 1) throw new Error(`tar: ${value} does not fit in a ${width}-byte field`);
  return `${text.padStart(width - 1, '0')}\0`;
}

function writeField(header: Buffer, offset: number, width: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length > width) throw new Error(`tar: '${text}' is longer than ${width} bytes`);
  bytes.copy(header, offset);
}

/** ustar keeps names of up to 100 bytes, or a prefix of up to 155 bytes, a /, and 100 more. */
function splitName(name: string): { prefix: string; name: string } {
  if (!/^[\x20-\x7e]+$/.test(name) || name.startsWith('/') || name.split('/').includes('..')) throw new Error(`tar: unsafe member name '${name}'`);
  if (Buffer.byteLength(name) <= 100) return { prefix: '', name };
  for (let i = name.lastIndexOf('/', name.length - 2); i > 0; i = name.lastIndexOf('/', i - 1)) {
    const prefix = name.slice(0, i);
    const rest = name.slice(i + 1);
    if (prefix.length <= 155 && rest.length <= 100) return { prefix, name: rest };
  }
  throw new Error(`tar: member name too long for ustar: '${name}'`);
}

function header(entry: TarEntry, size: number, isDir: boolean): Buffer {
  const h = Buffer.alloc(BLOCK, 0);
  const { prefix, name } = splitName(entry.name);
  writeField(h, 0, 100, name);
  writeField(h, 100, 8, octal(entry.mode ?? (isDir ? 0o700 : 0o600), 8));
  writeField(h, 108, 8, octal(0, 8)); // uid
  writeField(h, 116, 8, octal(0, 8)); // gid
  writeField(h, 124, 12, octal(size, 12));
  writeField(h, 136, 12, octal((entry.mtime ?? new Date()).getTime() / 1000, 12));
  writeField(h, 148, 8, '        '); // checksum placeholder: eight spaces
  writeField(h, 156, 1, isDir ? '5' : '0');
  writeField(h, 257, 6, 'ustar\0');
  writeField(h, 263, 2, '00');
  writeField(h, 345, 155, prefix);
  let sum = 0;
  for (const b of h) sum += b;
  writeField(h, 148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return h;
}

/** The archive: each entry's header and data padded to 512 bytes, then two zero blocks. */
export function createTar(entries: TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const isDir = entry.name.endsWith('/');
    const data = isDir ? Buffer.alloc(0) : Buffer.isBuffer(entry.data) ? entry.data : Buffer.from(entry.data ?? '', 'utf8');
    parts.push(header(entry, data.length, isDir));
    if (data.length) {
      parts.push(data);
      const pad = (BLOCK - (data.length % BLOCK)) % BLOCK;
      if (pad) parts.push(Buffer.alloc(pad, 0));
    }
  }
  parts.push(Buffer.alloc(BLOCK * 2, 0));
  return Buffer.concat(parts);
}

export interface TarMember {
  name: string;
  type: 'file' | 'dir';
  mode: number;
  data: Buffer;
}

const field = (h: Buffer, offset: number, width: number) => {
  const raw = h.subarray(offset, offset + width);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? width : end).toString('utf8');
};

/** Reads a ustar archive written by createTar (checksums verified). */
export function readTar(archive: Buffer): TarMember[] {
  const out: TarMember[] = [];
  let at = 0;
  while (at + BLOCK <= archive.length) {
    const h = archive.subarray(at, at + BLOCK);
    if (h.every((b) => b === 0)) break;
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i];
    const stored = Number.parseInt(field(h, 148, 8).trim(), 8);
    if (stored !== sum) throw new Error(`tar: bad header checksum at offset ${at}`);
    if (field(h, 257, 6) !== 'ustar') throw new Error(`tar: not a ustar header at offset ${at}`);
    const prefix = field(h, 345, 155);
    const name = prefix ? `${prefix}/${field(h, 0, 100)}` : field(h, 0, 100);
    const size = Number.parseInt(field(h, 124, 12), 8);
    const type = field(h, 156, 1) === '5' ? 'dir' : 'file';
    const mode = Number.parseInt(field(h, 100, 8), 8);
    at += BLOCK;
    out.push({ name, type, mode, data: Buffer.from(archive.subarray(at, at + size)) });
    at += Math.ceil(size / BLOCK) * BLOCK;
  }
  return out;
}
