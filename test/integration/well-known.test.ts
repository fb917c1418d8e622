// The built binary against the REAL seed deployment (nginx on loopback in front of the test homeserver,
// test/harness): `check --only well-known` on the seed as it is, then on nginx configs broken the way
// admins break them. Every probe goes to loopback (the harness flags: --connect-to, --dns-server,
// --allow-targets 127.0.0.0/8,::1). Needs `npm run build` first.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import type { Finding, Report } from '../../src/engine/types.js';
import { type DeploymentOptions, startDeployment, type TestDeployment } from '../harness/deployment.js';
import { ROOT, runCli } from '../helpers/cli.js';

before(() => {
  assert.ok(existsSync(path.join(ROOT, 'dist/src/commands/check.js')), 'build first: npm run build');
});

/** Starts the deployment (seed files after `mutate`), runs `check --only well-known --json`, stops it. */
async function checkDeployment(options: DeploymentOptions = {}): Promise<{ report: Report; d: TestDeployment; findings: Finding[] }> {
  const d = await startDeployment(options);
  try {
    // A generous per-probe timeout: the suite runs test files in parallel.
    const r = await runCli(['check', '--profile', d.files.profile, '--only', 'well-known', ...d.flags, '--timeout', '20s', '--json'], { timeoutMs: 60_000 });
    let report: Report;
    try {
      report = JSON.parse(r.stdout) as Report;
    } catch {
      assert.fail(`not JSON (exit ${r.code}):\n${r.stdout}\n${r.stderr}\n${d.nginx.errorLog()}`);
    }
    const check = report.checks.find((c) => c.id === 'well-known');
    assert.ok(check, JSON.stringify(report.checks));
    return { report, d, findings: check.findings };
  } finally {
    await d.stop();
  }
}

const ids = (findings: Finding[]) => findings.map((f) => `${f.code}:${f.messageId}`);
const XFOSS = 'nginx/xfoss-com.conf';
const MATRIX = 'nginx/matrix.conf';

/** Replaces the n-th (0-based) occurrence of `find` in text. */
function nth(text: string, find: string, n: number, replacement: string): string {
  let at = -1;
  for (let i = 0; i <= n; i++) {
    at = text.indexOf(find, at + 1);
    assert.ok(at >= 0, `occurrence ${n} of ${find}`);
  }
  return text.slice(0, at) + replacement + text.slice(at + find.length);
}

