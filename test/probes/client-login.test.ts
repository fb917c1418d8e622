// The clientLogin probe through the engine (with the public-baseurl check) against a login server on
// loopback: it logs in, reads well_known, always logs out, and neither the password nor the access token
// reaches the evidence or any output.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import publicBaseurl from '../../checks/public-baseurl/index.js';
import { buildInputs, type RawInputs } from '../../src/engine/inputs.js';
import { runEngine } from '../../src/engine/run.js';
import type { ProbeResult } from '../../src/engine/types.js';
import { NetClient } from '../../src/net/client.js';
import type { ClientLoginArtifact } from '../../src/probes/client-login.js';
import { probeRegistry } from '../../src/probes/index.js';
import { Redactor } from '../../src/report/redact.js';
import { closeAllServers, closedPort, startHttpsServer, type TestServer } from '../helpers/servers.js';
import { testCerts } from '../helpers/tls.js';

const certs = testCerts();
const dir = mkdtempSync(path.join(tmpdir(), 'matrixdoc-login-'));
const PASSWORD = 'correct horse battery staple';
const TOKEN = 'syt_YWxpY2U_secretTokenValue123';

after(async () => {
  await closeAllServers();
  rmSync(dir, { recursive: true, force: true });
});

interface LoginServer extends TestServer {
  logins: Record<string, unknown>[];
  logouts: (string | undefined)[];
}

/** A homeserver that accepts alice's password, returns `wellKnown(port)` in the login response, and logs out. */
async function loginServer(opts: { wellKnown?: (port: number) => unknown; logoutStatus?: number } = {}): Promise<LoginServer> {
  const logins: Record<string, unknown>[] = [];
  const logouts: (string | undefined)[] = [];
  let port = 0;
  const server = await startHttpsServer({
    '/_matrix/client/versions': { body: { versions: ['v1.11'] }, headers: { 'access-control-allow-origin': '*' } },
    '/_matrix/client/v3/login': (req: http.IncomingMessage, res: http.ServerResponse) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        const parsed = JSON.parse(body) as Record<string, unknown>;
        logins.push(parsed);
        const ok = parsed.type === 'm.login.password' && (parsed.identifier as { user?: string })?.user === 'alice' && parsed.password === PASSWORD;
        res.writeHead(ok ? 200 : 403, { 'content-type': 'application/json' });
        const wk = opts.wellKnown ? opts.wellKnown(port) : undefined;
        res.end(
          JSON.stringify(
            ok
              ? { user_id: '@alice:example.test', access_token: TOKEN, device_id: 'DEVICE1', ...(wk === undefined ? {} : { well_known: wk }) }
              : { errcode: 'M_FORBIDDEN', error: 'Invalid username or password' },
          ),
        );
      });
    },
    '/_matrix/client/v3/logout': (req: http.IncomingMessage, res: http.ServerResponse) => {
      logouts.push(req.headers.authorization);
      res.writeHead(opts.logoutStatus ?? 200, { 'content-type': 'application/json' });
      res.end('{}');
    },
  });
  port = server.port;
  return Object.assign(server, { logins, logouts });
}

let files = 0;
async function run(server: TestServer, raw: RawInputs = {}, env: Record<string, string> = {}) {
  const file = path.join(dir, `homeserver-${++files}.yaml`);
  writeFileSync(file, `server_name: "example.test"\npublic_baseurl: "https://matrix.example.test:${server.port}/"\nreport_stats: false\n`);
  const inputs = buildInputs(
    {
      'homeserver-config': [file],
      resolve: [`matrix.example.test:${server.port}:127.0.0.1`],
      // example.test (the server name's well-knowns) answers nothing: public_baseurl is where the login goes.
      'connect-to': [`example.test:443:127.0.0.1:${await closedPort()}`],
      'allow-targets': 'loopback',
      timeout: '3s',
      'test-user': 'alice',
      'test-password': PASSWORD,
      ...raw,
    },
    {},
    undefined,
    env,
  );
  const net = new NetClient({ resolve: inputs.resolve, connectTo: inputs.connectTo, extraCa: certs.ca.cert, allowTargets: inputs.allowTargets });
  const redactor = new Redactor();
  const out = await runEngine([publicBaseurl], probeRegistry(), { inputs, net, redactor });
  const probe = out.probes.clientLogin as ProbeResult<ClientLoginArtifact>;
  const shown = JSON.stringify(redactor.value({ probes: out.probes, checks: out.checks }));
  return { probe, check: out.checks[0], shown };
}

