// public-baseurl: every code and message it declares, on homeserver.yaml variants with the live evidence
// (wellKnown, clientVersions, clientLogin) built by hand: the seed's fixed value passes, the classic
// "Syncing forever" values fail with the symptom named and the right public_baseurl line as the fix.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import check, { differentServer, isInternalHost } from '../../checks/public-baseurl/index.js';
import type { CheckResult } from '../../src/engine/types.js';
import type { ClientLoginArtifact } from '../../src/probes/client-login.js';
import type { ClientVersionsArtifact, ClientVersionsResult } from '../../src/probes/client-versions.js';
import { Coverage, codes, elementArtifact, homeserverArtifact, judge, nginxArtifact, one } from '../helpers/judge.js';
import { clientFile, SEED_NGINX, artifact as wellKnownArtifact } from './well-known-fixtures.js';

const coverage = new Coverage(check);
const HS_FILE = '/etc/matrix-synapse/homeserver.yaml';
const NGINX_FILE = '/etc/nginx/sites-enabled/xfoss-com.conf';
const MATRIX_FILE = '/etc/nginx/sites-enabled/matrix.conf';
const SYNCING = '"Syncing forever…" / "If you\'ve joined lots of rooms, this might take a while"';

const hs = (publicBaseurl?: string | null, serverName = 'xfoss.com') =>
  homeserverArtifact(
    `server_name: "${serverName}"\n${publicBaseurl === undefined ? '' : `public_baseurl: ${publicBaseurl === null ? '~' : `"${publicBaseurl}"`}\n`}report_stats: false\n`,
    HS_FILE,
  );
const element = (baseUrl = 'https://matrix.xfoss.com') =>
  elementArtifact(JSON.stringify({ default_server_config: { 'm.homeserver': { base_url: baseUrl, server_name: 'xfoss.com' } } }));
const MATRIX_NGINX = `server {
    listen 443 ssl;
    server_name matrix.xfoss.com;
    location ~ ^(/_matrix|/_synapse/client) {
        proxy_pass http://localhost:8008;
    }
}
`;
const nginx = (site = SEED_NGINX) => nginxArtifact({ [NGINX_FILE]: site, [MATRIX_FILE]: MATRIX_NGINX });

function answer(
  baseUrl: string,
  sources: string[],
  over: Partial<ClientVersionsResult> = {},
  exchange: Partial<ClientVersionsResult['exchange']> = {},
): ClientVersionsResult {
  return {
    baseUrl,
    url: `${baseUrl}/_matrix/client/versions`,
    sources,
    exchange: {
      ok: true,
      url: `${baseUrl}/_matrix/client/versions`,
      finalUrl: `${baseUrl}/_matrix/client/versions`,
      status: 200,
      headers: { 'content-type': 'application/json', 'access-control-allow-origin': '*', server: 'nginx' },
      bodyBytes: 40,
      truncated: false,
      redirects: [],
      durationMs: 2,
      bodyExcerpt: '{"versions":["v1.11"]}',
      address: '127.0.0.1',
      ...exchange,
    },
    versions: ['r0.6.1', 'v1.11'],
    serverHeader: 'nginx',
    ...over,
  };
}
const refused = (baseUrl: string, sources: string[]) =>
  answer(
    baseUrl,
    sources,
    { versions: undefined, serverHeader: undefined },
    { ok: false, status: undefined, headers: {}, bodyExcerpt: '', error: { code: 'CONN_REFUSED', message: 'connect ECONNREFUSED 127.0.0.1:8448' } },
  );
const notMatrix = (baseUrl: string, sources: string[]) =>
  answer(
    baseUrl,
    sources,
    { versions: undefined },
    { status: 404, bodyExcerpt: '<html><body>404 Not Found</body></html>', headers: { 'content-type': 'text/html' } },
  );

/** The seed's live answers: Element/well-known at https://matrix.xfoss.com, public_baseurl with :443. */
const seedVersions = (pb: ClientVersionsResult = answer('https://matrix.xfoss.com:443', ['homeserver-config'])): ClientVersionsArtifact => ({
  results: [answer('https://matrix.xfoss.com', ['element-config', 'well-known']), pb],
});

