// `matrixdoc triage` through the built binary: a file, stdin (piped, and `-`), --json for a helpdesk,
// the honest "no known signature" answer, too much input, a missing file, secrets in the text, and
// --run on the seed deployment offline with a verdict per suspected cause.

import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { ROOT, runCli, SEED } from '../helpers/cli.js';
import { tempDirs } from '../helpers/temp.js';
import { ensureBuilt } from '../triage/build.js';

const SEED_NOTES = '/work/shared/seeds/000_8023b107befaf59b.txt';
const PROFILE = path.join(SEED, 'matrixdoc.yaml');

const tmp = tempDirs('matrixdoc-triage-cli-');
function file(name: string, text: string | Buffer): string {
  const f = path.join(tmp(), name);
  writeFileSync(f, text);
  return f;
}

const TICKET = [
  'Hi support,',
  'since this morning nobody can log in to Element. It says:',
  '"There was a problem communicating with homeserver, please try again later."',
  'In the browser console I see:',
  'POST https://matrix.example.com/_matrix/client/v3/login 429 (Too Many Requests)',
  '{"errcode":"M_LIMIT_EXCEEDED","error":"Too Many Requests","retry_after_ms":281734}',
  'Thanks!',
].join('\n');

interface TriageJson {
  schemaVersion: number;
  input: { name: string; bytes: number; lines: number };
  causes: {
    id: string;
    title: string;
    likelihood: number;
    evidence: { line: number; text: string }[];
    checks: string[];
    codes: string[];
    docs: string[];
    firstStep: string;
    verdict?: { status: string; reason: string; findings: { code: string }[] };
  }[];
  unrecognised: boolean;
  run?: { offline: boolean; checks: { id: string; status: string }[] };
}

