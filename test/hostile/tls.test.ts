// Hostile and broken TLS peers, through the BUILT binary: the well-known check (HTTPS requests that
// complete whatever the certificate, to report it) and the federation check (its own TLS handshake per
// address, with the name the spec requires) against example.test on a loopback server that serves a
// certificate for another name, a self-signed one, an expired one, never finishes the handshake, or
// answers the ClientHello with plain text. Each case: the finding that names the problem, the exit code,
// the run within its budget, bounded memory.
// Network safety: servers bind 127.0.0.1; --connect-to sends example.test:443 and :8448 there; the
// runs are loopback-only with a loopback --dns-server (SRV lookups get NXDOMAIN from it).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Finding } from '../../src/engine/types.js';
import { startHttpsServer, startSilentServer } from '../helpers/servers.js';
import { issueLeaf, type KeyPair, testCerts } from '../helpers/tls.js';
import { assertBounded, type CheckOutcome, finding, hostileHooks, runCheck, startTcp } from './support.js';

hostileHooks();

interface Outcome extends CheckOutcome {
  wk: Finding[];
  fed: Finding[];
}

async function against(port: number): Promise<Outcome> {
  const o = await runCheck([
    '--only',
    'well-known,federation',
    '--server-name',
    'example.test',
    '--connect-to',
    `example.test:443:127.0.0.1:${port}`,
    '--connect-to',
    `example.test:8448:127.0.0.1:${port}`,
  ]);
  return { ...o, wk: o.findingsOf('well-known'), fed: o.findingsOf('federation') };
}

/** An HTTPS server with this certificate that answers 404 to everything. */
async function withCert(pair: KeyPair): Promise<Outcome> {
  const server = await startHttpsServer({}, { cert: pair.cert, key: pair.key });
  try {
    return await against(server.port);
  } finally {
    await server.close();
  }
}

describe('hostile TLS peers (well-known and federation, through the built binary)', () => {
  test('a certificate for another name: MXD-WK-014 and MXD-FED-008 name the mismatch', async () => {
    const o = await withCert(issueLeaf(['wrong.example']));
    assertBounded(o.run, 1, 'wrong name');
    assert.match(finding(o.wk, 'MXD-WK-014').message, /is not valid \(.*wrong\.example/);
    assert.match(finding(o.fed, 'MXD-FED-008').message, /is not valid for example\.test \(it covers .*wrong\.example/);
  });

  test('a self-signed certificate: MXD-WK-014 and MXD-FED-007 say self-signed', async () => {
    const o = await withCert(testCerts().selfSigned);
    assertBounded(o.run, 1, 'self-signed');
    assert.match(finding(o.wk, 'MXD-WK-014').message, /is not valid \(DEPTH_ZERO_SELF_SIGNED_CERT\)/);
    assert.match(finding(o.fed, 'MXD-FED-007').message, /not trusted \(.*SELF_SIGNED/);
  });

  test('an expired certificate: MXD-WK-014 and MXD-FED-009 say expired', async () => {
    const o = await withCert(testCerts().expired);
    assertBounded(o.run, 1, 'expired');
    assert.match(finding(o.wk, 'MXD-WK-014').message, /is not valid \(CERT_HAS_EXPIRED\)/);
    assert.match(finding(o.fed, 'MXD-FED-009', 'expired').message, /expired on .*2021/);
  });

  test('a handshake that never finishes (TCP accepted, the ClientHello never answered): a timeout, within the budget', async () => {
    const silent = await startSilentServer();
    try {
      const o = await against(silent.port);
      assertBounded(o.run, 1, 'silent handshake');
      assert.match(finding(o.wk, 'MXD-WK-002', 'serverNetwork').message, /could not be fetched \(TIMEOUT: .*TLS handshake/);
      assert.match(
        finding(o.fed, 'MXD-FED-006', 'handshake').message,
        /TLS handshake with 127\.0\.0\.1 port 8448 \(example\.test\) failed \(TIMEOUT: the TCP connection was accepted, but the TLS handshake did not finish/,
      );
      assert.ok(silent.connections >= 1);
    } finally {
      await silent.close();
    }
  });

  test('plain text on the TLS port: a TLS handshake failure, at once', async () => {
    const plain = await startTcp((socket) => socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 31\r\n\r\nplain HTTP sent to the TLS port'));
    try {
      const o = await against(plain.port);
      assertBounded(o.run, 1, 'plain text on TLS');
      assert.match(finding(o.wk, 'MXD-WK-002', 'serverNetwork').message, /could not be fetched \(TLS_HANDSHAKE: .*wrong version number/i);
      assert.match(finding(o.fed, 'MXD-FED-006', 'handshake').message, /TLS/);
    } finally {
      await plain.close();
    }
  });
});
