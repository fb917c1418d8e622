// Temporary folders for a test file, removed after its tests.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after } from 'node:test';

/**
 * Registers an `after` hook (call this at the top level of a test file) and returns `make(prefix?)`,
 * which creates a temporary folder, at any time, that the hook removes.
 */
export function tempDirs(defaultPrefix = 'matrixdoc-test-'): (prefix?: string) => string {
  const made: string[] = [];
  after(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return (prefix = defaultPrefix) => {
    const dir = mkdtempSync(path.join(tmpdir(), prefix));
    made.push(dir);
    return dir;
  };
}

/**
 * `write(name, text)` writes a new file in `dir` and returns its path: `homeserver.yaml` becomes
 * homeserver-1.yaml, then homeserver-2.yaml (one count for the folder), so a test never reuses a file.
 */
export function numberedFiles(dir: string): (name: string, text: string) => string {
  let count = 0;
  return (name, text) => {
    const ext = path.extname(name);
    const file = path.join(dir, `${path.basename(name, ext)}-${++count}${ext}`);
    writeFileSync(file, text);
    return file;
  };
}
