// jitsi-websocket and jitsi-jvb through the BUILT binary against a REAL prosody (Debian 0.12, mod_websocket)
// behind REAL nginx with TLS for meet.xfoss.com, serving a config.js generated from the seed's .env the
// way docker-jitsi-meet's web container does (test/harness/jitsi.ts): healthy; the seed's PUBLIC_URL
// mismatch (the running config.js points the WebSocket at another host); the WebSocket location
// missing (404); prosody down (502); guests disabled (internal_hashed, no ANONYMOUS); a certificate for
// another name. Then the WebSocket client and the host probe against small stand-ins for what the real
// servers cannot be made to do (silence, no subprotocol, a JVB health endpoint).
// Network safety: loopback only. runCli sets --allow-targets to loopback, names resolve through a
// loopback dns2 server, and the seed's JVB_ADVERTISE_IPS (10.11.2.32) is judged statically: no probe
// ever sends anything to an advertised address. Needs `npm run build` first (test/run.sh does it).

import assert from 'node:assert/strict';
import { once } from 'node:events';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { WebSocketServer } from 'ws';
import type { Finding, Report } from '../../src/engine/types.js';
import { NetClient } from '../../src/net/client.js';
import { parseAllowTargets } from '../../src/net/targets.js';
import type { JitsiWebArtifact } from '../../src/probes/jitsi.js';
import { inspectJitsiHost, readXmppFrames, tryXmppWebSocket } from '../../src/probes/jitsi.js';
import { JITSI_HOST, type JitsiOptions, startJitsi } from '../harness/jitsi.js';
import { closedPort } from '../harness/processes.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { jitsiArtifact } from '../helpers/judge.js';
import { closeAllServers, startDnsServer, startSilentServer } from '../helpers/servers.js';

const PASSWORDS = {
  JICOFO_AUTH_PASSWORD: 'f00dcafe1',
  JVB_AUTH_PASSWORD: 'f00dcafe2',
  JIGASI_XMPP_PASSWORD: 'a',
  JIGASI_TRANSCRIBER_PASSWORD: 'b',
  JIBRI_RECORDER_PASSWORD: 'c',
  JIBRI_XMPP_PASSWORD: 'd',
};
const scratch = mkdtempSync(path.join(tmpdir(), 'matrixdoc-jitsi-it-'));
let runs = 0;