function login(over: Partial<ClientLoginArtifact> = {}, loginOver: Partial<ClientLoginArtifact['login']> = {}): ClientLoginArtifact {
  return {
    baseUrl: 'https://matrix.xfoss.com',
    baseUrlSource: 'well-known',
    user: 'alice',
    login: {
      url: 'https://matrix.xfoss.com/_matrix/client/v3/login',
      ok: true,
      status: 200,
      durationMs: 5,
      loggedIn: true,
      userId: '@alice:xfoss.com',
      deviceId: 'ABCDEF',
      wellKnown: { 'm.homeserver': { base_url: 'https://matrix.xfoss.com:443' } },
      wellKnownBaseUrl: 'https://matrix.xfoss.com:443',
      ...loginOver,
    },
    wellKnownVersions: {
      url: 'https://matrix.xfoss.com:443/_matrix/client/versions',
      ok: true,
      status: 200,
      durationMs: 2,
      versions: ['v1.11'],
      accessControlAllowOrigin: '*',
    },
    logout: { url: 'https://matrix.xfoss.com/_matrix/client/v3/logout', ok: true, status: 200, durationMs: 2, attempted: true, loggedOut: true },
    ...over,
  };
}

async function run(probes: Record<string, unknown>): Promise<CheckResult> {
  return coverage.record(await judge(check, probes));
}

/** The seed: every input, all healthy. */
const seed = (over: Record<string, unknown> = {}) => ({
  homeserverConfig: hs('https://matrix.xfoss.com:443'),
  elementConfig: element(),
  nginxConfig: nginx(),
  wellKnown: wellKnownArtifact(),
  clientVersions: seedVersions(),
  clientLogin: login(),
  ...over,
});

describe('public-baseurl: healthy', () => {
  test("the seed's fixed public_baseurl (https://matrix.xfoss.com:443): pass, no finding", async () => {
    const r = await run(seed());
    assert.equal(r.status, 'pass', JSON.stringify(r.findings, null, 1));
    assert.deepEqual(codes(r), []);
  });

  test('files only (no live probes): pass', async () => {
    const r = await run({ homeserverConfig: hs('https://matrix.xfoss.com/'), elementConfig: element(), nginxConfig: nginx() });
    assert.deepEqual(codes(r), []);
  });

  test('without homeserver.yaml: skip; an unusable value is left to homeserver-config (MXD-HS-010)', async () => {
    assert.equal((await judge(check, {})).status, 'skip');
    assert.deepEqual(codes(await run({ homeserverConfig: hs('ftp://matrix.xfoss.com/') })), []);
    assert.deepEqual(codes(await run({ homeserverConfig: homeserverArtifact('- a\n- b\n') })), []);
  });

  test('helpers: internal hosts, different servers', () => {
    for (const h of ['localhost', '127.0.0.1', '10.1.2.3', '172.20.0.5', '192.168.1.10', '[::1]', 'fd00::1', 'synapse.local', '169.254.1.1', '0.0.0.0'])
      assert.equal(isInternalHost(h), true, h);
    for (const h of ['matrix.xfoss.com', '8.8.8.8', '172.32.0.1', '2001:db8::1']) assert.equal(isInternalHost(h), false, h);
    const a = answer('https://a', []);
    assert.equal(differentServer(a, answer('https://b', [])), undefined);
    assert.match(differentServer(a, answer('https://b', [], { versions: ['r0.6.1'] })) ?? '', /versions/);
    assert.match(differentServer(a, answer('https://b', [], { serverHeader: 'Caddy' })) ?? '', /Server: nginx vs Caddy/);
  });
});

