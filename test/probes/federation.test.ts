// The federation probe on loopback, step by step through the spec's server discovery ("Resolving server
// names", steps 1 to 6), against a dns2 server (SRV, A, CNAME records) and real HTTPS servers with test
// certificates playing the well-known host and the homeserver (a key server signed with signJson). Every
// name is a .test name; every address is loopback; port 443 and 8448 are mapped with --connect-to.

import assert from 'node:assert/strict';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { after, before, beforeEach, describe, test } from 'node:test';
import { buildInputs } from '../../src/engine/inputs.js';
import type { ProbeContext } from '../../src/engine/types.js';
import { publicKeyBase64, signJson } from '../../src/matrix/signing.js';
import { NetClient } from '../../src/net/client.js';
import { type ConnectToOverride, parseAllowTargets } from '../../src/net/targets.js';
import { type FederationArtifact, federationProbe, MAX_ADDRESSES, readKeys } from '../../src/probes/federation.js';
import type { WellKnownArtifact } from '../../src/probes/well-known.js';
import {
  closeAllServers,
  closedPort,
  type DnsRecord,
  OUTSIDE_ADDRESS,
  type Reply,
  type SeenRequest,
  startDnsServer,
  startHttpsServer,
  type TestServer,
} from '../helpers/servers.js';
import { issueLeaf, testCerts } from '../helpers/tls.js';

const certs = testCerts();
const LOOPBACK = parseAllowTargets('loopback');
const KEY_ID = 'ed25519:a_test';
const A = (address = '127.0.0.1'): DnsRecord => ({ type: 'A', address });
const SRV = (port: number, target: string, priority = 10, weight = 5): DnsRecord => ({ type: 'SRV', priority, weight, port, target });

/** What the test homeserver answers; tests change it. */
const state: {
  wellKnown?: Reply;
  serverName: string;
  validUntil: () => number;
  tamper: boolean;
  privateKey: KeyObject;
} = { serverName: 'example.test', validUntil: () => Date.now() + 24 * 3600_000, tamper: false, privateKey: generateKeyPairSync('ed25519').privateKey };

function keyResponse(): Record<string, unknown> {
  const signed = signJson(
    {
      server_name: state.serverName,
      valid_until_ts: state.validUntil(),
      verify_keys: { [KEY_ID]: { key: publicKeyBase64(state.privateKey) } },
      old_verify_keys: {},
    },
    state.serverName,
    KEY_ID,
    state.privateKey,
  );
  return state.tamper ? { ...signed, valid_until_ts: (signed.valid_until_ts as number) + 1 } : signed;
}

const homeserverRoutes = {
  '/.well-known/matrix/server': (_req: unknown, res: import('node:http').ServerResponse) => {
    const r = state.wellKnown ?? { status: 404, body: { errcode: 'M_NOT_FOUND' } };
    const body = typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
    res.writeHead(r.status ?? 200, { 'content-type': 'application/json', ...r.headers });
    res.end(body);
  },
  '/_matrix/federation/v1/version': { body: { server: { name: 'Synapse', version: '1.120.0' } } },
  '/_matrix/key/v2/server': (_req: unknown, res: import('node:http').ServerResponse) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(keyResponse()));
  },
};

let hs: TestServer;
let dns: TestServer;
const zone: Record<string, DnsRecord[]> = {};

before(async () => {
  hs = await startHttpsServer(homeserverRoutes);
  dns = await startDnsServer(zone);
});
after(closeAllServers);
beforeEach(() => {
  for (const k of Object.keys(zone)) delete zone[k];
  state.wellKnown = undefined;
  state.serverName = 'example.test';
  state.validUntil = () => Date.now() + 24 * 3600_000;
  state.tamper = false;
});

/** --connect-to host:port::toPort for each entry (the host is kept, so DNS is still asked). */
const toPort = (rules: [string, number, number][]): ConnectToOverride[] => rules.map(([host, port, to]) => ({ host, port, toPort: to }));

