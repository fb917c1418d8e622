// No secret from the seed deployment may reach any output: human text, --json, --verbose, --debug,
// saved probe captures, JUnit/Prometheus/Nagios, fix's diffs, triage --run, or error lines, even where a
// finding's evidence quotes the very line that holds the secret. Each output is scanned for every secret
// plain, URL-encoded, JSON-escaped and base64 (as the support bundle's test does).

import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { type CliResult, runCli, SEED } from '../helpers/cli.js';
import { assertNoSecret } from '../helpers/secret-forms.js';
import { seedSecrets } from '../helpers/seed-secrets.js';
import { tempDirs } from '../helpers/temp.js';

const tmp = tempDirs();

function assertNoSecrets(secrets: string[], outputs: Record<string, string>) {
  for (const [name, text] of Object.entries(outputs)) assertNoSecret(secrets, name, text);
}

/** stdout and stderr of each run, named `<run> stdout` and `<run> stderr`. */
function outputsOf(runs: Record<string, CliResult>): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const [name, r] of Object.entries(runs)) {
    outputs[`${name} stdout`] = r.stdout;
    outputs[`${name} stderr`] = r.stderr;
  }
  return outputs;
}

// A ticket pointing at the checks that read the secret-holding files (Synapse's LDAP and rate limits, Jitsi).
const TICKET = [
  'There was a problem communicating with homeserver',
  'M_LIMIT_EXCEEDED 429 Too Many Requests',
  'ldap3.core.exceptions.LDAPBindError: automatic bind not successful - invalidCredentials',
  'The WebSocket connection could not be established',
  'TURN server not responding, ICE failed',
  '',
].join('\n');

describe('secrets never reach any output', () => {
  const secrets = seedSecrets(SEED);

  test('the seed holds the secrets we expect to hide', () => {
    for (const s of ['some_secret', 'some_pre-shared_key', 'fU3vlMsMn4Jb6dnEIFsx']) assert.ok(secrets.includes(s), s);
    assert.ok(secrets.length >= 6);
  });

  test('seed: human, verbose, debug, json and a saved capture', async () => {
    const profile = path.join(SEED, 'matrixdoc.yaml');
    const captureDir = tmp('matrixdoc-capture-');
    const runs = {
      human: await runCli(['check', '--offline', '--profile', profile]),
      verbose: await runCli(['check', '--offline', '--profile', profile, '--verbose', '--debug']),
      json: await runCli(['check', '--offline', '--profile', profile, '--json', '--save-probes', captureDir]),
    };
    const outputs = outputsOf(runs);
    outputs.capture = readFileSync(path.join(captureDir, 'probes.json'), 'utf8');
    assert.match(outputs.capture, /<redacted:[0-9a-f]{8}>/);
    assertNoSecrets(secrets, outputs);
  });

  test('seed: check --format junit, prometheus and nagios (stdout and --output files)', async () => {
    const profile = path.join(SEED, 'matrixdoc.yaml');
    const dir = tmp('matrixdoc-formats-');
    const runs: Record<string, CliResult> = {};
    const files: Record<string, string> = {};
    for (const format of ['junit', 'prometheus', 'nagios']) {
      runs[format] = await runCli(['check', '--offline', '--profile', profile, '--verbose', '--format', format]);
      assert.ok(runs[format].stdout.length > 0, `${format}: empty output`);
      const out = path.join(dir, `report.${format}`);
      runs[`${format} --output`] = await runCli(['check', '--offline', '--profile', profile, '--format', format, '--output', out]);
      files[`${format} file`] = readFileSync(out, 'utf8');
    }
    assert.match(runs.junit.stdout, /<testsuites /);
    assert.match(runs.prometheus.stdout, /^matrixdoc_check_status\{/m);
    assert.match(runs.nagios.stdout, /^MATRIXDOC xfoss\.com /);
    assertNoSecrets(secrets, { ...outputsOf(runs), ...files });
  });

  test('seed: fix previews (diffs and manual steps) and fix --json', async () => {
    const profile = path.join(SEED, 'matrixdoc.yaml');
    const runs = {
      'fix preview': await runCli(['fix', '--offline', '--profile', profile]),
      'fix --json': await runCli(['fix', '--offline', '--profile', profile, '--json']),
    };
    // The diffs quote lines around the secrets (turn_shared_secret next to turn_allow_guests): there, redacted.
    assert.match(runs['fix preview'].stdout, /^--- .*homeserver\.yaml$/m);
    assert.match(runs['fix preview'].stdout, /^ .*: "<redacted:[0-9a-f]{8}>"$/m);
    assert.match(runs['fix --json'].stdout, /"diff": "--- /);
    assertNoSecrets(secrets, outputsOf(runs));
  });

  test('seed: triage --run (text and --json) gives verdicts from the checks without quoting a secret', async () => {
    const profile = path.join(SEED, 'matrixdoc.yaml');
    const runs = {
      'triage --run': await runCli(['triage', '-', '--run', '--offline', '--profile', profile], { stdin: TICKET }),
      'triage --run --json': await runCli(['triage', '-', '--run', '--offline', '--profile', profile, '--json'], { stdin: TICKET }),
    };
    assert.match(runs['triage --run'].stdout, /verdict: CONFIRMED/);
    assert.ok(JSON.parse(runs['triage --run --json'].stdout), 'triage --json prints JSON');
    assertNoSecrets(secrets, outputsOf(runs));
  });

  for (const [name, from, to, code] of [
    ['a tab on the password line', '    password: "some_secret"', '    password:\t"some_secret"', 'MXD-HS-001'],
    ['a secret of the wrong type', 'turn_shared_secret: "some_pre-shared_key"', 'turn_shared_secret: ["some_pre-shared_key"]', 'MXD-HS-008'],
  ] as const) {
    test(`findings whose evidence quotes a secret stay redacted: ${name}`, async () => {
      const dir = tmp('matrixdoc-secret-');
      cpSync(SEED, dir, { recursive: true });
      const file = path.join(dir, 'synapse/homeserver.yaml');
      const text = readFileSync(file, 'utf8');
      assert.ok(text.includes(from));
      writeFileSync(file, text.replace(from, to));
      const profile = path.join(dir, 'matrixdoc.yaml');
      const human = await runCli(['check', '--offline', '--profile', profile, '--verbose']);
      const json = await runCli(['check', '--offline', '--profile', profile, '--json']);
      assert.equal(human.code, 1);
      assert.match(human.stdout, new RegExp(code));
      assert.match(human.stdout, /<redacted:/);
      assertNoSecrets(secrets, { 'human stdout': human.stdout, 'human stderr': human.stderr, 'json stdout': json.stdout });
    });
  }

  test('error lines are redacted too', async () => {
    const r = await runCli(['check', '--offline', '--resolve', 'x.test:443:fU3vlMsMn4Jb6dnEIFsx']);
    assert.equal(r.code, 2);
    // The bad value is the user's own input on the command line; it is named so they can fix it.
    assert.match(r.stderr, /is not an IP address/);
  });
});
