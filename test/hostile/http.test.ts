// Hostile and broken HTTP peers, through the BUILT binary: the well-known check fetches
// https://example.test/.well-known/matrix/{server,client,support} from a server written to misbehave
// (raw TLS on 127.0.0.1, the test CA's certificate), reached with --connect-to. Each case asserts the
// finding that names the problem, the exit code, that the run ends well within its budget, and that the
// child's peak RSS stays bounded (a 1 GiB or endless body must not be read into memory).
// Network safety: the servers bind 127.0.0.1; runs are loopback-only (MATRIXDOC_ALLOW_TARGETS) with
// --dns-server pointing at a loopback dns2 server; the off-loopback redirect target (192.0.2.10,
// TEST-NET-1) is refused before any packet is sent.

import assert from 'node:assert/strict';
import type net from 'node:net';
import { describe, test } from 'node:test';
import type { Finding, Report } from '../../src/engine/types.js';
import { OUTSIDE_ADDRESS } from '../helpers/servers.js';
import {
  assertBounded,
  checkArgs,
  drip,
  finding,
  type Hostile,
  hostileHooks,
  type MeasuredRun,
  onRequest,
  pump,
  requestPath,
  runCheck,
  runMeasured,
  startTls,
} from './support.js';

hostileHooks();

const GOOD = JSON.stringify({ 'm.server': 'matrix.example.test:443' });

