// The wellKnown probe (and clientVersions' well-known source) through the engine against HTTPS servers on
// loopback: the healthy files, redirects, loops, long chains, Synapse's 50 KiB cap, not JSON, a dead
// delegated port, SRV delegation through a local DNS server, explicit ports and IP literals, a host that
// never answers, and --allow-targets.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import wellKnownCheck from '../../checks/well-known/index.js';
import type { RawInputs } from '../../src/engine/inputs.js';
import type { CheckResult, ProbeResult } from '../../src/engine/types.js';
import type { ClientVersionsArtifact } from '../../src/probes/client-versions.js';
import type { WellKnownArtifact } from '../../src/probes/well-known.js';
import { runChecks } from '../helpers/engine.js';
import {
  closeAllServers,
  closedPort,
  hang,
  hugeBody,
  type Routes,
  redirect,
  redirectLoop,
  startDnsServer,
  startHttpsServer,
  type TestServer,
} from '../helpers/servers.js';

const dir = mkdtempSync(path.join(tmpdir(), 'matrixdoc-wk-'));
const origins: (string | undefined)[] = [];

after(async () => {
  await closeAllServers();
  rmSync(dir, { recursive: true, force: true });
});

const json = (body: unknown, headers: Record<string, string> = {}) => ({ body, headers: { 'access-control-allow-origin': '*', ...headers } });
const FEDERATION = { '/_matrix/federation/v1/version': json({ server: { name: 'Synapse', version: '1.157.1' } }) };
const VERSIONS = { '/_matrix/client/versions': json({ versions: ['v1.11'] }) };

/** A homeserver (federation + client API) on its own port, and the routes of example.test's well-knowns pointing at it. */
async function deployment(routes: (hsPort: number) => Routes, hsRoutes: Routes = { ...FEDERATION, ...VERSIONS }) {
  const hs = await startHttpsServer(hsRoutes);
  const wk = await startHttpsServer(routes(hs.port));
  return { hs, wk };
}

const healthyRoutes = (hsPort: number): Routes => ({
  '/.well-known/matrix/server': json({ 'm.server': `matrix.example.test:${hsPort}` }),
  '/.well-known/matrix/client': (req: http.IncomingMessage, res: http.ServerResponse) => {
    origins.push(req.headers.origin);
    res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*', 'cache-control': 'max-age=3600' });
    res.end(JSON.stringify({ 'm.homeserver': { base_url: `https://matrix.example.test:${hsPort}` } }));
  },
  '/.well-known/matrix/support': json({ contacts: [{ matrix_id: '@admin:example.test', role: 'm.role.admin' }] }),
});

/** Runs the well-known check (and so wellKnown and clientVersions) with example.test:443 sent to `wk`. */
async function run(wk: TestServer | number, raw: RawInputs = {}, opts: { hs?: TestServer; dns?: TestServer } = {}) {
  const port = typeof wk === 'number' ? wk : wk.port;
  const out = await runChecks([wellKnownCheck], {
    'server-name': 'example.test',
    'connect-to': [`example.test:443:127.0.0.1:${port}`],
    resolve: opts.hs ? [`matrix.example.test:${opts.hs.port}:127.0.0.1`] : [],
    ...(opts.dns ? { 'dns-server': `127.0.0.1:${opts.dns.port}` } : {}),
    timeout: '3s',
    'allow-targets': 'loopback',
    ...raw,
  });
  const probe = out.probes.wellKnown as ProbeResult<WellKnownArtifact>;
  return { probe, check: out.checks[0] as CheckResult, versions: out.probes.clientVersions as ProbeResult<ClientVersionsArtifact> | undefined };
}

function value<T>(probe: ProbeResult<T> | undefined): T {
  assert.equal(probe?.status, 'ok', JSON.stringify(probe));
  return (probe as { value: T }).value;
}

const found = (check: CheckResult) => check.findings.map((f) => `${f.code}:${f.messageId}`);