describe('MXD-PB-001: public_baseurl does not answer as the homeserver', () => {
  test('unreachable: the message names "Syncing forever", the fix is the public_baseurl line of what answered', async () => {
    const r = await run(
      seed({
        homeserverConfig: hs('https://matrix.xfoss.com:8448/'),
        clientVersions: seedVersions(refused('https://matrix.xfoss.com:8448', ['homeserver-config'])),
        clientLogin: undefined,
      }),
    );
    assert.deepEqual(codes(r), ['MXD-PB-001:unreachable'], 'one error: the well-known and Element disagreeing with it is its evidence');
    const f = one(r, 'MXD-PB-001', 'unreachable');
    assert.equal(f.severity, 'error');
    assert.ok(f.message.includes(SYNCING), f.message);
    assert.deepEqual(f.evidence.wellKnown, { base_url: 'https://matrix.xfoss.com', url: 'https://xfoss.com/.well-known/matrix/client', answers: true });
    assert.equal(f.evidence.element, 'https://matrix.xfoss.com');
    assert.match(f.message, /CONN_REFUSED/);
    assert.equal(f.location?.file, HS_FILE);
    assert.equal(f.location?.line, 2);
    assert.equal(f.evidence.answered, 'https://matrix.xfoss.com');
    assert.equal(f.fix?.steps[0], `public_baseurl: "https://matrix.xfoss.com/"   # ${HS_FILE}:2:17`);
    assert.deepEqual(f.fix?.edits[0], {
      kind: 'yaml-set',
      file: HS_FILE,
      path: ['public_baseurl'],
      value: 'https://matrix.xfoss.com/',
      expectSha256: hs('https://matrix.xfoss.com:8448/').sha256,
    });
    assert.ok(f.fix?.steps.some((s) => s.startsWith('Or delete the public_baseurl line')));
  });

  test('not Matrix (the old 1.26 default https://<server_name>/): differing from the well-known is not a second error (MXD-PB-003 steps aside)', async () => {
    const r = await run(
      seed({
        homeserverConfig: hs('https://xfoss.com/'),
        clientVersions: seedVersions(notMatrix('https://xfoss.com', ['homeserver-config'])),
        clientLogin: undefined,
      }),
    );
    assert.deepEqual(codes(r), ['MXD-PB-001:notMatrix']);
    const f = one(r, 'MXD-PB-001', 'notMatrix');
    assert.equal(f.data.status, 404);
    assert.match(f.message, /"Syncing forever…"/);
    assert.equal(f.fix?.edits[0]?.kind, 'yaml-set');
    assert.equal(f.fix?.steps[0], `public_baseurl: "https://matrix.xfoss.com/"   # ${HS_FILE}:2:17`, 'the URL that answered: the well-known');
    assert.equal((f.evidence.wellKnown as { answers: boolean }).answers, true);
  });

  test('login moving clients to the same dead URL is the same failure: its evidence joins MXD-PB-001 (no MXD-PB-007)', async () => {
    const l = login(
      { wellKnownVersions: { url: 'https://xfoss.com/_matrix/client/versions', ok: true, status: 404, durationMs: 1 } },
      { wellKnown: { 'm.homeserver': { base_url: 'https://xfoss.com/' } }, wellKnownBaseUrl: 'https://xfoss.com/' },
    );
    const r = await run(
      seed({ homeserverConfig: hs('https://xfoss.com/'), clientVersions: seedVersions(notMatrix('https://xfoss.com', ['homeserver-config'])), clientLogin: l }),
    );
    assert.deepEqual(codes(r), ['MXD-PB-001:notMatrix']);
    const f = one(r, 'MXD-PB-001');
    assert.deepEqual(f.evidence.login, {
      user: 'alice',
      loginUrl: 'https://matrix.xfoss.com/_matrix/client/v3/login',
      well_known: { 'm.homeserver': { base_url: 'https://xfoss.com/' } },
      versions: { url: 'https://xfoss.com/_matrix/client/versions', status: 404 },
    });
  });

  test('login moving clients to ANOTHER dead URL than the file says (Synapse not restarted) still reports MXD-PB-007', async () => {
    const l = login(
      {
        wellKnownVersions: {
          url: 'https://old.xfoss.com/_matrix/client/versions',
          ok: false,
          durationMs: 1,
          error: { code: 'DNS_NXDOMAIN', message: 'no such name' },
        },
      },
      { wellKnown: { 'm.homeserver': { base_url: 'https://old.xfoss.com/' } }, wellKnownBaseUrl: 'https://old.xfoss.com/' },
    );
    const r = await run(
      seed({ homeserverConfig: hs('https://xfoss.com/'), clientVersions: seedVersions(notMatrix('https://xfoss.com', ['homeserver-config'])), clientLogin: l }),
    );
    assert.deepEqual(codes(r), ['MXD-PB-001:notMatrix', 'MXD-PB-007:unreachable']);
    assert.equal(one(r, 'MXD-PB-001').evidence.login, undefined);
  });

  test('nothing answered anywhere: a generic fix without edits', async () => {
    const r = await run({
      homeserverConfig: hs('https://matrix.xfoss.com/'),
      clientVersions: { results: [refused('https://matrix.xfoss.com', ['homeserver-config'])] },
    });
    const f = one(r, 'MXD-PB-001', 'unreachable');
    assert.deepEqual(f.fix?.edits, []);
  });

  test('a different homeserver than the well-known base_url', async () => {
    const wk = wellKnownArtifact({ client: clientFile('{"m.homeserver": {"base_url": "https://chat.xfoss.com"}}') });
    const r = await run({
      homeserverConfig: hs('https://matrix.xfoss.com/'),
      wellKnown: wk,
      clientVersions: {
        results: [answer('https://chat.xfoss.com', ['well-known'], { versions: ['r0.6.1'] }), answer('https://matrix.xfoss.com', ['homeserver-config'])],
      },
    });
    assert.deepEqual(codes(r), ['MXD-PB-001:otherServer']);
    assert.match(one(r, 'MXD-PB-001', 'otherServer').data.difference as string, /versions/);
  });
});

