// federation: every code and message it declares, judged on hand-built probe results (the probe itself
// is tested on loopback in test/probes/federation.test.ts, the whole path in test/integration/).

import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import check from '../../checks/federation/index.js';
import type { CheckResult } from '../../src/engine/types.js';
import type { TlsEvidence } from '../../src/net/client.js';
import type { AddressReport, Discovery, FederationArtifact, KeysReport, ResolvedTarget, SrvLookup } from '../../src/probes/federation.js';
import { Coverage, codes, homeserverArtifact, judge, one } from '../helpers/judge.js';

const coverage = new Coverage(check);
const NOW = Date.parse('2026-11-26T12:00:00Z');
const DAY = 24 * 3600_000;
const ADDRESS = '203.0.113.5';
const KEYS_URL = 'https://matrix.example.com:443/_matrix/key/v2/server';
const VERSION_URL = 'https://matrix.example.com:443/_matrix/federation/v1/version';

/** `Mon DD HH:MM:SS YYYY GMT`, as Node's getPeerCertificate() gives dates. */
const certDate = (ms: number) => {
  const d = new Date(ms);
  const month = d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  return `${month} ${String(d.getUTCDate()).padStart(2, ' ')} ${d.toISOString().slice(11, 19)} ${d.getUTCFullYear()} GMT`;
};

function tls(overrides: Partial<TlsEvidence> = {}): TlsEvidence {
  return {
    protocol: 'TLSv1.3',
    authorized: true,
    expectedName: 'matrix.example.com',
    subject: 'matrix.example.com',
    subjectAltNames: ['DNS:matrix.example.com'],
    issuer: 'R11',
    validFrom: certDate(NOW - 30 * DAY),
    validTo: certDate(NOW + 60 * DAY),
    ...overrides,
  };
}

function keys(overrides: Partial<KeysReport> = {}): KeysReport {
  return {
    url: KEYS_URL,
    hostHeader: 'matrix.example.com:443',
    status: 200,
    shapeErrors: [],
    serverName: 'example.com',
    validUntilTs: NOW + DAY,
    verifyKeys: [{ keyId: 'ed25519:a_abcd', algorithm: 'ed25519', key: 'XGX0JRS2Af3be3knz2fBiRbApjm2Dh61gXDJA8kcJNI' }],
    oldVerifyKeys: [],
    signedBy: 'example.com',
    signatures: [{ keyId: 'ed25519:a_abcd', ok: true }],
    ...overrides,
  };
}

function address(overrides: Partial<AddressReport> = {}): AddressReport {
  return {
    address: ADDRESS,
    family: 4,
    host: 'matrix.example.com',
    port: 443,
    tls: { ok: true, name: 'matrix.example.com', sni: true, evidence: tls() },
    version: {
      url: VERSION_URL,
      hostHeader: 'matrix.example.com:443',
      status: 200,
      bodyExcerpt: '{"server":{"name":"Synapse","version":"1.120.0"}}',
      server: { name: 'Synapse', version: '1.120.0' },
      isMatrix: true,
    },
    keys: keys(),
    ...overrides,
  };
}

function target(overrides: Partial<ResolvedTarget> = {}): ResolvedTarget {
  return { host: 'matrix.example.com', port: 443, addresses: [{ address: ADDRESS, family: 4 }], ...overrides };
}

/** The lookup of _matrix-fed._tcp.<host> (deprecated: _matrix._tcp.<host>), which found nothing unless `overrides` say otherwise. */
const srvLookup = (host: string, deprecated: boolean, overrides: Partial<SrvLookup> = {}): SrvLookup => ({
  name: `${deprecated ? '_matrix' : '_matrix-fed'}._tcp.${host}`,
  deprecated,
  outcome: 'none',
  records: [],
  ...overrides,
});
const srvNone = (host: string, deprecated: boolean) => srvLookup(host, deprecated);
/** An SRV record for fed.example.com:8448. */
const FED_RECORD = { target: 'fed.example.com', port: 8448, priority: 10, weight: 5 };

/** Step 3.2: example.com delegates to matrix.example.com:443 (the usual nginx setup). */
function discovery(overrides: Partial<Discovery> = {}): Discovery {
  return {
    serverName: 'example.com',
    source: '--server-name',
    hostname: 'example.com',
    step: '3.2',
    why: 'the well-known delegates to matrix.example.com:443, a host with an explicit port',
    wellKnown: {
      source: 'wellKnown',
      url: 'https://example.com/.well-known/matrix/server',
      status: 200,
      mServer: 'matrix.example.com:443',
      bodyExcerpt: '{"m.server": "matrix.example.com:443"}',
    },
    delegated: { server: 'matrix.example.com:443', host: 'matrix.example.com', port: 443, ipLiteral: false },
    srv: [],
    hostHeader: 'matrix.example.com:443',
    certificateName: 'matrix.example.com',
    sni: true,
    targets: [target()],
    ...overrides,
  };
}

