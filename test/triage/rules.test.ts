// Triage rules against real-looking text: each rule recognises what users (English and Chinese),
// browsers and servers write, and ranks its cause first; the seed's own deployment notes surface the
// public_baseurl, rate-limit and Jitsi causes; ranking, redaction of quoted evidence, the honest
// "no known signature" answer, huge inputs, and the verdicts of `triage --run`.

import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { builtinChecks } from '../../checks/index.js';
import { splitFrontMatter } from '../../src/docs-pages.js';
import { InputError } from '../../src/engine/errors.js';
import type { CheckResult, Finding } from '../../src/engine/types.js';
import { Redactor } from '../../src/report/redact.js';
import { withRules } from '../../src/triage/docs.js';
import { decodeInput, MAX_TRIAGE_BYTES, readInputFile } from '../../src/triage/input.js';
import { renderTriage } from '../../src/triage/render.js';
import { RULES, type TriageRule } from '../../src/triage/rules.js';
import { MAX_QUOTE, triageText, verdictFor } from '../../src/triage/triage.js';
import { tempDirs } from '../helpers/temp.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SEED_NOTES = '/work/shared/seeds/000_8023b107befaf59b.txt';
const SEED_LOG = path.join(ROOT, 'fixtures/seed/synapse/homeserver.log');

const triage = (text: string, rules?: TriageRule[]) => triageText(text, { redactor: new Redactor(), rules });
const ids = (text: string) => triage(text).causes.map((c) => c.id);

const tmp = tempDirs('matrixdoc-triage-');

