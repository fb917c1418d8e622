// rate-limits: every code and message, every rc_* limiter Synapse reads (defaults, blocks, int() of
// burst_count, the "too high" thresholds), the legacy flat keys, the proxy_pass ↔ listener matching with
// nginx's proxy_set_header inheritance, and the live/log inputs. All through the real engine (judge), no I/O.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { parseDocument } from 'yaml';
import check from '../../checks/rate-limits/index.js';
import { HIGH_FACTOR_OTHER, HIGH_FACTOR_SENSITIVE, LIMITERS } from '../../checks/rate-limits/rc-facts.js';
import type { CheckResult, Edit, Finding } from '../../src/engine/types.js';
import { applyToText } from '../../src/fix/apply.js';
import type { RateLimitOverridesArtifact } from '../../src/probes/admin-overrides.js';
import type { LoginAttempt, LoginRateArtifact } from '../../src/probes/login-rate.js';
import { type SynapseLogArtifact, summariseSynapseLog } from '../../src/probes/synapse-log.js';
import { SEED } from '../helpers/cli.js';
import { Coverage, codes, homeserverArtifact, judge, nginxArtifact, one } from '../helpers/judge.js';

const HS = '/etc/matrix-synapse/homeserver.yaml';
const SITE = '/etc/nginx/sites-enabled/matrix.conf';
const coverage = new Coverage(check);

async function run(yaml: string, extra: Record<string, unknown> = {}): Promise<CheckResult> {
  return coverage.record(await judge(check, { homeserverConfig: homeserverArtifact(yaml, HS), ...extra }));
}

const BASE = 'server_name: example.com\nreport_stats: false\n';
const LISTENER = (extra = '', binds = "['::1', '127.0.0.1']") =>
  `listeners:\n  - port: 8008\n    tls: false\n    type: http\n${extra}    bind_addresses: ${binds}\n    resources:\n      - names: [client, federation]\n        compress: false\n`;

/** A matrix server block proxying /_matrix to `pass`, with `headers` inside the location and `serverHeaders` at server level. */
function site(
  pass = 'http://localhost:8008',
  headers = 'proxy_set_header X-Forwarded-For $remote_addr;\n        proxy_set_header X-Forwarded-Proto $scheme;',
  serverHeaders = '',
) {
  return `server {
    listen 443 ssl;
    server_name matrix.example.com;
    ${serverHeaders}
    location ~ ^(/_matrix|/_synapse/client) {
        proxy_pass ${pass};
        ${headers}
    }
}
`;
}
const nginx = (text: string, file = SITE) => nginxArtifact({ [file]: text });

function applyYaml(text: string, edits: Edit[]): string {
  const doc = parseDocument(text);
  for (const e of edits) {
    if (e.kind === 'yaml-set') doc.setIn(e.path, e.value);
    else if (e.kind === 'yaml-delete') doc.deleteIn(e.path);
  }
  return doc.toString();
}

/** Applies a finding's edits of one nginx file through the fix engine (nginx-set/-delete by its surgical editor, text as is). */
function applyNginx(text: string, f: Finding, file = SITE): string {
  const out = applyToText(file, text, [f]);
  assert.deepEqual(
    out.refused.map((r) => r.reason),
    [],
  );
  return out.after;
}

/** The kinds of a finding's edits of one file. */
const kindsIn = (f: Finding, file = SITE) => f.fix?.edits.filter((e) => e.file === file).map((e) => e.kind);

const rl = (r: CheckResult) => codes(r).filter((c) => !c.startsWith('MXD-RL-005'));

after(() => {
  assert.deepEqual(coverage.missing(), [], 'code:messageId pairs no test produced');
});

describe('rate-limits: status and inputs', () => {
  test('skip without homeserver.yaml, error when --synapse-log could not be read (the rest is still judged)', async () => {
    const skipped = await judge(check, { homeserverConfig: { status: 'skipped', reason: 'no homeserver.yaml given (--homeserver-config)', durationMs: 0 } });
    assert.equal(skipped.status, 'skip');
    const errored = await judge(check, {
      homeserverConfig: homeserverArtifact(BASE, HS),
      synapseLog: { status: 'error', error: { code: 'FILE_NOT_FOUND', message: '--synapse-log /x: no such file' }, durationMs: 0 },
    });
    assert.equal(errored.status, 'error');
    assert.match(errored.reason ?? '', /synapseLog: FILE_NOT_FOUND/);
    assert.deepEqual(codes(errored), ['MXD-RL-005:summary']);
  });

  test('a homeserver.yaml PyYAML cannot read is left to homeserver-config', async () => {
    const r = await run(`${BASE}listeners:\n\t- port: 8008\n`);
    assert.deepEqual(r.findings, []);
  });

  test('defaults only: one info summary, status pass, 21 limiters in the table', async () => {
    const r = await run(BASE);
    assert.equal(r.status, 'pass');
    const f = one(r, 'MXD-RL-005', 'summary');
    assert.equal(f.severity, 'info');
    assert.equal(
      f.message,
      '0 of 21 rate limiters differ from Synapse’s defaults (none); rc_login.address allows 5 logins per client address, then one every ~333 s.',
    );
    const table = f.evidence.table as { limiter: string }[];
    assert.deepEqual(
      table.map((t) => t.limiter),
      LIMITERS.map((l) => l.key),
    );
    assert.equal(f.evidence.rc_admin_redaction, 'not set: room admins’ redactions count against rc_message');
    assert.deepEqual(f.evidence.rc_federation, { window_size: 1000, sleep_limit: 10, sleep_delay: 500, reject_limit: 50, concurrent: 3, setBy: 'default' });
  });
});

