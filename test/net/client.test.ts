// NetClient against real loopback servers: routing (--resolve, --connect-to, IP literals, DNS), the
// --allow-targets guard (refusal before any packet), and http() (redirects, capped bodies, TLS failures,
// timeouts). Every server binds 127.0.0.1 on a free port; every name is a .test name mapped to loopback.

import assert from 'node:assert/strict';
import { Resolver } from 'node:dns/promises';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ProbeError } from '../../src/engine/errors.js';
import { classifyNetError, NetClient, type NetOptions, resolverAddress } from '../../src/net/client.js';
import { queryDnsServer } from '../../src/net/dns.js';
import { type Cidr, parseAllowTargets, parseResolve } from '../../src/net/targets.js';
import {
  closeAllServers,
  closedPort,
  hang,
  hugeBody,
  OUTSIDE_ADDRESS,
  redirect,
  redirectLoop,
  redirectOffLoopback,
  startDnsServer,
  startHttpServer,
  startHttpsServer,
  startSilentServer,
  type TestServer,
} from '../helpers/servers.js';
import { testCerts } from '../helpers/tls.js';

const certs = testCerts();
const LOOPBACK = parseAllowTargets('loopback');
const VERSIONS = { versions: ['v1.11'] };

let server: TestServer;

before(async () => {
  server = await startHttpsServer({
    '/ok': { body: VERSIONS },
    '/text': { body: 'not json', headers: { 'content-type': 'text/plain' } },
    '/big': hugeBody(5 * 1024 * 1024),
    '/hang': hang,
    '/r1': redirect('/ok', 301),
    '/to-meet': (_req, res) => {
      res.writeHead(302, { location: `https://meet.example.test:${server.port}/ok` });
      res.end();
    },
    '/off': redirectOffLoopback,
    '/many': (req, res) => {
      const n = Number(new URL(req.url ?? '/', 'https://x').searchParams.get('n') ?? 0);
      res.writeHead(302, { location: `/many?n=${n + 1}` });
      res.end();
    },
    ...redirectLoop('/a', '/b'),
  });
});

after(closeAllServers);

/** A client for tests: loopback only, the test CA trusted, names mapped with --resolve-style strings. */
function client(opts: { resolve?: string[]; ca?: boolean; allow?: Cidr[] } & Partial<Omit<NetOptions, 'resolve'>> = {}): NetClient {
  const { resolve = [], ca = true, allow = LOOPBACK, ...rest } = opts;
  return new NetClient({
    connectTo: [],
    extraCa: ca ? certs.ca.cert : undefined,
    allowTargets: allow,
    ...rest,
    resolve: resolve.map(parseResolve),
  });
}

const signal = (ms = 5000) => AbortSignal.timeout(ms);
const at = (host: string, path: string, port = server.port) => `https://${host}:${port}${path}`;

/** Asserts that the promise rejects with ProbeError TARGET_NOT_ALLOWED (and returns it). */
async function refused(promise: Promise<unknown>, message?: RegExp): Promise<ProbeError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof ProbeError, `expected a ProbeError, got ${String(caught)}`);
  assert.equal(caught.code, 'TARGET_NOT_ALLOWED');
  if (message) assert.match(caught.message, message);
  return caught;
}

/** Connections a server sees after a short pause (a connection that was going to come has come). */
async function connectionsAfterPause(s: TestServer): Promise<number> {
  await sleep(100);
  return s.connections;
}