/** Real-looking text per rule: [rule id, language, text]. The rule must rank first. */
const CASES: [string, string, string][] = [
  [
    'public-baseurl',
    'en',
    'Since the upgrade Element web just shows "Syncing…" forever after I log in. Then: If you\'ve joined lots of rooms, this might take a while',
  ],
  ['public-baseurl', 'en', 'Element is stuck on syncing for all users on matrix.example.com'],
  ['public-baseurl', 'zh', '登录后一直显示同步中，等了半小时还是不行'],
  [
    'rate-limit',
    'en',
    [
      'POST https://matrix.example.com/_matrix/client/v3/login 429 (Too Many Requests)',
      '{"errcode":"M_LIMIT_EXCEEDED","error":"Too Many Requests","retry_after_ms":2385}',
    ].join('\n'),
  ],
  ['rate-limit', 'zh', '早上大家都无法登录，提示 There was a problem communicating with homeserver, please try again later.'],
  [
    'homeserver-unreachable',
    'en',
    [
      "Access to fetch at 'https://matrix.example.com/_matrix/client/versions' from origin 'https://element.example.com' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
      'GET https://matrix.example.com/_matrix/client/versions net::ERR_FAILED 200 (OK)',
    ].join('\n'),
  ],
  ['homeserver-unreachable', 'zh', '打开 Element 登录页，提示无法连接到主服务器'],
  [
    'jitsi-public-url',
    'en',
    [
      'In our Jitsi meeting everybody gets "You have been disconnected. You may want to check your network connection." as soon as the second participant joins.',
      "WebSocket connection to 'wss://localhost:8443/xmpp-websocket?room=standup' failed: ",
      'Strophe: Websocket closed unexcectedly',
    ].join('\n'),
  ],
  ['jitsi-public-url', 'zh', '开会时会议室中只能有一个人，第二个人进入时连接会断开'],
  [
    'jitsi-xmpp-auth',
    'en',
    [
      'jicofo_1  | Jicofo 2024-06-18 09:00:01.123 SEVERE: [29] XmppProviderImpl.doConnect#212: Failed to connect/login: SASLError using SCRAM-SHA-1: not-authorized',
      'jicofo_1  | org.jivesoftware.smack.sasl.SASLErrorException: SASLError using SCRAM-SHA-1: not-authorized',
    ].join('\n'),
  ],
  ['jitsi-xmpp-auth', 'zh', 'jicofo 容器一直重启，日志说 FATAL ERROR: Jicofo auth password must be set，会议无法开始'],
  ['jitsi-jvb', 'en', 'Meetings work fine with two people, but when 3 or more participants join there is no audio or video for anyone.'],
  ['jitsi-jvb', 'zh', '超过 3 人开会就没有声音了，两个人的时候正常'],
  [
    'yaml-syntax',
    'en',
    [
      'Traceback (most recent call last):',
      '  File "/opt/venvs/matrix-synapse/lib/python3.11/site-packages/synapse/config/_base.py", line 730, in read_config_files',
      'yaml.scanner.ScannerError: while scanning for the next token',
      "found character '\\t' that cannot start any token",
      '  in "/etc/matrix-synapse/homeserver.yaml", line 27, column 1',
    ].join('\n'),
  ],
  ['yaml-syntax', 'zh', '改了 homeserver.yaml 之后 synapse 起不来，是不是缩进用了 tab？'],
  [
    'synapse-config-error',
    'en',
    [
      "Error in configuration at 'report_stats':",
      '  Please opt in or out of reporting homeserver usage statistics, by setting',
      '  the `report_stats` key in your config file to either True or False.',
    ].join('\n'),
  ],
  ['synapse-config-error', 'zh', '升级以后 Synapse 启动失败，日志里说 Missing mandatory `server_name` config option.'],
  [
    'upload-too-large',
    'en',
    [
      '2024/06/18 10:11:12 [error] 1234#1234: *567 client intended to send too large body: 2097152 bytes, client: 203.0.113.5, server: matrix.example.com, request: "POST /_matrix/media/v3/upload?filename=photo.jpg HTTP/1.1", host: "matrix.example.com"',
      '203.0.113.5 - - [18/Jun/2024:10:11:12 +0000] "POST /_matrix/media/v3/upload?filename=photo.jpg HTTP/1.1" 413 585 "-" "Mozilla/5.0"',
    ].join('\n'),
  ],
  ['upload-too-large', 'zh', '发送图片失败，提示 请求实体过大（413）'],
  [
    'federation-signature',
    'en',
    [
      "2024-06-18 10:00:01,234 - synapse.crypto.keyring - 604 - WARNING - PUT-12 - Failed to find any key to satisfy _FetchKeyRequest(server_name='example.org', minimum_valid_until_ts=1718704801234, key_ids=['ed25519:a_AbCd'])",
      '{"errcode":"M_UNAUTHORIZED","error":"Invalid signature for server example.org with key ed25519:a_AbCd: Unable to verify signature for example.org"}',
    ].join('\n'),
  ],
  ['federation-signature', 'zh', '和 matrix.org 联邦的时候日志一直报 签名验证失败'],
  [
    'federation-unreachable',
    'en',
    [
      "2024-06-18 10:00:01,234 - synapse.http.matrixfederationclient - 1021 - INFO - PUT-7 - {PUT-O-3} [example.org] Request failed: PUT matrix-federation://example.org/_matrix/federation/v1/send/1718: DNSLookupError('no results for hostname lookup: example.org')",
      'synapse.api.errors.NotRetryingDestination: Not retrying server example.org because we tried it recently',
    ].join('\n'),
  ],
  ['federation-unreachable', 'zh', '我们的服务器无法加入其他服务器的房间，联邦好像不通'],
  [
    'turn-credentials',
    'en',
    [
      '1423: : session 001000000000000012: realm <xfoss.com> user <1718700000:@alice:xfoss.com>: incoming packet ALLOCATE processed, error 401: Unauthorized',
      '1423: : check_stun_auth: Cannot find credentials of user <1718700000:@alice:xfoss.com>',
    ].join('\n'),
  ],
  ['turn-credentials', 'zh', '语音通话失败，coturn 日志里显示 TURN 认证失败'],
  [
    'turn-unreachable',
    'en',
    [
      'ICE failed, add a TURN server and see about:webrtc for more details',
      '1530: : session 001000000000000031: realm <xfoss.com> user <1718700000:@bob:xfoss.com>: incoming packet CREATE_PERMISSION processed, error 403: Forbidden IP',
    ].join('\n'),
  ],
  ['turn-unreachable', 'zh', '视频通话一直在连接中，最后呼叫失败'],
  [
    'ldap-bind',
    'en',
    [
      '2024-06-18 09:12:44,001 - ldap_auth_provider - 224 - WARNING - POST-31 - Error during LDAP authentication: automatic bind not successful - invalidCredentials',
      'ldap3.core.exceptions.LDAPBindError: automatic bind not successful - invalidCredentials',
      'ldap_bind: Invalid credentials (49)',
      '        additional info: 80090308: LdapErr: DSID-0C090447, comment: AcceptSecurityContext error, data 52e, v3839',
    ].join('\n'),
  ],
  ['ldap-bind', 'zh', '域账号登录失败，但是密码肯定是对的'],
  ['ldap-unreachable', 'en', 'ldap3.core.exceptions.LDAPSocketOpenError: socket connection error while opening: [Errno 111] Connection refused'],
  ['ldap-unreachable', 'zh', 'Synapse 连不上 LDAP 服务器了'],
  [
    'database-locale',
    'en',
    [
      "synapse.storage.engines._base.IncorrectDatabaseSetup: Database has incorrect collation of 'en_US.UTF-8'. Should be 'C'",
      "See docs/postgres.md for more information. You can override this check bysetting 'allow_unsafe_locale' to true in the database config.",
    ].join('\n'),
  ],
  ['database-locale', 'zh', '新装的 synapse 报数据库排序规则不对，应该是 C'],
  [
    'database-connection',
    'en',
    'psycopg2.OperationalError: connection to server at "localhost" (::1), port 5432 failed: FATAL:  password authentication failed for user "synapse"',
  ],
  ['database-connection', 'zh', 'Synapse 启动时数据库连接失败'],
  ['element-config-invalid', 'en', 'Your Element is misconfigured\nInvalid configuration: no default server specified.'],
  ['element-config-invalid', 'zh', '打开网页显示 Element 配置有误'],
  [
    'bad-gateway',
    'en',
    '2024/06/18 09:00:00 [error] 811#811: *1 connect() failed (111: Connection refused) while connecting to upstream, client: 203.0.113.9, server: matrix.example.com, request: "GET /_matrix/client/versions HTTP/1.1", upstream: "http://[::1]:8008/_matrix/client/versions"',
  ],
  ['bad-gateway', 'zh', '访问 matrix.example.com 显示 502 Bad Gateway 网关错误'],
];