describe('rate-limits: every rc_* limiter', () => {
  for (const fact of LIMITERS) {
    const parts = fact.key.split('.');
    const yamlBlock = (ps: number, bc: number) =>
      `${parts.map((p, i) => `${'  '.repeat(i)}${p}:`).join('\n')}\n${'  '.repeat(parts.length)}per_second: ${ps}\n${'  '.repeat(parts.length)}burst_count: ${bc}\n`;
    const threshold = fact.sensitive ? HIGH_FACTOR_SENSITIVE : HIGH_FACTOR_OTHER;

    test(`${fact.key}: default ${fact.perSecond}/${fact.burstCount}, read from its block, too high from ${threshold}×`, async () => {
      // Below the threshold: a local decision, reported only as changed in the summary.
      const raised = await run(BASE + yamlBlock(fact.perSecond * 2, fact.burstCount));
      assert.deepEqual(rl(raised), [], fact.key);
      const row = (one(raised, 'MXD-RL-005').evidence.table as Record<string, unknown>[]).find((t) => t.limiter === fact.key);
      assert.deepEqual([row?.per_second, row?.burst_count, row?.set_by], [fact.perSecond * 2, fact.burstCount, 'block']);
      assert.match(one(raised, 'MXD-RL-005').message, new RegExp(`^1 of 21 .*\\(${fact.key.replace('.', '\\.')}\\)`));

      const high = await run(BASE + yamlBlock(fact.perSecond, fact.burstCount * threshold));
      const f = one(high, 'MXD-RL-003', 'tooHigh');
      assert.equal(f.severity, 'warning');
      assert.equal(f.data.limiter, fact.key);
      assert.equal(f.data.factor, String(threshold));
      // What it limits: the limiter's key in data, the words in the message.
      assert.equal(f.data.limits, fact.key);
      assert.ok(f.message.endsWith(`so it no longer limits ${fact.limits}.`), f.message);
      assert.deepEqual(f.location?.line, 2 + parts.length);
      const edits = f.fix?.edits ?? [];
      assert.deepEqual(
        edits.map((e) => (e.kind === 'yaml-set' ? [e.path.join('.'), e.value] : [])),
        [
          [`${fact.key}.per_second`, fact.perSecond],
          [`${fact.key}.burst_count`, fact.burstCount],
        ],
      );
      // Applying the fix's edits brings the limiter back to its default.
      const fixed = await run(applyYaml(BASE + yamlBlock(fact.perSecond, fact.burstCount * threshold), edits));
      assert.deepEqual(rl(fixed), []);
      if (fact.sensitive) assert.match(f.fix?.steps.join('\n') ?? '', /Per-user overrides do not apply/);
      else assert.match(f.fix?.steps.join('\n') ?? '', /override_ratelimit/);
    });
  }

  test('burst_count is int()-cast for blocks; a partial block keeps the other default; strings are invalid, not judged', async () => {
    const r = await run(`${BASE}rc_login:\n  address:\n    burst_count: 7.9\nrc_joins:\n  local:\n    per_second: "a lot"\n`);
    const table = one(r, 'MXD-RL-005').evidence.table as Record<string, unknown>[];
    const address = table.find((t) => t.limiter === 'rc_login.address');
    assert.deepEqual([address?.per_second, address?.burst_count], [0.003, 7]);
    assert.match(String(one(r, 'MXD-RL-005').evidence['rc_joins.local']), /^invalid/);
    assert.deepEqual(rl(r), []);
  });

  test('rc_admin_redaction and the legacy federation_rc_* keys show in the evidence', async () => {
    const r = await run(`${BASE}rc_admin_redaction: {}\nfederation_rc_concurrent: 5\n`);
    const ev = one(r, 'MXD-RL-005').evidence;
    assert.deepEqual(ev.rc_admin_redaction, { per_second: 0.17, burst_count: 3 });
    assert.equal((ev.rc_federation as Record<string, unknown>).concurrent, 5);
    assert.equal((ev.rc_federation as Record<string, unknown>).setBy, 'federation_rc_* (legacy)');
  });
});

