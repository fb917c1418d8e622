// --synapse-log: Synapse's real log line formats (the access line of synapse/http/site.py and the
// "SynapseError: 429 - Too Many Requests (<limiter>)" line of synapse/http/server.py, joined by request ID),
// the journal format, reading only the end of a large log, and the file errors; then the seed's log
// (fixtures/seed/synapse/homeserver.log) through the profile fixtures/seed/matrixdoc-logs.yaml.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import rateLimits from '../../checks/rate-limits/index.js';
import type { ProbeError } from '../../src/engine/errors.js';
import { buildInputs, readProfile } from '../../src/engine/inputs.js';
import { runEngine } from '../../src/engine/run.js';
import { NetClient } from '../../src/net/client.js';
import { probeRegistry } from '../../src/probes/index.js';
import { readLogTail, summariseSynapseLog } from '../../src/probes/synapse-log.js';
import { Redactor } from '../../src/report/redact.js';
import { SEED } from '../helpers/cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'matrixdoc-log-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const ERR = (req: string, limiter?: string) =>
  `2024-06-18 09:03:00,088 - synapse.http.server - 127 - INFO - ${req} - <XForwardedForRequest at 0x7f3a6f03675a method='POST' uri='/_matrix/client/v3/login' clientproto='HTTP/1.1' site='8008'> SynapseError: 429 - Too Many Requests${limiter ? ` (${limiter})` : ''}`;
const ACCESS = (req: string, ip: string, code: number, uri = '/_matrix/client/v3/login', ts = '2024-06-18 09:03:00,591') =>
  `${ts} - synapse.access.http.8008 - 643 - INFO - ${req} - ${ip} - 8008 - {None} Processed request: 0.503sec/-0.000sec (0.003sec, 0.000sec) (0.000sec/0.000sec/0) 59B ${code} "POST ${uri} HTTP/1.1" "Element/1.11.76" [0 dbevts]`;

describe('summariseSynapseLog', () => {
  test('refusals per address, their limiter from the SynapseError line (joined by request ID), paths without query', () => {
    const s = summariseSynapseLog(
      [
        ERR('POST-1', 'rc_login.address'),
        ACCESS('POST-1', '203.0.113.9', 429),
        ERR('POST-2'),
        ACCESS('POST-2', '203.0.113.9', 429, '/_matrix/client/v3/register?kind=user', '2024-06-18 09:04:00,000'),
        ACCESS('POST-3', '198.51.100.2', 200),
        ACCESS('PUT-4', '2001:db8::7', 429, '/_matrix/client/v3/rooms/!a:x/send/m.room.message/1'),
        '2024-06-18 09:05:00,000 - synapse.http.site - 540 - WARNING - POST-5 - forwarded request lacks an x-forwarded-proto header: assuming https',
        'a line that is not Synapse at all',
      ].join('\n'),
    );
    assert.equal(s.lines, 8);
    assert.equal(s.accessLines, 4);
    assert.equal(s.rejections, 3);
    assert.deepEqual(
      s.byAddress.map((a) => [a.address, a.count, a.limiters, a.paths]),
      [
        ['203.0.113.9', 2, { 'rc_login.address': 1, unknown: 1 }, { '/_matrix/client/v3/login': 1, '/_matrix/client/v3/register': 1 }],
        ['2001:db8::7', 1, { unknown: 1 }, { '/_matrix/client/v3/rooms/!a:x/send/m.room.message/1': 1 }],
      ],
    );
    assert.deepEqual([s.byAddress[0].first, s.byAddress[0].last], ['2024-06-18 09:03:00,591', '2024-06-18 09:04:00,000']);
    assert.deepEqual(s.byLimiter, { 'rc_login.address': 1, unknown: 2 });
    assert.equal(s.unattributed, 0);
    assert.equal(s.missingProtoWarnings, 1);
    assert.equal(s.samples.length, 3);
    assert.deepEqual([s.firstTimestamp, s.lastTimestamp], ['2024-06-18 09:03:00,088', '2024-06-18 09:05:00,000']);
  });

  test('the journal format (`%(name)s: [%(request)s] %(message)s`) and SynapseError lines without an access line', () => {
    const s = summariseSynapseLog(
      [
        "Jun 18 09:03:00 matrix matrix-synapse[812]: synapse.http.server: [POST-9] <SynapseRequest at 0x7f method='POST' uri='/_matrix/client/v3/login' clientproto='HTTP/1.1' site='8008'> SynapseError: 429 - Too Many Requests (rc_login.address)",
        'Jun 18 09:03:00 matrix matrix-synapse[812]: synapse.access.http.8008: [POST-9] ::1 - 8008 - {None} Processed request: 0.503sec/0.001sec (0.003sec, 0.000sec) (0.000sec/0.000sec/0) 59B 429 "POST /_matrix/client/v3/login HTTP/1.1" "curl/8.5.0" [0 dbevts]',
        ERR('POST-10', 'rc_registration'),
      ].join('\n'),
    );
    assert.deepEqual(
      s.byAddress.map((a) => [a.address, a.limiters]),
      [['::1', { 'rc_login.address': 1 }]],
    );
    assert.equal(s.unattributed, 1);
    assert.deepEqual(s.byLimiter, { 'rc_login.address': 1, rc_registration: 1 });
  });

  test("the seed's log: 17 refusals, to ::1 and 127.0.0.1 only", () => {
    const s = summariseSynapseLog(readFileSync(path.join(SEED, 'synapse/homeserver.log'), 'utf8'));
    assert.equal(s.rejections, 17);
    assert.deepEqual(
      s.byAddress.map((a) => [a.address, a.count]),
      [
        ['::1', 9],
        ['127.0.0.1', 8],
      ],
    );
    assert.deepEqual(s.byLimiter, { 'rc_login.address': 16, rc_registration: 1 });
  });
});

