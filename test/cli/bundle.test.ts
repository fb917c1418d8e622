// `matrixdoc bundle` through the built binary on copies of the seed deployment (plus a coturn config,
// a log full of tokens, the deployment notes), and the tar writer on its own. The bundle must be a
// valid gzipped ustar archive (mode 0600, written atomically) with the report, the configs, versions
// and the triage of the logs, and no secret of the fixtures may appear anywhere in it: not plain, not
// base64 (any alignment, standard or URL alphabet), not URL-encoded, not JSON-escaped, in no member
// and not in the raw decompressed tar bytes.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { parse } from 'yaml';
import type { Report } from '../../src/engine/types.js';
import { type ConfigKind, probeVersions, scrubConfigText } from '../../src/report/bundle.js';
import { Redactor } from '../../src/report/redact.js';
import { createTar, readTar, type TarMember } from '../../src/report/tar.js';
import { runCli, SEED } from '../helpers/cli.js';
import { assertValidReport } from '../helpers/schema.js';
import { assertNoSecret } from '../helpers/secret-forms.js';
import { seedSecrets } from '../helpers/seed-secrets.js';
import { tempDirs } from '../helpers/temp.js';
import { ensureBuilt } from '../triage/build.js';

const SEED_NOTES = '/work/shared/seeds/000_8023b107befaf59b.txt';

const tmp = tempDirs('matrixdoc-bundle-');

const COTURN_SECRETS = { user: 'Tr0ub4dor&3coturn', cli: 'CliPa55word!x' };
const COTURN = [
  '# coturn for xfoss.com',
  'listening-port=3478',
  'use-auth-secret',
  'static-auth-secret=some_pre-shared_key',
  'realm=xfoss.com',
  `user=admin:${COTURN_SECRETS.user}`,
  `cli-password=${COTURN_SECRETS.cli}`,
  'denied-peer-ip=10.0.0.0-10.255.255.255',
  '',
].join('\n');

const LOG_SECRETS = {
  token: 'syt_YWxpY2U_aBcDeFgHiJkLmNoPqRsT_1a2b3c',
  bearer: 'syt_Ym9i_ZyXwVuTsRqPoNmLkJiHg_4d5e6f',
  password: 'CorrectHorse-Battery9',
  jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJyb29tIjoiKiJ9.c2lnbmF0dXJlLXBhcnQ',
};
const LOG = [
  `2024-06-18 09:03:00,444 - synapse.access.http.8008 - 643 - INFO - POST-1109 - ::1 - 8008 - {None} Processed request: 0.503sec 59B 429 "POST /_matrix/client/v3/login?access_token=${LOG_SECRETS.token} HTTP/1.1" M_LIMIT_EXCEEDED`,
  `Authorization: Bearer ${LOG_SECRETS.bearer} -> {"errcode":"M_LIMIT_EXCEEDED","retry_after_ms":2000}`,
  `{"type":"m.login.password","user":"alice","password":"${LOG_SECRETS.password}","errcode":"M_LIMIT_EXCEEDED"}`,
  `WebSocket connection to 'wss://meet.xfoss.com/xmpp-websocket?room=x&jwt=${LOG_SECRETS.jwt}' failed`,
  'ldap3.core.exceptions.LDAPBindError: automatic bind not successful - invalidCredentials (bind_password=some_secret)',
  '',
].join('\n');

/** The seed copied with a coturn config in its profile. */
function seedCopy(opts: { tab?: boolean } = {}): { dir: string; profile: string; log: string } {
  const dir = tmp();
  cpSync(SEED, dir, { recursive: true });
  writeFileSync(path.join(dir, 'turnserver.conf'), COTURN);
  const profile = path.join(dir, 'matrixdoc-logs.yaml');
  writeFileSync(profile, `${readFileSync(profile, 'utf8')}coturn-config: turnserver.conf\n`);
  if (opts.tab) {
    const hs = path.join(dir, 'synapse/homeserver.yaml');
    const text = readFileSync(hs, 'utf8');
    assert.ok(text.includes('    password: "some_secret"'));
    writeFileSync(hs, text.replace('    password: "some_secret"', '    password:\t"some_secret"').replace('form_secret: "', 'form_secret:\t"'));
  }
  const log = path.join(dir, 'support.log');
  writeFileSync(log, LOG);
  return { dir, profile, log };
}

