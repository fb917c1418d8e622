// The built binary against a local HTTPS homeserver: `check --only element-config` with --resolve and
// --ca-file, as a user would run it. runCli always sets MATRIXDOC_ALLOW_TARGETS to loopback; every name
// is a .test name mapped to 127.0.0.1, and lookups that are not mapped go to a closed local port.
// Needs `npm run build` first (test/run.sh does it).

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Finding, Report } from '../../src/engine/types.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { assertValidReport } from '../helpers/schema.js';
import { closeAllServers, closedPort, startHttpsServer, type TestServer } from '../helpers/servers.js';
import { testCerts } from '../helpers/tls.js';

const certs = testCerts();
const dir = mkdtempSync(path.join(tmpdir(), 'matrixdoc-net-cli-'));
let healthy: TestServer;
let notFound: TestServer;

before(async () => {
  assert.ok(existsSync(path.join(ROOT, 'dist/src/commands/check.js')), 'build first: npm run build');
  healthy = await startHttpsServer({ '/_matrix/client/versions': { body: { versions: ['v1.11'] } } });
  notFound = await startHttpsServer({});
});

after(async () => {
  await closeAllServers();
  rmSync(dir, { recursive: true, force: true });
});

let files = 0;
/** An Element config.json whose base_url is https://matrix.example.test:<port>. */
function elementConfig(port: number): string {
  const file = path.join(dir, `config-${++files}.json`);
  writeFileSync(file, `${JSON.stringify({ default_server_config: { 'm.homeserver': { base_url: `https://matrix.example.test:${port}` } } }, null, 2)}\n`);
  return file;
}

/** `check --only element-config` for a homeserver on `port`, with the test CA; `extra` adds or replaces routing flags. */
function check(port: number, extra: string[], opts: { resolve?: boolean } = {}) {
  const resolve = opts.resolve === false ? [] : ['--resolve', `matrix.example.test:${port}:127.0.0.1`];
  return runCli(['check', '--only', 'element-config', '--element-config', elementConfig(port), '--ca-file', certs.ca.certFile, ...resolve, ...extra]);
}

function parseReport(stdout: string): Report {
  let report: Report;
  try {
    report = JSON.parse(stdout) as Report;
  } catch (error) {
    assert.fail(`--json output is not JSON (${(error as Error).message}):\n${stdout}`);
  }
  assertValidReport(report);
  return report;
}

const el011 = (report: Report): Finding[] => report.checks.flatMap((c) => c.findings).filter((f) => f.code === 'MXD-EL-011');
const probe = (report: Report, id: string) => report.probes.find((p) => p.id === id);

describe('check --only element-config against a local homeserver', () => {
  test('healthy: exit 0, no MXD-EL-011, the request kept the name for Host and SNI', async () => {
    const before = healthy.requests.length;
    const r = await check(healthy.port, []);
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    assert.doesNotMatch(r.stdout, /MXD-EL-011/);
    const seen = healthy.requests.slice(before);
    assert.equal(seen.length, 1);
    assert.equal(seen[0].url, '/_matrix/client/versions');
    assert.equal(seen[0].host, `matrix.example.test:${healthy.port}`);
    assert.equal(seen[0].servername, 'matrix.example.test');
  });

  test('healthy, --json: the report parses, clientVersions ok, the check passes', async () => {
    const r = await check(healthy.port, ['--json']);
    assert.equal(r.code, 0, r.stderr);
    const report = parseReport(r.stdout);
    assert.equal(probe(report, 'clientVersions')?.status, 'ok');
    assert.equal(report.checks[0].status, 'pass');
    assert.deepEqual(el011(report), []);
  });

  test('404: MXD-EL-011 notMatrix, exit 1', async () => {
    const r = await check(notFound.port, []);
    assert.equal(r.code, 1, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /MXD-EL-011/);
    assert.match(r.stdout, /HTTP 404/);
    assert.match(r.stdout, new RegExp(`https://matrix\\.example\\.test:${notFound.port}/_matrix/client/versions`));
  });

  test('404, --json: the finding has the URL and the status as evidence', async () => {
    const r = await check(notFound.port, ['--json']);
    assert.equal(r.code, 1, r.stderr);
    const report = parseReport(r.stdout);
    const [f] = el011(report);
    assert.ok(f, JSON.stringify(report.checks));
    const url = `https://matrix.example.test:${notFound.port}/_matrix/client/versions`;
    assert.equal(f.messageId, 'notMatrix');
    assert.equal(f.severity, 'error');
    assert.equal(f.evidence.url, url);
    assert.equal(f.evidence.status, 404);
    assert.equal(f.evidence.address, '127.0.0.1');
    assert.deepEqual(f.location, { url });
    assert.equal(report.checks[0].status, 'fail');
    assert.equal(report.summary.fail, 1);
  });

  test('a certificate the test CA did not sign (no --ca-file): MXD-EL-011 unreachable with TLS_UNTRUSTED', async () => {
    const r = await runCli([
      'check',
      '--only',
      'element-config',
      '--element-config',
      elementConfig(healthy.port),
      '--resolve',
      `matrix.example.test:${healthy.port}:127.0.0.1`,
      '--json',
    ]);
    assert.equal(r.code, 1, r.stderr);
    const [f] = el011(parseReport(r.stdout));
    assert.equal(f?.messageId, 'unreachable');
    assert.equal((f.evidence.error as { code: string }).code, 'TLS_UNTRUSTED');
  });

  test('--offline: clientVersions is skipped, no MXD-EL-011, nothing contacted', async () => {
    const connections = notFound.connections;
    const r = await check(notFound.port, ['--offline', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const report = parseReport(r.stdout);
    assert.equal(probe(report, 'clientVersions')?.status, 'skipped');
    assert.match(probe(report, 'clientVersions')?.reason ?? '', /--offline/);
    assert.deepEqual(el011(report), []);
    assert.equal(notFound.connections, connections);
  });
});

describe('check without --resolve: the name needs DNS, and DNS stays on loopback', () => {
  test('--dns-server on a closed local port: a DNS failure, never a connection or a lookup elsewhere', async () => {
    const dnsPort = await closedPort();
    const connections = healthy.connections;
    const r = await check(healthy.port, ['--allow-targets', '127.0.0.0/8', '--dns-server', `127.0.0.1:${dnsPort}`, '--json'], { resolve: false });
    assert.notEqual(r.code, 0, `${r.stdout}\n${r.stderr}`);
    const report = parseReport(r.stdout);
    const text = JSON.stringify(report.checks);
    // The failure is the DNS server's, never "connection refused" by the homeserver.
    assert.match(text, /DNS_(UNREACHABLE|TIMEOUT)|TARGET_NOT_ALLOWED/);
    assert.doesNotMatch(text, /CONN_REFUSED/);
    assert.equal(healthy.connections, connections);
  });

  test('--dns-server on a closed local port: element-config is `error` (DNS failure), exit 2', async () => {
    const dnsPort = await closedPort();
    const r = await check(healthy.port, ['--allow-targets', '127.0.0.0/8', '--dns-server', `127.0.0.1:${dnsPort}`, '--json'], { resolve: false });
    const report = parseReport(r.stdout);
    assert.equal(report.checks[0].status, 'error', JSON.stringify(report.checks[0]));
    assert.match(report.checks[0].reason ?? '', /DNS|TARGET_NOT_ALLOWED/);
    assert.equal(r.code, 2);
  });

  test('a --dns-server outside --allow-targets: clientVersions fails with TARGET_NOT_ALLOWED, nothing is sent', async () => {
    const connections = healthy.connections;
    const r = await check(healthy.port, ['--allow-targets', '127.0.0.0/8', '--dns-server', '192.0.2.53', '--json'], { resolve: false });
    const report = parseReport(r.stdout);
    const p = probe(report, 'clientVersions');
    assert.equal(p?.status, 'error', JSON.stringify(p));
    assert.equal(p?.error?.code, 'TARGET_NOT_ALLOWED');
    assert.match(p?.error?.message ?? '', /refused to contact 192\.0\.2\.53 \(DNS resolver\)/);
    assert.equal(healthy.connections, connections);
  });

  test('a --dns-server outside --allow-targets: element-config is `error` with TARGET_NOT_ALLOWED, exit 2', async () => {
    const r = await check(healthy.port, ['--allow-targets', '127.0.0.0/8', '--dns-server', '192.0.2.53', '--json'], { resolve: false });
    const report = parseReport(r.stdout);
    assert.equal(report.checks[0].status, 'error', JSON.stringify(report.checks[0]));
    assert.match(report.checks[0].reason ?? '', /TARGET_NOT_ALLOWED/);
    assert.equal(r.code, 2);
  });
});
