// Runs the built binary (bin/run.js) the way a user does, always with --allow-targets set to loopback
// so that a test that forgets a redirect fails instead of sending traffic anywhere else.

import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertValidReport } from './schema.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(ROOT, 'bin/run.js');
export const SEED = path.join(ROOT, 'fixtures/seed');
export const LOOPBACK = '127.0.0.0/8,::1/128';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], opts: { env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: opts.cwd ?? ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', MATRIXDOC_ALLOW_TARGETS: LOOPBACK, NO_COLOR: '1', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      // Every JSON report a test produces must match the published schema.
      if (args.includes('--json') && args[0] === 'check' && stdout.trim().startsWith('{')) {
        try {
          const parsed = JSON.parse(stdout);
          if (parsed && typeof parsed === 'object' && 'schemaVersion' in parsed) assertValidReport(parsed);
        } catch (error) {
          if (!(error instanceof SyntaxError)) return reject(error);
        }
      }
      resolve({ code, stdout, stderr });
    });
  });
}