before(() => {
  assert.ok(existsSync(path.join(ROOT, 'dist/src/commands/check.js')), 'build first: npm run build');
});
after(async () => {
  await closeAllServers();
  rmSync(scratch, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  report: Report;
  ws: Finding[];
  jvb: Finding[];
  web?: JitsiWebArtifact;
  stdout: string;
}

/** Starts the harness with `options`, runs both checks through the built binary, stops everything. */
async function scenario(options: JitsiOptions, extra: string[] = [], prepare?: (envDir: string) => void): Promise<Run> {
  const j = await startJitsi(options);
  try {
    prepare?.(path.dirname(j.files.env));
    const capture = path.join(scratch, `capture-${++runs}`);
    const r = await runCli(['check', '--only', 'jitsi-websocket,jitsi-jvb', '--json', '--save-probes', capture, ...extra, ...j.flags], { timeoutMs: 30_000 });
    let report: Report;
    try {
      report = JSON.parse(r.stdout) as Report;
    } catch {
      throw new Error(`no JSON report (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
    }
    assert.ok(existsSync(path.join(capture, 'probes.json')), `no capture (exit ${r.code}): ${r.stderr}`);
    const probes = JSON.parse(readFileSync(path.join(capture, 'probes.json'), 'utf8')) as { results: Record<string, { value?: unknown }> };
    const check = (id: string) => report.checks.find((c) => c.id === id)?.findings ?? [];
    return {
      code: r.code,
      report,
      ws: check('jitsi-websocket'),
      jvb: check('jitsi-jvb'),
      web: probes.results.jitsiWeb?.value as JitsiWebArtifact | undefined,
      stdout: r.stdout,
    };
  } finally {
    await j.stop();
  }
}

const ids = (findings: Finding[]) => findings.map((f) => `${f.code}:${f.messageId}`);
const find = (findings: Finding[], code: string) => {
  const f = findings.find((x) => x.code === code);
  assert.ok(f, `no ${code} in ${JSON.stringify(ids(findings))}`);
  return f;
};

describe('jitsi through real prosody and nginx', () => {
  test('healthy: config.js points at PUBLIC_URL, the WebSocket opens an XMPP stream for meet.jitsi with ANONYMOUS', async () => {
    const r = await scenario({ env: { ...PASSWORDS, ENABLE_GUESTS: undefined, AUTH_TYPE: undefined } });
    assert.equal(r.code, 0, r.stdout);
    assert.deepEqual(ids(r.ws), ['MXD-JWS-015:anonymous']);
    const ws = r.web?.websockets[0];
    assert.equal(ws?.url, 'wss://meet.xfoss.com/xmpp-websocket');
    assert.deepEqual(ws?.sources, ['config.js', 'PUBLIC_URL']);
    assert.equal(ws?.subprotocol, 'xmpp');
    assert.equal(ws?.open?.from, 'meet.jitsi');
    assert.deepEqual(ws?.mechanisms, ['ANONYMOUS']);
    assert.equal(ws?.tls?.authorized, true);
    assert.equal(r.web?.configJs.scan?.settings.bosh?.value, 'https://meet.xfoss.com/http-bind');
    // The seed's JVB_ADVERTISE_IPS is valid and PUBLIC_URL resolves to loopback here: only the media-port note.
    assert.deepEqual(ids(r.jvb), ['MXD-JVB-007:udp']);
    assert.ok(!r.stdout.includes('f00dcafe'), 'a password leaked into the report');
  });

  test("the seed's bug: the running web container was created with another PUBLIC_URL", async () => {
    const r = await scenario({ env: PASSWORDS, runningEnv: { PUBLIC_URL: 'https://localhost:8443' } });
    assert.equal(r.code, 1);
    assert.deepEqual(
      ids(r.ws).filter((i) => !i.startsWith('MXD-JWS-006')),
      ['MXD-JWS-010:websocket', 'MXD-JWS-010:bosh', 'MXD-JWS-015:anonymous'],
    );
    const f = find(r.ws, 'MXD-JWS-010');
    assert.equal(f.data.websocket, 'wss://localhost:8443/xmpp-websocket');
    assert.match(f.message, /"You have been disconnected", and a second participant drops/);
    // What the browser would get there: localhost is loopback (RFC 6761), where nothing listens on 8443.
    assert.match(String(f.evidence.browsersGet), /^network: CONN_REFUSED/);
    assert.deepEqual(f.fix?.steps.at(-1), `cd ${path.dirname(r.report.target.inputs.jitsiEnv as string)} && docker compose up -d --force-recreate web`);
  });

  test('the /xmpp-websocket location missing: 404 from nginx', async () => {
    const r = await scenario({ env: PASSWORDS, site: (t) => t.replace(/\n {4}# xmpp websockets\n {4}location = \/xmpp-websocket \{[\s\S]*?\n {4}\}\n/, '\n') });
    assert.equal(r.code, 1);
    const f = find(r.ws, 'MXD-JWS-013');
    assert.equal(f.messageId, 'notFound');
    assert.equal(f.evidence.status, 404);
  });

  test('prosody down: 502 from nginx', async () => {
    const r = await scenario({ env: PASSWORDS, prosody: false });
    const f = find(r.ws, 'MXD-JWS-013');
    assert.equal(f.messageId, 'badGateway');
    assert.equal(f.data.status, 502);
  });

  test('guests disabled: prosody with internal_hashed offers no ANONYMOUS', async () => {
    const r = await scenario({ env: { ...PASSWORDS, ENABLE_AUTH: '1', ENABLE_GUESTS: '0' }, prosody: { authentication: 'internal_hashed' } });
    assert.equal(r.code, 0, r.stdout);
    const f = find(r.ws, 'MXD-JWS-015');
    assert.equal(f.messageId, 'login');
    assert.doesNotMatch(String(f.data.mechanisms), /ANONYMOUS/);
    assert.match(String(f.data.mechanisms), /PLAIN|SCRAM/);
    // The same prosody while the .env leaves ENABLE_AUTH off: the running prosody does not match the .env.
    const mismatch = await scenario({ env: { ...PASSWORDS, ENABLE_GUESTS: undefined, AUTH_TYPE: undefined }, prosody: { authentication: 'internal_hashed' } });
    assert.equal(find(mismatch.ws, 'MXD-JWS-015').messageId, 'authMismatch');
  });

  test('a proxy without the Upgrade headers: 101, then the connection closes', async () => {
    const r = await scenario({
      env: PASSWORDS,
      site: (t) =>
        t
          .replace('proxy_http_version 1.1;', '')
          .replace('proxy_set_header Connection $connection_upgrade;', '')
          .replace('proxy_set_header Upgrade $http_upgrade;', ''),
    });
    const f = find(r.ws, 'MXD-JWS-014');
    assert.equal(f.messageId, 'closed');
  });

  test('an XMPP domain prosody does not serve: host-unknown', async () => {
    const r = await scenario({ env: PASSWORDS, prosody: { domain: 'other.jitsi' } });
    const f = find(r.ws, 'MXD-JWS-014');
    assert.equal(f.messageId, 'hostUnknown');
    assert.equal(f.data.domain, 'meet.jitsi');
  });

  test('a certificate for another name: config.js and the WebSocket fail at TLS', async () => {
    const r = await scenario({ env: PASSWORDS, cert: 'wrongName' });
    assert.equal(find(r.ws, 'MXD-JWS-009').messageId, 'unreachable');
    const f = find(r.ws, 'MXD-JWS-012');
    assert.equal(f.messageId, 'tls');
    assert.equal(f.data.code, 'TLS_NAME_MISMATCH');
  });

  test('PUBLIC_URL without the port while HTTPS_PORT=8443: static mismatch, and nothing answers on 443', async () => {
    const r = await scenario({ env: { ...PASSWORDS, HTTPS_PORT: '8443' } }, ['--connect-to', `${JITSI_HOST}:443:127.0.0.1:${await closedPort()}`]);
    assert.ok(ids(r.ws).includes('MXD-JWS-002:mismatch'), JSON.stringify(ids(r.ws)));
    assert.equal(find(r.ws, 'MXD-JWS-009').data.reason?.toString().startsWith('CONN_REFUSED'), true);
    assert.equal(find(r.ws, 'MXD-JWS-012').messageId, 'tcp');
  });

  test('a release with colibri WebSockets: the path answers through nginx, or 502 without a bridge', async () => {
    const env = { ...PASSWORDS, JITSI_IMAGE_VERSION: 'stable-9457', ENABLE_COLIBRI_WEBSOCKET: '1' };
    const dead = await scenario({ env });
    assert.equal(dead.web?.colibri?.url, 'https://meet.xfoss.com/colibri-ws/jvb/');
    const f = find(dead.ws, 'MXD-JWS-016');
    assert.equal(f.messageId, 'badGateway');
    // A stand-in for the bridge's colibri endpoint answering a plain GET as Jetty does (no upgrade: 405).
    const bridge = http.createServer((_req, res) => {
      res.statusCode = 405;
      res.end('HTTP ERROR 405 Method Not Allowed\nPowered by Jetty');
    });
    bridge.listen(0, '127.0.0.1');
    await once(bridge, 'listening');
    try {
      const up = await scenario({ env, colibriPort: (bridge.address() as net.AddressInfo).port });
      assert.equal(up.web?.colibri?.exchange.status, 405);
      assert.ok(!ids(up.ws).some((i) => i.startsWith('MXD-JWS-016')), JSON.stringify(ids(up.ws)));
    } finally {
      bridge.close();
    }
  });

  test('no JITSI_IMAGE_VERSION in the .env: the release docker-compose.yml beside it pins (fixture, stable-9457) has colibri WebSockets, so the path is probed', async () => {
    // The seed pins JITSI_IMAGE_VERSION=stable: drop the line.
    const env = { ...PASSWORDS, ENABLE_COLIBRI_WEBSOCKET: '1', JITSI_IMAGE_VERSION: undefined };
    const r = await scenario({ env }, [], (dir) =>
      copyFileSync(path.join(ROOT, 'fixtures/jitsi-compose/docker-compose.yml'), path.join(dir, 'docker-compose.yml')),
    );
    assert.equal(r.web?.release?.version, 'stable-9457');
    assert.equal(r.web?.release?.from, 'compose');
    assert.match(r.web?.release?.where ?? '', /docker-compose\.yml:8$/);
    assert.equal(r.web?.colibri?.url, 'https://meet.xfoss.com/colibri-ws/jvb/');
    const f = find(r.ws, 'MXD-JWS-016');
    assert.equal(f.messageId, 'badGateway');
    // Without the compose file the release is unknown: the colibri path is not probed.
    const without = await scenario({ env });
    assert.equal(without.web?.release, undefined);
    assert.equal(without.web?.colibri, undefined);
  });

  test('--offline: only the .env is read', async () => {
    const r = await scenario({ env: PASSWORDS }, ['--offline']);
    assert.equal(r.web, undefined);
    assert.ok(!ids(r.ws).some((i) => /JWS-01[0-6]/.test(i)));
  });
});

describe('the XMPP WebSocket client against stand-ins', () => {
  const signal = () => AbortSignal.timeout(5000);
  const client = (opts: { allow?: string; dns?: number } = {}) =>
    new NetClient({
      resolve: [],
      connectTo: [],
      allowTargets: parseAllowTargets(opts.allow ?? '127.0.0.0/8,::1'),
      ...(opts.dns ? { dnsServer: { host: '127.0.0.1', port: opts.dns } } : {}),
    });

  test('silence after the upgrade is reported as silent, bounded by the deadline', async () => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: () => 'xmpp' });
    await once(wss, 'listening');
    try {
      const port = (wss.address() as net.AddressInfo).port;
      const started = Date.now();
      const a = await tryXmppWebSocket(client(), `ws://127.0.0.1:${port}/xmpp-websocket`, {
        xmppDomain: 'meet.jitsi',
        signal: signal(),
        deadline: Date.now() + 600,
      });
      assert.equal(a.outcome, 'silent');
      assert.equal(a.subprotocol, 'xmpp');
      assert.ok(Date.now() - started < 2000);
    } finally {
      for (const c of wss.clients) c.terminate();
      wss.close();
    }
  });

  test('a WebSocket server that does not speak xmpp: subprotocol', async () => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: () => false });
    await once(wss, 'listening');
    try {
      const port = (wss.address() as net.AddressInfo).port;
      const a = await tryXmppWebSocket(client(), `ws://127.0.0.1:${port}/`, { xmppDomain: 'meet.jitsi', signal: signal(), deadline: Date.now() + 2000 });
      assert.equal(a.outcome, 'subprotocol');
      assert.equal(a.error?.code, 'WS_SUBPROTOCOL');
    } finally {
      wss.close();
    }
  });

  test('nothing listening, a server that never answers HTTP, a name that does not resolve, an address outside --allow-targets', async () => {
    const closed = await closedPort();
    assert.equal(
      (await tryXmppWebSocket(client(), `ws://127.0.0.1:${closed}/`, { xmppDomain: 'x', signal: signal(), deadline: Date.now() + 2000 })).error?.code,
      'CONN_REFUSED',
    );
    const silent = await startSilentServer();
    const t = await tryXmppWebSocket(client(), `ws://127.0.0.1:${silent.port}/`, { xmppDomain: 'x', signal: signal(), deadline: Date.now() + 500 });
    assert.deepEqual([t.outcome, t.error?.code], ['network', 'TIMEOUT']);
    const dns = await startDnsServer({});
    const nx = await tryXmppWebSocket(client({ dns: dns.port }), 'wss://nowhere.xfoss.com/xmpp-websocket', {
      xmppDomain: 'x',
      signal: signal(),
      deadline: Date.now() + 2000,
    });
    assert.deepEqual([nx.outcome, nx.error?.code], ['network', 'DNS_NXDOMAIN']);
    // 10.11.2.32 is the seed's JVB address: refused before any packet leaves.
    const refused = await tryXmppWebSocket(client(), 'wss://10.11.2.32/xmpp-websocket', { xmppDomain: 'x', signal: signal(), deadline: Date.now() + 2000 });
    assert.deepEqual([refused.outcome, refused.error?.code], ['refused', 'TARGET_NOT_ALLOWED']);
  });
});

