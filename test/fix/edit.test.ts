// The surgical editors: exact results on realistic files, and properties over random documents with
// comments — applying an edit twice is the same as once, the parsed result holds the edit, and lines
// the edit does not touch are kept byte for byte.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { envSet, envUnset } from '../../src/fix/env-edit.js';
import { FixError } from '../../src/fix/errors.js';
import { jsonDelete, jsonSet } from '../../src/fix/json-edit.js';
import { nginxDelete, nginxSet, nginxTargetBlock } from '../../src/fix/nginx-edit.js';
import { yamlDelete, yamlSet } from '../../src/fix/yaml-edit.js';
import { parseDotenv } from '../../src/parse/dotenv.js';
import { parseJson } from '../../src/parse/json.js';
import { parseNginx } from '../../src/parse/nginx.js';
import { parseYaml } from '../../src/parse/yaml.js';
import { fuzzParams } from '../fuzz/arbitraries.js';
import { SEED } from '../helpers/cli.js';

const seedYaml = readFileSync(path.join(SEED, 'synapse/homeserver.yaml'), 'utf8');
const seedJson = readFileSync(path.join(SEED, 'element/config.json'), 'utf8');
const seedEnv = readFileSync(path.join(SEED, 'jitsi/.env'), 'utf8');
// Read back as Synapse does (PyYAML's YAML 1.1: y/n stay strings).
// biome-ignore lint/suspicious/noExplicitAny: test assertions index freely into parsed YAML
const yaml11 = (text: string) => parseYaml(text).value as Record<string, any>;

/** Lines of `before` that are not in `after` (as a multiset). */
function removedLines(before: string, after: string): string[] {
  const pool = new Map<string, number>();
  for (const l of after.split('\n')) pool.set(l, (pool.get(l) ?? 0) + 1);
  return before.split('\n').filter((l) => {
    const n = pool.get(l) ?? 0;
    if (n === 0) return true;
    pool.set(l, n - 1);
    return false;
  });
}

describe('yaml edits on the seed homeserver.yaml', () => {
  test('x_forwarded on the first listener: one new line, at the listener keys indentation', () => {
    const out = yamlSet(seedYaml, ['listeners', 0, 'x_forwarded'], true);
    assert.deepEqual(removedLines(seedYaml, out), []);
    assert.deepEqual(removedLines(out, seedYaml), ['    x_forwarded: true']);
    assert.equal(yaml11(out).listeners[0].x_forwarded, true);
  });

  test('replacing a scalar keeps its quoting', () => {
    const out = yamlSet(seedYaml, ['public_baseurl'], 'https://matrix.xfoss.com/');
    assert.deepEqual(removedLines(out, seedYaml), ['public_baseurl: "https://matrix.xfoss.com/"']);
  });

  test('a new block, then its second key, then deleting the legacy keys', () => {
    let out = yamlSet(seedYaml, ['rc_message', 'per_second'], 0.2);
    out = yamlSet(out, ['rc_message', 'burst_count'], 10);
    out = yamlDelete(out, ['rc_messages_per_second']);
    out = yamlDelete(out, ['rc_message_burst_count']);
    const v = yaml11(out);
    assert.deepEqual(v.rc_message, { per_second: 0.2, burst_count: 10 });
    assert.equal(v.rc_messages_per_second, undefined);
    assert.deepEqual(removedLines(seedYaml, out), ['rc_messages_per_second: 200000', 'rc_message_burst_count: 100000']);
    assert.ok(out.includes('# vim:ft=yaml'), 'comments stay');
  });

  test('a structured value is written as a block in the file style', () => {
    const out = yamlSet(seedYaml, ['rc_login'], { address: { per_second: 0.17, burst_count: 3 } });
    assert.deepEqual(yaml11(out).rc_login, { address: { per_second: 0.17, burst_count: 3 } });
    assert.match(out, /\nrc_login:\n {2}address:\n {4}per_second: 0\.17\n {4}burst_count: 3\n/);
  });

  test('strings that YAML 1.1 would read as something else are quoted', () => {
    for (const s of ['yes', 'no', 'on', 'off', 'null', '1.5', '012', '1:30', '', 'a: b', '# x', ' x']) {
      const out = yamlSet('a: 1\n', ['a'], s);
      assert.equal(yaml11(out).a, s, `${JSON.stringify(s)} -> ${out}`);
    }
  });

  test('deleting a missing key changes nothing; a file with a syntax error is refused', () => {
    assert.equal(yamlDelete(seedYaml, ['nope']), seedYaml);
    assert.throws(() => yamlSet('a: [1\n', ['a'], 2), FixError);
  });
});

