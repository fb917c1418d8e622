// discoverDeployment over the fake tree in fixtures/discover and over small trees built per case.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { type Discovery, discoverDeployment } from '../src/discover.js';
import { ROOT } from './helpers/cli.js';

const FIXTURE = path.join(ROOT, 'fixtures/discover');
const temps: string[] = [];

after(async () => {
  for (const dir of temps) {
    await chmodTree(dir);
    await rm(dir, { recursive: true, force: true });
  }
});

/** Makes everything readable again so the temp tree can be removed. */
async function chmodTree(dir: string): Promise<void> {
  const { readdir, lstat } = await import('node:fs/promises');
  await chmod(dir, 0o755).catch(() => undefined);
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const p = path.join(dir, name);
    const info = await lstat(p).catch(() => undefined);
    if (info?.isDirectory()) await chmodTree(p);
  }
}

/** A fake filesystem root with these files (path inside the root → content), readable by everyone. */
async function tree(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'matrixdoc-discover-'));
  temps.push(root);
  await chmod(root, 0o755);
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(root, name);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, text);
  }
  return root;
}

const HOMESERVER = (name: string) => `server_name: "${name}"\nreport_stats: false\nlisteners:\n  - port: 8008\n    type: http\n`;
const ELEMENT = (name: string) =>
  `${JSON.stringify({ default_server_config: { 'm.homeserver': { base_url: `https://matrix.${name}`, server_name: name } } }, null, 2)}\n`;

const rel = (d: Discovery, p: string | undefined) => (p === undefined ? undefined : `/${path.relative(d.root, p)}`);

test('the fixture tree: Debian Synapse, Element behind an nginx alias, docker-jitsi-meet in a home folder', async () => {
  const d = await discoverDeployment({ root: FIXTURE, home: '/home/it' });
  assert.equal(d.root, FIXTURE);
  assert.equal(d.home, path.join(FIXTURE, 'home/it'));

  assert.equal(rel(d, d.homeserverConfig?.path), '/etc/matrix-synapse/homeserver.yaml');
  assert.match(d.homeserverConfig?.reason ?? '', /Debian/);
  assert.deepEqual(d.serverName, { value: 'xfoss.com', reason: 'server_name in /etc/matrix-synapse/homeserver.yaml' });
  assert.deepEqual(
    d.homeserverExtraConfigs.map((x) => rel(d, x.path)),
    ['/etc/matrix-synapse/conf.d/report_stats.yaml'],
  );

  assert.deepEqual(
    d.nginxConfig.map((x) => rel(d, x.path)),
    ['/etc/nginx/sites-enabled'],
  );
  assert.match(d.nginxConfig[0].reason, /2 files \(matrix\.conf, xfoss-com\.conf\)/);

  // The alias folder has config.json and config.matrix.xfoss.com.json: Element loads the host's file first.
  assert.equal(rel(d, d.elementConfig?.path), '/home/it/element-v1.11.76/config.matrix.xfoss.com.json');
  assert.match(d.elementConfig?.reason ?? '', /alias \/home\/it\/element-v1\.11\.76 in \/etc\/nginx\/sites-enabled\/matrix\.conf:\d+/);
  assert.deepEqual(
    d.candidates.map((c) => [c.kind, rel(d, c.path)]),
    [['element-config', '/home/it/element-v1.11.76/config.json']],
  );
  assert.match(d.candidates[0].reason, /same content/);

  assert.equal(rel(d, d.jitsiEnv?.path), '/home/it/docker-jitsi-meet/.env');
  assert.match(d.jitsiEnv?.reason ?? '', /~\/docker-jitsi-meet/);
  assert.equal(rel(d, d.jitsiConfigDir?.path), '/home/it/.jitsi-meet-cfg');
  assert.match(d.jitsiConfigDir?.reason ?? '', /CONFIG in \/home\/it\/docker-jitsi-meet\/\.env/);
  assert.deepEqual(d.skipped, []);
});