function context(opts: { serverName?: string; connectTo?: ConnectToOverride[]; timeoutMs?: number; dnsPort?: number } = {}): ProbeContext {
  const timeoutMs = opts.timeoutMs ?? 5000;
  return {
    inputs: buildInputs(opts.serverName ? { 'server-name': opts.serverName } : {}, {}, undefined, {}),
    signal: AbortSignal.timeout(timeoutMs + 1000),
    timeoutMs,
    addSecret: () => {},
    net: new NetClient({
      resolve: [],
      connectTo: opts.connectTo ?? [],
      dnsServer: { host: '127.0.0.1', port: opts.dnsPort ?? dns.port },
      extraCa: certs.ca.cert,
      allowTargets: LOOPBACK,
    }),
  };
}

async function probe(ctx: ProbeContext, deps: Record<string, unknown> = {}): Promise<FederationArtifact> {
  const value = await federationProbe.run(ctx, deps);
  assert.ok(!('skip' in value), JSON.stringify(value));
  return value as FederationArtifact;
}

/** The requests the homeserver saw for a path since `from`. */
const seen = (path: string, from: number): SeenRequest[] => hs.requests.slice(from).filter((r) => r.url === path);

/** The well-known of example.test on "443" is the test homeserver. */
const wellKnownOn443 = () => toPort([['example.test', 443, hs.port]]);

/** The context for example.test with these --connect-to rules ([host, port, to], as toPort). */
const exampleTest = (...rules: [string, number, number][]) => context({ serverName: 'example.test', connectTo: toPort(rules) });

function assertHealthyAddress(r: FederationArtifact, expect: { host: string; port: number; certificateName: string }) {
  assert.equal(r.addresses.length, 1, JSON.stringify(r.addresses));
  const [a] = r.addresses;
  assert.equal(a.address, '127.0.0.1');
  assert.equal(a.host, expect.host);
  assert.equal(a.port, expect.port);
  assert.equal(a.tls.ok, true, JSON.stringify(a.tls.error));
  assert.equal(a.tls.name, expect.certificateName);
  assert.equal(a.tls.evidence?.authorized, true);
  assert.equal(a.tls.evidence?.nameError, undefined);
  assert.equal(a.tls.evidence?.expectedName, expect.certificateName);
  assert.deepEqual(a.version?.server, { name: 'Synapse', version: '1.120.0' });
  assert.equal(a.version?.isMatrix, true);
  assert.equal(a.keys?.status, 200);
  assert.equal(a.keys?.serverName, 'example.test');
  assert.deepEqual(a.keys?.shapeErrors, []);
  assert.deepEqual(a.keys?.signatures, [{ keyId: KEY_ID, ok: true }]);
}