describe('json edits on the seed config.json (tab and space indentation)', () => {
  test('set an existing value, add a member, delete members: the rest stays byte for byte', () => {
    let out = jsonSet(seedJson, ['default_server_config', 'm.homeserver', 'base_url'], 'https://matrix.example.com');
    assert.deepEqual(removedLines(out, seedJson), ['            "base_url": "https://matrix.example.com",']);
    out = jsonSet(seedJson, ['setting_defaults', 'language'], 'zh-hans');
    assert.deepEqual((parseJson(out).value as Record<string, Record<string, string>>).setting_defaults, { breadcrumbs: true, language: 'zh-hans' });
    out = jsonDelete(out, ['settingDefaults']);
    assert.equal((parseJson(out).value as Record<string, unknown>).settingDefaults, undefined);
    assert.deepEqual(removedLines(seedJson, out), ['\t"settingDefaults": {', '\t\t"language": "zh_Hans"', '\t},', '        "breadcrumbs": true']);
    out = jsonDelete(out, ['map_style_url']);
    assert.equal(parseJson(out).error, undefined);
  });

  test('a new nested object is created with the surrounding indentation', () => {
    const out = jsonSet('{\n  "a": 1\n}\n', ['b', 'c'], true);
    assert.equal(out, '{\n  "a": 1,\n  "b": {\n    "c": true\n  }\n}\n');
  });
});

describe('env edits on the seed .env', () => {
  test('set in place keeps comments and order; new variables are appended; unset removes the lines', () => {
    let out = envSet(seedEnv, 'JVB_ADVERTISE_IPS', '203.0.113.7');
    assert.deepEqual(removedLines(out, seedEnv), ['JVB_ADVERTISE_IPS=203.0.113.7']);
    out = envSet(out, 'XMPP_DOMAIN', 'meet.jitsi');
    assert.ok(out.endsWith('XMPP_DOMAIN=meet.jitsi\n'));
    out = envUnset(out, 'ENABLE_GUESTS');
    assert.equal(parseDotenv(out).values.ENABLE_GUESTS, undefined);
    assert.equal(envSet('A=1\n', 'B', 'has space # and hash'), 'A=1\nB="has space # and hash"\n');
    assert.equal(parseDotenv(envSet('A=1\n', 'B', 'has space # and hash')).values.B, 'has space # and hash');
  });
});

