// Writing fixed files never loses data: refuse when the file changed, keep a backup, keep mode and
// owner, write through symlinks, and leave the original whole when the disk is full, the folder is not
// writable, or the process is killed in the middle.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { FixError } from '../../src/fix/errors.js';
import { writeFileSafely } from '../../src/fix/write.js';
import { ROOT } from '../helpers/cli.js';

const sha = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');
const made: string[] = [];
const tmp = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'matrixdoc-write-'));
  made.push(d);
  return d;
};
after(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

describe('writeFileSafely', () => {
  test('replaces the file, keeps a timestamped backup of the original, mode and owner', async () => {
    const dir = tmp();
    const file = path.join(dir, 'homeserver.yaml');
    writeFileSync(file, 'a: 1\n', { mode: 0o640 });
    chownSync(file, 65534, 65534);
    const { target, backup } = await writeFileSafely(file, 'a: 2\n', { expectSha256: sha('a: 1\n'), now: new Date('2026-11-26T12:00:00Z') });
    assert.equal(target, file);
    assert.equal(readFileSync(file, 'utf8'), 'a: 2\n');
    // Hidden, so that nginx's `include sites-enabled/*` or Synapse's conf.d never load a backup.
    assert.equal(backup, path.join(dir, '.homeserver.yaml.matrixdoc-20261126T120000Z.bak'));
    assert.equal(readFileSync(backup, 'utf8'), 'a: 1\n');
    const st = statSync(file);
    assert.equal(st.mode & 0o777, 0o640);
    assert.deepEqual([st.uid, st.gid], [65534, 65534]);
    assert.deepEqual(readdirSync(dir).sort(), ['.homeserver.yaml.matrixdoc-20261126T120000Z.bak', 'homeserver.yaml']);
    // A second backup in the same second does not overwrite the first.
    const again = await writeFileSafely(file, 'a: 3\n', { expectSha256: sha('a: 2\n'), now: new Date('2026-11-26T12:00:00Z') });
    assert.notEqual(again.backup, backup);
    assert.equal(readFileSync(backup, 'utf8'), 'a: 1\n');
  });

  test('--backup-dir puts backups elsewhere', async () => {
    const dir = tmp();
    const file = path.join(dir, 'config.json');
    writeFileSync(file, '{}\n');
    const { backup } = await writeFileSafely(file, '{"a":1}\n', { expectSha256: sha('{}\n'), backupDir: path.join(dir, 'backups') });
    assert.equal(path.dirname(backup), path.join(dir, 'backups'));
  });

  test('refuses when the file changed since it was read, and changes nothing', async () => {
    const dir = tmp();
    const file = path.join(dir, 'f.yaml');
    writeFileSync(file, 'edited meanwhile\n');
    await assert.rejects(
      writeFileSafely(file, 'x\n', { expectSha256: sha('as read\n') }),
      (e: Error) => e instanceof FixError && /changed since matrixdoc read it/.test(e.message),
    );
    assert.equal(readFileSync(file, 'utf8'), 'edited meanwhile\n');
    assert.deepEqual(readdirSync(dir), ['f.yaml']);
  });

  test('refuses when the file changes between the temporary write and the rename', async () => {
    const dir = tmp();
    const file = path.join(dir, 'f.yaml');
    writeFileSync(file, 'a\n');
    await assert.rejects(
      writeFileSafely(file, 'b\n', { expectSha256: sha('a\n'), beforeRename: () => writeFileSync(file, 'someone else\n') }),
      /changed while matrixdoc was writing/,
    );
    assert.equal(readFileSync(file, 'utf8'), 'someone else\n');
    assert.ok(!readdirSync(dir).some((n) => n.endsWith('.tmp')), 'no temporary file left');
  });

  test('writes through a symlink to its target, and the link stays a link', async () => {
    const dir = tmp();
    mkdirSync(path.join(dir, 'real'));
    const real = path.join(dir, 'real', '.env');
    writeFileSync(real, 'A=1\n');
    const link = path.join(dir, '.env');
    symlinkSync(real, link);
    const { target } = await writeFileSafely(link, 'A=2\n', { expectSha256: sha('A=1\n') });
    assert.equal(target, real);
    assert.ok(lstatSync(link).isSymbolicLink());
    assert.equal(readFileSync(real, 'utf8'), 'A=2\n');
  });

  test('a full disk leaves the original whole and no temporary file', async (t) => {
    const dir = tmp();
    const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=8k', 'tmpfs', dir]);
    assert.equal(mount.status, 0, `this test needs root to mount a small tmpfs: ${mount.stderr}`);
    t.after(() => spawnSync('umount', [dir]));
    const file = path.join(dir, 'homeserver.yaml');
    writeFileSync(file, 'a: 1\n');
    const huge = `a: ${'x'.repeat(64 * 1024)}\n`;
    await assert.rejects(
      writeFileSafely(file, huge, { expectSha256: sha('a: 1\n'), backupDir: tmp() }),
      (e: Error) => e instanceof FixError && /left as it was/.test(e.message),
    );
    assert.equal(readFileSync(file, 'utf8'), 'a: 1\n');
    assert.deepEqual(readdirSync(dir), ['homeserver.yaml']);
  });

  test('a folder the user cannot write to: refused, original whole', async () => {
    const dir = tmp();
    const file = path.join(dir, 'homeserver.yaml');
    writeFileSync(file, 'a: 1\n');
    chmodSync(dir, 0o755);
    // Run as `nobody`, who may read but not write the folder (root could write anywhere).
    const script = `import { writeFileSafely } from ${JSON.stringify(path.join(ROOT, 'src/fix/write.ts'))};
      try { await writeFileSafely(${JSON.stringify(file)}, 'a: 2\\n', { expectSha256: ${JSON.stringify(sha('a: 1\n'))}, backupDir: '/tmp' }); console.log('WROTE'); }
      catch (e) { console.log('REFUSED', e.name, e.message); }`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { uid: 65534, gid: 65534, encoding: 'utf8', cwd: ROOT });
    assert.match(r.stdout, /^REFUSED FixError/, r.stderr);
    assert.equal(readFileSync(file, 'utf8'), 'a: 1\n');
  });

  test('killed in the middle: the original is whole (the new text is only in a temporary file)', async () => {
    const dir = tmp();
    const file = path.join(dir, 'homeserver.yaml');
    writeFileSync(file, 'a: 1\n');
    const marker = path.join(dir, 'reached-rename');
    const script = `import { writeFileSync } from 'node:fs';
      import { writeFileSafely } from ${JSON.stringify(path.join(ROOT, 'src/fix/write.ts'))};
      await writeFileSafely(${JSON.stringify(file)}, 'a: 2\\n', { expectSha256: ${JSON.stringify(sha('a: 1\n'))}, beforeRename: async () => { writeFileSync(${JSON.stringify(marker)}, ''); await new Promise(() => setInterval(() => {}, 1000)); } });`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, stdio: 'ignore' });
    const deadline = Date.now() + 15_000;
    while (!existsSync(marker) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.ok(existsSync(marker), 'the writer reached the rename');
    const exited = child.exitCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    assert.equal(readFileSync(file, 'utf8'), 'a: 1\n');
    const temps = readdirSync(dir).filter((n) => n.endsWith('.tmp'));
    assert.equal(temps.length, 1);
    assert.equal(readFileSync(path.join(dir, temps[0]), 'utf8'), 'a: 2\n', 'the temporary file is whole too');
    // SIGKILL cannot be caught, so the temporary file outlives that process; the next write of the file
    // removes it (its writer is gone), and leaves no temporary file of its own.
    const next = await writeFileSafely(file, 'a: 3\n', { expectSha256: sha('a: 1\n'), backupDir: tmp() });
    assert.deepEqual(next.removedTemps, [path.join(dir, temps[0])]);
    assert.equal(readFileSync(file, 'utf8'), 'a: 3\n');
    assert.deepEqual(
      readdirSync(dir).filter((n) => n.endsWith('.tmp')),
      [],
    );
  });

  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    test(`${signal} in the middle: no temporary file is left, the original is whole, and the process ends by the signal`, async () => {
      const dir = tmp();
      const file = path.join(dir, 'homeserver.yaml');
      writeFileSync(file, 'a: 1\n');
      const marker = path.join(dir, 'reached-rename');
      const script = `import { writeFileSync } from 'node:fs';
        import { writeFileSafely } from ${JSON.stringify(path.join(ROOT, 'src/fix/write.ts'))};
        await writeFileSafely(${JSON.stringify(file)}, 'a: 2\\n', { expectSha256: ${JSON.stringify(sha('a: 1\n'))}, backupDir: ${JSON.stringify(tmp())}, beforeRename: async () => { writeFileSync(${JSON.stringify(marker)}, ''); await new Promise(() => setInterval(() => {}, 1000)); } });`;
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, stdio: 'ignore' });
      const ended = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, sig) => resolve(sig)));
      const deadline = Date.now() + 15_000;
      while (!existsSync(marker) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.ok(existsSync(marker), 'the writer reached the rename');
      assert.equal(readdirSync(dir).filter((n) => n.endsWith('.tmp')).length, 1, 'the temporary file is there before the signal');
      child.kill(signal);
      assert.equal(await ended, signal);
      assert.equal(readFileSync(file, 'utf8'), 'a: 1\n');
      assert.deepEqual(readdirSync(dir).sort(), ['homeserver.yaml', 'reached-rename']);
    });
  }

  test('leftovers of a live writer, or other files, are not touched', async () => {
    const dir = tmp();
    const file = path.join(dir, 'f.yaml');
    writeFileSync(file, 'a\n');
    const mine = path.join(dir, `.f.yaml.matrixdoc-${process.pid}-0123abcd.tmp`);
    const other = path.join(dir, '.g.yaml.matrixdoc-999999999-0123abcd.tmp');
    const lookalike = path.join(dir, '.f.yaml.matrixdoc-999999999-nothex00.tmp');
    for (const f of [mine, other, lookalike]) writeFileSync(f, 'x');
    const r = await writeFileSafely(file, 'b\n', { expectSha256: sha('a\n'), backupDir: tmp() });
    assert.deepEqual(r.removedTemps, []);
    for (const f of [mine, other, lookalike]) assert.ok(existsSync(f), f);
  });
});
