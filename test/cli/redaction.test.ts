// No secret from the seed deployment may reach any output: human text, --json, --verbose, --debug,
// saved probe captures, or error lines, even where a finding's evidence quotes the very line that
// holds the secret.

import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { runCli, SEED } from '../helpers/cli.js';
import { seedSecrets } from '../helpers/seed-secrets.js';
import { tempDirs } from '../helpers/temp.js';

const tmp = tempDirs();

function assertNoSecrets(secrets: string[], outputs: Record<string, string>) {
  for (const [name, text] of Object.entries(outputs)) {
    for (const s of secrets) assert.ok(!text.includes(s), `${name} shows the secret '${s.slice(0, 3)}…'`);
  }
}

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
    const outputs: Record<string, string> = {};
    for (const [name, r] of Object.entries(runs)) {
      outputs[`${name} stdout`] = r.stdout;
      outputs[`${name} stderr`] = r.stderr;
    }
    outputs.capture = readFileSync(path.join(captureDir, 'probes.json'), 'utf8');
    assert.match(outputs.capture, /<redacted:[0-9a-f]{8}>/);
    assertNoSecrets(secrets, outputs);
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