describe('triage rules are well-formed', () => {
  const codePages = new Set(RULES.flatMap((r) => r.codes).filter((c) => existsSync(path.join(ROOT, `docs/codes/${c}.md`))));
  // Check ids that exist, plus the ids docs/codes/README.md reserves for checks being written.
  const reserved = [...readFileSync(path.join(ROOT, 'docs/codes/README.md'), 'utf8').matchAll(/\|\s*`[A-Z]{2,5}`\s*\|\s*`([a-z-]+)`/g)].map((m) => m[1]);
  const knownChecks = new Set([...builtinChecks.map((c) => c.id), ...reserved]);

  test('ids are unique kebab-case; each rule has a symptom, patterns, checks, an explanation and a first step', () => {
    assert.equal(new Set(RULES.map((r) => r.id)).size, RULES.length);
    for (const r of RULES) {
      assert.match(r.id, /^[a-z]+(?:-[a-z]+)*$/, r.id);
      assert.ok(r.symptom && r.title && r.explanation && r.firstStep, r.id);
      assert.ok(r.patterns.length > 0 && r.checks.length > 0 && r.weight > 0, r.id);
      for (const p of r.patterns) assert.ok(!new RegExp(p.source, 'gi').test(''), `${r.id}: ${p} matches the empty string`);
    }
  });

  test('every check id is a check of matrixdoc or a reserved one', () => {
    for (const r of RULES) for (const id of r.checks) assert.ok(knownChecks.has(id), `${r.id}: unknown check '${id}'`);
  });

  test("every code has a page in docs/codes/, and that page's check is one the rule names", () => {
    for (const r of RULES) {
      for (const code of r.codes) {
        assert.ok(codePages.has(code), `${r.id}: ${code} has no page in docs/codes/`);
        const page = splitFrontMatter(readFileSync(path.join(ROOT, `docs/codes/${code}.md`), 'utf8'));
        assert.ok(page, `${code}: no front matter`);
        assert.ok(r.checks.includes(String(page.data.check)), `${r.id}: ${code} belongs to ${page.data.check}, which the rule does not name`);
      }
    }
  });

  test('docs/triage.md has each rule in its table (checks and codes) and a section for it, made from the rules', () => {
    const doc = readFileSync(path.join(ROOT, 'docs/triage.md'), 'utf8');
    assert.equal(withRules(doc), doc, 'docs/triage.md is out of step with the rules: run node --import tsx src/triage/docs.ts');
    for (const r of RULES) {
      const row = doc.split('\n').find((l) => l.startsWith(`| ${r.symptom.replace(/\|/g, '\\|')} | [${r.id}](#${r.id}): `));
      assert.ok(row, `${r.id}: no table row`);
      for (const c of r.checks) assert.ok(row.includes(`\`${c}\``), `${r.id}: ${c} not in its row`);
      for (const c of r.codes) assert.ok(row.includes(`[${c}](codes/${c}.md)`), `${r.id}: ${c} not in its row`);
      assert.match(doc, new RegExp(`^### ${r.id}$`, 'm'));
    }
  });

  test('each rule has test text here, in English and in Chinese', () => {
    for (const r of RULES) {
      assert.ok(
        CASES.some(([id, lang]) => id === r.id && lang === 'en'),
        `${r.id}: no English case`,
      );
      assert.ok(
        CASES.some(([id, lang]) => id === r.id && lang === 'zh'),
        `${r.id}: no Chinese case`,
      );
    }
  });
});

