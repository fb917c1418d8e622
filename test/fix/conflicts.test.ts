// Which fixes `matrixdoc fix` applies on its own: advice (info findings) only when named, and when the
// fixes of two findings disagree about the same thing, the more severe finding's; at equal severity none.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { Edit, Finding, Severity } from '../../src/engine/types.js';
import { claimsOf, clash, findingsClash, isAdvice, resolveConflicts } from '../../src/fix/conflicts.js';
import { fuzzParams } from '../fuzz/arbitraries.js';

const HS = '/etc/matrix-synapse/homeserver.yaml';
let n = 0;
function finding(code: string, severity: Severity, edits: Partial<Edit>[], file = HS): Finding {
  return {
    code,
    check: 'test',
    severity,
    messageId: `m${n++}`,
    data: {},
    message: `${code} message ${n}`,
    evidence: {},
    docs: '',
    fix: { summary: `${code} fix`, steps: [], edits: edits.map((e) => ({ file, ...e }) as Edit) },
  };
}
const set = (path: readonly (string | number)[], value: unknown): Partial<Edit> => ({ kind: 'yaml-set', path: [...path], value });
const del = (path: readonly (string | number)[]): Partial<Edit> => ({ kind: 'yaml-delete', path: [...path] });
const codes = (list: Finding[]) => list.map((f) => f.code);

