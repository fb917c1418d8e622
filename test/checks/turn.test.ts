// turn: every code and message it declares, through the real engine (judge), on probe results made the
// way the probes make them: turnConfig is the real probe run on a homeserver.yaml text, coturnConfig the
// real parser, and the live `turn` evidence is hand-made per case (the integration test makes it for real
// against coturn).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import check, { coturnPeerVerdicts, durationParts, humanDuration } from '../../checks/turn/index.js';
import { buildInputs } from '../../src/engine/inputs.js';
import type { CheckResult, ProbeContext } from '../../src/engine/types.js';
import { NetClient } from '../../src/net/client.js';
import { type CoturnConfigArtifact, parseCoturnConfig } from '../../src/probes/coturn-config.js';
import { parseSynapseDuration, type TurnArtifact, type TurnTarget, turnConfigProbe, type VoipTurnServerArtifact } from '../../src/probes/turn.js';
import { Coverage, codes, homeserverArtifact, judge, one } from '../helpers/judge.js';

const coverage = new Coverage(check);
const BASE = 'server_name: "example.com"\nreport_stats: false\nturn_allow_guests: false\n';
const URIS =
  'turn_uris:\n  - "turn:turn.example.com?transport=udp"\n  - "turn:turn.example.com?transport=tcp"\n  - "turns:turn.example.com:5349?transport=tcp"\n';
const SECRET = 'turn_shared_secret: "n0t-so-s3cret"\n';
const CLEAN = `${BASE}${URIS}${SECRET}turn_user_lifetime: 86400000\n`;

async function turnConfigOf(text: string): Promise<{ homeserverConfig: unknown; turnConfig: unknown }> {
  const homeserverConfig = homeserverArtifact(text);
  const ctx: ProbeContext = {
    inputs: buildInputs({ offline: true }, {}, undefined, {}),
    signal: new AbortController().signal,
    timeoutMs: 5000,
    addSecret: () => {},
    net: new NetClient({ resolve: [], connectTo: [], allowTargets: [] }),
  };
  const value = await turnConfigProbe.run(ctx, { homeserverConfig });
  const turnConfig = 'skip' in value ? { status: 'skipped', reason: value.skip, durationMs: 0 } : value;
  return { homeserverConfig, turnConfig };
}

function coturn(text: string, file = '/etc/turnserver.conf'): CoturnConfigArtifact {
  const p = parseCoturnConfig(text);
  return { file, sha256: 'x', size: text.length, entries: p.entries, staticAuthSecret: p.staticAuthSecret };
}

const SAFE_COTURN = [
  'listening-port=3478',
  'realm=example.com',
  'use-auth-secret',
  'static-auth-secret=n0t-so-s3cret',
  'min-port=50000',
  'max-port=50100',
  'no-multicast-peers',
  'denied-peer-ip=0.0.0.0-0.255.255.255',
  'denied-peer-ip=10.0.0.0-10.255.255.255',
  'denied-peer-ip=100.64.0.0-100.127.255.255',
  'denied-peer-ip=127.0.0.0-127.255.255.255',
  'denied-peer-ip=169.254.0.0-169.254.255.255',
  'denied-peer-ip=172.16.0.0-172.31.255.255',
  'denied-peer-ip=192.168.0.0-192.168.255.255',
  'denied-peer-ip=::1',
  'denied-peer-ip=fc00::/7',
  'denied-peer-ip=fe80::-febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
].join('\n');

const refusedPermissions = (): NonNullable<TurnTarget['permissions']> =>
  ['127.0.0.1', '10.0.0.1', '169.254.169.254'].map((peer) => ({
    peer,
    kind: peer.startsWith('127') ? 'loopback' : peer.startsWith('10') ? 'private' : 'metadata',
    tested: true,
    granted: false,
    stunError: { code: 403, reason: 'Forbidden IP' },
  }));

/** A target that worked end to end, to be changed per case. */
function target(overrides: Partial<TurnTarget> = {}): TurnTarget {
  return {
    source: 'homeserver.yaml',
    uriIndex: 0,
    uri: 'turn:turn.example.com?transport=udp',
    host: 'turn.example.com',
    port: 3478,
    transport: 'udp',
    resolve: { ok: true, addresses: ['203.0.113.10'], via: 'dns' },
    address: '203.0.113.10',
    addressKind: 'public',
    binding: { ok: true, rttMs: 21, attempts: 1, mapped: { family: 4, address: '198.51.100.7', port: 40000 }, software: 'Coturn-4.6.1' },
    challenge: { ok: true, rttMs: 20, attempts: 1, authRequired: true, nonce: true, realm: 'example.com', stunError: { code: 401, reason: 'Unauthorized' } },
    allocate: {
      ok: true,
      rttMs: 22,
      attempts: 1,
      staleNonceRetries: 0,
      relayed: { family: 4, address: '203.0.113.10', port: 50010 },
      relayedKind: 'public',
      lifetime: 600,
      responseIntegrity: 'valid',
    },
    permissions: refusedPermissions(),
    release: { ok: true, rttMs: 20, attempts: 1 },
    ...overrides,
  };
}

function liveOf(...targets: TurnTarget[]): TurnArtifact {
  return { userId: '@matrixdoc:example.com', expiresAt: 1_900_000_000, credentialSource: 'shared-secret', targets };
}

async function run(text: string, extra: Record<string, unknown> = {}): Promise<CheckResult> {
  return coverage.record(await judge(check, { ...(await turnConfigOf(text)), ...extra }));
}