describe('MXD-PB-002: plain http', () => {
  test('http while clients use https: error (mixed content), the fix is the https URL that answered; MXD-PB-003 steps aside', async () => {
    const r = await run(
      seed({
        homeserverConfig: hs('http://matrix.xfoss.com/'),
        clientVersions: seedVersions(answer('http://matrix.xfoss.com', ['homeserver-config'])),
        clientLogin: undefined,
      }),
    );
    assert.deepEqual(codes(r), ['MXD-PB-002:mixedContent']);
    const f = one(r, 'MXD-PB-002');
    assert.equal(f.severity, 'error');
    assert.equal(f.data.clientUrl, 'https://matrix.xfoss.com');
    assert.equal(f.evidence.httpsAnswers, 'https://matrix.xfoss.com');
    assert.equal(
      f.fix?.summary,
      'Set public_baseurl to https://matrix.xfoss.com/, the https URL that answers as the homeserver, and restart Synapse; users who are stuck log out and in again.',
    );
    assert.equal(f.fix?.edits[0] && 'value' in f.fix.edits[0] ? f.fix.edits[0].value : '', 'https://matrix.xfoss.com/');
    assert.equal((f.evidence.wellKnown as { base_url: string }).base_url, 'https://matrix.xfoss.com');
  });

  test('a dead http URL while clients use https: one error, MXD-PB-002 (http is the cause; making it answer would not help), MXD-PB-001 and MXD-PB-007 folded in', async () => {
    const deadHttp = answer(
      'http://matrix.xfoss.com',
      ['homeserver-config'],
      { versions: undefined, serverHeader: undefined },
      {
        ok: false,
        status: undefined,
        headers: {},
        bodyExcerpt: '',
        error: { code: 'CONN_REFUSED', message: 'connect ECONNREFUSED 127.0.0.1:80' },
      },
    );
    const l = login(
      {
        wellKnownVersions: {
          url: 'http://matrix.xfoss.com/_matrix/client/versions',
          ok: false,
          durationMs: 1,
          error: { code: 'CONN_REFUSED', message: 'refused' },
        },
      },
      { wellKnown: { 'm.homeserver': { base_url: 'http://matrix.xfoss.com/' } }, wellKnownBaseUrl: 'http://matrix.xfoss.com/' },
    );
    const r = await run(seed({ homeserverConfig: hs('http://matrix.xfoss.com/'), clientVersions: seedVersions(deadHttp), clientLogin: l }));
    assert.deepEqual(codes(r), ['MXD-PB-002:mixedContent']);
    const f = one(r, 'MXD-PB-002');
    assert.match(f.message, /mixed content, and users are stuck at "Syncing forever…"/);
    assert.deepEqual((f.evidence.publicBaseurlAnswer as { error: unknown }).error, { code: 'CONN_REFUSED', message: 'connect ECONNREFUSED 127.0.0.1:80' });
    assert.equal((f.evidence.login as { user: string }).user, 'alice');
    assert.equal(f.fix?.steps[0], `public_baseurl: "https://matrix.xfoss.com/"   # ${HS_FILE}:2:17`);
  });

  test('http and nothing says clients use https: still an error naming the symptom; the fix is the https URL, to check first', async () => {
    const r = await run({ homeserverConfig: hs('http://matrix.xfoss.com/') });
    const f = one(r, 'MXD-PB-002', 'http');
    assert.equal(f.severity, 'error');
    assert.equal(r.status, 'fail');
    assert.ok(f.message.includes(SYNCING), f.message);
    assert.match(f.message, /Element served over https \(app\.element\.io included\) may not load an http URL \(mixed content\)/);
    assert.match(f.fix?.summary ?? '', /https:\/\/matrix\.xfoss\.com\/ if nginx serves TLS for that host/);
    assert.deepEqual(f.fix?.steps.slice(0, 1), [`public_baseurl: "https://matrix.xfoss.com/"   # ${HS_FILE}:2:17`]);
    assert.ok(
      f.fix?.steps.includes('curl -s https://matrix.xfoss.com/_matrix/client/versions   # must answer {"versions": [...]}'),
      JSON.stringify(f.fix?.steps),
    );
  });

  test('http that redirects to https and answers there: the fix is the https URL that answered', async () => {
    const redirected = answer('http://matrix.xfoss.com', ['homeserver-config'], {}, { finalUrl: 'https://chat.xfoss.com/_matrix/client/versions' });
    const r = await run({ homeserverConfig: hs('http://matrix.xfoss.com/'), clientVersions: { results: [redirected] } });
    const f = one(r, 'MXD-PB-002', 'http');
    assert.equal(f.evidence.httpsAnswers, 'https://chat.xfoss.com');
    assert.match(f.fix?.summary ?? '', /^Set public_baseurl to https:\/\/chat\.xfoss\.com\/, the https URL that answers/);
  });
});

