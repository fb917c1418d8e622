// Property tests (fast-check) for the other config parsers: docker-jitsi-meet's .env (parseDotenv),
// Element's config.json (parseJson, strict JSON with positions) and nginx sites (parseNginx, servers,
// matchLocation, serverNameMatches). On token soups and deep nesting: no crash, bounded time, spans
// inside the text; and what each parser means: parseJson agrees with JSON.parse (both ways) wherever
// JSON.parse is the reference, .env values written out and read back are the same, nginx picks the
// location nginx would. Replay a failure with MATRIXDOC_FUZZ_SEED=<seed>.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { parseDotenv } from '../../src/parse/dotenv.js';
import { parseJson } from '../../src/parse/json.js';
import { findAll, MAX_NGINX_DEPTH, matchLocation, type NginxDirective, parseNginx, serverNameMatches, servers } from '../../src/parse/nginx.js';
import { envSoup, fuzzParams, jsonSoup, nested, nginxSoup, timed } from './arbitraries.js';

function depthOf(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  return 1 + children.reduce((max: number, c) => Math.max(max, depthOf(c)), 0);
}

describe('parseDotenv (fast-check)', () => {
  test('token soups: no crash, bounded time, spans inside the text, values an own property of `values`', () => {
    fc.assert(
      fc.property(fc.oneof(envSoup, fc.string({ maxLength: 300 })), (text) => {
        const env = timed('parseDotenv', 1500, () => parseDotenv(text));
        for (const e of env.entries) {
          assert.ok(e.valueSpan.offset >= 0 && e.valueSpan.endOffset <= text.length && e.valueSpan.offset <= e.valueSpan.endOffset);
          assert.ok(e.lineSpan.offset <= e.valueSpan.offset && e.valueSpan.endOffset <= e.lineSpan.endOffset, `spans of ${e.name}`);
          assert.ok(Object.hasOwn(env.values, e.name), `${e.name} is not an own property`);
        }
        for (const p of env.problems) assert.ok(p.span.offset >= 0 && p.span.endOffset <= text.length);
        // docker compose keeps the last assignment.
        for (const [name, value] of Object.entries(env.values)) assert.equal(value, env.entries.filter((e) => e.name === name).at(-1)?.value);
      }),
      fuzzParams(500),
    );
  });

  test('written with double quotes and escapes, read back the same (names such as __proto__ included)', () => {
    const name = fc.oneof(fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,10}$/), fc.constantFrom('__proto__', 'constructor', 'toString'));
    const value = fc.string({ maxLength: 30 }).filter((v) => !v.includes('\r'));
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(name, value), { selector: ([n]) => n, maxLength: 12 }), (pairs) => {
        const text = pairs.map(([n, v]) => `${n}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\t/g, '\\t')}"`).join('\n');
        const env = parseDotenv(text);
        assert.deepEqual(env.problems, []);
        assert.deepEqual(
          env.entries.map((e) => [e.name, e.value]),
          pairs,
        );
      }),
      fuzzParams(300),
    );
  });
});

describe('parseJson (fast-check)', () => {
  const check = (text: string) => {
    const ours = timed('parseJson', 1500, () => parseJson(text));
    let reference: { value: unknown } | undefined;
    try {
      reference = { value: JSON.parse(text) };
    } catch {
      reference = undefined;
    }
    if (ours.error) {
      assert.ok(ours.error.span.offset >= 0 && ours.error.span.offset <= text.length, `error span ${JSON.stringify(ours.error.span)}`);
      assert.equal(ours.value, undefined);
    }
    // parseJson takes a BOM (editors write one), JSON.parse does not; parseJson stops at 256 levels.
    if (text.startsWith('\ufeff')) return;
    if (reference && depthOf(reference.value) > 255) return;
    assert.equal(
      ours.error === undefined,
      reference !== undefined,
      `parseJson ${ours.error ? `fails (${ours.error.message})` : 'accepts'} what JSON.parse ${reference ? 'accepts' : 'refuses'}: ${JSON.stringify(text)}`,
    );
    if (reference) assert.deepStrictEqual(ours.value, reference.value);
  };

  test('agrees with JSON.parse on valid JSON (fast-check json(), __proto__ keys included)', () => {
    const doc = fc.oneof(
      fc.json({ maxDepth: 6 }),
      fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'a', 'hasOwnProperty'), fc.jsonValue({ maxDepth: 2 })).map((o) => {
        // JSON.stringify drops nothing here: dictionary keys are own properties (defined, not assigned).
        const entries = Object.keys(o).map((k) => `${JSON.stringify(k)}:${JSON.stringify(o[k])}`);
        return `{${entries.join(',')}}`;
      }),
    );
    fc.assert(fc.property(doc, check), fuzzParams(400));
  });

  test('agrees with JSON.parse on token soups (mostly invalid JSON), errors inside the text', () => {
    fc.assert(fc.property(fc.oneof(jsonSoup, fc.string({ maxLength: 100 })), check), fuzzParams(1000));
  });

  test('deep nesting: refused past 256 levels, never a stack overflow', () => {
    fc.assert(
      fc.property(fc.oneof(nested('[', ']', fc.constant('1')), nested('{"a":', '}', fc.constant('null'))), (text) => {
        const r = timed('parseJson deep', 1500, () => parseJson(text));
        if (r.error?.message.startsWith('nested deeper')) assert.ok(text.startsWith('['.repeat(256)) || text.startsWith('{"a":'.repeat(256)));
      }),
      fuzzParams(60),
    );
  });
});

