// jitsi-websocket: every code and message it declares; every .env rule (PUBLIC_URL, the ports, the redirect,
// XMPP domains, passwords, switches, interpolation and defaults as docker-jitsi-meet applies them); and the
// live part judged from hand-made jitsiWeb results: config.js pointing elsewhere (the seed's bug), and each
// way the XMPP WebSocket can fail.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import check from '../../checks/jitsi-websocket/index.js';
import { colibriSupport, imageVersion, interpolate, JitsiSettings } from '../../checks/jitsi-websocket/jitsi-facts.js';
import type { CheckResult } from '../../src/engine/types.js';
import { scanConfigJs } from '../../src/parse/config-js.js';
import {
  composeWebImage,
  type HttpSummary,
  type JitsiComposeArtifact,
  type JitsiWebArtifact,
  jitsiComposeProbe,
  releaseOf,
  type WebSocketAttempt,
} from '../../src/probes/jitsi.js';
import { envValues, renderConfigJs } from '../harness/jitsi.js';
import { ROOT, SEED } from '../helpers/cli.js';
import { Coverage, codes, jitsiArtifact, judge, nginxArtifact, one } from '../helpers/judge.js';

const ENV_FILE = '/root/docker-jitsi-meet/.env';
/** `${name}` as written in a .env (kept out of string literals, where it would look like a template mistake). */
const V = (name: string) => '$' + '{' + name + '}';
const SEED_ENV = readFileSync(`${SEED}/jitsi/.env`, 'utf8');
const coverage = new Coverage(check);

/** A complete, healthy .env (passwords set, nothing ignored). */
const CLEAN = `CONFIG=~/.jitsi-meet-cfg
HTTP_PORT=80
HTTPS_PORT=443
TZ=UTC
PUBLIC_URL=https://meet.example.com
JICOFO_AUTH_PASSWORD=1a2b3c4d5e6f
JVB_AUTH_PASSWORD=6f5e4d3c2b1a
JIGASI_XMPP_PASSWORD=aaaa1111
JIGASI_TRANSCRIBER_PASSWORD=bbbb2222
JIBRI_RECORDER_PASSWORD=cccc3333
JIBRI_XMPP_PASSWORD=dddd4444
`;

/** CLEAN with lines replaced or added (undefined removes). */
function env(changes: Record<string, string | undefined> = {}, base = CLEAN): string {
  let text = base;
  for (const [k, v] of Object.entries(changes)) {
    const re = new RegExp(`^${k}=.*\\n`, 'm');
    if (v === undefined) text = text.replace(re, '');
    else if (re.test(text)) text = text.replace(re, `${k}=${v}\n`);
    else text += `${k}=${v}\n`;
  }
  return text;
}

async function run(text: string, extra: Record<string, unknown> = {}): Promise<CheckResult> {
  return coverage.record(await judge(check, { jitsiEnv: jitsiArtifact(text, ENV_FILE), ...extra }));
}

function exchange(over: Partial<HttpSummary> = {}): HttpSummary {
  return { ok: true, url: '', finalUrl: '', status: 200, headers: {}, bodyBytes: 0, truncated: false, redirects: [], durationMs: 3, bodyExcerpt: '', ...over };
}

function attempt(over: Partial<WebSocketAttempt> = {}): WebSocketAttempt {
  return {
    url: 'wss://meet.example.com/xmpp-websocket',
    sources: ['config.js', 'PUBLIC_URL'],
    xmppDomain: 'meet.jitsi',
    outcome: 'features',
    address: '192.0.2.10',
    subprotocol: 'xmpp',
    frames: [
      "<open xmlns='urn:ietf:params:xml:ns:xmpp-framing' from='meet.jitsi' version='1.0' id='x'/>",
      "<stream:features xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>ANONYMOUS</mechanism></mechanisms></stream:features>",
    ],
    open: { from: 'meet.jitsi', version: '1.0', id: 'x' },
    mechanisms: ['ANONYMOUS'],
    waitedMs: 12,
    ...over,
  };
}

/** jitsiWeb as the probe returns it, from a config.js text and WebSocket attempts. */
function web(configJs: string | undefined, websockets: WebSocketAttempt[] = [attempt()], over: Partial<JitsiWebArtifact> = {}): JitsiWebArtifact {
  return {
    publicUrl: 'https://meet.example.com/',
    configJs: {
      url: 'https://meet.example.com/config.js',
      exchange: exchange({ bodyExcerpt: (configJs ?? '').slice(0, 2000) }),
      ...(configJs !== undefined ? { scan: scanConfigJs(configJs) } : {}),
    },
    expected: { websocket: 'wss://meet.example.com/xmpp-websocket', bosh: 'https://meet.example.com/http-bind', domain: 'meet.jitsi', muc: 'muc.meet.jitsi' },
    websockets,
    ...over,
  };
}

const GOOD_CONFIG = renderConfigJs(envValues(CLEAN));

