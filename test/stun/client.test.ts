// The TURN client and its transports against a scripted TURN server on loopback (built on the same
// codec): the 401 challenge, 438 Stale Nonce retried on the same socket, MESSAGE-INTEGRITY both ways,
// CreatePermission refusals, release; UDP retransmission timing (RTO 500 ms, doubling) bounded by the
// signal; TCP framing with split writes and ChannelData in between; the --allow-targets guard.

import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { once } from 'node:events';
import net from 'node:net';
import { after, describe, test } from 'node:test';
import { ProbeError } from '../../src/engine/errors.js';
import { NetClient } from '../../src/net/client.js';
import { parseAllowTargets } from '../../src/net/targets.js';
import { TurnClient } from '../../src/stun/client.js';
import { longTermKey } from '../../src/stun/credentials.js';
import { attributeValue, type DecodedMessage, decode, encode, METHOD, type StunAttribute, verifyIntegrity } from '../../src/stun/message.js';
import { StreamFramer, StreamTransport, StunTransportError, UdpTransport } from '../../src/stun/transport.js';
import { parseTurnUri } from '../../src/stun/uri.js';

const REALM = 'fake.test';
const USER = '1999999999:@alice:example.org';
const PASSWORD = 'pa55word';
const KEY = longTermKey(USER, REALM, PASSWORD);
const loopbackOnly = new NetClient({ resolve: [], connectTo: [], allowTargets: parseAllowTargets('127.0.0.0/8,::1/128') });

interface Script {
  /** Requests (by transaction) to drop before answering: exercises retransmission. */
  dropFirst?: number;
  /** Answer the first authenticated request with 438 and this new nonce. */
  staleOnce?: boolean;
  silent?: boolean;
}

/** A scripted TURN server: one nonce per client 5-tuple, as coturn. Returns the reply bytes (or none). */
function fakeTurn(script: Script) {
  const nonces = new Map<string, string>();
  const seen = new Map<string, number>();
  const log: { method: number; auth: boolean; nonce?: string; integrityOk?: boolean }[] = [];
  let staleSent = false;
  const reply = (req: DecodedMessage, cls: 'success' | 'error', attributes: StunAttribute[], withIntegrity: boolean) =>
    encode(
      { method: req.message.method, cls, transactionId: req.message.transactionId, attributes: [...attributes, { type: 'SOFTWARE', value: 'fake' }] },
      { integrityKey: withIntegrity ? KEY : undefined, fingerprint: true },
    );
  const handle = (bytes: Buffer, client: string, from: { address: string; port: number }): Buffer | undefined => {
    if (script.silent) return undefined;
    const req = decode(bytes);
    const tx = req.message.transactionId.toString('hex');
    seen.set(tx, (seen.get(tx) ?? 0) + 1);
    if ((seen.get(tx) ?? 0) <= (script.dropFirst ?? 0)) return undefined;
    const m = req.message;
    const mapped: StunAttribute = { type: 'XOR-MAPPED-ADDRESS', value: { family: 4, address: from.address, port: from.port } };
    if (m.method === METHOD.Binding) return reply(req, 'success', [mapped], false);
    const nonce = nonces.get(client) ?? `nonce-${client}`;
    nonces.set(client, nonce);
    const auth = req.integrity !== undefined;
    const sentNonce = attributeValue(m, 'NONCE');
    log.push({ method: m.method, auth, nonce: sentNonce, integrityOk: auth ? verifyIntegrity(req, KEY) : undefined });
    const challenge = (code: number, reason: string, n = nonce) =>
      reply(
        req,
        'error',
        [
          { type: 'ERROR-CODE', value: { code, reason } },
          { type: 'REALM', value: REALM },
          { type: 'NONCE', value: n },
        ],
        false,
      );
    if (!auth) return challenge(401, 'Unauthorized');
    if (sentNonce !== nonce) return challenge(438, 'Wrong nonce\0');
    if (script.staleOnce && !staleSent) {
      staleSent = true;
      const fresh = `${nonce}-2`;
      nonces.set(client, fresh);
      return challenge(438, 'Stale Nonce', fresh);
    }
    if (attributeValue(m, 'USERNAME') !== USER || !verifyIntegrity(req, KEY)) return challenge(401, 'Unauthorized');
    if (m.method === METHOD.Allocate) {
      return reply(
        req,
        'success',
        [{ type: 'XOR-RELAYED-ADDRESS', value: { family: 4, address: '192.0.2.7', port: 50000 } }, mapped, { type: 'LIFETIME', value: 600 }],
        true,
      );
    }
    if (m.method === METHOD.CreatePermission) {
      const peer = attributeValue(m, 'XOR-PEER-ADDRESS');
      if (peer?.address.startsWith('10.')) return reply(req, 'error', [{ type: 'ERROR-CODE', value: { code: 403, reason: 'Forbidden IP' } }], true);
      return reply(req, 'success', [], true);
    }
    if (m.method === METHOD.Refresh) return reply(req, 'success', [{ type: 'LIFETIME', value: attributeValue(m, 'LIFETIME') ?? 0 }], true);
    return reply(req, 'error', [{ type: 'ERROR-CODE', value: { code: 400, reason: 'Bad Request' } }], false);
  };
  return { handle, log };
}