/** Every directive of the tree, with its depth. */
function walk(ds: NginxDirective[], depth = 0, out: { d: NginxDirective; depth: number }[] = []) {
  for (const d of ds) {
    out.push({ d, depth });
    if (d.block) walk(d.block, depth + 1, out);
  }
  return out;
}

describe('parseNginx, servers, matchLocation (fast-check)', () => {
  const host = fc.stringMatching(/^[a-z0-9.-]{0,24}$/);
  const uriPath = fc.oneof(fc.stringMatching(/^\/[A-Za-z0-9._~/-]{0,30}$/), fc.constantFrom('/', '/_matrix/client/versions', '/.well-known/matrix/server'));

  test('token soups: no crash, bounded time, positions inside the text, helpers total', () => {
    fc.assert(
      fc.property(fc.oneof(nginxSoup, fc.string({ maxLength: 300 })), host, uriPath, (text, h, p) => {
        const parsed = timed('parseNginx', 1500, () => parseNginx(text, '/etc/nginx/sites-enabled/fuzz'));
        for (const { d, depth } of walk(parsed.directives)) {
          assert.ok(d.start >= 0 && d.start <= d.end && d.end <= text.length, `${d.name} at ${d.start}-${d.end}`);
          assert.ok(d.line >= 1 && d.column >= 1);
          assert.ok(depth <= MAX_NGINX_DEPTH);
        }
        for (const s of servers([parsed])) {
          assert.ok(s.listen.every((l) => Number.isFinite(l.port)));
          for (const name of s.names) timed('serverNameMatches', 600, () => serverNameMatches(name, h));
          const loc = timed('matchLocation', 600, () => matchLocation(s.directive, p));
          if (loc) assert.ok(s.directive.block?.includes(loc), 'the location is one of the server block');
        }
      }),
      fuzzParams(600),
    );
  });

  test('deep nesting: read to 64 levels, said so, never a stack overflow', () => {
    fc.assert(
      fc.property(nested('location / {', '}', fc.constant('return 200;')), (text) => {
        const parsed = timed('parseNginx deep', 1500, () => parseNginx(`server {${text}}`, 'deep.conf'));
        const deepest = Math.max(0, ...walk(parsed.directives).map((x) => x.depth));
        assert.ok(deepest <= MAX_NGINX_DEPTH);
        findAll(parsed.directives, 'return');
        servers([parsed]);
      }),
      fuzzParams(40),
    );
  });

  test('matchLocation picks what nginx picks: = exact, then the longest prefix (^~ stops), then the first regex', () => {
    const prefix = fc.stringMatching(/^\/[a-z/]{0,8}$/);
    const loc = fc.oneof(
      prefix.map((p) => ({ args: [p], kind: 'prefix' as const, p })),
      prefix.map((p) => ({ args: ['=', p], kind: 'exact' as const, p })),
      prefix.map((p) => ({ args: ['^~', p], kind: 'stop' as const, p })),
      prefix.map((p) => ({ args: ['~', `^${p.replace(/\//g, '\\/')}`], kind: 'regex' as const, p })),
    );
    fc.assert(
      fc.property(fc.array(loc, { maxLength: 8 }), fc.stringMatching(/^\/[a-z/]{0,10}$/), (locs, uri) => {
        const text = `server {\n${locs.map((l, i) => `  location ${l.args.join(' ')} { return ${200 + i}; }`).join('\n')}\n}`;
        const [server] = servers([parseNginx(text, 'm.conf')]);
        const got = matchLocation(server.directive, uri);
        const index = got ? Number(got.block?.[0]?.args[0]) - 200 : -1;
        // The expected choice, written from nginx's documentation (ngx_http_core_module, "location").
        const exact = locs.findIndex((l) => l.kind === 'exact' && l.p === uri);
        let expected = exact;
        if (expected < 0) {
          let best = -1;
          for (const [i, l] of locs.entries())
            if ((l.kind === 'prefix' || l.kind === 'stop') && uri.startsWith(l.p) && (best < 0 || l.p.length > locs[best].p.length)) best = i;
          if (best >= 0 && locs[best].kind === 'stop') expected = best;
          else {
            const regex = locs.findIndex((l) => l.kind === 'regex' && uri.startsWith(l.p));
            expected = regex >= 0 ? regex : best;
          }
        }
        assert.equal(index, expected, `${uri} in\n${text}`);
      }),
      fuzzParams(400),
    );
  });
});
