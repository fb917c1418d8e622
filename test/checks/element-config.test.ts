// element-config: every code and message it declares, its agreement checks with homeserver.yaml, nginx's
// client well-known, Jitsi and the live /versions answer, and a clean config.json that passes.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import check from '../../checks/element-config/index.js';
import type { CheckResult } from '../../src/engine/types.js';
import type { ClientVersionsArtifact, ClientVersionsResult } from '../../src/probes/client-versions.js';
import { Coverage, codes, elementArtifact, homeserverArtifact, jitsiArtifact, judge, nginxArtifact, one } from '../helpers/judge.js';

const FILE = '/var/www/element/config.json';
const HS_FILE = '/etc/matrix-synapse/homeserver.yaml';
const NGINX_FILE = '/etc/nginx/sites-enabled/example.com.conf';
const ENV_FILE = '/root/docker-jitsi-meet/.env';

const coverage = new Coverage(check);

async function run(text: string, extra: Record<string, unknown> = {}): Promise<CheckResult> {
  return coverage.record(await judge(check, { elementConfig: elementArtifact(text), ...extra }));
}

/** config.json with the given homeserver and extra top-level members. */
function config(baseUrl: unknown = 'https://matrix.example.com', serverName = 'example.com', extra = ''): string {
  return `{
    "default_server_config": {
        "m.homeserver": {
            "base_url": ${JSON.stringify(baseUrl)},
            "server_name": "${serverName}"
        }
    },
    "brand": "Element"${extra ? `,\n${extra}` : ''}
}
`;
}

const homeserver = (publicBaseurl = 'https://matrix.example.com/', serverName = 'example.com') =>
  homeserverArtifact(`server_name: "${serverName}"\npublic_baseurl: "${publicBaseurl}"\nreport_stats: false\n`, HS_FILE);

/** nginx serving the client well-known for a host with a literal `return 200 '<body>'`. */
function wellKnownNginx(body: string, host = 'example.com') {
  return nginxArtifact({
    [NGINX_FILE]: `server {
    listen 443 ssl;
    listen [::]:443 ssl;
    server_name ${host};

    location /.well-known/matrix/server {
        return 200 '{"m.server": "matrix.${host}:443"}';
    }

    location /.well-known/matrix/client {
        default_type application/json;
        add_header Access-Control-Allow-Origin *;
        return 200 '${body}';
    }
}

server {
    listen 443 ssl;
    server_name matrix.${host};
    location ~ ^(/_matrix|/_synapse/client) {
        proxy_pass http://localhost:8008;
    }
}
`,
  });
}

function versionsResult(
  overrides: Omit<Partial<ClientVersionsResult>, 'exchange'> & { exchange?: Partial<ClientVersionsResult['exchange']> } = {},
): ClientVersionsArtifact {
  const baseUrl = overrides.baseUrl ?? 'https://matrix.example.com';
  const url = `${baseUrl}/_matrix/client/versions`;
  const result: ClientVersionsResult = {
    baseUrl,
    url,
    sources: ['element-config', 'homeserver-config'],
    versions: ['r0.6.1', 'v1.11', 'v1.12'],
    ...overrides,
    exchange: {
      ok: true,
      url,
      finalUrl: url,
      status: 200,
      headers: { 'content-type': 'application/json' },
      bodyBytes: 42,
      truncated: false,
      redirects: [],
      durationMs: 12,
      bodyExcerpt: '{"versions":["r0.6.1","v1.11","v1.12"]}',
      ...overrides.exchange,
    },
  };
  return { results: [result] };
}

const CLEAN = `{
    "default_server_config": {
        "m.homeserver": {
            "base_url": "https://matrix.example.com",
            "server_name": "example.com"
        },
        "m.identity_server": {
            "base_url": "https://vector.im"
        }
    },
    "disable_custom_urls": true,
    "disable_guests": true,
    "brand": "Element",
    "default_country_code": "DE",
    "show_labs_settings": false,
    "room_directory": { "servers": ["example.com", "matrix.org"] },
    "setting_defaults": {
        "language": "de",
        "breadcrumbs": true
    },
    "jitsi": {
        "preferred_domain": "meet.example.com"
    },
    "map_style_url": "https://api.maptiler.com/maps/streets/style.json?key=abc"
}
`;

const ALL_GOOD = {
  homeserverConfig: homeserver('https://matrix.example.com:443'),
  nginxConfig: wellKnownNginx('{"m.homeserver": {"base_url": "https://matrix.example.com/"}}'),
  jitsiEnv: jitsiArtifact('PUBLIC_URL=https://meet.example.com\nHTTPS_PORT=443\n', ENV_FILE),
  target: { serverName: 'example.com' },
  clientVersions: versionsResult(),
};

