// ldap: matrix-synapse-ldap3 (the LDAP login module) read as the module reads its config, and (online)
// its LDAP servers tried the way the module uses them: connect (ldaps or StartTLS), bind with bind_dn,
// search the base for users, read their name and mail; with --ldap-test-user, a whole login.

import { defineCheck } from '../../src/engine/define.js';
import type { FindingDraft, FindingLocation, FixDraft, MessageData } from '../../src/engine/types.js';
import type { HomeserverConfigArtifact } from '../../src/probes/config-files.js';
import { synapseTop } from '../../src/probes/database.js';
import type { LdapArtifact, LdapConfigArtifact, LdapError, LdapServerResult } from '../../src/probes/ldap.js';
import { locate } from '../shared/locate.js';
import { FILTER_PHRASES, filterIssue, isAdUid, isLoopbackHost } from './module-facts.js';

type Module = LdapConfigArtifact['modules'][number];

function uriHost(uri: string): string | undefined {
  try {
    return new URL(uri).hostname;
  } catch {
    return undefined;
  }
}

/** A fix without file edits: a summary template of the code's `fixes` (its data, if any) and the steps. */
function noEdits(summaryId: string, summaryData?: MessageData, steps: string[] = []): FixDraft {
  return { summaryId, ...(summaryData ? { summaryData } : {}), steps, edits: [] };
}

/** What an invalid key should be (phrases of MXD-LDAP-001, keyed by the ids the ldapConfig probe gives). */
const EXPECTED_PHRASES = {
  attributeName: 'an LDAP attribute name',
  attributesMap: 'a map with uid, name and mail',
  uriOrList: 'an ldap:// or ldaps:// URI, or a list of them',
  dnString: 'a DN string',
};

/** The words probes recorded before they gave ids (a capture replayed with --from-probes), to their ids. */
const EXPECTED_IDS: Record<string, string> = Object.fromEntries(Object.entries(EXPECTED_PHRASES).map(([id, words]) => [words, id]));

const NET_MESSAGE: Record<string, string> = {
  CONN_REFUSED: 'refused',
  HOST_UNREACHABLE: 'unreachable',
  TIMEOUT: 'timeout',
  NO_ANSWER: 'silent',
  CONN_RESET: 'closed',
  CONN_CLOSED: 'closed',
};