describe('steps 1 and 2: no lookup at all', () => {
  test('step 1: an IP literal with a port; certificate for the IP, no SNI, Host = the server name', async () => {
    const from = hs.requests.length;
    const dnsBefore = dns.requests.length;
    const r = await probe(context({ serverName: `127.0.0.1:${hs.port}` }));
    const d = r.discovery;
    assert.equal(d.step, '1');
    assert.equal(d.hostHeader, `127.0.0.1:${hs.port}`);
    assert.equal(d.certificateName, '127.0.0.1');
    assert.equal(d.sni, false);
    assert.equal(d.wellKnown, undefined);
    assert.equal(r.splitBrain, undefined);
    assertHealthyAddress(r, { host: '127.0.0.1', port: hs.port, certificateName: '127.0.0.1' });
    const [req] = seen('/_matrix/key/v2/server', from);
    assert.equal(req.host, `127.0.0.1:${hs.port}`);
    assert.ok(!req.servername, `SNI ${req.servername} sent for an IP certificate`);
    assert.equal(dns.requests.length, dnsBefore, 'no DNS query for an IP literal');
    assert.equal(seen('/.well-known/matrix/server', from).length, 0);
  });

  test('step 1: an IP literal without a port goes to 8448', async () => {
    const r = await probe(context({ serverName: '127.0.0.1', connectTo: toPort([['127.0.0.1', 8448, hs.port]]) }));
    assert.equal(r.discovery.step, '1');
    assert.equal(r.discovery.targets[0].port, 8448);
    assert.deepEqual(r.discovery.targets[0].connect, { host: '127.0.0.1', port: hs.port });
    assertHealthyAddress(r, { host: '127.0.0.1', port: 8448, certificateName: '127.0.0.1' });
  });

  test('step 2: an explicit port; no well-known, no SRV; Host = name:port', async () => {
    zone['example.test'] = [A()];
    zone['_matrix-fed._tcp.example.test'] = [SRV(1, 'nowhere.test')]; // must be ignored
    const from = hs.requests.length;
    const dnsBefore = dns.requests.length;
    const r = await probe(context({ serverName: `example.test:${hs.port}` }));
    assert.equal(r.discovery.step, '2');
    assert.equal(r.discovery.hostHeader, `example.test:${hs.port}`);
    assert.equal(r.discovery.certificateName, 'example.test');
    assert.deepEqual(r.discovery.srv, []);
    assertHealthyAddress(r, { host: 'example.test', port: hs.port, certificateName: 'example.test' });
    const [req] = seen('/_matrix/federation/v1/version', from);
    assert.equal(req.host, `example.test:${hs.port}`);
    assert.equal(req.servername, 'example.test');
    assert.equal(seen('/.well-known/matrix/server', from).length, 0);
    assert.deepEqual(
      dns.requests.slice(dnsBefore).filter((q) => q.method === 'SRV'),
      [],
    );
  });
});