describe('readLogTail', () => {
  test('a log larger than the limit: only its end, from the first full line', async () => {
    const file = path.join(dir, 'big.log');
    const lines = Array.from({ length: 2000 }, (_, i) => ACCESS(`POST-${i}`, i < 1000 ? '203.0.113.1' : '::1', 429));
    writeFileSync(file, `${lines.join('\n')}\n`);
    const tail = await readLogTail(file, 64 * 1024);
    assert.equal(tail.truncated, true);
    assert.equal(tail.bytesRead, 64 * 1024);
    const s = summariseSynapseLog(tail.text);
    assert.ok(s.byAddress.every((a) => a.address === '::1'));
    assert.ok(tail.text.startsWith('2024-06-18'), 'the cut first line is dropped');
    const whole = await readLogTail(file);
    assert.equal(whole.truncated, false);
    assert.equal(summariseSynapseLog(whole.text).rejections, 2000);
  });

  test('missing, a folder, binary (a .gz rotation): ProbeErrors with codes', async () => {
    await assert.rejects(readLogTail(path.join(dir, 'nope.log')), (e: ProbeError) => e.code === 'FILE_NOT_FOUND');
    mkdirSync(path.join(dir, 'folder'), { recursive: true });
    await assert.rejects(readLogTail(path.join(dir, 'folder')), (e: ProbeError) => e.code === 'FILE_IS_DIRECTORY');
    writeFileSync(path.join(dir, 'homeserver.log.1.gz'), Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00]));
    await assert.rejects(readLogTail(path.join(dir, 'homeserver.log.1.gz')), (e: ProbeError) => e.code === 'FILE_BINARY' && /\.gz/.test(e.message));
  });
});

describe('the synapseLog probe through the engine', () => {
  test('fixtures/seed/matrixdoc-logs.yaml: the seed plus its log → MXD-RL-010 with the x_forwarded fix', async () => {
    const profile = path.join(SEED, 'matrixdoc-logs.yaml');
    const inputs = buildInputs({ offline: true }, readProfile(profile), profile, {});
    assert.equal(inputs.synapseLog, path.join(SEED, 'synapse/homeserver.log'));
    const out = await runEngine([rateLimits], probeRegistry(), {
      inputs,
      net: new NetClient({ resolve: [], connectTo: [], allowTargets: [] }),
      redactor: new Redactor(),
    });
    const check = out.checks[0];
    assert.equal(out.probes.synapseLog.status, 'ok');
    assert.deepEqual(
      check.findings.map((f) => `${f.code}:${f.messageId}`),
      ['MXD-RL-001:missing', 'MXD-RL-010:proxyAddress', 'MXD-RL-003:tooHighLegacy', 'MXD-RL-004:legacyActive', 'MXD-RL-005:summary'],
    );
    const f = check.findings[1];
    assert.equal(f.location?.file, path.join(SEED, 'synapse/homeserver.log'));
    assert.deepEqual(
      f.fix?.edits.map((e) => (e as { path: unknown[] }).path),
      [['listeners', 0, 'x_forwarded']],
    );
  });

  test('without --synapse-log the probe is skipped', async () => {
    const out = await runEngine([rateLimits], probeRegistry(), {
      inputs: buildInputs({ offline: true, 'homeserver-config': [path.join(SEED, 'synapse/homeserver.yaml')] }, {}, undefined, {}),
      net: new NetClient({ resolve: [], connectTo: [], allowTargets: [] }),
      redactor: new Redactor(),
    });
    assert.equal(out.probes.synapseLog.status, 'skipped');
  });
});