describe('jitsi-websocket: status', () => {
  test('a clean .env alone passes with no findings', async () => {
    const r = await run(CLEAN);
    assert.equal(r.status, 'pass');
    assert.deepEqual(r.findings, []);
  });

  test('a clean .env with a working config.js and WebSocket passes, with the sign-in note', async () => {
    const r = await run(CLEAN, { jitsiWeb: web(GOOD_CONFIG) });
    assert.equal(r.status, 'pass');
    assert.deepEqual(codes(r), ['MXD-JWS-015:anonymous']);
    const f = one(r, 'MXD-JWS-015');
    assert.equal(f.severity, 'info');
    assert.equal(f.message, 'The XMPP WebSocket works: prosody serves meet.jitsi and offers ANONYMOUS, so anyone with the link can join (anonymous login).');
  });

  test('skip without a .env; error when it cannot be read; a failed live probe keeps the static findings', async () => {
    const skipped = await judge(check, { jitsiEnv: { status: 'skipped', reason: 'no docker-jitsi-meet .env given (--jitsi-env)', durationMs: 0 } });
    assert.equal(skipped.status, 'skip');
    const errored = await judge(check, { jitsiEnv: { status: 'error', error: { code: 'FILE_NOT_FOUND', message: 'no such file' }, durationMs: 0 } });
    assert.equal(errored.status, 'error');
    assert.match(errored.reason ?? '', /FILE_NOT_FOUND/);
    const live = await run(env({ JVB_AUTH_PASSWORD: '' }), {
      jitsiWeb: { status: 'error', error: { code: 'TARGET_NOT_ALLOWED', message: 'refused' }, durationMs: 0 },
    });
    assert.equal(live.status, 'error');
    assert.deepEqual(codes(live), ['MXD-JWS-005:required']);
  });

  test('the seed .env (offline): empty passwords, guests and AUTH_TYPE without ENABLE_AUTH; its PUBLIC_URL and ports agree', async () => {
    const r = await run(SEED_ENV);
    assert.deepEqual(codes(r), ['MXD-JWS-005:required', 'MXD-JWS-005:optional', 'MXD-JWS-006:authOff']);
    assert.equal(r.status, 'fail');
    const f = one(r, 'MXD-JWS-005', 'required');
    assert.equal(f.data.names, 'JICOFO_AUTH_PASSWORD, JVB_AUTH_PASSWORD');
    assert.match(f.message, /"FATAL ERROR: Jicofo auth password must be set"/);
    assert.deepEqual([f.location?.line], [18]);
    assert.deepEqual(f.fix?.steps, ['cd /root/docker-jitsi-meet && ./gen-passwords.sh', 'cd /root/docker-jitsi-meet && docker compose up -d']);
    assert.equal(one(r, 'MXD-JWS-005', 'optional').severity, 'info');
    assert.equal(one(r, 'MXD-JWS-006').data.names, 'ENABLE_GUESTS, AUTH_TYPE');
  });
});

describe('PUBLIC_URL (MXD-JWS-001, MXD-JWS-002)', () => {
  test('unset, or set to nothing: config.js falls back to wss://localhost:8443', async () => {
    for (const text of [env({ PUBLIC_URL: undefined }), env({ PUBLIC_URL: '' }), env({ PUBLIC_URL: '""' })]) {
      const r = await run(text);
      const f = one(r, 'MXD-JWS-001', 'unset');
      assert.match(f.message, /wss:\/\/localhost:8443\/xmpp-websocket.*"You have been disconnected"/);
      assert.equal(f.evidence.configJsWebsocket, 'wss://localhost:8443/xmpp-websocket');
    }
  });

  test('http://: the prefix stays in the WebSocket URL; the fix writes https', async () => {
    const text = env({ PUBLIC_URL: 'http://meet.example.com' });
    const f = one(await run(text), 'MXD-JWS-001', 'notHttps');
    assert.equal(f.data.websocket, 'wss://http://meet.example.com/xmpp-websocket');
    assert.deepEqual(f.fix?.edits, [
      { kind: 'env-set', file: ENV_FILE, name: 'PUBLIC_URL', value: 'https://meet.example.com', expectSha256: jitsiArtifact(text).sha256 },
    ]);
  });

  test('not a URL, another scheme, or an undefined variable', async () => {
    const notUrl = one(await run(env({ PUBLIC_URL: 'meet.example.com' })), 'MXD-JWS-001', 'invalid');
    assert.equal(notUrl.data.detail, 'notAbsolute');
    assert.match(notUrl.message, /^PUBLIC_URL 'meet\.example\.com' is not a usable URL \(not an absolute URL\); config\.js gets/);
    const ftp = one(await run(env({ PUBLIC_URL: 'ftp://meet.example.com' })), 'MXD-JWS-001', 'invalidScheme');
    assert.deepEqual(ftp.data, { value: 'ftp://meet.example.com', scheme: 'ftp:' });
    assert.match(ftp.message, /is not a usable URL \(scheme ftp:\); config\.js gets/);
    const undef = one(await run(env({ PUBLIC_URL: 'https://meet.example.com:' + V('NOPE') })), 'MXD-JWS-001', 'invalidVariable');
    assert.equal(undef.data.variable, 'NOPE');
    assert.ok(undef.message.includes(`is not a usable URL (${V('NOPE')} is not defined above it in the file); config.js gets`), undef.message);
    // Single quotes are literal for docker compose: ${HTTPS_PORT} stays and is no port.
    assert.equal(
      one(await run(env({ PUBLIC_URL: "'https://meet.example.com:" + V('HTTPS_PORT') + "'" })), 'MXD-JWS-001', 'invalid').data.value,
      'https://meet.example.com:' + V('HTTPS_PORT'),
    );
  });

  test("env.example's PUBLIC_URL with the HTTPS_PORT variable is interpolated as docker compose does", async () => {
    const text = env({ HTTPS_PORT: '8443', PUBLIC_URL: 'https://meet.example.com:' + V('HTTPS_PORT') });
    assert.deepEqual(codes(await run(text)), []);
  });

  test('port differs from HTTPS_PORT: the fix adds the port to PUBLIC_URL', async () => {
    const text = env({ HTTPS_PORT: '8443' });
    const r = await run(text);
    assert.deepEqual(codes(r), ['MXD-JWS-002:mismatch']);
    const f = one(r, 'MXD-JWS-002');
    assert.deepEqual(f.data, { publicUrl: 'https://meet.example.com', publicPort: 443, httpsPort: 8443 });
    assert.match(f.message, /port 443, but the web container is published on HTTPS_PORT 8443/);
    assert.deepEqual([f.location?.line, f.location?.column], [5, 12]);
    assert.deepEqual(f.fix?.edits, [
      { kind: 'env-set', file: ENV_FILE, name: 'PUBLIC_URL', value: 'https://meet.example.com:8443', expectSha256: jitsiArtifact(text).sha256 },
    ]);
    assert.match(f.fix?.steps.join('\n') ?? '', /HTTPS_PORT=443/);
  });

  test("HTTPS_PORT unset: env.example's 8443 applies", async () => {
    const f = one(await run(env({ HTTPS_PORT: undefined })), 'MXD-JWS-002', 'mismatchDefault');
    assert.equal(f.data.httpsPort, 8443);
    assert.match(String(f.evidence.HTTPS_PORT), /not set/);
  });

  test('agreeing ports: explicit :443, :8443 with HTTPS_PORT=8443', async () => {
    assert.deepEqual(codes(await run(env({ PUBLIC_URL: 'https://meet.example.com:443/' }))), []);
    assert.deepEqual(codes(await run(env({ PUBLIC_URL: 'https://meet.example.com:8443', HTTPS_PORT: '8443' }))), []);
  });

  test('a reverse proxy in front: DISABLE_HTTPS=1, or an nginx server for the host that proxies', async () => {
    assert.deepEqual(codes(await run(env({ HTTPS_PORT: '8443', DISABLE_HTTPS: '1' }))), []);
    const nginx = nginxArtifact({
      '/etc/nginx/sites-enabled/meet.conf': `server {
    listen 443 ssl;
    server_name meet.example.com;
    location / { proxy_pass http://localhost:8000/; }
    location /xmpp-websocket {
        proxy_pass http://localhost:8000/xmpp-websocket;
        proxy_http_version 1.1;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection "upgrade";
    }
}
`,
    });
    assert.deepEqual(codes(await run(env({ HTTPS_PORT: '8443' }), { nginxConfig: nginx })), []);
    // A server for another name is no declaration.
    const other = nginxArtifact({
      '/etc/nginx/sites-enabled/x.conf': 'server { listen 443 ssl; server_name other.example.com; location / { proxy_pass http://localhost:8000/; } }\n',
    });
    assert.deepEqual(codes(await run(env({ HTTPS_PORT: '8443' }), { nginxConfig: other })), ['MXD-JWS-002:mismatch']);
  });
});

