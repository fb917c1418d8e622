import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { defineCheck, defineProbe } from '../../src/engine/define.js';
import { ProbeError } from '../../src/engine/errors.js';
import { buildInputs } from '../../src/engine/inputs.js';
import { planProbes, runEngine } from '../../src/engine/run.js';
import type { CheckDefinition, ProbeDefinition } from '../../src/engine/types.js';
import { NetClient } from '../../src/net/client.js';
import { Redactor } from '../../src/report/redact.js';

const net = new NetClient({ resolve: [], connectTo: [], allowTargets: [] });

function registry(...probes: ProbeDefinition[]): Map<string, ProbeDefinition> {
  return new Map(probes.map((p) => [p.id, p]));
}

function run(
  checks: CheckDefinition[],
  probes: ProbeDefinition[],
  opts: { offline?: boolean; timeout?: string; concurrency?: number; signal?: AbortSignal } = {},
) {
  const inputs = buildInputs({ offline: opts.offline, timeout: opts.timeout ?? '2s' }, {}, undefined, {});
  return runEngine(checks, registry(...probes), { inputs, net, redactor: new Redactor(), concurrency: opts.concurrency, signal: opts.signal });
}

function valueProbe(id: string, value: unknown, extra: Partial<ProbeDefinition> = {}): ProbeDefinition {
  return defineProbe({ id, description: id, network: false, run: async () => value, ...extra });
}

function failingProbe(id: string, error: Error): ProbeDefinition {
  return defineProbe({
    id,
    description: id,
    network: false,
    run: async () => {
      throw error;
    },
  });
}

function checkOf(
  id: string,
  requires: string[],
  findings: (inputs: Parameters<CheckDefinition['run']>[0]) => ReturnType<CheckDefinition['run']>,
  uses: string[] = [],
) {
  return defineCheck({
    id,
    title: id,
    description: id,
    requires,
    uses,
    codes: [
      { code: 'MXD-TST-001', severity: 'error', title: 'e', messages: { e: 'error {{n}}' } },
      { code: 'MXD-TST-002', severity: 'warning', title: 'w', messages: { w: 'warning' } },
      { code: 'MXD-TST-003', severity: 'info', title: 'i', messages: { i: 'info' } },
    ],
    run: findings,
  });
}

