// reverse-proxy: nginx config files judged against homeserver.yaml. Every code and message it declares,
// nginx's own rules (location selection, proxy_set_header inheritance, default body size), the seed
// deployment (only the admin-API note), a clean config, and no false alarms for other services. Fixes
// are applied as `matrixdoc fix` applies them: nginx-set edits, text edits only where those cannot reach.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import check from '../../checks/reverse-proxy/index.js';
import type { CheckResult, Edit, Finding } from '../../src/engine/types.js';
import { applyToText } from '../../src/fix/apply.js';
import { child, matchLocation, parseNginx, servers } from '../../src/parse/nginx.js';
import { Coverage, codes, homeserverArtifact, judge, nginxArtifact, one, SYNAPSE_LISTENERS } from '../helpers/judge.js';

const SEED = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/seed');
const MATRIX = '/etc/nginx/sites-enabled/matrix.example.com';
const APEX = '/etc/nginx/sites-enabled/example.com';
const HS_FILE = '/etc/matrix-synapse/homeserver.yaml';

const coverage = new Coverage(check);

const HS = `server_name: "example.com"
report_stats: false
public_baseurl: "https://matrix.example.com/"
${SYNAPSE_LISTENERS}max_upload_size: 50M
`;

/** The same homeserver before the rate-limit fix: no listener trusts X-Forwarded-For yet. */
const HS_UNTRUSTED = HS.replace('    x_forwarded: true\n', '');

/** The Matrix host, as Synapse's reverse-proxy guide writes it; `location` replaces the Matrix location. */
function matrixConf(location?: string, extra = '', element = true): string {
  return `server {
    listen 443 ssl;
    listen [::]:443 ssl;

    # For the federation port
    listen 8448 ssl default_server;
    listen [::]:8448 ssl default_server;

    server_name matrix.example.com;

    ssl_certificate /etc/letsencrypt/live/matrix.example.com/fullchain.pem;
    ssl_certificate_key /etc/letsencrypt/live/matrix.example.com/privkey.pem;
${extra}
${
  location ??
  `    location ~ ^(/_matrix|/_synapse/client) {
        proxy_pass http://localhost:8008;
        proxy_set_header X-Forwarded-For $remote_addr;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_set_header Host $host;
        client_max_body_size 50M;
        proxy_http_version 1.1;
    }`
}
${element ? '\n    location / {\n        root /var/www/element;\n        index index.html;\n    }\n' : ''}}
`;
}

const WK_SERVER = `    location = /.well-known/matrix/server {
        default_type application/json;
        add_header Access-Control-Allow-Origin *;
        return 200 '{"m.server": "matrix.example.com:443"}';
    }
`;
const WK_CLIENT = `    location = /.well-known/matrix/client {
        default_type application/json;
        add_header Access-Control-Allow-Origin *;
        return 200 '{"m.homeserver": {"base_url": "https://matrix.example.com"}}';
    }
`;

function apexConf(locations = WK_SERVER + WK_CLIENT): string {
  return `server {
    listen 443 ssl;
    listen [::]:443 ssl;
    server_name example.com;

    ssl_certificate /etc/letsencrypt/live/example.com/fullchain.pem;
    ssl_certificate_key /etc/letsencrypt/live/example.com/privkey.pem;

${locations}}
`;
}

async function run(files: Record<string, string>, hs: string | null = HS, serverName = 'example.com', alsoRunning = ['rate-limits']): Promise<CheckResult> {
  const probes: Record<string, unknown> = { nginxConfig: nginxArtifact(files), target: { serverName } };
  if (hs !== null) probes.homeserverConfig = homeserverArtifact(hs, HS_FILE);
  return coverage.record(await judge(check, probes, { alsoRunning }));
}

