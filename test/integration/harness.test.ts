// The harness itself: real nginx in front of the test homeserver, reached only through loopback, and
// matrixdoc run against it with the redirect flags.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { canonicalJson } from '../../src/matrix/canonical-json.js';
import { verifyJsonSignature } from '../../src/matrix/signing.js';
import { NetClient } from '../../src/net/client.js';
import { parseAllowTargets, parseConnectTo } from '../../src/net/targets.js';
import { startDeployment, type TestDeployment } from '../harness/deployment.js';
import { waitForPort } from '../harness/processes.js';
import { runCli } from '../helpers/cli.js';
import { failedLogin } from '../helpers/login.js';

let d: TestDeployment;
let net: NetClient;
const signal = () => AbortSignal.timeout(5000);

before(async () => {
  d = await startDeployment();
  const connectTo: string[] = [];
  for (let i = 0; i < d.flags.length; i++) if (d.flags[i] === '--connect-to') connectTo.push(d.flags[i + 1]);
  net = new NetClient({
    resolve: [],
    connectTo: connectTo.map(parseConnectTo),
    dnsServer: { host: '127.0.0.1', port: d.ports.dns },
    extraCa: readFileSync(d.certs.caFile, 'utf8'),
    allowTargets: parseAllowTargets('127.0.0.0/8,::1'),
  });
});
after(async () => {
  await d?.stop();
});

describe('the test deployment', () => {
  test('nginx serves the seed well-knowns for xfoss.com with its headers, over TLS the test CA signed', async () => {
    const x = await net.http('https://xfoss.com/.well-known/matrix/server', { signal: signal() });
    assert.equal(x.status, 200, JSON.stringify(x.error));
    assert.deepEqual(JSON.parse(x.body), { 'm.server': 'matrix.xfoss.com:443' });
    assert.equal(x.headers['content-type'], 'application/json');
    assert.equal(x.headers['access-control-allow-origin'], '*');
    assert.equal(x.tls?.authorized, true);
    assert.equal(x.address, '127.0.0.1');
    const c = await net.http('https://xfoss.com/.well-known/matrix/client', { signal: signal() });
    assert.deepEqual(JSON.parse(c.body), { 'm.homeserver': { base_url: 'https://matrix.xfoss.com' } });
  });

  test('matrix.xfoss.com proxies /_matrix to the test homeserver with the seed headers', async () => {
    const before = d.homeserver.requests.length;
    const x = await net.http('https://matrix.xfoss.com/_matrix/client/versions', { signal: signal() });
    assert.equal(x.status, 200);
    assert.ok((JSON.parse(x.body).versions as string[]).includes('v1.11'));
    const seen = d.homeserver.requests[before];
    assert.equal(seen.url, '/_matrix/client/versions');
    assert.equal(seen.headers['x-forwarded-for'], '127.0.0.1');
    assert.equal(seen.headers['x-forwarded-proto'], 'https');
    assert.equal(seen.headers.host, 'matrix.xfoss.com');
  });

  test('the federation port serves a key response whose ed25519 signature verifies', async () => {
    const x = await net.http('https://matrix.xfoss.com:8448/_matrix/key/v2/server', { signal: signal() });
    assert.equal(x.status, 200);
    const body = JSON.parse(x.body);
    assert.equal(body.server_name, 'xfoss.com');
    assert.ok(body.valid_until_ts > Date.now());
    const [keyId] = Object.keys(body.verify_keys);
    assert.deepEqual(verifyJsonSignature(body, 'xfoss.com', keyId, body.verify_keys[keyId].key), { ok: true });
    assert.ok(canonicalJson(body).startsWith('{"old_verify_keys"'));
  });

  test('the homeserver logs in, returns login well_known from public_baseurl, and logs out', async () => {
    const login = await net.http('https://matrix.xfoss.com/_matrix/client/v3/login', {
      signal: signal(),
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'm.login.password', identifier: { type: 'm.id.user', user: 'alice' }, password: 'correct horse battery staple' }),
    });
    assert.equal(login.status, 200, login.body);
    const { access_token, well_known } = JSON.parse(login.body);
    assert.deepEqual(well_known, { 'm.homeserver': { base_url: 'https://matrix.xfoss.com:443' } });
    const out = await net.http('https://matrix.xfoss.com/_matrix/client/v3/logout', {
      signal: signal(),
      method: 'POST',
      headers: { authorization: `Bearer ${access_token}` },
    });
    assert.equal(out.status, 200);
    assert.equal(d.homeserver.liveTokens.size, 0);
  });

  test('matrixdoc check against it: element-config reaches the homeserver through nginx', async () => {
    const r = await runCli(['check', '--profile', d.files.profile, '--only', 'element-config', ...d.flags, '--json']);
    const report = JSON.parse(r.stdout);
    const probe = report.probes.find((p: { id: string }) => p.id === 'clientVersions');
    assert.equal(probe.status, 'ok', r.stderr);
    assert.ok(!report.checks[0].findings.some((f: { code: string }) => f.code === 'MXD-EL-011'), JSON.stringify(report.checks[0].findings));
  });
});