describe('MXD-PB-003: against the client well-known', () => {
  test('live: both answer, at different URLs: public_baseurl is set to the well-known; login moving clients there is its evidence, not MXD-PB-007', async () => {
    const r = await run(
      seed({
        homeserverConfig: hs('https://matrix.xfoss.com:8448/'),
        clientVersions: seedVersions(answer('https://matrix.xfoss.com:8448', ['homeserver-config'])),
        clientLogin: login(
          {},
          { wellKnown: { 'm.homeserver': { base_url: 'https://matrix.xfoss.com:8448/' } }, wellKnownBaseUrl: 'https://matrix.xfoss.com:8448/' },
        ),
      }),
    );
    assert.deepEqual(codes(r), ['MXD-PB-003:live']);
    const f = one(r, 'MXD-PB-003', 'live');
    assert.equal(f.data.wellKnown, 'https://matrix.xfoss.com');
    assert.equal(f.evidence.publicBaseurlAnswers, true);
    assert.equal(f.evidence.wellKnownAnswers, true);
    assert.equal(f.fix?.steps[0], `public_baseurl: "https://matrix.xfoss.com/"   # ${HS_FILE}:2:17`);
    assert.deepEqual((f.evidence.login as { well_known: unknown }).well_known, { 'm.homeserver': { base_url: 'https://matrix.xfoss.com:8448/' } });
  });

  test('public_baseurl does not answer: MXD-PB-001 is the error and this one steps aside; without live evidence it reports', async () => {
    const broken = seed({
      homeserverConfig: hs('https://xfoss.com/'),
      clientVersions: seedVersions(notMatrix('https://xfoss.com', ['homeserver-config'])),
      clientLogin: undefined,
    });
    assert.deepEqual(codes(await run(broken)), ['MXD-PB-001:notMatrix']);
    assert.deepEqual(codes(await run({ ...broken, clientVersions: undefined })), ['MXD-PB-003:live']);
  });

  test('live: public_baseurl answers and the well-known does not, so the well-known is changed (nginx file:line)', async () => {
    const wk = wellKnownArtifact({ client: clientFile('{"m.homeserver": {"base_url": "https://xfoss.com"}}') });
    const r = await run({
      homeserverConfig: hs('https://matrix.xfoss.com/'),
      nginxConfig: nginx(),
      wellKnown: wk,
      clientVersions: { results: [notMatrix('https://xfoss.com', ['well-known']), answer('https://matrix.xfoss.com', ['homeserver-config'])] },
    });
    const f = one(r, 'MXD-PB-003', 'live');
    assert.match(f.fix?.steps[0] ?? '', new RegExp(`Replace the location at ${NGINX_FILE}:12`));
    assert.match(f.fix?.steps[0] ?? '', /"base_url":"https:\/\/matrix\.xfoss\.com"/);
  });

  test('from the nginx files when the well-known was not fetched', async () => {
    const r = await run({ homeserverConfig: hs('https://xfoss.com/'), nginxConfig: nginx() });
    const f = one(r, 'MXD-PB-003', 'nginx');
    assert.equal(f.data.where, `${NGINX_FILE}:13`);
    assert.equal(f.data.host, 'xfoss.com');
  });

  test('from the nginx files, naming a host nginx does not serve: one error, the unserved host is its evidence (no MXD-PB-005 notProxied)', async () => {
    const r = await run({ homeserverConfig: hs('https://synapse.xfoss.com/'), nginxConfig: nginx() });
    assert.deepEqual(codes(r), ['MXD-PB-003:nginx']);
    assert.equal(one(r, 'MXD-PB-003').evidence.nginxServesHost, false);
  });
});

