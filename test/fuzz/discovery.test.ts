// Property tests (fast-check) for the pure parts of server discovery that consume what the network says:
// SRV answers of any shape as the federation and well-known probes order them (src/probes/srv.ts),
// server names and m.server values (parseServerName), well-known bodies as a homeserver judges them
// (judgeWellKnown), and hostile federation answers (readVersion, readKeys: any JSON, forged signatures).
// No crash, bounded time, and the rules they implement: RFC 2782 order and the "." target, the spec's
// server-name grammar. Replay a failure with MATRIXDOC_FUZZ_SEED=<seed>.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { judgeWellKnown, readKeys, readVersion } from '../../src/probes/federation.js';
import { orderSrv } from '../../src/probes/srv.js';
import { parseServerName } from '../../src/probes/well-known.js';
import { fuzzParams, timed } from './arbitraries.js';

const target = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[a-z0-9-]{1,12}(\.[a-z0-9-]{1,12}){0,3}\.?$/) },
  { weight: 2, arbitrary: fc.constantFrom('.', '', '..', 'A.EXAMPLE.COM.', 'xn--bcher-kva.example', '\\046', 'a\\.b.example', ' ', '*') },
  { weight: 1, arbitrary: fc.string({ maxLength: 300 }) },
);
const u16 = fc.integer({ min: 0, max: 65535 });
const answer = fc.record({ name: target, port: u16, priority: u16, weight: u16 });

describe('SRV answers (orderSrv, fast-check)', () => {
  test('any answers: ordered by priority, then heavier first; "." alone means unavailable, among others it is skipped', () => {
    fc.assert(
      fc.property(fc.array(answer, { maxLength: 40 }), (answers) => {
        const got = timed('orderSrv', 300, () => orderSrv(answers));
        const root = (t: string) => t === '' || t === '.';
        if (answers.length === 0) assert.equal(got.outcome, 'none');
        else if (answers.length === 1 && root(answers[0].name.replace(/\.$/, ''))) assert.equal(got.outcome, 'unavailable');
        else assert.equal(got.outcome, 'found');
        if (got.outcome === 'found') {
          assert.equal(got.records.length, answers.filter((a) => !root(a.name.replace(/\.$/, ''))).length);
          assert.ok(got.records.every((r) => !root(r.target)));
        }
        for (const [i, r] of got.records.entries()) {
          // One final dot removed (the absolute form the resolver gives), nothing else changed.
          assert.ok(
            answers.some((a) => a.name === r.target || a.name === `${r.target}.`),
            `target ${JSON.stringify(r.target)} is not an answer's name`,
          );
          const prev = got.records[i - 1];
          if (prev) assert.ok(prev.priority < r.priority || (prev.priority === r.priority && prev.weight >= r.weight), 'order');
        }
      }),
      fuzzParams(500),
    );
  });
});

describe('server names (parseServerName, fast-check)', () => {
  const name = fc.oneof(
    fc.stringMatching(/^[A-Za-z0-9.-]{1,30}(:\d{1,6})?$/),
    fc.stringMatching(/^\[[0-9a-fA-F:.]{0,45}\](:\d{1,6})?$/),
    fc.constantFrom('example.com:0', 'example.com:65536', '[::1]', '[::1]:8448', '1.2.3.4:443', 'https://example.com', 'example.com/path', '[zz::1]', ''),
    fc.string({ maxLength: 300 }),
  );
  test('never throws; what it accepts fits the grammar: host chars or a bracketed IPv6, port 1-65535', () => {
    fc.assert(
      fc.property(name, (text) => {
        const p = timed('parseServerName', 150, () => parseServerName(text));
        if (!p) return;
        assert.ok(p.port === undefined || (Number.isInteger(p.port) && p.port >= 1 && p.port <= 65535), `port ${p.port}`);
        assert.ok(/^[0-9A-Za-z.:-]+$/.test(p.host), `host ${p.host}`);
        if (text.startsWith('[')) assert.equal(p.ipLiteral, true);
      }),
      fuzzParams(1000),
    );
  });
});

describe('hostile federation answers (fast-check)', () => {
  const body = fc.oneof(
    fc.json({ maxDepth: 4 }),
    fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify({ 'm.server': v })),
    fc
      .record({
        server_name: fc.oneof(fc.constant('example.com'), fc.jsonValue({ maxDepth: 1 })),
        valid_until_ts: fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(Number.MAX_SAFE_INTEGER + 2)),
        verify_keys: fc.oneof(
          fc.dictionary(
            fc.oneof(fc.constantFrom('ed25519:a', 'ed25519:', 'ed25519:!!', 'curve:x'), fc.string({ maxLength: 20 })),
            fc.oneof(fc.record({ key: fc.oneof(fc.base64String({ maxLength: 60 }), fc.string({ maxLength: 60 })) }), fc.jsonValue({ maxDepth: 1 })),
            { maxKeys: 4 },
          ),
          fc.jsonValue({ maxDepth: 1 }),
        ),
        old_verify_keys: fc.jsonValue({ maxDepth: 2 }),
        signatures: fc.oneof(
          fc.dictionary(
            fc.constantFrom('example.com', 'other'),
            fc.dictionary(fc.constantFrom('ed25519:a', 'x'), fc.oneof(fc.base64String({ maxLength: 100 }), fc.jsonValue({ maxDepth: 1 }))),
          ),
          fc.jsonValue({ maxDepth: 2 }),
        ),
      })
      .map((o) => JSON.stringify(o)),
    fc.string({ maxLength: 200 }),
  );
  const status = fc.constantFrom(200, 200, 200, 301, 404, 500, undefined);

  test('readVersion and readKeys: any body, any status, never throw, always a report', () => {
    fc.assert(
      fc.property(body, status, (text, st) => {
        const report = { url: 'https://example.com:8448/x', hostHeader: 'example.com', ...(st !== undefined ? { status: st } : {}) };
        const v = timed('readVersion', 600, () => readVersion(report, text));
        assert.equal(v.isMatrix, v.server !== undefined);
        const k = timed('readKeys', 1500, () => readKeys(report, text));
        assert.ok(Array.isArray(k.shapeErrors) && Array.isArray(k.signatures) && Array.isArray(k.verifyKeys));
        for (const s of k.signatures) assert.ok(s.ok === false || s.ok === true);
        if (st !== 200) assert.equal(k.signatures.length, 0);
      }),
      fuzzParams(400),
    );
  });

  test('judgeWellKnown: any body gives an m.server that is a server name, or a reason', () => {
    fc.assert(
      fc.property(body, status, (text, st) => {
        let json: unknown;
        let jsonError: string | undefined;
        try {
          json = JSON.parse(text);
        } catch (e) {
          jsonError = (e as Error).message;
        }
        const verdict = judgeWellKnown({ status: st, json, jsonError }, 'example.com');
        assert.ok((verdict.mServer === undefined) !== (verdict.invalid === undefined), JSON.stringify(verdict));
        if (verdict.mServer !== undefined) assert.ok(parseServerName(verdict.mServer));
      }),
      fuzzParams(400),
    );
  });
});