describe('rate-limits: the legacy flat message keys', () => {
  test('the seed: 200000 / 100000 set rc_message, 10⁶× the default; they never limited logins', async () => {
    const text = readFileSync(path.join(SEED, 'synapse/homeserver.yaml'), 'utf8');
    const r = await run(text);
    const high = one(r, 'MXD-RL-003', 'tooHighLegacy');
    assert.equal(high.data.factor, '1000000');
    assert.equal(high.location?.line, 42);
    assert.match(high.message, /never limited logins/);
    const edits = high.fix?.edits ?? [];
    assert.deepEqual(
      edits.map((e) => `${e.kind}:${(e as { path: unknown[] }).path.join('.')}`),
      ['yaml-set:rc_message', 'yaml-set:rc_login', 'yaml-delete:rc_messages_per_second', 'yaml-delete:rc_message_burst_count'],
    );
    assert.deepEqual((edits[0] as { value: unknown }).value, { per_second: 0.2, burst_count: 10 });
    assert.deepEqual((edits[1] as { value: unknown }).value, {
      address: { per_second: 0.003, burst_count: 5 },
      account: { per_second: 0.003, burst_count: 5 },
      failed_attempts: { per_second: 0.17, burst_count: 3 },
    });
    const legacy = one(r, 'MXD-RL-004', 'legacyActive');
    assert.equal(legacy.severity, 'info');
    assert.deepEqual(legacy.evidence.neverLimits, ['rc_login.address', 'rc_login.account', 'rc_login.failed_attempts', 'rc_registration', 'rc_joins.local']);
    // With the fix applied, only the x_forwarded problem is left (a guess here, without nginx's files).
    const fixed = await run(applyYaml(text, edits));
    assert.deepEqual(rl(fixed), ['MXD-RL-001:likelyProxied']);
    const table = one(fixed, 'MXD-RL-005').evidence.table as Record<string, unknown>[];
    assert.equal(table.find((t) => t.limiter === 'rc_message')?.set_by, 'block');
  });

  test('one legacy key alone: the other keeps its default (no int() cast)', async () => {
    const r = await run(`${BASE}rc_message_burst_count: 25.5\n`);
    const f = one(r, 'MXD-RL-004', 'legacyActive');
    assert.deepEqual([f.data.perSecond, f.data.burstCount, f.data.keys], ['0.2', '25.5', 'rc_message_burst_count']);
    assert.deepEqual(rl(r), ['MXD-RL-004:legacyActive']);
  });

  test('ignored when an rc_message block exists, even an empty one: no too-high warning, the fix deletes them', async () => {
    const text = `${BASE}rc_messages_per_second: 200000\nrc_message_burst_count: 100000\nrc_message: {}\n`;
    const r = await run(text);
    const f = one(r, 'MXD-RL-004', 'legacyIgnored');
    assert.deepEqual([f.data.perSecond, f.data.burstCount], ['0.2', '10']);
    assert.deepEqual(rl(r), ['MXD-RL-004:legacyIgnored']);
    assert.deepEqual(
      f.fix?.edits.map((e) => e.kind),
      ['yaml-delete', 'yaml-delete'],
    );
    assert.deepEqual(rl(await run(applyYaml(text, f.fix?.edits ?? []))), []);
  });

  test('a legacy key in a conf.d file: the edits go to that file', async () => {
    const main = homeserverArtifact(BASE, HS);
    const extra = homeserverArtifact('rc_messages_per_second: 50\n', '/etc/matrix-synapse/conf.d/limits.yaml');
    const r = coverage.record(await judge(check, { homeserverConfig: { ...main, overrides: [extra] } }));
    const f = one(r, 'MXD-RL-003', 'tooHighLegacy');
    assert.equal(f.location?.file, '/etc/matrix-synapse/conf.d/limits.yaml');
    assert.ok(f.fix?.edits.every((e) => e.file === '/etc/matrix-synapse/conf.d/limits.yaml' && e.expectSha256 === extra.sha256));
  });
});

describe('rate-limits: the listener nginx forwards to (x_forwarded)', () => {
  test('the seed: nginx → localhost:8008, no x_forwarded → error on listeners[0], fixed by one yaml-set', async () => {
    const text = readFileSync(path.join(SEED, 'synapse/homeserver.yaml'), 'utf8');
    const sites = Object.fromEntries(
      ['matrix.conf', 'xfoss-com.conf'].map((n) => [path.join(SEED, 'nginx', n), readFileSync(path.join(SEED, 'nginx', n), 'utf8')]),
    );
    const r = await run(text, { nginxConfig: nginxArtifact(sites) });
    assert.equal(r.status, 'fail');
    const f = one(r, 'MXD-RL-001', 'missing');
    assert.equal(f.severity, 'error');
    assert.deepEqual([f.location?.line, f.location?.column], [16, 5]);
    // The listener as data (its kind a phrase id, its port a number); the message says "port 8008".
    assert.deepEqual([f.data.listenerKind, f.data.listener], ['port', 8008]);
    assert.match(f.message, /but the listener on port 8008 has no x_forwarded: true/);
    assert.equal(f.data.proxyPass, 'http://localhost:8008');
    assert.match(String(f.data.nginxAt), /matrix\.conf:15$/);
    assert.match(f.message, /all users share one rc_login\.address bucket \(5 logins, then one every ~333 s\)/);
    assert.match(String(f.evidence.perUserOverrides), /never exempt anyone from rc_login\.address/);
    assert.deepEqual(f.fix?.edits, [
      { kind: 'yaml-set', file: HS, expectSha256: homeserverArtifact(text, HS).sha256, path: ['listeners', 0, 'x_forwarded'], value: true },
    ]);
    const fixed = await run(applyYaml(text, f.fix?.edits ?? []), { nginxConfig: nginxArtifact(sites) });
    assert.deepEqual(
      codes(fixed).filter((c) => c.startsWith('MXD-RL-00') && !c.startsWith('MXD-RL-003') && !c.startsWith('MXD-RL-004') && !c.startsWith('MXD-RL-005')),
      [],
    );
  });

  test('x_forwarded: false written out → disabled; the nginx XFF header is added when missing', async () => {
    const text = BASE + LISTENER('    x_forwarded: false\n');
    const conf = site('http://127.0.0.1:8008', 'proxy_set_header Host $host;');
    const r = await run(text, { nginxConfig: nginx(conf) });
    const f = one(r, 'MXD-RL-001', 'disabled');
    // Declarative: the header joins the location's other proxy_set_header lines.
    assert.deepEqual(
      f.fix?.edits.filter((e) => e.file === SITE),
      [
        {
          kind: 'nginx-set',
          file: SITE,
          server: 'matrix.example.com',
          location: '~ ^(/_matrix|/_synapse/client)',
          directive: 'proxy_set_header',
          args: ['X-Forwarded-For', '$remote_addr'],
          expectSha256: nginx(conf).files[0].sha256,
        },
      ],
    );
    const after = applyNginx(conf, f);
    assert.match(after, /proxy_set_header Host \$host;\n {8}proxy_set_header X-Forwarded-For \$remote_addr;/);
    // After both edits: no finding at all.
    const fixed = await run(applyYaml(text, f.fix?.edits ?? []), { nginxConfig: nginx(after) });
    assert.deepEqual(rl(fixed), []);
  });

  test('x_forwarded: true and X-Forwarded-For $remote_addr: nothing to report', async () => {
    const r = await run(BASE + LISTENER('    x_forwarded: true\n'), { nginxConfig: nginx(site()) });
    assert.deepEqual(rl(r), []);
  });

  test('nginx forwarding to another port or address is not Synapse (then only the loopback guess is left)', async () => {
    assert.deepEqual(rl(await run(BASE + LISTENER(), { nginxConfig: nginx(site('http://localhost:8080')) })), ['MXD-RL-001:likelyProxied']);
    assert.deepEqual(rl(await run(BASE + LISTENER('', "['10.0.0.5']"), { nginxConfig: nginx(site('http://127.0.0.1:8008')) })), []);
    assert.deepEqual(rl(await run(BASE + LISTENER(), { nginxConfig: nginx(site('http://$upstream')) })), ['MXD-RL-001:likelyProxied']);
    // nginx forwards to another listener: the loopback one is left alone (a local bot or bridge may use it).
    const two = `${BASE + LISTENER('    x_forwarded: true\n')}  - port: 8009\n    type: http\n    bind_addresses: ['127.0.0.1']\n    resources:\n      - names: [client]\n`;
    assert.deepEqual(rl(await run(two, { nginxConfig: nginx(site()) })), []);
  });

  test('an upstream block, and a container name matched by port only', async () => {
    const up = `upstream synapse_backend {\n    server 127.0.0.1:8008;\n}\n${site('http://synapse_backend')}`;
    one(await run(BASE + LISTENER(), { nginxConfig: nginx(up) }), 'MXD-RL-001', 'missing');
    const byName = await run(`${BASE}listeners:\n  - port: 8008\n    type: http\n    resources:\n      - names: [client]\n`, {
      nginxConfig: nginx(site('http://synapse:8008')),
    });
    const f = one(byName, 'MXD-RL-001', 'missing');
    assert.match(JSON.stringify(f.evidence.forwardedBy), /port only/);
  });

  test('without nginx files: a loopback-only client listener without x_forwarded is probably behind a local proxy (warning)', async () => {
    const r = await run(BASE + LISTENER());
    const f = one(r, 'MXD-RL-001', 'likelyProxied');
    assert.equal(f.severity, 'warning');
    assert.equal(r.status, 'warn');
    assert.deepEqual(
      f.fix?.edits.map((e) => (e as { path: unknown[] }).path),
      [['listeners', 0, 'x_forwarded']],
    );
    // A listener on every address (or without bind_addresses) may be reached directly: no guess.
    assert.deepEqual(rl(await run(BASE + LISTENER('', "['0.0.0.0']"))), []);
  });
});