export default defineCheck({
  id: 'ldap',
  title: 'LDAP login (matrix-synapse-ldap3)',
  description:
    "Reads matrix-synapse-ldap3's settings as the module does and, online, tries its LDAP servers as the module would: TLS, bind, user search, the name and mail attributes, and optionally a test login.",
  requires: ['ldapConfig'],
  uses: ['homeserverConfig', 'ldap'],
  codes: [
    {
      code: 'MXD-LDAP-001',
      severity: 'error',
      title: 'LDAP module settings that stop Synapse',
      messages: {
        missingKeys: 'The LDAP module config lacks {{keys}}; Synapse does not start ("LDAP enabled but missing required config values").',
        missingAttributes:
          'attributes lacks {{keys}}; the module needs uid, name and mail, and Synapse does not start ("LDAP enabled but missing required config values").',
        noBindPassword:
          'bind_dn is set without bind_password or bind_password_file; Synapse does not start ("Either bind_password or bind_password_file must be set!").',
        validateAndTlsOptions:
          'Both validate_cert and tls_options are set; Synapse does not start ("You cannot include both validate_cert and tls_options in the config").',
        invalidValue: '{{key}} should be {{@expected}}; the module cannot use it.',
        passwordFile: 'bind_password_file {{file}} cannot be read here ({{reason}}); if Synapse cannot read it either, it does not start.',
      },
      fixes: {
        missingKeys: "Add {{keys}} to the module's config.",
        missingAttributes: 'Give attributes all three of uid, name and mail (Active Directory: sAMAccountName, displayName or cn, mail).',
        noBindPassword: "Add the service account's password: bind_password, or better bind_password_file (a file only Synapse can read).",
        validateAndTlsOptions: 'Keep one: delete validate_cert and put validate: 2 (CERT_REQUIRED) into tls_options.',
        invalidValue: 'Set {{key}} to {{@expected}}.',
        passwordFile: 'Make sure the file exists and the user Synapse runs as can read it (chmod 600, owned by that user).',
      },
      phrases: EXPECTED_PHRASES,
    },
    {
      code: 'MXD-LDAP-002',
      severity: 'warning',
      title: 'enabled is ignored by the LDAP module',
      messages: {
        enabledFalse: 'enabled is false, but the module ignores it: listed under {{form}}, the LDAP login is active. Remove the whole entry to turn it off.',
        enabledTrue: 'enabled: true has no effect: the module never reads it; listing the module under {{form}} is what turns the LDAP login on.',
      },
      fixes: {
        enabledTrue: 'Delete the enabled line: it changes nothing.',
        enabledFalse: 'To turn the LDAP login off, remove the whole {{form}} entry (or comment it out); enabled: false does not do it.',
      },
    },
    {
      code: 'MXD-LDAP-003',
      severity: 'error',
      title: 'LDAP login mode that cannot work',
      messages: {
        simpleAd:
          'Without bind_dn the module is in simple mode and binds as {{uid}}=<login>,{{base}}; Active Directory names entries by CN, so with {{uid}} that DN never exists and every login fails.',
        anonymousSearch:
          'mode is search without bind_dn, so the module searches anonymously; Active Directory and most directories refuse or hide entries from anonymous searches.',
      },
      fixes: {
        simpleAd: 'Switch to search mode with a service account: add bind_dn and bind_password_file (the module then searches for the user).',
        anonymousSearch: 'Add bind_dn and bind_password_file for a read-only service account, unless the directory really allows anonymous searches.',
      },
    },
    {
      code: 'MXD-LDAP-004',
      severity: 'info',
      title: 'How Active Directory users log in',
      messages: {
        samSearch:
          'uid is sAMAccountName in search mode: users log in with their account name (for example alice). active_directory is for logins like alice@domain or DOMAIN\\alice and needs uid: userPrincipalName.',
        upnWithoutAd:
          'uid is userPrincipalName without active_directory: users must type their whole UPN (alice@example.com). With active_directory: true and default_domain they can type only their name.',
        adWrongUid:
          'active_directory is on, so the module searches {{uid}} for login@domain; that matches only userPrincipalName, so with {{uid}} no login is found.',
      },
      fixes: {
        samSearch:
          'Nothing to change if users log in with their account name. For alice@domain logins: uid: "userPrincipalName" with active_directory: true (and default_domain).',
        upnWithoutAd: 'To let users type only their name: active_directory: true and default_domain: "<your AD domain>".',
        adWrongUid: 'Either uid: "userPrincipalName" with active_directory, or remove active_directory to search by the login as typed.',
      },
    },
    {
      code: 'MXD-LDAP-005',
      severity: 'warning',
      title: 'LDAP connection not protected',
      messages: {
        cleartext:
          '{{uri}} is plain LDAP without start_tls: every password the module sends (users logging in, and bind_password) crosses the network unencrypted.',
        noVerify: "The module does not verify the LDAP server's certificate ({{@why}}): anyone on the path can pose as the server and collect the passwords.",
      },
      fixes: {
        cleartext: 'Use ldaps:// (port 636), or set start_tls: true, with a certificate the Synapse host trusts.',
        noVerify: 'Verify the certificate: remove validate_cert: false, or set tls_options.validate: 2 with ca_certs_file pointing at your CA.',
      },
      phrases: { tlsOptions: 'tls_options without validate means CERT_NONE', validateCert: 'validate_cert is false' },
    },
    {
      code: 'MXD-LDAP-006',
      severity: 'error',
      title: 'LDAP server unreachable',
      messages: {
        refused: 'Nothing accepts connections at {{target}} (connection refused): the LDAP server is not running there, or listens on another port.',
        unreachable: '{{target}} cannot be reached: {{detail}}.',
        timeout: 'No answer from {{target}} within the timeout: a firewall drops the packets, or the host is down.',
        silent:
          '{{target}} accepted the connection, but gave no LDAP answer within the timeout: another service listens on that port, or the LDAP server is stuck.',
        dns: '{{host}} does not resolve ({{detail}}), so the module cannot find its LDAP server.',
        closed: '{{target}} closed the connection: {{detail}}.',
        uri: '{{uri}} is not an ldap:// or ldaps:// URI; the module cannot use it.',
        failed: 'Connecting to {{target}} failed: {{detail}}.',
      },
      fixes: {
        uri: 'Use ldap://host:389 or ldaps://host:636.',
        reach: "Make the LDAP server reachable from Synapse's host at the URI's host and port.",
      },
    },
    {
      code: 'MXD-LDAP-007',
      severity: 'error',
      title: 'TLS with the LDAP server failed',
      messages: {
        untrusted: 'The certificate of {{target}} is not trusted ({{detail}}); the module verifies it and every login fails.',
        name: 'The certificate of {{target}} is not valid for {{host}} ({{detail}}); the module checks the name in the URI.',
        expired: 'The certificate of {{target}} is expired or not yet valid ({{detail}}).',
        handshake: 'The TLS handshake with {{target}} failed: {{detail}}.',
        startTls: '{{target}} refused StartTLS ({{detail}}), but start_tls is set: the module cannot log anyone in.',
      },
      fixes: {
        tls: 'Make TLS with the LDAP server work as the module does it (it verifies the certificate unless told not to).',
      },
    },
    {
      code: 'MXD-LDAP-008',
      severity: 'error',
      title: 'The LDAP server rejected the bind',
      messages: {
        invalidCredentials:
          'The LDAP server rejected bind_dn {{dn}} with its password (result 49, invalid credentials): the DN does not exist or the password is wrong. No one can log in.',
        refused: 'The LDAP server refused the bind as {{dn}} (result {{resultCode}}: {{detail}}). No one can log in.',
      },
      fixes: {
        bind: 'Check bind_dn (the full DN of the service account) and its password.',
      },
    },
    {
      code: 'MXD-LDAP-009',
      severity: 'error',
      title: 'LDAP search base not found',
      messages: {
        noSuchObject: 'The search base {{base}} does not exist on {{target}} (result 32, no such object); the server holds {{contexts}}. No one can log in.',
        noSuchObjectUnlisted: 'The search base {{base}} does not exist on {{target}} (result 32, no such object). No one can log in.',
      },
      fixes: {
        base: 'Set base to an existing DN under which the users are (one of the naming contexts, or an OU inside it).',
      },
    },
    {
      code: 'MXD-LDAP-010',
      severity: 'error',
      title: 'The LDAP search finds no user',
      messages: {
        uidNone: 'No entry under {{base}} has the attribute {{uid}} (searched {{filter}} as {{as}}), so no login can match.',
        uidNoneAnonymous: 'No entry under {{base}} has the attribute {{uid}} (searched {{filter}} as {{@as}}), so no login can match.',
        filterNone: 'Entries under {{base}} have {{uid}}, but none also matches the filter {{filter}}, so no login can match.',
        filterInvalid: 'The module searches with {{filter}}, which is not a valid LDAP filter ({{detail}}): every login fails.',
        filterMalformed: 'The module searches with {{filter}}, which is not a valid LDAP filter ({{@detail}}): every login fails.',
        searchFailed: 'Searching {{base}} failed (result {{resultCode}}: {{detail}}).',
      },
      fixes: {
        filterOffline:
          'Write the filter as one parenthesised LDAP filter, e.g. filter: "(objectClass=person)" or "(memberOf=cn=matrix,ou=groups,dc=example,dc=com)".',
        filterLive: 'Write the filter as one parenthesised LDAP filter, e.g. (objectClass=person).',
        searchRights: 'Give the bind DN read access to the users under base (their uid, name and mail attributes).',
        loosenFilter: 'Loosen the filter, or put the users into what it requires (a group, an objectClass).',
        checkUid: "Check attributes.uid against the users' real attribute names (OpenLDAP: uid; Active Directory: sAMAccountName) and that base contains them.",
        checkUidAnonymous:
          "Check attributes.uid against the users' real attribute names (OpenLDAP: uid; Active Directory: sAMAccountName) and that base contains them; anonymous searches are often hidden: add bind_dn.",
      },
      phrases: { anonymous: 'anonymous', ...FILTER_PHRASES },
    },
    {
      code: 'MXD-LDAP-011',
      severity: 'warning',
      title: 'LDAP users lack the name or mail attribute',
      messages: {
        missingMail: '{{count}} of the {{sampled}} users sampled have no {{attribute}} attribute (e.g. {{example}}); they get no e-mail address in Synapse.',
        missingName: '{{count}} of the {{sampled}} users sampled have no {{attribute}} attribute (e.g. {{example}}); their display name becomes their login.',
      },
      fixes: {
        noneHave: "No sampled user has {{attribute}}: check attributes.{{key}} against the directory's attribute names (e.g. mail; displayName or cn).",
        fillIn: 'Fill in {{attribute}} for these users in the directory, or accept the fallback.',
      },
    },
    {
      code: 'MXD-LDAP-012',
      severity: 'error',
      title: 'The LDAP test login fails',
      messages: {
        userNotFound: 'The test login {{login}} finds no entry: the module searches {{base}} for {{filter}} and gets nothing.',
        userAmbiguous: 'The test login {{login}} finds {{count}} entries for {{filter}}; the module needs exactly one and refuses the login.',
        userBindFailed: 'The test login {{login}} finds {{dn}}, but the bind with the given password fails ({{detail}}).',
        simpleBindFailed: 'The test login {{login}} fails: in simple mode the module binds as {{dn}}, and the server refuses ({{detail}}).',
        notMappable: 'The test login {{login}} has no domain: with active_directory the module needs login/domain, DOMAIN\\login, or default_domain.',
        searchFailed: 'The search for the test login {{login}} failed ({{detail}}).',
        noPassword: 'The test login {{login}} was not tried: give its password with --ldap-test-password or MATRIXDOC_LDAP_TEST_PASSWORD.',
        loginOk: 'The test login {{login}} works: the module would find {{dn}} and accept the password.',
      },
      fixes: {
        loginOk: 'Nothing to fix for this login.',
        compare: 'Compare with what the module does (docs/codes/MXD-LDAP-012.md) and with the directory entry of this user.',
      },
    },
  ],
  run(inputs): FindingDraft[] {
    const cfg = inputs.get<LdapConfigArtifact>('ldapConfig');
    const hs = inputs.optional<HomeserverConfigArtifact>('homeserverConfig');
    const merged = hs ? synapseTop(hs) : undefined;
    const at = (path: (string | number)[], key = false): FindingLocation => {
      if (!hs || !merged) return {};
      const art = merged.ownerOf(String(path[0]));
      const loc = locate(art.file, art.parsed.positions, path, key);
      if (loc.line !== undefined || path.length <= 1) return loc;
      return at(path.slice(0, -1), true);
    };
    const live = inputs.optional<LdapArtifact>('ldap');
    const findings: FindingDraft[] = [];
    for (const m of cfg.modules) {
      findings.push(...configFindings(m, at));
      const result = live?.modules.find((x) => JSON.stringify(x.path) === JSON.stringify(m.path));
      if (result) for (const server of result.servers) findings.push(...serverFindings(m, server, at));
    }
    return findings;
  },
});

