// Hostile STUN/TURN peers for the turn check, through the BUILT binary: homeserver.yaml's turn_uris
// points at a UDP server on 127.0.0.1 that answers every request with garbage, with responses for other
// transaction IDs, with damaged responses for the right transaction ID, with huge datagrams, or as a
// TURN server whose authenticated answers carry no MESSAGE-INTEGRITY (which clients must discard, RFC
// 8489 §9.2.5). Each case: the finding that names the problem, exit 1, the run within its budget,
// bounded memory, and no crash whatever the datagrams hold.
// Network safety: the UDP server binds 127.0.0.1 and the URI is an IP literal on loopback; the runs are
// loopback-only. CreatePermission only asks the server to record a permission: nothing is sent to peers.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import type { Finding } from '../../src/engine/types.js';
import { decode, encode, METHOD, type StunAttribute, type StunMessage } from '../../src/stun/message.js';
import { prng } from '../helpers/prng.js';
import { assertBounded, finding, hostileHooks, type MeasuredRun, runCheck, startUdp, tempFile } from './support.js';

hostileHooks();

interface Outcome {
  run: MeasuredRun;
  findings: Finding[];
}

/** `check --only turn` with turn_uris pointing at a UDP server that answers with `reply`. */
async function turnAgainst(reply: (request: Buffer) => Buffer | Buffer[] | undefined): Promise<Outcome & { hits: number }> {
  const server = await startUdp(reply);
  try {
    const file = tempFile(
      'homeserver.yaml',
      [
        'server_name: example.test',
        'report_stats: false',
        `turn_uris: ["turn:127.0.0.1:${server.port}?transport=udp"]`,
        'turn_shared_secret: "hostile-test-secret"',
        'turn_user_lifetime: 1h',
        '',
      ].join('\n'),
    );
    // turn_uris is an IP literal: no DNS to route, no certificate to trust.
    const { run, findingsOf } = await runCheck(['--only', 'turn', '--homeserver-config', file], { dns: false, ca: false });
    assert.ok(!run.stdout.includes('hostile-test-secret'), 'the shared secret leaked');
    return { run, findings: findingsOf('turn'), hits: server.hits };
  } finally {
    await server.close();
  }
}

/** A response to `request` (success or error) with `attributes`, optionally for another transaction. */
function respondTo(request: Buffer, cls: 'success' | 'error', attributes: StunAttribute[], transactionId?: Buffer, fingerprint = true): Buffer {
  const req = decode(request).message;
  const message: StunMessage = { method: req.method, cls, transactionId: transactionId ?? req.transactionId, attributes };
  return encode(message, { fingerprint });
}

/** A well-behaved answer, except that nothing is ever signed (no MESSAGE-INTEGRITY). */
function unsignedTurn(request: Buffer, fingerprint = true): Buffer {
  const respond = (r: Buffer, cls: 'success' | 'error', attributes: StunAttribute[]) => respondTo(r, cls, attributes, undefined, fingerprint);
  const req = decode(request).message;
  const authed = req.attributes.some((a) => a.type === 'USERNAME');
  const mapped: StunAttribute = { type: 'XOR-MAPPED-ADDRESS', value: { family: 4, address: '127.0.0.1', port: 40000 } };
  if (req.method === METHOD.Binding) return respond(request, 'success', [mapped]);
  if (req.method === METHOD.Allocate && !authed) {
    return respond(request, 'error', [
      { type: 'ERROR-CODE', value: { code: 401, reason: 'Unauthorized' } },
      { type: 'REALM', value: 'example.test' },
      { type: 'NONCE', value: 'abcdef0123456789' },
    ]);
  }
  if (req.method === METHOD.Allocate) {
    return respond(request, 'success', [
      { type: 'XOR-RELAYED-ADDRESS', value: { family: 4, address: '127.0.0.1', port: 50000 } },
      mapped,
      { type: 'LIFETIME', value: 600 },
    ]);
  }
  if (req.method === METHOD.CreatePermission) return respond(request, 'error', [{ type: 'ERROR-CODE', value: { code: 403, reason: 'Forbidden IP' } }]);
  return respond(request, 'success', []);
}

describe('hostile STUN/TURN peers (turn, through the built binary)', () => {
  test('garbage datagrams: ignored as RFC 8489 says, MXD-TURN-006 no answer, within the timeout', async () => {
    const o = await turnAgainst(() => [randomBytes(7), randomBytes(100), Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n')]);
    assertBounded(o.run, 1, 'garbage');
    assert.match(finding(o.findings, 'MXD-TURN-006', 'timeout').message, /gave no answer over UDP .*\d+ STUN requests in \d+ ms/);
    assert.ok(o.hits >= 2, `${o.hits} datagrams`);
  });

  test('responses for other transaction IDs: ignored, MXD-TURN-006', async () => {
    const o = await turnAgainst((request) => respondTo(request, 'success', [], randomBytes(12)));
    assertBounded(o.run, 1, 'wrong transaction ids');
    finding(o.findings, 'MXD-TURN-006', 'timeout');
  });

  test('damaged responses for the right transaction ID (random bytes flipped in the attributes, no FINGERPRINT to catch it): never a crash', async () => {
    const random = prng(0x5eed);
    const o = await turnAgainst((request) => {
      // Without FINGERPRINT the damage reaches the attribute decoder (addresses, ERROR-CODE, LIFETIME...).
      const good = unsignedTurn(request, false);
      return Array.from({ length: 16 }, () => {
        const bad = Buffer.from(good);
        const flips = 1 + Math.floor(random() * 4);
        for (let i = 0; i < flips; i++) bad[20 + Math.floor(random() * (bad.length - 20))] = Math.floor(random() * 256);
        return bad;
      });
    });
    assertBounded(o.run, 1, 'damaged responses');
    assert.ok(
      o.findings.some((f) => f.code.startsWith('MXD-TURN-')),
      o.findings.map((f) => f.code).join(', '),
    );
  });

  test('responses whose lengths lie (header length past the datagram, attributes running off the end)', async () => {
    const o = await turnAgainst((request) => {
      const good = unsignedTurn(request);
      const longer = Buffer.from(good);
      longer.writeUInt16BE(0xfffc, 2);
      const attr = Buffer.concat([good.subarray(0, 20), Buffer.from([0x00, 0x20, 0xff, 0xff, 1, 2, 3, 4])]);
      attr.writeUInt16BE(8, 2);
      return [longer, attr, good.subarray(0, 19)];
    });
    assertBounded(o.run, 1, 'lying lengths');
    finding(o.findings, 'MXD-TURN-006', 'timeout');
  });

  test('huge datagrams (64 KiB) on every request: dropped, memory bounded', async () => {
    const o = await turnAgainst(() => Array.from({ length: 8 }, () => Buffer.alloc(65_000, 0x01)));
    assertBounded(o.run, 1, 'huge datagrams');
    finding(o.findings, 'MXD-TURN-006', 'timeout');
  });

  test('an allocation granted without MESSAGE-INTEGRITY: MXD-TURN-011 integrity (clients discard it)', async () => {
    const o = await turnAgainst(unsignedTurn);
    assertBounded(o.run, 1, 'no integrity');
    const integrity = finding(o.findings, 'MXD-TURN-011', 'integrity');
    assert.match(integrity.message, /answered the authenticated Allocate without MESSAGE-INTEGRITY .*clients discard such answers/);
    assert.equal(integrity.data.how, 'absent');
    assert.ok(!o.findings.some((f) => f.code === 'MXD-TURN-015'), 'no "TURN relay works"');
  });
});
