// --lang and LANG through the built binary: finding messages, check titles and the report's fixed
// words in Simplified Chinese; English by default; the JSON report keeps its English keys and titles.

import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { builtinChecks } from '../../checks/index.js';
import { humanWords } from '../../src/i18n/words.js';
import { runCli, SEED } from '../helpers/cli.js';

const PROFILE = path.join(SEED, 'matrixdoc.yaml');
const seedCheck = (...extra: string[]) => runCli(['check', '--profile', PROFILE, '--offline', ...extra]);
/** The English report's fixed words, none of which may be left in a Chinese report. */
const ENGLISH_WORDS = [
  /^\s+evidence:/m,
  /^\s+fix: /m,
  /^\s+docs: /m,
  /^\s+at /m,
  /^Summary:/m,
  /\d findings?\)/,
  /informational notes? hidden/,
  /automatic fix available/,
  / \(offline: files only\)/,
];

describe('languages', () => {
  test('--lang zh-Hans: Chinese messages, titles and fixed words; the same findings and exit code as English', async () => {
    const en = await seedCheck();
    const zh = await seedCheck('--lang', 'zh-Hans');
    assert.equal(zh.code, en.code);
    for (const word of ENGLISH_WORDS) {
      assert.match(en.stdout, word, `English report lacks ${word}`);
      assert.doesNotMatch(zh.stdout, word);
    }
    assert.match(zh.stdout, /^matrixdoc [\d.]+：xfoss\.com（离线：只检查文件）$/m);
    assert.match(zh.stdout, /^\[!\] homeserver-config — Synapse homeserver\.yaml 配置文件 \(2 项发现\)$/m);
    assert.match(zh.stdout, /^ {8}证据：$/m);
    assert.match(zh.stdout, /^ {8}修复：\S/m);
    assert.match(zh.stdout, /^汇总：\d+ 项失败，\d+ 项警告，\d+ 项通过，\d+ 项跳过，\d+ 项出错（\d+ 毫秒）$/m);
    // The same codes in the same order: only the words change.
    const codes = (text: string) => [...text.matchAll(/ (MXD-[A-Z]+-\d{3}) /g)].map((m) => m[1]);
    assert.deepEqual(codes(zh.stdout), codes(en.stdout));
    assert.ok(codes(zh.stdout).length > 0);
    // Live progress on stderr speaks the same language.
    assert.match(zh.stderr, /rate-limits \[FAILED: \d+ 个问题\]/);
    assert.doesNotMatch(zh.stderr, /\d+ problems?\b/);
  });

  test('LANG=zh_CN.UTF-8 chooses Chinese; --lang en wins over it', async () => {
    const zh = await runCli(['check', '--profile', PROFILE, '--offline'], { env: { LANG: 'zh_CN.UTF-8' } });
    assert.match(zh.stdout, /^汇总：/m);
    const en = await runCli(['check', '--profile', PROFILE, '--offline', '--lang', 'en'], { env: { LANG: 'zh_CN.UTF-8' } });
    assert.match(en.stdout, /^Summary:/m);
  });

  test('the JSON report keeps English titles (machine-readable) and carries Chinese messages', async () => {
    const r = await seedCheck('--lang', 'zh-Hans', '--json');
    const report = JSON.parse(r.stdout) as { checks: { id: string; title: string; findings: { message: string }[] }[] };
    const hs = report.checks.find((c) => c.id === 'homeserver-config');
    assert.equal(hs?.title, 'Synapse homeserver.yaml');
    assert.match(hs?.findings[0].message ?? '', /[\u4e00-\u9fff]/);
  });

  test('an unknown language is a one-line error, exit 2', async () => {
    const r = await seedCheck('--lang', 'klingon');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--lang: 'klingon' is not a supported language \(en, zh-Hans\)/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });

  test('every built-in check has a Chinese title, and no title names an unknown check', () => {
    const titles = humanWords('zh-Hans').checkTitles;
    assert.deepEqual(Object.keys(titles).sort(), builtinChecks.map((c) => c.id).sort());
    for (const [id, title] of Object.entries(titles)) assert.match(title, /[\u4e00-\u9fff]/, id);
  });
});