/** The Matrix host without its 8448 listens. */
const on443 = (conf: string) => conf.replace(/ {4}# For the federation port\n.*\n.*\n/, '');

const matrixOnly = (location?: string, extra?: string) => ({ [MATRIX]: matrixConf(location, extra), [APEX]: apexConf() });

/** The findings' edits of one file applied as `matrixdoc fix` applies them (src/fix/apply.ts); none may be refused. */
function applyFixes(file: string, text: string, findings: Finding[]): string {
  const out = applyToText(file, text, findings);
  assert.deepEqual(
    out.refused.map((x) => x.reason),
    [],
  );
  assert.equal(out.applied.length, findings.filter((f) => f.fix?.edits.some((e) => e.file === file)).length, 'every fix applied');
  return out.after;
}

const shaOf = (files: Record<string, string>, file: string) => nginxArtifact(files).files.find((f) => f.file === file)?.sha256;

/** An nginx-set edit as the check writes it. */
function nginxSet(files: Record<string, string>, file: string, server: string, location: string | undefined, directive: string, args: string[]): Edit {
  return { kind: 'nginx-set', file, server, ...(location === undefined ? {} : { location }), directive, args, expectSha256: shaOf(files, file) };
}

const MATRIX_LOCATION = '~ ^(/_matrix|/_synapse/client)';

/** The directives of the location nginx picks for a path in the first server block of a text. */
function locationFor(text: string, uri: string) {
  const [server] = servers([parseNginx(text, 'x')]);
  return matchLocation(server.directive, uri);
}

describe('reverse-proxy: status', () => {
  test('a clean deployment (Matrix host on 443 and 8448, well-knowns on the server name) passes with no findings', async () => {
    const r = await run(matrixOnly());
    assert.equal(r.status, 'pass');
    assert.deepEqual(r.findings, []);
  });

  test('the seed deployment: only the admin-API note (info), so the check passes', async () => {
    const dir = path.join(SEED, 'nginx');
    const files = Object.fromEntries(
      readdirSync(dir)
        .sort()
        .map((f) => [path.join(dir, f), readFileSync(path.join(dir, f), 'utf8')]),
    );
    const hs = readFileSync(path.join(SEED, 'synapse/homeserver.yaml'), 'utf8');
    const r = await run(files, hs, 'xfoss.com');
    assert.equal(r.status, 'pass');
    assert.deepEqual(codes(r), ['MXD-RP-008:exposed']);
    const f = one(r, 'MXD-RP-008', 'exposed');
    assert.equal(f.severity, 'info');
    assert.deepEqual(f.location, { file: path.join(dir, 'matrix.conf'), line: 11, column: 5 });
    assert.equal(f.data.host, 'matrix.xfoss.com');
    // Without homeserver.yaml the same nginx gives the same single note.
    assert.deepEqual(codes(await run(files, null, 'xfoss.com')), ['MXD-RP-008:exposed']);
  });

  test('skip without nginx configuration, error when it could not be read', async () => {
    const skipped = await judge(check, { nginxConfig: { status: 'skipped', reason: 'no nginx configuration given (--nginx-config)', durationMs: 0 } });
    assert.equal(skipped.status, 'skip');
    assert.equal(skipped.reason, 'no nginx configuration given (--nginx-config)');
    assert.equal((await judge(check, { homeserverConfig: homeserverArtifact(HS) })).status, 'skip');
    const failed = await judge(check, { nginxConfig: { status: 'error', error: { code: 'FILE_NOT_FOUND', message: 'no such file' }, durationMs: 1 } });
    assert.equal(failed.status, 'error');
  });

  test('an upstream block pointing at Synapse counts as Synapse', async () => {
    const upstream = `upstream synapse {\n    server 127.0.0.1:8008;\n}\n`;
    const location = matrixConf().replace('proxy_pass http://localhost:8008;', 'proxy_pass http://synapse;');
    const r = await run({ '/etc/nginx/conf.d/upstream.conf': upstream, [MATRIX]: location, [APEX]: apexConf() });
    assert.deepEqual(r.findings, []);
  });

  test('other services are not Matrix traffic: Jitsi, MAS and a media repo behind their own locations raise nothing', async () => {
    const jitsi = `server {
    listen 443 ssl;
    server_name meet.example.com;
    location / {
        proxy_pass http://localhost:8000/;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    }
}
`;
    const extra = `
    # matrix-authentication-service handles logins
    location ~ ^/_matrix/client/(.*)/(login|logout|refresh) {
        proxy_pass http://localhost:8080;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    }
    # matrix-media-repo
    location /_matrix/media {
        proxy_pass http://localhost:8000;
        client_max_body_size 100M;
    }
`;
    const r = await run({ ...matrixOnly(undefined, extra), '/etc/nginx/sites-enabled/meet.example.com': jitsi });
    assert.deepEqual(codes(r), []);
  });

  test('includes: a snippet matrixdoc was not given hides the headers (no guess); a given snippet is read in place', async () => {
    const withInclude = matrixConf(`    location ~ ^(/_matrix|/_synapse/client) {
        proxy_pass http://localhost:8008;
        include proxy_params;
        client_max_body_size 50M;
    }`);
    assert.deepEqual(codes(await run({ [MATRIX]: withInclude, [APEX]: apexConf() })), []);
    // Debian's proxy_params, given: its X-Forwarded-For is the spoofable one, and the edit goes into that file.
    const params =
      'proxy_set_header Host $http_host;\nproxy_set_header X-Real-IP $remote_addr;\nproxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\nproxy_set_header X-Forwarded-Proto $scheme;\n';
    const r = await run({ [MATRIX]: withInclude, [APEX]: apexConf(), '/etc/nginx/proxy_params': params }, HS_UNTRUSTED);
    assert.deepEqual(codes(r), ['MXD-RP-004:appended']);
    // Once a listener trusts X-Forwarded-For, the rate-limits check reports that line (MXD-RL-002), not this one.
    assert.deepEqual(codes(await run({ [MATRIX]: withInclude, [APEX]: apexConf(), '/etc/nginx/proxy_params': params })), []);
    // ... but only when rate-limits is part of the run: alone, reverse-proxy still says it.
    assert.deepEqual(codes(await run({ [MATRIX]: withInclude, [APEX]: apexConf(), '/etc/nginx/proxy_params': params }, HS, 'example.com', [])), [
      'MXD-RP-004:appended',
    ]);
    assert.deepEqual(one(r, 'MXD-RP-004', 'appended').location, { file: '/etc/nginx/proxy_params', line: 3, column: 1 });
    // A snippet has no server block for nginx-set to name: the line is replaced there by a text edit.
    const [edit] = one(r, 'MXD-RP-004', 'appended').fix?.edits ?? [];
    assert.equal(edit.kind, 'text');
    assert.equal(edit.file, '/etc/nginx/proxy_params');
    assert.equal(
      applyFixes('/etc/nginx/proxy_params', params, r.findings),
      params.replace('X-Forwarded-For $proxy_add_x_forwarded_for', 'X-Forwarded-For $remote_addr'),
    );
    // certbot's TLS include says nothing about locations: the server block is still judged.
    const certbot = matrixConf(
      `    location /_matrix {\n        proxy_pass http://localhost:8008;\n        proxy_set_header X-Forwarded-For $remote_addr;\n        proxy_set_header X-Forwarded-Proto $scheme;\n        proxy_set_header Host $host;\n        client_max_body_size 50M;\n    }`,
      '    include /etc/letsencrypt/options-ssl-nginx.conf;\n',
    );
    assert.deepEqual(codes(await run({ [MATRIX]: certbot, [APEX]: apexConf() })), ['MXD-RP-005:synapseClient']);
    // A server-level snippet may hold locations: that block's routes are not judged.
    const snippet = certbot.replace('    include /etc/letsencrypt/options-ssl-nginx.conf;', '    include snippets/matrix-extra.conf;');
    assert.deepEqual(codes(await run({ [MATRIX]: snippet, [APEX]: apexConf() })), []);
  });

  test('every finding carries its docs link and a rendered message', async () => {
    const r = await run({ [MATRIX]: matrixConf(`    location /_matrix {\n        proxy_pass http://localhost:8008/;\n    }`) });
    assert.ok(r.findings.length > 0);
    for (const f of r.findings) {
      assert.equal(f.check, 'reverse-proxy');
      assert.equal(f.docs, `docs/codes/${f.code}.md`);
      assert.doesNotMatch(f.message, /\{\{/);
      assert.ok(f.fix && f.fix.summary.length > 0);
    }
  });
});

describe('MXD-RP-001 a path after the port in proxy_pass', () => {
  test('a trailing slash counts: location /_matrix { proxy_pass http://localhost:8008/; }', async () => {
    const text = matrixConf(`    location /_matrix {
        proxy_pass http://localhost:8008/;
        proxy_set_header X-Forwarded-For $remote_addr;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_set_header Host $host;
        client_max_body_size 50M;
    }
    location /_synapse/client {
        proxy_pass http://localhost:8008;
        proxy_set_header X-Forwarded-For $remote_addr;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_set_header Host $host;
    }`);
    const r = await run({ [MATRIX]: text, [APEX]: apexConf() });
    assert.deepEqual(codes(r), ['MXD-RP-001:uri']);
    const f = one(r, 'MXD-RP-001', 'uri');
    assert.equal(f.severity, 'error');
    assert.equal(r.status, 'fail');
    assert.deepEqual(f.data, { where: `${MATRIX}:15:9`, value: 'http://localhost:8008/', uri: '/' });
    assert.deepEqual(f.location, { file: MATRIX, line: 15, column: 9 });
    assert.match(f.message, /not even a single \//);
    assert.equal(f.fix?.steps[0], `In ${MATRIX}:15:9: proxy_pass http://localhost:8008;`);
    // The location strips /_matrix today, so dropping the slash changes the path: no automatic edit.
    assert.deepEqual(f.fix?.edits, []);
  });

  test('a path equal to the location prefix is removed by a safe edit', async () => {
    const text = matrixConf(`    location /_matrix/ {
        proxy_pass http://127.0.0.1:8008/_matrix/;
        proxy_set_header X-Forwarded-For $remote_addr;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_set_header Host $host;
        client_max_body_size 50M;
    }
    location /_synapse/client/ {
        proxy_pass http://127.0.0.1:8008;
        proxy_set_header X-Forwarded-For $remote_addr;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_set_header Host $host;
    }`);
    const files = { [MATRIX]: text, [APEX]: apexConf() };
    const r = await run(files);
    const f = one(r, 'MXD-RP-001', 'uri');
    assert.equal(f.data.uri, '/_matrix/');
    assert.deepEqual(f.fix?.edits, [nginxSet(files, MATRIX, 'matrix.example.com', '/_matrix/', 'proxy_pass', ['http://127.0.0.1:8008'])]);
    const fixed = applyFixes(MATRIX, text, [f]);
    assert.equal(fixed, text.replace('proxy_pass http://127.0.0.1:8008/_matrix/;', 'proxy_pass http://127.0.0.1:8008;'));
    assert.deepEqual(child(locationFor(fixed, '/_matrix/client/versions')?.block, 'proxy_pass')?.args, ['http://127.0.0.1:8008']);
    assert.deepEqual(codes(await run({ [MATRIX]: fixed, [APEX]: apexConf() })), []);
  });

  test('inside a regex location nginx refuses the configuration; the slash is removed by the edit', async () => {
    const text = matrixConf().replace('proxy_pass http://localhost:8008;', 'proxy_pass http://localhost:8008/;');
    const r = await run({ [MATRIX]: text, [APEX]: apexConf() });
    const f = one(r, 'MXD-RP-001', 'regex');
    assert.match(f.message, /"proxy_pass" cannot have URI part in location given by regular expression/);
    const files = { [MATRIX]: text, [APEX]: apexConf() };
    assert.deepEqual(f.fix?.edits, [nginxSet(files, MATRIX, 'matrix.example.com', MATRIX_LOCATION, 'proxy_pass', ['http://localhost:8008'])]);
    assert.equal(applyFixes(MATRIX, text, [f]), matrixConf());
  });

  test('proxy_pass http://127.0.0.1:8008$request_uri passes the raw URI and is fine', async () => {
    const text = matrixConf().replace('proxy_pass http://localhost:8008;', 'proxy_pass http://127.0.0.1:8008$request_uri;');
    assert.deepEqual(codes(await run({ [MATRIX]: text, [APEX]: apexConf() })), []);
  });
});

describe('MXD-RP-002 client_max_body_size', () => {
  const without = matrixConf().replace('        client_max_body_size 50M;\n', '');

  test("no client_max_body_size anywhere: nginx's 1m default (nginxDefault), fixed by adding one to the location", async () => {
    const r = await run({ [MATRIX]: without, [APEX]: apexConf() });
    assert.deepEqual(codes(r), ['MXD-RP-002:nginxDefault']);
    const f = one(r, 'MXD-RP-002', 'nginxDefault');
    assert.equal(f.severity, 'warning');
    assert.equal(r.status, 'warn');
    assert.deepEqual(f.data, { where: `${MATRIX}:14:5`, nginxSize: '1m', synapseSize: '50M', host: 'matrix.example.com', path: '/_matrix/media/v3/upload' });
    assert.equal(f.evidence.from, 'nginx default');
    const files = { [MATRIX]: without, [APEX]: apexConf() };
    assert.deepEqual(f.fix?.edits, [nginxSet(files, MATRIX, 'matrix.example.com', MATRIX_LOCATION, 'client_max_body_size', ['50M'])]);
    // Added as the last line of the location, in its indentation.
    const fixed = applyFixes(MATRIX, without, [f]);
    assert.equal(fixed, without.replace('        proxy_http_version 1.1;\n', '        proxy_http_version 1.1;\n        client_max_body_size 50M;\n'));
    assert.deepEqual(codes(await run({ [MATRIX]: fixed, [APEX]: apexConf() })), []);
  });

  test('a server-level value smaller than max_upload_size (smaller); sizes compared in bytes, units case-insensitive', async () => {
    const text = matrixConf(undefined, '    client_max_body_size 10m;\n').replace('        client_max_body_size 50M;\n', '');
    const r = await run({ [MATRIX]: text, [APEX]: apexConf() }, HS.replace('max_upload_size: 50M', 'max_upload_size: 100M'));
    const f = one(r, 'MXD-RP-002', 'smaller');
    assert.deepEqual(f.location, { file: MATRIX, line: 13, column: 5 });
    assert.equal(f.data.nginxSize, '10m');
    assert.equal(f.data.synapseSize, '100M');
    assert.equal(f.evidence.from, 'server');
    // The edit goes into the Matrix location (it wins over the server level).
    assert.deepEqual(f.fix?.edits, [
      nginxSet({ [MATRIX]: text, [APEX]: apexConf() }, MATRIX, 'matrix.example.com', MATRIX_LOCATION, 'client_max_body_size', ['100M']),
    ]);
    const fixed = applyFixes(MATRIX, text, [f]);
    assert.deepEqual(child(locationFor(fixed, '/_matrix/media/v3/upload')?.block, 'client_max_body_size')?.args, ['100M']);
  });

  test('a location-level value is replaced in place; max_upload_size in bytes and in G', async () => {
    const text = matrixConf().replace('client_max_body_size 50M;', 'client_max_body_size 20M;');
    const r = await run({ [MATRIX]: text, [APEX]: apexConf() }, HS.replace('max_upload_size: 50M', 'max_upload_size: 1G'));
    const f = one(r, 'MXD-RP-002', 'smaller');
    assert.equal(f.evidence.from, 'location');
    assert.deepEqual(f.fix?.edits, [
      nginxSet({ [MATRIX]: text, [APEX]: apexConf() }, MATRIX, 'matrix.example.com', MATRIX_LOCATION, 'client_max_body_size', ['1G']),
    ]);
    assert.equal(applyFixes(MATRIX, text, [f]), matrixConf().replace('client_max_body_size 50M;', 'client_max_body_size 1G;'));
    const bytes = HS.replace('max_upload_size: 50M', 'max_upload_size: 20971520');
    assert.deepEqual(codes(await run({ [MATRIX]: text, [APEX]: apexConf() }, bytes)), []);
  });

  test('equal sizes, 0 (no limit), an http-level value and the default max_upload_size pass', async () => {
    const same = matrixConf().replace('client_max_body_size 50M;', 'client_max_body_size 50m;');
    assert.deepEqual(codes(await run({ [MATRIX]: same, [APEX]: apexConf() })), []);
    const unlimited = matrixConf().replace('client_max_body_size 50M;', 'client_max_body_size 0;');
    assert.deepEqual(codes(await run({ [MATRIX]: unlimited, [APEX]: apexConf() })), []);
    const conf = 'user www-data;\nevents {}\nhttp {\n    client_max_body_size 64M;\n    include /etc/nginx/sites-enabled/*;\n}\n';
    assert.deepEqual(codes(await run({ '/etc/nginx/nginx.conf': conf, [MATRIX]: without, [APEX]: apexConf() })), []);
    // Without max_upload_size Synapse's default 50M applies; without homeserver.yaml too.
    assert.deepEqual(codes(await run({ [MATRIX]: matrixConf(), [APEX]: apexConf() }, HS.replace('max_upload_size: 50M\n', ''))), []);
    assert.deepEqual(codes(await run({ [MATRIX]: without, [APEX]: apexConf() }, null)), ['MXD-RP-002:nginxDefault']);
  });
});

describe('MXD-RP-003 forwarding headers', () => {
  test('a location without any proxy_set_header: missingXff, missingProto, missingHost (info), each added by an edit', async () => {
    const text = matrixConf(`    location ~ ^(/_matrix|/_synapse/client) {
        proxy_pass http://localhost:8008;
        client_max_body_size 50M;
    }`);
    const r = await run({ [MATRIX]: text, [APEX]: apexConf() }, HS_UNTRUSTED);
    assert.deepEqual(codes(r), ['MXD-RP-003:missingXff', 'MXD-RP-003:missingProto', 'MXD-RP-003:missingHost']);
    // With x_forwarded: true the missing X-Forwarded-For is the rate-limits check's error (MXD-RL-002 passThrough).
    assert.deepEqual(codes(await run({ [MATRIX]: text, [APEX]: apexConf() })), ['MXD-RP-003:missingProto', 'MXD-RP-003:missingHost']);
    assert.equal(one(r, 'MXD-RP-003', 'missingXff').severity, 'warning');
    assert.equal(one(r, 'MXD-RP-003', 'missingProto').severity, 'warning');
    const host = one(r, 'MXD-RP-003', 'missingHost');
    assert.equal(host.severity, 'info');
    assert.equal(host.data.upstreamHost, 'localhost:8008');
    assert.deepEqual(host.location, { file: MATRIX, line: 14, column: 5 });
    const files = { [MATRIX]: text, [APEX]: apexConf() };
    assert.deepEqual(
      r.findings.map((f) => f.fix?.edits),
      [
        ['X-Forwarded-For', '$remote_addr'],
        ['X-Forwarded-Proto', '$scheme'],
        ['Host', '$host'],
      ].map((args) => [nginxSet(files, MATRIX, 'matrix.example.com', MATRIX_LOCATION, 'proxy_set_header', args)]),
    );
    const fixed = applyFixes(MATRIX, text, r.findings);
    assert.deepEqual(codes(await run({ [MATRIX]: fixed, [APEX]: apexConf() }, HS_UNTRUSTED)), []);
    // Each header is a line of its own; the second and third follow the first (the others of their kind).
    assert.match(
      fixed,
      / {8}client_max_body_size 50M;\n {8}proxy_set_header X-Forwarded-For \$remote_addr;\n {8}proxy_set_header X-Forwarded-Proto \$scheme;\n {8}proxy_set_header Host \$host;\n {4}\}\n/,
    );
  });

  test('headers set at the server level are inherited by a location without its own', async () => {
    const headers = '    proxy_set_header X-Forwarded-For $remote_addr;\n    proxy_set_header X-Forwarded-Proto $scheme;\n    proxy_set_header Host $host;\n';
    const text = matrixConf(
      `    location ~ ^(/_matrix|/_synapse/client) {\n        proxy_pass http://localhost:8008;\n        client_max_body_size 50M;\n    }`,
      headers,
    );
    assert.deepEqual(codes(await run({ [MATRIX]: text, [APEX]: apexConf() })), []);
  });

  test('one proxy_set_header in the location drops all the server-level ones (dropped), header names case-insensitive', async () => {
    const headers = '    proxy_set_header x-forwarded-for $remote_addr;\n    proxy_set_header X-Forwarded-Proto $scheme;\n    proxy_set_header Host $host;\n';
    const text = matrixConf(
      `    location ~ ^(/_matrix|/_synapse/client) {
        proxy_pass http://localhost:8008;
        proxy_set_header Upgrade $http_upgrade;
        client_max_body_size 50M;
    }`,
      headers,
    );
    const r = await run({ [MATRIX]: text, [APEX]: apexConf() }, HS_UNTRUSTED);
    assert.deepEqual(codes(r), ['MXD-RP-003:dropped', 'MXD-RP-003:dropped', 'MXD-RP-003:dropped']);
    const [xff, proto, host] = r.findings;
    assert.deepEqual(xff.data, { where: `${MATRIX}:17:5`, level: 'server', header: 'x-forwarded-for', hiddenAt: `${MATRIX}:13:5` });
    assert.equal(xff.severity, 'warning');
    assert.equal(proto.data.header, 'X-Forwarded-Proto');
    assert.equal(host.severity, 'info');
    // The copy keeps the header's spelling, and goes into the location next to its own proxy_set_header line.
    const files = { [MATRIX]: text, [APEX]: apexConf() };
    assert.deepEqual(xff.fix?.edits, [nginxSet(files, MATRIX, 'matrix.example.com', MATRIX_LOCATION, 'proxy_set_header', ['x-forwarded-for', '$remote_addr'])]);
    const fixed = applyFixes(MATRIX, text, r.findings);
    assert.match(
      fixed,
      /proxy_set_header Upgrade \$http_upgrade;\n {8}proxy_set_header x-forwarded-for \$remote_addr;\n {8}proxy_set_header X-Forwarded-Proto \$scheme;\n {8}proxy_set_header Host \$host;\n {8}client_max_body_size 50M;\n/,
    );
    assert.deepEqual(codes(await run({ [MATRIX]: fixed, [APEX]: apexConf() }, HS_UNTRUSTED)), []);
  });
});

describe('MXD-RP-004 X-Forwarded-For from $proxy_add_x_forwarded_for', () => {
  test('appended, replaced by $remote_addr', async () => {
    const text = matrixConf().replace('X-Forwarded-For $remote_addr', 'X-Forwarded-For $proxy_add_x_forwarded_for');
    const r = await run({ [MATRIX]: text, [APEX]: apexConf() }, HS_UNTRUSTED);
    assert.deepEqual(codes(r), ['MXD-RP-004:appended']);
    assert.deepEqual(codes(await run({ [MATRIX]: text, [APEX]: apexConf() })), [], 'x_forwarded: true: MXD-RL-002 reports it');
    const f = one(r, 'MXD-RP-004', 'appended');
    assert.equal(f.severity, 'warning');
    assert.deepEqual(f.location, { file: MATRIX, line: 16, column: 9 });
    assert.deepEqual(f.fix?.edits, [
      nginxSet({ [MATRIX]: text, [APEX]: apexConf() }, MATRIX, 'matrix.example.com', MATRIX_LOCATION, 'proxy_set_header', ['X-Forwarded-For', '$remote_addr']),
    ]);
    assert.equal(applyFixes(MATRIX, text, [f]), matrixConf());
  });
});

describe('MXD-RP-005 Matrix paths not proxied to Synapse', () => {
  const headers = `        proxy_set_header X-Forwarded-For $remote_addr;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_set_header Host $host;
        client_max_body_size 50M;`;

  test('only /_matrix routed: /_synapse/client goes to Element (synapseClient)', async () => {
    const r = await run({ [MATRIX]: matrixConf(`    location /_matrix {\n        proxy_pass http://localhost:8008;\n${headers}\n    }`), [APEX]: apexConf() });
    assert.deepEqual(codes(r), ['MXD-RP-005:synapseClient']);
    const f = one(r, 'MXD-RP-005', 'synapseClient');
    assert.equal(f.severity, 'error');
    assert.deepEqual(f.data, { host: 'matrix.example.com', where: `${MATRIX}:1:1` });
    assert.match(String(f.evidence['/_synapse/client/pick_idp']), /^location \/ /);
    assert.match(f.fix?.steps[1] ?? '', /^location \/_synapse\/client \{\n {4}proxy_pass http:\/\/localhost:8008;/);
  });

  test('only /_matrix/client and /_synapse/client routed: media is not (matrix)', async () => {
    const conf = matrixConf(
      `    location /_matrix/client {\n        proxy_pass http://localhost:8008;\n${headers}\n    }\n    location /_synapse/client {\n        proxy_pass http://localhost:8008;\n${headers}\n    }`,
    );
    const r = await run({ [MATRIX]: conf, [APEX]: apexConf() });
    const f = one(r, 'MXD-RP-005', 'matrix');
    assert.equal(f.data.paths, '/_matrix/media');
    assert.match(f.message, /\/_matrix\/media is not proxied to Synapse/);
  });

  test('nothing proxies to Synapse (noProxy, a warning)', async () => {
    const site = `server {\n    listen 443 ssl;\n    server_name www.example.com;\n    root /var/www/html;\n}\n`;
    const r = await run({ '/etc/nginx/sites-enabled/default': site });
    assert.deepEqual(codes(r), ['MXD-RP-005:noProxy']);
    const f = one(r, 'MXD-RP-005', 'noProxy');
    assert.equal(f.severity, 'warning');
    assert.equal(f.data.listeners, '127.0.0.1:8008');
    // Without homeserver.yaml there is nothing to compare with.
    assert.deepEqual(codes(await run({ '/etc/nginx/sites-enabled/default': site }, null)), []);
  });

  test('the Matrix location proxies to another port than Synapse listens on (wrongTarget)', async () => {
    const text = matrixConf().replace('proxy_pass http://localhost:8008;', 'proxy_pass http://127.0.0.1:8080;');
    const r = await run({ [MATRIX]: text, [APEX]: apexConf() });
    assert.deepEqual(codes(r), ['MXD-RP-005:wrongTarget']);
    const f = one(r, 'MXD-RP-005', 'wrongTarget');
    assert.deepEqual(f.data, { where: `${MATRIX}:15:9`, target: 'http://127.0.0.1:8080', listeners: '127.0.0.1:8008' });
    assert.equal(f.fix?.steps[0], `In ${MATRIX}:15:9: proxy_pass http://localhost:8008;`);
  });

  test('a container name on the listener port counts as Synapse when it binds every address', async () => {
    const text = matrixConf().replace('proxy_pass http://localhost:8008;', 'proxy_pass http://synapse:8008;');
    const hs = HS.replace("    bind_addresses: ['::1', '127.0.0.1']\n", '');
    assert.deepEqual(codes(await run({ [MATRIX]: text, [APEX]: apexConf() }, hs)), []);
  });
});

describe('MXD-RP-006 federation port', () => {
  test('server name served directly, no delegation, nothing on 8448 (port8448), fixed by listening on 8448', async () => {
    const text = on443(matrixConf(undefined, '', false));
    const r = await run({ [MATRIX]: text }, HS.replace('server_name: "example.com"', 'server_name: "matrix.example.com"'), 'matrix.example.com');
    assert.deepEqual(codes(r), ['MXD-RP-006:port8448']);
    const f = one(r, 'MXD-RP-006', 'port8448');
    assert.equal(f.severity, 'error');
    assert.deepEqual(f.data, { serverName: 'matrix.example.com', host: 'matrix.example.com' });
    assert.deepEqual(f.fix?.edits, [
      nginxSet({ [MATRIX]: text }, MATRIX, 'matrix.example.com', undefined, 'listen', ['8448', 'ssl']),
      nginxSet({ [MATRIX]: text }, MATRIX, 'matrix.example.com', undefined, 'listen', ['[::]:8448', 'ssl']),
    ]);
    const fixed = applyFixes(MATRIX, text, [f]);
    assert.match(fixed, /listen \[::\]:443 ssl;\n {4}listen 8448 ssl;\n {4}listen \[::\]:8448 ssl;/);
    assert.deepEqual(
      codes(await run({ [MATRIX]: fixed }, HS.replace('server_name: "example.com"', 'server_name: "matrix.example.com"'), 'matrix.example.com')),
      [],
    );
  });

  test('a server_name with a port nobody listens on (explicitPort)', async () => {
    const r = await run({ [MATRIX]: matrixConf() }, HS.replace('server_name: "example.com"', 'server_name: "example.com:8449"'), 'example.com:8449');
    const f = one(r, 'MXD-RP-006', 'explicitPort');
    assert.deepEqual(f.data, { serverName: 'example.com:8449', host: 'example.com', port: 8449 });
    assert.deepEqual(f.location, { file: HS_FILE, line: 1, column: 14, endLine: 1, endColumn: 32 });
  });

  test('the well-known delegates to :8448 but the Matrix host listens on 443 only (delegated), fixed by delegating to :443', async () => {
    const apex = apexConf(WK_SERVER.replace('matrix.example.com:443', 'matrix.example.com:8448') + WK_CLIENT);
    const r = await run({ [MATRIX]: on443(matrixConf()), [APEX]: apex });
    assert.deepEqual(codes(r), ['MXD-RP-006:delegated']);
    const f = one(r, 'MXD-RP-006', 'delegated');
    assert.deepEqual(f.data, { serverName: 'example.com', where: `${APEX}:9:5`, target: 'matrix.example.com:8448', host: 'matrix.example.com', port: 8448 });
    const files = { [MATRIX]: on443(matrixConf()), [APEX]: apex };
    assert.deepEqual(f.fix?.edits, [
      nginxSet(files, APEX, 'example.com', '= /.well-known/matrix/server', 'return', ['200', '{"m.server":"matrix.example.com:443"}']),
    ]);
    const fixed = applyFixes(APEX, apex, [f]);
    assert.match(fixed, /return 200 '\{"m.server":"matrix.example.com:443"\}';/);
    assert.deepEqual(codes(await run({ [MATRIX]: on443(matrixConf()), [APEX]: fixed })), []);
  });

  test("Synapse's guide layout: a website on example.com, federation on example.com:8448 in its own block, no well-known", async () => {
    const apex = `server {
    listen 443 ssl;
    server_name example.com;
    root /var/www/example.com;
}
server {
    listen 8448 ssl;
    listen [::]:8448 ssl;
    server_name example.com;
    location / {
        proxy_pass http://localhost:8008;
    }
}
`;
    // The 8448 block sets no forwarding headers: on a federation-only block that is not reported. Its catch-all
    // location does expose the admin API, which is worth the note.
    assert.deepEqual(codes(await run({ [MATRIX]: on443(matrixConf()), [APEX]: apex })), ['MXD-RP-008:exposed']);
  });

  test('the federation check probed that delegated host and port live: it reports the dead port (MXD-FED-006), this one steps aside; offline it stays', async () => {
    const files = { [MATRIX]: on443(matrixConf()), [APEX]: apexConf(WK_SERVER.replace('matrix.example.com:443', 'matrix.example.com:8448') + WK_CLIENT) };
    const probes = (federation?: unknown) => ({
      nginxConfig: nginxArtifact(files),
      target: { serverName: 'example.com' },
      homeserverConfig: homeserverArtifact(HS, HS_FILE),
      ...(federation ? { federation } : {}),
    });
    const probed = (host: string, port: number) => ({
      checkedAt: Date.now(),
      discovery: {},
      addresses: [
        { address: '127.0.0.1', family: 4, host, port, tls: { ok: false, name: host, sni: true, error: { code: 'CONN_REFUSED', message: 'refused' } } },
      ],
    });
    const judged = async (federation: unknown, alsoRunning: string[]) => codes(coverage.record(await judge(check, probes(federation), { alsoRunning })));
    assert.deepEqual(await judged(probed('matrix.example.com', 8448), ['rate-limits', 'federation']), []);
    assert.deepEqual(
      await judged(undefined, ['rate-limits', 'federation']),
      ['MXD-RP-006:delegated'],
      'offline (no federation result): the files are all there is',
    );
    assert.deepEqual(await judged(probed('matrix.example.com', 8448), ['rate-limits']), ['MXD-RP-006:delegated'], 'without the federation check in the run');
    assert.deepEqual(
      await judged(probed('matrix.example.com', 443), ['rate-limits', 'federation']),
      ['MXD-RP-006:delegated'],
      'live discovery went to another port',
    );
  });

  test('port8448 and explicitPort step aside the same way when the federation check probed that host and port', async () => {
    const hs = HS.replace('server_name: "example.com"', 'server_name: "matrix.example.com"');
    const text = on443(matrixConf(undefined, '', false));
    const federation = {
      checkedAt: Date.now(),
      discovery: {},
      addresses: [{ address: '::1', family: 6, host: 'matrix.example.com', port: 8448, tls: { ok: false, name: 'matrix.example.com', sni: true } }],
    };
    const probes = {
      nginxConfig: nginxArtifact({ [MATRIX]: text }),
      target: { serverName: 'matrix.example.com' },
      homeserverConfig: homeserverArtifact(hs, HS_FILE),
      federation,
    };
    assert.deepEqual(codes(coverage.record(await judge(check, probes, { alsoRunning: ['rate-limits', 'federation'] }))), []);
    const explicit = HS.replace('server_name: "example.com"', 'server_name: "example.com:8449"');
    const fed8449 = { ...federation, addresses: [{ ...federation.addresses[0], host: 'example.com', port: 8449 }] };
    const explicitProbes = {
      nginxConfig: nginxArtifact({ [MATRIX]: matrixConf() }),
      target: { serverName: 'example.com:8449' },
      homeserverConfig: homeserverArtifact(explicit, HS_FILE),
    };
    assert.deepEqual(
      codes(coverage.record(await judge(check, { ...explicitProbes, federation: fed8449 }, { alsoRunning: ['rate-limits', 'federation'] }))),
      [],
    );
    assert.deepEqual(codes(coverage.record(await judge(check, explicitProbes, { alsoRunning: ['rate-limits', 'federation'] }))), ['MXD-RP-006:explicitPort']);
  });

  test('m.server without a port means 8448', async () => {
    const apex = apexConf(WK_SERVER.replace('matrix.example.com:443', 'matrix.example.com') + WK_CLIENT);
    const r = await run({ [MATRIX]: on443(matrixConf()), [APEX]: apex });
    assert.equal(one(r, 'MXD-RP-006', 'delegated').data.port, 8448);
    assert.deepEqual(codes(await run({ [MATRIX]: matrixConf(), [APEX]: apex })), []);
  });
});

describe('MXD-RP-007 well-known delegation', () => {
  test('when the well-known check fetched the file live, the missing location is its finding (MXD-WK-*), not this one', async () => {
    const files = { [MATRIX]: on443(matrixConf()), [APEX]: apexConf(WK_CLIENT) };
    const probes: Record<string, unknown> = {
      nginxConfig: nginxArtifact(files),
      target: { serverName: 'example.com' },
      homeserverConfig: homeserverArtifact(HS, HS_FILE),
      wellKnown: { serverName: 'example.com', serverNameSource: 'server-name', host: 'example.com', ipLiteral: false, server: { status: 404 } },
    };
    assert.deepEqual(codes(await judge(check, probes, { alsoRunning: ['rate-limits', 'well-known'] })), []);
    assert.deepEqual(
      codes(await judge(check, probes, { alsoRunning: ['rate-limits'] })),
      ['MXD-RP-007:server'],
      'without the well-known check it is reported here',
    );
  });

  test('no /.well-known/matrix/server on the server name, nothing on its 8448 (server), added by an edit', async () => {
    const apex = apexConf(WK_CLIENT);
    const r = await run({ [MATRIX]: on443(matrixConf()), [APEX]: apex });
    assert.deepEqual(codes(r), ['MXD-RP-007:server']);
    const f = one(r, 'MXD-RP-007', 'server');
    assert.equal(f.severity, 'error');
    assert.deepEqual(f.data, { serverName: 'example.com', where: `${APEX}:1:1`, matrixHost: 'matrix.example.com' });
    // A whole new location block: nginx-set sets one directive, so this one stays a text edit.
    assert.deepEqual(
      f.fix?.edits.map((e) => e.kind),
      ['text'],
    );
    const fixed = applyFixes(APEX, apex, [f]);
    assert.match(fixed, /return 200 '\{"m.server":"matrix.example.com:443"\}';\n {4}\}\n\}\n$/);
    assert.deepEqual(parseNginx(fixed, APEX).problems, []);
    assert.deepEqual(codes(await run({ [MATRIX]: on443(matrixConf()), [APEX]: fixed })), []);
  });

  test('no /.well-known/matrix/client (client, a warning) pointing at public_baseurl', async () => {
    const apex = apexConf(WK_SERVER);
    const r = await run({ [MATRIX]: on443(matrixConf()), [APEX]: apex });
    assert.deepEqual(codes(r), ['MXD-RP-007:client']);
    const f = one(r, 'MXD-RP-007', 'client');
    assert.equal(f.severity, 'warning');
    assert.equal(f.data.baseUrl, 'https://matrix.example.com');
    const fixed = applyFixes(APEX, apex, [f]);
    assert.match(fixed, /return 200 '\{"m.homeserver":\{"base_url":"https:\/\/matrix.example.com"\}\}';\n {4}\}\n\}\n$/);
    assert.deepEqual(codes(await run({ [MATRIX]: on443(matrixConf()), [APEX]: fixed })), []);
  });

  test('well-knowns proxied to Synapse that does not serve them (synapseDisabled: server error, client warning)', async () => {
    const apex = apexConf('    location /.well-known/matrix/ {\n        proxy_pass http://localhost:8008;\n    }\n');
    const hs = HS.replace('public_baseurl: "https://matrix.example.com/"\n', '');
    const r = await run({ [MATRIX]: on443(matrixConf()), [APEX]: apex }, hs);
    assert.deepEqual(codes(r), ['MXD-RP-007:synapseDisabled', 'MXD-RP-007:synapseDisabled']);
    const [server, client] = r.findings;
    assert.equal(server.severity, 'error');
    assert.equal(server.data.kind, 'server');
    assert.equal(server.data.setting, 'serve_server_wellknown: true');
    assert.deepEqual(server.fix?.edits, [
      { kind: 'yaml-set', file: HS_FILE, path: ['serve_server_wellknown'], value: true, expectSha256: homeserverArtifact(hs).sha256 },
    ]);
    assert.equal(client.severity, 'warning');
    assert.equal(client.data.setting, 'public_baseurl');
    // With serve_server_wellknown Synapse answers example.com:443, which must then route federation: it does not here.
    const served = await run({ [MATRIX]: on443(matrixConf()), [APEX]: apex }, `${HS}serve_server_wellknown: true\n`);
    assert.deepEqual(codes(served), ['MXD-RP-006:delegated']);
    assert.equal(one(served, 'MXD-RP-006', 'delegated').data.target, 'example.com:443');
  });

  test('no server block for the server name at all (noServerBlock, info)', async () => {
    const r = await run({ [MATRIX]: on443(matrixConf()) });
    assert.deepEqual(codes(r), ['MXD-RP-007:noServerBlock']);
    const f = one(r, 'MXD-RP-007', 'noServerBlock');
    assert.equal(f.severity, 'info');
    assert.equal(r.status, 'pass');
    assert.equal(f.data.matrixHost, 'matrix.example.com');
  });

  test('a server name served by the Matrix host itself needs no well-known', async () => {
    const hs = HS.replace('server_name: "example.com"', 'server_name: "matrix.example.com"');
    assert.deepEqual(codes(await run({ [MATRIX]: matrixConf() }, hs, 'matrix.example.com')), []);
  });
});

