// Hostile WebSocket peers for the jitsi-websocket check, through the BUILT binary: a docker-jitsi-meet
// .env whose PUBLIC_URL is https://meet.example.test, sent by --connect-to to a raw TLS server on
// 127.0.0.1 that serves config.js (as the web container does, websocket: wss://meet.example.test/
// xmpp-websocket) and misbehaves on the upgrade: no subprotocol, another subprotocol, 101 then silence,
// a gigantic frame, an endless fragmented message, a flood of small frames, an endless HTTP answer
// instead of 101, and an endless config.js. Each case: the finding that names the problem, exit 1, the
// run within its budget, the child's peak RSS bounded (the probe caps what it accepts: ws's maxPayload).
// Network safety: the server binds 127.0.0.1; runs are loopback-only, with a loopback --dns-server.

import assert from 'node:assert/strict';
import type net from 'node:net';
import { describe, test } from 'node:test';
import type { Finding } from '../../src/engine/types.js';
import {
  assertBounded,
  finding,
  headerOf,
  hostileHooks,
  type MeasuredRun,
  onRequest,
  pump,
  requestPath,
  runCheck,
  startTls,
  tempFile,
  websocketAccept,
} from './support.js';

const ENV = [
  'PUBLIC_URL=https://meet.example.test',
  'HTTPS_PORT=443',
  'ENABLE_XMPP_WEBSOCKET=1',
  'ENABLE_COLIBRI_WEBSOCKET=0',
  'JITSI_IMAGE_VERSION=stable-9955',
  'JICOFO_AUTH_PASSWORD=f00dcafe1',
  'JVB_AUTH_PASSWORD=f00dcafe2',
  'JIGASI_XMPP_PASSWORD=a',
  'JIGASI_TRANSCRIBER_PASSWORD=b',
  'JIBRI_RECORDER_PASSWORD=c',
  'JIBRI_XMPP_PASSWORD=d',
  '',
].join('\n');

const CONFIG_JS = [
  'var config = {};',
  "config.hosts = {};\nconfig.hosts.domain = 'meet.jitsi';",
  "config.hosts.muc = 'muc.meet.jitsi';",
  "config.bosh = 'https://meet.example.test/http-bind';",
  "config.websocket = 'wss://meet.example.test/xmpp-websocket';",
  '',
].join('\n');

hostileHooks();
const envFile = tempFile('.env', ENV);

