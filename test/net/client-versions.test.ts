// The clientVersions probe end to end through the engine (real probes, the element-config check) against
// a local HTTPS server: healthy, 404, not JSON, unreachable, never answering, refused by --allow-targets.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import elementConfig from '../../checks/element-config/index.js';
import type { RawInputs } from '../../src/engine/inputs.js';
import type { CheckResult, ProbeResult } from '../../src/engine/types.js';
import type { ClientVersionsArtifact } from '../../src/probes/client-versions.js';
import { runChecks } from '../helpers/engine.js';
import { closeAllServers, closedPort, hang, startHttpsServer, type TestServer } from '../helpers/servers.js';
import { numberedFiles, tempDirs } from '../helpers/temp.js';

const write = numberedFiles(tempDirs('matrixdoc-cv-')());
let healthy: TestServer;
let notFound: TestServer;
let notJson: TestServer;
let noVersions: TestServer;
let hanging: TestServer;

before(async () => {
  healthy = await startHttpsServer({ '/_matrix/client/versions': { body: { versions: ['r0.6.1', 'v1.11'], unstable_features: {} } } });
  notFound = await startHttpsServer({});
  notJson = await startHttpsServer({ '/_matrix/client/versions': { body: '<html>Welcome to nginx!</html>', headers: { 'content-type': 'text/html' } } });
  noVersions = await startHttpsServer({ '/_matrix/client/versions': { body: { errcode: 'M_UNKNOWN' } } });
  hanging = await startHttpsServer({ '/_matrix/client/versions': hang });
});

after(closeAllServers);

const elementFile = (baseUrl: string) =>
  write('config.json', `${JSON.stringify({ default_server_config: { 'm.homeserver': { base_url: baseUrl, server_name: 'example.test' } } }, null, 2)}\n`);

const homeserverFile = (publicBaseurl: string) => write('homeserver.yaml', `server_name: example.test\npublic_baseurl: ${publicBaseurl}\n`);

const baseUrl = (port: number) => `https://matrix.example.test:${port}`;

/** Runs element-config (and so clientVersions) the way `check` does, with matrix.example.test on loopback. */
async function run(port: number, raw: RawInputs = {}, allow = 'loopback') {
  const out = await runChecks([elementConfig], {
    'element-config': elementFile(baseUrl(port)),
    resolve: [`matrix.example.test:${port}:127.0.0.1`],
    timeout: '2s',
    'allow-targets': allow,
    ...raw,
  });
  const probe = out.probes.clientVersions as ProbeResult<ClientVersionsArtifact>;
  const check = out.checks[0] as CheckResult;
  return { probe, check, el011: check.findings.filter((f) => f.code === 'MXD-EL-011') };
}

function artifact(probe: ProbeResult<ClientVersionsArtifact>): ClientVersionsArtifact {
  assert.equal(probe.status, 'ok', JSON.stringify(probe));
  return (probe as { value: ClientVersionsArtifact }).value;
}