describe('clash: do two edits disagree?', () => {
  const c = (a: Partial<Edit>, b: Partial<Edit>) => clash(claimsOf([{ file: HS, ...a } as Edit])[0], claimsOf([{ file: HS, ...b } as Edit])[0]);

  test('the same path: different values disagree, equal ones agree; deletes agree with deletes', () => {
    assert.deepEqual(c(set(['rc_message', 'per_second'], 200000), set(['rc_message', 'per_second'], 0.2)), {
      file: HS,
      target: 'rc_message.per_second',
      values: ['200000', '0.2'],
    });
    assert.equal(c(set(['a'], { x: [1] }), set(['a'], { x: [1] })), undefined);
    assert.equal(c(del(['rc_messages_per_second']), del(['rc_messages_per_second'])), undefined);
    assert.deepEqual(c(set(['a'], 1), del(['a']))?.values, ['1', '(deleted)']);
  });

  test('a path inside another: the outer value decides what is below it', () => {
    const block = set(['rc_message'], { per_second: 0.2, burst_count: 10 });
    assert.equal(c(block, set(['rc_message', 'per_second'], 0.2)), undefined);
    assert.deepEqual(c(set(['rc_message', 'per_second'], 200000), block), { file: HS, target: 'rc_message.per_second', values: ['200000', '0.2'] });
    assert.deepEqual(c(set(['rc_message'], { per_second: 0.2 }), set(['rc_message', 'burst_count'], 10))?.values, ['(not set)', '10']);
    assert.equal(c(set(['rc_message'], { per_second: 0.2 }), del(['rc_message', 'burst_count'])), undefined);
    assert.deepEqual(c(block, del(['rc_message', 'burst_count']))?.values, ['10', '(deleted)']);
    assert.ok(c(del(['rc_message']), set(['rc_message', 'per_second'], 1)));
    assert.equal(c(del(['rc_message']), del(['rc_message', 'per_second'])), undefined);
    assert.equal(c(set(['listeners', 0, 'x_forwarded'], true), set(['listeners', 1, 'x_forwarded'], false)), undefined);
    assert.equal(c(set(['listeners', 0, 'x_forwarded'], true), set(['listeners', 0, 'x_forwarded'], false))?.target, 'listeners[0].x_forwarded');
    assert.equal(c(set(['rc_message'], 1), set(['rc_messages'], 2)), undefined, 'a key that starts like another is another key');
  });

  test('other files and other kinds of file never clash', () => {
    assert.equal(
      clash(claimsOf([{ kind: 'yaml-set', file: HS, path: ['a'], value: 1 }])[0], claimsOf([{ kind: 'yaml-set', file: `${HS}.d`, path: ['a'], value: 2 }])[0]),
      undefined,
    );
    assert.equal(
      clash(claimsOf([{ kind: 'json-set', file: HS, path: ['a'], value: 1 }])[0], claimsOf([{ kind: 'yaml-set', file: HS, path: ['a'], value: 2 }])[0]),
      undefined,
    );
  });

  test('.env variables', () => {
    const env = (e: Partial<Edit>) => ({ file: '/srv/jitsi/.env', ...e }) as Edit;
    const cl = (a: Partial<Edit>, b: Partial<Edit>) => clash(claimsOf([env(a)])[0], claimsOf([env(b)])[0]);
    assert.deepEqual(cl({ kind: 'env-set', name: 'PUBLIC_URL', value: 'https://a' }, { kind: 'env-set', name: 'PUBLIC_URL', value: 'https://b' })?.values, [
      '"https://a"',
      '"https://b"',
    ]);
    assert.equal(cl({ kind: 'env-set', name: 'A', value: '1' }, { kind: 'env-set', name: 'A', value: '1' }), undefined);
    assert.equal(cl({ kind: 'env-set', name: 'A', value: '1' }, { kind: 'env-set', name: 'AB', value: '2' }), undefined);
    assert.equal(cl({ kind: 'env-set', name: 'A', value: '1' }, { kind: 'env-unset', name: 'A' })?.target, 'A');
  });

  test('nginx directives: keyed ones by their first argument, in their block', () => {
    const ng = (e: Partial<Edit>) =>
      ({ kind: 'nginx-set', file: '/etc/nginx/sites-enabled/matrix', server: 'matrix.example.com', location: '/_matrix', ...e }) as Edit;
    const cl = (a: Partial<Edit>, b: Partial<Edit>) => clash(claimsOf([ng(a)])[0], claimsOf([ng(b)])[0]);
    assert.equal(
      cl({ directive: 'proxy_set_header', args: ['Host', '$host'] }, { directive: 'proxy_set_header', args: ['X-Forwarded-For', '$remote_addr'] }),
      undefined,
    );
    assert.deepEqual(cl({ directive: 'proxy_set_header', args: ['Host', '$host'] }, { directive: 'proxy_set_header', args: ['Host', '$http_host'] }), {
      file: '/etc/nginx/sites-enabled/matrix',
      target: 'proxy_set_header Host in server matrix.example.com location /_matrix',
      values: ['Host $host', 'Host $http_host'],
    });
    assert.ok(cl({ directive: 'client_max_body_size', args: ['50M'] }, { directive: 'client_max_body_size', args: ['100M'] }));
    assert.equal(cl({ directive: 'client_max_body_size', args: ['50M'] }, { directive: 'client_max_body_size', args: ['50M'] }), undefined);
    assert.equal(
      cl({ directive: 'client_max_body_size', args: ['50M'] }, { directive: 'client_max_body_size', args: ['100M'], location: undefined }),
      undefined,
    );
    assert.ok(cl({ kind: 'nginx-delete', directive: 'proxy_set_header' }, { directive: 'proxy_set_header', args: ['Host', '$host'] }), 'deleting them all');
  });

  test('text edits: overlapping ranges with different texts', () => {
    const t = (start: number, end: number, text: string) => claimsOf([{ kind: 'text', file: HS, start, end, text }])[0];
    assert.ok(clash(t(0, 5, 'a'), t(3, 8, 'b')));
    assert.equal(clash(t(0, 5, 'a'), t(0, 5, 'a')), undefined);
    assert.equal(clash(t(0, 5, 'a'), t(5, 8, 'b')), undefined);
    assert.ok(clash(t(5, 5, 'x'), t(5, 5, 'y')), 'two insertions at one place: their order would be a guess');
  });
});

