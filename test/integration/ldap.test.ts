// The ldap check through the built binary against a real OpenLDAP slapd (test/harness/slapd.ts: an
// AD-like tree with sAMAccountName, users alice, bob and nomail, a service account), on loopback only.
// homeserver.yaml keeps the seed's LDAP URI (ldap://10.11.2.12:389), which only ever reaches slapd
// through --connect-to; without it the address is refused (runCli sets --allow-targets to loopback).
// Needs `npm run build` first (test/run.sh does it).

import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Report } from '../../src/engine/types.js';
import { deploymentCerts } from '../harness/certs.js';
import { closedPort } from '../harness/processes.js';
import { type SlapdHandle, startSlapd } from '../harness/slapd.js';
import { assertBuilt, runCheckJson, runCli, SEED } from '../helpers/cli.js';
import { numberedFiles, tempDirs } from '../helpers/temp.js';

const SEED_URI = 'ldap://10.11.2.12:389';
const dir = tempDirs('matrixdoc-ldap-it-')();
const write = numberedFiles(dir);
let plain: SlapdHandle;
let secure: SlapdHandle;
const certs = deploymentCerts();

before(async () => {
  assertBuilt();
  const { valid } = certs.leaves;
  [plain, secure] = await Promise.all([startSlapd(), startSlapd({ tls: { certFile: valid.certFile, keyFile: valid.keyFile, caFile: certs.caFile } })]);
});

after(async () => {
  await Promise.all([plain?.stop(), secure?.stop()]);
});

interface ModuleArgs {
  uri?: string;
  startTls?: boolean;
  base?: string;
  uid?: string;
  mail?: string;
  bindDn?: string;
  bindPassword?: string;
  filter?: string;
}
/** A homeserver.yaml with the seed's LDAP module block, changed where asked. */
function homeserver(a: ModuleArgs = {}): string {
  return write(
    'homeserver.yaml',
    `server_name: "xfoss.com"
report_stats: false
modules:
  - module: "ldap_auth_provider.LdapAuthProviderModule"
    config:
      uri: "${a.uri ?? SEED_URI}"
      start_tls: ${a.startTls ?? false}
      base: "${a.base ?? 'ou=people,dc=xfoss,dc=com'}"
      attributes:
        uid: "${a.uid ?? 'sAMAccountName'}"
        mail: "${a.mail ?? 'mail'}"
        name: "cn"
      bind_dn: "${a.bindDn ?? 'cn=svc-matrix,dc=xfoss,dc=com'}"
      bind_password: "${a.bindPassword ?? 'svcpw'}"
${a.filter ? `      filter: "${a.filter}"\n` : ''}`,
  );
}

const toPlain = () => ['--connect-to', `10.11.2.12:389:127.0.0.1:${plain.port}`];

function check(file: string, extra: string[], opts: { env?: Record<string, string>; timeout?: string } = {}) {
  return runCheckJson(['check', '--only', 'ldap', '--homeserver-config', file, '--timeout', opts.timeout ?? '3s', '--json', ...extra], { env: opts.env });
}

/** The findings that are about the live directory (not the seed-style config notes every case shares). */
const liveIds = (ids: string[]) => ids.filter((i) => !['MXD-LDAP-004:samSearch', 'MXD-LDAP-005:cleartext'].includes(i));