describe('wellKnown probe on loopback', () => {
  let hs: TestServer;
  let wk: TestServer;
  before(async () => {
    ({ hs, wk } = await deployment(healthyRoutes));
  });

  test('healthy: every field recorded, the Origin sent for the client file, the delegation answered, no finding', async () => {
    const { probe, check, versions } = await run(wk, {}, { hs });
    const a = value(probe);
    assert.equal(a.serverName, 'example.test');
    assert.equal(a.serverNameSource, 'server-name');
    assert.equal(a.host, 'example.test');
    assert.equal(a.serverSkipped, undefined);
    const s = a.server;
    assert.ok(s);
    assert.equal(s.status, 200);
    assert.equal(s.contentType, 'application/json');
    assert.deepEqual(s.json, { 'm.server': `matrix.example.test:${hs.port}` });
    assert.equal(s.mServer, `matrix.example.test:${hs.port}`);
    assert.deepEqual(s.delegated, { host: 'matrix.example.test', port: hs.port, ipLiteral: false });
    assert.equal(s.delegation?.status, 200);
    assert.deepEqual(s.delegation?.server, { name: 'Synapse', version: '1.157.1' });
    assert.equal(s.delegation?.portFrom, 'm.server');
    assert.equal(s.tls?.authorized, true);
    assert.equal(s.address, '127.0.0.1');
    assert.equal(s.truncated, false);
    const c = a.client;
    assert.ok(c);
    assert.equal(c.baseUrl, `https://matrix.example.test:${hs.port}`);
    assert.equal(c.accessControlAllowOrigin, '*');
    assert.equal(c.cacheControl, 'max-age=3600');
    assert.equal(c.origin, 'https://app.element.io');
    assert.equal(origins.at(-1), 'https://app.element.io');
    assert.equal(a.support?.status, 200);
    // The client base_url is asked by clientVersions, as a well-known source.
    const r = value(versions).results.find((x) => x.sources.includes('well-known'));
    assert.deepEqual(r?.versions, ['v1.11']);
    assert.deepEqual(found(check), ['MXD-WK-013:present']);
    assert.equal(check.status, 'pass');
    // The federation request kept the delegated name for SNI and Host.
    const fed = hs.requests.find((x) => x.url === '/_matrix/federation/v1/version');
    assert.equal(fed?.servername, 'matrix.example.test');
    assert.equal(fed?.host, `matrix.example.test:${hs.port}`);
  });

  test('the server name from homeserver.yaml when --server-name is not given', async () => {
    const file = path.join(dir, 'homeserver.yaml');
    writeFileSync(file, 'server_name: "example.test"\nreport_stats: false\n');
    const { probe } = await run(wk, { 'server-name': undefined, 'homeserver-config': [file] }, { hs });
    assert.equal(value(probe).serverNameSource, 'homeserver-config');
  });

  test('no server name at all: skipped with the reason, the check skips', async () => {
    const { probe, check } = await run(wk, { 'server-name': undefined });
    assert.equal(probe.status, 'skipped');
    assert.match((probe as { reason: string }).reason, /no server name/);
    assert.equal(check.status, 'skip');
  });

  test('an explicit port: no server file (recorded why), the client file still fetched from the hostname', async () => {
    const before = wk.requests.length;
    const { probe } = await run(wk, { 'server-name': 'example.test:8448' }, { hs });
    const a = value(probe);
    assert.equal(a.server, undefined);
    assert.match(a.serverSkipped ?? '', /explicit port \(8448\)/);
    assert.equal(a.port, 8448);
    assert.equal(a.client?.status, 200);
    assert.ok(!wk.requests.slice(before).some((r) => r.url === '/.well-known/matrix/server'));
  });

  test('an IP literal: no server file either', async () => {
    const { probe } = await run(wk, { 'server-name': '127.0.0.1', 'connect-to': [`127.0.0.1:443:127.0.0.1:${wk.port}`] }, { hs });
    const a = value(probe);
    assert.equal(a.ipLiteral, true);
    assert.match(a.serverSkipped ?? '', /IP literal/);
    assert.equal(a.client?.status, 200);
  });

  test('--offline: skipped, nothing contacted', async () => {
    const before = wk.connections;
    const { probe } = await run(wk, { offline: true }, { hs });
    assert.equal(probe.status, 'skipped');
    assert.equal(wk.connections, before);
  });

  test('outside --allow-targets: the probe fails with TARGET_NOT_ALLOWED and nothing is contacted', async () => {
    const before = wk.connections;
    const { probe, check } = await run(wk, { 'allow-targets': '127.0.0.2/32' }, { hs });
    assert.equal(probe.status, 'error');
    assert.equal((probe as { error: { code: string } }).error.code, 'TARGET_NOT_ALLOWED');
    assert.equal(check.status, 'error');
    assert.equal(wk.connections, before);
  });
});