describe('engine', () => {
  test('a probe shared by several checks runs once', async () => {
    let calls = 0;
    const probe = defineProbe({ id: 'shared', description: '', network: false, run: async () => ({ n: ++calls }) });
    const checks = ['a', 'b', 'c'].map((id) => checkOf(id, ['shared'], () => []));
    const out = await run(checks, [probe]);
    assert.equal(calls, 1);
    assert.deepEqual(
      out.checks.map((c) => c.status),
      ['pass', 'pass', 'pass'],
    );
  });

  test('probes run concurrently, never more than the limit at once', async () => {
    let inFlight = 0;
    let peak = 0;
    const probes = Array.from({ length: 6 }, (_, i) =>
      defineProbe({
        id: `p${i}`,
        description: '',
        network: false,
        run: async () => {
          inFlight++;
          peak = Math.max(peak, inFlight);
          await new Promise((r) => setTimeout(r, 30));
          inFlight--;
          return {};
        },
      }),
    );
    await run(
      [
        checkOf(
          'all',
          probes.map((p) => p.id),
          () => [],
        ),
      ],
      probes,
      { concurrency: 2 },
    );
    assert.equal(peak, 2);
    peak = 0;
    await run(
      [
        checkOf(
          'all',
          probes.map((p) => p.id),
          () => [],
        ),
      ],
      probes,
      { concurrency: 6 },
    );
    assert.ok(peak > 2, `expected real concurrency, peak was ${peak}`);
  });

  test('a probe that never settles costs its timeout, not the whole run', async () => {
    const hang = defineProbe({ id: 'hang', description: '', network: false, timeoutMs: 100, run: () => new Promise(() => {}) });
    const quick = valueProbe('quick', {});
    const started = performance.now();
    const out = await run([checkOf('slow', ['hang'], () => []), checkOf('fast', ['quick'], () => [])], [hang, quick]);
    const elapsed = performance.now() - started;
    assert.equal(out.checks[0].status, 'error');
    assert.match(out.checks[0].reason ?? '', /TIMEOUT/);
    assert.equal(out.checks[1].status, 'pass');
    assert.ok(elapsed < 2000, `took ${elapsed} ms`);
  });

  test('a ProbeError makes dependent checks error with its code, others unaffected', async () => {
    const failing = failingProbe('failing', new ProbeError('FILE_NOT_FOUND', '--x /nope: no such file'));
    const out = await run([checkOf('dep', ['failing'], () => []), checkOf('other', ['ok'], () => [])], [failing, valueProbe('ok', 1)]);
    assert.equal(out.checks[0].status, 'error');
    assert.equal(out.checks[0].reason, 'failing: FILE_NOT_FOUND: --x /nope: no such file');
    assert.equal(out.checks[1].status, 'pass');
    assert.equal(out.probes.failing.status, 'error');
  });

  test('an unexpected exception is INTERNAL, with the stack kept for --debug only', async () => {
    const buggy = failingProbe('buggy', new TypeError('boom'));
    const out = await run([checkOf('dep', ['buggy'], () => [])], [buggy]);
    assert.equal(out.checks[0].status, 'error');
    assert.match(out.checks[0].reason ?? '', /INTERNAL: boom/);
    assert.ok(out.stacks.some((s) => s.includes('TypeError: boom')));
    assert.ok(!JSON.stringify(out.checks).includes('at '), 'no stack trace in check results');
  });

  test('a skipped required probe skips the check with its reason; optional ones do not block', async () => {
    const absent = defineProbe({ id: 'absent', description: '', network: false, run: async () => ({ skip: 'no --thing given' }) });
    const out = await run(
      [
        checkOf('needs', ['absent'], () => []),
        checkOf('wants', ['ok'], (i) => (i.optional('absent') === undefined ? [] : [{ code: 'MXD-TST-001', messageId: 'e' }]), ['absent']),
      ],
      [absent, valueProbe('ok', 1)],
    );
    assert.equal(out.checks[0].status, 'skip');
    assert.equal(out.checks[0].reason, 'no --thing given');
    assert.equal(out.checks[1].status, 'pass');
  });

  test('--offline skips network probes without running them', async () => {
    let ran = false;
    const remote = defineProbe({
      id: 'remote',
      description: '',
      network: true,
      run: async () => {
        ran = true;
        return {};
      },
    });
    const out = await run([checkOf('c', ['remote'], () => [])], [remote], { offline: true });
    assert.equal(ran, false);
    assert.equal(out.checks[0].status, 'skip');
    assert.match(out.checks[0].reason ?? '', /--offline/);
  });

  test('a probe whose dependency failed fails too (DEPENDENCY_FAILED), naming it; its check is error, not skip', async () => {
    const base = failingProbe('base', new ProbeError('CONN_REFUSED', 'refused'));
    let ran = false;
    const derived = defineProbe({
      id: 'derived',
      description: '',
      network: false,
      dependsOn: ['base'],
      run: async () => {
        ran = true;
        return {};
      },
    });
    const out = await run([checkOf('c', ['derived'], () => [])], [base, derived]);
    assert.equal(ran, false);
    const d = out.probes.derived;
    assert.equal(d.status === 'error' && d.error.code, 'DEPENDENCY_FAILED');
    assert.equal(out.checks[0].status, 'error');
    assert.match(out.checks[0].reason ?? '', /derived: DEPENDENCY_FAILED: needs base, which failed \(CONN_REFUSED: refused\)/);
  });

  test('a probe whose dependency was skipped is skipped, naming it', async () => {
    const base = defineProbe({ id: 'base', description: '', network: false, run: async () => ({ skip: 'not given' }) });
    const derived = defineProbe({ id: 'derived', description: '', network: false, dependsOn: ['base'], run: async () => ({}) });
    const out = await run([checkOf('c', ['derived'], () => [])], [base, derived]);
    assert.equal(out.probes.derived.status, 'skipped');
    assert.equal(out.checks[0].status, 'skip');
    assert.match(out.checks[0].reason ?? '', /needs base \(not given\)/);
  });

  test('status follows the worst finding: error -> fail, warning -> warn, info -> pass', async () => {
    const p = valueProbe('p', {});
    const out = await run(
      [
        checkOf('f', ['p'], () => [
          { code: 'MXD-TST-001', messageId: 'e', data: { n: 7 } },
          { code: 'MXD-TST-002', messageId: 'w' },
        ]),
        checkOf('w', ['p'], () => [{ code: 'MXD-TST-002', messageId: 'w' }]),
        checkOf('i', ['p'], () => [{ code: 'MXD-TST-003', messageId: 'i' }]),
        checkOf('o', ['p'], () => [{ code: 'MXD-TST-003', messageId: 'i', severity: 'error' }]),
      ],
      [p],
    );
    assert.deepEqual(
      out.checks.map((c) => c.status),
      ['fail', 'warn', 'pass', 'fail'],
    );
    assert.equal(out.checks[0].findings[0].message, 'error 7');
    assert.equal(out.checks[0].findings[0].docs, 'docs/codes/MXD-TST-001.md');
  });

  test('a check that crashes or reports an undeclared code is error, not a crash of the run', async () => {
    const p = valueProbe('p', {});
    const out = await run(
      [
        checkOf('crash', ['p'], () => {
          throw new Error('bad check');
        }),
        checkOf('undeclared', ['p'], () => [{ code: 'MXD-TST-999', messageId: 'x' }]),
        checkOf('sneaky', ['p'], (i) => [i.get('q')]),
      ],
      [p, valueProbe('q', {})],
    );
    assert.deepEqual(
      out.checks.map((c) => c.status),
      ['error', 'error', 'error'],
    );
    assert.match(out.checks[1].reason ?? '', /MXD-TST-999/);
    assert.match(out.checks[2].reason ?? '', /did not declare 'q'/);
  });

  test('the run signal aborts probes still running', async () => {
    const controller = new AbortController();
    const slow = defineProbe({
      id: 'slow',
      description: '',
      network: false,
      run: (ctx) => new Promise((_r, reject) => ctx.signal.addEventListener('abort', () => reject(new Error('aborted')))),
    });
    setTimeout(() => controller.abort(), 50);
    const out = await run([checkOf('c', ['slow'], () => [])], [slow], { signal: controller.signal, timeout: '10s' });
    assert.equal(out.probes.slow.status, 'error');
    assert.match(out.checks[0].reason ?? '', /ABORTED/);
  });

  test('a probe that starts after the run was aborted (it waited on another) ends as ABORTED, with no unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const controller = new AbortController();
      const first = defineProbe({
        id: 'first',
        description: '',
        network: false,
        run: (ctx) => new Promise((_r, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason))),
      });
      // As the federation probe does: it uses another probe's result, then checks the signal first thing.
      const second = defineProbe({
        id: 'second',
        description: '',
        network: false,
        uses: ['first'],
        run: async (ctx) => {
          ctx.signal.throwIfAborted();
          return {};
        },
      });
      setTimeout(() => controller.abort(new Error('deadline')), 30);
      const out = await run([checkOf('c', ['second'], () => [])], [first, second], { signal: controller.signal, timeout: '10s' });
      assert.equal(out.probes.second.status, 'error');
      assert.match(out.checks[0].reason ?? '', /second: ABORTED/);
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert.deepEqual(unhandled, []);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  test('a chain of hanging probes (one uses the other) costs one timeout, not the sum; the wait is named', async () => {
    const hang = (id: string, uses: string[] = []) =>
      defineProbe({
        id,
        description: id,
        network: false,
        uses,
        run: (ctx) => new Promise((_r, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason))),
      });
    const t0 = performance.now();
    const out = await run([checkOf('c', ['second'], () => [])], [hang('first'), hang('second', ['first'])], { timeout: '300ms' });
    const took = performance.now() - t0;
    assert.ok(took < 450, `took ${Math.round(took)} ms for a 300 ms timeout`);
    const second = out.probes.second;
    assert.equal(second.status, 'error');
    assert.equal(second.status === 'error' && second.error.code, 'TIMEOUT');
    assert.match(second.status === 'error' ? second.error.message : '', /no result within 300 ms \(all of it spent waiting for first\)/);
  });

  test('a probe that waited part of its timeout gets the rest as ctx.timeoutMs, a whole number', async () => {
    const slow = defineProbe({ id: 'slow', description: '', network: false, run: () => new Promise<object>((resolve) => setTimeout(() => resolve({}), 120)) });
    let seen = 0;
    const after = defineProbe({
      id: 'after',
      description: '',
      network: false,
      uses: ['slow'],
      run: async (ctx) => {
        seen = ctx.timeoutMs;
        return {};
      },
    });
    const out = await run([checkOf('c', ['after'], () => [])], [slow, after], { timeout: '1s' });
    assert.equal(out.probes.after.status, 'ok');
    assert.ok(Number.isInteger(seen) && seen > 700 && seen <= 890, `ctx.timeoutMs ${seen}`);
  });

  test('planning names a missing probe', () => {
    assert.throws(() => planProbes([checkOf('c', ['ghost'], () => [])], registry()), /check 'c' needs probe 'ghost'/);
  });

  test('a failed optional probe makes the check error, keeping what it found', async () => {
    const refused = failingProbe('refused', new ProbeError('TARGET_NOT_ALLOWED', 'refused to contact 192.0.2.1'));
    const out = await run([checkOf('c', ['p'], () => [{ code: 'MXD-TST-002', messageId: 'w' }], ['refused'])], [valueProbe('p', {}), refused]);
    assert.equal(out.checks[0].status, 'error');
    assert.equal(out.checks[0].reason, 'refused: TARGET_NOT_ALLOWED: refused to contact 192.0.2.1');
    assert.equal(out.checks[0].findings.length, 1);
  });
});