describe('resolveConflicts', () => {
  test('the seed: HS-007 keeps 200000 in rc_message, RL-003 resets it; both warnings, so neither, and one choice', () => {
    const perSecond = finding('MXD-HS-007', 'warning', [set(['rc_message', 'per_second'], 200000), del(['rc_messages_per_second'])]);
    const burst = finding('MXD-HS-007', 'warning', [set(['rc_message', 'burst_count'], 100000), del(['rc_message_burst_count'])]);
    const forwarded = finding('MXD-RL-001', 'error', [set(['listeners', 0, 'x_forwarded'], true)]);
    const reset = finding('MXD-RL-003', 'warning', [
      set(['rc_message'], { per_second: 0.2, burst_count: 10 }),
      set(['rc_login'], { address: { per_second: 0.003, burst_count: 5 } }),
      del(['rc_messages_per_second']),
      del(['rc_message_burst_count']),
    ]);
    const r = resolveConflicts([perSecond, burst, forwarded, reset]);
    assert.deepEqual(codes(r.apply), ['MXD-RL-001']);
    assert.deepEqual(r.superseded, []);
    assert.equal(r.choices.length, 1);
    assert.deepEqual(codes(r.choices[0].findings), ['MXD-HS-007', 'MXD-HS-007', 'MXD-RL-003']);
    assert.deepEqual(
      r.choices[0].clashes.map((c) => [c.target, ...c.values]),
      [
        ['rc_message.per_second', '200000', '0.2'],
        ['rc_message.burst_count', '100000', '10'],
      ],
    );
    // The two HS-007 findings touch different keys: together they are no conflict.
    assert.deepEqual(codes(resolveConflicts([perSecond, burst]).apply), ['MXD-HS-007', 'MXD-HS-007']);
  });

  test('the more severe finding wins; the other is superseded by it, and what only it clashed with is applied', () => {
    const error = finding('MXD-A-001', 'error', [set(['max_upload_size'], '50M')]);
    const warning = finding('MXD-B-001', 'warning', [set(['max_upload_size'], '100M'), set(['url_preview_enabled'], true)]);
    const info = finding('MXD-C-001', 'info', [set(['url_preview_enabled'], false)]);
    const r = resolveConflicts([info, warning, error]);
    assert.deepEqual(codes(r.apply), ['MXD-C-001', 'MXD-A-001']);
    assert.deepEqual(
      r.superseded.map((s) => [s.finding.code, s.by.code, s.clash.target, ...s.clash.values]),
      [['MXD-B-001', 'MXD-A-001', 'max_upload_size', '"50M"', '"100M"']],
    );
    assert.deepEqual(r.choices, []);
  });

  test('a finding that clashes with a choice joins it rather than deciding it', () => {
    const a = finding('MXD-A-001', 'warning', [set(['x'], 1)]);
    const b = finding('MXD-B-001', 'warning', [set(['x'], 2)]);
    const c = finding('MXD-C-001', 'info', [set(['x'], 3)]);
    const d = finding('MXD-D-001', 'info', [set(['y'], 3)]);
    const r = resolveConflicts([a, b, c, d]);
    assert.deepEqual(codes(r.apply), ['MXD-D-001']);
    assert.deepEqual(
      r.choices.map((x) => codes(x.findings)),
      [['MXD-A-001', 'MXD-B-001', 'MXD-C-001']],
    );
  });

  test('no clash, no change: every finding is applied, in order', () => {
    const list = [
      finding('MXD-A-001', 'info', [set(['a'], 1)]),
      finding('MXD-B-001', 'error', [set(['b'], 1)]),
      finding('MXD-C-001', 'warning', [set(['a'], 1)]),
    ];
    assert.deepEqual(resolveConflicts(list).apply, list);
  });

  test('property: the outcome does not depend on the order of the findings, and nothing applied clashes', () => {
    const sev = fc.constantFrom<Severity>('error', 'warning', 'info');
    const edit = fc.tuple(fc.constantFrom(['a'], ['a', 'b'], ['a', 'c'], ['d']), fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined }));
    const arb = fc.array(fc.tuple(sev, fc.array(edit, { minLength: 1, maxLength: 3 })), { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(arb, fc.nat(), (specs, seed) => {
        const list = specs.map(([s, edits], i) =>
          finding(
            `MXD-P-${String(i).padStart(3, '0')}`,
            s,
            edits.map(([p, v]) => (v === undefined ? del(p) : set(p, v))),
          ),
        );
        const shuffled = [...list].sort((x, y) => ((x.code.charCodeAt(8) * 31 + seed) % 7) - ((y.code.charCodeAt(8) * 31 + seed) % 7));
        const a = resolveConflicts(list);
        const b = resolveConflicts(shuffled);
        const sorted = (fs: Finding[]) => codes(fs).sort();
        assert.deepEqual(sorted(a.apply), sorted(b.apply));
        assert.deepEqual(sorted(a.superseded.map((s) => s.finding)), sorted(b.superseded.map((s) => s.finding)));
        assert.deepEqual(sorted(a.choices.flatMap((c) => c.findings)), sorted(b.choices.flatMap((c) => c.findings)));
        for (const x of a.apply) for (const y of a.apply) if (x !== y) assert.equal(findingsClash(x, y), undefined, `${x.code} and ${y.code}`);
        // Every finding is accounted for exactly once.
        assert.equal(a.apply.length + a.superseded.length + a.choices.reduce((k, c) => k + c.findings.length, 0), list.length);
      }),
      fuzzParams(300),
    );
  });

  test('advice is an info finding', () => {
    assert.equal(isAdvice(finding('MXD-TURN-004', 'info', [])), true);
    assert.equal(isAdvice(finding('MXD-HS-007', 'warning', [])), false);
  });
});
