// The federation check end to end: the built binary against the real nginx deployment harness (the seed's
// own nginx sites in front of the test homeserver, a dns2 server), healthy and broken in the ways
// federation breaks in practice. Loopback only: d.flags carry --allow-targets, a loopback --dns-server and
// --connect-to for every name and port.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, test } from 'node:test';
import type { Finding, Report } from '../../src/engine/types.js';
import { type DeploymentOptions, startDeployment, type TestDeployment } from '../harness/deployment.js';
import { BIN, runCli } from '../helpers/cli.js';
import { closedPort } from '../helpers/servers.js';

const WELL_KNOWN = 'nginx/xfoss-com.conf';
/** nginx answers 404 for the server well-known (no delegation), as a site without it does. */
const noServerWellKnown = (text: string) => text.replace(`return 200 '{"m.server": "matrix.xfoss.com:443"}';`, 'return 404;');

async function withDeployment<T>(options: DeploymentOptions, fn: (d: TestDeployment) => Promise<T>): Promise<T> {
  const d = await startDeployment(options);
  try {
    return await fn(d);
  } finally {
    await d.stop();
  }
}

/** `matrixdoc check --only federation --json` on the deployment; the federation check's result. */
async function federation(d: TestDeployment, extra: string[] = []) {
  assert.ok(existsSync(BIN), 'bin/run.js (run npm run build first)');
  const r = await runCli(['check', '--profile', d.files.profile, ...d.flags, '--only', 'federation', '--json', ...extra], { timeoutMs: 60_000 });
  assert.ok(r.stdout.trim().startsWith('{'), `no JSON report (exit ${r.code}): ${r.stderr}`);
  const report = JSON.parse(r.stdout) as Report;
  const check = report.checks.find((c) => c.id === 'federation');
  assert.ok(check, JSON.stringify(report.checks.map((c) => c.id)));
  return { code: r.code, report, check, findings: check.findings };
}

const pairs = (findings: Finding[]) => findings.map((f) => `${f.code}:${f.messageId}`);
const find = (findings: Finding[], code: string, messageId?: string) => {
  const f = findings.find((x) => x.code === code && (messageId === undefined || x.messageId === messageId));
  assert.ok(f, `no ${code}${messageId ? `:${messageId}` : ''} in ${JSON.stringify(pairs(findings))}`);
  return f;
};