test('the fixture tree searched with another home folder still finds /home/*/docker-jitsi-meet', async () => {
  const d = await discoverDeployment({ root: FIXTURE, home: '/root' });
  assert.equal(rel(d, d.jitsiEnv?.path), '/home/it/docker-jitsi-meet/.env');
  assert.match(d.jitsiEnv?.reason ?? '', /a user's ~\/docker-jitsi-meet/);
  // CONFIG=~/.jitsi-meet-cfg belongs to the owner of the clone, not to the home folder searched.
  assert.equal(rel(d, d.jitsiConfigDir?.path), '/home/it/.jitsi-meet-cfg');
});

test('nothing found: an empty root, and a root that does not exist', async () => {
  for (const root of [await tree({}), path.join(os.tmpdir(), 'matrixdoc-no-such-root', String(process.pid))]) {
    const d = await discoverDeployment({ root, home: '/home/nobody' });
    assert.equal(d.serverName, undefined);
    assert.equal(d.homeserverConfig, undefined);
    assert.equal(d.elementConfig, undefined);
    assert.equal(d.jitsiEnv, undefined);
    assert.equal(d.jitsiConfigDir, undefined);
    assert.deepEqual(d.nginxConfig, []);
    assert.deepEqual(d.homeserverExtraConfigs, []);
    assert.deepEqual(d.candidates, []);
    assert.deepEqual(d.skipped, []);
    assert.ok(d.searched['homeserver-config'].includes('/etc/matrix-synapse/homeserver.yaml'));
  }
});

test('two homeserver.yaml files: the first by the search order wins, the other is listed', async () => {
  const root = await tree({
    'home/bob/synapse/homeserver.yaml': HOMESERVER('bob.example'),
    'data/homeserver.yaml': HOMESERVER('docker.example'),
    'etc/matrix-synapse/homeserver.yaml': HOMESERVER('debian.example'),
  });
  const d = await discoverDeployment({ root, home: '/root' });
  assert.equal(rel(d, d.homeserverConfig?.path), '/etc/matrix-synapse/homeserver.yaml');
  assert.match(d.homeserverConfig?.reason ?? '', /first of 3/);
  assert.equal(d.serverName?.value, 'debian.example');
  assert.deepEqual(
    d.candidates.map((c) => [c.kind, rel(d, c.path)]),
    [
      ['homeserver-config', '/home/bob/synapse/homeserver.yaml'],
      ['homeserver-config', '/data/homeserver.yaml'],
    ],
  );
  for (const c of d.candidates) assert.match(c.reason, /not used because \/etc\/matrix-synapse\/homeserver\.yaml comes first/);
});

test('~/synapse comes before /home/*/synapse, and the same file reached twice counts once', async () => {
  const root = await tree({
    'home/alice/synapse/homeserver.yaml': HOMESERVER('alice.example'),
    'home/bob/synapse/homeserver.yaml': HOMESERVER('bob.example'),
  });
  const d = await discoverDeployment({ root, home: '/home/bob' });
  assert.equal(rel(d, d.homeserverConfig?.path), '/home/bob/synapse/homeserver.yaml');
  assert.equal(d.serverName?.value, 'bob.example');
  assert.deepEqual(
    d.candidates.map((c) => rel(d, c.path)),
    ['/home/alice/synapse/homeserver.yaml'],
  );
});

test("Debian's conf.d: server_name.yaml there gives the server name, every conf.d/*.yaml is noted", async () => {
  const root = await tree({
    'etc/matrix-synapse/homeserver.yaml': 'pid_file: "/var/run/matrix-synapse.pid"\n',
    'etc/matrix-synapse/conf.d/report_stats.yaml': 'report_stats: false\n',
    'etc/matrix-synapse/conf.d/server_name.yaml': '# This file is autogenerated\nserver_name: example.org\n',
    'etc/matrix-synapse/conf.d/notes.txt': 'not read by Synapse\n',
  });
  const d = await discoverDeployment({ root, home: '/root' });
  assert.deepEqual(d.serverName, { value: 'example.org', reason: 'server_name in /etc/matrix-synapse/conf.d/server_name.yaml' });
  assert.deepEqual(
    d.homeserverExtraConfigs.map((x) => path.basename(x.path)),
    ['report_stats.yaml', 'server_name.yaml'],
  );
});

test('an unusable server_name is not offered, a broken homeserver.yaml is still chosen', async () => {
  const root = await tree({ 'opt/synapse/homeserver.yaml': 'server_name: "not a name"\nlisteners: [\n' });
  const d = await discoverDeployment({ root, home: '/root' });
  assert.equal(rel(d, d.homeserverConfig?.path), '/opt/synapse/homeserver.yaml');
  assert.equal(d.serverName, undefined);
});

test('nginx: root and alias folders, config.<host>.json, a config.json that is not Element’s, conf.d/*.conf only', async () => {
  const root = await tree({
    'etc/nginx/sites-enabled/default': 'server {\n  listen 80 default_server;\n  server_name _;\n  root /var/www/html;\n}\n',
    'etc/nginx/sites-enabled/default.bak': 'server { root /srv/backup; }\n',
    'etc/nginx/conf.d/chat.conf': [
      'server {',
      '  listen 443 ssl;',
      '  server_name chat.example.com;',
      '  location / { root /srv/element; }',
      '  location /static { root $document_root/static; }',
      '}',
      '',
    ].join('\n'),
    'etc/nginx/conf.d/readme.txt': 'server { root /srv/ignored; }\n',
    'var/www/html/config.json': '{"apiUrl": "https://example.com/api"}\n',
    'srv/element/config.json': ELEMENT('example.com'),
    'srv/element/config.chat.example.com.json': ELEMENT('example.com'),
    'srv/backup/config.json': ELEMENT('backup.example'),
    'srv/ignored/config.json': ELEMENT('ignored.example'),
  });
  const d = await discoverDeployment({ root, home: '/root' });
  assert.deepEqual(
    d.nginxConfig.map((x) => rel(d, x.path)),
    ['/etc/nginx/sites-enabled', '/etc/nginx/conf.d'],
  );
  assert.match(d.nginxConfig[1].reason, /1 file \(chat\.conf\)/);
  assert.equal(rel(d, d.elementConfig?.path), '/srv/element/config.chat.example.com.json');
  assert.deepEqual(
    d.candidates.map((c) => [c.kind, rel(d, c.path)]),
    [
      ['element-config', '/var/www/html/config.json'],
      ['element-config', '/srv/element/config.json'],
    ],
  );
  assert.match(d.candidates[0].reason, /not Element's config/);
  // no homeserver.yaml: the server name comes from Element's default_server_config
  assert.equal(d.serverName?.value, 'example.com');
  assert.match(d.serverName?.reason ?? '', /default_server_config/);
});

test("the element-web package's symlinked config counts once; an empty sites-enabled is not used", async () => {
  const root = await tree({ 'etc/element-web/config.json': ELEMENT('example.net') });
  await mkdir(path.join(root, 'usr/share/element-web'), { recursive: true });
  await symlink('../../../etc/element-web/config.json', path.join(root, 'usr/share/element-web/config.json'));
  await mkdir(path.join(root, 'etc/nginx/sites-enabled'), { recursive: true });
  const d = await discoverDeployment({ root, home: '/root' });
  assert.equal(rel(d, d.elementConfig?.path), '/usr/share/element-web/config.json');
  assert.deepEqual(
    d.candidates.map((c) => [c.kind, rel(d, c.path)]),
    [['nginx-config', '/etc/nginx/sites-enabled']],
  );
  assert.match(d.candidates[0].reason, /no site files/);
});

test('a docker-jitsi-meet release folder and a lone ~/.jitsi-meet-cfg are found', async () => {
  const withRelease = await tree({ 'opt/docker-jitsi-meet-stable-9753/.env': 'CONFIG=/srv/jitsi-cfg\n', 'srv/jitsi-cfg/web/.keep': '' });
  const a = await discoverDeployment({ root: withRelease, home: '/root' });
  assert.equal(rel(a, a.jitsiEnv?.path), '/opt/docker-jitsi-meet-stable-9753/.env');
  assert.equal(rel(a, a.jitsiConfigDir?.path), '/srv/jitsi-cfg');

  const onlyConfig = await tree({ 'home/it/.jitsi-meet-cfg/web/.keep': '' });
  const b = await discoverDeployment({ root: onlyConfig, home: '/home/it' });
  assert.equal(b.jitsiEnv, undefined);
  assert.equal(rel(b, b.jitsiConfigDir?.path), '/home/it/.jitsi-meet-cfg');
  assert.match(b.jitsiConfigDir?.reason ?? '', /\.env was not found/);
});

test('a symbolic link loop where a folder should be is skipped, not fatal', async () => {
  const root = await tree({ 'etc/matrix-synapse/homeserver.yaml': HOMESERVER('example.org') });
  await mkdir(path.join(root, 'etc/nginx'), { recursive: true });
  await symlink('sites-enabled', path.join(root, 'etc/nginx/sites-enabled'));
  const d = await discoverDeployment({ root, home: '/root' });
  assert.equal(d.serverName?.value, 'example.org');
  assert.deepEqual(d.nginxConfig, []);
  assert.deepEqual(
    d.skipped.map((s) => [rel(d, s.path), s.reason]),
    [['/etc/nginx/sites-enabled', 'symbolic link loop']],
  );
});

/** Runs discovery in a child process as another user (root reads everything, so unreadable folders need one). */
function discoverAsNobody(root: string, home: string): Promise<Discovery> {
  const module = pathToFileURL(path.join(ROOT, 'src/discover.ts')).href;
  const script = `import { discoverDeployment } from ${JSON.stringify(module)};
process.stdout.write(JSON.stringify(await discoverDeployment(${JSON.stringify({ root, home })})));`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: ROOT,
      uid: 65534,
      gid: 65534,
      env: { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), TMPDIR: os.tmpdir() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => {
      out += c;
    });
    child.stderr.on('data', (c) => {
      err += c;
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as Discovery) : reject(new Error(`child exited ${code}: ${err}`))));
  });
}

