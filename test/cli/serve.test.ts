// The Prometheus exporter over HTTP on loopback: configured targets (the live test deployment behind
// real nginx, the seed's files offline, a dead one), concurrent scrapes, /metrics, and promtool.

import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startDeployment, type TestDeployment } from '../harness/deployment.js';
import { closedPort, freePort } from '../harness/processes.js';
import { BIN, LOOPBACK, SEED } from '../helpers/cli.js';

let d: TestDeployment;
let child: ChildProcess;
let base: string;
const dir = mkdtempSync(path.join(tmpdir(), 'matrixdoc-serve-'));

before(async () => {
  d = await startDeployment();
  // Each target's profile names its files; the network flags below apply to every target.
  writeFileSync(path.join(dir, 'dead.yaml'), 'server-name: dead.xfoss.com\n');
  writeFileSync(
    path.join(dir, 'exporter.yaml'),
    `targets:\n  live:\n    profile: ${d.files.profile}\n  seed:\n    profile: ${path.join(SEED, 'matrixdoc.yaml')}\n  dead:\n    profile: dead.yaml\n`,
  );
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  // The seed's LDAP server (10.11.2.12) goes to a closed loopback port: unreachable is a finding, not an error.
  const flags = [
    ...d.flags.filter((f) => f !== '--allow-targets' && f !== '127.0.0.0/8,::1'),
    '--connect-to',
    `10.11.2.12:389:127.0.0.1:${await closedPort()}`,
  ];
  child = spawn(process.execPath, [BIN, 'serve', '--listen', `127.0.0.1:${port}`, '--config', path.join(dir, 'exporter.yaml'), '--timeout', '2s', ...flags], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', MATRIXDOC_ALLOW_TARGETS: LOOPBACK },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (b) => {
      out += b;
      if (out.includes('listening')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}`)));
    setTimeout(() => reject(new Error(`serve did not start: ${out}`)), 15_000);
  });
});

after(async () => {
  child?.kill('SIGTERM');
  await d?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const get = async (p: string) => {
  const r = await fetch(`${base}${p}`, { signal: AbortSignal.timeout(30_000) });
  return { status: r.status, text: await r.text() };
};

describe('matrixdoc serve', () => {
  test('/probe for the live deployment: metrics promtool accepts, probe_success 1', async () => {
    const r = await get('/probe?target=live');
    assert.equal(r.status, 200, r.text);
    assert.equal(spawnSync('promtool', ['check', 'metrics'], { input: r.text }).status, 0, r.text);
    assert.match(r.text, /^matrixdoc_probe_success\{target="live"\} 1$/m);
    assert.match(r.text, /^matrixdoc_check_status\{server_name="xfoss.com",target="live",check="element-config",status="\w+"\} 1$/m);
    assert.ok(!r.text.includes('some_secret'), 'no secret in labels or comments');
  });

  test('concurrent scrapes of several targets, one of them dead, all answer', async () => {
    const results = await Promise.all(['live', 'seed', 'dead', 'live', 'seed'].map((t) => get(`/probe?target=${t}`)));
    for (const r of results) assert.equal(r.status, 200);
    // A dead homeserver is a finding (the check could run and found it dead), not a failed probe.
    assert.match(results[2].text, /matrixdoc_check_status\{server_name="dead.xfoss.com",target="dead",check="well-known",status="fail"\} 1/);
    assert.match(results[2].text, /^matrixdoc_probe_success\{target="dead"\} 1$/m);
    assert.match(results[1].text, /matrixdoc_check_status\{server_name="xfoss.com",target="seed",check="homeserver-config",status="warn"\} 1/);
  });

  test('unknown targets are refused (only configured ones), /metrics counts the probes', async () => {
    const r = await get('/probe?target=evil.example.com');
    assert.equal(r.status, 400);
    const m = await get('/metrics');
    assert.equal(spawnSync('promtool', ['check', 'metrics'], { input: m.text }).status, 0, m.text);
    assert.match(m.text, /^matrixdoc_exporter_probes_total\{result="rejected"\} 1$/m);
    assert.match(m.text, /^matrixdoc_exporter_probes_total\{result="success"\} [1-9]/m);
  });
});
