// The suite's own network guard (test/setup/loopback-only.ts, preloaded by test/run.sh): anything but
// loopback is refused before a packet leaves; loopback keeps working. 192.0.2.0/24 (TEST-NET-1) is never
// routed, and nothing is sent to it anyway: the guard throws first.

import './loopback-only.js';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import dns from 'node:dns';
import { once } from 'node:events';
import net from 'node:net';
import { test } from 'node:test';
import tls from 'node:tls';

const OUTSIDE = '192.0.2.1';

test('TCP and TLS towards an outside address are refused at connect()', () => {
  assert.throws(() => net.connect({ host: OUTSIDE, port: 443 }), /test network guard: refused a TCP connection to 192\.0\.2\.1/);
  assert.throws(() => net.connect(443, OUTSIDE), /refused a TCP connection to 192\.0\.2\.1/);
  assert.throws(() => tls.connect({ host: OUTSIDE, port: 443 }), /refused a TCP connection to 192\.0\.2\.1/);
});

test('UDP datagrams and UDP connects towards an outside address are refused', () => {
  const socket = dgram.createSocket('udp4');
  try {
    assert.throws(() => socket.send(Buffer.from('x'), 3478, OUTSIDE), /refused a UDP datagram to 192\.0\.2\.1/);
    assert.throws(() => socket.connect(3478, OUTSIDE), /refused a UDP connection to 192\.0\.2\.1/);
  } finally {
    socket.close();
  }
});

test('DNS queries to an outside server, and lookups of outside names, are refused', async () => {
  const resolver = new dns.promises.Resolver();
  resolver.setServers([`${OUTSIDE}:53`]);
  assert.throws(() => resolver.resolve4('example.org'), /refused a DNS query to 192\.0\.2\.1/);
  assert.throws(() => dns.lookup('example.org', () => {}), /refused a name lookup of example\.org/);
  assert.throws(() => dns.promises.lookup('example.org'), /refused a name lookup of example\.org/);
});

test('loopback still works: TCP to 127.0.0.1, a lookup of localhost, a Unix socket path', async () => {
  const server = net.createServer((s) => s.end('ok'));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  const client = net.connect({ host: '127.0.0.1', port });
  let text = '';
  client.on('data', (d) => {
    text += d;
  });
  await once(client, 'close');
  assert.equal(text, 'ok');
  server.close();
  const { address } = await dns.promises.lookup('localhost', { family: 4 });
  assert.match(address, /^127\./);
});

test('a UDP send from an unbound socket (node binds it to 0.0.0.0 first) reaches a loopback peer', async () => {
  const peer = dgram.createSocket('udp4');
  peer.bind(0, '127.0.0.1');
  await once(peer, 'listening');
  const sender = dgram.createSocket('udp4');
  try {
    const got = once(peer, 'message');
    sender.send(Buffer.from('ping'), peer.address().port, '127.0.0.1');
    const [msg] = await got;
    assert.equal(String(msg), 'ping');
  } finally {
    sender.close();
    peer.close();
  }
});