const noUdpAnswer = (code: string, attempts: number): Partial<TurnTarget> => ({
  binding: { ok: false, failure: { code, message: 'x', attempts, elapsedMs: 3500 } },
  challenge: { ok: false, failure: { code, message: 'x', attempts, elapsedMs: 3500 } },
  allocate: undefined,
  permissions: undefined,
  release: undefined,
});

describe('turn: files', () => {
  test('a clean configuration passes; a working relay is an info note', async () => {
    const r = await run(CLEAN, {
      turn: liveOf(target(), target({ uriIndex: 1, uri: 'turn:turn.example.com?transport=tcp', transport: 'tcp', connect: { ok: true, durationMs: 20 } })),
    });
    assert.equal(r.status, 'pass', JSON.stringify(codes(r)));
    assert.deepEqual(codes(r), ['MXD-TURN-015:ok', 'MXD-TURN-015:ok']);
    const ok = r.findings[0];
    assert.equal(ok.severity, 'info');
    assert.match(
      ok.message,
      /relay 203\.0\.113\.10:50010 allocated \(STUN round trip 21 ms\), internal peers refused: 127\.0\.0\.1, 10\.0\.0\.1, 169\.254\.169\.254/,
    );
    assert.deepEqual(ok.location, { file: '/etc/matrix-synapse/homeserver.yaml', line: 5, column: 5, endLine: 5, endColumn: 42 });
    assert.equal(ok.data.refused, '127.0.0.1, 10.0.0.1, 169.254.169.254');
  });

  test('MXD-TURN-015 okNoPeers: no internal peer refused (none tested), or none asked for (a URI only /voip/turnServer lists)', async () => {
    const untested = target({
      permissions: [{ peer: '::1', kind: 'loopback', tested: false, note: 'the relayed address is IPv4' }],
    });
    const r = await run(CLEAN, { turn: liveOf(untested, target({ source: 'voip', uri: 'turn:other.example.com', permissions: undefined })) });
    assert.deepEqual(codes(r), ['MXD-TURN-015:okNoPeers', 'MXD-TURN-015:okNoPeers']);
    assert.deepEqual(
      r.findings.map((f) => f.data.refused),
      ['none', 'notAsked'],
    );
    assert.match(r.findings[0].message, /\(STUN round trip 21 ms\), internal peers refused: none\.$/);
    assert.match(r.findings[1].message, /^turn:other\.example\.com at 203\.0\.113\.10: .*internal peers refused: not asked\.$/);
  });

  test('no turn_uris: the check is skipped with the reason', async () => {
    const r = await run(`${BASE}${SECRET}`);
    assert.equal(r.status, 'skip');
    assert.match(r.reason ?? '', /TURN is not configured/);
  });

  test('no homeserver.yaml: skip; an unreadable one: error', async () => {
    const skipped = await judge(check, {});
    assert.equal(skipped.status, 'skip');
    const broken = await judge(check, {
      homeserverConfig: { status: 'error', error: { code: 'FILE_NOT_FOUND', message: 'no such file' }, durationMs: 0 },
      turnConfig: { status: 'skipped', reason: 'needs homeserverConfig', durationMs: 0 },
    });
    assert.equal(broken.status, 'error');
    assert.match(broken.reason ?? '', /FILE_NOT_FOUND/);
  });

  test('MXD-TURN-001: invalid URIs with their position; stun: and DTLS turns: as warnings', async () => {
    const r = await run(
      `${BASE}${SECRET}turn_uris:\n  - "turn://turn.example.com"\n  - "stun:stun.example.com"\n  - "turns:turn.example.com?transport=udp"\n  - "turn:turn.example.com?transport=sctp"\n`,
      {
        turn: liveOf(),
      },
    );
    assert.deepEqual(codes(r), ['MXD-TURN-001:invalid', 'MXD-TURN-001:stun', 'MXD-TURN-001:dtls', 'MXD-TURN-001:invalid']);
    const first = r.findings[0];
    assert.equal(first.severity, 'error');
    assert.equal(first.location?.line, 6);
    assert.match(first.message, /turn_uris\[0\] 'turn:\/\/turn\.example\.com' is not a usable TURN URI: RFC 7065 URIs have no '\/\/'/);
    assert.equal(r.findings[1].severity, 'warning');
    assert.equal(r.findings[1].data.scheme, 'stun');
    assert.match(r.findings[1].message, /is a STUN URI: a stun: URI only finds the public address; it gives no relay, so clients/);
    assert.equal(r.findings[2].severity, 'warning');
    // Why DTLS is no use is a phrase: its id in the data, its words in the message.
    assert.equal(r.findings[2].data.reason, 'dtls');
    assert.match(r.findings[2].message, /': turns: with transport=udp means DTLS, which browsers and Element do not use; clients skip it/);
    assert.match(r.findings[3].message, /transport 'sctp' is neither udp nor tcp/);
    assert.equal(r.findings[3].data.reason, "transport 'sctp' is neither udp nor tcp");
    const stuns = await run(`${BASE}${SECRET}turn_uris:\n  - "STUNS:stun.example.com"\n`);
    assert.match(one(stuns, 'MXD-TURN-001', 'stun').message, /is a STUN URI: a stuns: URI only finds/);
  });

  test('MXD-TURN-002: no credentials, both secrets, an unreadable secret file', async () => {
    const none = await run(`${BASE}${URIS}turn_username: "only-a-user"\n`);
    assert.deepEqual(codes(none), ['MXD-TURN-002:none']);
    assert.match(none.findings[0].message, /Synapse answers \/voip\/turnServer with \{\}/);
    const both = await run(`${BASE}${URIS}${SECRET}turn_shared_secret_path: /etc/matrix-synapse/turn.secret\n`);
    assert.deepEqual(codes(both), ['MXD-TURN-002:bothSecrets']);
    assert.deepEqual(both.findings[0].fix?.edits[0], {
      kind: 'yaml-delete',
      file: '/etc/matrix-synapse/homeserver.yaml',
      path: ['turn_shared_secret_path'],
      expectSha256: both.findings[0].fix?.edits[0].expectSha256,
    });
    const missingFile = await run(`${BASE}${URIS}turn_shared_secret_path: /nonexistent/matrixdoc-test/turn.secret\n`);
    assert.deepEqual(codes(missingFile), ['MXD-TURN-002:secretFile']);
    assert.match(missingFile.findings[0].message, /no such file/);
  });

  test('MXD-TURN-003: a bare turn_user_lifetime under 10 minutes was meant in seconds', async () => {
    const r = await run(`${BASE}${URIS}${SECRET}turn_user_lifetime: 86400\n`);
    const f = one(r, 'MXD-TURN-003', 'seconds');
    assert.equal(f.severity, 'warning');
    assert.match(f.message, /turn_user_lifetime is 86400, which Synapse reads as 86400 milliseconds \(86\.4 seconds\)/);
    // The unit is a phrase: its id in the data, its words in the message.
    assert.deepEqual({ count: f.data.count, unit: f.data.unit }, { count: 86.4, unit: 'seconds' });
    assert.deepEqual(
      f.fix?.edits.map((e) => ({ ...e, expectSha256: undefined })),
      [{ kind: 'yaml-set', file: '/etc/matrix-synapse/homeserver.yaml', path: ['turn_user_lifetime'], value: '86400s', expectSha256: undefined }],
    );
    for (const fine of ['86400000', '"1h"', '"86400s"', '"600000"']) {
      const ok = await run(`${BASE}${URIS}${SECRET}turn_user_lifetime: ${fine}\n`);
      assert.deepEqual(codes(ok), [], fine);
    }
    assert.deepEqual(codes(await run(`${BASE}${URIS}${SECRET}turn_user_lifetime: "3600"\n`)), ['MXD-TURN-003:seconds']);
  });

  test("MXD-TURN-003: a bare value that is too short even in seconds (or too long) is set to Synapse's default instead", async () => {
    const f = one(await run(`${BASE}${URIS}${SECRET}turn_user_lifetime: 300\n`), 'MXD-TURN-003', 'seconds');
    assert.match(f.fix?.summary ?? '', /^Set turn_user_lifetime: "1h", Synapse's default/);
    assert.deepEqual(
      f.fix?.edits.map((e) => (e as { value: unknown }).value),
      ['1h'],
    );
    // 599999 s would be almost a week: not kept either.
    assert.deepEqual(
      one(await run(`${BASE}${URIS}${SECRET}turn_user_lifetime: 599999\n`), 'MXD-TURN-003', 'seconds').fix?.edits.map((e) => (e as { value: unknown }).value),
      ['1h'],
    );
  });

  test('MXD-TURN-003 short: a duration with a unit under 10 minutes (parse_duration: s, m, h, d, w, y)', async () => {
    const r = await run(`${BASE}${URIS}${SECRET}turn_user_lifetime: "2m"\n`);
    const f = one(r, 'MXD-TURN-003', 'short');
    assert.equal(f.severity, 'warning');
    assert.equal(r.status, 'warn');
    assert.equal(
      f.message,
      'turn_user_lifetime is 2m (2 minutes): the TURN credentials Synapse hands out expire before clients such as Element fetch new ones (every 10 minutes), so calls placed in between get no relay.',
    );
    assert.deepEqual({ count: f.data.count, unit: f.data.unit }, { count: 2, unit: 'minutes' });
    assert.equal(f.location?.line, 9);
    assert.match(f.fix?.summary ?? '', /^Set turn_user_lifetime: "1h", Synapse's default/);
    assert.deepEqual(
      f.fix?.edits.map((e) => ({ ...e, expectSha256: undefined })),
      [{ kind: 'yaml-set', file: '/etc/matrix-synapse/homeserver.yaml', path: ['turn_user_lifetime'], value: '1h', expectSha256: undefined }],
    );
    for (const short of ['"5s"', '"599s"', '9m'])
      assert.deepEqual(codes(await run(`${BASE}${URIS}${SECRET}turn_user_lifetime: ${short}\n`)), ['MXD-TURN-003:short'], short);
    for (const fine of ['"10m"', '"600s"', '1h', '"24h"']) assert.deepEqual(codes(await run(`${BASE}${URIS}${SECRET}turn_user_lifetime: ${fine}\n`)), [], fine);
  });

  test('MXD-TURN-003 long: over a day, leaked credentials stay valid (a warning with the security reason)', async () => {
    const r = await run(`${BASE}${URIS}${SECRET}turn_user_lifetime: 1w\n`);
    const f = one(r, 'MXD-TURN-003', 'long');
    assert.equal(f.severity, 'warning');
    assert.deepEqual({ count: f.data.count, unit: f.data.unit }, { count: 7, unit: 'days' });
    assert.match(
      f.message,
      /^turn_user_lifetime is 1w \(7 days\): every TURN username and password Synapse hands out stays valid that long, and coturn cannot revoke them/,
    );
    assert.match(f.message, /let anyone relay traffic through your TURN server for 7 days\. Synapse’s default is 1 hour/);
    assert.deepEqual(
      f.fix?.edits.map((e) => (e as { value: unknown }).value),
      ['1h'],
    );
    for (const long of ['"2d"', '"25h"', '604800000', '"86400001"', '1y'])
      assert.deepEqual(codes(await run(`${BASE}${URIS}${SECRET}turn_user_lifetime: ${long}\n`)), ['MXD-TURN-003:long'], long);
    // One day (Synapse's docs use 86400000) is the limit, not past it.
    for (const fine of ['"1d"', '86400000', '"24h"', '"86400s"'])
      assert.deepEqual(codes(await run(`${BASE}${URIS}${SECRET}turn_user_lifetime: ${fine}\n`)), [], fine);
    // The shared secret read from turn_shared_secret_path: the same credentials, the same warning.
    const viaPath = await run(`${BASE}${URIS}turn_shared_secret_path: /nonexistent/matrixdoc-test/turn.secret\nturn_user_lifetime: 2d\n`);
    assert.ok(codes(viaPath).includes('MXD-TURN-003:long'), JSON.stringify(codes(viaPath)));
  });

  test('MXD-TURN-003: with a static turn_username/turn_password (which never expire) neither short nor long is reported', async () => {
    const STATIC = 'turn_username: "synapse"\nturn_password: "st4tic"\n';
    for (const v of ['"2m"', '1w']) assert.deepEqual(codes(await run(`${BASE}${URIS}${STATIC}turn_user_lifetime: ${v}\n`)), [], v);
  });

  test('MXD-TURN-004: guests noted when allowed, explicitly or by default', async () => {
    const byDefault = await run(`server_name: "example.com"\nreport_stats: false\n${URIS}${SECRET}`);
    const f = one(byDefault, 'MXD-TURN-004', 'guests');
    assert.equal(f.severity, 'info');
    assert.match(f.message, /turn_allow_guests is not set \(the default is true\):/);
    assert.equal(f.data.how, 'unset');
    assert.equal(byDefault.status, 'pass');
    const explicit = await run(`server_name: "example.com"\nreport_stats: false\nturn_allow_guests: true\n${URIS}${SECRET}`);
    assert.match(one(explicit, 'MXD-TURN-004').message, /turn_allow_guests is true:/);
    assert.equal(one(explicit, 'MXD-TURN-004').data.how, 'set');
    assert.equal(one(explicit, 'MXD-TURN-004').location?.line, 3);
  });

  test('offline (turn skipped): only what the files say', async () => {
    const r = await run(CLEAN, { turn: { status: 'skipped', reason: '--offline: no network probes', durationMs: 0 } });
    assert.equal(r.status, 'pass');
    assert.deepEqual(codes(r), []);
  });

  test('a failed turn probe makes the check error, keeping the file findings', async () => {
    const r = await run(`${BASE}${URIS}${SECRET}turn_user_lifetime: 60\n`, {
      turn: { status: 'error', error: { code: 'TARGET_NOT_ALLOWED', message: 'refused to contact 203.0.113.10' }, durationMs: 1 },
    });
    assert.equal(r.status, 'error');
    assert.match(r.reason ?? '', /turn: TARGET_NOT_ALLOWED/);
    assert.deepEqual(codes(r), ['MXD-TURN-003:seconds']);
  });
});

describe('turn: reaching the server', () => {
  test('MXD-TURN-005: the host does not resolve (once per URI)', async () => {
    const failed = {
      resolve: { ok: false, error: { code: 'DNS_NXDOMAIN', message: 'queryA ENOTFOUND turn.example.com' } },
      address: undefined,
      binding: undefined,
      challenge: undefined,
      allocate: undefined,
      permissions: undefined,
      release: undefined,
    };
    const r = await run(CLEAN, { turn: liveOf(target(failed)) });
    const f = one(r, 'MXD-TURN-005', 'resolve');
    assert.match(f.message, /turn\.example\.com \(from turn:turn\.example\.com\?transport=udp\) does not resolve \(DNS_NXDOMAIN/);
    assert.equal(r.status, 'fail');
  });

  test('MXD-TURN-006: no UDP answer names the ports to open, the relay range from --coturn-config', async () => {
    const r = await run(CLEAN, { turn: liveOf(target(noUdpAnswer('TIMEOUT', 4))), coturnConfig: coturn(SAFE_COTURN) });
    const f = one(r, 'MXD-TURN-006', 'timeout');
    assert.match(f.message, /203\.0\.113\.10 port 3478 gave no answer over UDP \(turn:turn\.example\.com\?transport=udp\): 4 STUN requests in 3500 ms/);
    assert.match(f.fix?.summary ?? '', /Open UDP 3478 and the relay ports 50000-50100 \(min-port\/max-port in \/etc\/turnserver\.conf\)/);
    assert.ok(f.fix?.steps.includes('ufw allow 3478/udp && ufw allow 50000:50100/udp'));
    const defaults = await run(CLEAN, { turn: liveOf(target(noUdpAnswer('PORT_UNREACHABLE', 1))) });
    const u = one(defaults, 'MXD-TURN-006', 'unreachable');
    assert.match(u.fix?.summary ?? '', /49152-65535 \(coturn's default min-port\/max-port\)/);
  });

  test('MXD-TURN-007: TCP refused, timed out, silent, failed', async () => {
    const tcp = (connect: TurnTarget['connect'], extra: Partial<TurnTarget> = {}) =>
      target({ uri: 'turn:turn.example.com?transport=tcp', uriIndex: 1, transport: 'tcp', connect, ...extra });
    const none = { binding: undefined, challenge: undefined, allocate: undefined, permissions: undefined, release: undefined };
    const r = await run(CLEAN, {
      turn: liveOf(
        tcp({ ok: false, durationMs: 2, error: { code: 'CONN_REFUSED', message: 'connect ECONNREFUSED' } }, none),
        tcp({ ok: false, durationMs: 3750, error: { code: 'TIMEOUT', message: 'no answer before the timeout' } }, none),
        tcp({ ok: true, durationMs: 3 }, { ...noUdpAnswer('CONN_CLOSED', 1) }),
        tcp({ ok: false, durationMs: 3, error: { code: 'CONN_RESET', message: 'read ECONNRESET' } }, none),
      ),
    });
    assert.deepEqual(codes(r), ['MXD-TURN-007:refused', 'MXD-TURN-007:timeout', 'MXD-TURN-007:noAnswer', 'MXD-TURN-007:failed']);
    assert.match(r.findings[1].message, /within 3750 ms/);
    assert.match(r.findings[2].message, /gives no STUN answer \(turn:turn\.example\.com\?transport=tcp\): CONN_CLOSED/);
  });

  test('MXD-TURN-008: certificate not trusted, for another name, expired; handshake failure', async () => {
    const tlsTarget = (tls: Record<string, unknown>) =>
      target({
        uriIndex: 2,
        uri: 'turns:turn.example.com:5349?transport=tcp',
        port: 5349,
        transport: 'tls',
        connect: { ok: true, durationMs: 9, tls: { protocol: 'TLSv1.3', subjectAltNames: [], ...tls } as never },
      });
    const r = await run(CLEAN, {
      turn: liveOf(
        tlsTarget({ authorized: false, authorizationError: 'SELF_SIGNED_CERT_IN_CHAIN' }),
        tlsTarget({
          authorized: true,
          nameError: "Hostname/IP does not match certificate's altnames: Host: turn.example.com. is not in the cert's altnames: DNS:wrong.example",
        }),
        tlsTarget({ authorized: false, authorizationError: 'CERT_HAS_EXPIRED', validTo: 'Jan  1 00:00:00 2024 GMT' }),
        target({
          uriIndex: 2,
          uri: 'turns:turn.example.com:5349?transport=tcp',
          port: 5349,
          transport: 'tls',
          connect: { ok: false, durationMs: 2, error: { code: 'TLS_HANDSHAKE', message: 'wrong version number' } },
          binding: undefined,
          challenge: undefined,
          allocate: undefined,
        }),
      ),
    });
    assert.deepEqual(
      codes(r).filter((c) => c.startsWith('MXD-TURN-008')),
      ['MXD-TURN-008:untrusted', 'MXD-TURN-008:name', 'MXD-TURN-008:expired', 'MXD-TURN-008:handshake'],
    );
    assert.match(one(r, 'MXD-TURN-008', 'expired').message, /expired on Jan {2}1 00:00:00 2024 GMT/);
    assert.match(one(r, 'MXD-TURN-008', 'untrusted').fix?.steps[3] ?? '', /openssl s_client -connect turn\.example\.com:5349 -servername turn\.example\.com/);
  });
});

describe('turn: credentials and allocation', () => {
  const rejected = (extra: Partial<TurnTarget> = {}) =>
    target({
      allocate: { ok: false, rttMs: 20, attempts: 1, staleNonceRetries: 0, stunError: { code: 401, reason: 'Unauthorized' } },
      permissions: undefined,
      release: undefined,
      ...extra,
    });

  test("MXD-TURN-009 rejected: without coturn's file, the two causes are named", async () => {
    const r = await run(CLEAN, { turn: liveOf(rejected()) });
    const f = one(r, 'MXD-TURN-009', 'rejected');
    assert.match(f.message, /rejects the credentials Synapse makes from turn_shared_secret \(turn:turn\.example\.com\?transport=udp: 401 Unauthorized\)/);
    assert.equal(f.location?.line, 8, 'points at turn_shared_secret');
    assert.equal(r.status, 'fail');
  });

  test('MXD-TURN-009 secretMismatch: --coturn-config compares the secrets without showing them (offline too)', async () => {
    const other = SAFE_COTURN.replace('static-auth-secret=n0t-so-s3cret', 'static-auth-secret=s0mething-else');
    for (const live of [liveOf(rejected()), { status: 'skipped', reason: '--offline', durationMs: 0 }]) {
      const r = await run(CLEAN, { turn: live, coturnConfig: coturn(other) });
      const f = one(r, 'MXD-TURN-009', 'secretMismatch');
      assert.deepEqual(codes(r), ['MXD-TURN-009:secretMismatch']);
      const text = JSON.stringify(f);
      assert.ok(!text.includes('n0t-so-s3cret') && !text.includes('s0mething-else'), text);
      assert.deepEqual(f.evidence.staticAuthSecretLines, [4]);
    }
    // The same secret: nothing from the files; and once coturn accepted the credentials, the file is not judged.
    assert.deepEqual(codes(await run(CLEAN, { coturnConfig: coturn(SAFE_COTURN) })), []);
    assert.deepEqual(codes(await run(CLEAN, { turn: liveOf(target()), coturnConfig: coturn(other) })), ['MXD-TURN-015:ok']);
  });

  test('MXD-TURN-009 noUseAuthSecret', async () => {
    const r = await run(CLEAN, { turn: liveOf(rejected()), coturnConfig: coturn(SAFE_COTURN.replace('use-auth-secret\n', 'lt-cred-mech\n')) });
    assert.deepEqual(codes(r), ['MXD-TURN-009:noUseAuthSecret']);
    assert.match(r.findings[0].message, /\/etc\/turnserver\.conf has no use-auth-secret line/);
  });

  test('MXD-TURN-009 staticRejected and voipRejected', async () => {
    const staticCfg = `${BASE}${URIS}turn_username: "turnuser"\nturn_password: "turnpass"\n`;
    const r = await run(staticCfg, { turn: liveOf(rejected()) });
    const f = one(r, 'MXD-TURN-009', 'staticRejected');
    assert.match(f.message, /rejects turn_username 'turnuser' with turn_password/);
    assert.ok(!JSON.stringify(f).includes('turnpass'));
    const voip: VoipTurnServerArtifact = {
      baseUrl: 'https://matrix.example.com',
      baseUrlSource: 'homeserver-config',
      url: 'https://matrix.example.com/_matrix/client/v3/voip/turnServer',
      ok: true,
      status: 200,
      empty: false,
      uris: ['turn:turn.example.com?transport=udp', 'turn:turn.example.com?transport=tcp', 'turns:turn.example.com:5349?transport=tcp'],
      username: '1900000000:@alice:example.com',
      password: 'x',
      ttl: 86400,
      durationMs: 5,
    };
    const v = await run(CLEAN, { turn: liveOf(target(), rejected({ source: 'voip' })), voipTurnServer: voip });
    assert.deepEqual(codes(v), ['MXD-TURN-015:ok', 'MXD-TURN-009:voipRejected']);
    assert.deepEqual(v.findings[1].location, { url: voip.url });
  });

  test('MXD-TURN-011: quota, capacity, other refusals, and no challenge', async () => {
    const refusedWith = (code: number, reason: string) =>
      target({
        allocate: { ok: false, rttMs: 20, attempts: 1, staleNonceRetries: 0, stunError: { code, reason } },
        permissions: undefined,
        release: undefined,
      });
    const r = await run(CLEAN, {
      turn: liveOf(
        refusedWith(486, 'Allocation Quota Reached'),
        refusedWith(508, 'Insufficient Capacity'),
        refusedWith(438, 'Stale Nonce'),
        target({
          challenge: { ok: false, rttMs: 5, attempts: 1, authRequired: true, nonce: false, stunError: { code: 400, reason: 'Bad Request' } },
          allocate: undefined,
        }),
      ),
    });
    assert.deepEqual(codes(r), ['MXD-TURN-011:quota', 'MXD-TURN-011:capacity', 'MXD-TURN-011:refused', 'MXD-TURN-011:noChallenge']);
    assert.match(r.findings[2].message, /438 Stale Nonce/);
    assert.match(r.findings[3].message, /400 Bad Request/);
    assert.equal(r.findings[3].data.detail, '400 Bad Request');
    // An error answer without ERROR-CODE: nothing the server said to show, the phrase says so.
    const unexplained = await run(CLEAN, {
      turn: liveOf(target({ challenge: { ok: false, rttMs: 5, attempts: 1, authRequired: true, nonce: false }, allocate: undefined })),
    });
    const f = one(unexplained, 'MXD-TURN-011', 'noChallengeUnexplained');
    assert.equal(f.data.detail, 'noAnswer');
    assert.match(f.message, /a TURN server \(turn:turn\.example\.com\?transport=udp: no answer to Allocate\); clients cannot authenticate\.$/);
    assert.equal(f.fix?.summary, check.codes.find((c) => c.code === 'MXD-TURN-011')?.fixes?.noChallenge);
  });

  test('MXD-TURN-011 integrity: an allocation answered without (or with a wrong) MESSAGE-INTEGRITY, which clients discard', async () => {
    const withIntegrity = (responseIntegrity: 'absent' | 'invalid') => target({ allocate: { ...(target().allocate as object), ok: true, responseIntegrity } });
    const r = await run(CLEAN, { turn: liveOf(withIntegrity('absent'), withIntegrity('invalid')) });
    assert.deepEqual(codes(r), ['MXD-TURN-011:integrity', 'MXD-TURN-011:integrity']);
    assert.match(r.findings[0].message, /answered the authenticated Allocate without MESSAGE-INTEGRITY .*RFC 8489 §9\.2\.5/);
    assert.match(r.findings[1].message, /answered the authenticated Allocate with a MESSAGE-INTEGRITY that does not match the credentials \(/);
    assert.deepEqual(
      r.findings.map((f) => f.data.how),
      ['absent', 'invalid'],
    );
  });

  test('a TURN server without credentials is an open relay (MXD-TURN-012 noAuth)', async () => {
    const r = await run(CLEAN, {
      turn: liveOf(
        target({
          challenge: { ok: true, rttMs: 5, attempts: 1, authRequired: false, nonce: false },
          allocate: { ok: true, withoutCredentials: true, relayed: { family: 4, address: '203.0.113.10', port: 50001 }, relayedKind: 'public' },
          permissions: undefined,
        }),
      ),
    });
    assert.deepEqual(codes(r), ['MXD-TURN-012:noAuth']);
  });
});

describe('turn: security and addresses', () => {
  test('MXD-TURN-012 open: granted internal peers, one finding for all targets, with the coturn lines to add', async () => {
    const granted = (t: Partial<TurnTarget>) =>
      target({
        ...t,
        permissions: [
          { peer: '127.0.0.1', kind: 'loopback', tested: true, granted: true },
          { peer: '10.0.0.1', kind: 'private', tested: true, granted: true },
          { peer: '169.254.169.254', kind: 'metadata', tested: true, granted: true },
          { peer: '224.0.0.1', kind: 'multicast', tested: true, granted: false, stunError: { code: 403, reason: 'Forbidden IP' } },
        ],
      });
    const open = coturn('use-auth-secret\nstatic-auth-secret=n0t-so-s3cret\nallow-loopback-peers\nno-multicast-peers\n');
    const r = await run(CLEAN, {
      turn: liveOf(granted({}), granted({ uriIndex: 1, uri: 'turn:turn.example.com?transport=tcp', transport: 'tcp' })),
      coturnConfig: open,
    });
    const f = one(r, 'MXD-TURN-012', 'open');
    assert.match(
      f.message,
      /\(127\.0\.0\.1 \(loopback\), 10\.0\.0\.1 \(private\), 169\.254\.169\.254 \(metadata\)\) via turn:turn\.example\.com\?transport=udp @ 203\.0\.113\.10, turn:turn\.example\.com\?transport=tcp @ 203\.0\.113\.10/,
    );
    assert.match(f.fix?.summary ?? '', /delete allow-loopback-peers \(line 3\)/);
    assert.ok(f.fix?.steps.includes('denied-peer-ip=169.254.0.0-169.254.255.255'));
    assert.equal(r.status, 'fail');
  });

  test("MXD-TURN-012 config: coturn's file leaves internal ranges open (when nothing was tried live)", async () => {
    const r = await run(CLEAN, {
      coturnConfig: coturn('use-auth-secret\nstatic-auth-secret=n0t-so-s3cret\ndenied-peer-ip=10.0.0.0-10.255.255.255\nallowed-peer-ip=10.0.0.1\n'),
    });
    const f = one(r, 'MXD-TURN-012', 'config');
    assert.match(f.message, /10\.0\.0\.1 \(private: an allowed-peer-ip line includes it\)/);
    assert.match(f.message, /172\.16\.0\.1 \(private: no denied-peer-ip line covers it\)/);
    assert.match(f.message, /224\.0\.0\.1 \(multicast: no no-multicast-peers line\)/);
    assert.ok(!f.message.includes('127.0.0.1'), 'loopback is refused by default');
    // A safe file: nothing.
    assert.deepEqual(codes(await run(CLEAN, { coturnConfig: coturn(SAFE_COTURN) })), []);
    // Permissions asked live win over the file.
    assert.deepEqual(codes(await run(CLEAN, { turn: liveOf(target()), coturnConfig: coturn('use-auth-secret\nstatic-auth-secret=n0t-so-s3cret\n') })), [
      'MXD-TURN-015:ok',
    ]);
  });

  test('MXD-TURN-013: a private relayed address while clients reach a public one', async () => {
    const r = await run(CLEAN, {
      turn: liveOf(target({ allocate: { ...target().allocate, ok: true, relayed: { family: 4, address: '10.0.0.5', port: 50002 }, relayedKind: 'private' } })),
    });
    const f = one(r, 'MXD-TURN-013', 'private');
    assert.match(f.message, /is 10\.0\.0\.5:50002, a private address, while clients reach the server at the public 203\.0\.113\.10/);
    assert.match(f.fix?.summary ?? '', /external-ip=203\.0\.113\.10\/10\.0\.0\.5/);
    // On a LAN (the server itself private), a private relay is expected.
    const lan = await run(CLEAN, {
      turn: liveOf(
        target({
          address: '192.168.1.2',
          addressKind: 'private',
          allocate: { ...target().allocate, ok: true, relayed: { family: 4, address: '192.168.1.2', port: 50002 }, relayedKind: 'private' },
        }),
      ),
    });
    assert.deepEqual(codes(lan), ['MXD-TURN-015:ok']);
  });

  test('MXD-TURN-010: realm differs from the file, and between servers', async () => {
    const r = await run(CLEAN, {
      turn: liveOf(target(), target({ address: '203.0.113.11', challenge: { ...target().challenge, ok: true, realm: 'other.example' } })),
      coturnConfig: coturn(SAFE_COTURN),
    });
    assert.deepEqual(
      codes(r).filter((c) => c.startsWith('MXD-TURN-010')),
      ['MXD-TURN-010:mismatch', 'MXD-TURN-010:inconsistent'],
    );
    assert.match(one(r, 'MXD-TURN-010', 'mismatch').message, /announces realm 'other\.example', but \/etc\/turnserver\.conf sets realm=example\.com/);
    assert.match(one(r, 'MXD-TURN-010', 'inconsistent').message, /'example\.com', 'other\.example'/);
    assert.equal(r.status, 'warn');
  });
});

describe('turn: /voip/turnServer', () => {
  const voipBase: VoipTurnServerArtifact = {
    baseUrl: 'https://matrix.example.com',
    baseUrlSource: 'homeserver-config',
    url: 'https://matrix.example.com/_matrix/client/v3/voip/turnServer',
    ok: true,
    status: 200,
    empty: false,
    durationMs: 4,
  };

  test('MXD-TURN-014: {} from the running homeserver, other URIs, and an unreadable endpoint', async () => {
    const empty = await run(CLEAN, { voipTurnServer: { ...voipBase, empty: true } });
    assert.deepEqual(codes(empty), ['MXD-TURN-014:empty']);
    assert.equal(empty.findings[0].severity, 'error');
    const other = await run(CLEAN, { voipTurnServer: { ...voipBase, uris: ['turn:old.example.com'], username: 'u', password: 'p', ttl: 3600 } });
    assert.deepEqual(codes(other), ['MXD-TURN-014:uris']);
    assert.equal(other.findings[0].severity, 'warning');
    assert.match(other.findings[0].message, /hands out turn:old\.example\.com, but homeserver.yaml has turn:turn\.example\.com\?transport=udp/);
    assert.equal(other.findings[0].data.live, 'turn:old.example.com');
    const none = await run(CLEAN, { voipTurnServer: { ...voipBase, uris: [], username: 'u', password: 'p', ttl: 3600 } });
    const f = one(none, 'MXD-TURN-014', 'urisNone');
    assert.equal(f.severity, 'warning');
    assert.equal(f.data.live, 'none');
    assert.match(f.message, /voip\/turnServer hands out \(none\), but homeserver\.yaml has turn:turn\.example\.com\?transport=udp, /);
    const bad = await run(CLEAN, { voipTurnServer: { ...voipBase, status: 401, errcode: 'M_UNKNOWN_TOKEN', errorText: 'Invalid access token passed.' } });
    assert.deepEqual(codes(bad), ['MXD-TURN-014:request']);
    assert.match(bad.findings[0].message, /HTTP 401 M_UNKNOWN_TOKEN: Invalid access token passed\./);
    assert.ok(!JSON.stringify(bad.findings[0].evidence).includes('"password"'));
  });
});

describe('turn: helpers', () => {
  test("parseSynapseDuration is Synapse's parse_duration", () => {
    assert.deepEqual(parseSynapseDuration(86400), { ms: 86400, bare: true });
    assert.deepEqual(parseSynapseDuration('1h'), { ms: 3_600_000, bare: false });
    assert.deepEqual(parseSynapseDuration('500ms'), { ms: 500, bare: false });
    assert.deepEqual(parseSynapseDuration('2d'), { ms: 172_800_000, bare: false });
    assert.deepEqual(parseSynapseDuration('90'), { ms: 90, bare: true });
    assert.deepEqual(parseSynapseDuration('1.5h'), { bare: false });
    assert.deepEqual(parseSynapseDuration(1.5), { bare: true });
  });

  test('humanDuration, and durationParts (the unit a phrase id of MXD-TURN-003)', () => {
    assert.deepEqual(durationParts(86_400_000), { count: 1, unit: 'day' });
    assert.deepEqual(durationParts(172_800_000), { count: 2, unit: 'days' });
    assert.deepEqual(durationParts(86_400), { count: 86.4, unit: 'seconds' });
    assert.deepEqual(durationParts(999), { count: 999, unit: 'milliseconds' });
    const phrases = check.codes.find((c) => c.code === 'MXD-TURN-003')?.phrases ?? {};
    for (const ms of [1000, 60_000, 3_600_000, 7_200_000, 86_400_000, 86_400, 5_400_000, 999, 1])
      assert.ok(Object.hasOwn(phrases, durationParts(ms).unit), String(ms));
    assert.equal(humanDuration(86_400_000), '1 day');
    assert.equal(humanDuration(86_400), '86.4 seconds');
    assert.equal(humanDuration(5_400_000), '90 minutes');
    assert.equal(humanDuration(59_000), '59 seconds');
    assert.equal(humanDuration(999), '999 milliseconds');
  });

  test('coturnPeerVerdicts: denied-peer-ip ranges (a-b, single, CIDR), allowed-peer-ip wins, loopback and multicast defaults', () => {
    const v = coturnPeerVerdicts(coturn(SAFE_COTURN));
    assert.deepEqual(
      v.filter((x) => x.open),
      [],
    );
    const loose = coturnPeerVerdicts(coturn('allow-loopback-peers\ndenied-peer-ip=127.0.0.2\n'));
    assert.equal(loose.find((x) => x.peer === '127.0.0.1')?.why, 'allow-loopback-peers');
    assert.equal(loose.find((x) => x.peer === 'fd00::1')?.open, true);
  });

  test('parseCoturnConfig keeps secrets out of the entries', () => {
    const p = parseCoturnConfig(
      '# comment\nstatic-auth-secret=abc123\nuser=bob:hunter2\ncli-password=qwerty\n--realm=example.com\nfingerprint\nmin-port 50000\n',
    );
    assert.deepEqual(p.staticAuthSecret, ['abc123']);
    assert.deepEqual(p.secrets.sort(), ['abc123', 'hunter2', 'qwerty']);
    assert.deepEqual(p.entries, [
      { name: 'static-auth-secret', secret: true, line: 2 },
      { name: 'user', value: 'bob', secret: true, line: 3 },
      { name: 'cli-password', secret: true, line: 4 },
      { name: 'realm', value: 'example.com', line: 5 },
      { name: 'fingerprint', line: 6 },
      { name: 'min-port', value: '50000', line: 7 },
    ]);
  });
});

test('every code and message of turn is produced by a test above', () => {
  assert.deepEqual(coverage.missing(), []);
});