describe('fix summaries from templates', () => {
  const check = defineCheck({
    id: 'fixy',
    title: 'fixy',
    description: 'fixy',
    requires: [],
    codes: [{ code: 'MXD-TST-010', severity: 'error', title: 'e', messages: { e: 'broken' }, fixes: { set: "Set '{{key}}' to {{value}}." } }],
    run: (inputs) => [
      {
        code: 'MXD-TST-010',
        messageId: 'e',
        fix: {
          summaryId: inputs.optional<string>('which') ?? 'set',
          summaryData: { key: 'x_forwarded', value: 'true' },
          steps: ['x_forwarded: true'],
          edits: [],
        },
      },
    ],
  });
  const judge = (catalog?: Record<string, Record<string, string>>, which?: string) =>
    runEngine([{ ...check, uses: ['which'] }], registry(valueProbe('which', which)), {
      inputs: buildInputs({ offline: true }, {}, undefined, {}),
      net,
      redactor: new Redactor(),
      catalog,
    });

  test('the English template from the code, filled from summaryData; steps and edits kept', async () => {
    const out = await judge();
    assert.deepEqual(out.checks[0].findings[0].fix, { summary: "Set 'x_forwarded' to true.", steps: ['x_forwarded: true'], edits: [] });
  });

  test("a catalog's fix:<id> entry translates it", async () => {
    const out = await judge({ 'MXD-TST-010': { e: '坏了', 'fix:set': '把 {{key}} 设为 {{value}}。' } });
    assert.equal(out.checks[0].findings[0].fix?.summary, '把 x_forwarded 设为 true。');
    assert.equal(out.checks[0].findings[0].message, '坏了');
  });

  test('an unknown summaryId is a bug in the check: the check errors, naming it', async () => {
    const out = await judge(undefined, 'nope');
    assert.equal(out.checks[0].status, 'error');
    assert.match(out.checks[0].reason ?? '', /MXD-TST-010 has no fix summary 'nope'/);
  });
});

