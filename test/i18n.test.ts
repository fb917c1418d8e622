// The zh-Hans catalog against the built-in checks: same codes, same messageIds, same placeholders, the
// quoted Synapse/Element strings and config keys kept in English; locale names; and one finding rendered
// in Chinese through the real engine.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { builtinChecks } from '../checks/index.js';
import { buildInputs } from '../src/engine/inputs.js';
import { formatMessage, PLACEHOLDER } from '../src/engine/messages.js';
import { FIX_KEY_PREFIX, PHRASE_KEY_PREFIX, runEngine } from '../src/engine/run.js';
import type { CheckDefinition, ProbeResult } from '../src/engine/types.js';
import { catalogFor, normaliseLocale } from '../src/i18n/index.js';
import { zhHans } from '../src/i18n/zh-Hans.js';
import { NetClient } from '../src/net/client.js';
import { parseYaml } from '../src/parse/yaml.js';
import type { HomeserverConfigArtifact } from '../src/probes/config-files.js';
import { probeRegistry } from '../src/probes/index.js';
import { Redactor } from '../src/report/redact.js';

/** English templates of every built-in code: code -> messageId (or fix:<id>) -> template. */
const english = new Map<string, Record<string, string>>();
for (const check of builtinChecks) {
  for (const c of check.codes) {
    const fixes = Object.entries(c.fixes ?? {}).map(([id, template]) => [`${FIX_KEY_PREFIX}${id}`, template]);
    const phrases = Object.entries(c.phrases ?? {}).map(([id, words]) => [`${PHRASE_KEY_PREFIX}${id}`, words]);
    english.set(c.code, { ...c.messages, ...Object.fromEntries(fixes), ...Object.fromEntries(phrases) });
  }
}

const placeholders = (template: string) => [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => `${m[1]}${m[2]}`))].sort();

/** Every message of both catalogs, as [code, messageId, English, Chinese]. */
function pairs(): [string, string, string, string | undefined][] {
  const out: [string, string, string, string | undefined][] = [];
  for (const [code, messages] of english) for (const [id, en] of Object.entries(messages)) out.push([code, id, en, zhHans[code]?.[id]]);
  return out;
}

test('every zh-Hans entry names a code and a messageId, fix summary or phrase of a built-in check', () => {
  for (const [code, messages] of Object.entries(zhHans)) {
    assert.ok(english.has(code), `zh-Hans has unknown code ${code}`);
    for (const id of Object.keys(messages)) assert.ok(Object.hasOwn(english.get(code) ?? {}, id), `zh-Hans has unknown message ${code}:${id}`);
  }
});

test('every message, fix summary and phrase of every built-in code has a zh-Hans translation', () => {
  const missing = pairs()
    .filter(([, , , zh]) => zh === undefined)
    .map(([code, id]) => `${code}:${id}`);
  assert.deepEqual(missing, []);
  assert.ok(pairs().length > 0);
});

test('zh-Hans messages use exactly the placeholders of the English ones', () => {
  for (const [code, id, en, zh] of pairs()) {
    assert.deepEqual(placeholders(zh ?? ''), placeholders(en), `${code}:${id}`);
  }
});

test('zh-Hans messages are Chinese, and keep the quoted error strings and config keys in English', () => {
  for (const [code, id, en, zh = ''] of pairs()) {
    assert.match(zh, /[\u4e00-\u9fff]/, `${code}:${id} is not translated`);
    const bare = en.replace(PLACEHOLDER, '');
    // What Synapse, Element and PyYAML print, quoted in the English message.
    for (const [, quoted] of bare.matchAll(/"([^"]+)"/g)) assert.ok(zh.includes(quoted), `${code}:${id} lost the quoted "${quoted}"`);
    // Config keys and identifiers (server_name, m.homeserver.base_url, /_matrix, ...).
    for (const [key] of bare.matchAll(/[A-Za-z0-9./-]*_[A-Za-z0-9_./-]*[A-Za-z0-9]/g)) assert.ok(zh.includes(key), `${code}:${id} lost '${key}'`);
  }
});

test('normaliseLocale maps LANG values and --lang spellings to the shipped catalogs', () => {
  for (const zh of ['zh_CN.UTF-8', 'zh-CN', 'zh-Hans', 'zh-hans', 'zh', 'zh_SG']) assert.equal(normaliseLocale(zh), 'zh-Hans', zh);
  for (const en of ['en_US.UTF-8', 'en', 'en-GB', 'C', 'POSIX', 'C.UTF-8']) assert.equal(normaliseLocale(en), 'en', en);
  for (const unknown of ['fr_FR.UTF-8', 'de', 'klingon', '', undefined]) assert.equal(normaliseLocale(unknown), undefined, String(unknown));
  assert.equal(catalogFor('zh-Hans'), zhHans);
  assert.equal(catalogFor('en'), undefined);
});

/** Runs one check on replayed probe values through the real engine, as test/helpers/judge.ts does, with a catalog. */
async function judgeIn(catalog: ReturnType<typeof catalogFor>, check: CheckDefinition, probes: Record<string, unknown>) {
  const replay: Record<string, ProbeResult> = {};
  for (const [id, value] of Object.entries(probes)) replay[id] = { status: 'ok', value, durationMs: 0 };
  const out = await runEngine([check], probeRegistry(), {
    inputs: buildInputs({ offline: true }, {}, undefined, {}),
    net: new NetClient({ resolve: [], connectTo: [], allowTargets: [] }),
    redactor: new Redactor(),
    replay,
    catalog,
  });
  return out.checks[0];
}

test('a homeserver.yaml with a tab is reported in Chinese, with the line number filled in', async () => {
  const text = 'server_name: example.com\nreport_stats: false\nlisteners:\n\t- port: 8008\n';
  const homeserverConfig: HomeserverConfigArtifact = {
    file: '/etc/matrix-synapse/homeserver.yaml',
    sha256: createHash('sha256').update(text).digest('hex'),
    size: text.length,
    parsed: parseYaml(text),
  };
  const check = builtinChecks.find((c) => c.id === 'homeserver-config');
  assert.ok(check);

  const zh = await judgeIn(catalogFor('zh-Hans'), check, { homeserverConfig });
  const tab = zh.findings.find((f) => f.code === 'MXD-HS-001');
  assert.ok(tab, JSON.stringify(zh.findings.map((f) => `${f.code}:${f.messageId}`)));
  assert.equal(tab.messageId, 'tabIndent');
  assert.equal(tab.data.line, 4);
  assert.equal(tab.message, formatMessage(zhHans['MXD-HS-001'].tabIndent, { line: 4 }));
  assert.ok(tab.message.startsWith('第 4 行使用制表符缩进'), tab.message);
  assert.ok(tab.message.includes("found character '\\t' that cannot start any token"), tab.message);
  assert.doesNotMatch(tab.message, /\{\{/);

  // The same finding without a catalog is the English template: the catalog changes only the words.
  const en = await judgeIn(undefined, check, { homeserverConfig });
  const enTab = en.findings.find((f) => f.code === 'MXD-HS-001');
  assert.ok(enTab);
  assert.ok(enTab.message.startsWith('Line 4 is indented with a tab'), enTab.message);
  // Only the words differ: the message and the fix summary; code, data, location, evidence, steps and edits are the same.
  const words = (f: typeof tab) => ({ ...f, message: '', ...(f.fix ? { fix: { ...f.fix, summary: '' } } : {}) });
  assert.deepEqual(words(enTab), words(tab));
  if (tab.fix) assert.match(tab.fix.summary, /[\u4e00-\u9fff]/);
});