describe('element-config: status', () => {
  test('a clean config.json that agrees with everything passes with no findings', async () => {
    const r = await run(CLEAN, ALL_GOOD);
    assert.equal(r.status, 'pass');
    assert.deepEqual(r.findings, []);
  });

  test('the clean config.json alone passes too', async () => {
    const r = await run(CLEAN);
    assert.equal(r.status, 'pass');
    assert.deepEqual(r.findings, []);
  });

  test('skip when elementConfig was skipped', async () => {
    const r = await judge(check, { elementConfig: { status: 'skipped', reason: 'no Element config.json given (--element-config)', durationMs: 0 } });
    assert.equal(r.status, 'skip');
    assert.equal(r.reason, 'no Element config.json given (--element-config)');
    assert.deepEqual(r.findings, []);
  });

  test('error when elementConfig failed', async () => {
    const r = await judge(check, {
      elementConfig: { status: 'error', error: { code: 'FILE_UNREADABLE', message: `--element-config ${FILE}: permission denied` }, durationMs: 0 },
    });
    assert.equal(r.status, 'error');
    assert.match(r.reason ?? '', /^elementConfig: FILE_UNREADABLE: /);
  });

  test('optional inputs that were skipped only turn their comparisons off', async () => {
    const skipped = { status: 'skipped', reason: '--offline: no network probes', durationMs: 0 };
    const r = await run(config('https://elsewhere.example.net'), {
      homeserverConfig: skipped,
      nginxConfig: skipped,
      jitsiEnv: skipped,
      target: skipped,
      clientVersions: skipped,
    });
    assert.equal(r.status, 'pass');
    assert.deepEqual(r.findings, []);
  });

  test('optional inputs that failed: the check still runs, and says what it could not compare', async () => {
    const failed = { status: 'error', error: { code: 'INTERNAL', message: 'boom' }, durationMs: 0 };
    const r = await run(config('https://elsewhere.example.net', 'example.com', '    "piwik": {}'), { homeserverConfig: failed, nginxConfig: failed });
    assert.equal(r.status, 'error');
    assert.equal(r.reason, 'homeserverConfig: INTERNAL: boom; nginxConfig: INTERNAL: boom');
    assert.deepEqual(codes(r), ['MXD-EL-009:removed']);
  });
});

describe('MXD-EL-001 invalid JSON', () => {
  test('a trailing comma, with line and column', async () => {
    const text = '{\n    "brand": "Element",\n    "disable_guests": true,\n}\n';
    const r = await run(text);
    assert.equal(r.status, 'fail');
    assert.deepEqual(codes(r), ['MXD-EL-001:syntax']);
    const f = one(r, 'MXD-EL-001', 'syntax');
    assert.equal(f.severity, 'error');
    assert.deepEqual(f.data, { detail: 'trailing comma before }' });
    assert.equal(f.location?.file, FILE);
    assert.deepEqual([f.location?.line, f.location?.column], [4, 1]);
    assert.deepEqual(f.evidence, { line: 4, column: 1 });
    assert.match(f.message, /Your Element configuration contains invalid JSON/);
    assert.equal(f.fix?.summary, 'Correct the JSON at line 4, column 1.');
    assert.deepEqual(f.fix?.steps, [`python3 -m json.tool ${FILE} > /dev/null`]);
  });

  test('a comment', async () => {
    const r = await run('{\n    // the homeserver\n    "default_server_config": {}\n}\n');
    const f = one(r, 'MXD-EL-001', 'syntax');
    assert.deepEqual(f.data, { detail: 'comments are not allowed in JSON' });
    assert.deepEqual([f.location?.line, f.location?.column], [2, 5]);
  });

  test('a trailing comma in a list', async () => {
    const r = await run('{\n  "room_directory": {"servers": ["matrix.org",]}\n}\n');
    const f = one(r, 'MXD-EL-001', 'syntax');
    assert.deepEqual(f.data, { detail: 'trailing comma before ]' });
    assert.deepEqual([f.location?.line, f.location?.column], [2, 47]);
  });

  for (const [name, text] of [
    ['a list', '["https://matrix.example.com"]'],
    ['a string', '"https://matrix.example.com"'],
    ['null', 'null'],
  ] as const) {
    test(`not an object: ${name}`, async () => {
      const r = await run(text);
      assert.deepEqual(codes(r), ['MXD-EL-001:notObject']);
      const f = one(r, 'MXD-EL-001', 'notObject');
      assert.equal(f.severity, 'error');
      assert.deepEqual(f.location, { file: FILE, line: 1, column: 1 });
      assert.equal(f.message, 'config.json must be a JSON object; Element cannot use it.');
    });
  }
});