describe('MXD-PB-004: not set', () => {
  test('unset, and the client API is on the server name host: info', async () => {
    const wk = wellKnownArtifact({ client: clientFile('', { status: 404, body: '{}' }) });
    const r = await run({ homeserverConfig: hs(undefined), wellKnown: wk });
    const f = one(r, 'MXD-PB-004', 'unset');
    assert.equal(f.severity, 'info');
    assert.equal(f.data.assumed, 'https://xfoss.com/');
    assert.equal(r.status, 'pass');
  });

  test('unset (or null) while clients use another host: warning, and the fix sets it', async () => {
    for (const value of [undefined, null]) {
      const r = await run({
        homeserverConfig: hs(value),
        wellKnown: wellKnownArtifact(),
        clientVersions: { results: [answer('https://matrix.xfoss.com', ['well-known'])] },
      });
      const f = one(r, 'MXD-PB-004', 'unsetElsewhere');
      assert.equal(f.severity, 'warning');
      assert.equal(f.data.clientUrl, 'https://matrix.xfoss.com');
      assert.equal(f.fix?.edits[0] && 'value' in f.fix.edits[0] ? f.fix.edits[0].value : '', 'https://matrix.xfoss.com/');
    }
  });
});

describe('MXD-PB-005: hosts users cannot reach', () => {
  test('localhost: error, fixed to what clients use; no second finding for the same cause', async () => {
    const r = await run(
      seed({
        homeserverConfig: hs('http://localhost:8008/'),
        clientVersions: seedVersions(answer('http://localhost:8008', ['homeserver-config'])),
        clientLogin: undefined,
      }),
    );
    assert.deepEqual(codes(r), ['MXD-PB-005:internal']);
    const f = one(r, 'MXD-PB-005');
    assert.equal((f.evidence.wellKnown as { base_url: string }).base_url, 'https://matrix.xfoss.com');
    assert.ok(f.message.includes('"Syncing forever…"'));
    assert.equal(f.fix?.edits[0] && 'value' in f.fix.edits[0] ? f.fix.edits[0].value : '', 'https://matrix.xfoss.com/');
  });

  test('a host no nginx server block serves: warning', async () => {
    const r = await run({ homeserverConfig: hs('https://synapse.xfoss.com/'), nginxConfig: nginxArtifact({ [MATRIX_FILE]: MATRIX_NGINX }) });
    assert.deepEqual(codes(r), ['MXD-PB-005:notProxied']);
    const f = one(r, 'MXD-PB-005', 'notProxied');
    assert.equal(f.severity, 'warning');
    assert.deepEqual(f.evidence.nginxFiles, [MATRIX_FILE]);
  });
});