test('unreadable folders are skipped and listed; what is readable is still found', async () => {
  const root = await tree({
    'etc/matrix-synapse/homeserver.yaml': HOMESERVER('example.org'),
    'etc/nginx/sites-enabled/matrix.conf': 'server { server_name matrix.example.org; location / { root /srv/element; } }\n',
    'srv/element/config.json': ELEMENT('example.org'),
    'home/it/docker-jitsi-meet/.env': 'CONFIG=~/.jitsi-meet-cfg\n',
  });
  await chmod(path.join(root, 'home'), 0o000);
  await chmod(path.join(root, 'etc/nginx/sites-enabled'), 0o000);
  await chmod(path.join(root, 'etc/matrix-synapse'), 0o711); // can pass through, cannot list
  await chmod(path.join(root, 'etc/matrix-synapse/homeserver.yaml'), 0o600);
  const d = process.getuid?.() === 0 ? await discoverAsNobody(root, '/root') : await discoverDeployment({ root, home: '/root' });

  // Each unreadable place once (nothing below /home is listed again), in the order they were met.
  assert.deepEqual(
    d.skipped.map((s) => rel(d, s.path)),
    ['/home', '/etc/matrix-synapse/homeserver.yaml', '/etc/nginx/sites-enabled'],
  );
  for (const s of d.skipped) assert.match(s.reason, /permission denied/);
  assert.equal(d.jitsiEnv, undefined);
  assert.deepEqual(d.nginxConfig, []);
  assert.deepEqual(d.candidates, []);
  // The homeserver.yaml exists but cannot be read: it is still the one to check (check says why it fails).
  assert.equal(rel(d, d.homeserverConfig?.path), '/etc/matrix-synapse/homeserver.yaml');
  assert.match(d.homeserverConfig?.reason ?? '', /could not be read/);
  assert.equal(d.serverName, undefined);
  assert.equal(d.elementConfig, undefined);
});