describe('MXD-EL-002 / MXD-EL-003 which homeserver', () => {
  test('no default server at all', async () => {
    const r = await run('{\n  "brand": "Element"\n}\n');
    assert.deepEqual(codes(r), ['MXD-EL-002:none']);
    const f = one(r, 'MXD-EL-002', 'none');
    assert.equal(f.severity, 'error');
    assert.deepEqual(f.location, { file: FILE });
    assert.deepEqual(f.evidence.keys, ['brand']);
    assert.match(f.message, /Invalid configuration: no default server specified\./);
    assert.match(f.fix?.steps[0] ?? '', /"default_server_config": \{ "m\.homeserver": \{ "base_url"/);
  });

  test('default_hs_url alone is deprecated but enough', async () => {
    const r = await run('{"default_hs_url": "https://matrix.example.com"}');
    assert.deepEqual(codes(r), ['MXD-EL-009:deprecatedServer']);
    const f = one(r, 'MXD-EL-009', 'deprecatedServer');
    assert.equal(f.severity, 'warning');
    assert.deepEqual(f.data, { key: 'default_hs_url' });
    assert.deepEqual(f.evidence, { default_hs_url: 'https://matrix.example.com' });
    assert.deepEqual([f.location?.line, f.location?.column], [1, 2]);
  });

  test('default_hs_url with default_server_config: conflict', async () => {
    const text = config('https://matrix.example.com', 'example.com', '    "default_hs_url": "https://matrix.example.com"');
    const r = await run(text);
    assert.deepEqual(codes(r), ['MXD-EL-003:conflict', 'MXD-EL-009:deprecatedServer']);
    const f = one(r, 'MXD-EL-003', 'conflict');
    assert.equal(f.severity, 'error');
    assert.deepEqual(f.data, { other: 'default_server_config' });
    assert.deepEqual([f.location?.line, f.location?.column], [9, 5]);
    assert.match(f.message, /can't be specified along with default_server_name or default_server_config/);
    assert.deepEqual(f.fix?.edits, [{ kind: 'json-delete', file: FILE, path: ['default_hs_url'], expectSha256: elementArtifact(text).sha256 }]);
  });

  test('default_hs_url with default_server_name: conflict, and both are deprecated', async () => {
    const r = await run('{"default_server_name": "example.com", "default_hs_url": "https://matrix.example.com"}');
    assert.deepEqual(codes(r), ['MXD-EL-003:conflict', 'MXD-EL-009:deprecatedServer', 'MXD-EL-009:deprecatedServer']);
    assert.deepEqual(one(r, 'MXD-EL-003').data, { other: 'default_server_name' });
    assert.deepEqual(
      r.findings.filter((f) => f.messageId === 'deprecatedServer').map((f) => f.data.key),
      ['default_hs_url', 'default_server_name'],
    );
  });
});

describe('MXD-EL-004 base_url', () => {
  test('default_server_config without m.homeserver.base_url', async () => {
    const r = await run('{\n  "default_server_config": {\n    "m.identity_server": {"base_url": "https://vector.im"}\n  }\n}\n');
    assert.deepEqual(codes(r), ['MXD-EL-004:missing']);
    const f = one(r, 'MXD-EL-004', 'missing');
    assert.equal(f.severity, 'error');
    assert.deepEqual([f.location?.line, f.location?.column], [2, 28]);
    assert.match(f.message, /Invalid homeserver discovery response/);
  });

  for (const value of ['matrix.example.com', 'ftp://matrix.example.com', 42, 'https://']) {
    test(`base_url ${JSON.stringify(value)} is invalid`, async () => {
      const r = await run(config(value));
      assert.deepEqual(codes(r), ['MXD-EL-004:invalid']);
      const f = one(r, 'MXD-EL-004', 'invalid');
      assert.deepEqual(f.data, { value: String(value) });
      assert.deepEqual([f.location?.line, f.location?.column], [4, 25]);
      assert.deepEqual(f.evidence, { base_url: value });
      assert.match(f.message, /Invalid base_url for m\.homeserver/);
    });
  }

  test('an invalid base_url is not compared with anything else', async () => {
    const r = await run(config('matrix.example.com'), { ...ALL_GOOD });
    assert.deepEqual(codes(r), ['MXD-EL-004:invalid']);
  });
});

describe('MXD-EL-005 server_name', () => {
  test("differs from homeserver.yaml's server_name", async () => {
    const text = config('https://matrix.example.com', 'matrix.example.com');
    const r = await run(text, { homeserverConfig: homeserver(), target: { serverName: 'example.com' } });
    assert.deepEqual(codes(r), ['MXD-EL-005:mismatch']);
    const f = one(r, 'MXD-EL-005', 'mismatch');
    assert.equal(f.severity, 'error');
    assert.deepEqual(f.data, { element: 'matrix.example.com', other: 'example.com', otherSource: `homeserver.yaml (${HS_FILE}:1:14)` });
    assert.match(f.message, /^Element's m\.homeserver\.server_name is 'matrix\.example\.com' but homeserver\.yaml \(.+:1:14\) says 'example\.com'/);
    assert.deepEqual([f.location?.line, f.location?.column], [5, 28]);
    assert.deepEqual(f.evidence, { element: 'matrix.example.com', 'homeserver.yaml': 'example.com' });
    assert.deepEqual(f.fix?.edits, [
      {
        kind: 'json-set',
        file: FILE,
        path: ['default_server_config', 'm.homeserver', 'server_name'],
        value: 'example.com',
        expectSha256: elementArtifact(text).sha256,
      },
    ]);
  });

  test('differs from the server name given to matrixdoc (no homeserver.yaml)', async () => {
    const r = await run(config('https://matrix.example.com', 'example.org'), { target: { serverName: 'example.com' } });
    const f = one(r, 'MXD-EL-005', 'mismatch');
    assert.deepEqual(f.data, { element: 'example.org', other: 'example.com', otherSource: '--server-name' });
    assert.deepEqual(f.evidence, { element: 'example.org', '--server-name': 'example.com' });
  });

  test("homeserver.yaml's server_name wins over the given name", async () => {
    const r = await run(config(), { homeserverConfig: homeserver(), target: { serverName: 'example.org' } });
    assert.deepEqual(codes(r), []);
  });
});

describe('MXD-EL-006 base_url vs public_baseurl', () => {
  test('different hosts', async () => {
    const text = config('https://matrix.example.com');
    const hs = homeserver('https://synapse.example.com/');
    const r = await run(text, { homeserverConfig: hs });
    assert.deepEqual(codes(r), ['MXD-EL-006:mismatch']);
    const f = one(r, 'MXD-EL-006', 'mismatch');
    assert.equal(f.severity, 'error');
    assert.deepEqual(f.data, { element: 'https://matrix.example.com', publicBaseurl: 'https://synapse.example.com/' });
    assert.match(f.message, /Syncing forever/);
    assert.deepEqual([f.location?.line, f.location?.column], [4, 25]);
    assert.deepEqual(f.evidence, {
      element: { base_url: 'https://matrix.example.com', at: `${FILE}:4:25` },
      synapse: { public_baseurl: 'https://synapse.example.com/', at: `${HS_FILE}:2:17` },
    });
    assert.deepEqual(f.fix?.edits, [
      { kind: 'yaml-set', file: HS_FILE, path: ['public_baseurl'], value: 'https://matrix.example.com/', expectSha256: hs.sha256 },
    ]);
    assert.match(f.fix?.steps[0] ?? '', /^public_baseurl: "https:\/\/matrix\.example\.com\/"/);
  });

  test('a different path counts', async () => {
    const r = await run(config('https://example.com/matrix'), { homeserverConfig: homeserver('https://example.com/') });
    assert.deepEqual(codes(r), ['MXD-EL-006:mismatch']);
  });

  for (const [element, synapse] of [
    ['https://matrix.example.com', 'https://matrix.example.com:443/'],
    ['https://matrix.example.com:443/', 'https://matrix.example.com'],
    ['https://Matrix.Example.com/', 'https://matrix.example.com'],
    ['http://matrix.example.com:80', 'http://matrix.example.com/'],
  ]) {
    test(`${element} equals ${synapse} after normalisation`, async () => {
      assert.deepEqual(codes(await run(config(element), { homeserverConfig: homeserver(synapse) })), []);
    });
  }

  test('public_baseurl broken by itself (dead, plain http, internal) while public-baseurl runs: its one error says it, this one steps aside', async () => {
    const both = (...results: ClientVersionsArtifact[]) => ({ results: results.flatMap((r) => r.results) });
    const elementOk = versionsResult({ sources: ['element-config'] });
    const dead = versionsResult({
      baseUrl: 'https://matrix.example.com:8448',
      sources: ['homeserver-config'],
      versions: undefined,
      exchange: { ok: false, status: undefined, error: { code: 'CONN_REFUSED', message: 'refused' }, bodyExcerpt: '', headers: {} },
    });
    const cases: [string, ClientVersionsArtifact | undefined][] = [
      ['https://matrix.example.com:8448/', both(elementOk, dead)],
      ['http://matrix.example.com/', undefined],
      ['http://localhost:8008/', undefined],
    ];
    for (const [publicBaseurl, clientVersions] of cases) {
      const probes = { elementConfig: elementArtifact(config()), homeserverConfig: homeserver(publicBaseurl), ...(clientVersions ? { clientVersions } : {}) };
      assert.deepEqual(codes(coverage.record(await judge(check, probes, { alsoRunning: ['public-baseurl'] }))), [], publicBaseurl);
      assert.deepEqual(
        codes(await run(config(), { homeserverConfig: homeserver(publicBaseurl), ...(clientVersions ? { clientVersions } : {}) })),
        ['MXD-EL-006:mismatch'],
        `${publicBaseurl}: alone, element-config says it`,
      );
    }
  });

  test('a healthy public_baseurl that differs from Element is reported even when public-baseurl runs', async () => {
    const healthy = versionsResult({ baseUrl: 'https://synapse.example.com', sources: ['homeserver-config'] });
    const probes = {
      elementConfig: elementArtifact(config()),
      homeserverConfig: homeserver('https://synapse.example.com/'),
      clientVersions: { results: [...versionsResult({ sources: ['element-config'] }).results, ...healthy.results] },
    };
    assert.deepEqual(codes(coverage.record(await judge(check, probes, { alsoRunning: ['public-baseurl'] }))), ['MXD-EL-006:mismatch']);
    assert.deepEqual(
      codes(
        coverage.record(
          await judge(check, { elementConfig: probes.elementConfig, homeserverConfig: probes.homeserverConfig }, { alsoRunning: ['public-baseurl'] }),
        ),
      ),
      ['MXD-EL-006:mismatch'],
      'offline: nothing shows which one is wrong',
    );
  });

  test('no comparison when public_baseurl is unset or unusable', async () => {
    const noBase = homeserverArtifact('server_name: "example.com"\nreport_stats: false\n', HS_FILE);
    assert.deepEqual(codes(await run(config('https://elsewhere.example.net'), { homeserverConfig: noBase })), []);
    assert.deepEqual(codes(await run(config('https://elsewhere.example.net'), { homeserverConfig: homeserver('matrix.example.com') })), []);
  });
});

describe('MXD-EL-007 base_url vs the client well-known nginx serves', () => {
  test('nginx says another base_url', async () => {
    const nginx = wellKnownNginx('{"m.homeserver": {"base_url": "https://synapse.example.com"}}');
    const r = await run(config(), { nginxConfig: nginx, target: { serverName: 'example.com' } });
    assert.deepEqual(codes(r), ['MXD-EL-007:mismatch']);
    const f = one(r, 'MXD-EL-007', 'mismatch');
    assert.equal(f.severity, 'error');
    assert.deepEqual(f.data, {
      element: 'https://matrix.example.com',
      host: 'example.com',
      where: `${NGINX_FILE}:10:5`,
      wellKnown: 'https://synapse.example.com',
    });
    assert.match(f.message, /https:\/\/example\.com\/\.well-known\/matrix\/client \(served by nginx, .+:10:5\) says https:\/\/synapse\.example\.com/);
    // The finding points at Element's base_url; the evidence names the nginx line.
    assert.deepEqual([f.location?.file, f.location?.line, f.location?.column], [FILE, 4, 25]);
    assert.deepEqual(f.evidence.wellKnown, {
      base_url: 'https://synapse.example.com',
      servedBy: `${NGINX_FILE}:10:5`,
      body: '{"m.homeserver": {"base_url": "https://synapse.example.com"}}',
    });
    assert.equal(f.fix?.steps[0], `In ${NGINX_FILE}:10:5: return 200 '{"m.homeserver":{"base_url":"https://matrix.example.com"}}';`);
    assert.equal(f.fix?.steps[1], 'nginx -t && nginx -s reload');
  });

  test("the host comes from Element's own server_name when nothing else names it", async () => {
    const nginx = wellKnownNginx('{"m.homeserver": {"base_url": "https://synapse.example.com"}}');
    const r = await run(config(), { nginxConfig: nginx });
    assert.equal(one(r, 'MXD-EL-007', 'mismatch').data.host, 'example.com');
  });

  test('a body that is not JSON', async () => {
    const nginx = wellKnownNginx('{"m.homeserver": {"base_url": "https://matrix.example.com"},}');
    const r = await run(config(), { nginxConfig: nginx, target: { serverName: 'example.com' } });
    assert.deepEqual(codes(r), ['MXD-EL-007:invalidJson']);
    const f = one(r, 'MXD-EL-007', 'invalidJson');
    assert.equal(f.severity, 'error');
    assert.equal(f.data.host, 'example.com');
    assert.equal(f.data.where, `${NGINX_FILE}:10:5`);
    assert.equal(typeof f.data.detail, 'string');
    assert.ok(String(f.data.detail).length > 0);
    assert.deepEqual(f.location, { file: NGINX_FILE, line: 10, column: 5 });
    assert.deepEqual(f.evidence, { body: '{"m.homeserver": {"base_url": "https://matrix.example.com"},}' });
    assert.match(f.fix?.summary ?? '', /^Make the return body valid JSON/);
  });

  test('the same URL, written differently, is no finding', async () => {
    const nginx = wellKnownNginx('{"m.homeserver": {"base_url": "https://matrix.example.com:443/"}}');
    assert.deepEqual(codes(await run(config(), { nginxConfig: nginx, target: { serverName: 'example.com' } })), []);
  });

  test('no finding when nginx has no server block for the name, or proxies the well-known', async () => {
    const other = wellKnownNginx('{"m.homeserver": {"base_url": "https://synapse.example.org"}}', 'example.org');
    assert.deepEqual(codes(await run(config(), { nginxConfig: other, target: { serverName: 'example.com' } })), []);
    const proxied = nginxArtifact({
      [NGINX_FILE]:
        'server {\n  listen 443 ssl;\n  server_name example.com;\n  location /.well-known/matrix/ {\n    proxy_pass http://localhost:8008;\n  }\n}\n',
    });
    assert.deepEqual(codes(await run(config(), { nginxConfig: proxied, target: { serverName: 'example.com' } })), []);
  });
});

describe('MXD-EL-008 jitsi.preferred_domain vs PUBLIC_URL', () => {
  const jitsiConfig = (domain: string) => config('https://matrix.example.com', 'example.com', `    "jitsi": { "preferred_domain": "${domain}" }`);

  test('different hosts', async () => {
    const text = jitsiConfig('meet.example.com');
    const env = jitsiArtifact('HTTPS_PORT=443\n# the public address\nPUBLIC_URL=https://jitsi.example.com\n', ENV_FILE);
    const r = await run(text, { jitsiEnv: env });
    assert.equal(r.status, 'warn');
    assert.deepEqual(codes(r), ['MXD-EL-008:mismatch']);
    const f = one(r, 'MXD-EL-008', 'mismatch');
    assert.equal(f.severity, 'warning');
    assert.deepEqual(f.data, { element: 'meet.example.com', jitsi: 'jitsi.example.com' });
    assert.deepEqual([f.location?.line, f.location?.column], [9, 36]);
    assert.deepEqual(f.evidence, { element: 'meet.example.com', PUBLIC_URL: 'https://jitsi.example.com', envLine: `${ENV_FILE}:3` });
    assert.deepEqual(f.fix?.edits, [
      { kind: 'json-set', file: FILE, path: ['jitsi', 'preferred_domain'], value: 'jitsi.example.com', expectSha256: elementArtifact(text).sha256 },
    ]);
  });

  test('a non-default port is part of the host', async () => {
    const r = await run(jitsiConfig('meet.example.com'), { jitsiEnv: jitsiArtifact('PUBLIC_URL=https://meet.example.com:8443\n', ENV_FILE) });
    assert.equal(one(r, 'MXD-EL-008').data.jitsi, 'meet.example.com:8443');
  });

  test('the last PUBLIC_URL wins; case does not matter; an invalid PUBLIC_URL is left to the jitsi checks', async () => {
    const env = jitsiArtifact('PUBLIC_URL=https://old.example.com\nPUBLIC_URL=https://Meet.Example.com/\n', ENV_FILE);
    assert.deepEqual(codes(await run(jitsiConfig('meet.example.com'), { jitsiEnv: env })), []);
    assert.deepEqual(codes(await run(jitsiConfig('meet.example.com'), { jitsiEnv: jitsiArtifact('PUBLIC_URL=meet.example.com\n', ENV_FILE) })), []);
  });

  test("PUBLIC_URL as docker compose interpolates it (env.example's https://meet.example.com:$HTTPS_PORT in braces)", async () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the .env line as env.example writes it
    const env = jitsiArtifact('HTTPS_PORT=8443\nPUBLIC_URL=https://meet.example.com:${HTTPS_PORT}\n', ENV_FILE);
    const f = one(await run(jitsiConfig('meet.example.com'), { jitsiEnv: env }), 'MXD-EL-008', 'mismatch');
    assert.equal(f.data.jitsi, 'meet.example.com:8443');
    assert.equal(f.evidence.PUBLIC_URL, 'https://meet.example.com:8443');
    assert.deepEqual(codes(await run(jitsiConfig('meet.example.com:8443'), { jitsiEnv: env })), []);
    // A variable the file does not define (docker compose would take it from its environment): left to the jitsi checks.
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the .env line as env.example writes it
    const undefinedPort = jitsiArtifact('PUBLIC_URL=https://meet.example.com:${HTTPS_PORT}\n', ENV_FILE);
    assert.deepEqual(codes(await run(jitsiConfig('jitsi.example.com'), { jitsiEnv: undefinedPort })), []);
  });

  test('camelCase jitsi.preferredDomain is never read: no MXD-EL-008 from it, MXD-EL-009 camelDefault instead', async () => {
    const text = config('https://matrix.example.com', 'example.com', '    "jitsi": { "preferredDomain": "jitsi.example.com" }');
    const r = await run(text, { jitsiEnv: jitsiArtifact('PUBLIC_URL=https://meet.example.com\n', ENV_FILE) });
    assert.deepEqual(codes(r), ['MXD-EL-009:camelDefault']);
  });

  describe("the client well-known's io.element.jitsi preferredDomain (Element prefers it)", () => {
    const WK_URL = 'https://example.com/.well-known/matrix/client';
    const wellKnown = (json: unknown) => ({ serverName: 'example.com', client: { url: WK_URL, ok: true, status: 200, json } });
    const env = jitsiArtifact('PUBLIC_URL=https://meet.example.com\n', ENV_FILE);

    test('the well-known names another Jitsi: MXD-EL-008 wellKnown, located at the well-known, no edit', async () => {
      const r = await run(jitsiConfig('meet.example.com'), {
        jitsiEnv: env,
        wellKnown: wellKnown({ 'm.homeserver': { base_url: 'https://matrix.example.com' }, 'io.element.jitsi': { preferredDomain: 'jitsi.example.org' } }),
      });
      assert.deepEqual(codes(r), ['MXD-EL-008:wellKnown']);
      const f = one(r, 'MXD-EL-008', 'wellKnown');
      assert.equal(f.severity, 'warning');
      assert.deepEqual(f.data, { url: WK_URL, key: 'io.element.jitsi', wellKnown: 'jitsi.example.org', jitsi: 'meet.example.com' });
      assert.deepEqual(f.location, { url: WK_URL });
      assert.match(f.fix?.summary ?? '', /Set io\.element\.jitsi\.preferredDomain to "meet\.example\.com"/);
      assert.deepEqual(f.fix?.edits, []);
      // The legacy key too; and a well-known that agrees says nothing.
      const legacy = await run(jitsiConfig('meet.example.com'), {
        jitsiEnv: env,
        wellKnown: wellKnown({ 'im.vector.riot.jitsi': { preferredDomain: 'x.example.org' } }),
      });
      assert.equal(one(legacy, 'MXD-EL-008', 'wellKnown').data.key, 'im.vector.riot.jitsi');
      assert.deepEqual(
        codes(
          await run(jitsiConfig('meet.example.com'), { jitsiEnv: env, wellKnown: wellKnown({ 'io.element.jitsi': { preferredDomain: 'MEET.example.com' } }) }),
        ),
        [],
      );
    });

    test("config.json differs but the well-known agrees: MXD-EL-008 overridden, info (only other homeservers' users)", async () => {
      const r = await run(jitsiConfig('jitsi.example.com'), {
        jitsiEnv: env,
        wellKnown: wellKnown({ 'io.element.jitsi': { preferredDomain: 'meet.example.com' } }),
      });
      assert.deepEqual(codes(r), ['MXD-EL-008:overridden']);
      const f = one(r, 'MXD-EL-008', 'overridden');
      assert.equal(f.severity, 'info');
      assert.match(f.message, /the client well-known's io\.element\.jitsi\.preferredDomain \('meet\.example\.com'\) wins/);
    });

    test('a well-known without io.element.jitsi, or not fetched: config.json alone', async () => {
      const r = await run(jitsiConfig('jitsi.example.com'), {
        jitsiEnv: env,
        wellKnown: wellKnown({ 'm.homeserver': { base_url: 'https://matrix.example.com' } }),
      });
      assert.deepEqual(codes(r), ['MXD-EL-008:mismatch']);
      const failed = await run(jitsiConfig('jitsi.example.com'), {
        jitsiEnv: env,
        wellKnown: { status: 'error', error: { code: 'TIMEOUT', message: 'x' }, durationMs: 0 },
      });
      assert.deepEqual(codes(failed), ['MXD-EL-008:mismatch']);
    });
  });
});

describe('MXD-EL-009 keys Element ignores', () => {
  test('settingDefaults shadowed by setting_defaults', async () => {
    const text = config(
      'https://matrix.example.com',
      'example.com',
      '    "settingDefaults": { "language": "de", "UIFeature.feedback": false },\n    "setting_defaults": { "breadcrumbs": true }',
    );
    const sha = elementArtifact(text).sha256;
    const r = await run(text);
    assert.deepEqual(codes(r), ['MXD-EL-009:shadowed']);
    const f = one(r, 'MXD-EL-009', 'shadowed');
    assert.equal(f.severity, 'warning');
    assert.deepEqual(f.data, { camel: 'settingDefaults', snake: 'setting_defaults', lost: 'language: "de", UIFeature.feedback: false' });
    assert.match(f.message, /^'settingDefaults' is ignored because 'setting_defaults' is also set/);
    assert.deepEqual([f.location?.line, f.location?.column], [9, 5]);
    assert.deepEqual(f.evidence, { settingDefaults: { language: 'de', 'UIFeature.feedback': false }, setting_defaults: { breadcrumbs: true } });
    assert.deepEqual(f.fix?.edits, [
      {
        kind: 'json-set',
        file: FILE,
        path: ['setting_defaults'],
        value: { language: 'de', 'UIFeature.feedback': false, breadcrumbs: true },
        expectSha256: sha,
      },
      { kind: 'json-delete', file: FILE, path: ['settingDefaults'], expectSha256: sha },
    ]);
  });

  test('a camelCase key alone: renamed (info)', async () => {
    const text = config('https://matrix.example.com', 'example.com', '    "roomDirectory": { "servers": ["matrix.org"] }');
    const sha = elementArtifact(text).sha256;
    const r = await run(text);
    assert.equal(r.status, 'pass');
    const f = one(r, 'MXD-EL-009', 'camel');
    assert.equal(f.severity, 'info');
    assert.deepEqual(f.data, { camel: 'roomDirectory', snake: 'room_directory', lost: 'servers: ["matrix.org"]' });
    assert.equal(f.fix?.summary, "Rename 'roomDirectory' to 'room_directory'.");
    assert.deepEqual(f.fix?.edits, [
      { kind: 'json-set', file: FILE, path: ['room_directory'], value: { servers: ['matrix.org'] }, expectSha256: sha },
      { kind: 'json-delete', file: FILE, path: ['roomDirectory'], expectSha256: sha },
    ]);
  });

  test('a camelCase key whose snake_case key has a built-in default is never read', async () => {
    const r = await run(
      config('https://matrix.example.com', 'example.com', '    "showLabsSettings": true,\n    "jitsi": { "preferredDomain": "meet.example.com" }'),
    );
    assert.deepEqual(codes(r), ['MXD-EL-009:camelDefault', 'MXD-EL-009:camelDefault']);
    assert.ok(r.findings.every((f) => f.severity === 'warning'));
    assert.deepEqual(
      r.findings.map((f) => [f.data.camel, f.data.snake]),
      [
        ['showLabsSettings', 'show_labs_settings'],
        ['jitsi.preferredDomain', 'jitsi.preferred_domain'],
      ],
    );
    const nested = r.findings[1];
    assert.deepEqual([nested.location?.line, nested.location?.column], [10, 16]);
    assert.deepEqual(
      nested.fix?.edits.map((e) => [e.kind, 'path' in e ? e.path : undefined]),
      [
        ['json-set', ['jitsi', 'preferred_domain']],
        ['json-delete', ['jitsi', 'preferredDomain']],
      ],
    );
  });

  test('a camelCase scalar next to its snake_case key: the camel key is deleted', async () => {
    const r = await run(config('https://matrix.example.com', 'example.com', '    "defaultCountryCode": "GB",\n    "default_country_code": "DE"'));
    const f = one(r, 'MXD-EL-009', 'shadowed');
    assert.equal(f.data.lost, '"GB"');
    assert.deepEqual(
      f.fix?.edits.map((e) => [e.kind, 'path' in e ? e.path : undefined]),
      [['json-delete', ['defaultCountryCode']]],
    );
  });

  test('removed keys', async () => {
    const text = config(
      'https://matrix.example.com',
      'example.com',
      '    "piwik": { "url": "https://piwik.example.com/" },\n    "welcomeUserId": "@welcome:example.com"',
    );
    const r = await run(text);
    assert.deepEqual(codes(r), ['MXD-EL-009:removed', 'MXD-EL-009:removed']);
    const f = r.findings[0];
    assert.deepEqual(f.data, { key: 'piwik', why: 'analytics moved to posthog (with privacy_policy_url)' });
    assert.equal(f.message, "'piwik' is no longer read by Element (analytics moved to posthog (with privacy_policy_url)).");
    assert.deepEqual([f.location?.line, f.location?.column], [9, 5]);
    assert.deepEqual(f.fix?.edits, [{ kind: 'json-delete', file: FILE, path: ['piwik'], expectSha256: elementArtifact(text).sha256 }]);
    assert.equal(r.findings[1].data.key, 'welcomeUserId');
  });
});

describe('MXD-EL-010 duplicate keys', () => {
  test('a top-level and a nested duplicate', async () => {
    const text =
      '{\n  "brand": "Element",\n  "default_server_config": {\n    "m.homeserver": {\n      "base_url": "https://old.example.com",\n      "base_url": "https://matrix.example.com"\n    }\n  },\n  "brand": "Chat"\n}\n';
    const r = await run(text);
    assert.equal(r.status, 'warn');
    assert.deepEqual(codes(r), ['MXD-EL-010:duplicate', 'MXD-EL-010:duplicate']);
    const [nested, top] = r.findings;
    assert.equal(nested.severity, 'warning');
    assert.deepEqual(nested.data, { key: 'default_server_config.m.homeserver.base_url' });
    assert.deepEqual([nested.location?.line, nested.location?.column], [6, 7]);
    assert.deepEqual(nested.evidence, { path: '/default_server_config/m.homeserver/base_url' });
    assert.equal(nested.fix?.summary, "Keep one 'base_url' (the last one is the one Element uses).");
    assert.deepEqual(top.data, { key: 'brand' });
    assert.equal(top.message, "'brand' appears twice; browsers keep only the last one, so the first has no effect.");
    assert.deepEqual([top.location?.line, top.location?.column], [9, 3]);
  });
});

describe('MXD-EL-011 can Element reach the homeserver', () => {
  test('unreachable', async () => {
    const versions = versionsResult({
      versions: undefined,
      exchange: {
        ok: false,
        status: undefined,
        error: { code: 'ECONNREFUSED', message: 'connection refused by 192.0.2.10:443' },
        bodyExcerpt: '',
        headers: {},
      },
    });
    const r = await run(config(), { clientVersions: versions });
    assert.equal(r.status, 'fail');
    assert.deepEqual(codes(r), ['MXD-EL-011:unreachable']);
    const f = one(r, 'MXD-EL-011', 'unreachable');
    assert.equal(f.severity, 'error');
    assert.deepEqual(f.data, {
      url: 'https://matrix.example.com/_matrix/client/versions',
      reason: 'ECONNREFUSED: connection refused by 192.0.2.10:443',
      status: 0,
    });
    assert.equal(
      f.message,
      'Element asks https://matrix.example.com/_matrix/client/versions before login and it failed (ECONNREFUSED: connection refused by 192.0.2.10:443); users see "Cannot reach homeserver".',
    );
    assert.deepEqual(f.location, { url: 'https://matrix.example.com/_matrix/client/versions' });
    assert.deepEqual(f.evidence.error, { code: 'ECONNREFUSED', message: 'connection refused by 192.0.2.10:443' });
    assert.match(f.fix?.summary ?? '', /reachable/);
    assert.deepEqual(f.fix?.steps, ['curl -sS https://matrix.example.com/_matrix/client/versions']);
  });

  test('not a Matrix homeserver', async () => {
    const versions = versionsResult({
      versions: undefined,
      exchange: { status: 404, bodyExcerpt: '<html><body>404 Not Found</body></html>', headers: { 'content-type': 'text/html' } },
    });
    const r = await run(config(), { clientVersions: versions });
    assert.deepEqual(codes(r), ['MXD-EL-011:notMatrix']);
    const f = one(r, 'MXD-EL-011', 'notMatrix');
    assert.deepEqual(f.data, { url: 'https://matrix.example.com/_matrix/client/versions', reason: 'HTTP 404', status: 404 });
    assert.match(f.message, /got HTTP 404 without a versions list; Element says "Homeserver URL does not appear to be a valid Matrix homeserver"\.$/);
    assert.equal(f.evidence.status, 404);
    assert.equal(f.evidence.body, '<html><body>404 Not Found</body></html>');
    assert.match(f.fix?.summary ?? '', /proxy_pass http:\/\/localhost:8008/);
  });

  test('a healthy homeserver, matched even when base_url has a trailing slash', async () => {
    assert.deepEqual(codes(await run(config('https://matrix.example.com/'), { clientVersions: versionsResult() })), []);
  });

  test('the same URL named by the well-known: left to the well-known check (MXD-WK-012) when it runs', async () => {
    const versions = versionsResult({ sources: ['element-config', 'well-known'], versions: undefined, exchange: { status: 502 } });
    assert.deepEqual(codes(await judge(check, { elementConfig: elementArtifact(config()), clientVersions: versions }, { alsoRunning: ['well-known'] })), []);
    assert.deepEqual(codes(await run(config(), { clientVersions: versions })), ['MXD-EL-011:notMatrix'], 'alone, element-config says it');
  });

  test('a result for another base URL (public_baseurl only) is not Element’s problem', async () => {
    const versions = versionsResult({ baseUrl: 'https://synapse.example.com', versions: undefined, exchange: { status: 502 } });
    assert.deepEqual(codes(await run(config(), { clientVersions: versions })), []);
  });
});

describe('MXD-EL-012 default language', () => {
  const withLanguage = (block: string, lang: string) => config('https://matrix.example.com', 'example.com', `    "${block}": { "language": "${lang}" }`);

  test('zh_Hans in setting_defaults: unknown, with the Element spelling as a fix', async () => {
    const text = withLanguage('setting_defaults', 'zh_Hans');
    const r = await run(text);
    assert.deepEqual(codes(r), ['MXD-EL-012:unknown']);
    const f = one(r, 'MXD-EL-012', 'unknown');
    assert.equal(f.severity, 'warning');
    assert.deepEqual(f.data, { key: 'setting_defaults.language', value: 'zh_Hans', suggestion: 'zh-hans' });
    assert.match(f.message, /^setting_defaults\.language 'zh_Hans' is not one of Element's languages .*e\.g\. 'zh-hans'.*falls back to English/);
    assert.deepEqual([f.location?.line, f.location?.column], [9, 39]);
    assert.equal(f.fix?.summary, "Use 'zh-hans'.");
    assert.deepEqual(f.fix?.edits, [
      { kind: 'json-set', file: FILE, path: ['setting_defaults', 'language'], value: 'zh-hans', expectSha256: elementArtifact(text).sha256 },
    ]);
  });

  for (const [lang, suggestion] of [
    ['de_DE', 'de'],
    ['pt_BR', 'pt-br'],
    ['zh_Hant', 'zh-hant'],
    ['EN', 'en'],
  ]) {
    test(`${lang} -> ${suggestion}`, async () => {
      const f = one(await run(withLanguage('setting_defaults', lang)), 'MXD-EL-012');
      assert.equal(f.data.suggestion, suggestion);
      assert.equal(f.fix?.edits.length, 1);
    });
  }

  test('an unknown regional variant suggests its language, an unknown language suggests English, neither is edited', async () => {
    const fr = one(await run(withLanguage('setting_defaults', 'fr_CA')), 'MXD-EL-012');
    assert.equal(fr.data.suggestion, 'fr');
    assert.deepEqual(fr.fix?.edits, []);
    const tlh = one(await run(withLanguage('setting_defaults', 'tlh')), 'MXD-EL-012');
    assert.equal(tlh.data.suggestion, 'en');
    assert.deepEqual(tlh.fix?.edits, []);
  });

  test('a language in an ignored settingDefaults block: reported, but not edited in place', async () => {
    const text = config(
      'https://matrix.example.com',
      'example.com',
      '    "settingDefaults": { "language": "zh_Hans" },\n    "setting_defaults": { "breadcrumbs": true }',
    );
    const r = await run(text);
    assert.deepEqual(codes(r), ['MXD-EL-009:shadowed', 'MXD-EL-012:unknown']);
    const f = one(r, 'MXD-EL-012');
    assert.equal(f.data.key, 'settingDefaults.language');
    assert.equal(f.fix?.summary, "Use 'zh-hans' under setting_defaults (the settingDefaults block is ignored).");
    assert.deepEqual(f.fix?.edits, []);
  });

  test('known languages are fine', async () => {
    for (const lang of ['en', 'de', 'zh-hans', 'pt-br', 'nb-no']) assert.deepEqual(codes(await run(withLanguage('setting_defaults', lang))), [], lang);
  });
});

test('every code and messageId element-config declares is produced by a test above', () => {
  assert.deepEqual(coverage.missing(), []);
});
