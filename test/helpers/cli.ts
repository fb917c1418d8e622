// Runs the built binary (bin/run.js) the way a user does, always with --allow-targets set to loopback
// so that a test that forgets a redirect fails instead of sending traffic anywhere else.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Finding, Report } from '../../src/engine/types.js';
import { assertValidReport } from './schema.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(ROOT, 'bin/run.js');
export const SEED = path.join(ROOT, 'fixtures/seed');
export const LOOPBACK = '127.0.0.0/8,::1/128';

/** Fails (with the way out) when the binary the CLI tests run has not been built. */
export function assertBuilt(): void {
  assert.ok(existsSync(path.join(ROOT, 'dist/src/commands/check.js')), 'build first: npm run build');
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Added to (or overriding) the loopback-only environment. */
  env?: Record<string, string>;
  cwd?: string;
  /** The child is killed (SIGKILL) after this long; 30 s by default. */
  timeoutMs?: number;
  /** Written to the child's stdin, which is then closed; without it stdin is closed from the start. */
  stdin?: string | Buffer;
  /** Options for node itself, before bin/run.js (e.g. `--import <hook>`). */
  nodeArgs?: string[];
}

/**
 * Spawns `node [nodeArgs] bin/run.js args` with only PATH, HOME, MATRIXDOC_ALLOW_TARGETS=loopback and
 * NO_COLOR (plus `env`), and collects its output. `runCli` and the hostile tests' measured run use it.
 */
export function spawnCli(args: string[], opts: CliOptions = {}): Promise<CliResult & { signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), BIN, ...args], {
      cwd: opts.cwd ?? ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', MATRIXDOC_ALLOW_TARGETS: LOOPBACK, NO_COLOR: '1', ...opts.env },
      stdio: [opts.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    // stdout and stderr are pipes (stdio[1] and [2]), whatever stdin is.
    child.stdout!.on('data', (d) => {
      stdout += d;
    });
    child.stderr!.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    if (opts.stdin !== undefined && child.stdin) {
      child.stdin.on('error', () => {}); // the command may stop reading early (too much input)
      child.stdin.end(opts.stdin);
    }
  });
}

/** Runs `bin/run.js args` (see spawnCli); a JSON report of `check` must match the published schema. */
export async function runCli(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  const { code, stdout, stderr } = await spawnCli(args, opts);
  // Every JSON report a test produces must match the published schema.
  if (args.includes('--json') && args[0] === 'check' && stdout.trim().startsWith('{')) {
    try {
      const parsed = JSON.parse(stdout);
      if (parsed && typeof parsed === 'object' && 'schemaVersion' in parsed) assertValidReport(parsed);
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
    }
  }
  return { code, stdout, stderr };
}

/**
 * `runCli(args)` for a `check ... --json` run: the report (the test fails, showing the output, when
 * stdout is not JSON), every finding, their `code:messageId` ids, the first check, and the wall time.
 */
export async function runCheckJson(args: string[], opts: CliOptions = {}) {
  const started = performance.now();
  const r = await runCli(args, opts);
  const elapsed = performance.now() - started;
  let report: Report;
  try {
    report = JSON.parse(r.stdout) as Report;
  } catch {
    assert.fail(`not JSON (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  }
  const findings: Finding[] = report.checks.flatMap((c) => c.findings);
  return { ...r, report, findings, ids: findings.map((f) => `${f.code}:${f.messageId}`), elapsed, check: report.checks[0] };
}