function bundleOf(file: string): { tar: Buffer; members: TarMember[]; byName: Map<string, string>; root: string } {
  const tar = gunzipSync(readFileSync(file));
  const members = readTar(tar);
  const root = members[0].name.replace(/\/$/, '');
  const byName = new Map(members.filter((m) => m.type === 'file').map((m) => [m.name.slice(root.length + 1), m.data.toString('utf8')]));
  return { tar, members, byName, root };
}

describe('matrixdoc bundle', () => {
  before(() => ensureBuilt('bundle', 'triage'));

  test('the seed with its log, a coturn config, a ticket full of tokens and the notes: everything inside, no secret anywhere', async () => {
    const seed = seedCopy();
    const out = path.join(tmp(), 'bundle.tar.gz');
    // An older file at the output path is replaced whole (rename), and gets mode 0600.
    writeFileSync(out, 'old', { mode: 0o644 });
    const r = await runCli(['bundle', '--profile', seed.profile, '--offline', '-o', out, '--log', seed.log, '--log', SEED_NOTES], { timeoutMs: 60_000 });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^wrote .*bundle\.tar\.gz \([\d.]+ KiB, mode 0600\)/);
    assert.equal(statSync(out).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(path.dirname(out)), ['bundle.tar.gz'], 'no temporary file left behind');

    const { tar, members, byName, root } = bundleOf(out);
    assert.match(root, /^matrixdoc-bundle-\d{8}-\d{6}$/);
    assert.ok(members.every((m) => m.name === `${root}/` || m.name.startsWith(`${root}/`)));
    assert.ok(members.every((m) => (m.type === 'dir' ? m.mode === 0o700 : m.mode === 0o600)));
    for (const name of [
      'README.txt',
      'report.json',
      'report.txt',
      'versions.json',
      'triage.json',
      'probes/probes.json',
      'config/synapse/homeserver.yaml',
      'config/element/config.matrix.xfoss.com.json',
      'config/jitsi/.env',
      'config/nginx/matrix.conf',
      'config/nginx/xfoss-com.conf',
      'config/coturn/turnserver.conf',
    ]) {
      assert.ok(byName.has(name), `no ${name} in ${[...byName.keys()].join(', ')}`);
    }
    // GNU tar reads it too.
    const listing = execFileSync('tar', ['-tzf', out], { encoding: 'utf8' });
    assert.ok(listing.includes(`${root}/config/synapse/homeserver.yaml`));

    // The report, as check --json makes it.
    const report = JSON.parse(byName.get('report.json') as string) as Report;
    assertValidReport(report);
    assert.equal(report.target.serverName, 'xfoss.com');
    assert.ok(report.checks.some((c) => c.id === 'rate-limits' && c.findings.some((f) => f.code === 'MXD-RL-001')));
    assert.match(byName.get('report.txt') as string, /^matrixdoc \S+ for xfoss\.com \(offline: files only\)/);

    // Versions: matrixdoc, node, the OS, and Element's version from the folder nginx serves it from.
    const versions = JSON.parse(byName.get('versions.json') as string);
    assert.equal(versions.node, process.version);
    assert.match(versions.matrixdoc, /^\d+\.\d+\.\d+/);
    assert.ok(versions.os.kernel);
    assert.ok(versions.components.some((c: { name: string; version: string }) => c.name === 'Element Web' && c.version === 'v1.11.76'));

    // The triage of each log: the support log, the notes and the profile's Synapse log.
    const triage = JSON.parse(byName.get('triage.json') as string);
    assert.equal(triage.schemaVersion, 1);
    const logs = triage.logs as { file: string; triage: { causes: { id: string }[] } }[];
    assert.equal(logs.length, 3);
    const causesOf = (f: string) => (logs.find((l) => l.file === f)?.triage.causes ?? []).map((c) => c.id);
    assert.equal(causesOf(seed.log)[0], 'rate-limit');
    assert.ok(causesOf(SEED_NOTES).includes('public-baseurl'));
    assert.equal(causesOf(path.join(seed.dir, 'synapse/homeserver.log'))[0], 'rate-limit');

    // Configs: secrets replaced, everything else as it was.
    const hs = byName.get('config/synapse/homeserver.yaml') as string;
    assert.match(hs, /^server_name: "xfoss\.com"$/m);
    assert.match(hs, /^ {4}password: "<redacted:[0-9a-f]{8}>"$/m);
    assert.match(hs, /^turn_shared_secret: "<redacted:[0-9a-f]{8}>"$/m);
    const tagOf = (text: string, re: RegExp) => (re.exec(text) as RegExpExecArray)[1];
    // Equal secrets, equal tags: the database and LDAP passwords, the TURN secret in Synapse and coturn.
    assert.equal(tagOf(hs, /^ {4}password: "(<redacted:[0-9a-f]{8}>)"/m), tagOf(hs, /bind_password: "(<redacted:[0-9a-f]{8}>)"/));
    const coturn = byName.get('config/coturn/turnserver.conf') as string;
    assert.equal(tagOf(hs, /^turn_shared_secret: "(<redacted:[0-9a-f]{8}>)"/m), tagOf(coturn, /^static-auth-secret=(<redacted:[0-9a-f]{8}>)$/m));
    assert.match(coturn, /^user=admin:<redacted:[0-9a-f]{8}>$/m);
    assert.match(coturn, /^realm=xfoss\.com$/m);
    assert.match(byName.get('config/element/config.matrix.xfoss.com.json') as string, /style\.json\?key=<redacted:[0-9a-f]{8}>"/);
    // A file path under a key-like nginx directive is no secret.
    assert.match(byName.get('config/nginx/matrix.conf') as string, /ssl_certificate_key \/etc\/ssl\/certs\/xfoss\.com\/_\.xfoss\.com\.privatekey\.pem;/);
    assert.equal(byName.get('config/jitsi/.env'), readFileSync(path.join(seed.dir, 'jitsi/.env'), 'utf8'));

    const readme = byName.get('README.txt') as string;
    assert.match(readme, /secret was replaced by <redacted:TAG>/);
    assert.match(readme, /config\/synapse\/homeserver\.yaml {2}<- {2}.*synapse\/homeserver\.yaml/);
    assert.match(readme, /The logs themselves are NOT in the bundle/);

    // No secret anywhere: each member, and the raw tar.
    const secrets = [...seedSecrets(seed.dir), ...Object.values(COTURN_SECRETS), ...Object.values(LOG_SECRETS)];
    assert.ok(secrets.length >= 12, secrets.join(' '));
    for (const m of members) assertNoSecret(secrets, m.name, m.data.toString('utf8'));
    assertNoSecret(secrets, 'the decompressed tar', tar.toString('latin1'));
    assertNoSecret(secrets, 'stdout', r.stdout + r.stderr);
  });

  test('a homeserver.yaml that does not parse (tabs) is still scrubbed line by line', async () => {
    const seed = seedCopy({ tab: true });
    const out = path.join(tmp(), 'tab.tar.gz');
    const r = await runCli(['bundle', '--profile', seed.profile, '--offline', '--output', out], { timeoutMs: 60_000 });
    assert.equal(r.code, 0, r.stderr);
    const { tar, members, byName } = bundleOf(out);
    const hs = byName.get('config/synapse/homeserver.yaml') as string;
    assert.match(hs, /^ {4}password:\t"<redacted:[0-9a-f]{8}>"$/m);
    assert.match(hs, /^form_secret:\t"<redacted:[0-9a-f]{8}>"$/m);
    const report = JSON.parse(byName.get('report.json') as string) as Report;
    assert.ok(report.checks.some((c) => c.findings.some((f) => f.code === 'MXD-HS-001')));
    const secrets = [...seedSecrets(SEED), ...Object.values(COTURN_SECRETS)];
    for (const m of members) assertNoSecret(secrets, m.name, m.data.toString('utf8'));
    assertNoSecret(secrets, 'the decompressed tar', tar.toString('latin1'));
  });

  test('bad output name and unwritable folder: exit 2, nothing written', async () => {
    const seed = seedCopy();
    const bad = await runCli(['bundle', '--profile', seed.profile, '--offline', '-o', path.join(tmp(), 'bundle.zip')]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /should end in \.tar\.gz/);
    const missing = await runCli(['bundle', '--profile', seed.profile, '--offline', '-o', '/nonexistent-dir/b.tar.gz']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^matrixdoc: error: .*cannot write \/nonexistent-dir\/b\.tar\.gz: ENOENT/m);
  });

  test('a log that cannot be read is reported, the bundle is still written', async () => {
    const seed = seedCopy();
    const out = path.join(tmp(), 'b.tar.gz');
    const r = await runCli(['bundle', '--profile', seed.profile, '--offline', '-o', out, '--log', '/nonexistent/x.log']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /warning: log not triaged: cannot read \/nonexistent\/x\.log: no such file/);
    const triage = JSON.parse(bundleOf(out).byName.get('triage.json') as string);
    assert.ok(triage.logs.some((l: { file: string; error?: string }) => l.file === '/nonexistent/x.log' && l.error));
  });
});

