// homeserver-config: every code and message it declares, the PyYAML tab rules, YAML 1.1 types, and a
// clean realistic homeserver.yaml that passes. All through the real engine (judge), no I/O.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import check from '../../checks/homeserver-config/index.js';
import type { CheckResult, Edit } from '../../src/engine/types.js';
import { parseYaml } from '../../src/parse/yaml.js';
import { Coverage, codes, homeserverArtifact, judge, one, SYNAPSE_LISTENERS } from '../helpers/judge.js';

const FILE = '/etc/matrix-synapse/homeserver.yaml';

const coverage = new Coverage(check);

async function run(text: string, extra: Record<string, unknown> = {}): Promise<CheckResult> {
  return coverage.record(await judge(check, { homeserverConfig: homeserverArtifact(text), ...extra }));
}

function applyTextEdits(text: string, edits: Edit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => (b as { start: number }).start - (a as { start: number }).start)) {
    assert.equal(e.kind, 'text');
    if (e.kind === 'text') out = out.slice(0, e.start) + e.text + out.slice(e.end);
  }
  return out;
}

/** The minimum Synapse needs, so that a test sees only the finding it is about. */
const BASE = 'server_name: "example.com"\nreport_stats: false\n';

const CLEAN = `# homeserver.yaml for example.com (Synapse behind nginx)
server_name: "example.com"
pid_file: /data/homeserver.pid
public_baseurl: "https://matrix.example.com/"
serve_server_wellknown: true

${SYNAPSE_LISTENERS}
database:
  name: psycopg2
  allow_unsafe_locale: false
  args:
    user: synapse
    password: "secret"
    dbname: synapse
    host: localhost
    port: 5432
    cp_min: 5
    cp_max: 10

log_config: "/data/example.com.log.config"
media_store_path: /data/media_store
max_upload_size: 50M
enable_registration: false
report_stats: no
presence:
  enabled: true

rc_message:
  per_second: 0.2
  burst_count: 10
rc_login:
  address:
    per_second: 0.003
    burst_count: 5

turn_uris:
  - "turn:turn.example.com?transport=udp"
  - "turn:turn.example.com?transport=tcp"
turn_shared_secret: "n0t-a-real-secret"
turn_user_lifetime: 1h
turn_allow_guests: true

trusted_key_servers:
  - server_name: "matrix.org"
suppress_key_server_warning: true

modules:
  - module: "ldap_auth_provider.LdapAuthProviderModule"
    config:
      enabled: true
      uri: "ldap://ldap.example.com:389"
      base: "ou=users,dc=example,dc=com"
      attributes:
        uid: "uid"
        mail: "mail"
        name: "cn"

email:
  notif_template_html: notif_mail.html
  # A tab\tinside a comment is fine
  app_name: "Matrix\t(a tab inside quotes is fine)"
motd: |
  Welcome!
  \tA tab inside a block scalar is content.
`;