describe('rate-limits: X-Forwarded-For that clients can choose', () => {
  test('$proxy_add_x_forwarded_for with x_forwarded: true → proxyAdd at the nginx line, fixed to $remote_addr', async () => {
    const conf = site('http://localhost:8008', 'proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;');
    const r = await run(BASE + LISTENER('    x_forwarded: true\n'), { nginxConfig: nginx(conf) });
    const f = one(r, 'MXD-RL-002', 'proxyAdd');
    assert.equal(f.severity, 'error');
    assert.equal(f.location?.file, SITE);
    assert.equal(f.location?.line, 7);
    assert.equal(f.data.value, '$proxy_add_x_forwarded_for');
    assert.deepEqual(kindsIn(f), ['nginx-set']);
    const after = applyNginx(conf, f);
    assert.match(after, /proxy_set_header X-Forwarded-For \$remote_addr;/);
    assert.deepEqual(rl(await run(BASE + LISTENER('    x_forwarded: true\n'), { nginxConfig: nginx(after) })), []);
  });

  test("Debian's `include proxy_params` is $proxy_add_x_forwarded_for: the include is spelled out with $remote_addr", async () => {
    const conf = site('http://127.0.0.1:8008', 'include proxy_params;');
    const r = await run(BASE + LISTENER('    x_forwarded: true\n'), { nginxConfig: nginx(conf) });
    const f = one(r, 'MXD-RL-002', 'proxyAdd');
    assert.deepEqual(kindsIn(f), ['nginx-set', 'nginx-set', 'nginx-set', 'nginx-set', 'nginx-delete']);
    const after = applyNginx(conf, f);
    assert.doesNotMatch(after, /include proxy_params/);
    assert.match(after, /proxy_set_header Host \$host;\n {8}proxy_set_header X-Real-IP \$remote_addr;\n {8}proxy_set_header X-Forwarded-For \$remote_addr;/);
    assert.deepEqual(rl(await run(BASE + LISTENER('    x_forwarded: true\n'), { nginxConfig: nginx(after) })), []);
  });

  test('nginx inheritance: a location with its own proxy_set_header does not inherit the server-level XFF', async () => {
    const inherits = site('http://localhost:8008', '', 'proxy_set_header X-Forwarded-For $remote_addr;');
    assert.deepEqual(rl(await run(BASE + LISTENER('    x_forwarded: true\n'), { nginxConfig: nginx(inherits) })), []);
    const shadowed = site('http://localhost:8008', 'proxy_set_header Host $host;', 'proxy_set_header X-Forwarded-For $remote_addr;');
    const r = await run(BASE + LISTENER('    x_forwarded: true\n'), { nginxConfig: nginx(shadowed) });
    const f = one(r, 'MXD-RL-002', 'passThrough');
    assert.deepEqual(kindsIn(f), ['nginx-set']);
    assert.match(applyNginx(shadowed, f), /proxy_set_header Host \$host;\n {8}proxy_set_header X-Forwarded-For \$remote_addr;/);
  });

  test("no X-Forwarded-For at any level → passThrough, fixed in proxy_pass's location", async () => {
    const conf = site('http://localhost:8008', '');
    const r = await run(BASE + LISTENER('    x_forwarded: true\n'), { nginxConfig: nginx(conf) });
    const f = one(r, 'MXD-RL-002', 'passThrough');
    assert.deepEqual(kindsIn(f), ['nginx-set', 'nginx-set']);
    const after = applyNginx(conf, f);
    assert.match(
      after,
      /proxy_pass http:\/\/localhost:8008;\n[ \n]*proxy_set_header X-Forwarded-For \$remote_addr;\n {8}proxy_set_header X-Forwarded-Proto \$scheme;\n {4}\}/,
    );
    assert.deepEqual(rl(await run(BASE + LISTENER('    x_forwarded: true\n'), { nginxConfig: nginx(after) })), []);
  });

  test('text edits where nginx-set cannot name the block: an included snippet, the http level, a shadowed server block; one kind per file', async () => {
    const XF = BASE + LISTENER('    x_forwarded: true\n');
    const spoof = 'proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;';
    // proxy_pass and its headers in a snippet: there is no server block in that file to name.
    const SNIP = '/etc/nginx/snippets/matrix-proxy.conf';
    const snippet = `proxy_pass http://localhost:8008;\n${spoof}\n`;
    const withSnippet = { [SITE]: site('http://localhost:8008', `include ${SNIP};`).replace(/ {8}proxy_pass [^\n]*\n/, ''), [SNIP]: snippet };
    const inSnippet = one(await run(XF, { nginxConfig: nginxArtifact(withSnippet) }), 'MXD-RL-002', 'proxyAdd');
    assert.deepEqual(kindsIn(inSnippet, SNIP), ['text']);
    assert.equal(applyNginx(snippet, inSnippet, SNIP), 'proxy_pass http://localhost:8008;\nproxy_set_header X-Forwarded-For $remote_addr;\n');
    // The header at the http level: no server block to name.
    const http = `http {\n    ${spoof}\n    ${site('http://localhost:8008', '').replace(/\n/g, '\n    ')}}\n`;
    const atHttp = one(await run(XF, { nginxConfig: nginx(http) }), 'MXD-RL-002', 'proxyAdd');
    assert.deepEqual(kindsIn(atHttp), ['text']);
    assert.match(applyNginx(http, atHttp), /^http \{\n {4}proxy_set_header X-Forwarded-For \$remote_addr;\n/);
    // The server-level header of a block whose name leads the editor to another one (the port-80 redirect comes first).
    const redirect = 'server {\n    listen 80;\n    server_name matrix.example.com;\n    return 301 https://$host$request_uri;\n}\n';
    const shadowed = redirect + site('http://localhost:8008', '', spoof);
    const second = one(await run(XF, { nginxConfig: nginx(shadowed) }), 'MXD-RL-002', 'proxyAdd');
    assert.deepEqual(kindsIn(second), ['text']);
    assert.deepEqual(rl(await run(XF, { nginxConfig: nginx(applyNginx(shadowed, second)) })), []);
    // One fix, two locations in one file: one can be named, the other (in a second block of that name) cannot.
    // The fix engine refuses a fix mixing text and structured edits in one file, so that file gets text edits only.
    const federation = site('http://localhost:8008', spoof).replace('listen 443 ssl;', 'listen 8448 ssl;');
    const both = site('http://localhost:8008', spoof) + federation;
    const f = one(await run(BASE + LISTENER(), { nginxConfig: nginx(both) }), 'MXD-RL-001', 'missing');
    assert.deepEqual(kindsIn(f), ['text', 'text']);
    assert.doesNotMatch(applyNginx(both, f), /proxy_add_x_forwarded_for/);
    // With the two blocks in two files, each file is named on its own: declarative in both.
    const FED = '/etc/nginx/sites-enabled/federation.conf';
    const apart = one(
      await run(BASE + LISTENER(), { nginxConfig: nginxArtifact({ [SITE]: site('http://localhost:8008', spoof), [FED]: federation }) }),
      'MXD-RL-001',
      'missing',
    );
    assert.deepEqual([kindsIn(apart), kindsIn(apart, FED)], [['nginx-set'], ['nginx-set']]);
  });

  test('the header matched as written: a lower-case x-forwarded-for is replaced, not doubled', async () => {
    const conf = site('http://localhost:8008', 'proxy_set_header x-forwarded-for $proxy_add_x_forwarded_for;');
    const f = one(await run(BASE + LISTENER('    x_forwarded: true\n'), { nginxConfig: nginx(conf) }), 'MXD-RL-002', 'proxyAdd');
    assert.deepEqual((f.fix?.edits[0] as { args?: string[] } | undefined)?.args, ['x-forwarded-for', '$remote_addr']);
    const after = applyNginx(conf, f);
    assert.equal(after.match(/forwarded-for/gi)?.length ?? 0, 1);
    assert.deepEqual(rl(await run(BASE + LISTENER('    x_forwarded: true\n'), { nginxConfig: nginx(after) })), []);
  });

  test('a unix socket listener is x_forwarded by default', async () => {
    const yaml = `${BASE}listeners:\n  - path: /run/synapse/main.sock\n    type: http\n    resources:\n      - names: [client]\n`;
    const f = one(
      await run(yaml, { nginxConfig: nginx(site('http://unix:/run/synapse/main.sock:', 'include /etc/nginx/proxy_params;')) }),
      'MXD-RL-002',
      'proxyAdd',
    );
    assert.deepEqual([f.data.listenerKind, f.data.listener], ['socket', '/run/synapse/main.sock']);
    assert.match(f.message, /^The listener on unix:\/run\/synapse\/main\.sock has x_forwarded: true/);
    assert.deepEqual(rl(await run(yaml, { nginxConfig: nginx(site('http://unix:/run/synapse/main.sock')) })), []);
  });

  test('x_forwarded: true on a listener bound to every address → directPublic (warning), not for containers', async () => {
    const r = await run(`${BASE}listeners:\n  - port: 8008\n    type: http\n    x_forwarded: true\n    resources:\n      - names: [client]\n`, {
      nginxConfig: nginx(site()),
    });
    const f = one(r, 'MXD-RL-002', 'directPublicDefault');
    assert.equal(f.severity, 'warning');
    assert.equal(f.data.binds, '::, 0.0.0.0');
    assert.match(f.message, /^The listener on port 8008 has x_forwarded: true and binds ::, 0\.0\.0\.0 \(the default\): anyone/);
    // bind_addresses written out: the addresses that are not loopback, without "(the default)".
    const explicit = one(
      await run(
        `${BASE}listeners:\n  - port: 8008\n    type: http\n    x_forwarded: true\n    bind_addresses: ['127.0.0.1', '0.0.0.0']\n    resources:\n      - names: [client]\n`,
        {
          nginxConfig: nginx(site()),
        },
      ),
      'MXD-RL-002',
      'directPublic',
    );
    assert.equal(explicit.data.binds, '0.0.0.0');
    assert.match(explicit.message, /and binds 0\.0\.0\.0: anyone/);
    const container = await run(`${BASE}listeners:\n  - port: 8008\n    type: http\n    x_forwarded: true\n    resources:\n      - names: [client]\n`, {
      nginxConfig: nginx(site('http://synapse:8008')),
    });
    assert.deepEqual(rl(container), []);
  });
});

