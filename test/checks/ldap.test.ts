// ldap: every code and message it declares, from homeserver.yaml (read by the real readLdapModules) and
// from hand-made `ldap` probe results (what the LDAP server answered), through the real engine, no I/O.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import check from '../../checks/ldap/index.js';
import { filterIssue, filterProblem } from '../../checks/ldap/module-facts.js';
import type { CheckResult } from '../../src/engine/types.js';
import { parseYaml } from '../../src/parse/yaml.js';
import { type LdapArtifact, type LdapConfigArtifact, type LdapServerResult, readLdapModules } from '../../src/probes/ldap.js';
import { Coverage, codes, homeserverArtifact, judge, one } from '../helpers/judge.js';

const coverage = new Coverage(check);

/** The seed's module block (Active Directory style, search mode through bind_dn), without the noise keys. */
function moduleYaml(config: string): string {
  return `server_name: "example.com"
report_stats: false
modules:
  - module: "ldap_auth_provider.LdapAuthProviderModule"
    config:
${config
  .trim()
  .split('\n')
  .map((l) => `      ${l}`)
  .join('\n')}
`;
}

const SEARCH = `uri: "ldaps://ldap.example.com:636"
base: "dc=example,dc=com"
attributes:
  uid: "uid"
  mail: "mail"
  name: "cn"
bind_dn: "cn=svc-matrix,dc=example,dc=com"
bind_password: "bind-s3cret"`;

function ldapConfig(yaml: string): LdapConfigArtifact {
  return { modules: readLdapModules(parseYaml(yaml).value as Record<string, unknown>) };
}

/** A healthy server answer for SEARCH. */
function server(over: Partial<LdapServerResult> = {}): LdapServerResult {
  return {
    uri: 'ldaps://ldap.example.com:636',
    scheme: 'ldaps',
    host: 'ldap.example.com',
    port: 636,
    route: { connectHost: '127.0.0.1', connectPort: 6636, address: '127.0.0.1', via: 'connect-to' },
    connected: true,
    tls: { mode: 'ldaps', ok: true, verified: true, subject: 'ldap.example.com', subjectAltNames: ['DNS:ldap.example.com'] },
    namingContexts: ['dc=example,dc=com'],
    bind: { as: 'bind_dn', dn: 'cn=svc-matrix,dc=example,dc=com', ok: true },
    search: {
      base: 'dc=example,dc=com',
      filter: '(&(uid=*))',
      ok: true,
      count: 2,
      sizeLimited: false,
      entries: [
        { dn: 'uid=alice,ou=people,dc=example,dc=com', uid: 'alice', hasName: true, hasMail: true },
        { dn: 'uid=bob,ou=people,dc=example,dc=com', uid: 'bob', hasName: true, hasMail: true },
      ],
    },
    durationMs: 20,
    ...over,
  };
}

function live(yaml: string, servers: LdapServerResult[]): LdapArtifact {
  return { modules: ldapConfig(yaml).modules.map((m) => ({ path: m.path, servers })) };
}

async function run(yaml: string, servers?: LdapServerResult[]): Promise<CheckResult> {
  return coverage.record(
    await judge(check, { homeserverConfig: homeserverArtifact(yaml), ldapConfig: ldapConfig(yaml), ...(servers ? { ldap: live(yaml, servers) } : {}) }),
  );
}

