// Property tests (fast-check) for the triage rules matcher (src/triage/): on random tickets and logs
// (rule phrases in English and Chinese mixed with log lines, secrets, ANSI colours, CR, NUL and lone
// surrogates), triageText never throws, answers in bounded time, quotes evidence that exists, is short
// and shows no secret it was given, and ranks causes by likelihood. decodeInput takes any bytes: text,
// or one of its typed errors (InputError), nothing else. Adversarial long lines (the shapes its secret
// patterns could backtrack on) stay linear. Replay a failure with MATRIXDOC_FUZZ_SEED=<seed>.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { InputError } from '../../src/engine/errors.js';
import { Redactor } from '../../src/report/redact.js';
import { decodeInput } from '../../src/triage/input.js';
import { RULES } from '../../src/triage/rules.js';
import { MAX_QUOTE, triageText } from '../../src/triage/triage.js';
import { fuzzParams, ticketSoup, timed } from './arbitraries.js';

const SECRETS = ['hunter2-very-secret', 'Sup3r-S3cret-Pass', 'turn-shared-s3cret'];

function assertSane(text: string): void {
  const redactor = new Redactor();
  for (const s of SECRETS) redactor.add(s);
  const result = timed('triageText', 6000, () => triageText(text, { redactor }));
  const lines = text.split(/\r\n|\r|\n/).length;
  assert.ok(result.lines <= lines);
  assert.equal(result.unrecognised, result.causes.length === 0);
  const known = new Set(RULES.map((r) => r.id));
  for (const [i, c] of result.causes.entries()) {
    assert.ok(known.has(c.id));
    assert.ok(c.matches >= 1 && c.occurrences >= 1 && c.likelihood > 0);
    if (i > 0) assert.ok(result.causes[i - 1].likelihood >= c.likelihood, 'ranked by likelihood');
    for (const e of c.evidence) {
      assert.ok(e.line >= 1 && e.line <= lines, `line ${e.line} of ${lines}`);
      assert.ok(e.text.length <= MAX_QUOTE + 64, `quote of ${e.text.length} characters`);
      for (const s of SECRETS) assert.ok(!e.text.includes(s), `secret ${s} quoted: ${e.text}`);
      assert.ok(!/[\u0000-\u0008\u000b-\u001f]/.test(e.text), 'control characters quoted');
    }
  }
}

describe('triageText (fast-check)', () => {
  test('random tickets and logs: no crash, bounded time, sane ranked evidence without secrets', () => {
    const withSecrets = fc
      .tuple(ticketSoup, fc.constantFrom(...SECRETS), fc.constantFrom('password: ', '"password": "', 'secret=', 'export TURN_SECRET=', ''))
      .map(([t, s, k]) => `${t}\n${k}${s}${k.startsWith('"') ? '"' : ''}\n${t}`);
    fc.assert(fc.property(fc.oneof(ticketSoup, withSecrets, fc.string({ maxLength: 500 })), assertSane), fuzzParams(300));
  });

  test('adversarial long lines stay linear (the shapes secret patterns and rules could backtrack on)', () => {
    const n = 200_000;
    for (const text of [
      `password: ${' '.repeat(n)}x`,
      `password:${' \t'.repeat(n)}`,
      `"password": "${'a'.repeat(n)}`,
      '"a":"'.repeat(n / 5),
      'a='.repeat(n),
      `${'x'.repeat(n)}=${'y'.repeat(n)}`,
      'syt_'.repeat(n / 4),
      'eyJ'.repeat(n / 3),
      `Syncing ${' '.repeat(n)}forever`,
      '一直'.repeat(n / 2),
      `"GET / HTTP/1.1" ${'5'.repeat(n)}`,
      '\u001b['.repeat(n / 2),
    ]) {
      const redactor = new Redactor();
      timed(`triageText of ${JSON.stringify(text.slice(0, 24))}... (${text.length} chars)`, 3000, () => triageText(text, { redactor }));
    }
  });
});

describe('decodeInput (fast-check)', () => {
  test('any bytes (plain, UTF-16 with a BOM, gzip, truncated gzip, NUL): a string or an InputError', () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 2000 }).map((a) => Buffer.from(a)),
      fc.string({ maxLength: 200 }).map((s) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')])),
      fc.string({ maxLength: 200 }).map((s) => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(s, 'utf16le').swap16()])),
      fc.tuple(fc.string({ maxLength: 500 }), fc.nat()).map(([s, cut]) => {
        const z = gzipSync(Buffer.from(s));
        return cut % 3 === 0 ? z.subarray(0, Math.max(2, cut % z.length)) : z;
      }),
      fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.concat([Buffer.from([0x1f, 0x8b]), Buffer.from(a)])),
    );
    fc.assert(
      fc.property(bytes, (b) => {
        try {
          const text = timed('decodeInput', 1500, () => decodeInput(b, 'fuzz.log', 64 * 1024));
          assert.equal(typeof text, 'string');
        } catch (error) {
          assert.ok(error instanceof InputError, `not an InputError: ${(error as Error)?.stack}`);
          assert.ok(!(error as Error).message.includes('\n'), 'one line');
        }
      }),
      fuzzParams(500),
    );
  });

  test('a gzip bomb is stopped at the bound', () => {
    const bomb = gzipSync(Buffer.alloc(32 * 1024 * 1024, 0x61));
    assert.throws(
      () => decodeInput(bomb, 'bomb.log.gz', 1024 * 1024),
      (e: unknown) => e instanceof InputError && /larger than/.test((e as Error).message),
    );
  });
});