/** 101 Switching Protocols for the request `head`, with `protocol` (none when undefined). */
function switching(head: string, protocol?: string): string {
  const key = headerOf(head, 'sec-websocket-key') ?? '';
  const lines = ['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Accept: ${websocketAccept(key)}`];
  if (protocol) lines.push(`Sec-WebSocket-Protocol: ${protocol}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** A server frame header (unmasked) with a 64-bit length. */
function frameHeader(opcodeByte: number, length: number): Buffer {
  const b = Buffer.alloc(10);
  b[0] = opcodeByte;
  b[1] = 127;
  b.writeBigUInt64BE(BigInt(length), 2);
  return b;
}

/** A small complete server text frame. */
function smallFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  return Buffer.concat([Buffer.from([0x81, payload.length]), payload]);
}

interface Outcome {
  run: MeasuredRun;
  findings: Finding[];
}

/** `check --only jitsi-websocket` against a server that serves config.js (or `configJs`) and answers the upgrade with `upgrade`. */
async function jitsiAgainst(upgrade: (socket: net.Socket, head: string) => void, configJs?: (socket: net.Socket) => void): Promise<Outcome> {
  const server = await startTls(
    onRequest((socket, head) => {
      const p = requestPath(head);
      if (p === '/config.js') {
        if (configJs) return configJs(socket);
        return socket.end(
          `HTTP/1.1 200 OK\r\nContent-Type: application/javascript\r\nContent-Length: ${CONFIG_JS.length}\r\nConnection: close\r\n\r\n${CONFIG_JS}`,
        );
      }
      if (p === '/xmpp-websocket' && /^upgrade:\s*websocket/im.test(head)) return upgrade(socket, head);
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    }),
  );
  try {
    const { run, findingsOf } = await runCheck([
      '--only',
      'jitsi-websocket',
      '--jitsi-env',
      envFile,
      '--connect-to',
      `meet.example.test:443:127.0.0.1:${server.port}`,
    ]);
    return { run, findings: findingsOf('jitsi-websocket') };
  } finally {
    await server.close();
  }
}

describe('hostile WebSocket peers (jitsi-websocket, through the built binary)', () => {
  test('101 without the xmpp subprotocol: MXD-JWS-013 subprotocol', async () => {
    const o = await jitsiAgainst((socket, head) => socket.write(switching(head)));
    assertBounded(o.run, 1, 'no subprotocol');
    const f = finding(o.findings, 'MXD-JWS-013', 'subprotocol');
    assert.match(f.message, /did not accept the xmpp subprotocol \(no subprotocol in the answer\)/);
    assert.equal(f.data.detail, 'none');
  });

  test('101 with another subprotocol: MXD-JWS-013 subprotocolOther', async () => {
    const o = await jitsiAgainst((socket, head) => socket.write(switching(head, 'mqtt')));
    assertBounded(o.run, 1, 'other subprotocol');
    const f = finding(o.findings, 'MXD-JWS-013', 'subprotocolOther');
    assert.match(f.message, /did not accept the xmpp subprotocol \(answered with 'mqtt'\)/);
    assert.equal(f.data.subprotocol, 'mqtt');
  });

  test('101 with xmpp, then never an <open/>: MXD-JWS-014 silent, within the timeout', async () => {
    const o = await jitsiAgainst((socket, head) => socket.write(switching(head, 'xmpp')));
    assertBounded(o.run, 1, 'silent');
    assert.match(
      finding(o.findings, 'MXD-JWS-014', 'silent').message,
      /switched to WebSocket but sent nothing within \d+ ms after our <open\/> to meet\.jitsi/,
    );
  });

  test('a gigantic frame (8 GiB announced, then streamed): refused at its header, MXD-JWS-014 tooLarge', async () => {
    const o = await jitsiAgainst((socket, head) => {
      socket.write(switching(head, 'xmpp'));
      socket.write(frameHeader(0x81, 8 * 1024 ** 3));
      pump(socket, Buffer.alloc(64 * 1024, 0x61));
    });
    assertBounded(o.run, 1, 'gigantic frame');
    assert.match(finding(o.findings, 'MXD-JWS-014', 'tooLarge').message, /a WebSocket message larger than 1 MiB/);
  });

  test('an endless fragmented message (64 KiB continuation frames, never FIN): cut at 1 MiB', async () => {
    const o = await jitsiAgainst((socket, head) => {
      socket.write(switching(head, 'xmpp'));
      const payload = Buffer.alloc(65535, 0x62);
      const header = (op: number) => Buffer.concat([Buffer.from([op, 126, 0xff, 0xff])]);
      socket.write(Buffer.concat([header(0x01), payload]));
      pump(socket, Buffer.concat([header(0x00), payload]));
    });
    assertBounded(o.run, 1, 'endless fragments');
    assert.match(finding(o.findings, 'MXD-JWS-014', 'tooLarge').message, /larger than 1 MiB/);
  });

  test('<open/>, then a gigantic frame: tooLarge too (not "no stream features")', async () => {
    const o = await jitsiAgainst((socket, head) => {
      socket.write(switching(head, 'xmpp'));
      socket.write(smallFrame("<open xmlns='urn:ietf:params:xml:ns:xmpp-framing' from='meet.jitsi' version='1.0'/>"));
      socket.write(frameHeader(0x81, 2 * 1024 ** 3));
      pump(socket, Buffer.alloc(64 * 1024, 0x63));
    });
    assertBounded(o.run, 1, 'open then gigantic frame');
    assert.match(finding(o.findings, 'MXD-JWS-014', 'tooLarge').message, /larger than 1 MiB/);
  });

  test('a flood of small frames that never make an XMPP stream: bounded by the timeout', async () => {
    const o = await jitsiAgainst((socket, head) => {
      socket.write(switching(head, 'xmpp'));
      pump(socket, Buffer.concat(Array.from({ length: 512 }, () => smallFrame('<junk/>'))));
    });
    assertBounded(o.run, 1, 'frame flood');
    const f = o.findings.find((x) => x.code === 'MXD-JWS-014');
    assert.ok(f, o.findings.map((x) => `${x.code}/${x.messageId}: ${x.message}`).join('\n'));
    assert.equal(f.messageId, 'junk');
    assert.match(f.message, /sent \d+ frame\(s\), but no XMPP <open\/> within \d+ ms .*first: "<junk\/>"/);
  });

  test('an HTTP answer with an endless body instead of 101: MXD-JWS-013, the body read only as an excerpt', async () => {
    const o = await jitsiAgainst((socket) => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n');
      const chunk = Buffer.alloc(32 * 1024, 0x7a);
      pump(socket, Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]));
    });
    assertBounded(o.run, 1, 'endless HTTP answer');
    assert.match(finding(o.findings, 'MXD-JWS-013').message, /HTTP 200|switch/i);
  });

  test('an endless config.js: read up to its cap, the run still ends in time', async () => {
    const o = await jitsiAgainst(
      (socket, head) => socket.write(switching(head, 'xmpp')),
      (socket) => {
        socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/javascript\r\nTransfer-Encoding: chunked\r\n\r\n');
        const chunk = Buffer.from(`${'// padding\n'.repeat(3000)}`);
        pump(socket, Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]));
      },
    );
    assertBounded(o.run, 1, 'endless config.js');
    assert.ok(
      o.findings.some((f) => f.code.startsWith('MXD-JWS-')),
      o.findings.map((x) => `${x.code}/${x.messageId}`).join(', '),
    );
  });
});