// Random documents: a map of keys to scalars or small maps, with comments and blank lines between.
// Not the words YAML 1.1 reads as booleans or null (PyYAML turns the key `on` into True).
const key = fc.stringMatching(/^[a-z][a-z_]{0,8}$/).filter((k) => !/^(y|n|yes|no|on|off|true|false|null)$/.test(k));
const scalar = fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.boolean(), fc.stringMatching(/^[A-Za-z0-9 ._:/#-]{0,12}$/));
const doc = fc.uniqueArray(fc.tuple(key, fc.oneof(scalar, fc.dictionary(key, scalar, { minKeys: 1, maxKeys: 3 })), fc.boolean()), {
  selector: (e) => e[0],
  minLength: 1,
  maxLength: 8,
});

function renderDoc(entries: [string, unknown, boolean][]): string {
  return entries
    .map(([k, v, comment]) => {
      const c = comment ? `# about ${k}\n` : '';
      if (typeof v === 'object' && v !== null)
        return `${c}${k}:\n${Object.entries(v)
          .map(([a, b]) => `    ${a}: ${JSON.stringify(b)}`)
          .join('\n')}\n`;
      return `${c}${k}: ${JSON.stringify(v)}\n`;
    })
    .join('\n');
}

describe('properties (fast-check)', () => {
  test('yaml: set is stable, holds the value, and only touches its own lines', () => {
    fc.assert(
      fc.property(doc, key, key, scalar, (entries, k1, k2, value) => {
        const text = renderDoc(entries);
        const existing = entries.find((e) => e[0] === k1);
        if (existing && typeof existing[1] !== 'object') {
          assert.throws(() => yamlSet(text, [k1, k2], value), FixError, 'a scalar cannot hold a key');
          return;
        }
        const once = yamlSet(text, [k1, k2], value);
        const twice = yamlSet(once, [k1, k2], value);
        assert.equal(twice, once);
        assert.deepEqual(yaml11(once)[k1][k2], value);
        const gone = removedLines(text, once);
        assert.ok(
          gone.every((l) => l.trimStart().startsWith(`${k2}:`)),
          `removed ${JSON.stringify(gone)}`,
        );
      }),
      fuzzParams(300),
    );
  });

  test('yaml: delete is stable and removes only that entry', () => {
    fc.assert(
      fc.property(doc, fc.nat(), (entries, pick) => {
        const text = renderDoc(entries);
        const [k] = entries[pick % entries.length];
        const once = yamlDelete(text, [k]);
        assert.equal(yamlDelete(once, [k]), once);
        const after = yaml11(once) ?? {};
        assert.equal(Object.hasOwn(after, k), false);
        for (const [other] of entries) if (other !== k) assert.ok(Object.hasOwn(after, other));
        assert.ok(once.includes(`# about ${k}`) === text.includes(`# about ${k}`), 'comments stay');
      }),
      fuzzParams(300),
    );
  });

  test('json: set then set again is stable, and the rest parses the same', () => {
    fc.assert(
      fc.property(fc.dictionary(key, scalar, { maxKeys: 6 }), key, scalar, fc.constantFrom('  ', '    ', '\t'), (obj, k, value, indent) => {
        const text = `${JSON.stringify(obj, null, indent)}\n`;
        const once = jsonSet(text, [k], value);
        assert.equal(jsonSet(once, [k], value), once);
        assert.deepEqual(parseJson(once).value, { ...obj, [k]: value });
        const back = jsonDelete(once, [k]);
        const expected = { ...obj };
        delete expected[k];
        assert.deepEqual(parseJson(back).value, expected);
      }),
      fuzzParams(300),
    );
  });

  test('env: set is stable and keeps every other line', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(fc.stringMatching(/^[A-Z][A-Z_]{0,6}$/), fc.stringMatching(/^[A-Za-z0-9._-]{0,8}$/)), { selector: (e) => e[0], maxLength: 6 }),
        fc.stringMatching(/^[A-Z][A-Z_]{0,6}$/),
        fc.string({ maxLength: 12 }),
        (vars, name, value) => {
          const clean = value.replace(/[\n\r]/g, '');
          const text = `# comment\n${vars.map(([n, v]) => `${n}=${v}`).join('\n')}\n`;
          const once = envSet(text, name, clean);
          assert.equal(envSet(once, name, clean), once);
          assert.equal(parseDotenv(once).values[name], clean);
          for (const [n, v] of vars) if (n !== name) assert.equal(parseDotenv(once).values[n], v);
          assert.ok(once.startsWith('# comment\n'));
        },
      ),
      fuzzParams(300),
    );
  });
});