function attempts(statuses: number[], retryAfterMs = 333_000): LoginAttempt[] {
  return statuses.map((status, i) => ({
    n: i + 1,
    user: `matrixdoc-ratelimit-probe-abc-${i + 1}`,
    status,
    errcode: status === 429 ? 'M_LIMIT_EXCEEDED' : 'M_FORBIDDEN',
    ...(status === 429 ? { retryAfterMs, retryAfter: String(Math.ceil(retryAfterMs / 1000)) } : {}),
    durationMs: 3,
  }));
}

function probe(statuses: number[], extra: Partial<LoginRateArtifact> = {}): LoginRateArtifact {
  const list = attempts(statuses);
  const limitedAt = statuses.indexOf(429) + 1 || undefined;
  return {
    baseUrl: 'https://matrix.example.com',
    baseUrlSource: 'homeserver-config',
    url: 'https://matrix.example.com/_matrix/client/v3/login',
    maxAttempts: 7,
    attempts: list,
    ...(limitedAt ? { limitedAt } : {}),
    stoppedBecause: limitedAt ? 'limited' : 'max-attempts',
    ...extra,
  };
}

describe('rate-limits: --probe-login', () => {
  test('a 429 before this machine used its own budget → sharedBucket (error), with the x_forwarded fix', async () => {
    const r = await run(BASE + LISTENER(), { nginxConfig: nginx(site()), loginRate: probe([403, 403, 429]) });
    const f = one(r, 'MXD-RL-008', 'sharedBucket');
    assert.equal(f.severity, 'error');
    assert.deepEqual([f.data.attempt, f.data.accepted, f.data.burst, f.data.retryAfter], [3, 2, 5, '333']);
    assert.equal(f.location?.url, 'https://matrix.example.com/_matrix/client/v3/login');
    assert.match(String(f.evidence.cause), /listeners\[0\]/);
    assert.deepEqual(
      f.fix?.edits.map((e) => (e as { path: unknown[] }).path),
      [['listeners', 0, 'x_forwarded']],
    );
    // Without nginx's files there is no listener to name: the fix says how to find it.
    const alone = await run(BASE, { loginRate: probe([429]) });
    assert.deepEqual(one(alone, 'MXD-RL-008').fix?.edits, []);
  });

  test('limited exactly after burst_count → limited (info); rc_login.address from the config', async () => {
    const r = await run(`${BASE}rc_login:\n  address:\n    burst_count: 3\n`, { loginRate: probe([403, 403, 403, 429]) });
    const f = one(r, 'MXD-RL-009', 'limited');
    assert.deepEqual([f.data.accepted, f.data.burst], [3, 3]);
    assert.equal(r.status, 'pass');
  });

  test('no 429: expected within burst_count (withinBurst), a warning beyond it (notLimited)', async () => {
    const within = await run(`${BASE}rc_login:\n  address:\n    burst_count: 10\n`, { loginRate: probe([403, 403, 403, 403, 403, 403, 403]) });
    assert.equal(one(within, 'MXD-RL-009', 'withinBurst').severity, 'info');
    const beyond = await run(BASE, { loginRate: probe([403, 403, 403, 403, 403, 403, 403]) });
    const f = one(beyond, 'MXD-RL-009', 'notLimited');
    assert.equal(f.severity, 'warning');
    assert.deepEqual([f.data.attempts, f.data.burst], [7, 5]);
  });

  test('could not measure: a network error, or an answer that is not a failed login', async () => {
    const refused = probe([], {
      attempts: [{ n: 1, user: 'x', error: { code: 'CONN_REFUSED', message: 'connect ECONNREFUSED 127.0.0.1:443' }, durationMs: 1 }],
      stoppedBecause: 'error',
    });
    const a = one(await run(BASE, { loginRate: refused }), 'MXD-RL-009', 'unmeasured');
    assert.equal(a.severity, 'warning');
    assert.match(String(a.data.reason), /CONN_REFUSED/);
    const html = probe([], { attempts: [{ n: 1, user: 'x', status: 404, durationMs: 1 }], stoppedBecause: 'unexpected-answer' });
    const b = one(await run(BASE, { loginRate: html }), 'MXD-RL-009', 'notFailed');
    assert.equal(b.data.answer, 'HTTP 404');
    assert.equal(
      b.message,
      '--probe-login could not measure the login limit at https://matrix.example.com/_matrix/client/v3/login: HTTP 404, not a failed login.',
    );
  });

  test('could not measure: a random account could log in (the session is ended, or logging out failed)', async () => {
    const login = (loggedOut: boolean) =>
      probe([], { attempts: [{ n: 1, user: 'x', status: 200, durationMs: 1 }], stoppedBecause: 'unexpected-answer', loggedOut });
    const ended = one(await run(BASE, { loginRate: login(true) }), 'MXD-RL-009', 'loggedIn');
    assert.equal(ended.severity, 'warning');
    assert.equal(ended.data.session, 'ended');
    assert.equal(
      ended.message,
      '--probe-login could not measure the login limit at https://matrix.example.com/_matrix/client/v3/login: a login for a random account succeeded (the session was ended).',
    );
    const kept = one(await run(BASE, { loginRate: login(false) }), 'MXD-RL-009', 'loggedIn');
    assert.equal(kept.data.session, 'logoutFailed');
    assert.match(kept.message, /a login for a random account succeeded \(the session was ended — logout failed\)\.$/);
  });

  test('the forged X-Forwarded-For after the 429 was let through → confirmed spoofing', async () => {
    const p = probe([403, 403, 403, 403, 403, 429], {
      spoofCheck: { ...attempts([403])[0], n: 7, forwardedFor: '192.0.2.7', accepted: true },
    });
    const r = await run(BASE + LISTENER('    x_forwarded: true\n'), { loginRate: p });
    const f = one(r, 'MXD-RL-002', 'confirmed');
    assert.deepEqual([f.data.forwardedFor, f.data.status], ['192.0.2.7', '403']);
    one(r, 'MXD-RL-009', 'limited');
    // Not let through: no spoofing finding.
    const safe = probe([403, 403, 403, 403, 403, 429], { spoofCheck: { ...attempts([429])[0], n: 7, forwardedFor: '192.0.2.7', accepted: false } });
    assert.ok(!codes(await run(BASE, { loginRate: safe })).includes('MXD-RL-002:confirmed'));
  });
});