describe('matrixdoc triage', () => {
  before(() => ensureBuilt('triage'));

  test('a ticket file: causes ranked, quoted lines with line numbers, checks, codes, docs', async () => {
    const r = await runCli(['triage', file('ticket.txt', TICKET)]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^Triage of .*ticket\.txt \(7 lines\): \d+ likely causes?, most likely first\./);
    assert.match(r.stdout, /\n1\. Logins refused with 429 M_LIMIT_EXCEEDED/);
    assert.match(r.stdout, /line 6: \{"errcode":"M_LIMIT_EXCEEDED"/);
    assert.match(r.stdout, /checks: rate-limits, reverse-proxy/);
    assert.match(r.stdout, /docs: docs\/codes\/MXD-RL-001\.md/);
    assert.match(r.stdout, /first step: /);
    assert.match(r.stdout, /matrixdoc triage --run --profile/);
  });

  test('stdin, piped with no argument and with -', async () => {
    for (const args of [['triage'], ['triage', '-']]) {
      const r = await runCli(args, { stdin: TICKET });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^Triage of stdin \(7 lines\)/);
      assert.match(r.stdout, /\n1\. Logins refused with 429/);
    }
  });

  test('Chinese text on stdin', async () => {
    const r = await runCli(['triage', '--json'], { stdin: '开会时第二个人进入就断开连接，超过 3 人没有声音\n' });
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout) as TriageJson;
    assert.deepEqual(j.causes.map((c) => c.id).slice(0, 2), ['jitsi-public-url', 'jitsi-jvb']);
  });

  test('--json: the helpdesk shape', async () => {
    const r = await runCli(['triage', '--json'], { stdin: TICKET });
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout) as TriageJson;
    assert.equal(j.schemaVersion, 1);
    assert.equal(j.unrecognised, false);
    assert.deepEqual(j.input, { name: 'stdin', bytes: Buffer.byteLength(TICKET), lines: 7 });
    assert.ok(j.causes.length >= 2);
    for (const c of j.causes) {
      for (const key of ['id', 'title', 'likelihood', 'evidence', 'checks', 'codes', 'docs', 'firstStep']) assert.ok(key in c, `${c.id}: no ${key}`);
      assert.equal(typeof c.likelihood, 'number');
      assert.ok(c.evidence.length > 0 && c.evidence.every((e) => Number.isInteger(e.line) && typeof e.text === 'string'));
      assert.ok(
        c.docs.every((d) => existsSync(path.join(ROOT, d.replace(/#.*$/, '')))),
        `${c.id}: docs ${c.docs.join(', ')}`,
      );
    }
    const likelihoods = j.causes.map((c) => c.likelihood);
    assert.deepEqual(
      likelihoods,
      [...likelihoods].sort((a, b) => b - a),
    );
    assert.equal(j.causes[0].id, 'rate-limit');
    assert.deepEqual(
      j.causes[0].evidence.map((e) => e.line),
      [3, 5, 6],
    );
  });

  test('nothing recognised: an honest "no known signature", exit 0', async () => {
    const text = 'Hello, could you add my colleague to the #general room? Thanks\n';
    const human = await runCli(['triage'], { stdin: text });
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /^No known signature: matrixdoc recognised nothing in stdin \(1 line\)\./);
    assert.match(human.stdout, /Syncing forever/);
    const json = await runCli(['triage', '--json'], { stdin: text });
    assert.equal(json.code, 0);
    const j = JSON.parse(json.stdout) as TriageJson;
    assert.equal(j.unrecognised, true);
    assert.deepEqual(j.causes, []);
  });

  test('secrets in the text are not quoted back', async () => {
    const token = 'syt_YWxpY2U_aBcDeFgHiJkLmNoPqRsT_1a2b3c';
    const password = 'CorrectHorse-Battery9';
    const text = [
      `GET https://matrix.example.com/_matrix/client/v3/sync?access_token=${token} 429 M_LIMIT_EXCEEDED`,
      `Authorization: Bearer ${token}`,
      `{"type":"m.login.password","identifier":{"type":"m.id.user","user":"alice"},"password":"${password}"} -> M_LIMIT_EXCEEDED`,
    ].join('\n');
    for (const args of [['triage'], ['triage', '--json']]) {
      const r = await runCli(args, { stdin: text });
      assert.equal(r.code, 0, r.stderr);
      assert.ok(!r.stdout.includes(token) && !r.stdout.includes(password), r.stdout);
      assert.ok(!r.stdout.includes(token.slice(4, 20)));
      assert.match(r.stdout, /access_token=<redacted:[0-9a-f]{8}>/);
    }
  });

  test('more than 8 MiB: one clear error line, exit 2', async () => {
    const r = await runCli(['triage'], { stdin: Buffer.alloc(8 * 1024 * 1024 + 10, 'a') });
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^matrixdoc: error: the input on stdin is larger than 8 MiB; triage reads at most 8 MiB/);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  });

  test('a missing file: exit 2', async () => {
    const r = await runCli(['triage', '/nonexistent/ticket.txt']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot read \/nonexistent\/ticket\.txt: no such file/);
  });

  test('--run on the seed deployment, offline: a verdict per suspected cause', async () => {
    const human = await runCli(['triage', SEED_NOTES, '--run', '--profile', PROFILE, '--offline']);
    // The seed's x_forwarded problem is confirmed, so the exit code says a cause was found.
    assert.equal(human.code, 1, human.stderr);
    assert.match(human.stdout, /verdict: CONFIRMED — rate-limits: MXD-RL-001/);
    assert.match(human.stdout, /verdict: ruled out — public-baseurl, element-config, homeserver-config ran/);
    assert.match(human.stdout, /verdict: could not test — well-known: skipped: --offline/);
    assert.match(human.stdout, /Verdicts: \d+ confirmed, \d+ ruled out, \d+ could not be tested\./);

    const r = await runCli(['triage', SEED_NOTES, '--run', '--profile', PROFILE, '--offline', '--json']);
    assert.equal(r.code, 1, r.stderr);
    const j = JSON.parse(r.stdout) as TriageJson;
    const byId = Object.fromEntries(j.causes.map((c) => [c.id, c]));
    for (const id of ['public-baseurl', 'rate-limit', 'jitsi-public-url', 'jitsi-jvb']) assert.ok(byId[id], `${id} not suspected`);
    for (const c of j.causes) assert.ok(['confirmed', 'ruled-out', 'could-not-test'].includes(c.verdict?.status ?? ''), `${c.id}: ${c.verdict?.status}`);
    assert.equal(byId['rate-limit'].verdict?.status, 'confirmed');
    assert.ok(byId['rate-limit'].verdict?.findings.some((f) => f.code === 'MXD-RL-001'));
    assert.equal(byId['public-baseurl'].verdict?.status, 'ruled-out');
    assert.equal(byId['homeserver-unreachable'].verdict?.status, 'could-not-test');
    assert.equal(j.run?.offline, true);
    // Only the checks of the suspected causes ran.
    const ran = new Set(j.run?.checks.map((c) => c.id));
    const wanted = new Set(j.causes.flatMap((c) => c.checks));
    for (const id of ran) assert.ok(wanted.has(id), `${id} ran but no cause names it`);
    assert.ok(!ran.has('federation') || wanted.has('federation'));
    // Nothing of the seed's secrets, from the notes or the checked files.
    for (const s of ['some_secret', 'some_pre-shared_key', 'fU3vlMsMn4Jb6dnEIFsx', 'Qx8v;Zk2@rT5#hW9mN1pL4sJ7dF0gB3c']) {
      assert.ok(!r.stdout.includes(s) && !human.stdout.includes(s), s);
    }
  });

  test('--run with nothing recognised runs nothing', async () => {
    const r = await runCli(['triage', '--run', '--profile', PROFILE, '--offline', '--json'], { stdin: 'all good here\n' });
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout) as TriageJson;
    assert.equal(j.unrecognised, true);
    assert.equal(j.run, undefined);
  });
});