describe('step 3: the well-known delegates', () => {
  test('3.1: to an IP literal with a port: certificate for the IP, no SNI, Host = the delegated netloc', async () => {
    zone['example.test'] = [A()];
    state.wellKnown = { body: { 'm.server': `127.0.0.1:${hs.port}` } };
    const from = hs.requests.length;
    const r = await probe(context({ serverName: 'example.test', connectTo: wellKnownOn443() }));
    const d = r.discovery;
    assert.equal(d.step, '3.1');
    assert.equal(d.wellKnown?.mServer, `127.0.0.1:${hs.port}`);
    assert.equal(d.wellKnown?.source, 'federation');
    assert.deepEqual(d.delegated, { server: `127.0.0.1:${hs.port}`, host: '127.0.0.1', port: hs.port, ipLiteral: true });
    assert.equal(d.hostHeader, `127.0.0.1:${hs.port}`);
    assert.equal(d.certificateName, '127.0.0.1');
    assert.equal(d.sni, false);
    assertHealthyAddress(r, { host: '127.0.0.1', port: hs.port, certificateName: '127.0.0.1' });
    const [req] = seen('/_matrix/key/v2/server', from);
    assert.equal(req.host, `127.0.0.1:${hs.port}`);
    assert.ok(!req.servername);
  });

  test('3.2: to a host with a port: no SRV lookup; Host = delegated host:port; certificate for the delegated host', async () => {
    zone['example.test'] = [A()];
    zone['matrix.example.test'] = [A()];
    zone['_matrix-fed._tcp.matrix.example.test'] = [SRV(1, 'nowhere.test')]; // must be ignored
    state.wellKnown = { body: { 'm.server': `matrix.example.test:${hs.port}` } };
    const from = hs.requests.length;
    const r = await probe(context({ serverName: 'example.test', connectTo: wellKnownOn443() }));
    const d = r.discovery;
    assert.equal(d.step, '3.2');
    assert.equal(d.hostHeader, `matrix.example.test:${hs.port}`);
    assert.equal(d.certificateName, 'matrix.example.test');
    assert.deepEqual(d.srv, []);
    assert.match(d.why, /explicit port/);
    assertHealthyAddress(r, { host: 'matrix.example.test', port: hs.port, certificateName: 'matrix.example.test' });
    const [req] = seen('/_matrix/federation/v1/version', from);
    assert.equal(req.host, `matrix.example.test:${hs.port}`);
    assert.equal(req.servername, 'matrix.example.test');
    const [wk] = seen('/.well-known/matrix/server', from);
    assert.equal(wk.servername, 'example.test');
  });

  test('3.3: to a host without a port with a _matrix-fed._tcp SRV: connect to the target, Host and certificate stay the delegated host', async () => {
    zone['example.test'] = [A()];
    zone['matrix.example.test'] = [A()];
    zone['fed-target.test'] = [A()];
    zone['_matrix-fed._tcp.matrix.example.test'] = [SRV(hs.port, 'fed-target.test')];
    state.wellKnown = { body: { 'm.server': 'matrix.example.test' } };
    const from = hs.requests.length;
    const r = await probe(context({ serverName: 'example.test', connectTo: wellKnownOn443() }));
    const d = r.discovery;
    assert.equal(d.step, '3.3');
    assert.equal(d.hostHeader, 'matrix.example.test');
    assert.equal(d.certificateName, 'matrix.example.test');
    assert.equal(d.srv[0].outcome, 'found');
    assert.deepEqual(d.srv[0].records, [{ target: 'fed-target.test', port: hs.port, priority: 10, weight: 5 }]);
    assert.equal(d.targets[0].host, 'fed-target.test');
    assert.equal(d.targets[0].cname, undefined);
    assertHealthyAddress(r, { host: 'fed-target.test', port: hs.port, certificateName: 'matrix.example.test' });
    const [req] = seen('/_matrix/key/v2/server', from);
    assert.equal(req.host, 'matrix.example.test', 'Host is the delegated host, not the SRV target');
    assert.equal(req.servername, 'matrix.example.test', 'SNI is the delegated host, not the SRV target');
  });

  test('3.4: only the deprecated _matrix._tcp SRV', async () => {
    zone['example.test'] = [A()];
    zone['matrix.example.test'] = [A()];
    zone['fed-target.test'] = [A()];
    zone['_matrix._tcp.matrix.example.test'] = [SRV(hs.port, 'fed-target.test')];
    state.wellKnown = { body: { 'm.server': 'matrix.example.test' } };
    const r = await probe(context({ serverName: 'example.test', connectTo: wellKnownOn443() }));
    assert.equal(r.discovery.step, '3.4');
    assert.deepEqual(
      r.discovery.srv.map((s) => [s.name, s.deprecated, s.outcome]),
      [
        ['_matrix-fed._tcp.matrix.example.test', false, 'none'],
        ['_matrix._tcp.matrix.example.test', true, 'found'],
      ],
    );
    assertHealthyAddress(r, { host: 'fed-target.test', port: hs.port, certificateName: 'matrix.example.test' });
  });

  test('3.5: a host without a port and no SRV: port 8448 of the delegated host', async () => {
    zone['example.test'] = [A()];
    zone['matrix.example.test'] = [A()];
    state.wellKnown = { body: { 'm.server': 'matrix.example.test' } };
    const from = hs.requests.length;
    const r = await probe(exampleTest(['example.test', 443, hs.port], ['matrix.example.test', 8448, hs.port]));
    assert.equal(r.discovery.step, '3.5');
    assert.equal(r.discovery.hostHeader, 'matrix.example.test');
    assertHealthyAddress(r, { host: 'matrix.example.test', port: 8448, certificateName: 'matrix.example.test' });
    assert.equal(seen('/_matrix/key/v2/server', from)[0].host, 'matrix.example.test');
  });

  test("the wellKnown probe's artifact is used when it is there (no second fetch)", async () => {
    zone['matrix.example.test'] = [A()];
    zone['example.test'] = [A()];
    const fromWellKnownProbe = {
      serverName: 'example.test',
      serverNameSource: 'server-name',
      host: 'example.test',
      ipLiteral: false,
      server: {
        url: 'https://example.test/.well-known/matrix/server',
        finalUrl: 'https://example.test/.well-known/matrix/server',
        ok: true,
        status: 200,
        redirects: [],
        headers: {},
        bodyBytes: 40,
        truncated: false,
        bodyExcerpt: `{"m.server":"matrix.example.test:${hs.port}"}`,
        json: { 'm.server': `matrix.example.test:${hs.port}` },
        mServer: `matrix.example.test:${hs.port}`,
        durationMs: 1,
      },
    } as unknown as WellKnownArtifact;
    const from = hs.requests.length;
    const r = await probe(context({ serverName: 'example.test' }), { wellKnown: fromWellKnownProbe });
    assert.equal(r.discovery.step, '3.2');
    assert.equal(r.discovery.wellKnown?.source, 'wellKnown');
    assert.equal(seen('/.well-known/matrix/server', from).length, 0);
  });

  test('a well-known whose certificate the wellKnown probe found untrusted is an error: step 4 on', async () => {
    zone['example.test'] = [A()];
    const untrusted = {
      host: 'example.test',
      server: {
        url: 'https://example.test/.well-known/matrix/server',
        status: 200,
        truncated: false,
        bodyExcerpt: '{"m.server":"matrix.example.test:443"}',
        json: { 'm.server': 'matrix.example.test:443' },
        tls: { authorized: false, authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT', subjectAltNames: [], protocol: 'TLSv1.3' },
      },
    } as unknown as WellKnownArtifact;
    const r = await probe(exampleTest(['example.test', 8448, hs.port]), { wellKnown: untrusted });
    assert.equal(r.discovery.step, '6');
    assert.match(r.discovery.wellKnown?.invalid ?? '', /certificate is rejected \(DEPTH_ZERO_SELF_SIGNED_CERT\)/);
  });
});

describe('steps 4 to 6: no usable well-known', () => {
  test('4: the well-known is a 404; _matrix-fed._tcp of the server name; Host and certificate are the server name', async () => {
    zone['example.test'] = [A()];
    zone['fed-target.test'] = [A()];
    zone['_matrix-fed._tcp.example.test'] = [SRV(hs.port, 'fed-target.test')];
    const from = hs.requests.length;
    const r = await probe(context({ serverName: 'example.test', connectTo: wellKnownOn443() }));
    const d = r.discovery;
    assert.equal(d.step, '4');
    assert.equal(d.wellKnown?.status, 404);
    assert.equal(d.wellKnown?.invalid, 'it answered HTTP 404');
    assert.equal(d.hostHeader, 'example.test');
    assert.equal(d.certificateName, 'example.test');
    assertHealthyAddress(r, { host: 'fed-target.test', port: hs.port, certificateName: 'example.test' });
    const [req] = seen('/_matrix/key/v2/server', from);
    assert.equal(req.host, 'example.test');
    assert.equal(req.servername, 'example.test');
  });

  for (const [what, reply, pattern] of [
    ['not JSON', { body: 'hello' }, /not JSON/],
    ['no m.server', { body: { 'm.homeserver': {} } }, /no m\.server/],
    ['m.server not a string', { body: { 'm.server': 8448 } }, /not a string/],
    ['m.server not a server name', { body: { 'm.server': 'https://matrix.example.test/' } }, /not a server name/],
    ['a JSON array', { body: '[1]' }, /not a JSON object/],
  ] as [string, Reply, RegExp][]) {
    test(`an invalid well-known (${what}) goes on at step 4`, async () => {
      zone['example.test'] = [A()];
      state.wellKnown = reply;
      const r = await probe(exampleTest(['example.test', 443, hs.port], ['example.test', 8448, hs.port]));
      assert.equal(r.discovery.step, '6');
      assert.match(r.discovery.wellKnown?.invalid ?? '', pattern);
    });
  }

  test('a well-known over 50 KiB is invalid', async () => {
    zone['example.test'] = [A()];
    state.wellKnown = { body: JSON.stringify({ 'm.server': 'matrix.example.test:443', padding: 'x'.repeat(60 * 1024) }) };
    const r = await probe(exampleTest(['example.test', 443, hs.port], ['example.test', 8448, hs.port]));
    assert.equal(r.discovery.step, '6');
    assert.match(r.discovery.wellKnown?.invalid ?? '', /larger than 50 KiB/);
  });

  test('5: only the deprecated _matrix._tcp of the server name', async () => {
    zone['example.test'] = [A()];
    zone['fed-target.test'] = [A()];
    zone['_matrix._tcp.example.test'] = [SRV(hs.port, 'fed-target.test')];
    const r = await probe(context({ serverName: 'example.test', connectTo: wellKnownOn443() }));
    assert.equal(r.discovery.step, '5');
    assertHealthyAddress(r, { host: 'fed-target.test', port: hs.port, certificateName: 'example.test' });
  });

  test('6: no well-known at all (connection refused) and no SRV: 8448 of the server name', async () => {
    zone['example.test'] = [A()];
    const dead = await closedPort();
    const r = await probe(exampleTest(['example.test', 443, dead], ['example.test', 8448, hs.port]));
    assert.equal(r.discovery.step, '6');
    assert.match(r.discovery.wellKnown?.invalid ?? '', /CONN_REFUSED/);
    assertHealthyAddress(r, { host: 'example.test', port: 8448, certificateName: 'example.test' });
  });

  test('SRV records are ordered by priority, and every target is probed', async () => {
    zone['example.test'] = [A()];
    zone['b.test'] = [A()];
    zone['a.test'] = [A()];
    zone['_matrix-fed._tcp.example.test'] = [SRV(hs.port, 'b.test', 20), SRV(hs.port, 'a.test', 10)];
    const r = await probe(context({ serverName: 'example.test', connectTo: wellKnownOn443() }));
    assert.deepEqual(
      r.discovery.targets.map((t) => t.host),
      ['a.test', 'b.test'],
    );
    assert.deepEqual(
      r.addresses.map((a) => [a.host, a.tls.name, a.keys?.signatures[0]?.ok]),
      [
        ['a.test', 'example.test', true],
        ['b.test', 'example.test', true],
      ],
    );
  });
});

describe('DNS problems are evidence', () => {
  test('an SRV target that is a CNAME', async () => {
    zone['example.test'] = [A()];
    zone['alias.test'] = [{ type: 'CNAME', domain: 'fed-target.test' }, A()];
    zone['_matrix-fed._tcp.example.test'] = [SRV(hs.port, 'alias.test')];
    const r = await probe(context({ serverName: 'example.test', connectTo: wellKnownOn443() }));
    assert.equal(r.discovery.targets[0].cname, 'fed-target.test');
  });

  test('a host without an address', async () => {
    zone['example.test'] = [A()];
    state.wellKnown = { body: { 'm.server': 'missing.test:8448' } };
    const r = await probe(context({ serverName: 'example.test', connectTo: wellKnownOn443() }));
    assert.equal(r.discovery.step, '3.2');
    assert.equal(r.discovery.targets[0].error?.code, 'DNS_NXDOMAIN');
    assert.deepEqual(r.addresses, []);
  });

  test('a server name that does not resolve at all: the well-known fails, then 8448 of a name with no address', async () => {
    const r = await probe(context({ serverName: 'nowhere.test' }));
    assert.equal(r.discovery.step, '6');
    assert.match(r.discovery.wellKnown?.invalid ?? '', /DNS_NXDOMAIN/);
    assert.equal(r.discovery.targets[0].error?.code, 'DNS_NXDOMAIN');
  });

  test('addresses are capped', async () => {
    zone['example.test'] = [A()];
    zone['many.test'] = Array.from({ length: MAX_ADDRESSES + 2 }, (_, i) => A(`127.0.0.${i + 1}`));
    state.wellKnown = { body: { 'm.server': `many.test:${hs.port}` } };
    const r = await probe(context({ serverName: 'example.test', connectTo: wellKnownOn443() }));
    assert.equal(r.addresses.length, MAX_ADDRESSES);
    assert.deepEqual(r.truncated, { total: MAX_ADDRESSES + 2, kept: MAX_ADDRESSES });
    assert.equal(r.addresses.find((a) => a.address === '127.0.0.1')?.tls.ok, true);
    assert.equal(r.addresses.find((a) => a.address === '127.0.0.2')?.tls.error?.code, 'CONN_REFUSED');
  });
});

describe('each address on its own', () => {
  test('a delegation to a dead port: CONN_REFUSED, no HTTP requests', async () => {
    zone['example.test'] = [A()];
    zone['matrix.example.test'] = [A()];
    const dead = await closedPort();
    state.wellKnown = { body: { 'm.server': `matrix.example.test:${dead}` } };
    const r = await probe(context({ serverName: 'example.test', connectTo: wellKnownOn443() }));
    const [a] = r.addresses;
    assert.equal(a.tls.ok, false);
    assert.equal(a.tls.error?.code, 'CONN_REFUSED');
    assert.equal(a.version, undefined);
    assert.equal(a.keys, undefined);
  });

  test('a certificate for another name: the evidence is still gathered, with the name verdict', async () => {
    const wrong = issueLeaf(['other.test']);
    const other = await startHttpsServer(homeserverRoutes, { cert: wrong.cert, key: wrong.key });
    try {
      zone['example.test'] = [A()];
      zone['matrix.example.test'] = [A()];
      state.wellKnown = { body: { 'm.server': `matrix.example.test:${other.port}` } };
      const r = await probe(context({ serverName: 'example.test', connectTo: wellKnownOn443() }));
      const [a] = r.addresses;
      assert.equal(a.tls.ok, true);
      assert.equal(a.tls.evidence?.authorized, true, 'the chain is fine');
      assert.match(a.tls.evidence?.nameError ?? '', /matrix\.example\.test/);
      assert.deepEqual(a.tls.evidence?.subjectAltNames, ['DNS:other.test']);
      assert.equal(a.version?.isMatrix, true);
      assert.deepEqual(a.keys?.signatures, [{ keyId: KEY_ID, ok: true }]);
    } finally {
      await other.close();
    }
  });

  test('expired and self-signed certificates: chain verdicts', async () => {
    for (const [pair, error] of [
      [certs.expired, 'CERT_HAS_EXPIRED'],
      [certs.selfSigned, 'DEPTH_ZERO_SELF_SIGNED_CERT'],
    ] as const) {
      const s = await startHttpsServer(homeserverRoutes, { cert: pair.cert, key: pair.key });
      try {
        const r = await probe(context({ serverName: `127.0.0.1:${s.port}` }));
        const [a] = r.addresses;
        assert.equal(a.tls.evidence?.authorized, false);
        assert.equal(a.tls.evidence?.authorizationError, error);
        assert.equal(a.version?.isMatrix, true, 'version is still asked (verifyTls: false)');
      } finally {
        await s.close();
      }
    }
  });

  test('a tampered key response, another server_name, an expired key: all recorded', async () => {
    state.tamper = true;
    state.serverName = 'other.test';
    state.validUntil = () => Date.now() - 1000;
    const r = await probe(context({ serverName: `127.0.0.1:${hs.port}` }));
    const k = r.addresses[0].keys;
    assert.equal(k?.serverName, 'other.test');
    assert.equal(k?.signedBy, 'other.test');
    assert.ok((k?.validUntilTs ?? Infinity) < Date.now());
    assert.equal(k?.signatures[0].ok, false);
    assert.equal(k?.signatures[0].reason, 'invalid-signature');
    assert.ok(r.checkedAt <= Date.now());
  });

  test('a well-known that differs between the addresses of the server name (split brain)', async (t) => {
    const second = await startHttpsServer(
      { '/.well-known/matrix/server': { body: { 'm.server': 'old.example.test:8448' } } },
      { host: '127.0.0.2', port: hs.port },
    ).catch(() => undefined);
    if (!second) {
      t.skip(`port ${hs.port} is taken on 127.0.0.2`);
      return;
    }
    try {
      zone['example.test'] = [A('127.0.0.1'), A('127.0.0.2')];
      zone['matrix.example.test'] = [A()];
      state.wellKnown = { body: { 'm.server': `matrix.example.test:${hs.port}` } };
      const r = await probe(context({ serverName: 'example.test', connectTo: wellKnownOn443() }));
      assert.equal(r.splitBrain?.differs, true);
      assert.deepEqual(
        r.splitBrain?.answers.map((a) => [a.address, a.answer]),
        [
          ['127.0.0.1', `m.server matrix.example.test:${hs.port}`],
          ['127.0.0.2', 'm.server old.example.test:8448'],
        ],
      );
    } finally {
      await second.close();
    }
  });
});

describe('refusals and resolver failures end the probe', () => {
  test('a delegation outside --allow-targets is TARGET_NOT_ALLOWED', async () => {
    zone['example.test'] = [A()];
    zone['outside.test'] = [A(OUTSIDE_ADDRESS)];
    state.wellKnown = { body: { 'm.server': 'outside.test:8448' } };
    await assert.rejects(probe(context({ serverName: 'example.test', connectTo: wellKnownOn443() })), { code: 'TARGET_NOT_ALLOWED' });
  });

  test('a DNS server that is not there is DNS_UNREACHABLE', async () => {
    const port = await closedPort();
    await assert.rejects(probe(context({ serverName: 'example.test', dnsPort: port })), (e: { code?: string }) => e.code === 'DNS_UNREACHABLE');
  });

  test('no server name: skip', async () => {
    const value = await federationProbe.run(context({}), {});
    assert.deepEqual(value, { skip: 'no server name (give --server-name, or a homeserver.yaml with server_name)' });
  });
});

describe('readKeys', () => {
  const key = generateKeyPairSync('ed25519').privateKey;
  const body = (object: Record<string, unknown>) => JSON.stringify(object);
  const report = { url: 'https://x/_matrix/key/v2/server', hostHeader: 'x', status: 200 };
  const signed = (extra: Record<string, unknown> = {}) =>
    signJson(
      { server_name: 'example.test', valid_until_ts: 1, verify_keys: { [KEY_ID]: { key: publicKeyBase64(key) } }, ...extra },
      'example.test',
      KEY_ID,
      key,
    );

  test('a good response', () => {
    const k = readKeys(report, body(signed()));
    assert.deepEqual(k.signatures, [{ keyId: KEY_ID, ok: true }]);
    assert.deepEqual(k.shapeErrors, []);
    assert.deepEqual(
      k.verifyKeys.map((v) => v.keyId),
      [KEY_ID],
    );
  });

  test('shape problems', () => {
    assert.deepEqual(readKeys(report, '[]').shapeErrors, ['the response is not a JSON object']);
    assert.deepEqual(readKeys(report, '{}').shapeErrors, ['server_name is missing', 'valid_until_ts is missing', 'verify_keys is missing']);
    assert.deepEqual(readKeys(report, body({ server_name: 1, valid_until_ts: 1.5, verify_keys: { 'ed25519:x': {} }, old_verify_keys: [] })).shapeErrors, [
      'server_name is not a string',
      'valid_until_ts is not an integer',
      'verify_keys["ed25519:x"] has no key string',
      'old_verify_keys is not an object',
    ]);
    assert.match(readKeys(report, '{').parseError ?? '', /JSON/);
  });

  test('a missing signature, a bad key id, another algorithm', () => {
    const unsigned = { ...signed(), signatures: {} };
    assert.equal(readKeys(report, body(unsigned)).signatures[0].reason, 'no-signature');
    const badId = signJson(
      { server_name: 'example.test', valid_until_ts: 1, verify_keys: { 'ed25519:a-b': { key: publicKeyBase64(key) } } },
      'example.test',
      'ed25519:a-b',
      key,
    );
    assert.equal(readKeys(report, body(badId)).signatures[0].reason, 'bad-key-id');
    const other = readKeys(report, body(signed({ verify_keys: { 'curve25519:x': { key: 'abc' } } })));
    assert.deepEqual(other.signatures, []);
    assert.deepEqual(
      other.verifyKeys.map((v) => v.algorithm),
      ['curve25519'],
    );
  });

  test('nothing is read from a non-200 answer', () => {
    const k = readKeys({ ...report, status: 404 }, '{}');
    assert.deepEqual(k.shapeErrors, []);
    assert.equal(k.parseError, undefined);
  });
});