describe('phrases: words chosen by id, shown through {{@name}}', () => {
  const check = defineCheck({
    id: 'phrasey',
    title: 'phrasey',
    description: 'phrasey',
    requires: [],
    codes: [
      {
        code: 'MXD-TST-020',
        severity: 'warning',
        title: 'w',
        messages: { w: '{{key}} is ignored: {{@why}}.' },
        fixes: { f: 'Because {{@why}}, delete {{key}}.' },
        phrases: { blockWins: 'the rc_message block wins', unknown: 'nothing reads it' },
      },
    ],
    run: (inputs) => [
      {
        code: 'MXD-TST-020',
        messageId: 'w',
        data: { key: 'rc_messages_per_second', why: inputs.optional<string>('why') ?? 'blockWins' },
        fix: { summaryId: 'f', summaryData: { key: 'rc_messages_per_second', why: inputs.optional<string>('why') ?? 'blockWins' }, steps: [], edits: [] },
      },
    ],
  });
  const judge = (catalog?: Record<string, Record<string, string>>, why?: string) =>
    runEngine([{ ...check, uses: ['why'] }], registry(valueProbe('why', why)), {
      inputs: buildInputs({ offline: true }, {}, undefined, {}),
      net,
      redactor: new Redactor(),
      catalog,
    });

  test('the data keeps the id; the message and the fix summary show the words', async () => {
    const f = (await judge()).checks[0].findings[0];
    assert.equal(f.data.why, 'blockWins');
    assert.equal(f.message, 'rc_messages_per_second is ignored: the rc_message block wins.');
    assert.equal(f.fix?.summary, 'Because the rc_message block wins, delete rc_messages_per_second.');
  });

  test("a catalog's phrase:<id> translates the words; an id without words is a bug in the check", async () => {
    const zh = (await judge({ 'MXD-TST-020': { w: '{{key}} 被忽略：{{@why}}。', 'phrase:blockWins': 'rc_message 块优先' } })).checks[0].findings[0];
    assert.equal(zh.message, 'rc_messages_per_second 被忽略：rc_message 块优先。');
    assert.equal(zh.fix?.summary, 'Because rc_message 块优先, delete rc_messages_per_second.');
    const bug = (await judge(undefined, 'noSuchPhrase')).checks[0];
    assert.equal(bug.status, 'error');
    assert.match(bug.reason ?? '', /MXD-TST-020 has no phrase 'noSuchPhrase'/);
  });
});