describe('certificates and teardown', () => {
  test('each certificate kind is served as asked', async () => {
    for (const [cert, check] of [
      [
        'wrongName',
        (t: NonNullable<Awaited<ReturnType<NetClient['tlsHandshake']>>['tls']>) =>
          assert.match(t.nameError ?? '', /wrong\.example|does not match|not in the cert/i),
      ],
      ['expired', (t: NonNullable<Awaited<ReturnType<NetClient['tlsHandshake']>>['tls']>) => assert.equal(t.authorizationError, 'CERT_HAS_EXPIRED')],
      ['selfSigned', (t: NonNullable<Awaited<ReturnType<NetClient['tlsHandshake']>>['tls']>) => assert.equal(t.authorized, false)],
    ] as const) {
      const other = await startDeployment({ cert });
      try {
        const connectTo = other.flags.flatMap((f, i) => (other.flags[i - 1] === '--connect-to' ? [parseConnectTo(f)] : []));
        const client = new NetClient({
          resolve: [],
          connectTo,
          dnsServer: { host: '127.0.0.1', port: other.ports.dns },
          extraCa: readFileSync(other.certs.caFile, 'utf8'),
          allowTargets: parseAllowTargets('loopback'),
        });
        const { tls } = await client.tlsHandshake('matrix.xfoss.com', 443, { servername: 'matrix.xfoss.com', signal: signal() });
        check(tls);
      } finally {
        await other.stop();
      }
    }
  });

  test('stop() stops nginx: its port no longer answers', async () => {
    const other = await startDeployment();
    const port = other.ports.https;
    await other.stop();
    await assert.rejects(waitForPort(port, '127.0.0.1', 300));
  });
});

describe('the login limiter is a real token bucket keyed like Synapse', () => {
  test('without x_forwarded (the seed), clients on 127.0.0.2 and 127.0.0.3 share one bucket; x_forwarded: true ends it', async () => {
    const dep = await startDeployment();
    try {
      assert.equal(dep.homeserver.options.xForwarded, false);
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push(await failedLogin(dep, '127.0.0.2'));
      assert.deepEqual(statuses, [403, 403, 403, 403, 403]);
      // The 6th login from ANOTHER client is refused: nginx's address is the bucket key.
      assert.equal(await failedLogin(dep, '127.0.0.3'), 429);
      assert.deepEqual(dep.homeserver.rateLimited.at(-1), { address: '127.0.0.1', limiter: 'rc_login.address' });

      const file = dep.files.homeserverConfig;
      const { writeFileSync } = await import('node:fs');
      writeFileSync(file, readFileSync(file, 'utf8').replace('    tls: false\n', '    tls: false\n    x_forwarded: true\n'));
      dep.restartHomeserver();
      assert.equal(dep.homeserver.options.xForwarded, true);
      for (let i = 0; i < 5; i++) assert.equal(await failedLogin(dep, '127.0.0.2'), 403);
      assert.equal(await failedLogin(dep, '127.0.0.2'), 429, 'the same client is still limited');
      assert.equal(await failedLogin(dep, '127.0.0.3'), 403, 'another client is not');
    } finally {
      await dep.stop();
    }
  });
});