describe('check --only well-known against the real nginx deployment', () => {
  test('the seed as it is: the well-known check passes with no finding', async () => {
    const { report, findings } = await checkDeployment();
    assert.deepEqual(ids(findings), []);
    assert.equal(report.checks[0].status, 'pass');
    assert.equal(report.probes.find((p) => p.id === 'wellKnown')?.status, 'ok');
    assert.equal(report.probes.find((p) => p.id === 'clientVersions')?.status, 'ok');
  });

  test('the server well-known served as text/plain: MXD-WK-007, the fix names the location in the user file', async () => {
    const { findings, d } = await checkDeployment({ mutate: { [XFOSS]: (t) => nth(t, 'default_type application/json;', 0, 'default_type text/plain;') } });
    assert.deepEqual(ids(findings), ['MXD-WK-007:server']);
    const f = findings[0];
    assert.equal(f.severity, 'warning');
    assert.equal(f.data.contentType, "'text/plain'");
    assert.equal(
      f.fix?.steps[0],
      `In ${path.join(d.files.nginxDir, 'xfoss-com.conf')}:9 (location /.well-known/matrix/server) replace \`default_type text/plain;\` with \`default_type application/json;\``,
    );
  });

  test('no CORS header on the client well-known: MXD-WK-008, "in <file>:<line> add add_header ..."', async () => {
    const { findings, d } = await checkDeployment({ mutate: { [XFOSS]: (t) => nth(t, 'add_header Access-Control-Allow-Origin *;', 1, '') } });
    assert.deepEqual(ids(findings), ['MXD-WK-008:missing']);
    const f = findings[0];
    assert.equal(f.severity, 'error');
    assert.match(f.message, /no Access-Control-Allow-Origin header/);
    assert.equal(
      f.fix?.steps[0],
      `In ${path.join(d.files.nginxDir, 'xfoss-com.conf')}:13 (location /.well-known/matrix/client) add \`add_header Access-Control-Allow-Origin *;\``,
    );
    assert.equal(f.location?.line, 13);
  });

  test('the client well-known with single-quoted JSON: MXD-WK-003', async () => {
    const { findings } = await checkDeployment({
      mutate: {
        [XFOSS]: (t) =>
          t.replace(
            `return 200 '{"m.homeserver": {"base_url": "https://matrix.xfoss.com"}}';`,
            `return 200 "{'m.homeserver': {'base_url': 'https://matrix.xfoss.com'}}";`,
          ),
      },
    });
    assert.deepEqual(ids(findings), ['MXD-WK-003:client']);
    assert.match(findings[0].message, /"Invalid JSON"/);
    assert.match(findings[0].evidence.body as string, /'m\.homeserver'/);
  });

  test('m.server delegating to port 8448 that nginx no longer listens on: MXD-WK-011 with CONN_REFUSED', async () => {
    const { findings } = await checkDeployment({
      mutate: {
        [XFOSS]: (t) => t.replace('"m.server": "matrix.xfoss.com:443"', '"m.server": "matrix.xfoss.com:8448"'),
        [MATRIX]: (t) => t.replace(/^\s*listen (\[::\]:)?8448 ssl default_server;\n/gm, ''),
      },
    });
    // And how long other servers keep that delegation: no caching header, so Synapse's default.
    assert.deepEqual(ids(findings), ['MXD-WK-011:unreachable', 'MXD-WK-015:delegationCached']);
    assert.match(findings[1].message, /keep its m\.server 'matrix\.xfoss\.com:8448' for up to 26\.4 hours \(Synapse's default/);
    const f = findings[0];
    assert.equal(f.data.target, 'matrix.xfoss.com:8448');
    assert.match(f.data.reason as string, /^CONN_REFUSED/);
    assert.match(f.fix?.steps[0] ?? '', /server block for matrix\.xfoss\.com \(.*matrix\.conf:1\) listens on 443: add `listen 8448 ssl;`/);
  });

  test('no server well-known location: MXD-WK-001 (warning), the fix adds the block to the xfoss.com server', async () => {
    const { findings, report } = await checkDeployment({
      // The website's root, and no location for the server well-known: nginx answers 404 from the root.
      mutate: {
        [XFOSS]: (t) =>
          t
            .replace(/ {4}location \/\.well-known\/matrix\/server \{[\s\S]*?\n {4}\}\n/, '')
            .replace('server_name xfoss.com;', 'server_name xfoss.com;\n    root /var/www/xfoss.com;'),
      },
    });
    assert.deepEqual(ids(findings), ['MXD-WK-001:server', 'MXD-WK-015:failure']);
    assert.equal(findings[1].severity, 'info');
    assert.match(findings[1].message, /"no delegation" for up to 66 minutes/);
    assert.equal(report.checks[0].status, 'warn');
    assert.match(
      findings[0].fix?.steps[0] ?? '',
      /In the server block for xfoss\.com \(.*xfoss-com\.conf:1\) add:\nlocation = \/\.well-known\/matrix\/server \{/,
    );
    assert.match(findings[0].fix?.steps[0] ?? '', /"m\.server":"matrix\.xfoss\.com:443"/);
  });

  test('the server well-known sent with Cache-Control: no-store: MXD-WK-015 noCache, the fix replaces the header in the user file', async () => {
    const { findings, d } = await checkDeployment({
      mutate: {
        [XFOSS]: (t) =>
          nth(t, 'add_header Access-Control-Allow-Origin *;', 0, 'add_header Access-Control-Allow-Origin *;\n\t    add_header Cache-Control "no-store";'),
      },
    });
    assert.deepEqual(ids(findings), ['MXD-WK-015:noCache']);
    const f = findings[0];
    assert.equal(f.severity, 'warning');
    assert.equal(f.data.header, 'Cache-Control: no-store');
    assert.equal(f.evidence.cacheControl, 'no-store');
    assert.deepEqual(f.evidence.synapseCache, { outcome: 'answer', source: 'no-store', askedSeconds: 0, seconds: 300, basis: 'floor' });
    assert.equal(
      f.fix?.steps[0],
      `In ${path.join(d.files.nginxDir, 'xfoss-com.conf')}:11 (location /.well-known/matrix/server) replace \`add_header Cache-Control no-store;\` with \`add_header Cache-Control max-age=3600;\``,
    );
  });

  test('the server well-known with nginx `expires 7d;`: MXD-WK-015 long (Synapse caps it at 48 hours)', async () => {
    const { findings } = await checkDeployment({
      mutate: { [XFOSS]: (t) => nth(t, 'default_type application/json;', 0, 'default_type application/json;\n\t    expires 7d;') },
    });
    assert.deepEqual(ids(findings), ['MXD-WK-015:long']);
    const f = findings[0];
    // nginx sends both; max-age decides, as in Synapse.
    assert.equal(f.evidence.cacheControl, 'max-age=604800');
    assert.equal(typeof f.evidence.expires, 'string');
    assert.match(f.message, /Cache-Control: max-age=604800: 7 days, more than the 48 hours/);
  });

  test('the client well-known throttled by nginx (limit_rate 30): answers within --timeout but after 5 s, MXD-WK-016', async () => {
    const { findings, report } = await checkDeployment({
      mutate: { [XFOSS]: (t) => t.replace('location /.well-known/matrix/client {', 'location /.well-known/matrix/client {\n\t    limit_rate 30;') },
    });
    assert.deepEqual(ids(findings), ['MXD-WK-016:client']);
    const f = findings[0];
    assert.equal(f.severity, 'warning');
    assert.equal(report.checks[0].status, 'warn');
    assert.ok((f.evidence.durationMs as number) > 5000 && (f.evidence.durationMs as number) < 15_000, String(f.evidence.durationMs));
    assert.equal(f.evidence.status, 200);
    assert.match(f.message, /aborts each discovery request after 5 s/);
    assert.match(f.fix?.steps[0] ?? '', /^Replace the location at .*xfoss-com\.conf:\d+ \(location \/\.well-known\/matrix\/client\) with:\nlocation = /);
  });
});