describe('route()', () => {
  test('localhost is loopback without asking the resolver, even with --dns-server (RFC 6761)', async () => {
    const r = await client({ dnsServer: { host: '127.0.0.1', port: 9 } }).route('localhost', 5432, signal());
    assert.deepEqual(
      r.addresses.map((a) => a.address),
      ['127.0.0.1', '::1'],
    );
  });

  test('--resolve maps the name to its addresses and keeps the name', async () => {
    const route = await client({ resolve: [`matrix.example.test:${server.port}:127.0.0.1`] }).route('Matrix.Example.Test', server.port, signal());
    assert.deepEqual(route, {
      host: 'matrix.example.test',
      port: server.port,
      connectHost: 'matrix.example.test',
      connectPort: server.port,
      addresses: [{ address: '127.0.0.1', family: 4 }],
      via: 'resolve',
    });
  });

  test('--resolve: the Host header and SNI keep the original name, and the certificate is checked against it', async () => {
    const net = client({ resolve: [`matrix.example.test:${server.port}:127.0.0.1`, `wrong.test:${server.port}:127.0.0.1`] });
    const before = server.requests.length;
    const x = await net.http(at('matrix.example.test', '/ok'), { signal: signal() });
    assert.equal(x.ok, true, JSON.stringify(x.error));
    assert.equal(x.status, 200);
    assert.equal(x.address, '127.0.0.1');
    const seen = server.requests.slice(before);
    assert.equal(seen.length, 1);
    assert.equal(seen[0].host, `matrix.example.test:${server.port}`);
    assert.equal(seen[0].servername, 'matrix.example.test');
    assert.equal(seen[0].remoteAddress, '127.0.0.1');
    // Same server, same address, another name: the certificate does not cover it.
    const wrong = await net.http(at('wrong.test', '/ok'), { signal: signal() });
    assert.equal(wrong.ok, false);
    assert.equal(wrong.error?.code, 'TLS_NAME_MISMATCH');
    assert.match(wrong.error?.message ?? '', /wrong\.test/);
  });

  test('--resolve with `*` applies to every port; a port-specific one only to its port', async () => {
    const any = client({ resolve: ['matrix.example.test:*:127.0.0.1'] });
    assert.equal((await any.route('matrix.example.test', 8448, signal())).via, 'resolve');
    // Port 8448 is not mapped, so it would need DNS; the DNS server given is outside the allow-list.
    const one = client({ resolve: ['matrix.example.test:443:127.0.0.1'], dnsServer: { host: '192.0.2.53', port: 53 } });
    assert.equal((await one.route('matrix.example.test', 443, signal())).via, 'resolve');
    await refused(one.route('matrix.example.test', 8448, signal()), /DNS resolver/);
  });

  test('--connect-to sends the connection to another host and port; Host, SNI and the certificate keep the name', async () => {
    const net = client({ connectTo: [{ host: 'matrix.example.test', port: 443, toHost: '127.0.0.1', toPort: server.port }] });
    const route = await net.route('matrix.example.test', 443, signal());
    assert.equal(route.via, 'connect-to');
    assert.equal(route.connectHost, '127.0.0.1');
    assert.equal(route.connectPort, server.port);
    assert.equal(route.port, 443);
    const before = server.requests.length;
    const x = await net.http('https://matrix.example.test/ok', { signal: signal() });
    assert.equal(x.ok, true, JSON.stringify(x.error));
    assert.equal(x.status, 200);
    const [seen] = server.requests.slice(before);
    assert.equal(seen.host, 'matrix.example.test');
    assert.equal(seen.servername, 'matrix.example.test');
  });

  test('--connect-to a name uses --resolve for that name (as curl does)', async () => {
    const net = client({
      connectTo: [{ host: undefined, port: 443, toHost: 'backend.test', toPort: server.port }],
      resolve: [`backend.test:${server.port}:127.0.0.1`],
    });
    const x = await net.http('https://meet.example.test/ok', { signal: signal() });
    assert.equal(x.ok, true, JSON.stringify(x.error));
    assert.equal(server.requests.at(-1)?.servername, 'meet.example.test');
  });

  test('--connect-to with only a new port keeps the host', async () => {
    const net = client({
      connectTo: [{ host: 'matrix.example.test', port: undefined, toHost: undefined, toPort: server.port }],
      resolve: [`matrix.example.test:${server.port}:127.0.0.1`],
    });
    const route = await net.route('matrix.example.test', 443, signal());
    assert.deepEqual([route.connectHost, route.connectPort, route.addresses[0].address], ['matrix.example.test', server.port, '127.0.0.1']);
    assert.equal((await net.http('https://matrix.example.test/ok', { signal: signal() })).status, 200);
  });

  test('IP literals need no lookup; the certificate is checked against the IP', async () => {
    const net = client({ dnsServer: { host: '192.0.2.53', port: 53 } }); // any lookup would be refused
    assert.deepEqual(await net.route('127.0.0.1', 443, signal()), {
      host: '127.0.0.1',
      port: 443,
      connectHost: '127.0.0.1',
      connectPort: 443,
      addresses: [{ address: '127.0.0.1', family: 4 }],
      via: 'ip-literal',
    });
    const v6 = await net.route('[::1]', 443, signal());
    assert.deepEqual([v6.host, v6.addresses, v6.via], ['::1', [{ address: '::1', family: 6 }], 'ip-literal']);
    const x = await net.http(`https://127.0.0.1:${server.port}/ok`, { signal: signal() });
    assert.equal(x.ok, true, JSON.stringify(x.error));
    assert.equal(x.tls?.authorized, true);
    // No SNI for an IP address.
    assert.ok(!server.requests.at(-1)?.servername);
  });
});