describe('MXD-RP-008 admin API', () => {
  const withAdmin = matrixConf().replace('^(/_matrix|/_synapse/client)', '^(/_matrix|/_synapse/client|/_synapse/admin)');

  test('/_synapse/admin in the public Matrix location (exposed, info)', async () => {
    const r = await run({ [MATRIX]: withAdmin, [APEX]: apexConf() });
    assert.deepEqual(codes(r), ['MXD-RP-008:exposed']);
    assert.equal(r.status, 'pass');
    assert.deepEqual(one(r, 'MXD-RP-008', 'exposed').data, { where: `${MATRIX}:14:5`, host: 'matrix.example.com' });
  });

  test('a ^~ location restricted with allow/deny, or a loopback-only server block, is fine', async () => {
    const restricted = `    location ^~ /_synapse/admin {
        allow 10.0.0.0/8;
        deny all;
        proxy_pass http://localhost:8008;
    }
`;
    assert.deepEqual(codes(await run({ [MATRIX]: matrixConf(undefined, restricted), [APEX]: apexConf() })), []);
    const local = `server {\n    listen 127.0.0.1:8080;\n    server_name localhost;\n    location / {\n        proxy_pass http://localhost:8008;\n    }\n}\n`;
    assert.deepEqual(codes(await run({ [MATRIX]: matrixConf(), [APEX]: apexConf(), '/etc/nginx/sites-enabled/admin': local })), []);
  });
});

