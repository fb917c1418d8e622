// well-known: every code and message it declares, on hand-built wellKnown artifacts shaped as the probe
// makes them (the seed's healthy files, then one thing broken at a time), with fixes that name the
// user's own nginx location when the nginx files are given, and a full location block otherwise.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { durationParts, parseHttpDate, synapseCachePeriod } from '../../checks/well-known/facts.js';
import check from '../../checks/well-known/index.js';
import type { CheckResult } from '../../src/engine/types.js';
import type { TlsEvidence } from '../../src/net/client.js';
import type { ClientVersionsArtifact, ClientVersionsResult } from '../../src/probes/client-versions.js';
import { BROWSER_ORIGIN, type WellKnownArtifact, type WellKnownFetch } from '../../src/probes/well-known.js';
import { Coverage, codes, homeserverArtifact, judge, nginxArtifact, one } from '../helpers/judge.js';
import { artifact, clientFile, fetched, NOT_FOUND, SEED_NGINX, serverFile } from './well-known-fixtures.js';

const coverage = new Coverage(check);
const NGINX_FILE = '/etc/nginx/sites-enabled/xfoss-com.conf';
const MATRIX_FILE = '/etc/nginx/sites-enabled/matrix.conf';
const MATRIX_NGINX = `server {
    listen 443 ssl;
    listen 8448 ssl default_server;
    server_name matrix.xfoss.com;
    location ~* ^(\\/_matrix|\\/_synapse\\/client) {
        proxy_pass http://localhost:8008;
    }
}
`;
const nginx = (site = SEED_NGINX) => nginxArtifact({ [NGINX_FILE]: site, [MATRIX_FILE]: MATRIX_NGINX });
const HS = homeserverArtifact('server_name: "xfoss.com"\npublic_baseurl: "https://matrix.xfoss.com:443"\nreport_stats: false\n');

async function run(wk: WellKnownArtifact, extra: Record<string, unknown> = {}): Promise<CheckResult> {
  return coverage.record(await judge(check, { wellKnown: wk, ...extra }));
}

function versionsResult(baseUrl: string, over: Partial<ClientVersionsResult> = {}): ClientVersionsResult {
  return {
    baseUrl,
    url: `${baseUrl}/_matrix/client/versions`,
    sources: ['well-known'],
    exchange: {
      ok: true,
      url: `${baseUrl}/_matrix/client/versions`,
      finalUrl: `${baseUrl}/_matrix/client/versions`,
      status: 200,
      headers: { 'content-type': 'application/json', 'access-control-allow-origin': '*' },
      bodyBytes: 40,
      truncated: false,
      redirects: [],
      durationMs: 2,
      bodyExcerpt: '{"versions":["v1.11"]}',
    },
    versions: ['v1.11'],
    ...over,
  };
}

describe('well-known: healthy', () => {
  test("the seed's files (both served by nginx, delegation answering, no support file): pass, no finding", async () => {
    const r = await run(artifact(), { nginxConfig: nginx(), homeserverConfig: HS });
    assert.equal(r.status, 'pass', JSON.stringify(r.findings, null, 1));
    assert.deepEqual(codes(r), []);
  });

  test('Content-Type with a charset parameter is JSON', async () => {
    const headers = { 'content-type': 'application/json; charset=utf-8', 'access-control-allow-origin': '*' };
    const r = await run(artifact({ server: serverFile(undefined, { headers }), client: clientFile(undefined, { headers }) }));
    assert.deepEqual(codes(r), []);
  });

  test('an explicit-port server name: no server file (recorded why), the client file still judged', async () => {
    const r = await run(artifact({ serverName: 'xfoss.com:8448', port: 8448, server: undefined, serverSkipped: 'explicit port' }));
    assert.deepEqual(codes(r), []);
    const r2 = await run(
      artifact({ serverName: 'xfoss.com:8448', port: 8448, server: undefined, serverSkipped: 'explicit port', client: clientFile(undefined, NOT_FOUND) }),
    );
    assert.deepEqual(codes(r2), ['MXD-WK-001:client']);
  });

  test('without the probe: skip when it was skipped, error when it failed', async () => {
    const skipped = await judge(check, { wellKnown: { status: 'skipped', reason: 'no server name', durationMs: 0 } });
    assert.equal(skipped.status, 'skip');
    const failed = await judge(check, { wellKnown: { status: 'error', error: { code: 'TARGET_NOT_ALLOWED', message: 'refused' }, durationMs: 0 } });
    assert.equal(failed.status, 'error');
    assert.match(failed.reason ?? '', /TARGET_NOT_ALLOWED/);
  });
});