describe('nginx edits on the seed site files', () => {
  const xfoss = readFileSync(path.join(SEED, 'nginx/xfoss-com.conf'), 'utf8');
  const matrix = readFileSync(path.join(SEED, 'nginx/matrix.conf'), 'utf8');

  test('set adds a directive at the end of a location, in its indentation, and replaces an existing one', () => {
    const loc = { server: 'xfoss.com', location: '/.well-known/matrix/client' };
    const added = nginxSet(xfoss, 'x.conf', loc, 'add_header', ['Cache-Control', 'max-age=3600']);
    assert.deepEqual(removedLines(added, xfoss), ['\t    add_header Cache-Control max-age=3600;']);
    const replaced = nginxSet(
      matrix,
      'm.conf',
      { server: 'matrix.xfoss.com', location: '~* ^(\\/_matrix|\\/_synapse\\/client|\\/_synapse\\/admin)' },
      'client_max_body_size',
      ['100M'],
    );
    assert.deepEqual(removedLines(replaced, matrix), ['        client_max_body_size 100M;']);
    assert.deepEqual(removedLines(matrix, replaced), ['        client_max_body_size 50M;']);
    assert.equal(
      nginxSet(
        replaced,
        'm.conf',
        { server: 'matrix.xfoss.com', location: '~* ^(\\/_matrix|\\/_synapse\\/client|\\/_synapse\\/admin)' },
        'client_max_body_size',
        ['100M'],
      ),
      replaced,
    );
  });

  test('quoting, one-line blocks, delete, and unknown targets', () => {
    const text = 'server {\n    server_name a.test;\n    location = /x { return 200; }\n}\n';
    const out = nginxSet(text, 'a.conf', { server: 'a.test', location: '= /x' }, 'add_header', ['X-Test', 'a b']);
    assert.equal(out, "server {\n    server_name a.test;\n    location = /x { return 200;\n    add_header X-Test 'a b';\n    }\n}\n");
    assert.equal(
      nginxDelete(out, 'a.conf', { server: 'a.test', location: '= /x' }, 'add_header'),
      'server {\n    server_name a.test;\n    location = /x { return 200;\n    }\n}\n',
    );
    assert.throws(() => nginxSet(text, 'a.conf', { server: 'b.test' }, 'x', []), FixError);
    assert.throws(() => nginxSet(text, 'a.conf', { server: 'a.test', location: '/y' }, 'x', []), /no 'location \/y' in the a.test server block/);
    assert.throws(() => nginxSet('server {', 'a.conf', { server: 'a.test' }, 'x', []), /syntax problem/);
  });

  test('directives nginx repeats are told apart by their first argument: replaced by it, else added after the last of their kind', () => {
    const loc = { server: 'matrix.xfoss.com', location: '~* ^(\\/_matrix|\\/_synapse\\/client|\\/_synapse\\/admin)' };
    const xff = nginxSet(matrix, 'm.conf', loc, 'proxy_set_header', ['X-Forwarded-For', '$proxy_add_x_forwarded_for']);
    assert.deepEqual(removedLines(matrix, xff), ['        proxy_set_header X-Forwarded-For $remote_addr;']);
    assert.deepEqual(removedLines(xff, matrix), ['        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;']);
    const realIp = nginxSet(matrix, 'm.conf', loc, 'proxy_set_header', ['X-Real-IP', '$remote_addr']);
    assert.ok(realIp.includes('proxy_set_header Host $host;\n        proxy_set_header X-Real-IP $remote_addr;\n\n'), realIp);
    assert.deepEqual(removedLines(matrix, realIp), []);
    // listen: by address and port; the new one goes after the last listen, before the comment of the next lines.
    const server = { server: 'matrix.xfoss.com' };
    const listen = nginxSet(matrix, 'm.conf', server, 'listen', ['8449', 'ssl']);
    assert.ok(listen.includes('    listen [::]:8448 ssl default_server;\n    listen 8449 ssl;\n\n    server_name'), listen);
    assert.deepEqual(removedLines(matrix, listen), []);
    // A trailing comment stays on its line; the new directive goes on the next one.
    const commented = 'server {\n  server_name a.test;\n  add_header A 1; # first\n  return 204;\n}\n';
    assert.equal(
      nginxSet(commented, 'a.conf', { server: 'a.test' }, 'add_header', ['B', '2']),
      'server {\n  server_name a.test;\n  add_header A 1; # first\n  add_header B 2;\n  return 204;\n}\n',
    );
  });

  test('property: set is stable, holds the value, and removes at most the one line it replaces', () => {
    const name = fc.constantFrom('proxy_set_header', 'add_header', 'listen', 'client_max_body_size', 'proxy_pass', 'return');
    const arg = fc.stringMatching(/^[A-Za-z0-9$:._/-]{1,10}$/);
    const directive = fc.tuple(name, fc.array(arg, { minLength: 1, maxLength: 3 }), fc.boolean());
    fc.assert(
      fc.property(fc.array(directive, { maxLength: 8 }), directive, fc.boolean(), (body, [dName, dArgs], inLocation) => {
        const lines = body.map(([n, a, comment]) => `        ${n} ${a.join(' ')};${comment ? ' # note' : ''}`);
        const text = `server {\n    server_name a.test;\n    location /x {\n${lines.map((l) => `${l}\n`).join('')}    }\n}\n`;
        const target = inLocation ? { server: 'a.test', location: '/x' } : { server: 'a.test' };
        const once = nginxSet(text, 'a.conf', target, dName, dArgs);
        assert.equal(nginxSet(once, 'a.conf', target, dName, dArgs), once);
        assert.deepEqual(parseNginx(once, 'a.conf').problems, []);
        const block = nginxTargetBlock(parseNginx(once, 'a.conf').directives, target);
        assert.ok(block?.block?.some((d) => d.name === dName && d.args.join(' ') === dArgs.join(' ')));
        const gone = removedLines(text, once);
        assert.ok(gone.length <= 1 && gone.every((l) => l.trimStart().startsWith(`${dName} `)), `removed ${JSON.stringify(gone)}`);
      }),
      fuzzParams(300),
    );
  });

  test('setting what is already there changes no byte, however it is spaced or quoted', () => {
    const text =
      'server {\n    server_name a.test;\n    location / {\n        proxy_pass   http://localhost:8008 ;\n        add_header \'X-A\' "1";\n    }\n}\n';
    const loc = { server: 'a.test', location: '/' };
    assert.equal(nginxSet(text, 'a.conf', loc, 'proxy_pass', ['http://localhost:8008']), text);
    assert.equal(nginxSet(text, 'a.conf', loc, 'add_header', ['X-A', '1']), text);
    assert.notEqual(nginxSet(text, 'a.conf', loc, 'add_header', ['X-A', '2']), text);
  });

  test('blocks sharing a server_name: a location names the block that has it; without one the first block is meant', () => {
    const text =
      'server {\n    listen 80;\n    server_name a.test;\n    return 301 https://$host$request_uri;\n}\n' +
      'server {\n    listen 443 ssl;\n    server_name a.test;\n    location /_matrix {\n        proxy_pass http://localhost:8008;\n    }\n}\n';
    const out = nginxSet(text, 'a.conf', { server: 'a.test', location: '/_matrix' }, 'client_max_body_size', ['50M']);
    assert.ok(out.includes('proxy_pass http://localhost:8008;\n        client_max_body_size 50M;\n    }'), out);
    const [redirect, tls] = parseNginx(text, 'a.conf').directives;
    assert.equal(nginxTargetBlock(parseNginx(text, 'a.conf').directives, { server: 'a.test' })?.start, redirect.start);
    assert.equal(nginxTargetBlock(parseNginx(text, 'a.conf').directives, { server: 'a.test', location: '/_matrix' })?.start, tls.block?.[2].start);
    assert.equal(nginxTargetBlock(parseNginx(text, 'a.conf').directives, { server: 'b.test' }), undefined);
  });
});

