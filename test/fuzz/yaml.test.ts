// Property tests (fast-check) for homeserver.yaml as matrixdoc reads it (src/parse/yaml.ts): on YAML-ish
// token soups with tabs, quotes, block scalars, flow collections, anchors and deep nesting, parseYaml and
// findRejectedTabs never throw, answer in bounded time, and say consistent things: every tab they report
// is a tab, in order, inside the text; every span is inside the text; the duplicate keys they find are the
// ones the yaml package finds with its own (quadratic) uniqueKeys check. Replay a failure with
// MATRIXDOC_FUZZ_SEED=<seed>.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { parseDocument } from 'yaml';
import { findRejectedTabs, parseYaml, pyyamlTags } from '../../src/parse/yaml.js';
import { fuzzParams, nested, timed, word, yamlDocument, yamlSoup } from './arbitraries.js';

const input = fc.oneof({ weight: 4, arbitrary: yamlSoup }, { weight: 3, arbitrary: yamlDocument }, { weight: 1, arbitrary: fc.string({ maxLength: 200 }) });

function assertConsistent(text: string): void {
  const tabs = timed('findRejectedTabs', 3000, () => findRejectedTabs(text));
  let last = -1;
  for (const t of tabs) {
    assert.equal(text[t.offset], '\t', `offset ${t.offset} is not a tab`);
    assert.ok(t.offset > last, 'offsets increase');
    last = t.offset;
    const lineStart = text.lastIndexOf('\n', t.offset - 1) + 1;
    assert.equal(t.inIndent, /^[ \t]*$/.test(text.slice(lineStart, t.offset)), `inIndent at ${t.offset}`);
  }
  const parsed = timed('parseYaml', 6000, () => parseYaml(text));
  assert.ok(Number.isInteger(parsed.indentUnit) && parsed.indentUnit > 0);
  const lines = text.split('\n').length;
  for (const p of parsed.problems) {
    assert.ok(p.span.offset >= 0 && p.span.endOffset <= text.length && p.span.offset <= p.span.endOffset, `span ${JSON.stringify(p.span)}`);
    assert.ok(p.span.line >= 1 && p.span.line <= lines, `line ${p.span.line} of ${lines}`);
    assert.equal(typeof p.message, 'string');
    // PyYAML's marks too; the position reported first is one of them (or the '[' / '{' left open).
    for (const mark of [p.contextMark, p.problemMark]) {
      if (mark) assert.ok(mark.offset >= 0 && mark.endOffset <= text.length && mark.line >= 1 && mark.line <= lines, `mark ${JSON.stringify(mark)}`);
    }
    if (p.problemMark) assert.ok(/^[[{]/.test(text.slice(p.span.offset)) || [p.contextMark?.offset, p.problemMark.offset].includes(p.span.offset), 'primary');
  }
  assert.deepEqual(
    parsed.problems.filter((p) => p.kind === 'tab').map((p) => p.span.offset),
    tabs.map((t) => t.offset),
  );
  for (const [ptr, pos] of Object.entries(parsed.positions)) {
    assert.ok(ptr === '' || ptr.startsWith('/'), `pointer ${ptr}`);
    assert.ok(pos.value.offset >= 0 && pos.value.endOffset <= text.length, `position of ${ptr}`);
  }
  // The value is plain data that JSON can carry (what the probes capture with --save-probes).
  if (parsed.value !== undefined) assert.doesNotThrow(() => JSON.stringify(parsed.value));
}

describe('parseYaml / findRejectedTabs (fast-check)', () => {
  test('token soups and homeserver.yaml-like documents: no crash, bounded time, consistent answers', () => {
    fc.assert(fc.property(input, assertConsistent), fuzzParams(400));
  });

  test('deep nesting (flow and block, balanced or not): no stack overflow', () => {
    const deep = fc.oneof(
      nested('[', ']'),
      nested('{a: ', '}'),
      nested('- ', ''),
      fc.integer({ min: 1, max: 2000 }).map((n) => Array.from({ length: n }, (_, i) => `${' '.repeat(i % 300)}k${i}:`).join('\n')),
    );
    fc.assert(fc.property(deep, assertConsistent), fuzzParams(40));
  });

  test('duplicate keys: as many as the yaml package finds with uniqueKeys: true, at the same keys', () => {
    const map = fc.array(fc.tuple(fc.constantFrom('a', 'b', '"a"', "'b'", '1', '"1"', 'true', 'null', '~', 'x y'), word), { minLength: 1, maxLength: 30 });
    const doc = fc.oneof(
      map.map((pairs) => pairs.map(([k, v]) => `${k}: ${v}`).join('\n')),
      map.map((pairs) => `{${pairs.map(([k, v]) => `${k}: ${v}`).join(', ')}}`),
      map.map((pairs) => `top:\n${pairs.map(([k, v]) => `  ${k}: ${v}`).join('\n')}\nlist:\n  - {${pairs.map(([k, v]) => `${k}: ${v}`).join(', ')}}`),
    );
    fc.assert(
      fc.property(doc, (text) => {
        const ours = parseYaml(text).problems.filter((p) => p.kind === 'duplicate-key');
        const theirs = parseDocument(text, { version: '1.1', customTags: pyyamlTags, uniqueKeys: true }).errors.filter((e) => e.code === 'DUPLICATE_KEY');
        // The same number, at the same keys: for an empty or `~` key the yaml package points at the end of
        // the previous line (only whitespace between), we point at the key itself.
        assert.equal(ours.length, theirs.length, text);
        for (const [i, p] of ours.entries()) {
          const [a, b] = [p.span.offset, theirs[i].pos[0]].sort((x, y) => x - y);
          assert.ok(/^\s*$/.test(text.slice(a, b)), `${p.span.offset} vs ${theirs[i].pos[0]} in ${JSON.stringify(text)}`);
        }
      }),
      fuzzParams(300),
    );
  });

  test('large inputs stay linear: 40 000 keys, a 400 000-tab line, 20 000 duplicate keys', () => {
    const keys = Array.from({ length: 40_000 }, (_, i) => `k${i}: v`).join('\n');
    timed('40 000 keys', 15000, () => parseYaml(keys));
    const tabs = `a:${'\t'.repeat(400_000)}b`;
    const found = timed('a line of 400 000 tabs', 9000, () => findRejectedTabs(tabs));
    assert.equal(found.length, 400_000);
    const dups = Array.from({ length: 20_000 }, () => 'same: v').join('\n');
    assert.equal(timed('20 000 duplicate keys', 15000, () => parseYaml(dups)).problems.length, 19_999);
  });
});