describe('reading the XMPP frames', () => {
  test("prosody's answers as observed, and hostile frames read quickly", () => {
    const ok = readXmppFrames([
      "<open id='2489903e' xmlns='urn:ietf:params:xml:ns:xmpp-framing' from='meet.jitsi' xml:lang='en' version='1.0'/>",
      "<stream:features xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>ANONYMOUS</mechanism></mechanisms></stream:features>",
    ]);
    assert.deepEqual([ok.open?.from, ok.mechanisms, ok.features, ok.closed], ['meet.jitsi', ['ANONYMOUS'], true, false]);
    const unknown = readXmppFrames([
      "<open from='nope.test'/>",
      "<stream:error xmlns:stream='http://etherx.jabber.org/streams'><host-unknown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/><text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>This server does not serve nope.test</text></stream:error>",
      "<close xmlns='urn:ietf:params:xml:ns:xmpp-framing'/>",
    ]);
    assert.deepEqual(unknown.streamError, { condition: 'host-unknown', text: 'This server does not serve nope.test' });
    assert.equal(unknown.closed, true);
    const started = performance.now();
    for (const junk of ['<error ' + '<a'.repeat(1999), '<open' + ' x'.repeat(1999), '<features'.repeat(444)])
      readXmppFrames(Array.from({ length: 8 }, () => junk));
    assert.ok(performance.now() - started < 500);
  });
});