describe('ldap: status', () => {
  test('a healthy directory over verified ldaps passes with no findings', async () => {
    const yaml = moduleYaml(SEARCH);
    const r = await run(yaml, [server()]);
    assert.equal(r.status, 'pass');
    assert.deepEqual(r.findings, []);
  });

  test('skip when homeserver.yaml has no LDAP module', async () => {
    const r = await judge(check, {
      ldapConfig: { status: 'skipped', reason: 'no LDAP auth module (ldap_auth_provider.LdapAuthProviderModule) in homeserver.yaml', durationMs: 0 },
    });
    assert.equal(r.status, 'skip');
    assert.match(r.reason ?? '', /no LDAP auth module/);
  });

  test('readLdapModules: modules, password_providers, and an enabled ldap_config; nothing else', () => {
    const top = parseYaml(`modules:
  - module: other.Module
  - module: ldap_auth_provider.LdapAuthProviderModule
    config: {uri: "ldap://a", base: "dc=a", attributes: {uid: uid, name: cn, mail: mail}}
password_providers:
  - module: ldap_auth_provider.LdapAuthProvider
    config: {uri: "ldap://b", base: "dc=b", attributes: {uid: uid, name: cn, mail: mail}, mode: search}
ldap_config: {enabled: false, uri: "ldap://c"}
`).value as Record<string, unknown>;
    const found = readLdapModules(top);
    assert.deepEqual(
      found.map((m) => [m.form, m.path.join('.'), m.mode]),
      [
        ['modules', 'modules.1.config', 'simple'],
        ['password_providers', 'password_providers.0.config', 'search'],
      ],
    );
  });

  test('a refused target (TARGET_NOT_ALLOWED) makes the check error, keeping what the file shows', async () => {
    const yaml = moduleYaml(SEARCH.replace('ldaps://ldap.example.com:636', 'ldap://10.11.2.12:389'));
    const r = coverage.record(
      await judge(check, {
        homeserverConfig: homeserverArtifact(yaml),
        ldapConfig: ldapConfig(yaml),
        ldap: { status: 'error', error: { code: 'TARGET_NOT_ALLOWED', message: 'refused to contact 10.11.2.12 (10.11.2.12:389)' }, durationMs: 1 },
      }),
    );
    assert.equal(r.status, 'error');
    assert.match(r.reason ?? '', /^ldap: TARGET_NOT_ALLOWED/);
    assert.deepEqual(codes(r), ['MXD-LDAP-005:cleartext']);
  });

  test('findings never show the bind password', async () => {
    const yaml = moduleYaml(SEARCH);
    const r = await run(yaml, [
      server({
        bind: {
          as: 'bind_dn',
          dn: 'cn=svc-matrix,dc=example,dc=com',
          ok: false,
          error: { stage: 'bind', code: 'LDAP_49', resultCode: 49, message: 'Invalid Credentials' },
        },
      }),
    ]);
    assert.doesNotMatch(JSON.stringify(r), /bind-s3cret/);
    for (const f of r.findings) {
      assert.equal(f.docs, `docs/codes/${f.code}.md`);
      assert.doesNotMatch(f.message, /\{\{/);
    }
  });
});

describe('ldap: the module config', () => {
  test('the seed: enabled is ignored (info), sAMAccountName in search mode (info), plain ldap:// (warning)', async () => {
    const yaml = moduleYaml(`enabled: true
uri: "ldap://10.11.2.12:389"
# start_tls: true
base: "dc=xfoss,dc=com"
attributes:
  uid: "sAMAccountName"
  mail: "mail"
  name: "cn"
bind_dn: "cn=admin,cn=Users,dc=xfoss,dc=com"
bind_password: "some_secret"`);
    const r = await run(yaml);
    assert.deepEqual(codes(r), ['MXD-LDAP-002:enabledTrue', 'MXD-LDAP-004:samSearch', 'MXD-LDAP-005:cleartext']);
    assert.equal(one(r, 'MXD-LDAP-002').severity, 'info');
    assert.equal(one(r, 'MXD-LDAP-002').location?.line, 6);
    assert.equal(one(r, 'MXD-LDAP-005').location?.line, 7);
    assert.equal(r.status, 'warn');
  });

  test('MXD-LDAP-001 missingKeys and missingAttributes', async () => {
    const r = await run(moduleYaml('uri: "ldaps://ldap.example.com"\nattributes:\n  uid: uid'));
    assert.equal(one(r, 'MXD-LDAP-001', 'missingKeys').data.keys, 'base');
    assert.equal(one(r, 'MXD-LDAP-001', 'missingAttributes').data.keys, 'name, mail');
    assert.match(one(r, 'MXD-LDAP-001', 'missingKeys').message, /"LDAP enabled but missing required config values"/);
  });

  test('MXD-LDAP-001 noBindPassword, validateAndTlsOptions, invalidValue', async () => {
    const r = await run(
      moduleYaml(`uri: 42
base: "dc=example,dc=com"
attributes: {uid: uid, mail: mail, name: cn}
bind_dn: "cn=svc,dc=example,dc=com"
validate_cert: true
tls_options: {validate: 2}`),
    );
    one(r, 'MXD-LDAP-001', 'noBindPassword');
    one(r, 'MXD-LDAP-001', 'validateAndTlsOptions');
    const invalid = one(r, 'MXD-LDAP-001', 'invalidValue');
    assert.equal(invalid.data.key, 'uri');
    // What the key should be is a phrase: its id in the data, its words in the message and the fix.
    assert.equal(invalid.data.expected, 'uriOrList');
    assert.equal(invalid.message, 'uri should be an ldap:// or ldaps:// URI, or a list of them; the module cannot use it.');
    assert.equal(invalid.fix?.summary, 'Set uri to an ldap:// or ldaps:// URI, or a list of them.');
    const more = await run(moduleYaml('uri: "ldaps://ldap.example.com"\nbase: 7\nattributes: {uid: uid, mail: [], name: cn}'));
    assert.deepEqual(
      more.findings.filter((f) => f.messageId === 'invalidValue').map((f) => [f.data.key, f.data.expected, f.message]),
      [
        ['attributes.mail', 'attributeName', 'attributes.mail should be an LDAP attribute name; the module cannot use it.'],
        ['base', 'dnString', 'base should be a DN string; the module cannot use it.'],
      ],
    );
    const notMap = await run(moduleYaml('uri: "ldaps://ldap.example.com"\nbase: "dc=example,dc=com"\nattributes: uid'));
    assert.equal(one(notMap, 'MXD-LDAP-001', 'invalidValue').data.expected, 'attributesMap');
    assert.match(one(notMap, 'MXD-LDAP-001', 'invalidValue').message, /^attributes should be a map with uid, name and mail;/);
    // A capture made before the probe gave ids (--from-probes) still reads: its words are mapped to the id.
    const cfg = ldapConfig(moduleYaml('uri: 42\nbase: "dc=example,dc=com"\nattributes: {uid: uid, mail: mail, name: cn}'));
    (cfg.modules[0].invalid[0] as { expected: string }).expected = 'an ldap:// or ldaps:// URI, or a list of them';
    const old = coverage.record(await judge(check, { ldapConfig: cfg }));
    assert.equal(one(old, 'MXD-LDAP-001', 'invalidValue').data.expected, 'uriOrList');
  });

  test('MXD-LDAP-001 passwordFile (warning) from the ldapConfig probe', async () => {
    const yaml = moduleYaml(SEARCH.replace('bind_password: "bind-s3cret"', 'bind_password_file: /etc/matrix-synapse/ldap.pw'));
    const cfg = ldapConfig(yaml);
    cfg.modules[0].passwordFile = { file: '/etc/matrix-synapse/ldap.pw', ok: false, error: { code: 'FILE_NOT_FOUND', message: 'no such file' } };
    const r = coverage.record(await judge(check, { homeserverConfig: homeserverArtifact(yaml), ldapConfig: cfg }));
    const f = one(r, 'MXD-LDAP-001', 'passwordFile');
    assert.equal(f.severity, 'warning');
    assert.equal(f.data.reason, 'FILE_NOT_FOUND');
  });

  test('MXD-LDAP-002 enabledFalse: still active', async () => {
    const r = await run(moduleYaml(`enabled: false\n${SEARCH}`));
    assert.equal(one(r, 'MXD-LDAP-002', 'enabledFalse').severity, 'warning');
  });

  test('MXD-LDAP-003 simpleAd: no bind_dn with sAMAccountName; anonymousSearch: mode search without bind_dn', async () => {
    const simple = await run(moduleYaml('uri: "ldaps://dc1.example.com"\nbase: "dc=example,dc=com"\nattributes: {uid: sAMAccountName, mail: mail, name: cn}'));
    const f = one(simple, 'MXD-LDAP-003', 'simpleAd');
    assert.match(f.message, /binds as sAMAccountName=<login>,dc=example,dc=com/);
    assert.equal(simple.status, 'fail');
    const anon = await run(
      moduleYaml('uri: "ldaps://ldap.example.com"\nmode: search\nbase: "dc=example,dc=com"\nattributes: {uid: uid, mail: mail, name: cn}'),
    );
    assert.equal(one(anon, 'MXD-LDAP-003', 'anonymousSearch').severity, 'warning');
  });

  test('MXD-LDAP-004 upnWithoutAd and adWrongUid', async () => {
    const upn = await run(moduleYaml(SEARCH.replace('uid: "uid"', 'uid: "userPrincipalName"')));
    one(upn, 'MXD-LDAP-004', 'upnWithoutAd');
    const wrong = await run(moduleYaml(`${SEARCH.replace('uid: "uid"', 'uid: "sAMAccountName"')}\nactive_directory: true`));
    assert.equal(one(wrong, 'MXD-LDAP-004', 'adWrongUid').severity, 'warning');
  });

  test('MXD-LDAP-005 noVerify: validate_cert false, or tls_options without validate; loopback ldap:// is fine', async () => {
    const off = await run(moduleYaml(`${SEARCH}\nvalidate_cert: false`));
    assert.match(one(off, 'MXD-LDAP-005', 'noVerify').message, /certificate \(validate_cert is false\):/);
    assert.equal(one(off, 'MXD-LDAP-005', 'noVerify').data.why, 'validateCert');
    const tlsOpts = await run(moduleYaml(`${SEARCH}\ntls_options: {ca_certs_file: /etc/ssl/ca.pem}`));
    assert.match(one(tlsOpts, 'MXD-LDAP-005', 'noVerify').message, /certificate \(tls_options without validate means CERT_NONE\):/);
    assert.equal(one(tlsOpts, 'MXD-LDAP-005', 'noVerify').data.why, 'tlsOptions');
    const verified = await run(moduleYaml(`${SEARCH}\ntls_options: {validate: 2, ca_certs_file: /etc/ssl/ca.pem}`));
    assert.deepEqual(codes(verified), []);
    const local = await run(moduleYaml(SEARCH.replace('ldaps://ldap.example.com:636', 'ldap://127.0.0.1:389')));
    assert.deepEqual(codes(local), []);
  });

  test('MXD-LDAP-010 filterMalformed and filterInvalid from the file alone', async () => {
    const r = await run(moduleYaml(`${SEARCH}\nfilter: "objectClass=person"`));
    const f = one(r, 'MXD-LDAP-010', 'filterMalformed');
    assert.equal(f.data.filter, '(&(uid=<login>)objectClass=person)');
    assert.equal(f.data.detail, 'unwrapped');
    assert.match(f.message, /is not a valid LDAP filter \(the filter must be wrapped in parentheses, e\.g\. \(objectClass=person\)\): every login fails\.$/);
    assert.equal(one(await run(moduleYaml(`${SEARCH}\nfilter: "(a=b))(c=d)"`)), 'MXD-LDAP-010', 'filterMalformed').data.detail, 'unopened');
    const unbalanced = one(await run(moduleYaml(`${SEARCH}\nfilter: "(&(a=b)(c=d)"`)), 'MXD-LDAP-010', 'filterMalformed');
    assert.equal(unbalanced.data.detail, 'unbalanced');
    assert.match(unbalanced.message, /\(the parentheses are not balanced\)/);
    // The parser's own error is quoted as data.
    const parser = one(await run(moduleYaml(`${SEARCH}\nfilter: "(=b)"`)), 'MXD-LDAP-010', 'filterInvalid');
    assert.equal(parser.data.detail, 'Invalid attribute name: =b');
    assert.match(parser.message, /is not a valid LDAP filter \(Invalid attribute name: =b\)/);
    assert.deepEqual(filterIssue('uid', '(=b)'), { error: 'Invalid attribute name: =b' });
    assert.equal(filterProblem('uid', '(objectClass=person)'), undefined);
    assert.match(filterProblem('uid', '(&(a=b)(c=d)') ?? '', /not balanced/);
    assert.deepEqual(filterIssue('uid', '(&(a=b)(c=d)'), { phrase: 'unbalanced' });
  });
});

describe('ldap: what the server answered', () => {
  const yaml = moduleYaml(SEARCH);
  const err = (stage: NonNullable<LdapServerResult['error']>['stage'], code: string, message = 'boom', resultCode?: number) => ({
    stage,
    code,
    message,
    ...(resultCode === undefined ? {} : { resultCode }),
  });
  const down = (error: NonNullable<LdapServerResult['error']>): LdapServerResult => ({
    ...server({ connected: false, error }),
    bind: undefined,
    search: undefined,
    tls: undefined,
  });

  for (const [messageId, e] of [
    ['refused', err('connect', 'CONN_REFUSED', 'connect ECONNREFUSED 127.0.0.1:6636')],
    ['unreachable', err('connect', 'HOST_UNREACHABLE', 'connect EHOSTUNREACH')],
    ['timeout', err('connect', 'TIMEOUT', 'no answer before the timeout')],
    ['silent', err('connect', 'NO_ANSWER', 'the connection was accepted, but no LDAP answer came before the timeout')],
    ['dns', err('route', 'DNS_NXDOMAIN', 'queryA ENOTFOUND ldap.example.com')],
    ['closed', err('connect', 'CONN_RESET', 'read ECONNRESET')],
    ['uri', err('uri', 'UNSUPPORTED_URI', 'ldapi://x is not an ldap:// or ldaps:// URI')],
    ['failed', err('connect', 'EPROTO_SOMETHING', 'strange')],
  ] as const) {
    test(`MXD-LDAP-006 ${messageId}`, async () => {
      const r = await run(yaml, [down(e)]);
      one(r, 'MXD-LDAP-006', messageId);
      assert.equal(r.status, 'fail');
    });
  }

  for (const [messageId, e] of [
    ['untrusted', err('tls', 'TLS_UNTRUSTED', 'self-signed certificate in certificate chain')],
    ['name', err('tls', 'TLS_NAME_MISMATCH', "Hostname/IP does not match certificate's altnames")],
    ['expired', err('tls', 'TLS_EXPIRED', 'certificate has expired')],
    ['handshake', err('tls', 'TLS_HANDSHAKE', 'wrong version number')],
    ['startTls', err('starttls', 'LDAP_52', 'unavailable', 52)],
  ] as const) {
    test(`MXD-LDAP-007 ${messageId}`, async () => {
      const r = await run(yaml, [down(e)]);
      one(r, 'MXD-LDAP-007', messageId);
    });
  }

  test('MXD-LDAP-008 invalidCredentials (49) and refused (other results)', async () => {
    const bad = await run(yaml, [
      server({
        bind: { as: 'bind_dn', dn: 'cn=svc-matrix,dc=example,dc=com', ok: false, error: err('bind', 'LDAP_49', 'Invalid Credentials', 49) },
        search: undefined,
      }),
    ]);
    const f = one(bad, 'MXD-LDAP-008', 'invalidCredentials');
    assert.equal(f.location?.line, 12, 'points at bind_dn');
    const conf = await run(yaml, [
      server({
        bind: { as: 'bind_dn', dn: 'cn=svc-matrix,dc=example,dc=com', ok: false, error: err('bind', 'LDAP_13', 'confidentiality required', 13) },
        search: undefined,
      }),
    ]);
    assert.equal(one(conf, 'MXD-LDAP-008', 'refused').data.resultCode, 13);
  });

  test('a network error during the bind is reachability, not credentials', async () => {
    const r = await run(yaml, [
      server({ bind: { as: 'bind_dn', dn: 'x', ok: false, error: err('bind', 'TIMEOUT', 'no answer before the timeout') }, search: undefined }),
    ]);
    one(r, 'MXD-LDAP-006', 'timeout');
  });

  test('MXD-LDAP-009 noSuchObject names the naming contexts', async () => {
    const r = await run(yaml, [
      server({
        search: {
          base: 'dc=example,dc=com',
          filter: '(&(uid=*))',
          ok: false,
          count: 0,
          sizeLimited: false,
          entries: [],
          error: err('search', 'LDAP_32', 'No Such Object', 32),
        },
      }),
    ]);
    const f = one(r, 'MXD-LDAP-009', 'noSuchObject');
    assert.match(f.message, /\(result 32, no such object\); the server holds dc=example,dc=com\. No one can log in\.$/);
    assert.equal(f.data.contexts, 'dc=example,dc=com');
    const unlisted = await run(yaml, [server({ namingContexts: [], search: r.findings[0].evidence.search as LdapServerResult['search'] })]);
    const u = one(unlisted, 'MXD-LDAP-009', 'noSuchObjectUnlisted');
    assert.equal(u.data.contexts, undefined);
    assert.match(u.message, /\(result 32, no such object\)\. No one can log in\.$/);
  });

  test('MXD-LDAP-010 uidNone, filterNone, searchFailed, and a filter the server rejects', async () => {
    const empty = { base: 'dc=example,dc=com', filter: '(&(uid=*))', ok: true, count: 0, sizeLimited: false, entries: [] };
    const uidNone = one(await run(yaml, [server({ search: empty })]), 'MXD-LDAP-010', 'uidNone');
    assert.equal(uidNone.data.as, 'cn=svc-matrix,dc=example,dc=com');
    assert.match(uidNone.message, /\(searched \(&\(uid=\*\)\) as cn=svc-matrix,dc=example,dc=com\)/);
    // Anonymously: the phrase's id in the data, its word in the message.
    const anon = one(await run(yaml, [server({ bind: { as: 'anonymous', ok: true }, search: empty })]), 'MXD-LDAP-010', 'uidNoneAnonymous');
    assert.equal(anon.data.as, 'anonymous');
    assert.match(anon.message, /\(searched \(&\(uid=\*\)\) as anonymous\), so no login can match\.$/);
    const withFilter = moduleYaml(`${SEARCH}\nfilter: "(memberOf=cn=matrix,ou=groups,dc=example,dc=com)"`);
    const r = await run(withFilter, [
      server({ search: { ...empty, filter: '(&(uid=*)(memberOf=cn=matrix,ou=groups,dc=example,dc=com))', withoutFilter: { filter: '(uid=*)', count: 3 } } }),
    ]);
    assert.equal(one(r, 'MXD-LDAP-010', 'filterNone').location?.line, 14);
    one(
      await run(yaml, [server({ search: { ...empty, ok: false, error: err('search', 'LDAP_50', 'Insufficient Access', 50) } })]),
      'MXD-LDAP-010',
      'searchFailed',
    );
    const parsesHere = moduleYaml(`${SEARCH}\nfilter: "(a~~b)"`);
    const rejected = await run(parsesHere, [server({ search: { ...empty, ok: false, error: err('search', 'FILTER_INVALID', 'invalid filter') } })]);
    assert.equal(codes(rejected).filter((c) => c === 'MXD-LDAP-010:filterInvalid').length, 1);
  });

  test('MXD-LDAP-011 missingMail and missingName', async () => {
    const entries = [
      { dn: 'uid=alice,ou=people,dc=example,dc=com', uid: 'alice', hasName: true, hasMail: true },
      { dn: 'uid=nomail,ou=people,dc=example,dc=com', uid: 'nomail', hasName: false, hasMail: false },
    ];
    const r = await run(yaml, [server({ search: { ...server().search!, entries, count: 2 } })]);
    const mail = one(r, 'MXD-LDAP-011', 'missingMail');
    assert.deepEqual([mail.data.count, mail.data.sampled, mail.data.example], [1, 2, 'nomail']);
    one(r, 'MXD-LDAP-011', 'missingName');
    assert.equal(r.status, 'warn');
  });

  test('MXD-LDAP-012: every step of the test login', async () => {
    const t = (testLogin: LdapServerResult['testLogin']) => run(yaml, [server({ testLogin })]);
    const base = { login: 'alice', uidValue: 'alice', mode: 'search' as const, ok: false };
    const ok = await t({
      ...base,
      ok: true,
      search: { filter: '(&(uid=alice))', count: 1, dns: ['uid=alice,ou=people,dc=example,dc=com'] },
      bindDn: 'uid=alice,ou=people,dc=example,dc=com',
      bind: { ok: true },
    });
    assert.equal(one(ok, 'MXD-LDAP-012', 'loginOk').severity, 'info');
    assert.equal(ok.status, 'pass');
    one(await t({ ...base, failedAt: 'search', search: { filter: '(&(uid=alice))', count: 0, dns: [] } }), 'MXD-LDAP-012', 'userNotFound');
    assert.equal(
      one(await t({ ...base, failedAt: 'search', search: { filter: '(&(uid=alice))', count: 2, dns: ['a', 'b'] } }), 'MXD-LDAP-012', 'userAmbiguous').data
        .count,
      2,
    );
    one(
      await t({
        ...base,
        failedAt: 'search',
        search: { filter: '(&(uid=alice))', count: 0, dns: [], error: err('search', 'LDAP_50', 'Insufficient Access', 50) },
      }),
      'MXD-LDAP-012',
      'searchFailed',
    );
    const bind = await t({
      ...base,
      failedAt: 'bind',
      search: { filter: '(&(uid=alice))', count: 1, dns: ['uid=alice,ou=people,dc=example,dc=com'] },
      bindDn: 'uid=alice,ou=people,dc=example,dc=com',
      bind: { ok: false, error: err('bind', 'LDAP_49', 'Invalid Credentials', 49) },
    });
    assert.match(one(bind, 'MXD-LDAP-012', 'userBindFailed').message, /result 49/);
    one(
      await t({
        ...base,
        mode: 'simple',
        failedAt: 'bind',
        bindDn: 'uid=alice,dc=example,dc=com',
        bind: { ok: false, error: err('bind', 'LDAP_49', 'Invalid Credentials', 49) },
      }),
      'MXD-LDAP-012',
      'simpleBindFailed',
    );
    one(await t({ login: 'alice', mode: 'search', ok: false, failedAt: 'map' }), 'MXD-LDAP-012', 'notMappable');
    assert.equal(one(await t({ login: 'alice', mode: 'search', ok: false, failedAt: 'password' }), 'MXD-LDAP-012', 'noPassword').severity, 'warning');
  });
});

test('every code and message of the ldap check is covered', () => {
  assert.deepEqual(coverage.missing(), []);
});