describe('--allow-targets', () => {
  const only2 = parseAllowTargets('127.0.0.2/32');

  test('a refused target is never contacted, even when it would answer', async () => {
    const net = client({ allow: only2, resolve: [`matrix.example.test:${server.port}:127.0.0.1`] });
    const connections = server.connections;
    await refused(net.route('matrix.example.test', server.port, signal()), /refused to contact 127\.0\.0\.1 .*outside --allow-targets 127\.0\.0\.2\/32/);
    const e = await refused(net.http(at('matrix.example.test', '/ok'), { signal: signal() }));
    assert.deepEqual(e.details, { address: '127.0.0.1' });
    await refused(net.http(`https://127.0.0.1:${server.port}/ok`, { signal: signal() }));
    assert.equal(await connectionsAfterPause(server), connections);
  });

  test('every address a name resolves to must be allowed', async () => {
    const net = client({ allow: only2, resolve: [`matrix.example.test:${server.port}:127.0.0.2,127.0.0.1`] });
    const connections = server.connections;
    await refused(net.http(at('matrix.example.test', '/ok'), { signal: signal() }), /127\.0\.0\.1/);
    assert.equal(await connectionsAfterPause(server), connections);
  });

  test('--connect-to cannot take a connection outside the list', async () => {
    const net = client({ allow: only2, connectTo: [{ host: 'matrix.example.test', port: 443, toHost: '127.0.0.1', toPort: server.port }] });
    const connections = server.connections;
    await refused(net.http('https://matrix.example.test/ok', { signal: signal() }));
    assert.equal(await connectionsAfterPause(server), connections);
  });

  test('a pinned address is checked too', async () => {
    const net = client({ allow: only2, resolve: [`matrix.example.test:${server.port}:127.0.0.2`] });
    const connections = server.connections;
    await refused(net.http(at('matrix.example.test', '/ok'), { signal: signal(), pinAddress: '127.0.0.1' }));
    assert.equal(await connectionsAfterPause(server), connections);
  });

  test('an allowed pinned address is used', async () => {
    const net = client({ resolve: [`matrix.example.test:${server.port}:127.0.0.2`] });
    const x = await net.http(at('matrix.example.test', '/ok'), { signal: signal(), pinAddress: '127.0.0.1' });
    assert.equal(x.status, 200);
    assert.equal(x.address, '127.0.0.1');
  });

  test('a --dns-server outside the list is refused before any query', async () => {
    const net = client({ dnsServer: { host: '192.0.2.53', port: 53 } });
    await refused(net.route('matrix.example.test', 443, signal()), /refused to contact 192\.0\.2\.53 \(DNS resolver\)/);
    await refused(net.dnsQuery('_matrix-fed._tcp.example.test', 'SRV', signal()), /DNS resolver/);
    await refused(net.http('https://matrix.example.test/ok', { signal: signal() }), /DNS resolver/);
  });

  test("the system resolver's servers are checked against the list before a lookup", async (t) => {
    const system = new Resolver().getServers().map(resolverAddress);
    const allowed = ['127.0.0.2', '127.0.0.3'].find((a) => !system.includes(a));
    if (!allowed) {
      t.skip(`the system resolvers (${system.join(', ')}) include the test addresses`);
      return;
    }
    // The allow-list excludes every system resolver, so no lookup may start (and none reaches the network).
    const net = client({ allow: parseAllowTargets(`${allowed}/32`) });
    await refused(net.route('matrix.example.test', 443, signal()), /\(DNS resolver\)/);
    await refused(net.dnsQuery('matrix.example.test', 'A', signal()), /\(DNS resolver\)/);
  });

  test('resolverAddress reads the forms getServers() uses', () => {
    assert.equal(resolverAddress('10.255.255.53'), '10.255.255.53');
    assert.equal(resolverAddress('127.0.0.1:5353'), '127.0.0.1');
    assert.equal(resolverAddress('::1'), '::1');
    assert.equal(resolverAddress('2001:db8::53'), '2001:db8::53');
    assert.equal(resolverAddress('[::1]:5353'), '::1');
    assert.equal(resolverAddress('[fe80::1%eth0]:53'), 'fe80::1%eth0');
  });
});

