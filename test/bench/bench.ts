// Benchmarks: scripts that print figures (not timed tests). Run with
//   node --import tsx test/bench/bench.ts [cold|live|dead|fleet ...]
// after `npm run build`. Everything runs on loopback. docs/performance.md publishes the results.

import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import type { Report } from '../../src/engine/types.js';
import { startDeployment } from '../harness/deployment.js';
import { BIN, LOOPBACK, SEED } from '../helpers/cli.js';
import { startSilentServer } from '../helpers/servers.js';

const ENV = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', MATRIXDOC_ALLOW_TARGETS: LOOPBACK, NO_COLOR: '1' };

interface Timed {
  ms: number;
  maxRssKb: number;
  code: number | null;
  stdout: string;
}

/** Runs a command under /usr/bin/time to get its wall time and peak RSS. */
function timed(cmd: string, args: string[]): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn('/usr/bin/time', ['-f', '%M', cmd, ...args], { env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const rss = Number(stderr.trim().split('\n').pop());
      resolve({ ms: performance.now() - t0, maxRssKb: rss, code, stdout });
    });
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms: number) => `${ms.toFixed(0)} ms`;

async function repeat(n: number, cmd: string, args: string[]): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) times.push((await timed(cmd, args)).ms);
  return median(times);
}

async function cold(): Promise<void> {
  const n = 11;
  const base = await repeat(n, process.execPath, ['-e', '0']);
  const version = await repeat(n, process.execPath, [BIN, '--version']);
  const offline = await repeat(n, process.execPath, [BIN, 'check', '--offline', '--profile', path.join(SEED, 'matrixdoc.yaml'), '--format', 'json']);
  console.log(`cold start (median of ${n}):`);
  console.log(`  node -e 0                          ${fmt(base)}`);
  console.log(`  matrixdoc --version                ${fmt(version)}  (${(version / base).toFixed(2)}x node)   target: <= 3x`);
  console.log(`  matrixdoc check --offline (seed)   ${fmt(offline)}  (${(offline / base).toFixed(2)}x node)   target: < 1000 ms`);
}

async function live(): Promise<void> {
  const d = await startDeployment();
  try {
    const runs: { wall: number; sum: number; max: number }[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await timed(process.execPath, [BIN, 'check', '--profile', d.files.profile, ...d.flags, '--json']);
      const report = JSON.parse(r.stdout) as Report;
      const durations = report.probes.map((p) => p.durationMs);
      runs.push({ wall: report.durationMs, sum: durations.reduce((a, b) => a + b, 0), max: Math.max(...durations) });
    }
    const wall = median(runs.map((x) => x.wall));
    const sum = median(runs.map((x) => x.sum));
    const max = median(runs.map((x) => x.max));
    console.log('full live check of the healthy local test deployment (all checks, median of 5, times inside the run):');
    console.log(
      `  wall time ${fmt(wall)}; sum of probe times ${fmt(sum)} (concurrency gain ${(sum / wall).toFixed(2)}x); slowest probe ${fmt(max)} (wall/slowest ${(wall / max).toFixed(2)}x)   target: <= 1.5x`,
    );
  } finally {
    await d.stop();
  }
}

async function dead(): Promise<void> {
  // A host that accepts connections and never answers: every probe costs its timeout, concurrently.
  const silent = await startSilentServer();
  try {
    const timeoutMs = 2000;
    const name = 'dead.example.test';
    const flags = [
      '--server-name',
      name,
      '--timeout',
      `${timeoutMs}ms`,
      '--resolve',
      `${name}:443:127.0.0.1`,
      '--connect-to',
      `${name}:443:127.0.0.1:${silent.port}`,
      '--connect-to',
      `${name}:8448:127.0.0.1:${silent.port}`,
      '--dns-server',
      '127.0.0.1:9',
      '--json',
    ];
    const r = await timed(process.execPath, [BIN, 'check', ...flags]);
    const report = JSON.parse(r.stdout) as Report;
    console.log(`a dead host (accepts, never answers), --timeout ${timeoutMs} ms:`);
    console.log(
      `  run ${fmt(report.durationMs)} inside, ${fmt(r.ms)} with process start (${(report.durationMs / timeoutMs).toFixed(2)}x the timeout)   target: <= 1.1x`,
    );
  } finally {
    await silent.close();
  }
}

async function fleet(): Promise<void> {
  const d = await startDeployment();
  const dir = mkdtempSync(path.join(tmpdir(), 'matrixdoc-bench-'));
  try {
    const n = 200;
    const lines: string[] = [];
    for (let i = 0; i < n; i++) {
      if (i % 10 === 9) {
        lines.push(`dead-${i}.xfoss.com`);
        continue;
      }
      const p = path.join(d.dir, `fleet-${i}.yaml`);
      copyFileSync(d.files.profile, p);
      lines.push(p);
    }
    const file = path.join(dir, 'targets.txt');
    writeFileSync(file, lines.join('\n'));
    const r = await timed(process.execPath, [BIN, 'check', '--targets', file, '--concurrency', '50', ...d.flags, '--format', 'json']);
    const rows = r.stdout.trim().split('\n').length;
    console.log(`fleet: ${n} targets on loopback (every 10th dead), --concurrency 50:`);
    console.log(
      `  ${rows} reports in ${fmt(r.ms)} (${((n / r.ms) * 1000).toFixed(1)} targets/s); peak RSS ${(r.maxRssKb / 1024).toFixed(0)} MB   targets: < 15 s, < 300 MB`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await d.stop();
  }
}

const all: Record<string, () => Promise<void>> = { cold, live, dead, fleet };
const wanted = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(all);
console.log(
  `machine: ${cpus().length} x ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 1024 ** 3).toFixed(0)} GiB; node ${process.version}; ${spawnSync('uname', ['-sr'], { encoding: 'utf8' }).stdout.trim()}`,
);
for (const name of wanted) {
  if (!all[name]) throw new Error(`unknown benchmark ${name} (${Object.keys(all).join(', ')})`);
  await all[name]();
}
process.exit(0);