describe('the host probe (jitsiHost) with stand-in interfaces', () => {
  test('on the Jitsi host: the health endpoint on 127.0.0.1 is read; elsewhere it is not', async () => {
    let status = 200;
    let hits = 0;
    const server = http.createServer((req, res) => {
      hits++;
      res.statusCode = req.url === '/about/health' ? status : 404;
      res.end(status === 200 ? '' : 'unhealthy');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as net.AddressInfo).port;
    const file = path.join(scratch, 'host.env');
    const text = `PUBLIC_URL=https://meet.example.com\nJVB_COLIBRI_PORT=${port}\nJVB_ADVERTISE_IPS=10.11.2.32\n`;
    writeFileSync(file, text);
    const env = { ...jitsiArtifact(text, file) };
    // --resolve stands in for DNS; the interfaces for this machine's. Nothing leaves loopback.
    const netClient = new NetClient({
      resolve: [{ host: 'meet.example.com', port: 443, addresses: ['10.11.2.32'] }],
      connectTo: [],
      allowTargets: parseAllowTargets('127.0.0.0/8,::1'),
    });
    const interfaces = () => ({
      lo: [{ address: '127.0.0.1', family: 'IPv4' as const, internal: true, netmask: '255.0.0.0', mac: '00:00:00:00:00:00', cidr: '127.0.0.1/8' }],
      eth0: [{ address: '10.11.2.32', family: 'IPv4' as const, internal: false, netmask: '255.255.255.0', mac: '02:00:00:00:00:01', cidr: '10.11.2.32/24' }],
    });
    const ctx = { net: netClient, signal: AbortSignal.timeout(5000), timeoutMs: 5000 };
    try {
      const onHost = await inspectJitsiHost(ctx, env, { interfaces });
      assert.equal(onHost.role.onHost, true);
      assert.deepEqual(onHost.role.matched, ['10.11.2.32']);
      // The rule's facts, from which the jitsi-jvb messages are built (the words stay evidence).
      assert.deepEqual([onHost.role.hostAddresses, onHost.role.resolved], [['10.11.2.32'], ['10.11.2.32']]);
      assert.equal(onHost.role.why, 'meet.example.com resolves to 10.11.2.32, an address of this machine');
      assert.equal(onHost.health?.url, `http://127.0.0.1:${port}/about/health`);
      assert.equal(onHost.health?.exchange.status, 200);
      status = 500;
      assert.equal((await inspectJitsiHost(ctx, env, { interfaces })).health?.exchange.status, 500);
      const before = hits;
      const elsewhere = await inspectJitsiHost(ctx, env, {
        interfaces: () => ({ eth0: [{ ...interfaces().eth0[0], address: '10.0.0.9', cidr: '10.0.0.9/24' }] }),
      });
      assert.equal(elsewhere.role.onHost, false);
      assert.equal(elsewhere.health, undefined);
      assert.equal(hits, before, 'the health endpoint was read although this is not the Jitsi host');
    } finally {
      server.close();
    }
  });
});