describe('federation against the real deployment', { concurrency: 1 }, () => {
  test('the seed deployment is healthy: only the step note (step 3.2, delegated to matrix.xfoss.com:443) and the connection report', async () => {
    await withDeployment({}, async (d) => {
      const { code, check, findings } = await federation(d);
      assert.equal(check.status, 'pass', JSON.stringify(findings, null, 1));
      assert.equal(code, 0);
      assert.deepEqual(pairs(findings), ['MXD-FED-001:delegated', 'MXD-FED-017:ok']);
      const note = findings[0];
      assert.equal(note.severity, 'info');
      assert.ok(note.message.startsWith('Delegated via well-known to matrix.xfoss.com:443 (step 3.2)'), note.message);
      assert.match(note.message, /Host: matrix\.xfoss\.com:443 and expect a certificate for matrix\.xfoss\.com/);
      // The homeserver saw both federation requests, through nginx, with the Host the spec gives at 3.2.
      const seen = d.homeserver.requests.filter((r) => r.url === '/_matrix/key/v2/server' || r.url === '/_matrix/federation/v1/version');
      assert.ok(seen.length >= 2, JSON.stringify(d.homeserver.requests.map((r) => r.url)));

      // The address's connection report: what the real nginx and the test homeserver answered.
      const report = find(findings, 'MXD-FED-017', 'ok');
      assert.equal(report.severity, 'info');
      assert.deepEqual(report.location, { url: 'https://matrix.xfoss.com:443' });
      const data = report.data;
      assert.deepEqual([data.address, data.port, data.host, data.step, data.via], ['127.0.0.1', 443, 'matrix.xfoss.com', '3.2', 'wellKnownPort']);
      // What nginx negotiates with Node here (the seed's sites set no ssl_protocols): a current protocol.
      assert.match(String(data.protocol), /^TLSv1\.[23]$/);
      assert.equal(data.subject, 'CN=xfoss.com');
      assert.equal(data.issuer, 'CN=matrixdoc harness CA');
      assert.deepEqual([data.chain, data.nameVerdict, data.certificateName], ['chainTrusted', 'nameCovered', 'matrix.xfoss.com']);
      assert.match(String(data.sans), /DNS:matrix\.xfoss\.com/);
      // The harness's valid leaf ends 400 days after it was made.
      assert.ok(typeof data.days === 'number' && data.days >= 398 && data.days <= 400, String(data.days));
      assert.ok(Math.abs(Date.parse(String(data.validTo)) - (Date.now() + 400 * 86_400_000)) < 2 * 86_400_000, String(data.validTo));
      assert.equal(data.software, `Synapse ${d.homeserver.options.version}`);
      assert.equal(data.keys, d.homeserver.options.keyId);
      assert.ok(Date.parse(String(data.validUntil)) > Date.now(), String(data.validUntil));
      assert.ok(typeof data.connectMs === 'number' && data.connectMs >= 0, String(data.connectMs));
      assert.ok(typeof data.versionMs === 'number', String(data.versionMs));
      assert.match(
        report.message,
        /^127\.0\.0\.1 port 443 \(matrix\.xfoss\.com\), reached through the well-known m\.server with its explicit port \(step 3\.2\): TLSv1\.[23];/,
      );
      assert.match(
        report.message,
        new RegExp(`server Synapse ${d.homeserver.options.version.replace(/\./g, '\\.')}; keys verified: ${d.homeserver.options.keyId} \\(valid until `),
      );
      assert.match(report.message, /Nothing wrong at this address\.$/);
      assert.deepEqual(report.evidence.connect, { host: 'matrix.xfoss.com', port: d.ports.https }, 'the --connect-to reroute is in the evidence');

      // The human report shows the note with --verbose only.
      const human = await runCli(['check', '--profile', d.files.profile, ...d.flags, '--only', 'federation', '--verbose'], { timeoutMs: 60_000 });
      assert.match(human.stdout, /MXD-FED-001 Delegated via well-known to matrix\.xfoss\.com:443 \(step 3\.2\)/);
      assert.match(human.stdout, /i MXD-FED-017 127\.0\.0\.1 port 443 \(matrix\.xfoss\.com\), reached through the well-known m\.server/);
      const quiet = await runCli(['check', '--profile', d.files.profile, ...d.flags, '--only', 'federation'], { timeoutMs: 60_000 });
      assert.doesNotMatch(quiet.stdout, /MXD-FED-001 Delegated/);
      assert.doesNotMatch(quiet.stdout, /MXD-FED-017/);
    });
  });

  test('SRV-only delegation: no well-known, _matrix-fed._tcp.xfoss.com -> matrix.xfoss.com:8448 (step 4), healthy', async () => {
    await withDeployment({ mutate: { [WELL_KNOWN]: noServerWellKnown } }, async (d) => {
      d.dns.zone['_matrix-fed._tcp.xfoss.com'] = [{ type: 'SRV', priority: 10, weight: 5, port: 8448, target: 'matrix.xfoss.com' }];
      const { check, findings } = await federation(d);
      assert.equal(check.status, 'pass', JSON.stringify(findings, null, 1));
      assert.deepEqual(pairs(findings), ['MXD-FED-001:srv', 'MXD-FED-017:ok']);
      assert.match(
        find(findings, 'MXD-FED-017').message,
        /port 8448 \(matrix\.xfoss\.com\), reached through the _matrix-fed\._tcp SRV record of the server name \(step 4\)/,
      );
      const note = findings[0];
      assert.match(note.message, /No usable well-known \(it answered HTTP 404\); _matrix-fed\._tcp\.xfoss\.com is used \(step 4\)/);
      assert.match(note.message, /matrix\.xfoss\.com:8448 with Host: xfoss\.com and expect a certificate for xfoss\.com/);
      const keys = d.homeserver.requests.filter((r) => r.url === '/_matrix/key/v2/server').at(-1);
      assert.equal(keys?.headers.host, 'xfoss.com', 'Host is the server name, not the SRV target');
    });
  });

  test('only the deprecated _matrix._tcp record: a warning', async () => {
    await withDeployment({ mutate: { [WELL_KNOWN]: noServerWellKnown } }, async (d) => {
      d.dns.zone['_matrix._tcp.xfoss.com'] = [{ type: 'SRV', priority: 10, weight: 5, port: 8448, target: 'matrix.xfoss.com' }];
      const { check, findings } = await federation(d);
      assert.equal(check.status, 'warn');
      assert.deepEqual(pairs(findings), ['MXD-FED-001:srv', 'MXD-FED-017:ok', 'MXD-FED-003:deprecated']);
      assert.deepEqual(find(findings, 'MXD-FED-003').fix?.steps, ['_matrix-fed._tcp.xfoss.com. 3600 IN SRV 10 5 8448 matrix.xfoss.com.']);
    });
  });

  test('delegation to a dead port: connection refused, the port to open is named; reverse-proxy in the same run steps aside (MXD-RP-006)', async () => {
    const dead = await closedPort();
    await withDeployment(
      { mutate: { [WELL_KNOWN]: (text) => text.replace('"m.server": "matrix.xfoss.com:443"', `"m.server": "matrix.xfoss.com:${dead}"`) } },
      async (d) => {
        const { check, code, findings } = await federation(d);
        assert.equal(check.status, 'fail');
        assert.equal(code, 1);
        assert.deepEqual(pairs(findings), ['MXD-FED-001:delegated', 'MXD-FED-017:noConnection', 'MXD-FED-006:refused']);
        const f = find(findings, 'MXD-FED-006', 'refused');
        assert.match(find(findings, 'MXD-FED-017').message, /no TLS connection \(CONN_REFUSED\); MXD-FED-006 explains why/);
        assert.match(f.message, new RegExp(`^Connection to 127\\.0\\.0\\.1 port ${dead} \\(matrix\\.xfoss\\.com\\) was refused`));
        assert.ok(f.fix?.steps.some((s) => s.includes(`listen ${dead} ssl;`)));
        assert.ok(f.fix?.steps.some((s) => s.includes(`ufw allow ${dead}/tcp`)));

        // reverse-proxy reads the same dead delegation in the nginx files (MXD-RP-006). With the federation check
        // in the run, live, the dead port is one finding (MXD-FED-006); offline the nginx reading is all there is.
        const runOnly = async (only: string, extra: string[] = []) => {
          const r = await runCli(['check', '--profile', d.files.profile, ...d.flags, '--only', only, '--json', ...extra], { timeoutMs: 60_000 });
          const report = JSON.parse(r.stdout) as Report;
          return Object.fromEntries(report.checks.map((c) => [c.id, pairs(c.findings)]));
        };
        const live = await runOnly('federation,reverse-proxy');
        assert.deepEqual(live.federation, ['MXD-FED-001:delegated', 'MXD-FED-017:noConnection', 'MXD-FED-006:refused']);
        assert.deepEqual(live['reverse-proxy'], ['MXD-RP-008:exposed'], 'MXD-RP-006 steps aside for MXD-FED-006');
        const offline = await runOnly('reverse-proxy', ['--offline']);
        assert.deepEqual(offline['reverse-proxy'], ['MXD-RP-006:delegated', 'MXD-RP-008:exposed']);
      },
    );
  });

  test('a certificate for the wrong name: the well-known is unusable, and port 8448 of xfoss.com has the wrong certificate (step 6)', async () => {
    await withDeployment({ cert: 'wrongName' }, async (d) => {
      const { check, findings } = await federation(d);
      assert.equal(check.status, 'fail');
      const note = find(findings, 'MXD-FED-001', 'defaultPort');
      assert.match(note.message, /No usable well-known \(.*(TLS_NAME_MISMATCH|not valid for xfoss\.com).*\) and no SRV record/);
      const f = find(findings, 'MXD-FED-008', 'wrongName');
      assert.match(f.message, /not valid for xfoss\.com \(it covers DNS:wrong\.example/);
      assert.match(f.message, /no usable well-known and no SRV record, so the certificate must be valid for the server name \(step 6\)/);
      assert.equal(f.data.why, 'defaultPort');
      // The chain is fine (the test CA is given with --ca-file): no trust finding.
      assert.ok(!findings.some((x) => x.code === 'MXD-FED-007'), JSON.stringify(pairs(findings)));
    });
  });

  test('an expired certificate', async () => {
    await withDeployment({ cert: 'expired' }, async (d) => {
      const { check, findings } = await federation(d);
      assert.equal(check.status, 'fail');
      const f = find(findings, 'MXD-FED-009', 'expired');
      assert.equal(f.severity, 'error');
      assert.match(f.message, /port 8448 \(xfoss\.com\) expired on /);
      assert.ok(!findings.some((x) => x.code === 'MXD-FED-007'), 'an expired certificate is not reported as untrusted too');
    });
  });

  test('a certificate that expires in 5 days: a warning, delegation still works', async () => {
    await withDeployment({ cert: 'expiringSoon' }, async (d) => {
      const { check, findings } = await federation(d);
      assert.equal(check.status, 'warn');
      assert.deepEqual(pairs(findings), ['MXD-FED-001:delegated', 'MXD-FED-017:problems', 'MXD-FED-009:expiringSoon']);
      assert.match(find(findings, 'MXD-FED-009').message, /in [45] days/);
      const report = find(findings, 'MXD-FED-017', 'problems');
      assert.match(report.message, /\([45] days left\);/);
      assert.match(report.message, /Problems at this address: MXD-FED-009\.$/);
    });
  });

  test('a self-signed certificate is not trusted', async () => {
    await withDeployment({ cert: 'selfSigned' }, async (d) => {
      const { findings } = await federation(d);
      assert.match(find(findings, 'MXD-FED-007', 'untrusted').message, /self-signed certificates are not valid/);
    });
  });

  test('a bad key signature: which key failed and why', async () => {
    await withDeployment({ homeserver: { corruptKeySignature: true } }, async (d) => {
      const { check, findings } = await federation(d);
      assert.equal(check.status, 'fail');
      assert.deepEqual(pairs(findings), ['MXD-FED-001:delegated', 'MXD-FED-017:problems', 'MXD-FED-016:invalid']);
      const f = find(findings, 'MXD-FED-016', 'invalid');
      assert.match(f.message, new RegExp(`with ${d.homeserver.options.keyId} is invalid \\(invalid-signature: `));
      const report = find(findings, 'MXD-FED-017', 'problems');
      assert.equal(report.data.keys, '—', 'no key verified');
      assert.equal(report.data.findings, 'MXD-FED-016');
    });
  });

  test('an expired key response (valid_until_ts in the past)', async () => {
    await withDeployment({ homeserver: { keyValidForMs: -3600_000 } }, async (d) => {
      const { check, findings } = await federation(d);
      assert.equal(check.status, 'fail');
      assert.deepEqual(pairs(findings), ['MXD-FED-001:delegated', 'MXD-FED-017:problems', 'MXD-FED-014:expired']);
    });
  });

  test('a key response for another server name', async () => {
    await withDeployment({ homeserver: { keyServerName: 'matrix.xfoss.com' } }, async (d) => {
      const { findings } = await federation(d);
      assert.match(find(findings, 'MXD-FED-013', 'mismatch').message, /says server_name 'matrix\.xfoss\.com', not 'xfoss\.com'/);
    });
  });
});