describe('the HTTP redirect (MXD-JWS-003)', () => {
  test('ENABLE_HTTP_REDIRECT with HTTPS_PORT 8443: the redirect drops the port', async () => {
    const text = env({ PUBLIC_URL: 'https://meet.example.com:8443', HTTPS_PORT: '8443', HTTP_PORT: '8000', ENABLE_HTTP_REDIRECT: '1' });
    const f = one(await run(text), 'MXD-JWS-003', 'nonStandardPort');
    assert.deepEqual(f.data, { host: 'meet.example.com', httpPort: '8000', httpsPort: 8443 });
    assert.match(f.message, /http:\/\/meet\.example\.com:8000\/ answer with a redirect to https:\/\/meet\.example\.com\//);
    assert.deepEqual(f.fix?.edits, [{ kind: 'env-set', file: ENV_FILE, name: 'ENABLE_HTTP_REDIRECT', value: '0', expectSha256: jitsiArtifact(text).sha256 }]);
  });

  test('any true spelling counts; 0, false and HTTPS on 443 are fine', async () => {
    for (const v of ['true', 'T', 'True'])
      assert.ok(
        codes(await run(env({ PUBLIC_URL: 'https://m.example.com:8443', HTTPS_PORT: '8443', ENABLE_HTTP_REDIRECT: v }))).includes(
          'MXD-JWS-003:nonStandardPort',
        ),
        v,
      );
    for (const v of ['0', 'false'])
      assert.deepEqual(codes(await run(env({ PUBLIC_URL: 'https://m.example.com:8443', HTTPS_PORT: '8443', ENABLE_HTTP_REDIRECT: v }))), [], v);
    assert.deepEqual(codes(await run(env({ ENABLE_HTTP_REDIRECT: '1' }))), []);
  });

  test('behind a reverse proxy (DISABLE_HTTPS=1) the redirect loops', async () => {
    const f = one(await run(env({ DISABLE_HTTPS: '1', ENABLE_HTTP_REDIRECT: '1' })), 'MXD-JWS-003', 'behindProxy');
    assert.match(f.message, /"ERR_TOO_MANY_REDIRECTS"/);
  });
});

describe('XMPP domains (MXD-JWS-004)', () => {
  test('XMPP_DOMAIN changed but XMPP_MUC_DOMAIN left at muc.meet.jitsi: rooms are joined on a domain prosody does not serve', async () => {
    const text = env({ XMPP_DOMAIN: 'meet.example.com' });
    const f = one(await run(text), 'MXD-JWS-004', 'mucDomain');
    assert.deepEqual(f.data, { configMuc: 'muc.meet.example.com', mucDomain: 'muc.meet.jitsi' });
    assert.deepEqual(f.fix?.edits, [
      { kind: 'env-set', file: ENV_FILE, name: 'XMPP_MUC_DOMAIN', value: 'muc.meet.example.com', expectSha256: jitsiArtifact(text).sha256 },
    ]);
  });

  test('consistent domains, or ENABLE_SUBDOMAINS=false, are fine', async () => {
    assert.deepEqual(codes(await run(env({ XMPP_DOMAIN: 'meet.example.com', XMPP_MUC_DOMAIN: 'conference.meet.example.com' }))), []);
    assert.deepEqual(codes(await run(env({ XMPP_DOMAIN: 'meet.example.com', ENABLE_SUBDOMAINS: 'false' }))), []);
  });

  test('a domain that is not a domain name', async () => {
    const f = one(await run(env({ XMPP_DOMAIN: 'meet_jitsi!' })), 'MXD-JWS-004', 'invalidDomain');
    assert.deepEqual(f.data, { name: 'XMPP_DOMAIN', value: 'meet_jitsi!' });
  });
});

describe('passwords, ignored and unreadable switches (MXD-JWS-005..008)', () => {
  test('one empty required password; absent lines count as empty; values never appear', async () => {
    const r = await run(env({ JVB_AUTH_PASSWORD: undefined }));
    const f = one(r, 'MXD-JWS-005', 'required');
    assert.equal(f.data.names, 'JVB_AUTH_PASSWORD');
    assert.equal(f.data.fatal, 'FATAL ERROR: JVB auth password must be set');
    assert.doesNotMatch(JSON.stringify(r), /1a2b3c4d5e6f/);
  });

  test('ENABLE_COLIBRI_WEBSOCKET on releases without colibri WebSockets', async () => {
    const text = env({ ENABLE_COLIBRI_WEBSOCKET: '1', JITSI_IMAGE_VERSION: 'stable-11146-1' });
    const f = one(await run(text), 'MXD-JWS-006', 'colibriRemoved');
    assert.deepEqual(f.data, { value: '1', release: 'stable-11146-1' });
    assert.deepEqual(f.fix?.edits, [{ kind: 'env-unset', file: ENV_FILE, name: 'ENABLE_COLIBRI_WEBSOCKET', expectSha256: jitsiArtifact(text).sha256 }]);
    const moving = one(await run(env({ ENABLE_COLIBRI_WEBSOCKET: '0', JITSI_IMAGE_VERSION: 'stable' })), 'MXD-JWS-006', 'colibriRemovedMoving');
    assert.deepEqual(moving.data, { value: '0', release: 'stable', newest: 'stable-11146-2' });
    assert.match(moving.message, /JITSI_IMAGE_VERSION 'stable' \(stable-11146-2 or newer\) has no colibri WebSockets/);
    assert.equal(moving.fix?.summary, f.fix?.summary);
    for (const v of ['stable-10888', 'stable-9584-1', undefined])
      assert.deepEqual(codes(await run(env({ ENABLE_COLIBRI_WEBSOCKET: '1', JITSI_IMAGE_VERSION: v }))), [], String(v));
  });

  test('ENABLE_GUESTS without ENABLE_AUTH; not with it', async () => {
    assert.equal(one(await run(env({ ENABLE_GUESTS: '1' })), 'MXD-JWS-006', 'authOff').data.names, 'ENABLE_GUESTS');
    assert.deepEqual(codes(await run(env({ ENABLE_GUESTS: '1', AUTH_TYPE: 'internal', ENABLE_AUTH: '1' }))), []);
  });

  test('a switch Go cannot parse: yes is fixed to 1, anything else is pointed at', async () => {
    const text = env({ ENABLE_XMPP_WEBSOCKET: 'yes' });
    const r = await run(text);
    assert.deepEqual(codes(r), ['MXD-JWS-007:notBool']);
    const f = one(r, 'MXD-JWS-007');
    assert.deepEqual(f.data, { name: 'ENABLE_XMPP_WEBSOCKET', value: 'yes' });
    assert.deepEqual(f.fix?.edits, [{ kind: 'env-set', file: ENV_FILE, name: 'ENABLE_XMPP_WEBSOCKET', value: '1', expectSha256: jitsiArtifact(text).sha256 }]);
    assert.deepEqual(one(await run(env({ ENABLE_AUTH: 'maybe' })), 'MXD-JWS-007').fix?.edits, []);
    // Quotes are removed first, as tpl's toBool does.
    assert.deepEqual(codes(await run(env({ ENABLE_AUTH: '"0"', ENABLE_HTTP_REDIRECT: "'false'" }))), []);
  });

  test('ENABLE_XMPP_WEBSOCKET=0: noted, and no WebSocket is judged', async () => {
    const text = env({ ENABLE_XMPP_WEBSOCKET: '0' });
    const config = renderConfigJs(envValues(text));
    const r = await run(text, {
      jitsiWeb: web(config, [], { expected: { bosh: 'https://meet.example.com/http-bind', domain: 'meet.jitsi', muc: 'muc.meet.jitsi' } }),
    });
    assert.deepEqual(codes(r), ['MXD-JWS-008:disabled']);
  });
});

describe('config.js (MXD-JWS-009..011)', () => {
  test('unreachable, an HTTP error, or not Jitsi', async () => {
    const down = await run(CLEAN, {
      jitsiWeb: web(undefined, [], {
        configJs: {
          url: 'https://meet.example.com/config.js',
          exchange: exchange({ ok: false, status: undefined, error: { code: 'CONN_REFUSED', message: 'connect ECONNREFUSED 192.0.2.10:443' } }),
        },
      }),
    });
    assert.equal(one(down, 'MXD-JWS-009', 'unreachable').data.reason, 'CONN_REFUSED: connect ECONNREFUSED 192.0.2.10:443');
    const missing = await run(CLEAN, {
      jitsiWeb: web(undefined, [], { configJs: { url: 'https://meet.example.com/config.js', exchange: exchange({ status: 404 }) } }),
    });
    assert.equal(one(missing, 'MXD-JWS-009', 'status').data.status, 404);
    const html = await run(CLEAN, { jitsiWeb: web('<!DOCTYPE html><html><body>Welcome to nginx!</body></html>', []) });
    assert.match(one(html, 'MXD-JWS-009', 'notJitsi').message, /not a Jitsi Meet config\.js/);
  });

  test("the seed's bug: config.js sends the WebSocket and BOSH to another host; the fix recreates the web container", async () => {
    const running = renderConfigJs({ PUBLIC_URL: 'https://localhost:8443' });
    const failing = attempt({
      url: 'wss://localhost:8443/xmpp-websocket',
      sources: ['config.js'],
      outcome: 'network',
      error: { code: 'CONN_REFUSED', message: 'connect ECONNREFUSED 127.0.0.1:8443' },
      frames: [],
    });
    const working = attempt({ sources: ['PUBLIC_URL'] });
    const r = await run(CLEAN, { jitsiWeb: web(running, [failing, working]) });
    assert.deepEqual(codes(r), ['MXD-JWS-010:websocket', 'MXD-JWS-010:bosh', 'MXD-JWS-015:anonymous']);
    const f = one(r, 'MXD-JWS-010', 'websocket');
    assert.equal(f.severity, 'error');
    assert.deepEqual(f.data, { url: 'https://meet.example.com/config.js', websocket: 'wss://localhost:8443/xmpp-websocket', publicHost: 'meet.example.com' });
    assert.match(f.message, /"You have been disconnected", and a second participant drops/);
    assert.equal(f.evidence.browsersGet, 'network: CONN_REFUSED: connect ECONNREFUSED 127.0.0.1:8443');
    assert.match(String(f.evidence.configJs), /config\.js:\d+: config\.websocket = 'wss:\/\/localhost:8443\/' \+ subdir \+ 'xmpp-websocket'/);
    assert.deepEqual(f.fix?.steps, [
      'PUBLIC_URL=https://meet.example.com   # /root/docker-jitsi-meet/.env:5',
      'cd /root/docker-jitsi-meet && docker compose up -d --force-recreate web',
    ]);
    // The .env already says it: nothing to edit, only the container to recreate.
    assert.deepEqual(f.fix?.edits, []);
  });

  test('a port left out of PUBLIC_URL in the running container (#931) is another host too; a trailing slash in .env is edited away', async () => {
    const text = env({ PUBLIC_URL: 'https://meet.example.com:8443/', HTTPS_PORT: '8443' });
    const running = renderConfigJs({ PUBLIC_URL: 'https://meet.example.com' });
    const r = await run(text, {
      jitsiWeb: web(running, [attempt({ sources: ['config.js'], url: 'wss://meet.example.com/xmpp-websocket' })], {
        publicUrl: 'https://meet.example.com:8443/',
      }),
    });
    const f = one(r, 'MXD-JWS-010', 'websocket');
    assert.equal(f.data.publicHost, 'meet.example.com:8443');
    assert.deepEqual(f.fix?.edits, [
      { kind: 'env-set', file: ENV_FILE, name: 'PUBLIC_URL', value: 'https://meet.example.com:8443', expectSha256: jitsiArtifact(text).sha256 },
    ]);
  });

  test('relative and protocol-relative BOSH URLs on the same host are fine; default ports compare equal', async () => {
    const config =
      "var config = {};\nconfig.hosts = {};\nconfig.hosts.domain = 'meet.jitsi';\nconfig.bosh = '/http-bind';\nconfig.websocket = 'wss://MEET.example.com:443/xmpp-websocket';\n";
    assert.deepEqual(codes(await run(CLEAN, { jitsiWeb: web(config, [attempt({ url: 'wss://MEET.example.com:443/xmpp-websocket' })]) })), [
      'MXD-JWS-015:anonymous',
    ]);
    const rel = config.replace("'/http-bind'", "'//meet.example.com/http-bind'");
    assert.deepEqual(codes(await run(CLEAN, { jitsiWeb: web(rel, [attempt({ url: 'wss://MEET.example.com:443/xmpp-websocket' })]) })), [
      'MXD-JWS-015:anonymous',
    ]);
  });

  test('a running config.js older than the .env: another XMPP domain, a WebSocket missing or still there', async () => {
    const domain = await run(env({ XMPP_DOMAIN: 'meet.example.com', XMPP_MUC_DOMAIN: 'muc.meet.example.com' }), { jitsiWeb: web(GOOD_CONFIG) });
    assert.deepEqual(one(domain, 'MXD-JWS-011', 'domain').data, { running: 'meet.jitsi', env: 'meet.example.com' });
    const noWs = renderConfigJs(envValues(env({ ENABLE_XMPP_WEBSOCKET: '0' })));
    assert.deepEqual(codes(await run(CLEAN, { jitsiWeb: web(noWs, [attempt({ sources: ['PUBLIC_URL'] })]) })), [
      'MXD-JWS-011:websocketMissing',
      'MXD-JWS-015:anonymous',
    ]);
    const extra = await run(env({ ENABLE_XMPP_WEBSOCKET: 'false' }), { jitsiWeb: web(GOOD_CONFIG, [attempt({ sources: ['config.js'] })]) });
    assert.deepEqual(codes(extra), ['MXD-JWS-008:disabled', 'MXD-JWS-011:websocketExtra', 'MXD-JWS-015:anonymous']);
  });
});

describe('the XMPP WebSocket (MXD-JWS-012..015)', () => {
  const live = async (a: Partial<WebSocketAttempt>, text = CLEAN) =>
    run(text, { jitsiWeb: web(GOOD_CONFIG, [attempt({ frames: [], open: undefined, mechanisms: undefined, ...a })]) });

  test('DNS, TCP, TLS and a silent upgrade are told apart', async () => {
    const dns = one(await live({ outcome: 'network', error: { code: 'DNS_NXDOMAIN', message: 'queryAaaa ENOTFOUND meet.example.com' } }), 'MXD-JWS-012', 'dns');
    assert.deepEqual(dns.data, { url: 'wss://meet.example.com/xmpp-websocket', host: 'meet.example.com', code: 'DNS_NXDOMAIN' });
    const tcp = one(await live({ outcome: 'network', error: { code: 'CONN_REFUSED', message: 'connect ECONNREFUSED' } }), 'MXD-JWS-012', 'tcp');
    assert.equal(tcp.data.code, 'CONN_REFUSED');
    const tls = one(await live({ outcome: 'network', error: { code: 'TLS_UNTRUSTED', message: 'self-signed certificate' } }), 'MXD-JWS-012', 'tls');
    assert.match(tls.message, /TLS failed \(TLS_UNTRUSTED: self-signed certificate\)/);
    const timeout = one(await live({ outcome: 'network', error: { code: 'TIMEOUT', message: 'no answer' }, waitedMs: 4000 }), 'MXD-JWS-012', 'timeout');
    assert.equal(timeout.data.waitedMs, 4000);
  });

  test('HTTP answers: 404 from the web server or from prosody, 502, 501, the prosody GET page, others', async () => {
    const http = (status: number, bodyExcerpt = '') => live({ outcome: 'http', http: { status, headers: { server: 'nginx' }, bodyExcerpt } });
    assert.match(one(await http(404, '<center>nginx</center>'), 'MXD-JWS-013', 'notFound').message, /no \/xmpp-websocket location/);
    assert.ok(one(await http(404, '<p>Whatever you were looking for is not here. Where did you put it?</p>'), 'MXD-JWS-013', 'notFoundProsody'));
    for (const s of [502, 503, 504]) assert.equal(one(await http(s), 'MXD-JWS-013', 'badGateway').data.status, s);
    const h501 = one(await http(501), 'MXD-JWS-013', 'subprotocol');
    assert.equal(h501.data.detail, 'http501');
    assert.match(h501.message, /did not accept the xmpp subprotocol \(HTTP 501\): prosody answers 501/);
    const page = '<title>Prosody WebSocket endpoint</title><p>It works! Now point your WebSocket client to this URL to connect to Prosody.</p>';
    assert.match(one(await http(200, page), 'MXD-JWS-013', 'noUpgrade').message, /"It works!" page/);
    assert.equal(one(await http(200, '<html>Jitsi Meet</html>'), 'MXD-JWS-013', 'status').data.status, 200);
    const none = one(await live({ outcome: 'subprotocol', subprotocol: undefined }), 'MXD-JWS-013', 'subprotocol');
    assert.equal(none.data.detail, 'none');
    assert.match(none.message, /did not accept the xmpp subprotocol \(no subprotocol in the answer\): /);
    const other = one(await live({ outcome: 'subprotocol', subprotocol: 'mqtt' }), 'MXD-JWS-013', 'subprotocolOther');
    assert.equal(other.data.subprotocol, 'mqtt');
    assert.match(other.message, /did not accept the xmpp subprotocol \(answered with 'mqtt'\): /);
    assert.equal(other.fix?.summary, none.fix?.summary);
  });

  test('after the upgrade: silence, a closed connection, host-unknown, another stream error, no features', async () => {
    assert.match(
      one(await live({ outcome: 'silent', waitedMs: 4500 }), 'MXD-JWS-014', 'silent').message,
      /sent nothing within 4500 ms after our <open\/> to meet\.jitsi/,
    );
    assert.equal(
      one(await live({ outcome: 'closed', error: { code: 'WS_CLOSED', message: 'closed with 1006' } }), 'MXD-JWS-014', 'closed').data.detail,
      'closed with 1006',
    );
    // An XMPP <close/> without a close frame: nothing the server said, a phrase.
    const unexplained = one(
      await live({ outcome: 'closed', frames: ['<close xmlns="urn:ietf:params:xml:ns:xmpp-framing"/>'] }),
      'MXD-JWS-014',
      'closedUnexplained',
    );
    assert.equal(unexplained.data.detail, 'noCloseFrame');
    assert.match(unexplained.message, /then closed the connection \(no close frame\) before any XMPP frame/);
    // Frames, but none an XMPP <open/>; and a message over the 1 MiB the probe accepts (closed or after <open/>).
    assert.match(
      one(await live({ outcome: 'silent', waitedMs: 4500, frames: ['<junk/>'] }), 'MXD-JWS-014', 'junk').message,
      /sent 1 frame\(s\), but no XMPP <open\/>/,
    );
    for (const outcome of ['closed', 'no-features'] as const) {
      const tooLarge = { code: 'WS_TOO_LARGE', message: 'a WebSocket message larger than 1048576 bytes (Max payload size exceeded)' };
      assert.match(one(await live({ outcome, error: tooLarge }), 'MXD-JWS-014', 'tooLarge').message, /a WebSocket message larger than 1 MiB/);
    }
    const unknown = one(
      await live({
        outcome: 'stream-error',
        xmppDomain: 'meet.example.com',
        streamError: { condition: 'host-unknown', text: 'This server does not serve meet.example.com' },
      }),
      'MXD-JWS-014',
      'hostUnknown',
    );
    assert.deepEqual(unknown.data, { domain: 'meet.example.com', text: 'This server does not serve meet.example.com' });
    assert.equal(
      one(await live({ outcome: 'stream-error', streamError: { condition: 'policy-violation' } }), 'MXD-JWS-014', 'streamError').data.condition,
      'policy-violation',
    );
    assert.ok(one(await live({ outcome: 'no-features', open: { from: 'meet.jitsi' } }), 'MXD-JWS-014', 'noFeatures'));
  });

  test('sign-in: login required, guests through the guest domain, or prosody not matching the .env', async () => {
    const mech = { outcome: 'features' as const, mechanisms: ['PLAIN', 'SCRAM-SHA-1'] };
    const login = one(await live(mech, env({ ENABLE_AUTH: '1' })), 'MXD-JWS-015', 'login');
    assert.equal(login.data.mechanisms, 'PLAIN, SCRAM-SHA-1');
    assert.equal(one(await live(mech, env({ ENABLE_AUTH: '1', ENABLE_GUESTS: '1' })), 'MXD-JWS-015', 'loginGuests').data.guestDomain, 'guest.meet.jitsi');
    const mismatch = await live(mech);
    assert.equal(one(mismatch, 'MXD-JWS-015', 'authMismatch').severity, 'warning');
    assert.equal(mismatch.status, 'warn');
    // Stream features without any SASL mechanism: the phrase's id in the data, its words in the message.
    const bare = { outcome: 'features' as const, mechanisms: [] };
    const none = one(await live(bare, env({ ENABLE_AUTH: '1' })), 'MXD-JWS-015', 'loginNoMechanism');
    assert.equal(none.data.mechanisms, 'none');
    assert.match(none.message, /prosody serves meet\.jitsi with no SASL mechanism and no ANONYMOUS, so users must log in to join\.$/);
    assert.equal(none.fix?.summary, login.fix?.summary);
    const guests = one(await live(bare, env({ ENABLE_AUTH: '1', ENABLE_GUESTS: '1' })), 'MXD-JWS-015', 'loginGuestsNoMechanism');
    assert.match(guests.message, /with no SASL mechanism and no ANONYMOUS; users log in, and guests join through hosts\.anonymousdomain guest\.meet\.jitsi/);
    const noAuth = one(await live(bare), 'MXD-JWS-015', 'authMismatchNoMechanism');
    assert.equal(noAuth.severity, 'warning');
    assert.match(noAuth.message, /^Prosody serves meet\.jitsi with no SASL mechanism and no ANONYMOUS, although/);
  });

  test("an attempt on another host (the seed's bug) is evidence, not a second finding", async () => {
    const running = renderConfigJs({ PUBLIC_URL: 'https://meet.other.example' });
    const refused = attempt({
      url: 'wss://meet.other.example/xmpp-websocket',
      sources: ['config.js'],
      outcome: 'refused',
      error: { code: 'TARGET_NOT_ALLOWED', message: 'refused' },
    });
    const r = await run(CLEAN, {
      jitsiWeb: web(running, [refused, attempt({ sources: ['PUBLIC_URL'], outcome: 'http', http: { status: 502, headers: {}, bodyExcerpt: '' } })]),
    });
    assert.deepEqual(codes(r), ['MXD-JWS-010:websocket', 'MXD-JWS-010:bosh', 'MXD-JWS-013:badGateway']);
    assert.equal(one(r, 'MXD-JWS-010', 'websocket').evidence.browsersGet, 'not contacted (outside --allow-targets)');
  });
});

describe('the colibri WebSocket (MXD-JWS-016)', () => {
  const text = env({ JITSI_IMAGE_VERSION: 'stable-9457', ENABLE_COLIBRI_WEBSOCKET: '1' });
  const colibri = (x: Partial<HttpSummary>) =>
    run(text, { jitsiWeb: web(GOOD_CONFIG, [attempt()], { colibri: { url: 'https://meet.example.com/colibri-ws/jvb/', exchange: exchange(x) } }) });

  test('a connection failure, nginx without the bridge, no location', async () => {
    assert.match(
      one(await colibri({ ok: false, status: undefined, error: { code: 'CONN_RESET', message: 'socket hang up' } }), 'MXD-JWS-016', 'unreachable').message,
      /stable-9457/,
    );
    assert.equal(one(await colibri({ status: 502 }), 'MXD-JWS-016', 'badGateway').data.status, 502);
    assert.ok(one(await colibri({ status: 404, bodyExcerpt: '<html>404 Not Found</html>' }), 'MXD-JWS-016', 'notFound'));
  });

  test("the bridge's own answers (Jetty's 404, 400, 405) mean it is there", async () => {
    for (const x of [{ status: 404, bodyExcerpt: 'Powered by Jetty' }, { status: 400 }, { status: 405 }])
      assert.deepEqual(codes(await colibri(x)), ['MXD-JWS-015:anonymous']);
  });
});

describe('docker-jitsi-meet facts', () => {
  test('compose interpolation', () => {
    const vars: Record<string, string> = { A: 'x', E: '' };
    const look = (n: string) => vars[n];
    assert.equal(interpolate(V('A') + '-$A-$$A-' + V('B:-d') + '-' + V('E:-d') + '-' + V('E-d') + '-' + V('A:+y') + '-' + V('B+y'), look), 'x-x-$A-d-d--y-');
    const unresolved: string[] = [];
    assert.equal(interpolate('https://h:' + V('PORT') + '/', look, unresolved), 'https://h:/');
    assert.deepEqual(unresolved, ['PORT']);
  });

  test('image versions and colibri support', () => {
    assert.equal(colibriSupport(imageVersion('stable-11146-2')), 'removed');
    assert.equal(colibriSupport(imageVersion('stable-10888')), 'default-off');
    assert.equal(colibriSupport(imageVersion('stable-9457')), 'default-on');
    assert.equal(colibriSupport(imageVersion('latest')), 'removed');
    assert.equal(colibriSupport(imageVersion('my-build')), 'unknown');
    assert.equal(colibriSupport(undefined), 'unknown');
  });

  test('the last assignment wins, values see the lines above them', () => {
    const s = new JitsiSettings(jitsiArtifact('HTTPS_PORT=1\nPUBLIC_URL=https://h:' + V('HTTPS_PORT') + '\nHTTPS_PORT=2\n'));
    assert.equal(s.value('PUBLIC_URL'), 'https://h:1');
    assert.equal(s.value('HTTPS_PORT'), '2');
    assert.equal(s.where('HTTPS_PORT'), '/root/docker-jitsi-meet/.env:3');
    assert.equal(s.value('XMPP_DOMAIN'), 'meet.jitsi');
    assert.equal(s.get('XMPP_DOMAIN').defaulted, true);
  });
});

describe('the release docker-compose.yml pins when the .env has no JITSI_IMAGE_VERSION', () => {
  const FIXTURE = `${ROOT}/fixtures/jitsi-compose`;
  const composeText = readFileSync(`${FIXTURE}/docker-compose.yml`, 'utf8');
  const fixtureEnv = readFileSync(`${FIXTURE}/.env`, 'utf8');
  const pinned = (tag: string): JitsiComposeArtifact => ({
    file: '/root/docker-jitsi-meet/docker-compose.yml',
    runsJvb: true,
    webImage: { line: 8, image: `jitsi/web:\${JITSI_IMAGE_VERSION:-${tag}}`, tag, pinned: tag },
  });

  test("the web image line, interpolated as docker compose does: the pin, or the .env's JITSI_IMAGE_VERSION", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the image line as docker-jitsi-meet writes it
    const image = 'jitsi/web:${JITSI_IMAGE_VERSION:-stable-9457}';
    assert.deepEqual(
      composeWebImage(composeText, () => undefined),
      { line: 8, image, tag: 'stable-9457', pinned: 'stable-9457' },
    );
    assert.equal(composeWebImage(composeText, (n) => (n === 'JITSI_IMAGE_VERSION' ? 'stable-11146' : undefined))?.tag, 'stable-11146');
    // A registry prefix and a plain tag; a file without a web image.
    assert.equal(composeWebImage('services:\n  web:\n    image: "docker.io/jitsi/web:stable-10590"\n', () => undefined)?.tag, 'stable-10590');
    assert.equal(
      composeWebImage('services:\n  jvb:\n    image: jitsi/jvb:stable\n', () => undefined),
      undefined,
    );
  });

  test('the jitsiCompose probe reads the fixture beside its .env; the release falls back to the pin', async () => {
    const envArtifact = jitsiArtifact(fixtureEnv, `${FIXTURE}/.env`);
    const r = (await jitsiComposeProbe.run({} as never, { jitsiEnv: envArtifact })) as JitsiComposeArtifact;
    assert.equal(r.file, `${FIXTURE}/docker-compose.yml`);
    assert.equal(r.runsJvb, true);
    assert.equal(r.webImage?.tag, 'stable-9457');
    assert.deepEqual(releaseOf(new JitsiSettings(envArtifact), r), { version: 'stable-9457', from: 'compose', where: `${FIXTURE}/docker-compose.yml:8` });
    // JITSI_IMAGE_VERSION in the .env wins, as in docker compose.
    const withVersion = jitsiArtifact(`${fixtureEnv}JITSI_IMAGE_VERSION=stable-9584\n`, `${FIXTURE}/.env`);
    assert.equal(releaseOf(new JitsiSettings(withVersion), r)?.version, 'stable-9584');
    // No compose file beside the .env: skipped.
    const none = await jitsiComposeProbe.run({} as never, { jitsiEnv: jitsiArtifact(fixtureEnv, `${ROOT}/fixtures/seed/jitsi/.env`) });
    assert.match((none as { skip: string }).skip, /no docker compose file beside/);
  });

  test('MXD-JWS-006 colibriRemovedPinned: ENABLE_COLIBRI_WEBSOCKET on a release only the compose file names', async () => {
    const text = env({ ENABLE_COLIBRI_WEBSOCKET: '1', JITSI_IMAGE_VERSION: undefined });
    const f = one(await run(text, { jitsiCompose: pinned('stable-11146') }), 'MXD-JWS-006', 'colibriRemovedPinned');
    assert.deepEqual(f.data, { value: '1', release: 'stable-11146', composeFile: '/root/docker-jitsi-meet/docker-compose.yml', line: 8 });
    assert.match(
      f.message,
      /JITSI_IMAGE_VERSION is not set, so the containers run stable-11146, the release \/root\/docker-jitsi-meet\/docker-compose\.yml pins \(line 8\)/,
    );
    // A release that still has them, or no compose file: nothing to say.
    assert.deepEqual(codes(await run(text, { jitsiCompose: pinned('stable-9457') })), []);
    assert.deepEqual(codes(await run(text)), []);
    // The .env's own JITSI_IMAGE_VERSION wins over the pin.
    const own = env({ ENABLE_COLIBRI_WEBSOCKET: '1', JITSI_IMAGE_VERSION: 'stable-9457' });
    assert.deepEqual(codes(await run(own, { jitsiCompose: pinned('stable-11146') })), []);
  });

  test('MXD-JWS-016 names the release the compose file pins', async () => {
    const text = env({ ENABLE_COLIBRI_WEBSOCKET: '1', JITSI_IMAGE_VERSION: undefined });
    const r = await run(text, {
      jitsiWeb: web(GOOD_CONFIG, [attempt()], {
        release: { version: 'stable-9457', from: 'compose', where: '/root/docker-jitsi-meet/docker-compose.yml:8' },
        colibri: { url: 'https://meet.example.com/colibri-ws/jvb/', exchange: exchange({ status: 404, bodyExcerpt: '<html>404 Not Found</html>' }) },
      }),
    });
    const f = one(r, 'MXD-JWS-016', 'notFound');
    assert.equal(f.data.release, 'stable-9457');
    assert.match(String(f.evidence.release), /stable-9457 \(compose file, \/root\/docker-jitsi-meet\/docker-compose\.yml:8\)/);
  });
});

test('every code and messageId jitsi-websocket declares is produced by a test above', () => {
  assert.deepEqual(coverage.missing(), []);
});