function overrides(...users: RateLimitOverridesArtifact['users']): RateLimitOverridesArtifact {
  return { baseUrl: 'https://matrix.example.com', users, notLookedUp: [] };
}
const url = (u: string) => `https://matrix.example.com/_synapse/admin/v1/users/${encodeURIComponent(u)}/override_ratelimit`;

describe('rate-limits: per-user overrides (--admin-token, --rate-limit-users)', () => {
  test('none, exempt (0) and custom (non-zero): what each one covers', async () => {
    const r = await run(BASE, {
      rateLimitOverrides: overrides(
        { user: '@alice:example.com', url: url('@alice:example.com'), status: 200, override: {} },
        { user: '@bot:example.com', url: url('@bot:example.com'), status: 200, override: { messages_per_second: 0, burst_count: 0 } },
        { user: '@bridge:example.com', url: url('@bridge:example.com'), status: 200, override: { messages_per_second: 50, burst_count: 100 } },
      ),
    });
    assert.equal(one(r, 'MXD-RL-006', 'none').data.user, '@alice:example.com');
    const exempt = one(r, 'MXD-RL-006', 'exempt');
    assert.match(exempt.message, /but not from those keyed by address or account: rc_login \(address, account, failed_attempts\) and rc_registration/);
    assert.ok((exempt.evidence.notExemptFrom as string[]).includes('rc_login.address'));
    const custom = one(r, 'MXD-RL-006', 'custom');
    assert.deepEqual([custom.data.perSecond, custom.data.burstCount], ['50', '100']);
    assert.equal(r.status, 'pass');
  });

  test('with the shared login bucket, an override does not help that user log in → notForLogin (warning)', async () => {
    const r = await run(BASE + LISTENER(), {
      nginxConfig: nginx(site()),
      rateLimitOverrides: overrides({
        user: '@bot:example.com',
        url: url('@bot:example.com'),
        status: 200,
        override: { messages_per_second: 0, burst_count: 0 },
      }),
    });
    const f = one(r, 'MXD-RL-006', 'notForLogin');
    assert.equal(f.severity, 'warning');
    // The cause is the code that shows it, with the listener as data; the message says it in words.
    assert.deepEqual(f.data, { user: '@bot:example.com', index: 0, listenerKind: 'port', listener: 8008, cause: 'MXD-RL-001' });
    assert.match(f.message, /while listeners\[0\] \(port 8008\) has no x_forwarded: true \(MXD-RL-001\)/);
  });

  test('a shared login bucket seen only in the log (no listener to name) → notForLoginShared (warning)', async () => {
    const r = await run(BASE, {
      synapseLog: logArtifact([ACCESS('172.18.0.1', 429), ACCESS('172.18.0.1', 429)].join('\n')),
      rateLimitOverrides: overrides({
        user: '@bot:example.com',
        url: url('@bot:example.com'),
        status: 200,
        override: { messages_per_second: 0, burst_count: 0 },
      }),
    });
    const f = one(r, 'MXD-RL-006', 'notForLoginShared');
    assert.equal(f.severity, 'warning');
    assert.deepEqual(f.data, { user: '@bot:example.com', cause: 'MXD-RL-010' });
    assert.equal(
      f.message,
      '@bot:example.com has a rate-limit override, but overrides never lift rc_login.address or rc_registration: while all clients share one login bucket (MXD-RL-010), this user is locked out of logging in together with everyone else.',
    );
  });

  test('lookups that failed: not an admin, no such user, not local, unreachable', async () => {
    const r = await run(BASE, {
      rateLimitOverrides: overrides(
        { user: '@a:example.com', url: url('@a:example.com'), status: 403, errcode: 'M_FORBIDDEN', errorText: 'You are not a server admin' },
        { user: '@ghost:example.com', url: url('@ghost:example.com'), status: 404, errcode: 'M_NOT_FOUND' },
        { user: '@x:other.org', url: url('@x:other.org'), status: 400, errcode: 'M_UNKNOWN' },
        { user: '@b:example.com', url: url('@b:example.com'), error: { code: 'TIMEOUT', message: 'no answer before the timeout' } },
      ),
    });
    assert.match(one(r, 'MXD-RL-007', 'unauthorized').message, /HTTP 403 M_FORBIDDEN/);
    one(r, 'MXD-RL-007', 'notFound');
    one(r, 'MXD-RL-007', 'notLocal');
    assert.match(one(r, 'MXD-RL-007', 'failed').message, /TIMEOUT: no answer before the timeout/);
    assert.equal(r.status, 'warn');
  });
});