describe('the tar writer', () => {
  test('round trip: folders, files, empty files, long names in the ustar prefix, binary data', () => {
    const long = `${'d'.repeat(60)}/${'e'.repeat(60)}/${'f'.repeat(90)}.txt`;
    const binary = Buffer.from([0, 1, 2, 255, 254, 0x1f, 0x8b]);
    const tar = createTar([
      { name: 'top/' },
      { name: 'top/a.txt', data: 'hello\n' },
      { name: 'top/empty', data: '' },
      { name: `top/${long}`, data: 'x'.repeat(1000) },
      { name: 'top/bin', data: binary, mode: 0o644 },
    ]);
    assert.equal(tar.length % 512, 0);
    const members = readTar(tar);
    assert.deepEqual(
      members.map((m) => [m.name, m.type, m.mode, m.data.length]),
      [
        ['top/', 'dir', 0o700, 0],
        ['top/a.txt', 'file', 0o600, 6],
        ['top/empty', 'file', 0o600, 0],
        [`top/${long}`, 'file', 0o600, 1000],
        ['top/bin', 'file', 0o644, binary.length],
      ],
    );
    assert.deepEqual(members[4].data, binary);
    // GNU tar agrees, long name included.
    const dir = tmp('matrixdoc-tar-');
    const file = path.join(dir, 't.tar');
    writeFileSync(file, tar);
    execFileSync('tar', ['-xf', file, '-C', dir]);
    assert.equal(readFileSync(path.join(dir, 'top', long), 'utf8'), 'x'.repeat(1000));
    assert.ok(existsSync(path.join(dir, 'top/empty')));
  });

  test('unsafe or impossible names are refused', () => {
    for (const name of ['/etc/passwd', 'a/../../b', 'naïve.txt', `${'x'.repeat(101)}`]) {
      assert.throws(() => createTar([{ name, data: 'x' }]), /tar: /, name);
    }
  });
});