describe('clientVersions through the engine', () => {
  test('a healthy homeserver: the artifact has its versions, and element-config has no MXD-EL-011', async () => {
    const { probe, check, el011 } = await run(healthy.port);
    const [r] = artifact(probe).results;
    assert.equal(r.baseUrl, baseUrl(healthy.port));
    assert.equal(r.url, `${baseUrl(healthy.port)}/_matrix/client/versions`);
    assert.deepEqual(r.sources, ['element-config']);
    assert.deepEqual(r.versions, ['r0.6.1', 'v1.11']);
    assert.equal(r.exchange.status, 200);
    assert.equal(r.exchange.address, '127.0.0.1');
    assert.equal(r.exchange.tls?.authorized, true);
    assert.match(r.exchange.bodyExcerpt, /"versions"/);
    assert.equal('body' in r.exchange, false);
    assert.deepEqual(el011, []);
    assert.equal(check.status, 'pass', JSON.stringify(check));
    const seen = healthy.requests.at(-1);
    assert.equal(seen?.url, '/_matrix/client/versions');
    assert.equal(seen?.servername, 'matrix.example.test');
  });

  test('404: no versions, and MXD-EL-011 notMatrix with the URL and status', async () => {
    const { probe, check, el011 } = await run(notFound.port);
    const [r] = artifact(probe).results;
    assert.equal(r.versions, undefined);
    assert.equal(r.exchange.status, 404);
    assert.equal(r.exchange.error, undefined);
    assert.equal(el011.length, 1);
    assert.equal(el011[0].messageId, 'notMatrix');
    assert.equal(el011[0].severity, 'error');
    assert.equal(el011[0].evidence.url, r.url);
    assert.equal(el011[0].evidence.status, 404);
    assert.equal(check.status, 'fail');
  });

  test('200 that is not JSON: no versions, the excerpt is kept, MXD-EL-011 notMatrix', async () => {
    const { probe, el011 } = await run(notJson.port);
    const [r] = artifact(probe).results;
    assert.equal(r.versions, undefined);
    assert.equal(r.exchange.status, 200);
    assert.equal(r.exchange.bodyExcerpt, '<html>Welcome to nginx!</html>');
    assert.equal(el011.length, 1);
    assert.equal(el011[0].messageId, 'notMatrix');
    assert.equal(el011[0].evidence.body, '<html>Welcome to nginx!</html>');
  });

  test('200 JSON without a versions list: no versions', async () => {
    const { probe, el011 } = await run(noVersions.port);
    assert.equal(artifact(probe).results[0].versions, undefined);
    assert.equal(el011[0]?.messageId, 'notMatrix');
  });

  test('unreachable (connection refused): the exchange has the error, MXD-EL-011 unreachable', async () => {
    const port = await closedPort();
    const { probe, check, el011 } = await run(port);
    const [r] = artifact(probe).results;
    assert.equal(r.versions, undefined);
    assert.equal(r.exchange.status, undefined);
    assert.equal(r.exchange.error?.code, 'CONN_REFUSED');
    assert.equal(el011.length, 1);
    assert.equal(el011[0].messageId, 'unreachable');
    assert.deepEqual((el011[0].evidence.error as { code: string }).code, 'CONN_REFUSED');
    assert.equal(check.status, 'fail');
  });

  test('an untrusted certificate is a reachability problem: MXD-EL-011 unreachable with TLS_UNTRUSTED', async () => {
    const out = await runChecks(
      [elementConfig],
      { 'element-config': elementFile(baseUrl(healthy.port)), resolve: [`matrix.example.test:${healthy.port}:127.0.0.1`], 'allow-targets': 'loopback' },
      { testCa: false },
    );
    const [f] = out.checks[0].findings.filter((x) => x.code === 'MXD-EL-011');
    assert.equal(f?.messageId, 'unreachable');
    assert.equal((f.evidence.error as { code: string }).code, 'TLS_UNTRUSTED');
  });

  test('a homeserver that never answers is a TIMEOUT answer (MXD-EL-011), not a lost probe', async () => {
    const started = performance.now();
    const { probe, el011 } = await run(hanging.port, { timeout: '600ms' });
    assert.ok(performance.now() - started < 3 * 600, 'returned promptly');
    const [r] = artifact(probe).results;
    assert.equal(r.exchange.error?.code, 'TIMEOUT');
    assert.equal(el011[0]?.messageId, 'unreachable');
  });

  test('Element base_url and public_baseurl naming the same URL are asked once, with both sources', async () => {
    const before = healthy.requests.length;
    const { probe } = await run(healthy.port, { 'homeserver-config': [homeserverFile(`${baseUrl(healthy.port)}/`)] });
    const { results } = artifact(probe);
    assert.equal(results.length, 1);
    assert.deepEqual(results[0].sources, ['element-config', 'homeserver-config']);
    assert.equal(healthy.requests.length - before, 1);
  });

  test('a target outside --allow-targets: the probe fails with TARGET_NOT_ALLOWED and nothing is contacted', async () => {
    const connections = healthy.connections;
    const { probe } = await run(healthy.port, {}, '127.0.0.2/32');
    assert.equal(probe.status, 'error');
    assert.equal((probe as { error: { code: string } }).error.code, 'TARGET_NOT_ALLOWED');
    assert.equal(healthy.connections, connections);
  });

  test('--offline: the probe is skipped, nothing is contacted, no MXD-EL-011', async () => {
    const connections = healthy.connections;
    const { probe, el011 } = await run(healthy.port, { offline: true });
    assert.equal(probe.status, 'skipped');
    assert.match((probe as { reason: string }).reason, /--offline/);
    assert.deepEqual(el011, []);
    assert.equal(healthy.connections, connections);
  });

  test('no base URL in the files: skipped', async () => {
    const out = await runChecks([elementConfig], { 'element-config': elementFile('not a url'), 'allow-targets': 'loopback' }, { testCa: false });
    assert.equal(out.probes.clientVersions.status, 'skipped');
  });
});