const value = (p: ProbeResult<ClientLoginArtifact>) => {
  assert.equal(p.status, 'ok', JSON.stringify(p));
  return (p as { value: ClientLoginArtifact }).value;
};

describe('clientLogin on loopback', () => {
  test('logs in, reads well_known, asks its /versions, logs out; no secret in any output', async () => {
    const server = await loginServer({ wellKnown: (p) => ({ 'm.homeserver': { base_url: `https://matrix.example.test:${p}/` } }) });
    const { probe, check, shown } = await run(server);
    const a = value(probe);
    assert.equal(a.baseUrlSource, 'homeserver-config');
    assert.equal(a.login.loggedIn, true);
    assert.equal(a.login.userId, '@alice:example.test');
    assert.equal(a.login.wellKnownBaseUrl, `https://matrix.example.test:${server.port}/`);
    assert.deepEqual(a.wellKnownVersions?.versions, ['v1.11']);
    assert.equal(a.logout?.loggedOut, true);
    assert.deepEqual(server.logouts, [`Bearer ${TOKEN}`]);
    assert.deepEqual(server.logins[0], {
      type: 'm.login.password',
      identifier: { type: 'm.id.user', user: 'alice' },
      password: PASSWORD,
      initial_device_display_name: 'matrixdoc check (logged out right away)',
    });
    assert.doesNotMatch(JSON.stringify(a), /correct horse|secretTokenValue/);
    assert.doesNotMatch(shown, /correct horse|secretTokenValue/);
    assert.equal(check.status, 'pass', JSON.stringify(check.findings));
  });

  test('a well_known that does not answer: MXD-PB-007, and the session is still logged out', async () => {
    const dead = await closedPort();
    const server = await loginServer({ wellKnown: () => ({ 'm.homeserver': { base_url: `https://matrix.example.test:${dead}/` } }) });
    const { probe, check } = await run(server, { resolve: [`matrix.example.test:${server.port}:127.0.0.1`, `matrix.example.test:${dead}:127.0.0.1`] });
    const a = value(probe);
    assert.equal(a.wellKnownVersions?.error?.code, 'CONN_REFUSED');
    assert.equal(a.logout?.loggedOut, true);
    assert.equal(server.logouts.length, 1);
    const f = check.findings.find((x) => x.code === 'MXD-PB-007');
    assert.equal(f?.messageId, 'unreachable');
    assert.match(f?.message ?? '', /"Syncing forever…"/);
  });

  test('a wrong password: no session, no logout, MXD-PB-007 loginFailed', async () => {
    const server = await loginServer();
    const { probe, check, shown } = await run(server, { 'test-password': 'wrong password' });
    const a = value(probe);
    assert.equal(a.login.loggedIn, false);
    assert.equal(a.login.errcode, 'M_FORBIDDEN');
    assert.equal(a.logout, undefined);
    assert.deepEqual(server.logouts, []);
    assert.equal(check.findings.find((x) => x.code === 'MXD-PB-007')?.messageId, 'loginFailed');
    assert.doesNotMatch(shown, /wrong password/);
  });

  test('a logout that fails is reported', async () => {
    const server = await loginServer({ logoutStatus: 401 });
    const { check } = await run(server);
    assert.ok(check.findings.some((x) => x.code === 'MXD-PB-007' && x.messageId === 'logoutFailed'));
  });

  test('the password from MATRIXDOC_TEST_PASSWORD; skipped without a user or a password', async () => {
    const server = await loginServer();
    const viaEnv = await run(server, { 'test-password': undefined }, { MATRIXDOC_TEST_PASSWORD: PASSWORD });
    assert.equal(value(viaEnv.probe).login.loggedIn, true);
    const noUser = await run(server, { 'test-user': undefined });
    assert.equal(noUser.probe.status, 'skipped');
    const noPassword = await run(server, { 'test-password': undefined });
    assert.equal(noPassword.probe.status, 'skipped');
    assert.match((noPassword.probe as { reason: string }).reason, /MATRIXDOC_TEST_PASSWORD/);
  });
});