describe('each rule recognises real-looking text and ranks its cause first', () => {
  for (const [id, lang, text] of CASES) {
    test(`${id} (${lang}): ${text.split('\n')[0].slice(0, 70)}`, () => {
      const r = triage(text);
      assert.equal(r.unrecognised, false);
      assert.equal(r.causes[0]?.id, id, `ranked: ${r.causes.map((c) => `${c.id}=${c.likelihood}`).join(', ')}`);
      const top = r.causes[0];
      assert.ok(top.evidence.length > 0);
      for (const e of top.evidence) {
        assert.ok(e.line >= 1 && e.line <= text.split('\n').length);
        assert.ok(text.split('\n')[e.line - 1].includes(e.text.replace(/^…|…$/g, '').slice(0, 20)));
      }
      const rule = RULES.find((x) => x.id === id) as TriageRule;
      assert.deepEqual(top.checks, rule.checks);
      assert.deepEqual(top.codes, rule.codes);
      assert.ok(top.docs.length > 0);
    });
  }
});

describe("the seed's own deployment notes (Chinese, with English error strings)", () => {
  test('surface the public_baseurl, rate-limit and Jitsi causes with the lines they quote', () => {
    const text = readFileSync(SEED_NOTES, 'utf8');
    const r = triage(text);
    const got = r.causes.map((c) => c.id);
    for (const id of ['public-baseurl', 'rate-limit', 'jitsi-public-url', 'jitsi-jvb']) assert.ok(got.includes(id), `${id} not in ${got.join(', ')}`);
    const byId = Object.fromEntries(r.causes.map((c) => [c.id, c]));
    assert.ok(byId['public-baseurl'].evidence.some((e) => e.text.includes('Syncing forever')));
    assert.ok(byId['rate-limit'].evidence.some((e) => e.text.includes('M_LIMIT_EXCEEDED')));
    assert.ok(byId['jitsi-public-url'].evidence.some((e) => e.text.includes('第二个人进入时会连接会断开')));
    assert.ok(byId['jitsi-jvb'].evidence.some((e) => e.text.includes('超过 3 人会议中没有声音')));
    // The four seed problems outrank everything else the notes happen to mention.
    assert.deepEqual(new Set(got.slice(0, 4)), new Set(['public-baseurl', 'rate-limit', 'jitsi-public-url', 'jitsi-jvb']));
    // The notes quote the seed's secrets (database and LDAP passwords, the map key): none is quoted back.
    const out = JSON.stringify(r);
    for (const s of ['some_secret', 'some_pre-shared_key', 'fU3vlMsMn4Jb6dnEIFsx']) assert.ok(!out.includes(s), s);
  });

  test("the seed's Synapse log: rate limiting, each distinct message counted once", () => {
    const r = triage(readFileSync(SEED_LOG, 'utf8'));
    const top = r.causes[0];
    assert.equal(top.id, 'rate-limit');
    // "SynapseError: 429", "Too Many Requests" and the access log's 429: repeated on many lines, counted once each.
    assert.ok(top.occurrences > top.matches, `${top.occurrences} lines, ${top.matches} distinct`);
    assert.equal(top.likelihood, top.matches * 3);
  });
});