describe('config scrubbing, by syntax', () => {
  const scrub = (kind: ConfigKind, text: string) => {
    const redactor = new Redactor();
    const out = redactor.text(scrubConfigText(kind, text, redactor));
    return { out, redactor };
  };
  const TAG = /<redacted:[0-9a-f]{8}>/;

  test('YAML: quoted, plain with a comment, flow list, flow map, block scalar, list item; other keys untouched', () => {
    const { out } = scrub(
      'synapse',
      [
        'server_name: "example.com"',
        "registration_shared_secret: 'it''s-a-secret'",
        'macaroon_secret_key: plainSecret123 # keep me',
        'turn_shared_secret: ["listSecret1", "listSecret2"]',
        'database: {name: psycopg2, args: {user: synapse, password: flowPass99}}',
        'app_service_token: |',
        '  blockLine1-secret',
        '  blockLine2-secret',
        'after_block: visible',
        'modules:',
        '  - module: x',
        '    bind_password: "itemPass77"',
        'signing_key_path: /etc/matrix-synapse/example.com.signing.key',
        'enable_registration: false',
      ].join('\n'),
    );
    for (const s of [
      "it's-a-secret",
      "it''s-a-secret",
      'plainSecret123',
      'listSecret1',
      'listSecret2',
      'flowPass99',
      'blockLine1',
      'blockLine2',
      'itemPass77',
    ]) {
      assert.ok(!out.includes(s), `${s} in:\n${out}`);
    }
    assert.match(out, /^server_name: "example\.com"$/m);
    assert.match(out, /^macaroon_secret_key: <redacted:[0-9a-f]{8}> # keep me$/m);
    assert.match(out, /^after_block: visible$/m);
    assert.match(out, /^signing_key_path: \/etc\/matrix-synapse\/example\.com\.signing\.key$/m);
    assert.match(out, /args: \{user: synapse, password: <redacted:[0-9a-f]{8}>\}/);
    // The result is still YAML, with the same keys.
    const parsed = parse(out) as Record<string, unknown>;
    assert.deepEqual(Object.keys(parsed).slice(0, 3), ['server_name', 'registration_shared_secret', 'macaroon_secret_key']);
  });

  test('JSON, even when invalid; numbers under secret keys too', () => {
    const { out } = scrub('element', '{\n  "brand": "Element",\n  "api_key": "jsonSecret-1",\n  "pin_secret": 123456,\n  "broken": \n}');
    assert.ok(!out.includes('jsonSecret-1') && !out.includes('123456'), out);
    assert.match(out, /"brand": "Element"/);
    assert.match(out, /"api_key": "<redacted:[0-9a-f]{8}>"/);
  });

  test('.env: quoted, unquoted with a comment, export; empty values stay empty', () => {
    const { out } = scrub(
      'jitsi',
      'export JVB_AUTH_PASSWORD="envSecret-1"\nJICOFO_AUTH_PASSWORD=envSecret-2 # generated\nJIBRI_XMPP_PASSWORD=\nPUBLIC_URL=https://meet.example.com\n',
    );
    assert.ok(!out.includes('envSecret-1') && !out.includes('envSecret-2'), out);
    assert.match(out, /^JIBRI_XMPP_PASSWORD=$/m);
    assert.match(out, /^PUBLIC_URL=https:\/\/meet\.example\.com$/m);
    assert.match(out, /^JICOFO_AUTH_PASSWORD=<redacted:[0-9a-f]{8}> # generated$/m);
  });

  test('coturn: static-auth-secret, user=name:password, cli-password, userdb', () => {
    const { out } = scrub(
      'coturn',
      'static-auth-secret=coturnSecret1\nuser=alice:alicePass2\n--cli-password cliPass3\npsql-userdb="host=db dbname=coturn user=coturn password=dbPass4"\nrealm=example.com\n',
    );
    for (const s of ['coturnSecret1', 'alicePass2', 'cliPass3', 'dbPass4']) assert.ok(!out.includes(s), `${s} in:\n${out}`);
    assert.match(out, /^user=alice:<redacted:[0-9a-f]{8}>$/m);
    assert.match(out, /^realm=example\.com$/m);
  });

  test('nginx: secret headers and directives, Basic credentials, credentials in URLs; file paths kept', () => {
    const { out } = scrub(
      'nginx',
      [
        'proxy_set_header X-Api-Key "nginxKey-1";',
        'proxy_set_header Authorization "Basic YWxpY2U6c2VjcmV0cGFzcw==";',
        'proxy_pass https://user:urlPass-3@backend.example.com/?access_token=nginxTok-4;',
        'ssl_certificate_key /etc/ssl/private/key.pem;',
        'auth_jwt_key "jwtKey-5";',
      ].join('\n'),
    );
    for (const s of ['nginxKey-1', 'YWxpY2U6c2VjcmV0cGFzcw', 'urlPass-3', 'nginxTok-4', 'jwtKey-5']) assert.ok(!out.includes(s), `${s} in:\n${out}`);
    assert.match(out, /ssl_certificate_key \/etc\/ssl\/private\/key\.pem;/);
    assert.match(out, TAG);
  });

  test('a secret found in one file is replaced in every other text', () => {
    const redactor = new Redactor();
    scrubConfigText('synapse', 'turn_shared_secret: "sharedAcross-1"\n', redactor);
    assert.equal(redactor.text('# copied: sharedAcross-1'), `# copied: ${redactor.tag('sharedAcross-1')}`);
  });
});

describe('versions', () => {
  test('from federation answers, Server headers, the TURN server and PostgreSQL, and Element folder names', () => {
    const ok = (value: unknown) => ({ status: 'ok' as const, value, durationMs: 1 });
    const v = probeVersions({
      wellKnown: ok({ delegation: { server: { name: 'Synapse', version: '1.98.0' }, serverHeader: 'nginx/1.22.1' } }),
      clientVersions: ok([{ serverHeader: 'nginx' }]),
      turnStun: ok({ binding: { software: "Coturn-4.6.1 'Gorst'" } }),
      database: ok({ server: { versionNum: 150005, version: '15.5 (Debian 15.5-0+deb12u1)' } }),
      nginxConfig: ok({ files: [{ parsed: { directives: [{ name: 'alias', args: ['/home/it/element-v1.11.76'] }] } }] }),
      homeserverConfig: { status: 'skipped', reason: 'x', durationMs: 0 },
    });
    const byName = Object.fromEntries(v.map((c) => [`${c.name} ${c.version}`, c.source]));
    for (const k of ['Synapse 1.98.0', 'nginx 1.22.1', 'coturn 4.6.1', 'PostgreSQL 15.5 (Debian 15.5-0+deb12u1)', 'Element Web v1.11.76'])
      assert.ok(k in byName, `${k} not in ${Object.keys(byName).join('; ')}`);
    assert.ok(v.some((c) => c.name === 'nginx' && /not shown/.test(c.version)));
  });
});