function head(status: number, headers: Record<string, string | number> = {}): string {
  const lines = [`HTTP/1.1 ${status} ${status === 200 ? 'OK' : 'Other'}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  return `${lines.join('\r\n')}\r\n\r\n`;
}

interface Outcome {
  run: MeasuredRun;
  report: Report;
  findings: Finding[];
}

/** `check --only well-known` against a server whose every connection `behave` handles. */
async function wellKnownAgainst(behave: (socket: net.Socket, head: string) => void, extra: string[] = [], json = true): Promise<Outcome & { server: Hostile }> {
  const server = await startTls(onRequest(behave));
  try {
    const args = ['--only', 'well-known', '--server-name', 'example.test', '--connect-to', `example.test:443:127.0.0.1:${server.port}`, ...extra];
    if (!json) return { run: await runMeasured(await checkArgs(args)), report: { checks: [] } as unknown as Report, findings: [], server };
    const { run, report, findingsOf } = await runCheck(args);
    return { run, report, findings: findingsOf('well-known'), server };
  } finally {
    await server.close();
  }
}

/** Answers /.well-known/matrix/server with `serve`, and 404 for the other files. */
function onServerFile(serve: (socket: net.Socket) => void): (socket: net.Socket, head: string) => void {
  return (socket, h) => {
    if (requestPath(h) === '/.well-known/matrix/server') serve(socket);
    else socket.end(`${head(404, { 'content-type': 'application/json', 'content-length': 2, connection: 'close' })}{}`);
  };
}

describe('hostile HTTP peers (well-known, through the built binary)', () => {
  test('an endless body: the read stops at 50 KiB, MXD-WK-010, memory stays bounded', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const o = await wellKnownAgainst(
      onServerFile((socket) => {
        socket.write(head(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }));
        const framed = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]);
        pump(socket, framed);
      }),
    );
    assertBounded(o.run, 1, 'endless body');
    const f = finding(o.findings, 'MXD-WK-010', 'server');
    assert.match(f.message, /larger than 50 KiB/);
    assert.equal(f.evidence.bytesRead, 50 * 1024);
  });

  test('a 1 GiB body (with its Content-Length): the same, without reading it', async () => {
    const chunk = Buffer.alloc(256 * 1024, 'y');
    const o = await wellKnownAgainst(
      onServerFile((socket) => {
        socket.write(head(200, { 'content-type': 'application/json', 'content-length': 1024 ** 3 }));
        pump(socket, chunk);
      }),
    );
    assertBounded(o.run, 1, 'huge body');
    assert.match(finding(o.findings, 'MXD-WK-010', 'server').message, /larger than 50 KiB \(Synapse's limit\)/);
  });

  test('a slow drip (one byte every 200 ms): bounded by the timeout, reported as a TIMEOUT', async () => {
    const o = await wellKnownAgainst(
      onServerFile((socket) => {
        socket.write(head(200, { 'content-type': 'application/json', 'content-length': GOOD.length }));
        drip(socket, Buffer.from(GOOD), 200);
      }),
    );
    assertBounded(o.run, 1, 'slow drip');
    assert.match(finding(o.findings, 'MXD-WK-002', 'serverNetwork').message, /could not be fetched \(TIMEOUT: /);
  });

  test('headers that drip and never end: a TIMEOUT as well', async () => {
    const o = await wellKnownAgainst(
      onServerFile((socket) => {
        socket.write('HTTP/1.1 200 OK\r\n');
        drip(socket, Buffer.from('x-drip: aaaaaaaaaaaaaaaaaaaaaaaa\r\n'), 20);
      }),
    );
    assertBounded(o.run, 1, 'dripping headers');
    assert.match(finding(o.findings, 'MXD-WK-002', 'serverNetwork').message, /TIMEOUT/);
  });

  test('endless headers: refused by the HTTP parser (HTTP_PROTOCOL), not buffered', async () => {
    const o = await wellKnownAgainst(
      onServerFile((socket) => {
        socket.write('HTTP/1.1 200 OK\r\n');
        pump(socket, Buffer.from(`x-junk: ${'a'.repeat(4000)}\r\n`));
      }),
    );
    assertBounded(o.run, 1, 'endless headers');
    assert.match(finding(o.findings, 'MXD-WK-002', 'serverNetwork').message, /could not be fetched \(HTTP_PROTOCOL: /);
  });

  test('a redirect loop: MXD-WK-009 loop, after a handful of requests', async () => {
    const o = await wellKnownAgainst((socket, h) => {
      const to = requestPath(h).endsWith('/a') ? '/.well-known/matrix/b' : '/.well-known/matrix/a';
      socket.end(head(302, { location: to, 'content-length': 0, connection: 'close' }));
    });
    assertBounded(o.run, 1, 'redirect loop');
    assert.match(finding(o.findings, 'MXD-WK-009', 'loop').message, /redirects in a loop \(https:\/\/example\.test\/\.well-known\/matrix\/server -> /);
    // server, client and support: each follows at most 3 hops before the loop is seen (federation asks nothing: no delegation).
    assert.ok(o.server.hits <= 12, `${o.server.hits} connections`);
  });

  test('a redirect to another host: refused by --allow-targets before any packet, the check is an error (exit 2)', async () => {
    const o = await wellKnownAgainst((socket) => {
      socket.end(head(302, { location: `https://${OUTSIDE_ADDRESS}/.well-known/matrix/server`, 'content-length': 0, connection: 'close' }));
    });
    assertBounded(o.run, 2, 'redirect off loopback');
    const check = o.report.checks.find((c) => c.id === 'well-known');
    assert.equal(check?.status, 'error');
    assert.match(check?.reason ?? '', /TARGET_NOT_ALLOWED: refused to contact 192\.0\.2\.10 .*outside --allow-targets/);
    // Without --json: the report on stdout, and one line on stderr that says why the check could not run.
    const text = await wellKnownAgainst(
      (socket) => socket.end(head(302, { location: `https://${OUTSIDE_ADDRESS}/.well-known/matrix/server`, 'content-length': 0, connection: 'close' })),
      [],
      false,
    );
    assertBounded(text.run, 2, 'redirect off loopback, text');
    assert.match(text.run.stderr, /^matrixdoc: error: well-known: wellKnown: TARGET_NOT_ALLOWED: refused to contact 192\.0\.2\.10 .*$/m);
  });

  test('a redirect to a listening server outside --allow-targets (127.0.0.2 with 127.0.0.1/32 allowed): it sees no connection', async () => {
    // Both on loopback, so nothing leaves the machine; the allow-list admits only 127.0.0.1.
    const elsewhere = await startTls(
      onRequest((socket) => socket.end(head(200, { 'content-length': 2, connection: 'close' }) + '{}')),
      undefined,
      '127.0.0.2',
    );
    try {
      const o = await wellKnownAgainst(
        (socket) =>
          socket.end(head(307, { location: `https://127.0.0.2:${elsewhere.port}/.well-known/matrix/server`, 'content-length': 0, connection: 'close' })),
        ['--allow-targets', '127.0.0.1/32'],
      );
      assertBounded(o.run, 2, 'redirect to 127.0.0.2');
      assert.match(o.report.checks[0].reason ?? '', /TARGET_NOT_ALLOWED: refused to contact 127\.0\.0\.2 .*outside --allow-targets 127\.0\.0\.1\/32/);
      assert.equal(elsewhere.hits, 0, 'the refused address was contacted');
    } finally {
      await elsewhere.close();
    }
  });

  test('a redirect to a name that --resolve sends off loopback: refused the same way', async () => {
    const o = await wellKnownAgainst(
      (socket) => socket.end(head(301, { location: 'https://elsewhere.example.test/x', 'content-length': 0, connection: 'close' })),
      ['--resolve', `elsewhere.example.test:443:${OUTSIDE_ADDRESS}`],
    );
    assertBounded(o.run, 2, 'redirect to a name outside');
    assert.match(o.report.checks[0].reason ?? '', /refused to contact 192\.0\.2\.10 \(elsewhere\.example\.test:443\)/);
  });

  test('invalid JSON: MXD-WK-003 with the parser error', async () => {
    const body = '{"m.server": "matrix.example.test:443",}';
    const o = await wellKnownAgainst(
      onServerFile((socket) => socket.end(head(200, { 'content-type': 'application/json', 'content-length': body.length, connection: 'close' }) + body)),
    );
    assertBounded(o.run, 1, 'invalid JSON');
    assert.match(finding(o.findings, 'MXD-WK-003', 'server').message, /is not JSON \(.+\): Synapse ignores it/);
  });

  test('invalid UTF-8 inside the JSON: MXD-WK-003 says so (Synapse decodes the body as UTF-8 and gives up)', async () => {
    const body = Buffer.concat([Buffer.from('{"m.server": "matrix.example.test:443", "x": "'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')]);
    const o = await wellKnownAgainst(
      onServerFile((socket) => {
        socket.write(head(200, { 'content-type': 'application/json', 'content-length': body.length, connection: 'close' }));
        socket.end(body);
      }),
    );
    assertBounded(o.run, 1, 'invalid UTF-8');
    assert.match(finding(o.findings, 'MXD-WK-003', 'server').message, /is not JSON \(not valid UTF-8/);
  });

  test('a Content-Length shorter than the body: the cut body is reported as not JSON', async () => {
    const o = await wellKnownAgainst(onServerFile((socket) => socket.end(head(200, { 'content-type': 'application/json', 'content-length': 12 }) + GOOD)));
    assertBounded(o.run, 1, 'short Content-Length');
    assert.match(finding(o.findings, 'MXD-WK-003', 'server').message, /is not JSON/);
  });

  test('a Content-Length longer than the body, then the connection closes: the fetch fails (CONN_RESET)', async () => {
    const o = await wellKnownAgainst(
      onServerFile((socket) => socket.end(head(200, { 'content-type': 'application/json', 'content-length': GOOD.length + 100 }) + GOOD)),
    );
    assertBounded(o.run, 1, 'long Content-Length, closed');
    assert.match(finding(o.findings, 'MXD-WK-002', 'serverNetwork').message, /could not be fetched \(CONN_RESET: /);
  });

  test('a Content-Length longer than the body, and the connection stays open: a TIMEOUT', async () => {
    const o = await wellKnownAgainst(
      onServerFile((socket) => socket.write(head(200, { 'content-type': 'application/json', 'content-length': GOOD.length + 100 }) + GOOD)),
    );
    assertBounded(o.run, 1, 'long Content-Length, open');
    assert.match(finding(o.findings, 'MXD-WK-002', 'serverNetwork').message, /could not be fetched \(TIMEOUT: /);
  });

  test('a reset in the middle of the response: CONN_RESET', async () => {
    const o = await wellKnownAgainst(
      onServerFile((socket) => {
        socket.write(head(200, { 'content-type': 'application/json', 'content-length': 4096 }) + GOOD.slice(0, 10));
        setTimeout(() => socket.destroy(), 50);
      }),
    );
    assertBounded(o.run, 1, 'reset mid-response');
    assert.match(finding(o.findings, 'MXD-WK-002', 'serverNetwork').message, /could not be fetched \(CONN_RESET: /);
  });

  test('a TCP reset (RST) in the middle of the body: CONN_RESET', async () => {
    const o = await wellKnownAgainst(
      onServerFile((socket) => {
        socket.write(head(200, { 'content-type': 'application/json', 'content-length': 4096 }) + GOOD.slice(0, 10));
        // Under TLS the raw TCP socket is underneath: reset it, not the TLS layer.
        const raw = (socket as unknown as { _parent?: net.Socket })._parent ?? socket;
        setTimeout(() => (typeof raw.resetAndDestroy === 'function' ? raw.resetAndDestroy() : raw.destroy()), 50);
      }),
    );
    assertBounded(o.run, 1, 'RST mid-body');
    assert.match(finding(o.findings, 'MXD-WK-002', 'serverNetwork').message, /could not be fetched \((CONN_RESET|TLS_HANDSHAKE|HTTP_PROTOCOL): /);
  });

  test('non-HTTP garbage on the port (after TLS): HTTP_PROTOCOL', async () => {
    const o = await wellKnownAgainst((socket) => socket.end('SSH-2.0-OpenSSH_9.6p1 Debian\r\n\x00\x01\x02\xff garbage\r\n\r\n'));
    assertBounded(o.run, 1, 'garbage');
    assert.match(finding(o.findings, 'MXD-WK-002', 'serverNetwork').message, /could not be fetched \(HTTP_PROTOCOL: /);
  });

  test('endless binary garbage: refused at once, nothing buffered', async () => {
    const o = await wellKnownAgainst((socket) => pump(socket, Buffer.alloc(64 * 1024, 0xa5)));
    assertBounded(o.run, 1, 'endless garbage');
    assert.match(
      finding(o.findings, 'MXD-WK-002', 'serverNetwork').message,
      /could not be fetched \(HTTP_PROTOCOL: Response does not match the HTTP\/1\.1 protocol/,
    );
  });
});