// Byte preservation, by position: documents in varied formatting (indentation by tabs or spaces, mixed
// between levels, LF or CRLF, a final line break or none, any key order, spacing around the colon, .env
// comments, quotes, `export` and inline comments), one edit, and the expected text built line by line
// from the original's lines: every line the edit does not touch must come out as the same bytes, at the
// same place (shifted only by the lines the edit adds or removes before it).

type Scalar = string | number | boolean | null;
type Member = [string, Scalar | [string, Scalar][]];

const jsonKey = fc.stringMatching(/^[A-Za-z0-9_ .~/-]{1,8}$/).filter((k) => k !== '__proto__');
const jsonScalar: fc.Arbitrary<Scalar> = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.string({ maxLength: 10 }));
const jsonMembers = fc.uniqueArray(
  fc.tuple(jsonKey, fc.oneof(jsonScalar, fc.uniqueArray(fc.tuple(jsonKey, jsonScalar), { selector: (e) => e[0], minLength: 1, maxLength: 4 }))),
  { selector: (e) => e[0], minLength: 1, maxLength: 7 },
) as fc.Arbitrary<Member[]>;
const jsonStyle = fc.record({
  outer: fc.constantFrom('  ', '    ', '\t', '   '),
  inner: fc.constantFrom('  ', '    ', '\t'),
  colon: fc.constantFrom(': ', ':', ' : '),
  eol: fc.constantFrom('\n', '\r\n'),
  final: fc.boolean(),
});
type JsonStyle = { outer: string; inner: string; colon: string; eol: string; final: boolean };