function logArtifact(text: string, file = '/var/log/matrix-synapse/homeserver.log'): SynapseLogArtifact {
  return { file, size: text.length, bytesRead: text.length, truncated: false, sha256: '0', ...summariseSynapseLog(text) };
}
const ACCESS = (ip: string, code: number, uri = '/_matrix/client/v3/login', req = 'POST-1') =>
  `2024-06-18 09:03:00,088 - synapse.access.http.8008 - 643 - INFO - ${req} - ${ip} - 8008 - {None} Processed request: 0.503sec/0.001sec (0.003sec, 0.000sec) (0.000sec/0.002sec/0) 59B ${code} "POST ${uri} HTTP/1.1" "Mozilla/5.0" [0 dbevts]`;

describe('rate-limits: --synapse-log', () => {
  test("the seed's log: 17 refusals, all to ::1 and 127.0.0.1 → proxyAddress (error) with the x_forwarded fix", async () => {
    const text = readFileSync(path.join(SEED, 'synapse/homeserver.log'), 'utf8');
    const r = await run(BASE + LISTENER(), { nginxConfig: nginx(site()), synapseLog: logArtifact(text, path.join(SEED, 'synapse/homeserver.log')) });
    const f = one(r, 'MXD-RL-010', 'proxyAddress');
    assert.equal(f.severity, 'error');
    assert.deepEqual([f.data.count, f.data.address, f.data.kind, f.data.logins], [17, '::1 and 127.0.0.1', 'loopback', 16]);
    assert.match(f.message, /went to ::1 and 127\.0\.0\.1 \(loopback: a proxy on the same host\), 16 of them logins/);
    assert.equal(
      f.fix?.summary,
      'Set x_forwarded: true on the listener nginx forwards to (listeners[0], port 8008) and make nginx send X-Forwarded-For $remote_addr; do not raise rate limits for this.',
    );
    assert.deepEqual(f.evidence.byLimiter, { 'rc_login.address': 16, rc_registration: 1 });
    assert.deepEqual(
      f.fix?.edits.map((e) => (e as { path: unknown[] }).path),
      [['listeners', 0, 'x_forwarded']],
    );
  });

  test('one private address (a container bridge) is the proxy too; a single public address is not', async () => {
    const priv = await run(BASE, { synapseLog: logArtifact([ACCESS('172.18.0.1', 429), ACCESS('172.18.0.1', 429)].join('\n')) });
    assert.equal(one(priv, 'MXD-RL-010').data.kind, 'private');
    assert.match(one(priv, 'MXD-RL-010').message, /went to 172\.18\.0\.1 \(a private network address\), 2 of them logins/);
    assert.deepEqual(one(priv, 'MXD-RL-010').fix?.edits, []);
    const pub = await run(BASE, { synapseLog: logArtifact([ACCESS('203.0.113.9', 429), ACCESS('203.0.113.9', 429), ACCESS('198.51.100.2', 200)].join('\n')) });
    const f = one(pub, 'MXD-RL-011', 'counts');
    assert.deepEqual([f.data.count, f.data.addresses, f.data.top], [2, 1, '203.0.113.9 2']);
  });

  test('no refusals, and a log without access lines', async () => {
    const none = await run(BASE, { synapseLog: logArtifact([ACCESS('203.0.113.9', 200), ACCESS('::1', 403)].join('\n')) });
    assert.match(one(none, 'MXD-RL-011', 'none').message, /\(2 requests logged\)/);
    const err =
      "2024-06-18 09:03:00,088 - synapse.http.server - 127 - INFO - POST-9 - <SynapseRequest at 0x7f method='POST' uri='/_matrix/client/v3/login' clientproto='HTTP/1.1' site='8008'> SynapseError: 429 - Too Many Requests (rc_login.address)";
    const noAccess = await run(BASE, { synapseLog: logArtifact(err) });
    assert.deepEqual(one(noAccess, 'MXD-RL-011', 'noAccessLog').data.unattributed, 1);
  });
});