describe('ldap check against a real slapd', () => {
  test('healthy (search mode, sAMAccountName, users with mail): only the notes about the config', async () => {
    const r = await check(homeserver({ filter: '(mail=*)' }), toPlain());
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    assert.deepEqual(r.ids, ['MXD-LDAP-004:samSearch', 'MXD-LDAP-005:cleartext']);
    assert.equal(r.report.probes.find((p) => p.id === 'ldap')?.status, 'ok');
  });

  test('a user without mail in the sample: MXD-LDAP-011 missingMail', async () => {
    const r = await check(homeserver(), toPlain());
    assert.deepEqual(liveIds(r.ids), ['MXD-LDAP-011:missingMail']);
    assert.equal(r.findings.find((f) => f.code === 'MXD-LDAP-011')?.data.example, 'nomail');
  });

  test('missing attribute (mail: email, which nobody has): MXD-LDAP-011 for every user', async () => {
    const r = await check(homeserver({ mail: 'email' }), toPlain());
    const f = r.findings.find((x) => x.code === 'MXD-LDAP-011');
    assert.deepEqual([f?.messageId, f?.data.count, f?.data.sampled], ['missingMail', 3, 3]);
  });

  test('a uid attribute nobody has: MXD-LDAP-010 uidNone', async () => {
    const r = await check(homeserver({ uid: 'userPrincipalName' }), toPlain());
    assert.ok(r.ids.includes('MXD-LDAP-010:uidNone'), JSON.stringify(r.ids));
  });

  test('a filter that excludes everyone: MXD-LDAP-010 filterNone', async () => {
    const r = await check(homeserver({ filter: '(memberOf=cn=matrix-users,ou=groups,dc=xfoss,dc=com)' }), toPlain());
    assert.deepEqual(liveIds(r.ids), ['MXD-LDAP-010:filterNone']);
  });

  test('wrong bind password: MXD-LDAP-008 invalidCredentials (49), the password never shown', async () => {
    const r = await check(homeserver({ bindPassword: 'wrong-bind-pw' }), toPlain());
    assert.equal(r.code, 1);
    assert.deepEqual(liveIds(r.ids), ['MXD-LDAP-008:invalidCredentials']);
    assert.doesNotMatch(r.stdout + r.stderr, /wrong-bind-pw/);
  });

  test('wrong base: MXD-LDAP-009 noSuchObject (32), naming the server contexts', async () => {
    const r = await check(homeserver({ base: 'ou=users,dc=xfoss,dc=org' }), toPlain());
    assert.deepEqual(liveIds(r.ids), ['MXD-LDAP-009:noSuchObject']);
    const f = r.findings.find((x) => x.code === 'MXD-LDAP-009');
    assert.match(f?.message ?? '', /the server holds dc=xfoss,dc=com/);
    assert.equal(f?.data.contexts, 'dc=xfoss,dc=com');
  });

  test('--ldap-test-user: the login the module would do works (BOB matches bob), and a wrong password fails at the bind', async () => {
    const ok = await check(homeserver({ filter: '(mail=*)' }), [...toPlain(), '--ldap-test-user', '@bob:xfoss.com'], {
      env: { MATRIXDOC_LDAP_TEST_PASSWORD: 'bobpw' },
    });
    assert.deepEqual(liveIds(ok.ids), ['MXD-LDAP-012:loginOk']);
    assert.match(ok.findings.find((f) => f.code === 'MXD-LDAP-012')?.message ?? '', /uid=bob,ou=people,dc=xfoss,dc=com/);
    assert.doesNotMatch(ok.stdout + ok.stderr, /bobpw/);
    const bad = await check(homeserver({ filter: '(mail=*)' }), [...toPlain(), '--ldap-test-user', 'alice', '--ldap-test-password', 'not-alices-pw']);
    assert.deepEqual(liveIds(bad.ids), ['MXD-LDAP-012:userBindFailed']);
    assert.doesNotMatch(bad.stdout + bad.stderr, /not-alices-pw/);
    const nobody = await check(homeserver({ filter: '(mail=*)' }), [...toPlain(), '--ldap-test-user', 'carol', '--ldap-test-password', 'x-carol-pw']);
    assert.deepEqual(liveIds(nobody.ids), ['MXD-LDAP-012:userNotFound']);
  });

  test("the seed's homeserver.yaml redirected to slapd: its bind_dn does not exist there (49)", async () => {
    const seed = path.join(dir, 'seed');
    cpSync(path.join(SEED, 'synapse'), seed, { recursive: true });
    const r = await check(path.join(seed, 'homeserver.yaml'), toPlain());
    assert.deepEqual(r.ids, ['MXD-LDAP-002:enabledTrue', 'MXD-LDAP-004:samSearch', 'MXD-LDAP-005:cleartext', 'MXD-LDAP-008:invalidCredentials']);
    assert.doesNotMatch(r.stdout, /some_secret/);
  });

  test('without a redirect, the seed address 10.11.2.12 is refused (TARGET_NOT_ALLOWED), never contacted', async () => {
    const r = await check(homeserver(), []);
    assert.equal(r.code, 2);
    assert.equal(r.check.status, 'error');
    assert.match(r.check.reason ?? '', /TARGET_NOT_ALLOWED: refused to contact 10\.11\.2\.12/);
    assert.equal(r.report.probes.find((p) => p.id === 'ldap')?.error?.code, 'TARGET_NOT_ALLOWED');
  });

  test('server down: MXD-LDAP-006 refused, well within the timeout', async () => {
    const closed = await closedPort();
    const r = await check(homeserver(), ['--connect-to', `10.11.2.12:389:127.0.0.1:${closed}`], { timeout: '2s' });
    assert.deepEqual(liveIds(r.ids), ['MXD-LDAP-006:refused']);
    assert.ok(r.elapsed < 10_000, `took ${r.elapsed} ms`);
  });

  test('a server that accepts and never answers: MXD-LDAP-006 silent before the probe timeout', async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((sock) => sockets.push(sock));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const port = (silent.address() as net.AddressInfo).port;
      const r = await check(homeserver(), ['--connect-to', `10.11.2.12:389:127.0.0.1:${port}`], { timeout: '1s' });
      assert.deepEqual(liveIds(r.ids), ['MXD-LDAP-006:silent'], `${r.stdout}\n${r.stderr}`);
      assert.ok(r.elapsed < 10_000, `took ${r.elapsed} ms`);
    } finally {
      for (const sock of sockets) sock.destroy();
      silent.close();
    }
  });

  test('StartTLS with the test CA (--ca-file): the name in the URI is verified, and the connection is protected', async () => {
    const file = homeserver({ uri: 'ldap://matrix.xfoss.com:389', startTls: true, filter: '(mail=*)' });
    const r = await check(file, ['--connect-to', `matrix.xfoss.com:389:127.0.0.1:${secure.port}`, '--ca-file', certs.caFile]);
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    assert.deepEqual(r.ids, ['MXD-LDAP-004:samSearch']);
    const untrusted = await check(file, ['--connect-to', `matrix.xfoss.com:389:127.0.0.1:${secure.port}`]);
    assert.deepEqual(liveIds(untrusted.ids), ['MXD-LDAP-007:untrusted']);
  });

  test('ldaps:// with the test CA; a URI with a name the certificate lacks fails on the name', async () => {
    const ok = await check(homeserver({ uri: 'ldaps://matrix.xfoss.com:636', filter: '(mail=*)' }), [
      '--connect-to',
      `matrix.xfoss.com:636:127.0.0.1:${secure.ldapsPort}`,
      '--ca-file',
      certs.caFile,
    ]);
    assert.deepEqual(ok.ids, ['MXD-LDAP-004:samSearch']);
    const wrongName = await check(homeserver({ uri: 'ldaps://10.11.2.12:636' }), [
      '--connect-to',
      `10.11.2.12:636:127.0.0.1:${secure.ldapsPort}`,
      '--ca-file',
      certs.caFile,
    ]);
    assert.deepEqual(liveIds(wrongName.ids), ['MXD-LDAP-007:name']);
  });

  test('start_tls against a server without TLS: MXD-LDAP-007 startTls', async () => {
    const r = await check(homeserver({ startTls: true }), toPlain());
    assert.deepEqual(liveIds(r.ids), ['MXD-LDAP-007:startTls']);
  });

  test('bind_password_file: read like the module (trailing newline stripped), its content never shown', async () => {
    const pwFile = path.join(dir, 'ldap-bind-password');
    writeFileSync(pwFile, 'svcpw\n', { mode: 0o600 });
    const file = homeserver({ filter: '(mail=*)' });
    writeFileSync(file, readFileSync(file, 'utf8').replace('bind_password: "svcpw"', `bind_password_file: "${pwFile}"`));
    const r = await check(file, toPlain());
    assert.deepEqual(r.ids, ['MXD-LDAP-004:samSearch', 'MXD-LDAP-005:cleartext']);
    assert.doesNotMatch(r.stdout + r.stderr, /svcpw/);
  });

  test('--offline: only what the file shows', async () => {
    const r = await runCli(['check', '--only', 'ldap', '--homeserver-config', homeserver(), '--offline', '--json']);
    const report = JSON.parse(r.stdout) as Report;
    assert.deepEqual(
      report.checks[0].findings.map((f) => `${f.code}:${f.messageId}`),
      ['MXD-LDAP-004:samSearch', 'MXD-LDAP-005:cleartext'],
    );
  });
});
