// Fleet mode: `check --targets FILE` over the live test deployment (several profiles for it) and dead
// targets, with bounded concurrency; NDJSON, text and Prometheus output; the worst exit code.

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

let d: TestDeployment;
let dir: string;
let targets: string;

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
  lines.push('dead-one.xfoss.com   # not in the DNS zone', 'dead-two.xfoss.com', '');
  targets = path.join(dir, 'targets.txt');
  writeFileSync(targets, lines.join('\n'));
});
after(async () => {
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

  test('a bad line in the targets file names file:line', async () => {
    const bad = path.join(dir, 'bad.txt');
    writeFileSync(bad, 'xfoss.com\nnot a target!\n');
    const r = await runCli(['check', '--targets', bad, '--offline']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /bad\.txt:2:1: 'not a target!' is neither a profile/);
  });
});