describe('http()', () => {
  const net = () => client({ resolve: [`matrix.example.test:${server.port}:127.0.0.1`, `meet.example.test:${server.port}:127.0.0.1`] });

  test('200 with JSON, headers, the address and TLS evidence', async () => {
    const x = await net().http(at('matrix.example.test', '/ok'), { signal: signal() });
    assert.equal(x.ok, true, JSON.stringify(x.error));
    assert.equal(x.status, 200);
    assert.equal(x.url, at('matrix.example.test', '/ok'));
    assert.equal(x.finalUrl, x.url);
    assert.deepEqual(JSON.parse(x.body), VERSIONS);
    assert.equal(x.headers['content-type'], 'application/json');
    assert.equal(x.bodyBytes, Buffer.byteLength(JSON.stringify(VERSIONS)));
    assert.equal(x.truncated, false);
    assert.deepEqual(x.redirects, []);
    assert.equal(x.error, undefined);
    assert.ok(x.durationMs >= 0);
    const t = x.tls;
    assert.ok(t, 'TLS evidence');
    assert.match(t.protocol ?? '', /^TLSv1\.[23]$/);
    assert.equal(t.authorized, true);
    assert.equal(t.subject, 'example.test');
    assert.equal(t.issuer, 'matrixdoc test CA');
    assert.ok(t.subjectAltNames.includes('DNS:matrix.example.test'), t.subjectAltNames.join(' '));
    assert.ok(t.subjectAltNames.includes('IP Address:127.0.0.1'), t.subjectAltNames.join(' '));
    assert.ok(Date.parse(t.validTo ?? '') > Date.now(), `validTo ${t.validTo}`);
    assert.ok(Date.parse(t.validFrom ?? '') <= Date.now() + 60_000, `validFrom ${t.validFrom}`);
    assert.match(t.fingerprint256 ?? '', /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  });

  test('a non-JSON body comes back as text', async () => {
    const x = await net().http(at('matrix.example.test', '/text'), { signal: signal() });
    assert.equal(x.status, 200);
    assert.equal(x.body, 'not json');
    assert.equal(x.headers['content-type'], 'text/plain');
  });

  test('a 404 is an answer, not an error', async () => {
    const x = await net().http(at('matrix.example.test', '/nothing'), { signal: signal() });
    assert.equal(x.ok, true);
    assert.equal(x.status, 404);
    assert.equal(x.error, undefined);
  });

  test('plain http works too, without TLS evidence', async () => {
    const plain = await startHttpServer({ '/ok': { body: VERSIONS } });
    try {
      const x = await client({ resolve: [`matrix.example.test:${plain.port}:127.0.0.1`] }).http(`http://matrix.example.test:${plain.port}/ok`, {
        signal: signal(),
      });
      assert.equal(x.status, 200);
      assert.equal(x.tls, undefined);
      assert.equal(plain.requests[0].host, `matrix.example.test:${plain.port}`);
    } finally {
      await plain.close();
    }
  });

  test('the body is capped at maxBytes and marked truncated', async () => {
    const started = performance.now();
    const x = await net().http(at('matrix.example.test', '/big'), { signal: signal(), maxBytes: 1000 });
    assert.equal(x.ok, true);
    assert.equal(x.status, 200);
    assert.equal(x.truncated, true);
    assert.equal(x.bodyBytes, 1000);
    assert.equal(x.body.length, 1000);
    assert.ok(performance.now() - started < 5000);
  });

  test('the default cap (256 KiB) applies too', async () => {
    const x = await net().http(at('matrix.example.test', '/big'), { signal: signal() });
    assert.equal(x.truncated, true);
    assert.equal(x.bodyBytes, 256 * 1024);
  });

  test('a redirect is followed and its hop recorded', async () => {
    const x = await net().http(at('matrix.example.test', '/r1'), { signal: signal() });
    assert.equal(x.ok, true);
    assert.equal(x.status, 200);
    assert.equal(x.url, at('matrix.example.test', '/r1'));
    assert.equal(x.finalUrl, at('matrix.example.test', '/ok'));
    assert.deepEqual(JSON.parse(x.body), VERSIONS);
    assert.deepEqual(x.redirects, [{ url: at('matrix.example.test', '/r1'), status: 301, location: at('matrix.example.test', '/ok'), address: '127.0.0.1' }]);
  });

  test('a redirect to another name is routed again, with that name for SNI', async () => {
    const x = await net().http(at('matrix.example.test', '/to-meet'), { signal: signal() });
    assert.equal(x.status, 200);
    assert.equal(x.finalUrl, at('meet.example.test', '/ok'));
    assert.equal(x.redirects.length, 1);
    assert.equal(server.requests.at(-1)?.servername, 'meet.example.test');
    assert.equal(server.requests.at(-1)?.host, `meet.example.test:${server.port}`);
  });

  test('a redirect loop stops with REDIRECT_LOOP', async () => {
    const x = await net().http(at('matrix.example.test', '/a'), { signal: signal() });
    assert.equal(x.ok, false);
    assert.equal(x.error?.code, 'REDIRECT_LOOP');
    assert.equal(x.url, at('matrix.example.test', '/a'));
    assert.deepEqual(
      x.redirects.map((h) => [h.url, h.location]),
      [
        [at('matrix.example.test', '/a'), at('matrix.example.test', '/b')],
        [at('matrix.example.test', '/b'), at('matrix.example.test', '/a')],
      ],
    );
  });

  test('too many redirects stop with TOO_MANY_REDIRECTS', async () => {
    const before = server.requests.length;
    const x = await net().http(at('matrix.example.test', '/many'), { signal: signal(), maxRedirects: 3 });
    assert.equal(x.ok, false);
    assert.equal(x.error?.code, 'TOO_MANY_REDIRECTS');
    assert.match(x.error?.message ?? '', /more than 3 redirects/);
    assert.equal(x.url, at('matrix.example.test', '/many'));
    assert.equal(server.requests.length - before, 4);
    assert.equal(x.redirects.length, 4);
  });

  test('a redirect off the allow-list is refused (TARGET_NOT_ALLOWED), not followed', async () => {
    const e = await refused(net().http(at('matrix.example.test', '/off'), { signal: signal() }), new RegExp(OUTSIDE_ADDRESS.replace(/\./g, '\\.')));
    assert.deepEqual(e.details, { address: OUTSIDE_ADDRESS });
  });

  test('a certificate from an unknown CA is TLS_UNTRUSTED without the CA, fine with it', async () => {
    const without = await client({ ca: false, resolve: [`matrix.example.test:${server.port}:127.0.0.1`] }).http(at('matrix.example.test', '/ok'), {
      signal: signal(),
    });
    assert.equal(without.ok, false);
    assert.equal(without.error?.code, 'TLS_UNTRUSTED');
    const withCa = await net().http(at('matrix.example.test', '/ok'), { signal: signal() });
    assert.equal(withCa.status, 200);
  });

  test('a self-signed certificate is TLS_UNTRUSTED even with the test CA', async () => {
    const self = await startHttpsServer({ '/ok': { body: VERSIONS } }, { cert: certs.selfSigned.cert, key: certs.selfSigned.key });
    try {
      const x = await client({ resolve: [`matrix.example.test:${self.port}:127.0.0.1`] }).http(at('matrix.example.test', '/ok', self.port), {
        signal: signal(),
      });
      assert.equal(x.ok, false);
      assert.equal(x.error?.code, 'TLS_UNTRUSTED');
      assert.equal(self.requests.length, 0);
    } finally {
      await self.close();
    }
  });

  test('an expired certificate is TLS_EXPIRED', async () => {
    const expired = await startHttpsServer({ '/ok': { body: VERSIONS } }, { cert: certs.expired.cert, key: certs.expired.key });
    try {
      const x = await client({ resolve: [`matrix.example.test:${expired.port}:127.0.0.1`] }).http(at('matrix.example.test', '/ok', expired.port), {
        signal: signal(),
      });
      assert.equal(x.ok, false);
      assert.equal(x.error?.code, 'TLS_EXPIRED');
      assert.equal(expired.requests.length, 0);
    } finally {
      await expired.close();
    }
  });

  test('a closed port is CONN_REFUSED', async () => {
    const port = await closedPort();
    const x = await client({ resolve: [`matrix.example.test:${port}:127.0.0.1`] }).http(at('matrix.example.test', '/ok', port), { signal: signal() });
    assert.equal(x.ok, false);
    assert.equal(x.error?.code, 'CONN_REFUSED');
    assert.equal(x.status, undefined);
  });

  test('a server that accepts the connection and never answers is cut off by the signal', async () => {
    const silent = await startSilentServer();
    try {
      const timeoutMs = 400;
      const started = performance.now();
      const x = await client({ resolve: [`matrix.example.test:${silent.port}:127.0.0.1`] }).http(at('matrix.example.test', '/ok', silent.port), {
        signal: AbortSignal.timeout(timeoutMs),
      });
      const elapsed = performance.now() - started;
      assert.equal(x.ok, false);
      assert.equal(x.error?.code, 'TIMEOUT');
      assert.equal(silent.connections, 1);
      assert.ok(elapsed >= timeoutMs - 50, `returned after ${elapsed} ms, before the timeout`);
      assert.ok(elapsed < 3 * timeoutMs, `returned after ${elapsed} ms`);
    } finally {
      await silent.close();
    }
  });

  test('a server that takes the request and never sends headers is cut off by the signal', async () => {
    const timeoutMs = 400;
    const started = performance.now();
    const x = await net().http(at('matrix.example.test', '/hang'), { signal: AbortSignal.timeout(timeoutMs) });
    const elapsed = performance.now() - started;
    assert.equal(x.ok, false);
    assert.equal(x.error?.code, 'TIMEOUT');
    assert.ok(elapsed < 3 * timeoutMs, `returned after ${elapsed} ms`);
  });

  test('a URL that is not http(s) is UNSUPPORTED_URL, with no connection', async () => {
    const x = await net().http('ftp://matrix.example.test/x', { signal: signal() });
    assert.equal(x.ok, false);
    assert.equal(x.error?.code, 'UNSUPPORTED_URL');
  });
});

describe('DNS through --dns-server (a dns2 server on 127.0.0.1)', () => {
  let dns: TestServer;
  let net: NetClient;

  before(async () => {
    dns = await startDnsServer(
      {
        'matrix.example.test': [
          { type: 'A', address: '127.0.0.1' },
          { type: 'AAAA', address: '::1' },
        ],
        'meet.example.test': [{ type: 'A', address: '127.0.0.1' }],
        '_matrix-fed._tcp.example.test': [{ type: 'SRV', priority: 10, weight: 5, port: 8448, target: 'matrix.example.test' }],
        'www.example.test': [{ type: 'CNAME', domain: 'matrix.example.test' }],
        'example.test': [{ type: 'TXT', data: 'v=test' }],
        'outside.example.test': [{ type: 'A', address: OUTSIDE_ADDRESS }],
      },
      { silent: ['slow.example.test'] },
    );
    net = client({ dnsServer: { host: '127.0.0.1', port: dns.port } });
  });

  /** The stable code a failed query gets in reports. */
  async function failure(promise: Promise<unknown>): Promise<string> {
    try {
      await promise;
    } catch (error) {
      return classifyNetError(error).code;
    }
    assert.fail('expected the query to fail');
  }

  test('A, AAAA, SRV, CNAME and TXT', async () => {
    assert.deepEqual(await net.dnsQuery('matrix.example.test', 'A', signal()), ['127.0.0.1']);
    assert.deepEqual(await net.dnsQuery('matrix.example.test', 'AAAA', signal()), ['::1']);
    assert.deepEqual(await net.dnsQuery('_matrix-fed._tcp.example.test', 'SRV', signal()), [
      { name: 'matrix.example.test', port: 8448, priority: 10, weight: 5 },
    ]);
    assert.deepEqual(await net.dnsQuery('www.example.test', 'CNAME', signal()), ['matrix.example.test']);
    assert.deepEqual(await net.dnsQuery('example.test', 'TXT', signal()), [['v=test']]);
  });

  test('NXDOMAIN and NODATA', async () => {
    assert.equal(await failure(net.dnsQuery('nope.example.test', 'A', signal())), 'DNS_NXDOMAIN');
    assert.equal(await failure(net.dnsQuery('_matrix-fed._tcp.nope.example.test', 'SRV', signal())), 'DNS_NXDOMAIN');
    assert.equal(await failure(net.dnsQuery('meet.example.test', 'AAAA', signal())), 'DNS_NODATA');
  });

  test('route() uses both AAAA and A answers', async () => {
    const route = await net.route('matrix.example.test', 443, signal());
    assert.equal(route.via, 'dns');
    assert.deepEqual(route.addresses.map((a) => a.address).sort(), ['127.0.0.1', '::1']);
  });

  test('http() to a name found by DNS', async () => {
    const x = await net.http(at('meet.example.test', '/ok'), { signal: signal() });
    assert.equal(x.ok, true, JSON.stringify(x.error));
    assert.equal(x.status, 200);
    assert.equal(server.requests.at(-1)?.servername, 'meet.example.test');
  });

  test('a DNS answer outside the allow-list is refused', async () => {
    const e = await refused(net.route('outside.example.test', 443, signal()));
    assert.deepEqual(e.details, { address: OUTSIDE_ADDRESS });
    await refused(net.http('https://outside.example.test/', { signal: signal() }));
  });

  test('a name that does not exist is DNS_NXDOMAIN in http()', async () => {
    const x = await net.http('https://nope.example.test/', { signal: signal() });
    assert.equal(x.ok, false);
    assert.equal(x.error?.code, 'DNS_NXDOMAIN');
  });

  test('a DNS server that never answers is cut off by the signal', async () => {
    const timeoutMs = 400;
    const started = performance.now();
    const code = await failure(net.dnsQuery('slow.example.test', 'A', AbortSignal.timeout(timeoutMs)));
    assert.equal(code, 'TIMEOUT');
    assert.ok(performance.now() - started < 3 * timeoutMs);
    assert.ok(dns.requests.some((r) => r.url === 'slow.example.test'));
  });

  test('a DNS server that is not there is DNS_UNREACHABLE (the probe cannot do its job), not CONN_REFUSED', async () => {
    const port = await closedPort();
    await assert.rejects(
      client({ dnsServer: { host: '127.0.0.1', port } }).http(`https://matrix.example.test:${port}/`, { signal: signal() }),
      (e: ProbeError) => e instanceof ProbeError && e.code === 'DNS_UNREACHABLE' && /did not answer for matrix\.example\.test/.test(e.message),
    );
  });
});

describe('DNS through --dns-server: c-ares results and errors over dns2 (src/net/dns.ts)', () => {
  let dns: TestServer;
  let net: NetClient;
  const many = Array.from({ length: 40 }, (_, i) => `127.0.1.${i + 1}`);

  before(async () => {
    dns = await startDnsServer(
      {
        'matrix.example.test': [{ type: 'A', address: '127.0.0.1' }],
        'forged.example.test': [{ type: 'A', address: '127.0.0.1' }],
        'many.example.test': many.map((address) => ({ type: 'A' as const, address })),
        'txt.example.test': [
          { type: 'TXT', data: ['v=one', 'two'] },
          { type: 'TXT', data: 'three' },
        ],
        '_matrix-fed._tcp.root.example.test': [{ type: 'SRV', priority: 0, weight: 0, port: 0, target: '' }],
      },
      { silent: ['slow.example.test'], rcode: { 'broken.example.test': 2, 'closed.example.test': 5 }, tcp: true, forged: ['forged.example.test'] },
    );
    net = client({ dnsServer: { host: '127.0.0.1', port: dns.port } });
  });

  /** The error a query failed with. */
  async function rejection(promise: Promise<unknown>): Promise<NodeJS.ErrnoException> {
    try {
      await promise;
    } catch (error) {
      return error as NodeJS.ErrnoException;
    }
    assert.fail('expected the query to fail');
  }

  test('NXDOMAIN: ENOTFOUND from queryA, as c-ares (DNS_NXDOMAIN)', async () => {
    const e = await rejection(net.dnsQuery('nope.example.test', 'A', signal()));
    assert.equal(e.code, 'ENOTFOUND');
    assert.equal(e.syscall, 'queryA');
    assert.equal(classifyNetError(e).code, 'DNS_NXDOMAIN');
  });

  test('NODATA: ENODATA from queryAaaa (DNS_NODATA)', async () => {
    const e = await rejection(net.dnsQuery('matrix.example.test', 'AAAA', signal()));
    assert.equal(e.code, 'ENODATA');
    assert.equal(e.syscall, 'queryAaaa');
    assert.equal(classifyNetError(e).code, 'DNS_NODATA');
  });

  test('SERVFAIL: ESERVFAIL from querySrv (DNS_SERVFAIL); REFUSED: EREFUSED (DNS_REFUSED)', async () => {
    const servfail = await rejection(net.dnsQuery('broken.example.test', 'SRV', signal()));
    assert.equal(servfail.code, 'ESERVFAIL');
    assert.equal(servfail.syscall, 'querySrv');
    assert.equal(classifyNetError(servfail).code, 'DNS_SERVFAIL');
    const refusedAnswer = await rejection(net.dnsQuery('closed.example.test', 'A', signal()));
    assert.equal(refusedAnswer.code, 'EREFUSED');
    assert.equal(classifyNetError(refusedAnswer).code, 'DNS_REFUSED');
  });

  test('TXT: one array of character-strings per record', async () => {
    const got = (await net.dnsQuery('txt.example.test', 'TXT', signal())) as string[][];
    assert.deepEqual(got.map((r) => r.join('|')).sort(), ['three', 'v=one|two']);
  });

  test('SRV with the root target "." gives name "" (c-ares shape)', async () => {
    assert.deepEqual(await net.dnsQuery('_matrix-fed._tcp.root.example.test', 'SRV', signal()), [{ name: '', port: 0, priority: 0, weight: 0 }]);
  });

  test('an answer truncated over UDP (TC) is asked again over TCP', async () => {
    const got = (await net.dnsQuery('many.example.test', 'A', signal())) as string[];
    assert.deepEqual([...got].sort(), [...many].sort());
    assert.ok(dns.requests.some((r) => r.method === 'A' && r.url === 'many.example.test'));
    assert.ok(dns.requests.some((r) => r.method === 'A/tcp' && r.url === 'many.example.test'));
  });

  test('answers with another id, or from another port, are ignored', async () => {
    assert.deepEqual(await net.dnsQuery('forged.example.test', 'A', signal()), ['127.0.0.1']);
  });

  test('the signal cancels a query at once', async () => {
    const controller = new AbortController();
    const started = performance.now();
    const pending = net.dnsQuery('slow.example.test', 'A', controller.signal);
    setTimeout(() => controller.abort(new Error('stop')), 50);
    await assert.rejects(pending, /stop/);
    assert.ok(performance.now() - started < 1000);
  });

  test('no answer after every try: ETIMEOUT from queryA (DNS_TIMEOUT), each try sent', async () => {
    const before = dns.requests.filter((r) => r.url === 'slow.example.test').length;
    const e = await rejection(
      queryDnsServer('slow.example.test', 'A', { server: { host: '127.0.0.1', port: dns.port }, signal: signal(), timeoutMs: 100, tries: 2 }),
    );
    assert.equal(e.code, 'ETIMEOUT');
    assert.equal(e.syscall, 'queryA');
    assert.equal(classifyNetError(e).code, 'DNS_TIMEOUT');
    assert.equal(dns.requests.filter((r) => r.url === 'slow.example.test').length - before, 2);
  });

  test('a closed resolver port fails at once: ECONNREFUSED from querySrv (DNS_UNREACHABLE, not CONN_REFUSED)', async () => {
    const port = await closedPort();
    const started = performance.now();
    const e = await rejection(client({ dnsServer: { host: '127.0.0.1', port } }).dnsQuery('_matrix-fed._tcp.example.test', 'SRV', signal()));
    assert.equal(e.code, 'ECONNREFUSED');
    assert.equal(e.syscall, 'querySrv');
    assert.equal(classifyNetError(e).code, 'DNS_UNREACHABLE');
    assert.ok(performance.now() - started < 1000);
  });
});