describe('MXD-WK-001: not found', () => {
  test('server 404: warning, the fix gives the whole location with m.server from public_baseurl', async () => {
    const r = await run(artifact({ server: serverFile('', NOT_FOUND) }), { homeserverConfig: HS });
    const f = one(r, 'MXD-WK-001', 'server');
    assert.equal(f.severity, 'warning');
    assert.equal(r.status, 'warn');
    assert.match(f.message, /answers 404/);
    assert.match(f.message, /port 8448 on xfoss\.com/);
    assert.equal(f.evidence.status, 404);
    const steps = f.fix?.steps.join('\n') ?? '';
    assert.match(steps, /location = \/\.well-known\/matrix\/server \{/);
    assert.match(steps, /return 200 '\{"m\.server":"matrix\.xfoss\.com:443"\}';/);
    assert.match(steps, /default_type application\/json;/);
  });

  test('client 404 with the nginx files: add the location to the server block for xfoss.com, at its file:line', async () => {
    const site = SEED_NGINX.replace(/ {4}location \/\.well-known\/matrix\/client \{[\s\S]*?\n {4}\}\n/, '');
    const r = await run(artifact({ client: clientFile('', NOT_FOUND) }), { homeserverConfig: HS, nginxConfig: nginx(site) });
    const f = one(r, 'MXD-WK-001', 'client');
    assert.match(f.message, /@alice:xfoss\.com/);
    assert.match(f.fix?.steps[0] ?? '', new RegExp(`In the server block for xfoss.com \\(${NGINX_FILE}:1\\) add:`));
    assert.match(f.fix?.steps[0] ?? '', /"base_url":"https:\/\/matrix\.xfoss\.com:443"/);
    assert.match(f.fix?.steps[0] ?? '', /add_header Access-Control-Allow-Origin \*;/);
  });
});

describe('MXD-WK-002: other statuses and network failures', () => {
  test('server 500 and client 503', async () => {
    const r = await run(artifact({ server: serverFile('oops', { status: 500, headers: {} }), client: clientFile('busy', { status: 503, headers: {} }) }));
    // A 5xx is a temporary failure for Synapse (MXD-WK-015 says how long others remember it).
    assert.deepEqual(codes(r), ['MXD-WK-002:serverStatus', 'MXD-WK-015:temporaryFailure', 'MXD-WK-002:clientStatus']);
    assert.equal(one(r, 'MXD-WK-002', 'serverStatus').data.status, 500);
    assert.match(one(r, 'MXD-WK-002', 'clientStatus').message, /"Failed to get autodiscovery configuration from server"/);
    assert.equal(r.status, 'fail');
  });

  test('connection refused and timeout are evidence, with the code', async () => {
    const r = await run(
      artifact({
        server: serverFile('', { error: { code: 'CONN_REFUSED', message: 'connect ECONNREFUSED 127.0.0.1:443' } }),
        client: clientFile('', { error: { code: 'TIMEOUT', message: 'no answer before the timeout' } }),
        support: fetched('support', { error: { code: 'TIMEOUT', message: 'no answer' } }),
      }),
    );
    assert.deepEqual(codes(r), ['MXD-WK-002:serverNetwork', 'MXD-WK-015:temporaryFailure', 'MXD-WK-002:clientNetwork']);
    assert.match(one(r, 'MXD-WK-002', 'serverNetwork').message, /CONN_REFUSED/);
    assert.deepEqual(one(r, 'MXD-WK-002', 'clientNetwork').evidence.error, { code: 'TIMEOUT', message: 'no answer before the timeout' });
  });
});

describe('MXD-WK-003: not JSON', () => {
  test('both files: the parse error is in the message, the fix points at the return line', async () => {
    const r = await run(artifact({ server: serverFile("{'m.server': 'matrix.xfoss.com:443'}"), client: clientFile('<html>hello</html>') }), {
      nginxConfig: nginx(),
    });
    assert.deepEqual(codes(r), ['MXD-WK-003:server', 'MXD-WK-015:failure', 'MXD-WK-003:client']);
    const f = one(r, 'MXD-WK-003', 'server');
    assert.match(f.message, /is not JSON \(/);
    assert.equal(f.location?.file, NGINX_FILE);
    assert.equal(f.location?.line, 7);
    assert.match(one(r, 'MXD-WK-003', 'client').message, /"Invalid JSON"/);
    assert.match(f.fix?.steps[0] ?? '', new RegExp(`Replace the location at ${NGINX_FILE}:6`));
  });

  test('an empty 200 body is not JSON either', async () => {
    const f = fetched('client', { body: '' });
    f.jsonError = 'empty body';
    const r = await run(artifact({ client: { ...f, origin: BROWSER_ORIGIN } }));
    assert.equal(one(r, 'MXD-WK-003', 'client').data.detail, 'empty body');
  });
});

describe('MXD-WK-004: wrong shape', () => {
  test('not an object', async () => {
    const r = await run(artifact({ server: serverFile('["matrix.xfoss.com:443"]') }));
    const f = one(r, 'MXD-WK-004', 'notObject');
    assert.equal(f.data.file, 'server');
    assert.equal(f.data.found, 'a list of 1');
  });

  test('no m.server', async () => {
    const r = await run(artifact({ server: serverFile('{"server": "matrix.xfoss.com:443"}') }), { homeserverConfig: HS });
    assert.deepEqual(codes(r), ['MXD-WK-004:noServer', 'MXD-WK-015:failure']);
    assert.match(one(r, 'MXD-WK-004').fix?.summary ?? '', /"m\.server": "matrix\.xfoss\.com:443"/);
  });

  test('no m.homeserver.base_url', async () => {
    const r = await run(artifact({ client: clientFile('{"m.homeserver": {"url": "https://matrix.xfoss.com"}}') }));
    assert.deepEqual(codes(r), ['MXD-WK-004:noHomeserver']);
    assert.match(one(r, 'MXD-WK-004').message, /"Invalid homeserver discovery response"/);
  });

  test('m.identity_server without base_url: the fix removes it', async () => {
    const r = await run(artifact({ client: clientFile('{"m.homeserver": {"base_url": "https://matrix.xfoss.com"}, "m.identity_server": {}}') }));
    const f = one(r, 'MXD-WK-004', 'identityNoBaseUrl');
    assert.match(f.fix?.steps[0] ?? '', /return 200 '\{"m\.homeserver":\{"base_url":"https:\/\/matrix\.xfoss\.com"\}\}';/);
  });
});

describe('MXD-WK-005: m.server grammar', () => {
  test('not hostname[:port]', async () => {
    for (const bad of ['"matrix.xfoss.com:99999"', '"matrix xfoss"', '42', '"matrix.xfoss.com:443/"']) {
      const r = await run(artifact({ server: serverFile(`{"m.server": ${bad}}`) }));
      // Synapse keeps any ASCII string as the delegation (for the headers' period); anything else is a failure.
      assert.deepEqual(codes(r), ['MXD-WK-005:invalid', bad === '42' ? 'MXD-WK-015:failure' : 'MXD-WK-015:delegationCached'], bad);
      assert.equal(one(r, 'MXD-WK-005').data.value, bad);
    }
  });

  test('a URL instead of host:port: the suggestion keeps its host and port', async () => {
    const r = await run(artifact({ server: serverFile('{"m.server": "https://matrix.xfoss.com"}') }));
    const f = one(r, 'MXD-WK-005', 'scheme');
    assert.equal(f.data.suggestion, 'matrix.xfoss.com:443');
    assert.match(f.fix?.summary ?? '', /"matrix\.xfoss\.com:443"/);
  });
});

describe('MXD-WK-006: base_url', () => {
  test('not an absolute http(s) URL', async () => {
    const r = await run(artifact({ client: clientFile('{"m.homeserver": {"base_url": "matrix.xfoss.com"}}') }), { homeserverConfig: HS });
    const f = one(r, 'MXD-WK-006', 'invalid');
    assert.match(f.message, /"Invalid base_url for m\.homeserver"/);
    assert.match(f.fix?.steps[0] ?? '', /"base_url":"https:\/\/matrix\.xfoss\.com:443"/);
  });

  test('identity server base_url', async () => {
    const r = await run(
      artifact({ client: clientFile('{"m.homeserver": {"base_url": "https://matrix.xfoss.com"}, "m.identity_server": {"base_url": "vector.im"}}') }),
    );
    assert.deepEqual(codes(r), ['MXD-WK-006:identityInvalid']);
  });
});

describe('MXD-WK-007: Content-Type', () => {
  test('server as text/plain, client without any: warnings; the fix adds default_type in the location', async () => {
    const r = await run(
      artifact({
        server: serverFile(undefined, { headers: { 'content-type': 'text/plain' } }),
        client: clientFile(undefined, { headers: { 'access-control-allow-origin': '*' } }),
      }),
      { nginxConfig: nginx() },
    );
    assert.deepEqual(codes(r), ['MXD-WK-007:server', 'MXD-WK-007:client']);
    assert.equal(r.status, 'warn');
    assert.equal(one(r, 'MXD-WK-007', 'server').data.contentType, "'text/plain'");
    assert.equal(one(r, 'MXD-WK-007', 'client').data.contentType, 'no Content-Type');
    // The files already say application/json: nginx runs something else than these files.
    assert.match(
      one(r, 'MXD-WK-007', 'server').fix?.steps[0] ?? '',
      /^\/etc\/nginx\/sites-enabled\/xfoss-com\.conf:8 already has `default_type application\/json;`, but the answer does not show it/,
    );
  });

  test('the nginx location sets another type: the fix replaces that directive, at its line', async () => {
    const r = await run(artifact({ server: serverFile(undefined, { headers: { 'content-type': 'text/plain' } }) }), {
      nginxConfig: nginx(SEED_NGINX.replace('default_type application/json;', 'default_type text/plain;')),
    });
    assert.equal(
      one(r, 'MXD-WK-007', 'server').fix?.steps[0],
      `In ${NGINX_FILE}:8 (location /.well-known/matrix/server) replace \`default_type text/plain;\` with \`default_type application/json;\``,
    );
  });
});

describe('MXD-WK-008: CORS on the client file', () => {
  test('missing: error; with nginx, "in file:line add add_header"', async () => {
    const site = SEED_NGINX.replace(/(location \/\.well-known\/matrix\/client \{[\s\S]*?)\n {8}add_header Access-Control-Allow-Origin \*;/, '$1');
    const r = await run(artifact({ client: clientFile(undefined, { headers: { 'content-type': 'application/json' } }) }), { nginxConfig: nginx(site) });
    const f = one(r, 'MXD-WK-008', 'missing');
    assert.equal(f.severity, 'error');
    assert.equal(f.fix?.steps[0], `In ${NGINX_FILE}:12 (location /.well-known/matrix/client) add \`add_header Access-Control-Allow-Origin *;\``);
    assert.equal(f.location?.file, NGINX_FILE);
    assert.equal(f.location?.line, 12);
    assert.equal(f.evidence.origin, BROWSER_ORIGIN);
  });

  test('missing, without nginx files: the whole location block', async () => {
    const r = await run(artifact({ client: clientFile(undefined, { headers: { 'content-type': 'application/json' } }) }));
    const steps = one(r, 'MXD-WK-008').fix?.steps ?? [];
    assert.match(
      steps[0],
      /^In the nginx server block for xfoss\.com \(listen 443 ssl; server_name xfoss\.com;\) add:\nlocation = \/\.well-known\/matrix\/client \{/,
    );
    assert.ok(steps.includes('nginx -t && systemctl reload nginx'));
  });

  test('one other origin only: warning', async () => {
    const r = await run(
      artifact({ client: clientFile(undefined, { headers: { 'content-type': 'application/json', 'access-control-allow-origin': 'https://chat.xfoss.com' } }) }),
    );
    const f = one(r, 'MXD-WK-008', 'other');
    assert.equal(f.severity, 'warning');
    assert.equal(f.data.value, 'https://chat.xfoss.com');
  });

  test('the Origin echoed back is fine', async () => {
    const r = await run(
      artifact({ client: clientFile(undefined, { headers: { 'content-type': 'application/json', 'access-control-allow-origin': BROWSER_ORIGIN } }) }),
    );
    assert.deepEqual(codes(r), []);
  });
});

describe('MXD-WK-009: redirects', () => {
  const hop = (url: string, location: string) => ({ url, status: 301, location });
  test('loop and too many (the exchange failed)', async () => {
    const loop = await run(
      artifact({
        server: serverFile('', {
          error: { code: 'REDIRECT_LOOP', message: 'redirect loop' },
          redirects: [
            hop('https://xfoss.com/.well-known/matrix/server', 'https://xfoss.com/a'),
            hop('https://xfoss.com/a', 'https://xfoss.com/.well-known/matrix/server'),
          ],
        }),
      }),
    );
    assert.deepEqual(codes(loop), ['MXD-WK-009:loop', 'MXD-WK-015:temporaryFailure']);
    assert.match(one(loop, 'MXD-WK-009').data.chain as string, /-> https:\/\/xfoss\.com\/a ->/);
    const many = await run(artifact({ client: clientFile('', { error: { code: 'TOO_MANY_REDIRECTS', message: 'more than 20 redirects' } }) }));
    assert.deepEqual(codes(many), ['MXD-WK-009:tooMany']);
    assert.equal(one(many, 'MXD-WK-009').data.max, 20);
  });

  test('to plain http', async () => {
    const r = await run(
      artifact({
        server: serverFile(undefined, {
          redirects: [hop('https://xfoss.com/.well-known/matrix/server', 'http://xfoss.com/.well-known/matrix/server')],
          finalUrl: 'http://xfoss.com/.well-known/matrix/server',
        }),
      }),
    );
    assert.deepEqual(codes(r), ['MXD-WK-009:toHttp']);
    assert.equal(one(r, 'MXD-WK-009').severity, 'error');
  });

  test('client redirect: warning; server redirect to another host: info only', async () => {
    const r = await run(
      artifact({
        server: serverFile(undefined, {
          redirects: [hop('https://xfoss.com/.well-known/matrix/server', 'https://matrix.xfoss.com/.well-known/matrix/server')],
          finalUrl: 'https://matrix.xfoss.com/.well-known/matrix/server',
        }),
        client: clientFile(undefined, {
          redirects: [hop('https://xfoss.com/.well-known/matrix/client', 'https://matrix.xfoss.com/.well-known/matrix/client')],
          finalUrl: 'https://matrix.xfoss.com/.well-known/matrix/client',
        }),
      }),
    );
    assert.deepEqual(codes(r), ['MXD-WK-009:serverOtherHost', 'MXD-WK-009:clientRedirect']);
    assert.equal(one(r, 'MXD-WK-009', 'serverOtherHost').severity, 'info');
    assert.equal(one(r, 'MXD-WK-009', 'clientRedirect').severity, 'warning');
    assert.equal(r.status, 'warn');
  });
});

describe('MXD-WK-010: larger than 50 KiB', () => {
  test('server: error; client: warning; nothing else judged on a cut body', async () => {
    const r = await run(artifact({ server: serverFile('', { truncated: true }), client: clientFile('', { truncated: true }) }));
    assert.deepEqual(codes(r), ['MXD-WK-010:server', 'MXD-WK-015:temporaryFailure', 'MXD-WK-010:client']);
    assert.equal(one(r, 'MXD-WK-010', 'server').severity, 'error');
    assert.equal(one(r, 'MXD-WK-010', 'client').severity, 'warning');
    assert.equal(one(r, 'MXD-WK-010', 'server').evidence.limitBytes, 51200);
  });
});

describe('MXD-WK-011: delegation', () => {
  test('the delegated port refuses: the fix names the nginx block and the ports it listens on', async () => {
    const r = await run(
      artifact({
        server: serverFile(
          '{"m.server": "matrix.xfoss.com:8449"}',
          {},
          { ok: false, status: undefined, server: undefined, error: { code: 'CONN_REFUSED', message: 'refused' }, bodyExcerpt: '' },
        ),
      }),
      { nginxConfig: nginx() },
    );
    const f = one(r, 'MXD-WK-011', 'unreachable');
    assert.equal(f.data.target, 'matrix.xfoss.com:8449');
    assert.match(f.message, /other servers cannot reach xfoss\.com/);
    assert.match(f.fix?.steps[0] ?? '', new RegExp(`server block for matrix.xfoss.com \\(${MATRIX_FILE}:1\\) listens on 443, 8448: add \`listen 8449 ssl;\``));
  });

  test('when the federation check runs and probed the addresses, it reports the dead delegation, not this one', async () => {
    const wk = artifact({
      server: serverFile(
        '{"m.server": "matrix.xfoss.com:8449"}',
        {},
        { ok: false, status: undefined, server: undefined, error: { code: 'CONN_REFUSED', message: 'refused' }, bodyExcerpt: '' },
      ),
    });
    const federation = { checkedAt: Date.now(), discovery: {}, addresses: [{ address: '127.0.0.1', port: 8449 }] };
    const r = await judge(check, { wellKnown: wk, federation }, { alsoRunning: ['federation'] });
    // Only how long other servers keep the broken delegation (MXD-WK-015) stays here.
    assert.deepEqual(codes(r), ['MXD-WK-015:delegationCached']);
    assert.deepEqual(
      codes(await run(wk, { federation })),
      ['MXD-WK-011:unreachable', 'MXD-WK-015:delegationCached'],
      'without the federation check in the run, this one says it',
    );
  });

  test('something answers, but not federation', async () => {
    const r = await run(artifact({ server: serverFile(undefined, {}, { status: 404, server: undefined, bodyExcerpt: '<html>404</html>' }) }));
    assert.deepEqual(codes(r), ['MXD-WK-011:notFederation', 'MXD-WK-015:delegationCached']);
    assert.equal(one(r, 'MXD-WK-011').data.status, 404);
  });

  test('a certificate not valid for the delegated name', async () => {
    const tls: TlsEvidence = {
      protocol: 'TLSv1.3',
      authorized: true,
      expectedName: 'matrix.xfoss.com',
      nameError: "Host: matrix.xfoss.com. is not in the cert's altnames",
      subjectAltNames: ['DNS:wrong.example'],
    };
    const r = await run(artifact({ server: serverFile(undefined, {}, { tls }) }));
    const f = one(r, 'MXD-WK-011', 'tls');
    assert.equal(f.data.name, 'matrix.xfoss.com');
    assert.match(f.message, /not in the cert's altnames/);
  });

  test('no port in m.server: 8448 by default (the target shows it)', async () => {
    const r = await run(
      artifact({
        server: serverFile(
          '{"m.server": "matrix.xfoss.com"}',
          {},
          { portFrom: 'default', error: { code: 'CONN_REFUSED', message: 'refused' }, status: undefined, server: undefined },
        ),
      }),
    );
    assert.equal(one(r, 'MXD-WK-011', 'unreachable').data.target, 'matrix.xfoss.com:8448');
  });
});

describe('MXD-WK-012: base_url answers /versions', () => {
  test('unreachable and not Matrix, with the URL that did answer as the fix', async () => {
    const client = clientFile('{"m.homeserver": {"base_url": "https://xfoss.com"}}');
    const clientVersions: ClientVersionsArtifact = {
      results: [
        versionsResult('https://xfoss.com', {
          versions: undefined,
          exchange: { ...versionsResult('https://xfoss.com').exchange, status: 404, bodyExcerpt: '<html>' },
        }),
        versionsResult('https://matrix.xfoss.com:443', { sources: ['homeserver-config'] }),
      ],
    };
    const r = await run(artifact({ client }), { clientVersions, homeserverConfig: HS, nginxConfig: nginx() });
    const f = one(r, 'MXD-WK-012', 'notMatrix');
    assert.match(f.message, /"Homeserver URL does not appear to be a valid Matrix homeserver"/);
    assert.equal(f.evidence.answered, 'https://matrix.xfoss.com:443');
    assert.match(f.fix?.steps[0] ?? '', /Replace the location at .*xfoss-com\.conf:12/);
    assert.match(f.fix?.steps[0] ?? '', /"base_url":"https:\/\/matrix\.xfoss\.com:443"/);

    const refused = await run(artifact({ client }), {
      clientVersions: {
        results: [
          versionsResult('https://xfoss.com', {
            versions: undefined,
            exchange: { ...versionsResult('https://xfoss.com').exchange, ok: false, status: undefined, error: { code: 'CONN_REFUSED', message: 'refused' } },
          }),
        ],
      },
    });
    assert.equal(one(refused, 'MXD-WK-012', 'unreachable').data.reason, 'CONN_REFUSED: refused');
  });
});

describe('MXD-WK-013: support file', () => {
  test('present and valid: info', async () => {
    const r = await run(
      artifact({
        support: fetched('support', {
          body: '{"contacts": [{"matrix_id": "@admin:xfoss.com", "role": "m.role.admin"}], "support_page": "https://xfoss.com/help"}',
        }),
      }),
    );
    const f = one(r, 'MXD-WK-013', 'present');
    assert.equal(f.severity, 'info');
    assert.equal(f.data.contacts, 1);
    assert.equal(f.data.supportPage, 'https://xfoss.com/help');
    assert.equal(r.status, 'pass');
  });

  test('wrong shape: warning with what is wrong', async () => {
    for (const [body, detail] of [
      ['{}', 'neither contacts nor support_page'],
      ['{"contacts": [{"matrix_id": "@admin:xfoss.com"}]}', 'contacts[0] has no role'],
      ['{"contacts": [{"role": "m.role.admin"}]}', 'contacts[0] has neither matrix_id nor email_address'],
      ['{"contacts": [{"role": "m.role.admin", "matrix_id": "admin"}]}', "contacts[0].matrix_id 'admin' is not a user ID"],
      ['{"support_page": "help"}', 'support_page is not an http(s) URL'],
      ['not json', 'not JSON'],
    ]) {
      const r = await run(artifact({ support: fetched('support', { body }) }));
      const f = one(r, 'MXD-WK-013', 'invalid');
      assert.equal(f.severity, 'warning');
      assert.ok((f.data.detail as string).startsWith(detail), `${body}: ${f.data.detail}`);
    }
  });
});

describe('MXD-WK-014: certificate of the well-known host', () => {
  test('untrusted: one finding for the host, the files still judged', async () => {
    const tls: TlsEvidence = {
      protocol: 'TLSv1.3',
      authorized: false,
      authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT',
      expectedName: 'xfoss.com',
      subjectAltNames: ['DNS:xfoss.com'],
    };
    const r = await run(artifact({ server: serverFile(undefined, { tls }), client: clientFile(undefined, { tls }) }));
    // Synapse refuses the certificate too: for it the server file is a temporary failure.
    assert.deepEqual(codes(r), ['MXD-WK-014:invalid', 'MXD-WK-015:temporaryFailure']);
    const f = one(r, 'MXD-WK-014');
    assert.equal(f.data.reason, 'DEPTH_ZERO_SELF_SIGNED_CERT');
    assert.match(f.fix?.summary ?? '', /certbot --nginx -d xfoss\.com/);
  });
});

/** A fetched file with more response headers, recorded as the probe does (cacheControl, expires). */
function withHeaders<T extends WellKnownFetch>(f: T, headers: Record<string, string>): T {
  const h = { ...f.headers, ...headers };
  return {
    ...f,
    headers: h,
    ...(h['cache-control'] !== undefined ? { cacheControl: h['cache-control'] } : {}),
    ...(h.expires !== undefined ? { expires: h.expires } : {}),
  };
}
const DATE = 'Wed, 26 Nov 2026 10:00:00 GMT';
const deadDelegation = { ok: false, status: undefined, server: undefined, error: { code: 'CONN_REFUSED', message: 'refused' }, bodyExcerpt: '' };

describe('Synapse well-known cache facts', () => {
  test("HTTP dates in the three forms Twisted's stringToDatetime reads; anything else is not a date", () => {
    const t = Date.UTC(1994, 10, 6, 8, 49, 37);
    assert.equal(parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT'), t);
    assert.equal(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT'), t);
    assert.equal(parseHttpDate('Sun Nov  6 08:49:37 1994'), t);
    for (const bad of ['0', '-1', '2030', 'tomorrow', '']) assert.equal(parseHttpDate(bad), undefined, bad);
  });

  test('the period Synapse keeps a valid answer: no-store, then max-age, then Expires (from Date), else 24 h + 10 %; clamped to [5 min, 48 h]', () => {
    assert.deepEqual(synapseCachePeriod({}), { source: 'none', seconds: 95040, basis: 'default' });
    // no-cache is not no-store: Synapse ignores it.
    assert.equal(synapseCachePeriod({ cacheControl: 'no-cache' })?.basis, 'default');
    assert.deepEqual(synapseCachePeriod({ cacheControl: 'no-store, max-age=3600' }), { source: 'no-store', askedSeconds: 0, seconds: 300, basis: 'floor' });
    assert.deepEqual(synapseCachePeriod({ cacheControl: 'public, Max-Age=3600' }), { source: 'max-age', askedSeconds: 3600, seconds: 3600, basis: 'asked' });
    assert.deepEqual(synapseCachePeriod({ cacheControl: 'max-age=604800' }), { source: 'max-age', askedSeconds: 604800, seconds: 172800, basis: 'cap' });
    assert.equal(synapseCachePeriod({ cacheControl: 'max-age=-5' })?.seconds, 300);
    // An unreadable max-age falls through to Expires, then to the default.
    assert.equal(synapseCachePeriod({ cacheControl: 'max-age="3600"' })?.basis, 'default');
    assert.deepEqual(synapseCachePeriod({ cacheControl: 'max-age=', expires: 'Wed, 26 Nov 2026 12:00:00 GMT', date: DATE }), {
      source: 'expires',
      askedSeconds: 7200,
      seconds: 7200,
      basis: 'asked',
    });
    assert.equal(synapseCachePeriod({ expires: '0', date: DATE })?.basis, 'floor');
    assert.equal(synapseCachePeriod({ expires: 'Wed, 26 Nov 2026 12:00:00 GMT' }), undefined, 'no Date to measure Expires from');
  });

  test('durations in words: the unit is a phrase id', () => {
    assert.deepEqual(durationParts(300), { count: 5, unit: 'minutes' });
    assert.deepEqual(durationParts(95040), { count: 26.4, unit: 'hours' });
    assert.deepEqual(durationParts(172800), { count: 48, unit: 'hours' });
    assert.deepEqual(durationParts(604800), { count: 7, unit: 'days' });
    assert.deepEqual(durationParts(1), { count: 1, unit: 'second' });
  });
});

describe('MXD-WK-015: how long other servers keep the server file', () => {
  test('no caching header (Synapse: 24 h), a lifetime of an hour, of 48 h, an Expires 2 h on, no-cache alone: no finding', async () => {
    for (const headers of <Record<string, string>[]>[
      {},
      { 'cache-control': 'max-age=3600' },
      { 'cache-control': 'public, max-age=172800' },
      { expires: 'Wed, 26 Nov 2026 12:00:00 GMT', date: DATE },
      { 'cache-control': 'no-cache' },
    ]) {
      const r = await run(artifact({ server: withHeaders(serverFile(), headers) }));
      assert.deepEqual(codes(r), [], JSON.stringify(headers));
    }
  });

  test('no-store: warning, Synapse keeps it 5 minutes and fetches it every 4; the fix adds the header in the location', async () => {
    const r = await run(artifact({ server: withHeaders(serverFile(), { 'cache-control': 'no-store' }) }), { nginxConfig: nginx() });
    assert.deepEqual(codes(r), ['MXD-WK-015:noCache']);
    const f = one(r, 'MXD-WK-015', 'noCache');
    assert.equal(f.severity, 'warning');
    assert.equal(r.status, 'warn');
    assert.equal(f.data.header, 'Cache-Control: no-store');
    assert.match(f.message, /minimum of 5 minutes anyway and fetches it again as often as every 4 minutes/);
    assert.equal(f.evidence.cacheControl, 'no-store');
    assert.deepEqual(f.evidence.synapseCache, { outcome: 'answer', source: 'no-store', askedSeconds: 0, seconds: 300, basis: 'floor' });
    assert.equal(f.location?.file, NGINX_FILE);
    assert.equal(f.location?.line, 6);
    assert.match(f.fix?.summary ?? '', /Cache-Control: max-age=3600/);
    assert.equal(f.fix?.steps[0], `In ${NGINX_FILE}:6 (location /.well-known/matrix/server) add \`add_header Cache-Control max-age=3600;\``);
  });

  test('max-age=0, and an Expires in the past (nginx `expires epoch;`): the same; the fix replaces the add_header there', async () => {
    const zero = await run(artifact({ server: withHeaders(serverFile(), { 'cache-control': 'max-age=0' }) }), {
      nginxConfig: nginx(
        SEED_NGINX.replace('default_type application/json;\n', 'default_type application/json;\n        add_header Cache-Control "max-age=0";\n'),
      ),
    });
    const f = one(zero, 'MXD-WK-015', 'noCache');
    assert.match(f.fix?.steps[0] ?? '', /replace `add_header Cache-Control max-age=0;` with `add_header Cache-Control max-age=3600;`/);
    const epoch = await run(
      artifact({ server: withHeaders(serverFile(), { 'cache-control': 'no-cache', expires: 'Thu, 01 Jan 1970 00:00:01 GMT', date: DATE }) }),
    );
    assert.equal(one(epoch, 'MXD-WK-015', 'noCache').data.header, 'Expires: Thu, 01 Jan 1970 00:00:01 GMT');
  });

  test('a week: warning, Synapse caps it at 48 hours, servers without a cap keep it the week', async () => {
    const r = await run(artifact({ server: withHeaders(serverFile(), { 'cache-control': 'max-age=604800' }) }));
    assert.deepEqual(codes(r), ['MXD-WK-015:long']);
    const f = one(r, 'MXD-WK-015', 'long');
    assert.equal(f.severity, 'warning');
    assert.match(f.message, /is sent with Cache-Control: max-age=604800: 7 days, more than the 48 hours/);
    assert.match(f.message, /Synapse keeps it 48 hours/);
    const expires = await run(artifact({ server: withHeaders(serverFile(), { expires: 'Fri, 26 Dec 2026 10:00:00 GMT', date: DATE }) }));
    assert.match(one(expires, 'MXD-WK-015', 'long').message, /Expires: Fri, 26 Dec 2026 10:00:00 GMT: 30 days/);
  });

  test('a delegation that does not answer: how long other servers keep it (the default, the header, the cap); not judged as too short or long', async () => {
    const dflt = await run(artifact({ server: serverFile('{"m.server": "matrix.xfoss.com:8449"}', {}, deadDelegation) }));
    assert.deepEqual(codes(dflt), ['MXD-WK-011:unreachable', 'MXD-WK-015:delegationCached']);
    const f = one(dflt, 'MXD-WK-015', 'delegationCached');
    assert.equal(f.severity, 'info');
    assert.match(f.message, /keep its m\.server 'matrix\.xfoss\.com:8449' for up to 26\.4 hours \(Synapse's default of 24 hours ± 10 %/);
    const short = await run(
      artifact({ server: withHeaders(serverFile('{"m.server": "matrix.xfoss.com:8449"}', {}, deadDelegation), { 'cache-control': 'max-age=600' }) }),
    );
    assert.match(one(short, 'MXD-WK-015', 'delegationCached').message, /for up to 10 minutes \(as its Cache-Control or Expires header asks\)/);
    const week = await run(
      artifact({ server: withHeaders(serverFile('{"m.server": "matrix.xfoss.com:8449"}', {}, deadDelegation), { 'cache-control': 'max-age=604800' }) }),
    );
    assert.deepEqual(codes(week), ['MXD-WK-011:unreachable', 'MXD-WK-015:delegationCached']);
    assert.match(one(week, 'MXD-WK-015').message, /for up to 48 hours \(Synapse's cap of 48 hours, less than the header asks\)/);
  });

  test('a broken file: remembered for up to 66 minutes whatever its headers (info; the status stays the one of the problem)', async () => {
    const r = await run(artifact({ server: withHeaders(serverFile('', NOT_FOUND), { 'cache-control': 'max-age=604800' }) }));
    assert.deepEqual(codes(r), ['MXD-WK-001:server', 'MXD-WK-015:failure']);
    const f = one(r, 'MXD-WK-015', 'failure');
    assert.equal(f.severity, 'info');
    assert.equal(r.status, 'warn');
    assert.match(f.message, /"no delegation" for up to 66 minutes/);
    assert.equal(f.evidence.cacheControl, 'max-age=604800');
    assert.equal(one(r, 'MXD-WK-001').evidence.cacheControl, 'max-age=604800', 'the headers are evidence of the other findings too');
    const down = await run(artifact({ server: serverFile('', { error: { code: 'CONN_REFUSED', message: 'refused' } }) }));
    assert.match(one(down, 'MXD-WK-015', 'temporaryFailure').message, /servers that still hold a valid copy of the file keep using it until it expires/);
  });
});

describe('MXD-WK-016: client well-known slower than Element waits', () => {
  test('6.2 s: warning, the fix lets nginx answer the location itself', async () => {
    const r = await run(artifact({ client: { ...clientFile(), durationMs: 6234 } }), { nginxConfig: nginx(), homeserverConfig: HS });
    assert.deepEqual(codes(r), ['MXD-WK-016:client']);
    const f = one(r, 'MXD-WK-016', 'client');
    assert.equal(f.severity, 'warning');
    assert.equal(r.status, 'warn');
    assert.equal(f.data.seconds, 6.2);
    assert.match(f.message, /took 6\.2 s to answer: Element \(matrix-js-sdk\) aborts each discovery request after 5 s/);
    assert.match(f.message, /@alice:xfoss\.com/);
    assert.equal(f.evidence.durationMs, 6234);
    assert.equal(f.evidence.elementTimeoutMs, 5000);
    assert.match(f.fix?.steps[0] ?? '', new RegExp(`^Replace the location at ${NGINX_FILE}:12 \\(location /\\.well-known/matrix/client\\) with:\nlocation = `));
    assert.match(f.fix?.steps[0] ?? '', /return 200 '\{"m\.homeserver":\{"base_url":"https:\/\/matrix\.xfoss\.com:443"\}\}';/);
  });

  test('within 5 s, a slow server file, a request cut by the timeout: no MXD-WK-016; a slow 404 is one too', async () => {
    const within = await run(artifact({ client: { ...clientFile(), durationMs: 5000 }, server: { ...serverFile(), durationMs: 9000 } }));
    assert.deepEqual(codes(within), []);
    const cut = await run(artifact({ client: { ...clientFile('', { error: { code: 'TIMEOUT', message: 'no answer' } }), durationMs: 9000 } }));
    assert.deepEqual(codes(cut), ['MXD-WK-002:clientNetwork']);
    const slow404 = await run(artifact({ client: { ...clientFile('', NOT_FOUND), durationMs: 7000 } }));
    assert.deepEqual(codes(slow404), ['MXD-WK-016:client', 'MXD-WK-001:client']);
  });
});

test('every code and messageId well-known declares is produced by a test above', () => {
  assert.deepEqual(coverage.missing(), []);
});