describe('wellKnown probe: broken answers', () => {
  test('redirects are followed and recorded; a client redirect is reported', async () => {
    const { hs, wk } = await deployment((p) => ({
      '/.well-known/matrix/server': redirect('/real/server', 301),
      '/real/server': json({ 'm.server': `matrix.example.test:${p}` }),
      '/.well-known/matrix/client': redirect('/real/client'),
      '/real/client': json({ 'm.homeserver': { base_url: `https://matrix.example.test:${p}` } }),
    }));
    const { probe, check } = await run(wk, {}, { hs });
    const a = value(probe);
    assert.equal(a.server?.status, 200);
    assert.deepEqual(
      a.server?.redirects.map((h) => [h.status, h.location]),
      [[301, `https://example.test/real/server`]],
    );
    assert.equal(a.server?.finalUrl, 'https://example.test/real/server');
    assert.equal(a.server?.delegation?.status, 200);
    assert.deepEqual(found(check), ['MXD-WK-009:clientRedirect']);
  });

  test('a redirect loop and a chain longer than 20', async () => {
    const chain: Routes = {};
    for (let i = 0; i < 25; i++) chain[`/c/${i}`] = redirect(`/c/${i + 1}`);
    const { hs, wk } = await deployment(() => ({
      ...redirectLoop('/.well-known/matrix/server', '/elsewhere'),
      '/.well-known/matrix/client': redirect('/c/0'),
      ...chain,
    }));
    // 21 TLS connections in a row: a generous timeout, so a loaded machine does not turn this into TIMEOUT.
    const { probe, check } = await run(wk, { timeout: '20s' }, { hs });
    const a = value(probe);
    assert.equal(a.server?.error?.code, 'REDIRECT_LOOP');
    assert.equal(a.client?.error?.code, 'TOO_MANY_REDIRECTS');
    assert.deepEqual(found(check), ['MXD-WK-009:loop', 'MXD-WK-015:temporaryFailure', 'MXD-WK-009:tooMany']);
  });

  test("Synapse's 50 KiB cap: 51200 bytes pass, one more is cut and reported", async () => {
    const body = (p: number) => {
      const head = `{"m.server": "matrix.example.test:${p}", "pad": "`;
      return `${head}${'x'.repeat(51200 - head.length - 2)}"}`;
    };
    assert.equal(Buffer.byteLength(body(443)), 51200);
    const { hs, wk } = await deployment((p) => ({
      '/.well-known/matrix/server': { body: body(p), headers: { 'content-type': 'application/json' } },
      '/.well-known/matrix/client': hugeBody(51201),
    }));
    const { probe, check } = await run(wk, {}, { hs });
    const a = value(probe);
    assert.equal(a.server?.truncated, false);
    assert.equal(a.server?.mServer, `matrix.example.test:${hs.port}`);
    assert.equal(a.client?.truncated, true);
    assert.equal(a.client?.bodyBytes, 51200);
    assert.equal(a.client?.json, undefined);
    assert.ok(found(check).includes('MXD-WK-010:client'), JSON.stringify(found(check)));
  });

  test('not JSON, text/plain, no CORS, 404 support', async () => {
    const { hs, wk } = await deployment(() => ({
      '/.well-known/matrix/server': { body: "{'m.server': 'matrix.example.test:443'}", headers: { 'content-type': 'text/plain' } },
      '/.well-known/matrix/client': { body: '{"m.homeserver": {"base_url": "https://matrix.example.test"}}', headers: { 'content-type': 'application/json' } },
    }));
    const { probe, check } = await run(wk, {}, { hs });
    const a = value(probe);
    assert.match(a.server?.jsonError ?? '', /JSON/);
    assert.equal(a.client?.accessControlAllowOrigin, undefined);
    assert.equal(a.support?.status, 404);
    assert.deepEqual(found(check).sort(), ['MXD-WK-003:server', 'MXD-WK-007:server', 'MXD-WK-008:missing', 'MXD-WK-015:failure'].sort());
  });

  test('delegation to a port nothing listens on: CONN_REFUSED evidence, MXD-WK-011', async () => {
    const dead = await closedPort();
    const { hs, wk } = await deployment(() => ({
      '/.well-known/matrix/server': json({ 'm.server': `matrix.example.test:${dead}` }),
      '/.well-known/matrix/client': json({ 'm.homeserver': { base_url: 'https://matrix.example.test' } }),
    }));
    const { probe, check } = await run(wk, {
      resolve: [`matrix.example.test:${dead}:127.0.0.1`, `matrix.example.test:443:127.0.0.1`],
      'connect-to': [`example.test:443:127.0.0.1:${wk.port}`, `matrix.example.test:443:127.0.0.1:${hs.port}`],
    });
    const a = value(probe);
    assert.equal(a.server?.delegation?.error?.code, 'CONN_REFUSED');
    assert.equal(a.server?.delegation?.port, dead);
    const f = check.findings.find((x) => x.code === 'MXD-WK-011');
    assert.equal(f?.messageId, 'unreachable');
  });

  test('delegation without a port: the _matrix-fed._tcp SRV record is followed (Host and SNI stay the delegated name)', async () => {
    const { hs, wk } = await deployment(() => ({
      '/.well-known/matrix/server': json({ 'm.server': 'matrix.example.test' }),
      '/.well-known/matrix/client': json({ 'm.homeserver': { base_url: 'https://matrix.example.test' } }),
    }));
    const dns = await startDnsServer({
      'example.test': [{ type: 'A', address: '127.0.0.1' }],
      'matrix.example.test': [{ type: 'A', address: '127.0.0.1' }],
      'fed.example.test': [{ type: 'A', address: '127.0.0.1' }],
      '_matrix-fed._tcp.matrix.example.test': [{ type: 'SRV', priority: 10, weight: 5, port: hs.port, target: 'fed.example.test' }],
    });
    const before = hs.requests.length;
    const { probe } = await run(wk, {}, { dns });
    const d = value(probe).server?.delegation;
    assert.equal(d?.portFrom, 'srv');
    assert.deepEqual(d?.srv, { name: '_matrix-fed._tcp.matrix.example.test', target: 'fed.example.test', port: hs.port });
    assert.equal(d?.status, 200, JSON.stringify(d));
    const seen = hs.requests.slice(before).find((r) => r.url === '/_matrix/federation/v1/version');
    assert.equal(seen?.servername, 'matrix.example.test');
    assert.equal(seen?.host, 'matrix.example.test');
  });

  test('no SRV record: port 8448 on the delegated host', async () => {
    const { wk } = await deployment(() => ({ '/.well-known/matrix/server': json({ 'm.server': 'matrix.example.test' }) }));
    const dead = await closedPort();
    const dns = await startDnsServer({ 'example.test': [{ type: 'A', address: '127.0.0.1' }], 'matrix.example.test': [{ type: 'A', address: '127.0.0.1' }] });
    const { probe } = await run(wk, { 'connect-to': [`example.test:443:127.0.0.1:${wk.port}`, `matrix.example.test:8448:127.0.0.1:${dead}`] }, { dns });
    const d = value(probe).server?.delegation;
    assert.equal(d?.portFrom, 'default');
    assert.equal(d?.port, 8448);
    assert.equal(d?.error?.code, 'CONN_REFUSED');
  });

  test('a host that never answers: TIMEOUT answers recorded before the probe deadline', async () => {
    const { hs, wk } = await deployment(() => ({
      '/.well-known/matrix/server': hang,
      '/.well-known/matrix/client': hang,
      '/.well-known/matrix/support': hang,
    }));
    const started = performance.now();
    const { probe, check } = await run(wk, { timeout: '800ms' }, { hs });
    assert.ok(performance.now() - started < 2500);
    const a = value(probe);
    assert.equal(a.server?.error?.code, 'TIMEOUT');
    assert.equal(a.client?.error?.code, 'TIMEOUT');
    assert.deepEqual(found(check), ['MXD-WK-002:serverNetwork', 'MXD-WK-015:temporaryFailure', 'MXD-WK-002:clientNetwork']);
  });

  test('caching headers and the time to the last byte are recorded: a slow body counts, as it does for Element', async () => {
    const { hs, wk } = await deployment((hsPort) => ({
      '/.well-known/matrix/server': json(
        { 'm.server': `matrix.example.test:${hsPort}` },
        { 'cache-control': 'no-store', expires: 'Thu, 01 Jan 1970 00:00:01 GMT' },
      ),
      '/.well-known/matrix/client': (_req: http.IncomingMessage, res: http.ServerResponse) => {
        // The headers at once, the body 400 ms later.
        res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
        res.flushHeaders();
        setTimeout(() => res.end(JSON.stringify({ 'm.homeserver': { base_url: `https://matrix.example.test:${hsPort}` } })), 400);
      },
    }));
    const { probe, check } = await run(wk, {}, { hs });
    const a = value(probe);
    assert.equal(a.server?.cacheControl, 'no-store');
    assert.equal(a.server?.expires, 'Thu, 01 Jan 1970 00:00:01 GMT');
    assert.match(a.server?.headers.date ?? '', /GMT$/, 'the Date an Expires is measured from');
    assert.ok((a.client?.durationMs ?? 0) >= 390, String(a.client?.durationMs));
    assert.deepEqual(found(check), ['MXD-WK-015:noCache']);
  });

  test('nothing on 443 at all: CONN_REFUSED evidence', async () => {
    const { probe } = await run(await closedPort());
    assert.equal(value(probe).client?.error?.code, 'CONN_REFUSED');
  });
});