describe('ranking', () => {
  test('weight × distinct matches, ties by rule order', () => {
    const rules: TriageRule[] = [
      { ...RULES[0], id: 'first', weight: 2, patterns: [/alpha/, /beta/] },
      { ...RULES[0], id: 'second', weight: 3, patterns: [/gamma/] },
      { ...RULES[0], id: 'third', weight: 2, patterns: [/delta/, /epsilon/] },
    ];
    const r = triage('gamma\nalpha\nbeta\ndelta epsilon', rules);
    assert.deepEqual(
      r.causes.map((c) => [c.id, c.likelihood]),
      [
        ['first', 4],
        ['third', 4],
        ['second', 3],
      ],
    );
  });

  test('a line repeated a thousand times counts once; overlapping matches on one line count once', () => {
    const rules: TriageRule[] = [{ ...RULES[0], id: 'x', weight: 1, patterns: [/tab/, /tab indent/] }];
    const r = triage(`${'tab indent\n'.repeat(1000)}`, rules);
    assert.equal(r.causes[0].matches, 1);
    assert.equal(r.causes[0].occurrences, 1000);
    assert.equal(r.causes[0].evidence.length, 1);
  });

  test('more evidence beats a vaguer rule: rate limiting over "cannot reach the homeserver"', () => {
    const got = ids('There was a problem communicating with homeserver, please try again later.\n{"errcode":"M_LIMIT_EXCEEDED","retry_after_ms":1200}');
    assert.deepEqual(got.slice(0, 2), ['rate-limit', 'homeserver-unreachable']);
  });
});

describe('quoted evidence never shows a secret', () => {
  test('tokens, passwords, keys in URLs, bearer tokens, JWTs and user:password@ are redacted', () => {
    const secrets = {
      token: 'syt_YWxpY2U_aBcDeFgHiJkLmNoPqRsT_1a2b3c',
      bearer: 'Zm9vYmFyYmF6cXV4cXV1eA',
      password: 'CorrectHorse-Battery9',
      query: 'k3yInUrl0123',
      jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJyb29tIjoiKiJ9.c2lnbmF0dXJlLXBhcnQ',
      userinfo: 'pgPa55w0rd',
      yaml: 'yamlSecret-789',
      clientSecret: 'oidcClientSecret-42',
    };
    const text = [
      `POST /_matrix/client/v3/login?access_token=${secrets.token} 429 Too Many Requests M_LIMIT_EXCEEDED`,
      `Authorization: Bearer ${secrets.bearer} -> M_LIMIT_EXCEEDED again`,
      `{"type":"m.login.password","password":"${secrets.password}","errcode":"M_LIMIT_EXCEEDED"}`,
      `GET https://tiles.example.com/style.json?key=${secrets.query} net::ERR_FAILED`,
      `WebSocket connection to 'wss://meet.example.com/xmpp-websocket?room=x&jwt=${secrets.jwt}' failed`,
      `psycopg2.OperationalError: could not connect to server: postgres://synapse:${secrets.userinfo}@db:5432/synapse`,
      `turn_shared_secret: ${secrets.yaml}`,
      `GET https://auth.example.com/token?grant_type=x&client_secret=${secrets.clientSecret} 502 Bad Gateway`,
      `the secret again, bare: ${secrets.yaml} and ${secrets.password} — You have been disconnected`,
    ].join('\n');
    const r = triage(text);
    const out = JSON.stringify(r) + renderTriage(r, { name: 'x', ran: false });
    for (const [kind, s] of Object.entries(secrets)) assert.ok(!out.includes(s), `${kind} secret shown`);
    assert.match(out, /<redacted:[0-9a-f]{8}>/);
    // The lines are still quoted, only the secrets are replaced.
    assert.match(out, /access_token=<redacted:[0-9a-f]{8}>/);
  });

  test('a long line is cut around the match, never inside a secret', () => {
    const secret = `syt_${'Q'.repeat(40)}`;
    const line = `${'x'.repeat(5000)} access_token=${secret} M_LIMIT_EXCEEDED ${'y'.repeat(5000)}`;
    const r = triage(line);
    const e = r.causes[0].evidence[0];
    assert.ok(e.text.length <= MAX_QUOTE + 2, `${e.text.length}`);
    assert.ok(e.text.includes('M_LIMIT_EXCEEDED'));
    assert.ok(!e.text.includes('QQQQ'));
  });
});

