// Fleet mode: `check --targets FILE` over the live test deployment (several profiles for it) and dead
// targets, with bounded concurrency; NDJSON, text, Prometheus, JUnit (one document) and Nagios (one
// status line) output; the worst exit code; hanging targets that delay nobody beyond their timeout.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Report } from '../../src/engine/types.js';
import { startDeployment, type TestDeployment } from '../harness/deployment.js';
import { runCli } from '../helpers/cli.js';
import { assertValidReport } from '../helpers/schema.js';
import { startSilentServer, type TestServer } from '../helpers/servers.js';

let d: TestDeployment;
let dir: string;
let targets: string;
let silent: TestServer;
let live: string[];

before(async () => {
  d = await startDeployment();
  dir = mkdtempSync(path.join(tmpdir(), 'matrixdoc-fleet-'));
  // Four profiles for the live deployment (in its own folder, so relative paths hold), two dead server names.
  const lines = ['# the live deployment, four times'];
  for (let i = 0; i < 4; i++) {
    const p = path.join(d.dir, `copy-${i}.yaml`);
    copyFileSync(d.files.profile, p);
    lines.push(p);
  }
  live = lines.slice(1);
  lines.push('dead-one.xfoss.com   # not in the DNS zone', 'dead-two.xfoss.com', '');
  targets = path.join(dir, 'targets.txt');
  writeFileSync(targets, lines.join('\n'));
});
after(async () => {
  await silent?.close();
  await d?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const fleet = (...args: string[]) =>
  runCli(['check', '--targets', targets, '--concurrency', '3', '--only', 'well-known,element-config,homeserver-config', ...d.flags, ...args], {
    timeoutMs: 120_000,
  });

describe('check --targets', () => {
  test('NDJSON: one valid report per target as it finishes; the dead ones fail, the run exits with the worst code', async () => {
    const r = await fleet('--format', 'json');
    const rows = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { target: string; report?: Report; error?: string });
    assert.equal(rows.length, 6, r.stdout);
    for (const row of rows) {
      assert.ok(row.report, `${row.target}: ${row.error}`);
      assertValidReport(row.report);
    }
    const dead = rows.filter((x) => x.target.startsWith('dead-'));
    assert.equal(dead.length, 2);
    for (const x of dead) assert.equal(x.report?.checks.find((c) => c.id === 'well-known')?.status, 'fail');
    const live = rows.filter((x) => !x.target.startsWith('dead-'));
    for (const x of live) assert.equal(x.report?.checks.find((c) => c.id === 'well-known')?.status, 'pass');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /6 targets: 2 with failures or errors, 0 could not be checked/);
  });

  test('text: a line per target and a summary; prometheus: one exposition promtool accepts, a target label each', async () => {
    const text = await fleet();
    assert.equal((text.stdout.match(/^.+: \d+ fail, \d+ warn, \d+ pass, \d+ skip, \d+ error \(\d+ ms\)$/gm) ?? []).length, 6, text.stdout);
    assert.match(text.stdout, /6 targets: 2 with failures or errors/);
    const out = path.join(dir, 'fleet.prom');
    const prom = await fleet('--format', 'prometheus', '--output', out);
    assert.equal(prom.stdout, '');
    const metrics = readFileSync(out, 'utf8');
    assert.equal(spawnSync('promtool', ['check', 'metrics'], { input: metrics }).status, 0, metrics.slice(0, 2000));
    assert.equal((metrics.match(/^# TYPE matrixdoc_check_status gauge$/gm) ?? []).length, 1);
    assert.match(metrics, /target="dead-two.xfoss.com",check="well-known",status="fail"\} 1/);
  });

  test('junit: one XML document (xmllint), one <testsuites> holding a <testsuite> per target', async () => {
    const r = await fleet('--format', 'junit');
    const lint = spawnSync('xmllint', ['--noout', '-'], { input: r.stdout, encoding: 'utf8' });
    assert.equal(lint.status, 0, `xmllint: ${lint.stderr}\n${r.stdout.slice(0, 2000)}`);
    assert.equal((r.stdout.match(/<\?xml /g) ?? []).length, 1);
    assert.equal((r.stdout.match(/<testsuites /g) ?? []).length, 1);
    assert.equal((r.stdout.match(/<testsuite /g) ?? []).length, 6);
    // In the file's order, each named after its target; the dead ones fail well-known.
    const names = [...r.stdout.matchAll(/<testsuite name="matrixdoc ([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(names, [...live, 'dead-one.xfoss.com', 'dead-two.xfoss.com']);
    assert.match(r.stdout, /<testsuites name="matrixdoc fleet" tests="18" failures="2" errors="0" skipped="\d+"/);
    const dead = r.stdout.slice(r.stdout.indexOf('<testsuite name="matrixdoc dead-one.xfoss.com"'));
    assert.match(dead, /^<testsuite [^>]*failures="1"[\s\S]*?<testcase classname="matrixdoc.well-known"[^>]*><failure /);
    assert.equal(r.code, 1);
  });

  test('nagios: one status line for the worst state over all targets, a long-output line per target, its exit code', async () => {
    const r = await fleet('--format', 'nagios');
    const [first, ...rest] = r.stdout.trimEnd().split('\n');
    assert.match(
      first,
      /^MATRIXDOC CRITICAL - 6 targets: 2 CRITICAL \(dead-(one|two)\.xfoss\.com, dead-(one|two)\.xfoss\.com\), 4 (OK|WARNING)[^|]* \| targets=6 ok=\d warning=\d critical=2 unknown=0 duration=[\d.]+s$/,
    );
    assert.equal((r.stdout.match(/^MATRIXDOC /gm) ?? []).length, 1, 'one status line');
    assert.equal(rest.length, 6, r.stdout);
    assert.match(rest[0], /^\[CRITICAL\] dead-(one|two)\.xfoss\.com: well-known fail/);
    for (const t of live)
      assert.ok(
        rest.some((l) => l.startsWith(`[OK] ${t}: `) || l.startsWith(`[WARNING] ${t}: `)),
        `${t}:\n${r.stdout}`,
      );
    assert.equal(r.code, 2, 'CRITICAL');
    assert.equal(r.stderr, '', 'a plugin prints its status line and nothing else');
  });

  test('hanging targets (accept, never answer) beside live ones: the live reports are whole, the fleet ends after about one timeout', async () => {
    silent ??= await startSilentServer();
    const timeoutMs = 5000;
    const hanging = ['hang-one.xfoss.com', 'hang-two.xfoss.com', 'hang-three.xfoss.com'];
    const file = path.join(dir, 'hanging.txt');
    writeFileSync(file, [hanging[0], hanging[1], ...live, hanging[2], ''].join('\n'));
    // Each name leads to the silent server: TCP accepted, a TLS handshake that never finishes.
    const route = hanging.flatMap((h) => [443, 8448].flatMap((port) => ['--connect-to', `${h}:${port}:127.0.0.1:${silent.port}`]));
    const started = performance.now();
    const r = await runCli(
      [
        'check',
        '--targets',
        file,
        '--concurrency',
        '4',
        '--only',
        'well-known,element-config,homeserver-config',
        '--timeout',
        `${timeoutMs}ms`,
        ...route,
        ...d.flags,
        '--format',
        'json',
      ],
      { timeoutMs: 60_000 },
    );
    const elapsed = performance.now() - started;
    const rows = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { target: string; report?: Report; error?: string });
    assert.equal(rows.length, 7, r.stdout);
    assert.ok(silent.connections >= 3, 'the hanging targets were contacted');
    // The live targets' reports are complete: every check ran, every probe answered, well-known passes.
    for (const t of live) {
      const report = rows.find((x) => x.target === t)?.report;
      assert.ok(report, `${t}: no report`);
      assertValidReport(report);
      assert.deepEqual(
        report.checks.map((c) => c.id),
        ['homeserver-config', 'element-config', 'well-known'],
      );
      assert.ok(
        report.checks.every((c) => c.status !== 'error' && c.status !== 'skip'),
        JSON.stringify(report.checks),
      );
      assert.equal(report.checks[2].status, 'pass');
      assert.ok(
        report.probes.every((p) => p.status !== 'error'),
        JSON.stringify(report.probes),
      );
    }
    // The hanging ones fail well-known on a TIMEOUT, after really waiting for it.
    for (const h of hanging) {
      const report = rows.find((x) => x.target === h)?.report;
      assert.ok(report, `${h}: no report`);
      assertValidReport(report);
      const wk = report.checks.find((c) => c.id === 'well-known');
      assert.equal(wk?.status, 'fail', JSON.stringify(wk));
      assert.ok(
        wk.findings.some((f) => f.code === 'MXD-WK-002' && String(f.data.reason).startsWith('TIMEOUT')),
        JSON.stringify(wk.findings.map((f) => f.message)),
      );
      assert.ok(report.durationMs >= timeoutMs / 2, `${h} gave up after ${report.durationMs} ms: it did not hang`);
    }
    assert.equal(r.code, 1);
    assert.match(r.stderr, /7 targets: 3 with failures or errors, 0 could not be checked/);
    // Three hanging targets one after the other would take 3 timeouts (15 s); side by side they cost about
    // one, while the live targets run in the fourth slot. Measured on the reports' own clocks, from the first
    // start to the last end (the CLI's start-up is left out: on a loaded machine it alone can take seconds);
    // slack for the live checks.
    const reports = rows.map((x) => x.report as Report);
    const first = Math.min(...reports.map((x) => Date.parse(x.startedAt)));
    const last = Math.max(...reports.map((x) => Date.parse(x.startedAt) + x.durationMs));
    const span = last - first;
    const sum = hanging.reduce((n, h) => n + (rows.find((x) => x.target === h)?.report?.durationMs ?? 0), 0);
    const budget = timeoutMs + 7000;
    const took = `the fleet took ${Math.round(span)} ms (${Math.round(elapsed)} ms with the CLI's start); the hanging targets ${Math.round(sum)} ms together`;
    assert.ok(span < budget, `${took}: more than about one timeout (budget ${budget} ms)`);
    assert.ok(span < sum, `${took}: they ran one after the other`);
  });

  test('a bad line in the targets file names file:line', async () => {
    const bad = path.join(dir, 'bad.txt');
    writeFileSync(bad, 'xfoss.com\nnot a target!\n');
    const r = await runCli(['check', '--targets', bad, '--offline']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /bad\.txt:2:1: 'not a target!' is neither a profile/);
  });
});