/** The document's lines, and for each member (`k`, or `k\u0000j` inside k) the lines it spans. */
function renderJsonDoc(members: Member[], s: JsonStyle): { lines: string[]; span: Map<string, [number, number]> } {
  const lines = ['{'];
  const span = new Map<string, [number, number]>();
  const q = (k: string) => JSON.stringify(k);
  members.forEach(([k, v], i) => {
    const comma = i < members.length - 1 ? ',' : '';
    const start = lines.length;
    if (Array.isArray(v)) {
      lines.push(`${s.outer}${q(k)}${s.colon}{`);
      v.forEach(([j, x], n) => {
        span.set(`${k}\u0000${j}`, [lines.length, lines.length]);
        lines.push(`${s.outer}${s.inner}${q(j)}${s.colon}${JSON.stringify(x)}${n < v.length - 1 ? ',' : ''}`);
      });
      lines.push(`${s.outer}}${comma}`);
    } else lines.push(`${s.outer}${q(k)}${s.colon}${JSON.stringify(v)}${comma}`);
    span.set(k, [start, lines.length - 1]);
  });
  lines.push('}');
  return { lines, span };
}
const joinLines = (lines: string[], eol: string, final: boolean) => lines.join(eol) + (final ? eol : '');

describe('byte preservation by position (fast-check)', () => {
  test('json: setting an existing value rewrites only its line', () => {
    fc.assert(
      fc.property(jsonMembers, jsonStyle, fc.nat(), fc.nat(), jsonScalar, (members, style, pick, pick2, value) => {
        const { lines, span } = renderJsonDoc(members, style);
        const text = joinLines(lines, style.eol, style.final);
        const [k, v] = members[pick % members.length];
        const path = Array.isArray(v) ? [k, v[pick2 % v.length][0]] : [k];
        const line = (span.get(path.join('\u0000')) as [number, number])[0];
        const expected = [...lines];
        const old = lines[line];
        const comma = old.endsWith(',') ? ',' : '';
        const keyEnd = old.indexOf(style.colon, old.indexOf('"', old.search(/\S/) + 1)) + style.colon.length;
        // The key's part of the line (indentation, key, colon) up to the value, as it was.
        const prefix = `${style.outer}${path.length === 2 ? style.inner : ''}${JSON.stringify(path[path.length - 1])}${style.colon}`;
        assert.equal(old.slice(0, prefix.length), prefix);
        assert.ok(keyEnd <= prefix.length);
        expected[line] = `${prefix}${JSON.stringify(value)}${comma}`;
        const out = jsonSet(text, path, value);
        assert.equal(out, joinLines(expected, style.eol, style.final));
      }),
      fuzzParams(300),
    );
  });

  test('json: adding a member appends one line after the last sibling (which gains a comma), in its indentation', () => {
    fc.assert(
      fc.property(jsonMembers, jsonStyle, fc.nat(), jsonKey, jsonScalar, fc.boolean(), (members, style, pick, key, value, nested) => {
        const { lines, span } = renderJsonDoc(members, style);
        const text = joinLines(lines, style.eol, style.final);
        const objects = members.filter((m) => Array.isArray(m[1]));
        const parent = nested && objects.length ? objects[pick % objects.length] : undefined;
        const siblings = parent ? (parent[1] as [string, Scalar][]) : members;
        if (siblings.some(([k]) => k === key)) return;
        const last = siblings[siblings.length - 1][0];
        const lastLine = (span.get(parent ? `${parent[0]}\u0000${last}` : last) as [number, number])[1];
        const indent = parent ? style.outer + style.inner : style.outer;
        const expected = [...lines];
        expected[lastLine] = `${lines[lastLine]},`;
        expected.splice(lastLine + 1, 0, `${indent}${JSON.stringify(key)}: ${JSON.stringify(value)}`);
        const out = jsonSet(text, parent ? [parent[0], key] : [key], value);
        assert.equal(out, joinLines(expected, style.eol, style.final));
      }),
      fuzzParams(300),
    );
  });

  test('json: deleting a member removes only its lines (and the comma before it when it was the last)', () => {
    fc.assert(
      fc.property(jsonMembers, jsonStyle, fc.nat(), fc.nat(), fc.boolean(), (members, style, pick, pick2, nested) => {
        const { lines, span } = renderJsonDoc(members, style);
        const text = joinLines(lines, style.eol, style.final);
        const objects = members.filter((m) => Array.isArray(m[1]) && m[1].length >= 2);
        const parent = nested && objects.length ? objects[pick % objects.length] : undefined;
        const siblings = parent ? (parent[1] as [string, Scalar][]) : members;
        if (siblings.length < 2) return;
        const i = pick2 % siblings.length;
        const id = (k: string) => (parent ? `${parent[0]}\u0000${k}` : k);
        const [from, to] = span.get(id(siblings[i][0])) as [number, number];
        const expected = [...lines];
        if (i === siblings.length - 1) {
          const prevEnd = (span.get(id(siblings[i - 1][0])) as [number, number])[1];
          expected[prevEnd] = lines[prevEnd].replace(/,$/, '');
        }
        expected.splice(from, to - from + 1);
        const out = jsonDelete(text, parent ? [parent[0], siblings[i][0]] : [siblings[i][0]]);
        assert.equal(out, joinLines(expected, style.eol, style.final));
        assert.equal(parseJson(out).error, undefined);
      }),
      fuzzParams(300),
    );
  });

  // .env lines: comments, blank lines, and assignments written in the ways docker-jitsi-meet users do.
  type EnvLine = { kind: 'comment' | 'blank'; text: string } | { kind: 'var'; name: string; value: string; style: number; comment: boolean };
  const envName = fc.stringMatching(/^[A-Z][A-Z0-9_]{0,5}$/);
  const envValue = fc.stringMatching(/^[A-Za-z0-9._:/@-]{0,10}$/);
  const envLine: fc.Arbitrary<EnvLine> = fc.oneof(
    fc.record({ kind: fc.constant('comment' as const), text: fc.stringMatching(/^#[^\r\n]{0,20}$/) }),
    fc.record({ kind: fc.constant('blank' as const), text: fc.constantFrom('', '   ') }),
    fc.record({ kind: fc.constant('var' as const), name: envName, value: envValue, style: fc.integer({ min: 0, max: 4 }), comment: fc.boolean() }),
  );
  /** One assignment as text: NAME=v, NAME="v", NAME='v', export NAME=v, NAME= v; an inline comment after it. */
  function envText(l: EnvLine): string {
    if (l.kind !== 'var') return l.text;
    const after = l.comment ? ' # note' : '';
    switch (l.style) {
      case 1:
        return `${l.name}="${l.value}"${after}`;
      case 2:
        return `${l.name}='${l.value}'${after}`;
      case 3:
        return `export ${l.name}=${l.value}${l.value === '' ? '""' : ''}${after}`;
      case 4:
        return `${l.name}= ${l.value === '' ? '""' : l.value}${after}`;
      default:
        return `${l.name}=${l.value === '' && l.comment ? '""' : l.value}${after}`;
    }
  }
  const envDoc = fc.record({ lines: fc.array(envLine, { maxLength: 10 }), eol: fc.constantFrom('\n', '\r\n'), final: fc.boolean() });
  const newValue = fc.string({ maxLength: 12 }).map((v) => v.replace(/[\r\n]/g, ''));

  test('env: setting a variable rewrites only its last assignment, keeping what is around the value', () => {
    fc.assert(
      fc.property(envDoc, fc.nat(), newValue, ({ lines, eol, final }, pick, value) => {
        const vars = lines.flatMap((l, i) => (l.kind === 'var' ? [i] : []));
        if (vars.length === 0) return;
        const texts = lines.map(envText);
        const text = joinLines(texts, eol, final || texts.length === 0);
        const name = (lines[vars[pick % vars.length]] as { name: string }).name;
        const lastIndex = Math.max(...vars.filter((i) => (lines[i] as { name: string }).name === name));
        const out = envSet(text, name, value);
        const outLines = out.split(eol);
        const before = text.split(eol);
        assert.equal(outLines.length, before.length);
        for (let i = 0; i < before.length; i++) if (i !== lastIndex) assert.equal(outLines[i], before[i], `line ${i + 1}`);
        const changed = outLines[lastIndex];
        const l = lines[lastIndex] as Extract<EnvLine, { kind: 'var' }>;
        assert.ok(changed.startsWith(l.style === 3 ? `export ${name}=` : `${name}=`), changed);
        if (l.comment) assert.ok(changed.endsWith(' # note'), changed);
        assert.equal(parseDotenv(changed).values[name], value);
        assert.equal(parseDotenv(out).values[name], value);
        assert.equal(envSet(out, name, value), out);
      }),
      fuzzParams(300),
    );
  });

  test('env: a new variable is one line at the end, with the file line end; unset removes only its lines', () => {
    fc.assert(
      fc.property(envDoc, envName, newValue, fc.nat(), ({ lines, eol, final }, name, value, pick) => {
        const texts = lines.map(envText);
        const text = joinLines(texts, eol, final);
        const fileEol = texts.length > 1 ? eol : '\n';
        if (!lines.some((l) => l.kind === 'var' && l.name === name)) {
          const out = envSet(text, name, value);
          const sep = text === '' || text.endsWith('\n') ? '' : fileEol;
          assert.ok(out.startsWith(text + sep), 'every line before stays');
          const added = out.slice((text + sep).length);
          assert.ok(added.endsWith(fileEol) && !added.slice(0, -fileEol.length).includes('\n'), JSON.stringify(added));
          assert.equal(parseDotenv(out).values[name], value);
        }
        const vars = lines.flatMap((l) => (l.kind === 'var' ? [l.name] : []));
        if (vars.length === 0) return;
        const gone = vars[pick % vars.length];
        const out = envUnset(text, gone);
        const expected = texts.filter((_, i) => !(lines[i].kind === 'var' && (lines[i] as { name: string }).name === gone));
        // A removed last line takes its line break with it; a final line without one leaves the one before.
        const lastRemoved = lines.length > 0 && lines[lines.length - 1].kind === 'var' && (lines[lines.length - 1] as { name: string }).name === gone;
        assert.equal(out, lastRemoved && !final && expected.length ? joinLines(expected, eol, true) : joinLines(expected, eol, final && expected.length > 0));
        assert.equal(Object.hasOwn(parseDotenv(out).values, gone), false);
      }),
      fuzzParams(300),
    );
  });
});