function artifact(overrides: Partial<FederationArtifact> = {}): FederationArtifact {
  return { checkedAt: NOW, discovery: discovery(), addresses: [address()], ...overrides };
}

async function run(value: FederationArtifact, extra: Record<string, unknown> = {}): Promise<CheckResult> {
  return coverage.record(await judge(check, { federation: value, ...extra }));
}

/** The codes of a result without the informational notes (the step, and each address's connection report). */
const problems = (r: CheckResult) => codes(r).filter((c) => !c.startsWith('MXD-FED-001') && !c.startsWith('MXD-FED-017'));
/** The connection reports (MXD-FED-017) of a result, in address order. */
const reports = (r: CheckResult) => r.findings.filter((f) => f.code === 'MXD-FED-017');

/** Step 6: no well-known, no SRV, port 8448 on the server name. */
function step6(overrides: Partial<Discovery> = {}): Discovery {
  return discovery({
    step: '6',
    why: 'no usable well-known (it answered HTTP 404) and no SRV record',
    wellKnown: { source: 'wellKnown', url: 'https://example.com/.well-known/matrix/server', status: 404, invalid: 'it answered HTTP 404' },
    delegated: undefined,
    srv: [srvNone('example.com', false), srvNone('example.com', true)],
    hostHeader: 'example.com',
    certificateName: 'example.com',
    targets: [target({ host: 'example.com', port: 8448 })],
    ...overrides,
  });
}

after(() => {
  assert.deepEqual(coverage.missing(), [], 'code:messageId pairs no test produced');
});

describe('MXD-FED-001: the discovery step, as a note', () => {
  test('a healthy delegated deployment passes with only the step note and the connection report', async () => {
    const r = await run(artifact());
    assert.equal(r.status, 'pass');
    assert.deepEqual(codes(r), ['MXD-FED-001:delegated', 'MXD-FED-017:ok']);
    const f = one(r, 'MXD-FED-001', 'delegated');
    assert.equal(f.severity, 'info');
    assert.ok(f.message.startsWith('Delegated via well-known to matrix.example.com:443 (step 3.2)'), f.message);
    assert.match(f.message, /Host: matrix\.example\.com:443/);
    assert.match(f.message, /certificate for matrix\.example\.com/);
    assert.deepEqual(f.location, { host: 'example.com' });
    assert.equal(f.evidence.step, '3.2');
    assert.equal(f.docs, 'docs/codes/MXD-FED-001.md');
  });

  test('step 1: an IP literal', async () => {
    const r = await run(
      artifact({
        discovery: discovery({
          serverName: '203.0.113.5',
          hostname: '203.0.113.5',
          step: '1',
          wellKnown: undefined,
          delegated: undefined,
          hostHeader: '203.0.113.5',
          certificateName: '203.0.113.5',
          sni: false,
          targets: [target({ host: ADDRESS, port: 8448 })],
        }),
        addresses: [],
      }),
    );
    const f = one(r, 'MXD-FED-001', 'ipLiteral');
    assert.match(f.message, /203\.0\.113\.5:8448 \(step 1\).*IP address 203\.0\.113\.5, without SNI/);
  });

  test('step 2: an explicit port', async () => {
    const r = await run(
      artifact({
        discovery: discovery({
          serverName: 'example.com:8449',
          port: 8449,
          step: '2',
          wellKnown: undefined,
          delegated: undefined,
          hostHeader: 'example.com:8449',
          certificateName: 'example.com',
          targets: [target({ host: 'example.com', port: 8449 })],
        }),
        addresses: [],
      }),
    );
    assert.match(one(r, 'MXD-FED-001', 'explicitPort').message, /example\.com:8449 \(step 2\) with Host: example\.com:8449/);
  });

  test('step 4: the _matrix-fed._tcp SRV record of the server name', async () => {
    const srv = srvLookup('example.com', false, { outcome: 'found', records: [FED_RECORD] });
    const r = await run(
      artifact({
        discovery: step6({
          step: '4',
          srv: [srv, srvNone('example.com', true)],
          targets: [target({ host: 'fed.example.com', port: 8448, srv: { priority: 10, weight: 5 } })],
        }),
        addresses: [],
      }),
    );
    const f = one(r, 'MXD-FED-001', 'srv');
    assert.match(f.message, /No usable well-known \(it answered HTTP 404\); _matrix-fed\._tcp\.example\.com is used \(step 4\)/);
    assert.match(f.message, /fed\.example\.com:8448 with Host: example\.com and expect a certificate for example\.com/);
    assert.deepEqual(problems(r), []);
  });

  test('step 6: port 8448 of the server name', async () => {
    const r = await run(artifact({ discovery: step6(), addresses: [] }));
    assert.match(one(r, 'MXD-FED-001', 'defaultPort').message, /example\.com:8448 \(step 6\)/);
  });
});

