// Writing a fixed file without ever losing data: the file must still be what the probe read (same
// sha256), a timestamped backup is made first, the new text goes to a temporary file in the same folder
// that is fsynced and renamed over the target (so a reader, or a crash, sees the old file or the new one,
// whole), with the original mode and owner. Symbolic links are written through to their target.
// A temporary file never outlives the write: it is removed on failure, and on SIGINT, SIGTERM or SIGHUP
// before the process ends. SIGKILL cannot be caught: the temporary file it leaves (the original is whole)
// is removed by the next write of the same file, once no live process on this machine owns it.

import { createHash, randomBytes } from 'node:crypto';
import { constants, promises as fsp, rmSync } from 'node:fs';
import path from 'node:path';
import { FixError } from './errors.js';

export interface WriteOptions {
  expectSha256: string;
  /** Where backups go; next to the file by default. */
  backupDir?: string;
  now?: Date;
  /** Test hook: called after the temporary file is written and synced, before the rename. */
  beforeRename?: (tempFile: string) => Promise<void> | void;
}

export interface WriteResult {
  /** The file that was replaced (the symlink's target when `file` is a link). */
  target: string;
  backup: string;
  /** Temporary files of this file that a killed run left behind, removed before writing. */
  removedTemps: string[];
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** `.<name>.matrixdoc-<pid>-<8 hex>.tmp`: the temporary files writeFileSafely makes for `<name>`. */
function tempPattern(base: string): RegExp {
  const escaped = base.replace(/[.*+?^$|()[\]{}\\]/g, '\\$&');
  return new RegExp(`^\\.${escaped}\\.matrixdoc-(\\d+)-[0-9a-f]{8}\\.tmp$`);
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes temporary files of `base` in `dir` whose writer is gone (killed with SIGKILL, or a crash). */
async function removeLeftovers(dir: string, base: string): Promise<string[]> {
  const pattern = tempPattern(base);
  const removed: string[] = [];
  for (const name of await fsp.readdir(dir).catch(() => [] as string[])) {
    const m = pattern.exec(name);
    if (!m || alive(Number(m[1]))) continue;
    const leftover = path.join(dir, name);
    const info = await fsp.lstat(leftover).catch(() => undefined);
    if (!info?.isFile()) continue;
    await fsp.rm(leftover, { force: true });
    removed.push(leftover);
  }
  return removed;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function stamp(now: Date): string {
  return now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

async function fsyncDir(dir: string): Promise<void> {
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fsp.open(dir, constants.O_RDONLY);
    await handle.sync();
  } catch {
    // some filesystems cannot fsync a directory; the rename is still atomic
  } finally {
    await handle?.close();
  }
}

export async function writeFileSafely(file: string, text: string, opts: WriteOptions): Promise<WriteResult> {
  const target = await fsp.realpath(file).catch((error: NodeJS.ErrnoException) => {
    throw new FixError(`${file}: ${error.code === 'ENOENT' ? 'no longer exists' : error.message}`);
  });
  const dir = path.dirname(target);
  const base = path.basename(target);
  const original = await fsp.readFile(target);
  if (sha256(original) !== opts.expectSha256) {
    throw new FixError(`${file} changed since matrixdoc read it; run matrixdoc again`);
  }
  const info = await fsp.stat(target);
  const now = opts.now ?? new Date();

  const backupDir = opts.backupDir ?? dir;
  await fsp.mkdir(backupDir, { recursive: true });
  // A hidden name: nginx's `include sites-enabled/*` and Synapse's conf.d `*.yaml` must not load a backup.
  const name = opts.backupDir ? base : `.${base}`;
  let backup = path.join(backupDir, `${name}.matrixdoc-${stamp(now)}.bak`);
  for (let n = 1; ; n++) {
    try {
      await fsp.writeFile(backup, original, { flag: 'wx', mode: info.mode & 0o777 });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || n > 50) throw error;
      backup = path.join(backupDir, `${name}.matrixdoc-${stamp(now)}-${n}.bak`);
    }
  }

  const removedTemps = await removeLeftovers(dir, base);
  const temp = path.join(dir, `.${base}.matrixdoc-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  let handle: fsp.FileHandle | undefined;
  // Ctrl-C or a stop while writing: the temporary file goes, then the process ends as the signal says.
  // Until the rename the original is untouched; after it the new file is whole.
  const onSignal = (signal: NodeJS.Signals) => {
    rmSync(temp, { force: true });
    for (const s of SIGNALS) process.off(s, onSignal);
    process.kill(process.pid, signal);
  };
  for (const s of SIGNALS) process.on(s, onSignal);
  try {
    handle = await fsp.open(temp, 'wx', info.mode & 0o7777);
    await handle.writeFile(text, 'utf8');
    await handle.chmod(info.mode & 0o7777);
    try {
      await handle.chown(info.uid, info.gid);
    } catch (error) {
      const self = typeof process.getuid === 'function' ? process.getuid() : info.uid;
      if (self !== info.uid) throw new FixError(`${file}: cannot keep its owner (uid ${info.uid}); run matrixdoc fix as root or as that user`);
      if ((error as NodeJS.ErrnoException).code !== 'EPERM') throw error;
    }
    await handle.sync();
    await handle.close();
    handle = undefined;
    await opts.beforeRename?.(temp);
    // Last look before replacing: the file must still be what was read.
    if (sha256(await fsp.readFile(target)) !== opts.expectSha256) throw new FixError(`${file} changed while matrixdoc was writing; nothing was replaced`);
    await fsp.rename(temp, target);
    await fsyncDir(dir);
  } catch (error) {
    await handle?.close().catch(() => {});
    await fsp.rm(temp, { force: true });
    throw error instanceof FixError ? error : new FixError(`${file}: ${(error as Error).message} (the file was left as it was; backup at ${backup})`);
  } finally {
    for (const s of SIGNALS) process.off(s, onSignal);
  }
  return { target, backup, removedTemps };
}