describe('fix edits: nginx-set where it can name the place, text edits where it cannot', () => {
  const hs = HS.replace('server_name: "example.com"', 'server_name: "matrix.example.com"');
  const redirect = 'server {\n    listen 80;\n    server_name matrix.example.com;\n    return 301 https://$host$request_uri;\n}\n\n';

  test('a port-80 block of the same name first: the location edit still finds its block, the server-level one is a text edit', async () => {
    const text = redirect + on443(matrixConf(undefined, '', false)).replace('        client_max_body_size 50M;\n', '');
    const r = await run({ [MATRIX]: text }, hs, 'matrix.example.com');
    assert.deepEqual(codes(r), ['MXD-RP-002:nginxDefault', 'MXD-RP-006:port8448']);
    // nginx-set with a location picks the first block of that name that has the location.
    assert.deepEqual(one(r, 'MXD-RP-002', 'nginxDefault').fix?.edits, [
      nginxSet({ [MATRIX]: text }, MATRIX, 'matrix.example.com', MATRIX_LOCATION, 'client_max_body_size', ['50M']),
    ]);
    // Without one, the name leads to the redirect block: the listens go in by a text edit after the last listen.
    assert.deepEqual(
      one(r, 'MXD-RP-006', 'port8448').fix?.edits.map((e) => e.kind),
      ['text'],
    );
    const fixed = applyFixes(MATRIX, text, r.findings);
    assert.ok(fixed.startsWith(redirect), 'the redirect block is untouched');
    assert.match(fixed, /listen \[::\]:443 ssl;\n {4}listen 8448 ssl;\n {4}listen \[::\]:8448 ssl;\n/);
    assert.deepEqual(codes(await run({ [MATRIX]: fixed }, hs, 'matrix.example.com')), []);
  });

  test('a value from a given snippet is replaced in the snippet by a text edit; applying twice changes nothing', async () => {
    const snippet = '/etc/nginx/snippets/synapse-limits.conf';
    const location = `    location ~ ^(/_matrix|/_synapse/client) {
        proxy_pass http://localhost:8008;
        proxy_set_header X-Forwarded-For $remote_addr;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_set_header Host $host;
        include snippets/synapse-limits.conf;
    }`;
    const files = { [MATRIX]: matrixConf(location), [APEX]: apexConf(), [snippet]: 'client_max_body_size 10M;\n' };
    const r = await run(files);
    const f = one(r, 'MXD-RP-002', 'smaller');
    assert.deepEqual(f.fix?.edits, [
      { kind: 'text', file: snippet, start: 0, end: 25, text: 'client_max_body_size 50M;', expectSha256: shaOf(files, snippet) },
    ]);
    const fixed = applyFixes(snippet, files[snippet], [f]);
    assert.equal(fixed, 'client_max_body_size 50M;\n');
    assert.deepEqual(codes(await run({ ...files, [snippet]: fixed })), []);
  });

  test('declarative edits are idempotent: applied to their own result they change nothing', async () => {
    const text = matrixConf(`    location ~ ^(/_matrix|/_synapse/client) {
        proxy_pass http://localhost:8008/;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        client_max_body_size 10M;
    }`);
    const r = await run({ [MATRIX]: text, [APEX]: apexConf() }, HS_UNTRUSTED);
    assert.deepEqual(codes(r), ['MXD-RP-001:regex', 'MXD-RP-004:appended', 'MXD-RP-003:missingProto', 'MXD-RP-003:missingHost', 'MXD-RP-002:smaller']);
    assert.ok(r.findings.every((f) => f.fix?.edits.every((e) => e.kind === 'nginx-set')));
    const once = applyFixes(MATRIX, text, r.findings);
    const twice = applyToText(MATRIX, once, r.findings);
    assert.equal(twice.after, once);
    assert.deepEqual(twice.refused, []);
    assert.deepEqual(twice.applied, [], 'nothing left to change');
    assert.deepEqual(codes(await run({ [MATRIX]: once, [APEX]: apexConf() }, HS_UNTRUSTED)), []);
  });
});

test('every code and message of reverse-proxy is produced by some test above', () => {
  assert.deepEqual(coverage.missing(), []);
});