describe('MXD-FED-002: the host does not resolve', () => {
  test('no A/AAAA record for the delegated host', async () => {
    const r = await run(
      artifact({
        discovery: discovery({ targets: [target({ addresses: [], error: { code: 'DNS_NXDOMAIN', message: 'queryA ENOTFOUND matrix.example.com' } })] }),
        addresses: [],
      }),
    );
    assert.equal(r.status, 'fail');
    const f = one(r, 'MXD-FED-002', 'noAddress');
    assert.match(
      f.message,
      /^matrix\.example\.com has no A or AAAA record \(DNS_NXDOMAIN\); at step 3\.2 other servers must connect to matrix\.example\.com:443/,
    );
    assert.ok(f.fix?.steps.some((s) => s.startsWith('matrix.example.com. 3600 IN A')));
  });

  test('at step 6 the fix also offers delegation', async () => {
    const r = await run(
      artifact({
        discovery: step6({ targets: [target({ host: 'example.com', port: 8448, addresses: [], error: { code: 'DNS_NODATA', message: '' } })] }),
        addresses: [],
      }),
    );
    const f = one(r, 'MXD-FED-002', 'noAddress');
    assert.ok(f.fix?.steps.some((s) => s.includes('/.well-known/matrix/server')));
  });

  test('the SRV lookup fails', async () => {
    const failed = srvLookup('example.com', false, { outcome: 'error', error: { code: 'DNS_SERVFAIL', message: 'querySrv ESERVFAIL' } });
    const r = await run(artifact({ discovery: step6({ step: '4', srv: [failed, srvNone('example.com', true)], targets: [] }), addresses: [] }));
    assert.match(one(r, 'MXD-FED-002', 'srvFailed').message, /_matrix-fed\._tcp\.example\.com failed \(DNS_SERVFAIL/);
  });

  test('the SRV record says "." (no service)', async () => {
    const dot = srvLookup('example.com', false, { outcome: 'unavailable', records: [{ target: '.', port: 0, priority: 0, weight: 0 }] });
    const r = await run(artifact({ discovery: step6({ step: '4', srv: [dot, srvNone('example.com', true)], targets: [] }), addresses: [] }));
    assert.match(one(r, 'MXD-FED-002', 'srvUnavailable').message, /has the target "\."/);
  });
});

describe('MXD-FED-003 and MXD-FED-004: SRV records', () => {
  const old = srvLookup('matrix.example.com', true, { outcome: 'found', records: [FED_RECORD] });

  test('only the deprecated _matrix._tcp record', async () => {
    const r = await run(
      artifact({
        discovery: discovery({
          step: '3.4',
          delegated: { server: 'matrix.example.com', host: 'matrix.example.com', ipLiteral: false },
          srv: [srvNone('matrix.example.com', false), old],
          hostHeader: 'matrix.example.com',
          targets: [target({ host: 'fed.example.com', port: 8448, srv: { priority: 10, weight: 5 } })],
        }),
        addresses: [address({ host: 'fed.example.com', port: 8448 })],
      }),
    );
    assert.equal(r.status, 'warn');
    assert.deepEqual(problems(r), ['MXD-FED-003:deprecated']);
    const f = one(r, 'MXD-FED-003', 'deprecated');
    assert.match(f.message, /_matrix\._tcp\.matrix\.example\.com exists \(no _matrix-fed\._tcp\.matrix\.example\.com\)/);
    assert.deepEqual(f.fix?.steps, ['_matrix-fed._tcp.matrix.example.com. 3600 IN SRV 10 5 8448 fed.example.com.']);
  });

  test('an SRV target that is a CNAME', async () => {
    const fed: SrvLookup = { ...old, name: '_matrix-fed._tcp.example.com', deprecated: false };
    const r = await run(
      artifact({
        discovery: step6({
          step: '4',
          srv: [fed, srvNone('example.com', true)],
          targets: [target({ host: 'fed.example.com', port: 8448, srv: { priority: 10, weight: 5 }, cname: 'host1.example.net' })],
        }),
        addresses: [],
      }),
    );
    const f = one(r, 'MXD-FED-004', 'cname');
    assert.match(f.message, /points to fed\.example\.com, which is a CNAME \(alias of host1\.example\.net\)/);
    assert.deepEqual(f.fix?.steps, ['_matrix-fed._tcp.example.com. 3600 IN SRV 10 5 8448 host1.example.net.']);
  });
});

describe('MXD-FED-005: split-brain well-known', () => {
  test('two addresses, two answers', async () => {
    const r = await run(
      artifact({
        splitBrain: {
          host: 'example.com',
          differs: true,
          answers: [
            { address: '203.0.113.5', status: 200, mServer: 'matrix.example.com:443', answer: 'm.server matrix.example.com:443' },
            { address: '2001:db8::5', status: 404, invalid: 'it answered HTTP 404', answer: 'HTTP 404: it answered HTTP 404' },
          ],
        },
      }),
    );
    const f = one(r, 'MXD-FED-005', 'differs');
    assert.match(f.message, /203\.0\.113\.5: m\.server matrix\.example\.com:443; 2001:db8::5: HTTP 404/);
    assert.ok(f.fix?.steps.some((s) => s.includes('--resolve example.com:443:2001:db8::5')));
  });

  test('the same answer everywhere is fine', async () => {
    const same = { status: 200, mServer: 'matrix.example.com:443', answer: 'm.server matrix.example.com:443' };
    const r = await run(
      artifact({
        splitBrain: {
          host: 'example.com',
          differs: false,
          answers: [
            { address: '203.0.113.5', ...same },
            { address: '2001:db8::5', ...same },
          ],
        },
      }),
    );
    assert.deepEqual(problems(r), []);
  });
});

describe('MXD-FED-006: connection failures', () => {
  for (const [code, messageId, pattern] of [
    ['CONN_REFUSED', 'refused', /port 443 \(matrix\.example\.com\) was refused/],
    ['TIMEOUT', 'timeout', /timed out: a firewall/],
    ['HOST_UNREACHABLE', 'unreachable', /is unreachable \(HOST_UNREACHABLE/],
    ['TLS_HANDSHAKE', 'handshake', /TLS handshake .* failed .*certificate for matrix\.example\.com/],
    ['CONN_RESET', 'handshake', /TLS handshake/],
    ['EWHATEVER', 'other', /failed \(EWHATEVER: boom\)/],
  ] as const) {
    test(`${code} is ${messageId}`, async () => {
      const r = await run(
        artifact({
          addresses: [
            address({ tls: { ok: false, name: 'matrix.example.com', sni: true, error: { code, message: 'boom' } }, version: undefined, keys: undefined }),
          ],
        }),
      );
      assert.equal(r.status, 'fail');
      assert.deepEqual(problems(r), [`MXD-FED-006:${messageId}`]);
      const f = one(r, 'MXD-FED-006', messageId);
      assert.match(f.message, pattern);
      assert.deepEqual(f.location, { url: 'https://matrix.example.com:443' });
      if (messageId === 'refused') {
        assert.ok(f.fix?.steps.some((s) => s.includes('listen 443 ssl;')));
        assert.ok(f.fix?.steps.some((s) => s.includes('ufw allow 443/tcp')));
      }
    });
  }
});

describe('TLS: MXD-FED-007 to MXD-FED-010', () => {
  const withTls = (t: Partial<TlsEvidence>) =>
    artifact({ addresses: [address({ tls: { ok: true, name: 'matrix.example.com', sni: true, evidence: tls(t) } })] });

  test('a self-signed certificate is not trusted', async () => {
    const r = await run(withTls({ authorized: false, authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT', issuer: 'matrix.example.com' }));
    assert.deepEqual(problems(r), ['MXD-FED-007:untrusted']);
    const f = one(r, 'MXD-FED-007', 'untrusted');
    assert.match(f.message, /not trusted \(DEPTH_ZERO_SELF_SIGNED_CERT, issuer matrix\.example\.com\).*self-signed certificates are not valid/);
    assert.match(f.fix?.summary ?? '', /self-signed/);
  });

  test('a certificate for another name: the message says which name the spec requires and why', async () => {
    const r = await run(
      withTls({
        nameError: "Hostname/IP does not match certificate's altnames: Host: matrix.example.com. is not in the cert's altnames: DNS:wrong.example",
        subjectAltNames: ['DNS:wrong.example'],
      }),
    );
    assert.deepEqual(problems(r), ['MXD-FED-008:wrongName']);
    const f = one(r, 'MXD-FED-008', 'wrongName');
    assert.match(f.message, /not valid for matrix\.example\.com \(it covers DNS:wrong\.example\)/);
    assert.match(f.message, /the well-known delegates to this host and port, so the certificate must be valid for the delegated host \(step 3\.2\)/);
    // Why, as an id in data; the words are in the message.
    assert.deepEqual([f.data.why, f.data.step], ['delegatedPort', '3.2']);
  });

  test('with SRV, the message says the SRV target is never the required name', async () => {
    const fed = srvLookup('example.com', false, { outcome: 'found', records: [FED_RECORD] });
    const r = await run(
      artifact({
        discovery: step6({ step: '4', srv: [fed, srvNone('example.com', true)], targets: [target({ host: 'fed.example.com', port: 8448 })] }),
        addresses: [
          address({
            host: 'fed.example.com',
            port: 8448,
            tls: { ok: true, name: 'example.com', sni: true, evidence: tls({ nameError: 'not in altnames', subjectAltNames: ['DNS:fed.example.com'] }) },
          }),
        ],
      }),
    );
    const f = one(r, 'MXD-FED-008', 'wrongName');
    assert.match(f.message, /not valid for example\.com \(it covers DNS:fed\.example\.com\).*never the SRV target \(step 4\)/);
    assert.equal(f.data.why, 'fedSrv');
  });

  test('an expired certificate', async () => {
    const r = await run(withTls({ authorized: false, authorizationError: 'CERT_HAS_EXPIRED', validTo: certDate(NOW - 2 * DAY) }));
    assert.deepEqual(problems(r), ['MXD-FED-009:expired']);
    const f = one(r, 'MXD-FED-009', 'expired');
    assert.equal(f.severity, 'error');
    assert.match(f.message, /expired on 2026-11-24T12:00:00\.000Z/);
    assert.equal(f.fix?.steps[0], 'certbot renew && nginx -s reload');
  });

  test('a certificate not valid yet', async () => {
    const r = await run(withTls({ authorized: false, authorizationError: 'CERT_NOT_YET_VALID', validFrom: certDate(NOW + DAY) }));
    assert.deepEqual(problems(r), ['MXD-FED-009:notYetValid']);
  });

  test('a certificate that expires within 14 days is a warning', async () => {
    const r = await run(withTls({ validTo: certDate(NOW + 5 * DAY + 3600_000) }));
    assert.equal(r.status, 'warn');
    const f = one(r, 'MXD-FED-009', 'expiringSoon');
    assert.equal(f.severity, 'warning');
    assert.match(f.message, /in 5 days/);
  });

  test('15 days left is fine', async () => {
    const r = await run(withTls({ validTo: certDate(NOW + 15 * DAY) }));
    assert.deepEqual(problems(r), []);
  });

  test('TLS 1.1 negotiated', async () => {
    const r = await run(withTls({ protocol: 'TLSv1.1' }));
    assert.deepEqual(problems(r), ['MXD-FED-010:oldProtocol']);
    assert.equal(r.status, 'warn');
    assert.ok(one(r, 'MXD-FED-010', 'oldProtocol').fix?.steps[0].startsWith('ssl_protocols TLSv1.2 TLSv1.3;'));
  });

  test('a server that only offers old protocols', async () => {
    const r = await run(
      artifact({
        addresses: [
          address({
            tls: {
              ok: false,
              name: 'matrix.example.com',
              sni: true,
              error: { code: 'TLS_HANDSHAKE', message: 'error:0A000102:SSL routines::unsupported protocol' },
            },
            version: undefined,
            keys: undefined,
          }),
        ],
      }),
    );
    assert.deepEqual(problems(r), ['MXD-FED-010:onlyOld']);
    assert.equal(one(r, 'MXD-FED-010', 'onlyOld').severity, 'error');
  });
});

describe('MXD-FED-011: /_matrix/federation/v1/version', () => {
  const withVersion = (v: Partial<NonNullable<AddressReport['version']>>) =>
    artifact({ addresses: [address({ version: { url: VERSION_URL, hostHeader: 'matrix.example.com:443', isMatrix: false, ...v } })] });

  test('the request fails', async () => {
    const r = await run(withVersion({ error: { code: 'CONN_RESET', message: 'socket hang up' } }));
    assert.match(one(r, 'MXD-FED-011', 'failed').message, /failed \(CONN_RESET: socket hang up\)/);
  });

  test('an HTTP error status', async () => {
    const r = await run(withVersion({ status: 404, bodyExcerpt: '<html>404</html>' }));
    const f = one(r, 'MXD-FED-011', 'status');
    assert.match(f.message, /answered HTTP 404 instead of the server version/);
    assert.ok(f.fix?.steps.some((s) => s.includes('proxy_pass http://localhost:8008;')));
  });

  test('200 without a server version', async () => {
    const r = await run(withVersion({ status: 200, bodyExcerpt: '<!doctype html><title>Welcome to nginx</title>' }));
    assert.match(one(r, 'MXD-FED-011', 'notMatrix').message, /without a server version \(<!doctype html>/);
  });
});

describe('MXD-FED-012 to MXD-FED-016: the key server', () => {
  const withKeys = (k: Partial<KeysReport>) => artifact({ addresses: [address({ keys: keys(k) })] });

  test('the request fails', async () => {
    const r = await run(withKeys({ status: undefined, error: { code: 'TIMEOUT', message: 'no answer before the timeout' } }));
    assert.deepEqual(problems(r), ['MXD-FED-012:failed']);
  });

  test('an HTTP error status', async () => {
    const r = await run(withKeys({ status: 502 }));
    assert.deepEqual(problems(r), ['MXD-FED-012:status']);
    assert.match(one(r, 'MXD-FED-012', 'status').message, /answered HTTP 502/);
  });

  test('not JSON', async () => {
    const r = await run(withKeys({ parseError: 'Unexpected token < in JSON at position 0' }));
    assert.deepEqual(problems(r), ['MXD-FED-012:notJson']);
  });

  test('the wrong shape', async () => {
    const r = await run(withKeys({ shapeErrors: ['valid_until_ts is missing'], validUntilTs: undefined }));
    assert.deepEqual(problems(r), ['MXD-FED-012:shape']);
    assert.match(one(r, 'MXD-FED-012', 'shape').message, /not a valid key response: valid_until_ts is missing/);
  });

  test('server_name of another server', async () => {
    const r = await run(withKeys({ serverName: 'matrix.example.com', signedBy: 'matrix.example.com' }));
    const f = one(r, 'MXD-FED-013', 'mismatch');
    assert.match(f.message, /says server_name 'matrix\.example\.com', not 'example\.com'/);
  });

  test('valid_until_ts in the past', async () => {
    const r = await run(withKeys({ validUntilTs: NOW - 1000 }));
    assert.deepEqual(problems(r), ['MXD-FED-014:expired']);
    assert.equal(r.status, 'fail');
  });

  test('valid_until_ts less than an hour ahead is a warning', async () => {
    const r = await run(withKeys({ validUntilTs: NOW + 30 * 60_000 }));
    assert.deepEqual(problems(r), ['MXD-FED-014:soon']);
    const f = one(r, 'MXD-FED-014', 'soon');
    assert.equal(f.severity, 'warning');
    assert.match(f.message, /\(30 minutes\)/);
  });

  test('no ed25519 key', async () => {
    const r = await run(withKeys({ verifyKeys: [], signatures: [] }));
    const f = one(r, 'MXD-FED-015', 'none');
    assert.match(f.message, /no ed25519 key in verify_keys \(none\)/);
    assert.ok(f.fix?.steps.some((s) => s.startsWith('generate_signing_key -o /etc/matrix-synapse/homeserver.signing.key')));
  });

  test("the key regeneration hint uses homeserver.yaml's signing_key_path", async () => {
    const hs = homeserverArtifact('server_name: example.com\nsigning_key_path: "/data/example.com.signing.key"\n');
    const r = await run(withKeys({ verifyKeys: [], signatures: [] }), { homeserverConfig: hs });
    assert.ok(one(r, 'MXD-FED-015', 'none').fix?.steps.some((s) => s.startsWith('generate_signing_key -o /data/example.com.signing.key')));
  });

  test('a missing self-signature', async () => {
    const r = await run(withKeys({ signatures: [{ keyId: 'ed25519:a_abcd', ok: false, reason: 'no-signature', detail: 'no signature by example.com' }] }));
    const f = one(r, 'MXD-FED-016', 'missing');
    assert.match(f.message, /not signed with its key ed25519:a_abcd \(no signatures\['example\.com'\]\['ed25519:a_abcd'\]\)/);
  });

  test('an invalid self-signature says which key and why', async () => {
    const r = await run(
      withKeys({
        signatures: [
          {
            keyId: 'ed25519:a_abcd',
            ok: false,
            reason: 'invalid-signature',
            detail: 'the ed25519:a_abcd signature does not match the canonical JSON of the response',
          },
        ],
      }),
    );
    assert.deepEqual(problems(r), ['MXD-FED-016:invalid']);
    const f = one(r, 'MXD-FED-016', 'invalid');
    assert.match(f.message, /with ed25519:a_abcd is invalid \(invalid-signature: the ed25519:a_abcd signature does not match/);
    assert.ok(f.fix?.steps[0].startsWith('curl -sS http://localhost:8008/_matrix/key/v2/server'));
  });
});

describe('several addresses, inputs', () => {
  test('each address is judged on its own', async () => {
    const refused = address({
      address: '2001:db8::5',
      family: 6,
      tls: { ok: false, name: 'matrix.example.com', sni: true, error: { code: 'CONN_REFUSED', message: 'connect ECONNREFUSED' } },
      version: undefined,
      keys: undefined,
    });
    const r = await run(artifact({ addresses: [address(), refused] }));
    assert.deepEqual(problems(r), ['MXD-FED-006:refused']);
    assert.match(one(r, 'MXD-FED-006', 'refused').message, /^Connection to 2001:db8::5 port 443/);
  });

  test('skip when the probe was skipped (no server name)', async () => {
    const r = await judge(check, { federation: { status: 'skipped', reason: 'no server name', durationMs: 0 } });
    assert.equal(r.status, 'skip');
    assert.equal(r.reason, 'no server name');
  });

  test('error when the probe failed (e.g. TARGET_NOT_ALLOWED)', async () => {
    const r = await judge(check, {
      federation: { status: 'error', error: { code: 'TARGET_NOT_ALLOWED', message: 'refused to contact 192.0.2.1' }, durationMs: 0 },
    });
    assert.equal(r.status, 'error');
    assert.match(r.reason ?? '', /TARGET_NOT_ALLOWED/);
  });
});

describe('MXD-FED-017: one connection report per address, healthy or not', () => {
  const healthy = () =>
    address({
      tls: { ok: true, name: 'matrix.example.com', sni: true, evidence: tls({ fingerprint256: 'AB:CD' }), handshakeMs: 38 },
      version: {
        url: VERSION_URL,
        hostHeader: 'matrix.example.com:443',
        status: 200,
        server: { name: 'Synapse', version: '1.120.0' },
        isMatrix: true,
        durationMs: 51,
      },
    });

  test('a healthy address: every field of the report', async () => {
    const r = await run(artifact({ addresses: [healthy()] }));
    assert.equal(r.status, 'pass');
    assert.deepEqual(codes(r), ['MXD-FED-001:delegated', 'MXD-FED-017:ok']);
    const f = one(r, 'MXD-FED-017', 'ok');
    assert.equal(f.severity, 'info');
    assert.equal(f.docs, 'docs/codes/MXD-FED-017.md');
    assert.deepEqual(f.location, { url: 'https://matrix.example.com:443' });
    assert.equal(
      f.message,
      '203.0.113.5 port 443 (matrix.example.com), reached through the well-known m.server with its explicit port (step 3.2): TLSv1.3; ' +
        'certificate CN=matrix.example.com issued by CN=R11, chain trusted; the required name matrix.example.com is covered (SANs DNS:matrix.example.com); ' +
        'expires 2027-01-25T12:00:00.000Z (60 days left); server Synapse 1.120.0; keys verified: ed25519:a_abcd (valid until 2026-11-27T12:00:00.000Z); ' +
        'connect and TLS handshake 38 ms. Nothing wrong at this address.',
    );
    // JSON: the table's cells as flat data (phrase ids, not words), the raw facts in the evidence.
    assert.deepEqual(f.data, {
      address: ADDRESS,
      port: 443,
      host: 'matrix.example.com',
      via: 'wellKnownPort',
      step: '3.2',
      protocol: 'TLSv1.3',
      subject: 'CN=matrix.example.com',
      issuer: 'CN=R11',
      chain: 'chainTrusted',
      certificateName: 'matrix.example.com',
      nameVerdict: 'nameCovered',
      sans: 'DNS:matrix.example.com',
      validTo: '2027-01-25T12:00:00.000Z',
      days: 60,
      software: 'Synapse 1.120.0',
      keys: 'ed25519:a_abcd',
      validUntil: '2026-11-27T12:00:00.000Z',
      connectMs: 38,
      versionMs: 51,
    });
    const ev = f.evidence as { tls: { fingerprint256: string; handshakeMs: number }; version: { server: unknown }; keys: { signatures: unknown } };
    assert.equal(ev.tls.fingerprint256, 'AB:CD');
    assert.equal(ev.tls.handshakeMs, 38);
    assert.deepEqual(ev.version.server, { name: 'Synapse', version: '1.120.0' });
    assert.deepEqual(ev.keys.signatures, [{ keyId: 'ed25519:a_abcd', ok: true }]);
    assert.equal(f.evidence.findings, undefined);
  });

  test('the discovery step that led to the address is named (SRV of the server name, step 4)', async () => {
    const fed = srvLookup('example.com', false, { outcome: 'found', records: [FED_RECORD] });
    const r = await run(
      artifact({
        discovery: step6({ step: '4', srv: [fed, srvNone('example.com', true)], targets: [target({ host: 'fed.example.com', port: 8448 })] }),
        addresses: [
          address({
            host: 'fed.example.com',
            port: 8448,
            tls: {
              ok: true,
              name: 'example.com',
              sni: true,
              evidence: tls({ expectedName: 'example.com', subjectAltNames: ['DNS:example.com', 'DNS:fed.example.com'] }),
            },
          }),
        ],
      }),
    );
    const f = one(r, 'MXD-FED-017', 'ok');
    assert.match(f.message, /^203\.0\.113\.5 port 8448 \(fed\.example\.com\), reached through the _matrix-fed\._tcp SRV record of the server name \(step 4\)/);
    assert.match(f.message, /the required name example\.com is covered \(SANs DNS:example\.com, DNS:fed\.example\.com\)/);
    // Not measured (an older capture): a dash, not a made-up number.
    assert.match(f.message, /connect and TLS handshake — ms/);
  });

  test('a failing address: the report says which finding explains it', async () => {
    const refused = address({
      tls: { ok: false, name: 'matrix.example.com', sni: true, error: { code: 'CONN_REFUSED', message: 'connect ECONNREFUSED' } },
      version: undefined,
      keys: undefined,
    });
    const r = await run(artifact({ addresses: [refused] }));
    assert.equal(r.status, 'fail');
    assert.deepEqual(codes(r), ['MXD-FED-001:delegated', 'MXD-FED-017:noConnection', 'MXD-FED-006:refused']);
    const f = one(r, 'MXD-FED-017', 'noConnection');
    assert.equal(
      f.message,
      '203.0.113.5 port 443 (matrix.example.com), reached through the well-known m.server with its explicit port (step 3.2): ' +
        'no TLS connection (CONN_REFUSED); MXD-FED-006 explains why, and nothing else was asked at this address.',
    );
    assert.equal(f.data.findings, 'MXD-FED-006');
    assert.deepEqual(f.evidence.findings, ['MXD-FED-006']);
  });

  test('an address that answers with problems: its facts, and the findings made there', async () => {
    const bad = address({
      tls: {
        ok: true,
        name: 'matrix.example.com',
        sni: true,
        evidence: tls({ authorized: false, authorizationError: 'CERT_HAS_EXPIRED', validTo: certDate(NOW - 2 * DAY) }),
      },
      version: { url: VERSION_URL, hostHeader: 'matrix.example.com:443', status: 404, isMatrix: false },
      keys: keys({ signatures: [{ keyId: 'ed25519:a_abcd', ok: false, reason: 'invalid-signature', detail: 'does not match' }] }),
    });
    const r = await run(artifact({ addresses: [bad] }));
    assert.deepEqual(problems(r), ['MXD-FED-009:expired', 'MXD-FED-011:status', 'MXD-FED-016:invalid']);
    const f = one(r, 'MXD-FED-017', 'problems');
    assert.match(f.message, /chain rejected for its validity dates;/);
    assert.match(f.message, /expires 2026-11-24T12:00:00\.000Z \(-2 days left\); server —; keys verified: — \(valid until/);
    assert.match(f.message, /Problems at this address: MXD-FED-009, MXD-FED-011, MXD-FED-016\.$/);
    assert.equal(f.data.chain, 'chainDates');
  });

  test('a certificate for another name and an untrusted chain, in the report', async () => {
    const r = await run(
      artifact({
        addresses: [
          address({
            tls: {
              ok: true,
              name: 'matrix.example.com',
              sni: true,
              evidence: tls({ authorized: false, authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT', nameError: 'not in altnames', subjectAltNames: [] }),
            },
          }),
        ],
      }),
    );
    const f = one(r, 'MXD-FED-017', 'problems');
    assert.match(f.message, /chain not trusted; the required name matrix\.example\.com is not covered \(SANs —\)/);
    assert.equal(f.data.findings, 'MXD-FED-007, MXD-FED-008');
  });

  test('several addresses: one report each, in order, right after the step note', async () => {
    const v6 = address({
      address: '2001:db8::5',
      family: 6,
      tls: { ok: false, name: 'matrix.example.com', sni: true, error: { code: 'TIMEOUT', message: 'no answer before the timeout' } },
      version: undefined,
      keys: undefined,
    });
    const other = address({
      address: '203.0.113.6',
      version: { url: VERSION_URL, hostHeader: 'matrix.example.com:443', status: 200, server: { name: 'Synapse', version: '1.98.0' }, isMatrix: true },
    });
    const r = await run(
      artifact({
        discovery: discovery({
          targets: [
            target({
              addresses: [
                { address: ADDRESS, family: 4 },
                { address: '203.0.113.6', family: 4 },
                { address: '2001:db8::5', family: 6 },
              ],
            }),
          ],
        }),
        addresses: [healthy(), other, v6],
      }),
    );
    assert.deepEqual(codes(r), ['MXD-FED-001:delegated', 'MXD-FED-017:ok', 'MXD-FED-017:ok', 'MXD-FED-017:noConnection', 'MXD-FED-006:timeout']);
    const [a, b, c] = reports(r);
    assert.match(a.message, /^203\.0\.113\.5 port 443 .*server Synapse 1\.120\.0;/);
    assert.match(b.message, /^203\.0\.113\.6 port 443 .*server Synapse 1\.98\.0;/);
    assert.match(c.message, /^2001:db8::5 port 443 .*no TLS connection \(TIMEOUT\); MXD-FED-006 explains why/);
    assert.equal(r.status, 'fail');
  });
});