const closers: (() => void)[] = [];
after(() => {
  for (const c of closers) c();
});

async function udpServer(script: Script) {
  const fake = fakeTurn(script);
  const socket = dgram.createSocket('udp4');
  socket.on('message', (msg, rinfo) => {
    const out = fake.handle(msg, `${rinfo.address}:${rinfo.port}`, rinfo);
    if (out) socket.send(out, rinfo.port, rinfo.address);
  });
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  closers.push(() => socket.close());
  return { port: socket.address().port, log: fake.log };
}

async function tcpServer(script: Script) {
  const fake = fakeTurn(script);
  const server = net.createServer((conn) => {
    const framer = new StreamFramer();
    let queue: Promise<unknown> = Promise.resolve();
    conn.on('data', (chunk) => {
      for (const frame of framer.push(chunk)) {
        const out = fake.handle(frame, `${conn.remoteAddress}:${conn.remotePort}`, { address: conn.remoteAddress ?? '', port: conn.remotePort ?? 0 });
        if (!out) continue;
        // ChannelData first (must be skipped), then the answer in three pieces, one answer after the other.
        const pause = () => new Promise((r) => setTimeout(r, 5));
        queue = queue.then(async () => {
          conn.write(Buffer.from([0x40, 0x00, 0x00, 0x03, 1, 2, 3, 0]));
          conn.write(out.subarray(0, 3));
          await pause();
          conn.write(out.subarray(3, 25));
          await pause();
          conn.write(out.subarray(25));
        });
      }
    });
    conn.on('error', () => {});
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  closers.push(() => server.close());
  return { port: (server.address() as net.AddressInfo).port, log: fake.log };
}

const signal = (ms = 3000) => AbortSignal.timeout(ms);

describe('TurnClient over UDP', () => {
  test('binding, challenge, allocate with a stale nonce retried on the same socket, permissions, release', async () => {
    const server = await udpServer({ staleOnce: true });
    const client = new TurnClient(await UdpTransport.open(loopbackOnly, '127.0.0.1', server.port, 'test', signal()));
    try {
      const b = await client.binding(signal());
      assert.equal(b.ok, true);
      assert.equal(b.mapped?.address, '127.0.0.1');
      assert.equal(b.attempts, 1);
      const c = await client.challenge(signal());
      assert.deepEqual(
        { ok: c.ok, authRequired: c.authRequired, realm: c.realm, nonce: c.nonce, code: c.error?.code },
        { ok: true, authRequired: true, realm: REALM, nonce: true, code: 401 },
      );
      const a = await client.allocate({ username: USER, password: PASSWORD }, signal());
      assert.equal(a.ok, true, JSON.stringify(a));
      assert.equal(a.staleNonceRetries, 1);
      assert.deepEqual(a.relayed, { family: 4, address: '192.0.2.7', port: 50000 });
      assert.equal(a.lifetime, 600);
      assert.equal(a.responseIntegrity, 'valid');
      const denied = await client.createPermission('10.0.0.1', signal());
      assert.deepEqual({ ok: denied.ok, code: denied.error?.code, reason: denied.error?.reason }, { ok: false, code: 403, reason: 'Forbidden IP' });
      assert.equal((await client.createPermission('192.0.2.99', signal())).ok, true);
      assert.equal((await client.refresh(0, signal())).ok, true);
      // Every authenticated request carried MESSAGE-INTEGRITY made with MD5(user:realm:password).
      assert.ok(server.log.filter((l) => l.auth).every((l) => l.integrityOk));
      // The 438 carried a new nonce; every later request used it.
      const nonces = server.log.filter((l) => l.auth).map((l) => l.nonce);
      assert.equal(nonces[1], `${nonces[0]}-2`);
      assert.ok(nonces.slice(1).every((n) => n === nonces[1]));
    } finally {
      client.close();
    }
  });

  test('wrong password: the authenticated Allocate gets 401 again', async () => {
    const server = await udpServer({});
    const client = new TurnClient(await UdpTransport.open(loopbackOnly, '127.0.0.1', server.port, 'test', signal()));
    try {
      await client.challenge(signal());
      const a = await client.allocate({ username: USER, password: 'wrong' }, signal());
      assert.equal(a.ok, false);
      assert.equal(a.error?.code, 401);
      assert.equal(a.staleNonceRetries, 0);
    } finally {
      client.close();
    }
  });

  test('a nonce from another socket is refused with 438 (coturn ties nonces to the 5-tuple)', async () => {
    const server = await udpServer({});
    const first = new TurnClient(await UdpTransport.open(loopbackOnly, '127.0.0.1', server.port, 'test', signal()));
    const second = new TurnClient(await UdpTransport.open(loopbackOnly, '127.0.0.1', server.port, 'test', signal()));
    try {
      await first.challenge(signal());
      await second.challenge(signal());
      // The client retries 438 with the nonce the server sends back: it ends on this socket's own nonce.
      const a = await second.allocate({ username: USER, password: PASSWORD }, signal());
      assert.equal(a.ok, true);
      const nonces = server.log.filter((l) => l.auth).map((l) => l.nonce);
      assert.equal(new Set(nonces).size, 1, 'one nonce per socket');
    } finally {
      first.close();
      second.close();
    }
  });

  test('retransmission: RTO 500 ms, doubling; the answer to the third send is taken', async () => {
    const server = await udpServer({ dropFirst: 2 });
    const client = new TurnClient(await UdpTransport.open(loopbackOnly, '127.0.0.1', server.port, 'test', signal()));
    try {
      const b = await client.binding(signal(5000));
      assert.equal(b.ok, true);
      assert.equal(b.attempts, 3);
      assert.ok(b.rttMs >= 1400 && b.rttMs < 2500, `answered after ${b.rttMs} ms (sends at 0, 500, 1500 ms)`);
    } finally {
      client.close();
    }
  });

  test('no answer: the transaction ends when the signal does, with the number of sends', async () => {
    const server = await udpServer({ silent: true });
    const client = new TurnClient(await UdpTransport.open(loopbackOnly, '127.0.0.1', server.port, 'test', signal()));
    const t0 = performance.now();
    try {
      await assert.rejects(
        client.binding(AbortSignal.timeout(800)),
        (e: unknown) => e instanceof StunTransportError && e.code === 'TIMEOUT' && e.attempts === 2,
      );
      assert.ok(performance.now() - t0 < 1500);
    } finally {
      client.close();
    }
  });

  test('nothing listening: ICMP port unreachable is reported as PORT_UNREACHABLE, fast', async () => {
    const probe = dgram.createSocket('udp4');
    probe.bind(0, '127.0.0.1');
    await once(probe, 'listening');
    const port = probe.address().port;
    probe.close();
    const client = new TurnClient(await UdpTransport.open(loopbackOnly, '127.0.0.1', port, 'test', signal()));
    const t0 = performance.now();
    try {
      await assert.rejects(client.binding(signal()), (e: unknown) => e instanceof StunTransportError && e.code === 'PORT_UNREACHABLE');
      assert.ok(performance.now() - t0 < 400);
    } finally {
      client.close();
    }
  });

  test('--allow-targets: a UDP socket towards an address outside it is refused before any packet', async () => {
    let created = 0;
    const original = dgram.createSocket;
    (dgram as { createSocket: typeof dgram.createSocket }).createSocket = ((...args: Parameters<typeof dgram.createSocket>) => {
      created++;
      return original(...args);
    }) as typeof dgram.createSocket;
    try {
      await assert.rejects(
        UdpTransport.open(loopbackOnly, '10.0.0.1', 3478, 'TURN server', signal()),
        (e: unknown) => e instanceof ProbeError && e.code === 'TARGET_NOT_ALLOWED',
      );
      await assert.rejects(
        UdpTransport.open(loopbackOnly, '169.254.169.254', 3478, 'TURN server', signal()),
        (e: unknown) => e instanceof ProbeError && e.code === 'TARGET_NOT_ALLOWED',
      );
      assert.equal(created, 0, 'no socket was even created');
    } finally {
      (dgram as { createSocket: typeof dgram.createSocket }).createSocket = original;
    }
  });
});

describe('TurnClient over TCP', () => {
  test('the same exchange with answers split across writes and ChannelData in between', async () => {
    const server = await tcpServer({ staleOnce: true });
    const socket = net.connect({ host: '127.0.0.1', port: server.port });
    await once(socket, 'connect');
    const client = new TurnClient(new StreamTransport(socket, 'tcp', { address: '127.0.0.1', port: server.port }));
    try {
      const [b, c] = await Promise.all([client.binding(signal()), client.challenge(signal())]);
      assert.equal(b.ok, true);
      assert.equal(c.realm, REALM);
      const a = await client.allocate({ username: USER, password: PASSWORD }, signal());
      assert.equal(a.ok, true);
      assert.equal(a.staleNonceRetries, 1);
      assert.equal((await client.createPermission('10.9.9.9', signal())).error?.code, 403);
      assert.equal((await client.refresh(0, signal())).ok, true);
    } finally {
      client.close();
    }
  });

  test('the server closing the connection fails the transaction at once', async () => {
    const server = net.createServer((conn) => conn.end());
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    closers.push(() => server.close());
    const socket = net.connect({ host: '127.0.0.1', port: (server.address() as net.AddressInfo).port });
    await once(socket, 'connect');
    const client = new TurnClient(new StreamTransport(socket, 'tcp', { address: '127.0.0.1', port: 0 }));
    await assert.rejects(client.binding(signal()), (e: unknown) => e instanceof StunTransportError && (e.code === 'CONN_CLOSED' || e.code === 'CONN_RESET'));
    client.close();
  });

  test('StreamFramer: random chunking gives back the same messages; garbage is a typed error', () => {
    const messages = [0, 1, 2, 3].map((i) =>
      encode(
        { method: METHOD.Binding, cls: 'success', transactionId: Buffer.alloc(12, i), attributes: [{ type: 'SOFTWARE', value: 'x'.repeat(i * 5) }] },
        { fingerprint: true },
      ),
    );
    const stream = Buffer.concat(messages);
    for (let cut = 1; cut < stream.length; cut += 7) {
      const framer = new StreamFramer();
      const got = [...framer.push(stream.subarray(0, cut)), ...framer.push(stream.subarray(cut))];
      assert.deepEqual(got, messages);
    }
    assert.throws(() => new StreamFramer().push(Buffer.from([0x80, 0x01, 0x00, 0x00, 0x21, 0x12])), /neither a STUN message nor ChannelData/);
  });
});

describe('TURN URIs (RFC 7065)', () => {
  test('valid forms, defaults and transports', () => {
    assert.deepEqual(parseTurnUri('turn:turn.example.com').uri, {
      text: 'turn:turn.example.com',
      secure: false,
      host: 'turn.example.com',
      port: 3478,
      transport: 'udp',
    });
    assert.deepEqual(parseTurnUri('turn:turn.example.com:3479?transport=tcp').uri?.transport, 'tcp');
    assert.deepEqual(parseTurnUri('turns:turn.example.com?transport=tcp').uri, {
      text: 'turns:turn.example.com?transport=tcp',
      secure: true,
      host: 'turn.example.com',
      port: 5349,
      transport: 'tls',
    });
    assert.equal(parseTurnUri('turn:[2001:db8::1]:3478').uri?.host, '2001:db8::1');
    assert.equal(parseTurnUri('turn:192.0.2.1?transport=udp').uri?.port, 3478);
  });

  test('problems', () => {
    const reason = (t: string) => parseTurnUri(t).problem;
    assert.equal(reason('turns:h:5349?transport=udp')?.kind, 'dtls');
    assert.equal(reason('stun:stun.example.com')?.kind, 'stun');
    for (const bad of [
      'http://turn.example.com',
      'turn://turn.example.com',
      'turn:',
      'turn:host:99999',
      'turn:host?transport=sctp',
      'turn:host?foo=bar',
      'turn:user@host',
      ' turn:host',
      'turn:2001:db8::1',
      'turn:ho_st',
      'turn.example.com:3478',
    ]) {
      assert.equal(reason(bad)?.kind, 'invalid', bad);
    }
  });
});