describe('MXD-PB-006: CORS', () => {
  test('public_baseurl answers without Access-Control-Allow-Origin', async () => {
    const pb = answer('https://matrix.xfoss.com:443', ['homeserver-config'], {}, { headers: { 'content-type': 'application/json' } });
    const r = await run(seed({ clientVersions: seedVersions(pb), clientLogin: undefined }));
    assert.deepEqual(codes(r), ['MXD-PB-006:publicBaseurl']);
  });

  test("login's well_known URL answers without it", async () => {
    const l = login();
    l.wellKnownVersions = { ...(l.wellKnownVersions as NonNullable<ClientLoginArtifact['wellKnownVersions']>), accessControlAllowOrigin: undefined };
    const r = await run(seed({ clientLogin: l }));
    assert.deepEqual(codes(r), ['MXD-PB-006:login']);
  });
});

describe("MXD-PB-007: login's well_known", () => {
  test('well_known base_url does not answer: error with the symptom; the fix is the URL the login worked at', async () => {
    const l = login(
      { wellKnownVersions: { url: 'https://xfoss.com/_matrix/client/versions', ok: true, status: 404, durationMs: 1 } },
      { wellKnown: { 'm.homeserver': { base_url: 'https://xfoss.com/' } }, wellKnownBaseUrl: 'https://xfoss.com/' },
    );
    const r = await run({ homeserverConfig: hs('https://xfoss.com/'), clientLogin: l });
    const f = one(r, 'MXD-PB-007', 'notMatrix');
    assert.match(f.message, /"Syncing forever…"/);
    assert.equal(f.data.user, 'alice');
    assert.equal(f.fix?.steps[0], `public_baseurl: "https://matrix.xfoss.com/"   # ${HS_FILE}:2:17`);
    const l2 = login(
      {
        wellKnownVersions: {
          url: 'https://matrix.xfoss.com:8448/_matrix/client/versions',
          ok: false,
          durationMs: 1,
          error: { code: 'CONN_REFUSED', message: 'refused' },
        },
      },
      { wellKnownBaseUrl: 'https://matrix.xfoss.com:8448/' },
    );
    const r2 = await run({ homeserverConfig: hs('https://matrix.xfoss.com:8448/'), clientLogin: l2 });
    assert.ok(one(r2, 'MXD-PB-007', 'unreachable').message.includes(SYNCING));
  });

  test('well_known answers but is another URL: warning', async () => {
    const r = await run({
      homeserverConfig: hs('https://matrix.xfoss.com:8448/'),
      clientLogin: login({}, { wellKnownBaseUrl: 'https://matrix.xfoss.com:8448/' }),
    });
    assert.deepEqual(codes(r), ['MXD-PB-007:differs']);
    assert.equal(one(r, 'MXD-PB-007').severity, 'warning');
  });

  test('no well_known in the login response: info', async () => {
    const r = await run({
      homeserverConfig: hs(undefined, 'xfoss.com'),
      clientLogin: login({ wellKnownVersions: undefined }, { wellKnown: undefined, wellKnownBaseUrl: undefined }),
    });
    assert.equal(one(r, 'MXD-PB-007', 'noWellKnown').severity, 'info');
  });

  test('login failed: warning, nothing judged; logout failed: warning naming the session', async () => {
    const failed = login(
      { wellKnownVersions: undefined, logout: undefined },
      {
        ok: true,
        status: 403,
        errcode: 'M_FORBIDDEN',
        errorText: 'Invalid username or password',
        loggedIn: false,
        wellKnown: undefined,
        wellKnownBaseUrl: undefined,
      },
    );
    const r = await run({ homeserverConfig: hs('https://matrix.xfoss.com/'), clientLogin: failed });
    const f = one(r, 'MXD-PB-007', 'loginFailed');
    assert.equal(f.data.reason, 'HTTP 403 M_FORBIDDEN');
    assert.equal(f.severity, 'warning');
    const r2 = await run(
      seed({
        clientLogin: login({
          logout: {
            url: 'https://matrix.xfoss.com/_matrix/client/v3/logout',
            ok: true,
            status: 401,
            errcode: 'M_UNKNOWN_TOKEN',
            durationMs: 1,
            attempted: true,
            loggedOut: false,
          },
        }),
      }),
    );
    const o = one(r2, 'MXD-PB-007', 'logoutFailed');
    assert.match(o.message, /"matrixdoc check \(logged out right away\)"/);
    assert.match(o.fix?.summary ?? '', /device ABCDEF/);
  });
});

test('every code and messageId public-baseurl declares is produced by a test above', () => {
  assert.deepEqual(coverage.missing(), []);
});