function configFindings(m: Module, at: (path: (string | number)[], key?: boolean) => FindingLocation): FindingDraft[] {
  const out: FindingDraft[] = [];
  const p = (...rest: (string | number)[]) => [...m.path, ...rest];
  if (m.missingKeys.length) {
    out.push({
      code: 'MXD-LDAP-001',
      messageId: 'missingKeys',
      data: { keys: m.missingKeys.join(', ') },
      location: at(m.path, true),
      evidence: { missing: m.missingKeys },
      fix: noEdits('missingKeys', { keys: m.missingKeys.join(', ') }, [
        'config:\n  uri: "ldaps://ldap.example.com:636"\n  base: "ou=users,dc=example,dc=com"\n  attributes:\n    uid: "uid"\n    mail: "mail"\n    name: "cn"',
      ]),
    });
  }
  if (m.missingAttributes.length) {
    out.push({
      code: 'MXD-LDAP-001',
      messageId: 'missingAttributes',
      data: { keys: m.missingAttributes.join(', ') },
      location: at(p('attributes'), true),
      evidence: { attributes: m.attributes, missing: m.missingAttributes },
      fix: noEdits('missingAttributes'),
    });
  }
  if (m.bindDnSet && !m.bindPasswordSource) {
    out.push({
      code: 'MXD-LDAP-001',
      messageId: 'noBindPassword',
      location: at(p('bind_dn'), true),
      evidence: { bind_dn: m.bindDn ?? null },
      fix: noEdits('noBindPassword'),
    });
  }
  if (m.validateCertSet && m.tlsOptionsSet) {
    out.push({
      code: 'MXD-LDAP-001',
      messageId: 'validateAndTlsOptions',
      location: at(p('validate_cert'), true),
      evidence: { validate_cert: true, tls_options: true },
      fix: noEdits('validateAndTlsOptions'),
    });
  }
  for (const bad of m.invalid) {
    const expected = EXPECTED_IDS[bad.expected] ?? bad.expected;
    out.push({
      code: 'MXD-LDAP-001',
      messageId: 'invalidValue',
      data: { key: bad.key, expected },
      location: at(p(...bad.key.split('.'))),
      evidence: { key: bad.key },
      fix: noEdits('invalidValue', { key: bad.key, expected }),
    });
  }
  if (m.passwordFile && !m.passwordFile.ok) {
    out.push({
      code: 'MXD-LDAP-001',
      messageId: 'passwordFile',
      severity: 'warning',
      data: { file: m.passwordFile.file, reason: m.passwordFile.error?.code ?? 'unreadable' },
      location: at(p('bind_password_file')),
      evidence: { passwordFile: m.passwordFile },
      fix: noEdits('passwordFile'),
    });
  }

  if (m.form !== 'ldap_config' && m.enabled !== undefined) {
    const on = Boolean(m.enabled) && !(typeof m.enabled === 'object' && m.enabled !== null && Object.keys(m.enabled).length === 0);
    out.push({
      code: 'MXD-LDAP-002',
      messageId: on ? 'enabledTrue' : 'enabledFalse',
      ...(on ? { severity: 'info' as const } : {}),
      data: { form: m.form },
      location: at(p('enabled'), true),
      evidence: { enabled: m.enabled as string | boolean | number | null },
      fix: on ? noEdits('enabledTrue') : noEdits('enabledFalse', { form: m.form }),
    });
  }

  const uid = m.attributes.uid;
  if (uid && m.mode === 'simple' && isAdUid(uid) && !m.activeDirectory) {
    out.push({
      code: 'MXD-LDAP-003',
      messageId: 'simpleAd',
      data: { uid, base: m.base ?? '' },
      location: at(p('attributes', 'uid')),
      evidence: { mode: 'simple', bindDnFormat: `${uid}=<login>,${m.base ?? ''}` },
      fix: noEdits('simpleAd', undefined, [
        'config:\n  ...\n  bind_dn: "CN=svc-matrix,OU=Service Accounts,DC=example,DC=com"\n  bind_password_file: "/etc/matrix-synapse/ldap-bind-password"',
      ]),
    });
  }
  if (m.mode === 'search' && !m.bindDnSet) {
    out.push({
      code: 'MXD-LDAP-003',
      messageId: 'anonymousSearch',
      severity: 'warning',
      location: at(p('mode')),
      evidence: { mode: 'search', bind_dn: null },
      fix: noEdits('anonymousSearch'),
    });
  }
  if (uid && !m.activeDirectory && uid.toLowerCase() === 'samaccountname' && m.mode === 'search') {
    out.push({
      code: 'MXD-LDAP-004',
      messageId: 'samSearch',
      location: at(p('attributes', 'uid')),
      evidence: { uid, mode: m.mode, active_directory: false },
      fix: noEdits('samSearch'),
    });
  }
  if (uid && !m.activeDirectory && uid.toLowerCase() === 'userprincipalname') {
    out.push({
      code: 'MXD-LDAP-004',
      messageId: 'upnWithoutAd',
      location: at(p('attributes', 'uid')),
      evidence: { uid, active_directory: false },
      fix: noEdits('upnWithoutAd'),
    });
  }
  if (uid && m.activeDirectory && uid.toLowerCase() !== 'userprincipalname') {
    out.push({
      code: 'MXD-LDAP-004',
      messageId: 'adWrongUid',
      severity: 'warning',
      data: { uid },
      location: at(p('active_directory'), true),
      evidence: { uid, active_directory: true },
      fix: noEdits('adWrongUid'),
    });
  }

  for (const [i, uri] of m.uris.entries()) {
    const host = uriHost(uri);
    const plain = /^ldap:\/\//i.test(uri);
    if (plain && !m.startTls && host && !isLoopbackHost(host)) {
      out.push({
        code: 'MXD-LDAP-005',
        messageId: 'cleartext',
        data: { uri },
        location: at(m.uris.length > 1 ? p('uri', i) : p('uri')),
        evidence: { uri, start_tls: false },
        fix: noEdits('cleartext', undefined, [
          'config:\n  uri: "ldaps://ldap.example.com:636"',
          'or:\n  uri: "ldap://ldap.example.com:389"\n  start_tls: true',
        ]),
      });
    }
  }
  const usesTls = m.startTls || m.uris.some((u) => /^ldaps:\/\//i.test(u));
  if (usesTls && !m.verify) {
    const why = m.tlsOptionsSet ? 'tlsOptions' : 'validateCert';
    out.push({
      code: 'MXD-LDAP-005',
      messageId: 'noVerify',
      data: { why },
      location: at(m.tlsOptionsSet ? p('tls_options') : p('validate_cert'), true),
      evidence: { validate_cert: m.validateCertSet ? m.verify : null, tls_options: m.tlsOptionsSet },
      fix: noEdits('noVerify'),
    });
  }
  if (uid && m.filter) {
    const issue = filterIssue(uid, m.filter);
    if (issue) {
      // Our words about the parentheses are a phrase; the filter parser's error is data.
      out.push({
        code: 'MXD-LDAP-010',
        messageId: 'phrase' in issue ? 'filterMalformed' : 'filterInvalid',
        data: { filter: `(&(${uid}=<login>)${m.filter})`, detail: 'phrase' in issue ? issue.phrase : issue.error },
        location: at(p('filter')),
        evidence: { filter: m.filter },
        fix: noEdits('filterOffline'),
      });
    }
  }
  return out;
}

function serverFindings(m: Module, s: LdapServerResult, at: (path: (string | number)[], key?: boolean) => FindingLocation): FindingDraft[] {
  const out: FindingDraft[] = [];
  const p = (...rest: (string | number)[]) => [...m.path, ...rest];
  const uriIndex = m.uris.indexOf(s.uri);
  const uriLoc = at(m.uris.length > 1 && uriIndex >= 0 ? p('uri', uriIndex) : p('uri'));
  const via = s.route && (s.route.connectHost !== s.host || s.route.connectPort !== s.port) ? ` (via ${s.route.connectHost}:${s.route.connectPort})` : '';
  const targetText = `${s.host ?? s.uri}:${s.port ?? ''}${via}`;
  const base = { uri: s.uri, target: targetText, host: s.host ?? '' };
  const evidenceOf = (extra: Record<string, unknown> = {}) => ({ uri: s.uri, route: s.route ?? null, ...extra });

  const reach = (e: LdapError, location: FindingLocation): FindingDraft => {
    if (e.stage === 'uri') {
      return {
        code: 'MXD-LDAP-006',
        messageId: 'uri',
        data: base,
        location,
        evidence: evidenceOf({ error: e }),
        fix: noEdits('uri'),
      };
    }
    if (e.stage === 'tls' || e.stage === 'starttls') {
      const messageId =
        e.stage === 'starttls'
          ? 'startTls'
          : e.code === 'TLS_UNTRUSTED'
            ? 'untrusted'
            : e.code === 'TLS_NAME_MISMATCH'
              ? 'name'
              : e.code === 'TLS_EXPIRED' || e.code === 'TLS_NOT_YET_VALID'
                ? 'expired'
                : 'handshake';
      const steps: Record<string, string[]> = {
        startTls: [
          'Configure TLS on the LDAP server (OpenLDAP: olcTLSCertificateFile/olcTLSCertificateKeyFile; AD: install a server certificate), or use ldaps://.',
        ],
        untrusted: [
          'Give Synapse the CA: tls_options: {validate: 2, ca_certs_file: /etc/ssl/certs/your-ca.pem} (and --ca-file for matrixdoc), or install a certificate from a CA the system trusts.',
        ],
        name: ['Use the host name the certificate is issued for in uri, or reissue the certificate with this name (an IP address needs an IP SAN).'],
        expired: ['Renew the LDAP server certificate.'],
        handshake: ['Check that the port speaks TLS (ldaps:// on 636, StartTLS on 389) and that client and server share a TLS version.'],
      };
      return {
        code: 'MXD-LDAP-007',
        messageId,
        data: { ...base, detail: e.message },
        location: messageId === 'startTls' ? at(p('start_tls'), true) : uriLoc,
        evidence: evidenceOf({ error: e, tls: s.tls ?? null }),
        fix: noEdits('tls', undefined, steps[messageId]),
      };
    }
    const messageId = e.stage === 'route' && e.code.startsWith('DNS_') ? 'dns' : (NET_MESSAGE[e.code] ?? (e.stage === 'route' ? 'unreachable' : 'failed'));
    return {
      code: 'MXD-LDAP-006',
      messageId,
      data: { ...base, detail: e.message },
      location,
      evidence: evidenceOf({ error: e }),
      fix: noEdits('reach', undefined, [
        `From Synapse's host: nc -vz -w 5 ${s.route?.connectHost ?? s.host ?? ''} ${s.route?.connectPort ?? s.port ?? ''}`,
        `ldapsearch -x -H ${s.uri} -b '' -s base namingContexts`,
      ]),
    };
  };

  if (s.error) {
    out.push(reach(s.error, uriLoc));
    return out;
  }
  if (!s.connected) return out;

  if (s.bind && !s.bind.ok && s.bind.error) {
    const e = s.bind.error;
    if (e.resultCode === undefined) {
      out.push(reach(e, uriLoc));
      return out;
    }
    out.push({
      code: 'MXD-LDAP-008',
      messageId: e.resultCode === 49 ? 'invalidCredentials' : 'refused',
      data: { ...base, dn: s.bind.dn ?? '', resultCode: e.resultCode, detail: e.message },
      location: at(p('bind_dn')),
      evidence: evidenceOf({ bind: s.bind }),
      fix: noEdits('bind', undefined, [
        `ldapwhoami -x -H ${s.uri} -D ${JSON.stringify(s.bind.dn ?? '')} -W`,
        "Active Directory: the DN is the account's distinguishedName (e.g. CN=svc-matrix,OU=Service Accounts,DC=example,DC=com), not cn=...,cn=Users unless it really lives there.",
      ]),
    });
    return out;
  }

  const search = s.search;
  const uid = m.attributes.uid ?? '';
  const mBase = m.base ?? '';
  if (search && !search.ok && search.error) {
    const e = search.error;
    if (e.resultCode === 32) {
      const contexts = s.namingContexts?.length ? s.namingContexts.join(', ') : undefined;
      out.push({
        code: 'MXD-LDAP-009',
        messageId: contexts ? 'noSuchObject' : 'noSuchObjectUnlisted',
        data: { ...base, base: mBase, ...(contexts ? { contexts } : {}) },
        location: at(p('base')),
        evidence: evidenceOf({ search, namingContexts: s.namingContexts ?? [] }),
        fix: noEdits('base', undefined, [`ldapsearch -x -H ${s.uri} -b '' -s base namingContexts`]),
      });
    } else if (e.code === 'FILTER_INVALID') {
      const offline = m.filter && filterIssue(uid, m.filter);
      if (!offline) {
        out.push({
          code: 'MXD-LDAP-010',
          messageId: 'filterInvalid',
          data: { filter: search.filter, detail: e.message },
          location: at(p('filter')),
          evidence: evidenceOf({ search }),
          fix: noEdits('filterLive'),
        });
      }
    } else if (e.resultCode === undefined) {
      out.push(reach(e, uriLoc));
      return out;
    } else {
      out.push({
        code: 'MXD-LDAP-010',
        messageId: 'searchFailed',
        data: { ...base, base: mBase, resultCode: e.resultCode, detail: e.message },
        location: at(p('base')),
        evidence: evidenceOf({ search }),
        fix: noEdits('searchRights'),
      });
    }
  } else if (search?.ok && search.count === 0) {
    const filterOnly = search.withoutFilter && search.withoutFilter.count > 0;
    const anonymous = s.bind?.as === 'anonymous';
    out.push({
      code: 'MXD-LDAP-010',
      // Who searched: the bind DN is data; an anonymous search is a phrase.
      messageId: filterOnly ? 'filterNone' : anonymous ? 'uidNoneAnonymous' : 'uidNone',
      data: { base: mBase, uid, filter: filterOnly ? (m.filter ?? '') : search.filter, as: anonymous ? 'anonymous' : (s.bind?.dn ?? '') },
      location: at(filterOnly ? p('filter') : p('attributes', 'uid')),
      evidence: evidenceOf({ search }),
      fix: filterOnly
        ? noEdits('loosenFilter')
        : noEdits(s.bind?.as === 'anonymous' ? 'checkUidAnonymous' : 'checkUid', undefined, [
            `ldapsearch -x -H ${s.uri} -D <bind_dn> -W -b ${JSON.stringify(mBase)} '(${uid}=*)' ${uid}`,
          ]),
    });
  }
  if (search?.ok && search.entries.length) {
    for (const [key, messageId] of [
      ['mail', 'missingMail'],
      ['name', 'missingName'],
    ] as const) {
      const lacking = search.entries.filter((e) => (key === 'mail' ? !e.hasMail : !e.hasName));
      if (!lacking.length) continue;
      const attribute = m.attributes[key] ?? key;
      out.push({
        code: 'MXD-LDAP-011',
        messageId,
        data: { count: lacking.length, sampled: search.entries.length, attribute, example: lacking[0].uid ?? lacking[0].dn },
        location: at(p('attributes', key)),
        evidence: evidenceOf({
          attribute,
          sampled: search.entries.map((e) => ({ dn: e.dn, uid: e.uid, [`has_${key}`]: key === 'mail' ? e.hasMail : e.hasName })),
        }),
        fix: lacking.length === search.entries.length ? noEdits('noneHave', { attribute, key }) : noEdits('fillIn', { attribute }),
      });
    }
  }

  const t = s.testLogin;
  if (t) {
    const data = { login: t.login, base: mBase, filter: t.search?.filter ?? '', dn: t.bindDn ?? '', count: t.search?.count ?? 0, detail: '' };
    const ev = evidenceOf({ testLogin: t });
    const push = (messageId: string, extra: Partial<typeof data> = {}, severity?: 'info' | 'warning') =>
      out.push({
        code: 'MXD-LDAP-012',
        messageId,
        ...(severity ? { severity } : {}),
        data: { ...data, ...extra },
        location: uriLoc,
        evidence: ev,
        fix:
          messageId === 'loginOk'
            ? noEdits('loginOk')
            : noEdits('compare', undefined, [
                t.search?.filter
                  ? `ldapsearch -x -H ${s.uri} -D <bind_dn> -W -b ${JSON.stringify(mBase)} ${JSON.stringify(t.search.filter)} dn`
                  : `ldapwhoami -x -H ${s.uri} -D ${JSON.stringify(t.bindDn ?? '')} -W`,
              ]),
      });
    if (t.ok) push('loginOk', {}, 'info');
    else if (t.failedAt === 'password') push('noPassword', {}, 'warning');
    else if (t.failedAt === 'map') push('notMappable');
    else if (t.failedAt === 'search') {
      if (t.search?.error) push('searchFailed', { detail: t.search.error.message });
      else if ((t.search?.count ?? 0) > 1) push('userAmbiguous');
      else push('userNotFound');
    } else if (t.failedAt === 'bind') {
      const e = t.bind?.error;
      const detail = e ? (e.resultCode !== undefined ? `result ${e.resultCode}: ${e.message}` : `${e.code}: ${e.message}`) : '';
      push(t.mode === 'simple' ? 'simpleBindFailed' : 'userBindFailed', { detail });
    }
  }
  return out;
}
