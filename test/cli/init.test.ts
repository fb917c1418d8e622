// `matrixdoc init` through the built binary (run `npm run build` first), pointed at fixtures/discover
// with --root/--home; plus the profile writer on awkward paths, in process.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { renderProfile } from '../../src/commands/init.js';
import type { Discovery } from '../../src/discover.js';
import { buildInputs, readProfile } from '../../src/engine/inputs.js';
import { ROOT, runCli } from '../helpers/cli.js';

const FIXTURE = path.join(ROOT, 'fixtures/discover');
let dir: string;

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'matrixdoc-init-'));
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const init = (args: string[], cwd = dir) => runCli(['init', '--root', FIXTURE, '--home', '/home/it', ...args], { cwd });

test('init writes a profile for the fixture tree that readProfile loads, with a reason beside each value', async () => {
  const out = path.join(dir, 'matrixdoc.yaml');
  const r = await init([]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  assert.match(r.stdout, /Wrote matrixdoc\.yaml/);
  assert.match(r.stdout, /matrixdoc check --profile matrixdoc\.yaml/);
  assert.match(r.stdout, /✔ homeserver-config/);

  const text = await readFile(out, 'utf8');
  assert.match(text, /^# matrixdoc profile written by `matrixdoc init --root /);
  assert.match(text, /Paths here are absolute/);
  assert.match(text, /^server-name: xfoss\.com {2}# found: server_name in \/etc\/matrix-synapse\/homeserver\.yaml$/m);
  assert.match(text, /^homeserver-config:\n {2}- .*homeserver\.yaml {2}# found: .*\n {2}- .*conf\.d\/report_stats\.yaml {2}# read after it, as Synapse does/m);
  assert.match(text, /^element-config: .*config\.matrix\.xfoss\.com\.json {2}# found: served by nginx/m);
  assert.match(text, /^jitsi-env: .* {2}# found: /m);
  assert.match(text, /^nginx-config:\n {2}- .*sites-enabled {2}# found: /m);
  assert.match(text, /conf\.d\/report_stats\.yaml/);
  assert.match(text, /Also seen, not used/);

  const raw = readProfile(out);
  assert.deepEqual(raw, {
    'server-name': 'xfoss.com',
    'homeserver-config': [path.join(FIXTURE, 'etc/matrix-synapse/homeserver.yaml'), path.join(FIXTURE, 'etc/matrix-synapse/conf.d/report_stats.yaml')],
    'element-config': path.join(FIXTURE, 'home/it/element-v1.11.76/config.matrix.xfoss.com.json'),
    'jitsi-env': path.join(FIXTURE, 'home/it/docker-jitsi-meet/.env'),
    'nginx-config': [path.join(FIXTURE, 'etc/nginx/sites-enabled')],
  });
  buildInputs({}, raw, out);
  for (const file of [...(raw['homeserver-config'] ?? []), raw['element-config'], raw['jitsi-env'], ...(raw['nginx-config'] ?? [])]) {
    assert.ok(file && existsSync(file), `${file} exists`);
  }
  // written through a temporary file that is gone afterwards
  assert.deepEqual(await readdir(dir), ['matrixdoc.yaml']);
});

test('init refuses to overwrite without --force (exit 2) and overwrites with it', async () => {
  const out = path.join(dir, 'matrixdoc.yaml');
  if (!existsSync(out)) assert.equal((await init([])).code, 0);
  await writeFile(out, '# edited by hand\nserver-name: example.org\n');
  const r = await init([]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^matrixdoc: error: .*matrixdoc\.yaml already exists; use --force/);
  assert.equal(await readFile(out, 'utf8'), '# edited by hand\nserver-name: example.org\n');

  const forced = await init(['--force']);
  assert.equal(forced.code, 0, forced.stderr);
  assert.equal(readProfile(out)['server-name'], 'xfoss.com');
  assert.deepEqual(await readdir(dir), ['matrixdoc.yaml']);
});

test('init --output writes elsewhere; an output in a missing folder or on a folder is an input error', async () => {
  const other = path.join(dir, 'sub');
  const missing = await init(['--output', path.join(other, 'p.yaml')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /cannot write the profile .*p\.yaml: the folder does not exist/);

  const onFolder = await init(['--output', dir]);
  assert.equal(onFolder.code, 2);
  assert.match(onFolder.stderr, /is a folder/);

  const named = await init(['-o', 'deploy profile.yaml']);
  assert.equal(named.code, 0, named.stderr);
  assert.match(named.stdout, /matrixdoc check --profile 'deploy profile\.yaml'/);
  assert.equal(readProfile(path.join(dir, 'deploy profile.yaml'))['server-name'], 'xfoss.com');
  await rm(path.join(dir, 'deploy profile.yaml'));
});

test('init --print writes nothing: the profile goes to stdout, the summary to stderr', async () => {
  const empty = await mkdtemp(path.join(os.tmpdir(), 'matrixdoc-init-print-'));
  try {
    const r = await init(['--print'], empty);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(await readdir(empty), []);
    assert.match(r.stdout, /^# matrixdoc profile written by/);
    assert.doesNotMatch(r.stdout, /Searched under/);
    assert.match(r.stderr, /Searched under/);
    assert.match(r.stderr, /matrixdoc check --profile/);
    const saved = path.join(empty, 'printed.yaml');
    await writeFile(saved, r.stdout);
    assert.equal(readProfile(saved)['server-name'], 'xfoss.com');
  } finally {
    await rm(empty, { recursive: true, force: true });
  }
});

test('init on a machine with nothing to find writes a valid, all-commented profile', async () => {
  const bare = await mkdtemp(path.join(os.tmpdir(), 'matrixdoc-init-bare-'));
  try {
    const r = await runCli(['init', '--root', bare, '--home', '/home/nobody'], { cwd: bare });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Nothing was found/);
    const out = path.join(bare, 'matrixdoc.yaml');
    const text = await readFile(out, 'utf8');
    assert.match(text, /^# jitsi-env: \/path\/to\/docker-jitsi-meet\/\.env$/m);
    assert.match(text, /^# homeserver-config: \/path\/to\/homeserver\.yaml$/m);
    assert.match(text, /^# not found; looked in \/etc\/matrix-synapse\/homeserver\.yaml, ~\/synapse\/homeserver\.yaml/m);
    assert.deepEqual(readProfile(out), {});
    // uncommenting the placeholders gives a profile that still loads
    const uncommented = text
      .replace(/^# ((?:server-name|homeserver-config|element-config|jitsi-env|nginx-config):.*)$/gm, '$1')
      .replace(/^# ( {2}- \/etc\/nginx\/sites-enabled)$/m, '$1');
    await writeFile(out, uncommented);
    const raw = readProfile(out);
    assert.equal(raw['server-name'], 'example.com');
    assert.equal(raw['jitsi-env'], '/path/to/docker-jitsi-meet/.env');
    assert.deepEqual(raw['nginx-config'], ['/etc/nginx/sites-enabled']);
    buildInputs({}, raw, out);
  } finally {
    await rm(bare, { recursive: true, force: true });
  }
});

test('init with a --root that is not a folder exits 2', async () => {
  const r = await runCli(['init', '--root', path.join(dir, 'no-such-root')], { cwd: dir });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^matrixdoc: error: --root: .* is not a folder/);
});

test('check --offline runs on the written profile (exit 0 or 1, not 2)', async () => {
  const out = path.join(dir, 'for-check.yaml');
  assert.equal((await init(['--output', out])).code, 0);
  const r = await runCli(['check', '--offline', '--profile', out], { cwd: dir });
  assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr}`);
  assert.match(r.stdout, /for xfoss\.com/);
  assert.match(r.stdout, /config\.matrix\.xfoss\.com\.json/);
  await rm(out);
});

test('the profile writer keeps odd paths on one line and loadable', async () => {
  const odd = path.join(dir, 'odd # dir', "it's: here\nnext");
  const d: Discovery = {
    root: '/',
    home: '/home/it',
    serverName: { value: '123', reason: 'server_name in x' },
    homeserverConfig: { path: `${odd}/homeserver.yaml`, reason: 'line one\nline two' },
    homeserverExtraConfigs: [],
    elementConfig: { path: '- /weird', reason: 'r' },
    nginxConfig: [{ path: '[brackets]', reason: 'r' }],
    candidates: [{ kind: 'jitsi-env', path: `${odd}/.env`, reason: 'another\r\nreason' }],
    skipped: [{ path: '/x\ny', reason: 'permission denied' }],
    searched: { 'homeserver-config': [], 'element-config': [], 'jitsi-env': ['~/docker-jitsi-meet/.env'], 'nginx-config': [] },
  };
  const text = renderProfile(d, { command: 'matrixdoc init', version: '0', date: new Date(0), profileName: 'p.yaml' });
  for (const line of text.split('\n')) assert.ok(line === '' || line.startsWith('#') || /^[a-z-]+:|^ {2}- /.test(line), `line: ${JSON.stringify(line)}`);
  const file = path.join(dir, 'odd.yaml');
  await writeFile(file, text);
  const raw = readProfile(file);
  await rm(file);
  assert.equal(raw['server-name'], '123');
  assert.deepEqual(raw['homeserver-config'], [`${odd}/homeserver.yaml`]);
  assert.equal(raw['element-config'], path.resolve(dir, '- /weird'));
  assert.deepEqual(raw['nginx-config'], [path.resolve(dir, '[brackets]')]);
  assert.equal(raw['jitsi-env'], undefined);
});

test('init --help documents the flags', async () => {
  const r = await runCli(['init', '--help']);
  assert.equal(r.code, 0);
  for (const flag of ['--output', '--force', '--print', '--root', '--home']) assert.ok(r.stdout.includes(flag), flag);
});
