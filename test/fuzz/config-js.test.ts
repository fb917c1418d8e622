// Property tests (fast-check) for reading Jitsi's config.js without running it (src/parse/config-js.ts):
// on JavaScript-ish token soups (strings, templates, regex literals, comments, SSI directives, braces)
// and deep nesting, scanConfigJs never throws, answers in bounded time and only reports watched settings
// with positions inside the text; and wherever the soup around it is neutral (whole statements), the
// last `config.websocket = '...'` is the value it reports, as the browser would end up with.
// Replay a failure with MATRIXDOC_FUZZ_SEED=<seed>.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { MAX_SCAN_CHARS, scanConfigJs, WATCHED_SETTINGS } from '../../src/parse/config-js.js';
import { configJsSoup, fuzzParams, nested, timed, word } from './arbitraries.js';

function assertSane(text: string): void {
  const scan = timed('scanConfigJs', 3000, () => scanConfigJs(text));
  assert.ok(scan.scanned <= Math.min(text.length, MAX_SCAN_CHARS));
  const lines = text.slice(0, MAX_SCAN_CHARS).split('\n').length;
  for (const [key, s] of Object.entries(scan.settings)) {
    assert.ok((WATCHED_SETTINGS as readonly string[]).includes(key), `unwatched ${key}`);
    assert.ok(s.line >= 1 && s.line <= lines && s.column >= 1, `${key} at ${s.line}:${s.column}`);
    assert.ok(s.expression.length <= 200);
    assert.ok(s.value === undefined || ['string', 'number', 'boolean'].includes(typeof s.value));
  }
  assert.ok(Array.isArray(scan.problems) && scan.problems.every((p) => typeof p === 'string'));
}

describe('scanConfigJs (fast-check)', () => {
  test('token soups: no crash, bounded time, only watched settings, positions inside the text', () => {
    fc.assert(fc.property(fc.oneof(configJsSoup, fc.string({ maxLength: 300 })), assertSane), fuzzParams(500));
  });

  test('deep nesting of objects, calls, arrays and templates: no stack overflow', () => {
    const deep = fc.oneof(
      nested('var config = {a: ', '}', fc.constant('1')),
      nested('config.hosts = {h: ', '}', fc.constant("'x'")),
      nested('config.websocket = (', ')', fc.constant("'wss://x/'")),
      nested('[', ']'),
      nested('`${', '}`'),
      nested('/*', '*/'),
    );
    fc.assert(fc.property(deep, assertSane), fuzzParams(60));
  });

  test('the last config.websocket assignment wins, whatever neutral statements surround it', () => {
    const url = fc.stringMatching(/^wss:\/\/[a-z0-9.-]{1,20}\/[a-z-]{0,15}$/);
    const neutral = fc.oneof(
      fc.constantFrom(
        '// a comment with config.websocket = "no"\n',
        '/* config.websocket = "no" */\n',
        'var subdir = \'<!--# echo var="subdir" default="" -->\';\n',
        "if (subdir.startsWith('<!--')) { subdir = ''; }\n",
        'function f() { config.websocket = "inside a function"; }\n',
        "config.hosts = { domain: 'meet.jitsi', muc: 'muc.meet.jitsi' };\n",
        "config.bosh = 'https://x/http-bind';\n",
        'var re = /config.websocket = "no"/g;\n',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${ is what these inputs are about
        'var t = `config.websocket = ${"no"}`;\n',
        "config.p2p = { enabled: true, stunServers: [{ urls: 'stun:x:3478' }] };\n",
        '\n',
      ),
      word.map((w) => `var ${/^[A-Za-z_$]/.test(w) ? w.replace(/[^A-Za-z0-9_$]/g, '_') : `v_${w.replace(/[^A-Za-z0-9_$]/g, '_')}`} = 1;\n`),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.array(neutral, { maxLength: 5 }), url), { minLength: 1, maxLength: 5 }), (parts) => {
        const text = `var config = {};\n${parts.map(([before, u]) => `${before.join('')}config.websocket = '${u}';\n`).join('')}`;
        const scan = scanConfigJs(text);
        assert.equal(scan.settings.websocket?.value, parts[parts.length - 1][1], text);
        assert.equal(scan.isJitsiConfig, true);
      }),
      fuzzParams(300),
    );
  });

  test('large inputs stay bounded: 2 MiB cut, endless strings, comments, regexes and templates', () => {
    for (const text of [
      'config.a = 1;\n'.repeat(200_000),
      `config.websocket = '${'x'.repeat(3 * 1024 * 1024)}`,
      '/*'.repeat(1_000_000),
      "'".repeat(2_000_000),
      '/'.repeat(2_000_000),
      '`${'.repeat(600_000),
      'a+'.repeat(1_000_000),
      `${'config.websocket = x = '.repeat(80_000)}1;`,
    ]) {
      const scan = timed(`scanConfigJs of ${text.slice(0, 20)}...`, 5000, () => scanConfigJs(text));
      assert.ok(scan.scanned <= MAX_SCAN_CHARS);
    }
  });
});