describe('homeserver-config: status', () => {
  test('a clean, realistic homeserver.yaml passes with no findings', async () => {
    const r = await run(CLEAN, { target: { serverName: 'example.com' } });
    assert.equal(r.status, 'pass');
    assert.deepEqual(r.findings, []);
  });

  test('skip when homeserverConfig was skipped', async () => {
    const r = await judge(check, { homeserverConfig: { status: 'skipped', reason: 'no homeserver.yaml given (--homeserver-config)', durationMs: 0 } });
    assert.equal(r.status, 'skip');
    assert.equal(r.reason, 'no homeserver.yaml given (--homeserver-config)');
    assert.deepEqual(r.findings, []);
  });

  test('skip when no probe result was given at all', async () => {
    const r = await judge(check, {});
    assert.equal(r.status, 'skip');
  });

  test('error when homeserverConfig failed', async () => {
    const r = await judge(check, {
      homeserverConfig: { status: 'error', error: { code: 'FILE_NOT_FOUND', message: `--homeserver-config ${FILE}: no such file` }, durationMs: 1 },
    });
    assert.equal(r.status, 'error');
    assert.match(r.reason ?? '', /^homeserverConfig: FILE_NOT_FOUND: /);
    assert.deepEqual(r.findings, []);
  });

  test('an optional target probe that failed: the file is still judged, and the check says what it missed', async () => {
    const r = await run('server_name: "example.com"\n', { target: { status: 'error', error: { code: 'INTERNAL', message: 'boom' }, durationMs: 0 } });
    assert.equal(r.status, 'error');
    assert.equal(r.reason, 'target: INTERNAL: boom');
    assert.deepEqual(codes(r), ['MXD-HS-006:missing']);
  });

  test('every finding carries its docs link and rendered message', async () => {
    const r = await run('report_stats: "false"\n');
    assert.ok(r.findings.length > 0);
    for (const f of r.findings) {
      assert.equal(f.check, 'homeserver-config');
      assert.equal(f.docs, `docs/codes/${f.code}.md`);
      assert.doesNotMatch(f.message, /\{\{/);
    }
  });
});

describe('MXD-HS-001 tabs (PyYAML rejects a tab anywhere between tokens)', () => {
  test('a tab-indented line: tabIndent, replaced by the indentation step', async () => {
    const text = `${BASE}database:\n\tname: sqlite3\n`;
    const art = homeserverArtifact(text);
    const r = await run(text);
    assert.equal(r.status, 'fail');
    assert.deepEqual(codes(r), ['MXD-HS-001:tabIndent']);
    const f = one(r, 'MXD-HS-001', 'tabIndent');
    assert.equal(f.severity, 'error');
    assert.deepEqual(f.data, { line: 4, column: 1 });
    assert.equal(f.location?.file, FILE);
    assert.equal(f.location?.line, 4);
    assert.equal(f.location?.column, 1);
    assert.match(f.message, /^Line 4 is indented with a tab; Synapse cannot read the file/);
    assert.equal(f.evidence.line, '→name: sqlite3');
    assert.deepEqual(f.evidence.tabColumns, [1]);
    assert.equal(f.fix?.summary, "Replace the tab on line 4 with 2 spaces (the file's indentation step).");
    assert.equal(f.fix?.steps[0], `sed -i '4s/\\t/  /g' ${FILE}`);
    assert.match(f.fix?.steps[1] ?? '', /yaml\.safe_load/);
    const offset = text.indexOf('\t');
    assert.deepEqual(f.fix?.edits, [{ kind: 'text', file: FILE, start: offset, end: offset + 1, text: '  ', expectSha256: art.sha256 }]);
    const fixed = applyTextEdits(text, f.fix?.edits ?? []);
    const parsed = parseYaml(fixed);
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(parsed.value, { server_name: 'example.com', report_stats: false, database: { name: 'sqlite3' } });
  });

  test('the indentation step follows the file (4 spaces)', async () => {
    const text = `${BASE}database:\n    name: psycopg2\n    args:\n        user: synapse\n\t    host: localhost\n`;
    const r = await run(text);
    const f = one(r, 'MXD-HS-001', 'tabIndent');
    assert.equal(f.data.line, 7);
    assert.equal(f.fix?.edits[0].kind === 'text' && f.fix.edits[0].text, '    ');
    assert.match(f.fix?.summary ?? '', /with 4 spaces/);
    const parsed = parseYaml(applyTextEdits(text, f.fix?.edits ?? []));
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual((parsed.value as { database: unknown }).database, { name: 'psycopg2', args: { user: 'synapse', host: 'localhost' } });
  });

  test('a tab after the spaces of the indentation is still an indentation tab', async () => {
    const text = `${BASE}listeners:\n  - port: 8008\n  \t type: http\n`;
    const r = await run(text);
    const f = one(r, 'MXD-HS-001', 'tabIndent');
    assert.deepEqual(f.data, { line: 5, column: 3 });
    assert.equal(parseYaml(applyTextEdits(text, f.fix?.edits ?? [])).problems.filter((p) => p.kind === 'tab').length, 0);
  });

  test('a tab before a comment: tabBetween, replaced by one space', async () => {
    const text = 'server_name: "example.com"\nreport_stats: false\t# no stats\n';
    const r = await run(text);
    assert.deepEqual(codes(r), ['MXD-HS-001:tabBetween']);
    const f = one(r, 'MXD-HS-001', 'tabBetween');
    assert.deepEqual(f.data, { line: 2, column: 20 });
    assert.deepEqual([f.location?.line, f.location?.column], [2, 20]);
    assert.equal(f.message, 'Line 2 has a tab at column 20; PyYAML rejects tabs between tokens, not only in indentation, so Synapse cannot read the file.');
    assert.equal(f.fix?.summary, 'Replace the tab on line 2 column 20 with a space.');
    assert.equal(f.fix?.steps[0], `sed -i '2s/\\t/ /g' ${FILE}`);
    const edit = f.fix?.edits[0];
    assert.equal(edit?.kind, 'text');
    assert.equal(edit?.kind === 'text' && edit.text, ' ');
    const fixed = applyTextEdits(text, f.fix?.edits ?? []);
    assert.equal(fixed, 'server_name: "example.com"\nreport_stats: false # no stats\n');
    assert.deepEqual(parseYaml(fixed).problems, []);
  });

  test('a tab-only blank line is rejected too', async () => {
    const text = `${BASE}\t\npid_file: /data/homeserver.pid\n`;
    const r = await run(text);
    const f = one(r, 'MXD-HS-001', 'tabIndent');
    assert.deepEqual(f.data, { line: 3, column: 1 });
    assert.equal(f.evidence.line, '→');
    assert.deepEqual(parseYaml(applyTextEdits(text, f.fix?.edits ?? [])).problems, []);
  });

  test('a tab after `key:`', async () => {
    const text = 'server_name:\t"example.com"\nreport_stats: false\n';
    const r = await run(text);
    const f = one(r, 'MXD-HS-001', 'tabBetween');
    assert.deepEqual(f.data, { line: 1, column: 13 });
    const fixed = applyTextEdits(text, f.fix?.edits ?? []);
    assert.equal(fixed.split('\n')[0], 'server_name: "example.com"');
    assert.deepEqual(parseYaml(fixed).problems, []);
  });

  test('a tab in a flow list', async () => {
    const text = `${BASE}listeners:\n  - port: 8008\n    bind_addresses: ['::1',\t'127.0.0.1']\n`;
    const r = await run(text);
    const f = one(r, 'MXD-HS-001', 'tabBetween');
    assert.deepEqual(f.data, { line: 5, column: 28 });
    const parsed = parseYaml(applyTextEdits(text, f.fix?.edits ?? []));
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual((parsed.value as { listeners: unknown[] }).listeners, [{ port: 8008, bind_addresses: ['::1', '127.0.0.1'] }]);
  });

  test('a tab inside an unquoted value and in a wrapped plain value', async () => {
    const text = `${BASE}pid_file: /data/home\tserver.pid\nmotd: a long plain\n \tvalue wrapped onto the next line\n`;
    const r = await run(text);
    assert.deepEqual(codes(r), ['MXD-HS-001:tabBetween', 'MXD-HS-001:tabIndent']);
    assert.deepEqual(
      r.findings.map((f) => [f.data.line, f.data.column]),
      [
        [3, 21],
        [5, 2],
      ],
    );
    const fixed = applyTextEdits(
      text,
      r.findings.flatMap((f) => f.fix?.edits ?? []),
    );
    assert.deepEqual(parseYaml(fixed).problems, []);
  });

  test('a tab in the indentation of a block scalar line, before the block indentation', async () => {
    const text = `${BASE}motd: |\n  Welcome\n\t  to example.com\nenable_registration: false\n`;
    const r = await run(text);
    const f = one(r, 'MXD-HS-001', 'tabIndent');
    assert.deepEqual(f.data, { line: 5, column: 1 });
    const parsed = parseYaml(applyTextEdits(text, f.fix?.edits ?? []));
    assert.deepEqual(parsed.problems, []);
    assert.equal((parsed.value as { motd: string }).motd, 'Welcome\n  to example.com\n');
  });

  test('several tabs on one line make one finding with one edit per tab', async () => {
    const text = `${BASE}database:\n\tname:\tsqlite3\t# local\n`;
    const r = await run(text);
    const f = one(r, 'MXD-HS-001');
    assert.equal(f.messageId, 'tabIndent');
    assert.deepEqual(f.evidence.tabColumns, [1, 7, 15]);
    assert.deepEqual(
      f.fix?.edits.map((e) => (e.kind === 'text' ? e.text : e.kind)),
      ['  ', ' ', ' '],
    );
    const fixed = applyTextEdits(text, f.fix?.edits ?? []);
    assert.equal(fixed.split('\n')[3], '  name: sqlite3 # local');
    assert.deepEqual(parseYaml(fixed).problems, []);
  });

  test('no finding for tabs inside quotes, comments and block scalars', async () => {
    const text = `${BASE}# a\tcomment\nmotd: "tab\tinside"\nsingle: 'tab\tinside'\nwrapped: "first\n  \tsecond"\nliteral: |\n  keep\tthis\n  \tand this\nfolded: >\n  and\tthis\nport: 1 # trailing\tcomment\n`;
    const parsed = parseYaml(text);
    assert.deepEqual(parsed.problems, []);
    const r = await run(text);
    assert.equal(
      r.findings.some((f) => f.code === 'MXD-HS-001'),
      false,
    );
  });

  test('a tab in the indentation stops the judging of keys (the structure read would be wrong)', async () => {
    // The `yaml` package would read x_forwarded as a top-level key (MXD-HS-011) and no report_stats.
    const r = await run('server_name: "example.com"\nlisteners:\n  - port: 8008\n\tx_forwarded: true\n');
    assert.deepEqual(codes(r), ['MXD-HS-001:tabIndent']);
  });

  test("the `yaml` package's complaints after a tab-indented line are not reported; earlier syntax errors are", async () => {
    // Alone, the `yaml` package also reports "Nested mappings are not allowed..." on line 5 and later.
    const tabbed = `${BASE}listeners:\n  - port: 8008\n    tls: false\n\t\ttype: http\n    x_forwarded: true\n`;
    assert.ok(parseYaml(tabbed).problems.some((p) => p.kind === 'syntax'));
    assert.deepEqual(codes(await run(tabbed)), ['MXD-HS-001:tabIndent']);

    const before = `${BASE}pid_file: a: b\nlisteners:\n\t- port: 8008\n`;
    const r = await run(before);
    assert.ok(codes(r).includes('MXD-HS-001:tabIndent'));
    assert.ok(codes(r).includes('MXD-HS-002:syntax'), JSON.stringify(codes(r)));
  });

  test('tabs between tokens only: the keys are still judged', async () => {
    const r = await run('server_name: "example.com"\nreport_stats: "false"\t# off\n');
    assert.deepEqual(codes(r), ['MXD-HS-001:tabBetween', 'MXD-HS-008:quotedBool']);
  });

  test('more than ten lines with tabs: ten findings and one moreTabs summary', async () => {
    const lines = Array.from({ length: 13 }, (_, i) => `key_${i}:\t${i}`);
    const text = `${BASE}${lines.join('\n')}\n`;
    const r = await run(text);
    const tabs = r.findings.filter((f) => f.code === 'MXD-HS-001');
    assert.equal(tabs.length, 11);
    assert.deepEqual(
      tabs.slice(0, 10).map((f) => f.data.line),
      [3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
    );
    const more = one(r, 'MXD-HS-001', 'moreTabs');
    assert.equal(more.severity, 'error');
    assert.deepEqual(more.data, { count: 3, lines: '13, 14, 15' });
    assert.equal(more.message, '3 more lines contain tabs (13, 14, 15).');
    assert.deepEqual(more.location, { file: FILE });
    assert.deepEqual(more.evidence.lines, [13, 14, 15]);
    assert.equal(more.fix?.steps[0], `cp -p ${FILE} ${FILE}.bak && sed -i 's/\\t/  /g' ${FILE}   # sed -i keeps the owner and mode`);
    assert.deepEqual(more.fix?.edits, []);
  });
});

describe('MXD-HS-002 YAML syntax', () => {
  test('an unclosed flow list is reported with line and column, and nothing else is judged', async () => {
    const text = 'server_name: "example.com"\nlisteners: [8008, 8448\nreport_stats: false\n';
    const r = await run(text);
    assert.equal(r.status, 'fail');
    assert.ok(r.findings.every((f) => f.code === 'MXD-HS-002'));
    const f = r.findings[0];
    assert.equal(f.messageId, 'syntax');
    assert.equal(f.severity, 'error');
    assert.equal(typeof f.data.detail, 'string');
    assert.match(f.message, /^YAML syntax error: .+\.$/);
    assert.equal(f.location?.file, FILE);
    assert.equal(typeof f.location?.line, 'number');
    assert.equal(f.fix?.summary, `Correct the YAML at line ${f.location?.line}, column ${f.location?.column}.`);
    assert.match(f.fix?.steps[0] ?? '', /python3 -m synapse\.config -c/);
  });

  test("an unclosed quote: at the quote, in PyYAML's words with both its marks", async () => {
    const r = await run('server_name: "example.com\nreport_stats: false\n');
    assert.deepEqual(codes(r), ['MXD-HS-002:syntax']);
    const f = one(r, 'MXD-HS-002', 'syntax');
    assert.equal(f.data.detail, 'while scanning a quoted scalar (line 1, column 14): found unexpected end of stream (line 3, column 1)');
    assert.deepEqual([f.location?.line, f.location?.column], [1, 14]);
  });

  test('two documents in one file', async () => {
    const r = await run(`${BASE}---\npid_file: /x\n`);
    const f = one(r, 'MXD-HS-002', 'syntax');
    assert.equal(f.location?.line, 3);
    assert.equal(f.evidence.line, '---');
  });
});

describe('MXD-HS-003 duplicate keys', () => {
  test('a top-level key twice: the later one wins, the earlier block is reported', async () => {
    const text = `${BASE}listeners:\n  - port: 8008\n    type: http\nlisteners:\n  - port: 8448\n    type: http\n`;
    const r = await run(text);
    assert.equal(r.status, 'warn');
    assert.deepEqual(codes(r), ['MXD-HS-003:duplicate']);
    const f = one(r, 'MXD-HS-003', 'duplicate');
    assert.equal(f.severity, 'warning');
    assert.deepEqual(f.data, { key: 'listeners' });
    assert.deepEqual([f.location?.line, f.location?.column], [6, 1]);
    assert.equal(f.evidence.line, 'listeners:');
    assert.match(f.fix?.summary ?? '', /Merge the two 'listeners' blocks/);
    assert.deepEqual(parseYaml(text).value, { server_name: 'example.com', report_stats: false, listeners: [{ port: 8448, type: 'http' }] });
  });

  test('a nested duplicate, a duplicate inside a flow map, a quoted duplicate', async () => {
    const r1 = await run(`${BASE}database:\n  name: sqlite3\n  name: psycopg2\n`);
    const f1 = one(r1, 'MXD-HS-003');
    assert.deepEqual(f1.data, { key: 'name' });
    assert.deepEqual([f1.location?.line, f1.location?.column], [5, 3]);

    const r2 = await run(`${BASE}database: {name: sqlite3, name: psycopg2}\n`);
    assert.deepEqual(one(r2, 'MXD-HS-003').data, { key: 'name' });

    const r3 = await run(`${BASE}"pid_file": /a\n"pid_file": /b\n`);
    assert.deepEqual(one(r3, 'MXD-HS-003').data, { key: 'pid_file' });
  });
});

describe('MXD-HS-004 not a map', () => {
  for (const [name, text, found] of [
    ['an empty file', '', 'empty (null)'],
    ['a file of comments only', '# nothing here\n', 'empty (null)'],
    ['a list', '- server_name: example.com\n- report_stats: false\n', 'a list of 2'],
    ['a plain string', 'server_name example.com\n', "string 'server_name example.com'"],
  ] as const) {
    test(name, async () => {
      const r = await run(text);
      assert.equal(r.status, 'fail');
      assert.deepEqual(codes(r), ['MXD-HS-004:notMap']);
      const f = one(r, 'MXD-HS-004', 'notMap');
      assert.equal(f.severity, 'error');
      assert.deepEqual(f.data, { found });
      assert.deepEqual(f.location, { file: FILE, line: 1, column: 1 });
      assert.match(f.message, /IGNORING/);
      assert.match(f.fix?.summary ?? '', /--homeserver-config/);
    });
  }
});

describe('MXD-HS-005 server_name', () => {
  test('missing', async () => {
    const r = await run('report_stats: false\npublic_baseurl: https://matrix.example.com/\n');
    assert.deepEqual(codes(r), ['MXD-HS-005:missing']);
    const f = one(r, 'MXD-HS-005', 'missing');
    assert.equal(f.severity, 'error');
    assert.deepEqual(f.location, { file: FILE });
    assert.deepEqual(f.evidence.keys, ['report_stats', 'public_baseurl']);
    assert.equal(f.message, 'server_name is missing; Synapse refuses to start ("Missing mandatory `server_name` config option.").');
    assert.deepEqual(f.fix?.steps, ['server_name: "example.com"']);
  });

  test('invalid: a URL instead of a name', async () => {
    const r = await run('server_name: "https://example.com/"\nreport_stats: false\n');
    assert.deepEqual(codes(r), ['MXD-HS-005:invalid']);
    const f = one(r, 'MXD-HS-005', 'invalid');
    assert.deepEqual(f.data, { value: 'https://example.com/' });
    assert.deepEqual([f.location?.line, f.location?.column], [1, 14]);
    assert.deepEqual(f.fix?.steps, ['server_name: "example.com"']);
  });

  test('valid names with a port and IP literals', async () => {
    for (const name of ['example.com:8448', '[::1]:8448', '192.0.2.1']) {
      const r = await run(`server_name: "${name}"\nreport_stats: false\n`);
      assert.deepEqual(codes(r), [], name);
    }
  });

  test('mismatch with the server name given to matrixdoc', async () => {
    const r = await run(BASE, { target: { serverName: 'example.org' } });
    assert.deepEqual(codes(r), ['MXD-HS-005:mismatch']);
    const f = one(r, 'MXD-HS-005', 'mismatch');
    assert.equal(f.severity, 'error');
    assert.deepEqual(f.data, { value: 'example.com', expected: 'example.org' });
    assert.equal(f.message, "server_name is 'example.com' but the server name given to matrixdoc is 'example.org'.");
    assert.deepEqual([f.location?.line, f.location?.column], [1, 14]);
    assert.deepEqual(f.fix?.steps, ['matrixdoc check --server-name example.com ...']);
  });

  test('no mismatch when the names agree or no name was given', async () => {
    assert.deepEqual(codes(await run(BASE, { target: { serverName: 'example.com' } })), []);
    assert.deepEqual(codes(await run(BASE, { target: {} })), []);
  });

  test('a server_name that is not a string is a type error, not "missing"', async () => {
    const r = await run('server_name:\nreport_stats: false\n');
    assert.deepEqual(codes(r), ['MXD-HS-008:wrongType']);
    assert.equal(one(r, 'MXD-HS-008').data.found, 'empty (null)');
  });
});

describe('MXD-HS-006 report_stats and YAML 1.1 booleans', () => {
  test('missing report_stats: an error with a yaml-set edit', async () => {
    const text = 'server_name: "example.com"\n';
    const r = await run(text);
    assert.deepEqual(codes(r), ['MXD-HS-006:missing']);
    const f = one(r, 'MXD-HS-006', 'missing');
    assert.equal(f.severity, 'error');
    assert.deepEqual(f.location, { file: FILE });
    assert.deepEqual(f.fix?.steps, ['report_stats: false']);
    assert.deepEqual(f.fix?.edits, [{ kind: 'yaml-set', file: FILE, path: ['report_stats'], value: false, expectSha256: homeserverArtifact(text).sha256 }]);
  });

  for (const value of ['no', 'No', 'off', 'false', 'yes', 'ON', 'True']) {
    test(`report_stats: ${value} is a YAML 1.1 boolean: no finding`, async () => {
      const r = await run(`server_name: "example.com"\nreport_stats: ${value}\n`);
      assert.equal(r.status, 'pass');
      assert.deepEqual(r.findings, []);
    });
  }

  test('report_stats: "false" is the quoted string, which Synapse treats as true', async () => {
    const text = 'server_name: "example.com"\nreport_stats: "false"\n';
    const r = await run(text);
    assert.deepEqual(codes(r), ['MXD-HS-008:quotedBool']);
    const f = one(r, 'MXD-HS-008', 'quotedBool');
    assert.equal(f.severity, 'error');
    assert.equal(f.data.key, 'report_stats');
    assert.equal(f.data.value, 'false');
    assert.match(f.message, /^report_stats is the quoted string 'false', not a boolean; .*turns usage reporting ON\.$/);
    assert.deepEqual([f.location?.line, f.location?.column], [2, 15]);
    assert.equal(f.fix?.summary, 'Write report_stats: false without quotes.');
    assert.deepEqual(f.fix?.edits, [{ kind: 'yaml-set', file: FILE, path: ['report_stats'], value: false, expectSha256: homeserverArtifact(text).sha256 }]);
  });

  test("report_stats: 'yes' (quoted) becomes true", async () => {
    const r = await run('server_name: "example.com"\nreport_stats: \'yes\'\n');
    const f = one(r, 'MXD-HS-008', 'quotedBool');
    assert.equal(f.fix?.edits[0].kind === 'yaml-set' && f.fix.edits[0].value, true);
  });

  test('report_stats: n is a string for PyYAML (y/n are not YAML 1.1 booleans there)', async () => {
    const r = await run('server_name: "example.com"\nreport_stats: n\n');
    const f = one(r, 'MXD-HS-008', 'wrongType');
    assert.equal(f.data.found, "string 'n'");
    // The expected type is an id in data; the message and the fix say it in words.
    assert.equal(f.data.expected, 'bool');
    assert.equal(f.data.consequence, 'truthyReportStats');
    assert.equal(
      f.message,
      'report_stats should be true or false (unquoted), found string \'n\'; the value is used as truthy: any non-empty string, even "false", turns usage reporting ON.',
    );
    assert.equal(f.fix?.summary, 'Set report_stats to true or false (unquoted).');
  });
});

describe('MXD-HS-007 deprecated keys', () => {
  test('rc_messages_per_second without rc_message: deprecated, with edits that move it', async () => {
    const text = `${BASE}rc_messages_per_second: 0.5\n`;
    const sha = homeserverArtifact(text).sha256;
    const r = await run(text);
    assert.equal(r.status, 'warn');
    assert.deepEqual(codes(r), ['MXD-HS-007:deprecated']);
    const f = one(r, 'MXD-HS-007', 'deprecated');
    assert.equal(f.severity, 'warning');
    assert.deepEqual(f.data, {
      key: 'rc_messages_per_second',
      replacement: 'rc_message.per_second',
      since: '0.99.5',
      whenBoth: 'ignoredOnceRcMessage',
      ignoredWhen: 'rc_message',
    });
    assert.equal(
      f.message,
      "'rc_messages_per_second' is deprecated (since Synapse 0.99.5); use rc_message.per_second. If both are set: ignored entirely once an rc_message block exists.",
    );
    assert.equal(f.location?.line, 3);
    assert.equal(f.location?.column, 1);
    assert.equal(f.location?.endColumn, 23);
    assert.deepEqual(f.evidence, { rc_messages_per_second: 0.5 });
    assert.equal(f.fix?.summary, "Replace 'rc_messages_per_second' with rc_message.per_second.");
    assert.deepEqual(f.fix?.steps, ['rc_message:\n  per_second: 0.5']);
    assert.deepEqual(f.fix?.edits, [
      { kind: 'yaml-set', file: FILE, path: ['rc_message', 'per_second'], value: 0.5, expectSha256: sha },
      { kind: 'yaml-delete', file: FILE, path: ['rc_messages_per_second'], expectSha256: sha },
    ]);
  });

  test('rc_message_burst_count next to an rc_message block: ignored, and the fix deletes it', async () => {
    const text = `${BASE}rc_message:\n  per_second: 1\n  burst_count: 20\nrc_message_burst_count: 100\n`;
    const r = await run(text);
    assert.deepEqual(codes(r), ['MXD-HS-007:ignored']);
    const f = one(r, 'MXD-HS-007', 'ignored');
    assert.equal(f.data.ignoredWhen, 'rc_message');
    assert.equal(
      f.message,
      "'rc_message_burst_count' has no effect: rc_message is also set, so Synapse ignores the old key. Move the value into rc_message.burst_count or delete the line.",
    );
    assert.equal(f.location?.line, 6);
    assert.deepEqual(f.fix?.steps, []);
    assert.deepEqual(f.fix?.edits, [{ kind: 'yaml-delete', file: FILE, path: ['rc_message_burst_count'], expectSha256: homeserverArtifact(text).sha256 }]);
  });

  test('federation_rc_* keys next to rc_federation are ignored', async () => {
    const r = await run(`${BASE}rc_federation:\n  window_size: 1000\nfederation_rc_window_size: 500\nfederation_rc_concurrent: 5\n`);
    assert.deepEqual(codes(r), ['MXD-HS-007:ignored', 'MXD-HS-007:ignored']);
    assert.deepEqual(
      r.findings.map((f) => f.data.key),
      ['federation_rc_window_size', 'federation_rc_concurrent'],
    );
  });

  test('a deprecated key with no replacement block: a hint, no automatic edit', async () => {
    const r = await run(`${BASE}bind_port: 8448\n`);
    const f = one(r, 'MXD-HS-007', 'deprecated');
    assert.equal(f.data.key, 'bind_port');
    assert.equal(f.data.replacement, 'listeners');
    assert.equal(f.data.ignoredWhen, '');
    assert.deepEqual(f.fix?.edits, []);
    // A version that is not a number is a phrase too: the id in data, the words in the message.
    assert.equal(f.data.since, 'pre-1.0');
    assert.equal(f.data.whenBoth, 'replacesListeners');
    assert.equal(
      f.message,
      "'bind_port' is deprecated (since Synapse before 1.0); use listeners. If both are set: replaces the whole listeners list with two legacy listeners.",
    );
  });

  test('a replacement that is not a key alone is a phrase: the id in data, the words in the message and the fix', async () => {
    const f = one(await run(`${BASE}disable_registration: true\n`), 'MXD-HS-007', 'deprecated');
    assert.deepEqual([f.data.replacement, f.data.since, f.data.whenBoth], ['enableRegistrationInverted', 'legacy', 'disableRegistrationWins']);
    assert.equal(
      f.message,
      "'disable_registration' is deprecated (since Synapse legacy); use enable_registration (inverted). If both are set: disable_registration wins.",
    );
    assert.equal(f.fix?.summary, "Replace 'disable_registration' with enable_registration (inverted).");
  });

  test('use_presence is only dead when presence.enabled is set', async () => {
    const dead = await run(`${BASE}use_presence: false\npresence:\n  enabled: true\n`);
    assert.deepEqual(codes(dead), ['MXD-HS-007:ignored']);
    assert.equal(one(dead, 'MXD-HS-007').data.ignoredWhen, 'presence.enabled');

    // A presence block without `enabled` still lets Synapse read use_presence.
    const text = `${BASE}use_presence: false\npresence:\n  include_offline_users_on_sync: true\n`;
    const live = await run(text);
    const f = one(live, 'MXD-HS-007', 'deprecated');
    assert.deepEqual(
      f.fix?.edits.map((e) => [e.kind, 'path' in e ? e.path : undefined, 'value' in e ? e.value : undefined]),
      [
        ['yaml-set', ['presence', 'enabled'], false],
        ['yaml-delete', ['use_presence'], undefined],
      ],
    );
  });
});

describe('MXD-HS-008 types, listeners', () => {
  const listener = (body: string) => `${BASE}listeners:\n  - port: 8008\n    type: http\n${body}`;

  test('a quoted port', async () => {
    const r = await run(`${BASE}listeners:\n  - port: "8008"\n    type: http\n`);
    assert.deepEqual(codes(r), ['MXD-HS-008:wrongType']);
    const f = one(r, 'MXD-HS-008', 'wrongType');
    assert.equal(f.severity, 'error');
    assert.equal(f.data.key, 'listeners[0].port');
    assert.equal(f.data.expected, 'port');
    assert.equal(f.data.consequence, 'refusesListenerPort');
    assert.equal(f.data.found, "string '8008'");
    assert.match(f.message, /^listeners\[0\]\.port should be a port number \(1-65535\), found string '8008'; Synapse refuses to start/);
    assert.deepEqual([f.location?.line, f.location?.column], [4, 11]);
    assert.equal(f.fix?.summary, 'Set listeners[0].port to a port number (1-65535).');
    assert.deepEqual(f.fix?.edits, []);
  });

  test('a port out of range', async () => {
    const r = await run(`${BASE}listeners:\n  - port: 80080\n    type: http\n`);
    assert.equal(one(r, 'MXD-HS-008', 'wrongType').data.found, 'number 80080');
  });

  test('an unknown listener type', async () => {
    const r = await run(`${BASE}listeners:\n  - port: 9093\n    type: replication\n`);
    assert.deepEqual(codes(r), ['MXD-HS-008:notOneOf']);
    const f = one(r, 'MXD-HS-008', 'notOneOf');
    assert.deepEqual(f.data, { key: 'listeners[0].type', found: "'replication'", allowed: 'http, manhole, metrics' });
    assert.equal(f.message, "listeners[0].type is 'replication'; Synapse accepts only http, manhole, metrics.");
    assert.deepEqual([f.location?.line, f.location?.column], [5, 11]);
    assert.equal(f.fix?.summary, 'Use one of: http, manhole, metrics.');
  });

  test('an unknown resource name', async () => {
    const r = await run(listener('    resources:\n      - names: [client, fedaration, metrics]\n'));
    const f = one(r, 'MXD-HS-008', 'notOneOf');
    assert.equal(f.data.key, 'listeners[0].resources[0].names');
    assert.equal(f.data.found, "'fedaration'");
    assert.match(String(f.data.allowed), /^client, consent, federation, health, keys, media, metrics, openid, replication, static$/);
    assert.equal(f.location?.line, 7);
  });

  test('resource names as a bare string', async () => {
    const r = await run(listener('    resources:\n      - names: client\n'));
    const f = one(r, 'MXD-HS-008', 'wrongType');
    assert.equal(f.data.key, 'listeners[0].resources[0].names');
    assert.equal(f.data.expected, 'stringList');
    assert.equal(f.data.consequence, 'refusesUnknownResource');
    assert.match(f.message, /should be a list of strings, found string 'client'; .*read letter by letter/);
  });

  test('quoted booleans in a listener: tls, x_forwarded, compress', async () => {
    const text = listener('    tls: "false"\n    x_forwarded: "true"\n    resources:\n      - names: [client]\n        compress: "no"\n');
    const r = await run(text);
    assert.deepEqual(codes(r), ['MXD-HS-008:quotedBool', 'MXD-HS-008:quotedBool', 'MXD-HS-008:quotedBool']);
    assert.deepEqual(
      r.findings.map((f) => [f.data.key, f.fix?.edits[0].kind === 'yaml-set' ? [f.fix.edits[0].path, f.fix.edits[0].value] : undefined]),
      [
        ['listeners[0].tls', [['listeners', 0, 'tls'], false]],
        ['listeners[0].x_forwarded', [['listeners', 0, 'x_forwarded'], true]],
        ['listeners[0].resources[0].compress', [['listeners', 0, 'resources', 0, 'compress'], false]],
      ],
    );
  });

  test('bind_addresses as a string, listeners as a map, a listener that is not a map', async () => {
    assert.equal(one(await run(listener("    bind_addresses: '0.0.0.0'\n")), 'MXD-HS-008').data.key, 'listeners[0].bind_addresses');
    assert.equal(one(await run(`${BASE}listeners:\n  port: 8008\n`), 'MXD-HS-008').data.key, 'listeners');
    assert.equal(one(await run(`${BASE}listeners:\n  - 8008\n`), 'MXD-HS-008').data.key, 'listeners[0]');
  });

  test('other typed keys: size, duration, database name, rate limits', async () => {
    const r = await run(
      `${BASE}max_upload_size: 50m\nturn_user_lifetime: 1.5h\ndatabase:\n  name: sqlite\n  args:\n    cp_min: five\nrc_message:\n  per_second: fast\n`,
    );
    assert.deepEqual(
      r.findings.map((f) => `${f.messageId}:${f.data.key}`),
      [
        'wrongType:turn_user_lifetime',
        'notOneOf:database.name',
        'wrongType:database.args.cp_min',
        'wrongType:max_upload_size',
        'wrongType:rc_message.per_second',
      ],
    );
  });

  test('durations and sizes Synapse accepts', async () => {
    const r = await run(`${BASE}max_upload_size: 100M\nturn_user_lifetime: 86400000\nturn_allow_guests: false\n`);
    assert.deepEqual(codes(r), []);
  });
});

describe('MXD-HS-009 removed keys', () => {
  test('fatal when truthy', async () => {
    const text = `${BASE}trust_identity_server_for_password_resets: true\n`;
    const r = await run(text);
    assert.equal(r.status, 'fail');
    assert.deepEqual(codes(r), ['MXD-HS-009:fatal']);
    const f = one(r, 'MXD-HS-009', 'fatal');
    assert.equal(f.severity, 'error');
    assert.equal(f.data.key, 'trust_identity_server_for_password_resets');
    assert.equal(f.data.since, '1.48.0');
    assert.match(f.message, /no longer supported\. Please remove it from the config file\."$/);
    assert.deepEqual([f.location?.line, f.location?.column], [3, 1]);
    assert.deepEqual(f.fix?.edits, [
      { kind: 'yaml-delete', file: FILE, path: ['trust_identity_server_for_password_resets'], expectSha256: homeserverArtifact(text).sha256 },
    ]);
  });

  test('the same key when falsy is only ignored (a warning)', async () => {
    const r = await run(`${BASE}trust_identity_server_for_password_resets: false\nlog_file:\n`);
    assert.equal(r.status, 'warn');
    assert.deepEqual(codes(r), ['MXD-HS-009:ignored', 'MXD-HS-009:ignored']);
    assert.ok(r.findings.every((f) => f.severity === 'warning'));
    assert.deepEqual(
      r.findings.map((f) => f.data.key),
      ['trust_identity_server_for_password_resets', 'log_file'],
    );
    // What Synapse would print if the key were set is a phrase here (the fatal message quotes it as data).
    const f = r.findings[1];
    assert.equal(f.data.effect, 'synapseError.log_file');
    assert.equal(
      f.message,
      "'log_file' was removed in Synapse 1.3.0 and is silently ignored (Support for the log_file configuration option and --log-file command-line option was removed in Synapse 1.3.0. You should instead set up a separate log configuration file.).",
    );
  });

  test('a truthy string counts as truthy (Python: any non-empty string)', async () => {
    const r = await run(`${BASE}log_file: "false"\n`);
    assert.equal(one(r, 'MXD-HS-009').messageId, 'fatal');
  });

  test('fatal whatever the value when not marked "when truthy"', async () => {
    const r = await run(`${BASE}worker_replication_port: 0\n`);
    const f = one(r, 'MXD-HS-009', 'fatal');
    assert.equal(f.severity, 'error');
    assert.equal(f.data.key, 'worker_replication_port');
  });

  test('non-fatal removed keys are ignored with a warning', async () => {
    const r = await run(`${BASE}acme:\n  enabled: false\n`);
    const f = one(r, 'MXD-HS-009', 'ignored');
    assert.equal(f.severity, 'warning');
    assert.equal(f.data.effect, 'acmeRemoved');
    assert.equal(
      f.message,
      "'acme' was removed in Synapse 1.37.0 and is silently ignored (the built-in ACME client was removed; use certbot or a reverse proxy).",
    );
    assert.deepEqual(
      f.fix?.edits.map((e) => e.kind),
      ['yaml-delete'],
    );
  });

  test('account_threepid_delegates.email is fatal', async () => {
    const r = await run(`${BASE}account_threepid_delegates:\n  email: https://vector.im\n`);
    const f = one(r, 'MXD-HS-009', 'fatal');
    assert.equal(f.data.key, 'account_threepid_delegates.email');
    assert.equal(f.data.since, '1.66.0');
    assert.deepEqual([f.location?.line, f.location?.column], [4, 3]);
    assert.deepEqual(
      f.fix?.edits.map((e) => [e.kind, 'path' in e ? e.path : undefined]),
      [['yaml-delete', ['account_threepid_delegates', 'email']]],
    );
  });
});

describe('MXD-HS-010 public_baseurl', () => {
  for (const [value, messageId] of [
    ['matrix.example.com', 'scheme'],
    ['ftp://matrix.example.com/', 'scheme'],
    ['https://matrix.example.com/?x=1', 'query'],
    ['https://matrix.example.com/#top', 'query'],
    ['https://', 'invalid'],
    ['https://matrix.example.com/_matrix/client/', 'path'],
  ] as const) {
    test(`'${value}': ${messageId}`, async () => {
      const r = await run(`${BASE}public_baseurl: "${value}"\n`);
      assert.deepEqual(codes(r), [`MXD-HS-010:${messageId}`]);
      const f = one(r, 'MXD-HS-010', messageId);
      assert.equal(f.severity, 'error');
      assert.deepEqual(f.data, { value });
      assert.deepEqual([f.location?.line, f.location?.column], [3, 17]);
      assert.deepEqual(f.evidence, { public_baseurl: value });
      assert.deepEqual(f.fix?.steps, ['public_baseurl: "https://matrix.example.com/"']);
    });
  }

  for (const value of ['https://matrix.example.com', 'https://matrix.example.com:443/', 'http://localhost:8008/', 'https://example.com/matrix/']) {
    test(`'${value}' is fine`, async () => {
      assert.deepEqual(codes(await run(`${BASE}public_baseurl: "${value}"\n`)), []);
    });
  }

  test('null means the default; a number is a type error', async () => {
    assert.deepEqual(codes(await run(`${BASE}public_baseurl:\n`)), []);
    assert.deepEqual(codes(await run(`${BASE}public_baseurl: 8008\n`)), ['MXD-HS-008:wrongType']);
  });
});

describe('MXD-HS-011 mis-indented keys', () => {
  test('enabled at the top level (meant for presence)', async () => {
    const r = await run(`${BASE}presence:\nenabled: false\n`);
    assert.deepEqual(codes(r), ['MXD-HS-011:misindented']);
    const f = one(r, 'MXD-HS-011', 'misindented');
    assert.equal(f.severity, 'warning');
    assert.deepEqual(f.data, { key: 'enabled', section: 'anySection' });
    assert.equal(
      f.message,
      "'enabled' is at the top level, but it belongs inside a section such as presence, url_preview or a module config; a mis-indented line is silently ignored by Synapse.",
    );
    assert.deepEqual([f.location?.line, f.location?.column], [4, 1]);
    assert.deepEqual(f.evidence, { enabled: false });
    assert.equal(f.fix?.summary, "Indent 'enabled' under a section such as presence, url_preview or a module config, or delete it.");
  });

  test('listener and database keys at the top level', async () => {
    const r = await run(`${BASE}listeners:\n  - port: 8008\n    type: http\nx_forwarded: true\ndatabase:\n  name: psycopg2\ncp_max: 10\n`);
    assert.deepEqual(
      r.findings.map((f) => [f.code, f.data.key, f.data.section]),
      [
        ['MXD-HS-011', 'x_forwarded', 'listeners[]'],
        ['MXD-HS-011', 'cp_max', 'database.args'],
      ],
    );
  });
});

describe('several config files (Synapse -c file -c conf.d/), merged shallowly', () => {
  const CONFD = '/etc/matrix-synapse/conf.d';
  async function runMany(main: string, overrides: Record<string, string>): Promise<CheckResult> {
    const artifact = { ...homeserverArtifact(main), overrides: Object.entries(overrides).map(([name, text]) => homeserverArtifact(text, `${CONFD}/${name}`)) };
    return coverage.record(await judge(check, { homeserverConfig: artifact }));
  }

  test("keys from conf.d count: Debian's server_name.yaml and report_stats.yaml", async () => {
    const r = await runMany('pid_file: /run/matrix-synapse.pid\n', {
      'report_stats.yaml': 'report_stats: false\n',
      'server_name.yaml': 'server_name: example.com\n',
    });
    assert.equal(r.status, 'pass', JSON.stringify(codes(r)));
  });

  test('a finding about a key points at the file that holds it, and its fix edits that file', async () => {
    const r = await runMany(BASE, { 'rc.yaml': 'rc_messages_per_second: 0.5\nreport_stats: "no"\n' });
    const dep = one(r, 'MXD-HS-007', 'deprecated');
    assert.equal(dep.location?.file, `${CONFD}/rc.yaml`);
    assert.equal(dep.location?.line, 1);
    assert.ok(dep.fix?.edits.every((e) => e.file === `${CONFD}/rc.yaml`));
    const quoted = one(r, 'MXD-HS-008', 'quotedBool');
    assert.deepEqual([quoted.location?.file, quoted.location?.line], [`${CONFD}/rc.yaml`, 2]);
  });

  test('a later file replaces a whole top-level block (shallow merge), as Synapse does', async () => {
    const r = await runMany(`${BASE}listeners:\n  - port: 8008\n    type: http\n`, { 'listeners.yaml': 'listeners:\n  - port: "8008"\n    type: http\n' });
    const f = one(r, 'MXD-HS-008', 'wrongType');
    assert.equal(f.data.key, 'listeners[0].port');
    assert.equal(f.location?.file, `${CONFD}/listeners.yaml`);
  });

  test('a tab in a conf.d file is reported there, and stops key checks as it stops Synapse', async () => {
    const r = await runMany(BASE, { 'bad.yaml': 'a:\n\tb: 1\n' });
    const f = one(r, 'MXD-HS-001', 'tabIndent');
    assert.equal(f.location?.file, `${CONFD}/bad.yaml`);
    assert.equal(r.findings.length, 1);
  });

  test('a conf.d file that is not a map is ignored by Synapse, and reported', async () => {
    const r = await runMany(BASE, { 'list.yaml': '- a\n- b\n' });
    assert.equal(one(r, 'MXD-HS-004').location?.file, `${CONFD}/list.yaml`);
  });
});

test('every code and messageId homeserver-config declares is produced by a test above', () => {
  assert.deepEqual(coverage.missing(), []);
});