describe('no known signature', () => {
  test('text with nothing recognised is said to be so', () => {
    const r = triage('Hi, the coffee machine on floor 3 is broken again.\nThanks, Ming\n');
    assert.equal(r.unrecognised, true);
    assert.deepEqual(r.causes, []);
    assert.equal(r.lines, 2);
    assert.match(renderTriage(r, { name: 'ticket.txt', ran: false }), /^No known signature: matrixdoc recognised nothing in ticket\.txt \(2 lines\)/);
  });

  test('empty text', () => {
    assert.equal(triage('').unrecognised, true);
  });
});

describe('input', () => {
  test(`a file larger than ${MAX_TRIAGE_BYTES / 1024 / 1024} MiB is refused with a clear error`, async () => {
    const file = path.join(tmp(), 'huge.log');
    writeFileSync(file, Buffer.alloc(MAX_TRIAGE_BYTES + 1, 'a'));
    await assert.rejects(readInputFile(file), (e: unknown) => e instanceof InputError && /larger than 8 MiB/.test(e.message) && /tail -c 8M/.test(e.message));
  });

  test('bundle logs: the last 8 MiB of a larger file, from a whole line', async () => {
    const file = path.join(tmp(), 'big.log');
    const line = 'INFO - GET-1 - 127.0.0.1 - 8008 - Processed request 200\n';
    writeFileSync(file, `${line.repeat(Math.ceil((MAX_TRIAGE_BYTES + 4096) / line.length))}M_LIMIT_EXCEEDED at the end\n`);
    const input = await readInputFile(file, { tail: true });
    assert.equal(input.truncated, true);
    assert.ok(input.text.startsWith('INFO - GET-1'));
    assert.ok(input.text.endsWith('M_LIMIT_EXCEEDED at the end\n'));
  });

  test('a big log (7 MiB, 120 000 lines) is read quickly and the match keeps its line number', () => {
    const line = '2024-06-18 09:00:02,970 - synapse.access.http.8008 - 643 - INFO - GET-1101 - 127.0.0.1 - 8008 - {@alice:xfoss.com} Processed request: 200\n';
    const n = Math.floor((7 * 1024 * 1024) / line.length);
    const text = `${line.repeat(n)}psycopg2.OperationalError: FATAL:  password authentication failed for user "synapse"\n`;
    const t0 = performance.now();
    const r = triage(text);
    const ms = performance.now() - t0;
    assert.equal(r.causes[0].id, 'database-connection');
    assert.equal(r.causes[0].evidence[0].line, n + 1);
    assert.ok(ms < 15_000, `${Math.round(ms)} ms`);
  });

  test('gzip (rageshake .log.gz) and UTF-16 with a byte-order mark are decoded', () => {
    const text = 'Error: M_LIMIT_EXCEEDED\n';
    assert.equal(decodeInput(gzipSync(text), 'x'), text);
    assert.equal(decodeInput(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]), 'x'), text);
    assert.throws(() => decodeInput(Buffer.from([1, 2, 0, 3]), 'x'), /binary content/);
  });

  test('terminal colours in logs do not hide a signature; other control characters are not quoted', () => {
    assert.deepEqual(ids('\u001b[31mERROR\u001b[0m \u001b[1mM_LIMIT_EXCEEDED\u001b[0m').slice(0, 1), ['rate-limit']);
    const r = triage('M_LIMIT_EXCEEDED \u001b]0;pwned\u0007 \u0008\u0008');
    assert.ok(!/[\u0000-\u0008\u000b-\u001f]/.test(r.causes[0].evidence[0].text), JSON.stringify(r.causes[0].evidence[0].text));
  });
});

describe('verdicts (triage --run)', () => {
  const finding = (check: string, code: string, severity: Finding['severity'] = 'error'): Finding => ({
    code,
    check,
    severity,
    messageId: 'm',
    data: {},
    message: `${code} happened`,
    evidence: {},
    docs: `docs/codes/${code}.md`,
  });
  const result = (id: string, status: CheckResult['status'], findings: Finding[] = [], reason?: string): CheckResult => ({
    id,
    title: id,
    status,
    durationMs: 1,
    findings,
    ...(reason ? { reason } : {}),
  });
  const available = new Set(['rate-limits', 'reverse-proxy', 'turn', 'public-baseurl', 'element-config']);

  test('confirmed by a finding with one of its codes', () => {
    const v = verdictFor(
      { checks: ['rate-limits', 'reverse-proxy'], codes: ['MXD-RL-001'] },
      new Map([
        ['rate-limits', result('rate-limits', 'fail', [finding('rate-limits', 'MXD-RL-001')])],
        ['reverse-proxy', result('reverse-proxy', 'pass')],
      ]),
      available,
    );
    assert.equal(v.status, 'confirmed');
    assert.match(v.reason, /^rate-limits: MXD-RL-001/);
  });

  test('a finding of another code does not confirm; all checks ran: ruled out', () => {
    const v = verdictFor(
      { checks: ['public-baseurl', 'element-config'], codes: ['MXD-PB-001', 'MXD-EL-006'] },
      new Map([
        ['public-baseurl', result('public-baseurl', 'pass')],
        ['element-config', result('element-config', 'warn', [finding('element-config', 'MXD-EL-009', 'warning')])],
      ]),
      available,
    );
    assert.equal(v.status, 'ruled-out');
    assert.equal(v.offline, undefined);
    const offline = verdictFor(
      { checks: ['public-baseurl'], codes: ['MXD-PB-001'] },
      new Map([['public-baseurl', result('public-baseurl', 'pass')]]),
      available,
      new Set(['public-baseurl']),
    );
    assert.equal(offline.status, 'ruled-out');
    assert.deepEqual(offline.offline, ['public-baseurl']);
    assert.match(offline.reason, /offline: the live part of public-baseurl was not tried/);
  });

  test('a message listed in notConfirmedBy does not confirm the cause (TURN-003 long is not a rejected credential)', () => {
    const rule = RULES.find((r) => r.id === 'turn-credentials');
    assert.ok(rule);
    assert.ok(rule.notConfirmedBy?.includes('MXD-TURN-003:long'));
    const long = { ...finding('turn', 'MXD-TURN-003', 'warning'), messageId: 'long' };
    const short = { ...finding('turn', 'MXD-TURN-003', 'warning'), messageId: 'short' };
    assert.equal(verdictFor(rule, new Map([['turn', result('turn', 'warn', [long])]]), available).status, 'ruled-out');
    assert.equal(verdictFor(rule, new Map([['turn', result('turn', 'warn', [short])]]), available).status, 'confirmed');
  });

  test('a cause without codes is confirmed by any warning or failure of its checks', () => {
    const checks = { checks: ['turn'], codes: [] };
    assert.equal(verdictFor(checks, new Map([['turn', result('turn', 'warn', [finding('turn', 'MXD-TURN-003', 'warning')])]]), available).status, 'confirmed');
    assert.equal(verdictFor(checks, new Map([['turn', result('turn', 'pass', [finding('turn', 'MXD-TURN-015', 'info')])]]), available).status, 'ruled-out');
  });

  test('could not test: a skipped check, a check that could not run, a check this matrixdoc does not have', () => {
    const v = verdictFor(
      { checks: ['public-baseurl', 'element-config', 'jitsi-websocket'], codes: ['MXD-EL-008'] },
      new Map([
        ['public-baseurl', result('public-baseurl', 'skip', [], '--offline: no network probes')],
        ['element-config', result('element-config', 'error', [], 'elementConfig: FILE_NOT_FOUND: no such file')],
      ]),
      available,
    );
    assert.equal(v.status, 'could-not-test');
    assert.deepEqual(
      v.untested.map((u) => u.check),
      ['public-baseurl', 'element-config', 'jitsi-websocket'],
    );
    assert.match(v.reason, /skipped: --offline/);
    assert.match(v.reason, /could not run: elementConfig: FILE_NOT_FOUND/);
    assert.match(v.reason, /no 'jitsi-websocket' check yet/);
  });
});
