// federation: can other homeservers reach this one? The discovery step the spec applies to the server
// name (well-known, SRV, 8448), the DNS behind it, and each address on its own: connection, TLS
// certificate (trusted, valid for the name the spec requires at that step, not expired), the
// federation version endpoint and the signed server keys. What the Matrix federation tester reports, with
// a concrete fix for each.

import { defineCheck } from '../../src/engine/define.js';
import type { FindingDraft, FixDraft, MessageData } from '../../src/engine/types.js';
import { TLS_HANDSHAKE_STALLED } from '../../src/net/client.js';
import type { HomeserverConfigArtifact } from '../../src/probes/config-files.js';
import { type AddressReport, type Discovery, type DiscoveryStep, FEDERATION_PORT, type FederationArtifact, netloc } from '../../src/probes/federation.js';
import { isObject } from '../shared/locate.js';

/** A certificate that expires within this many days is a warning (Let's Encrypt renews at 30 days left). */
export const CERT_WARN_DAYS = 14;
/** The spec: originating servers should avoid serving key responses that expire in less than an hour. */
export const KEY_MIN_VALIDITY_MS = 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

const UNTRUSTED_ERRORS = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_REVOKED',
  'CERT_SIGNATURE_FAILURE',
  'INVALID_CA',
]);
const DATE_ERRORS = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);
const OLD_PROTOCOLS = new Set(['TLSv1', 'TLSv1.1', 'SSLv3']);

/** Why the spec requires a certificate name at each discovery step: MXD-FED-008's phrases, by id. */
const WHY_NAME = {
  ipLiteral: 'the server name is an IP address, so the certificate must be valid for that IP address',
  explicitPort: 'the server name has an explicit port, so the certificate must be valid for the server name itself',
  delegatedIp: 'the well-known delegates to an IP address, so the certificate must be valid for that IP address',
  delegatedPort: 'the well-known delegates to this host and port, so the certificate must be valid for the delegated host',
  delegatedFedSrv:
    'the well-known delegates to this host and its _matrix-fed._tcp SRV record points here; the certificate must be valid for the delegated host, never the SRV target',
  delegatedOldSrv:
    'the well-known delegates to this host and its _matrix._tcp SRV record points here; the certificate must be valid for the delegated host, never the SRV target',
  delegatedNoSrv: 'the well-known delegates to this host without a port and there is no SRV record, so the certificate must be valid for the delegated host',
  fedSrv:
    'there is no usable well-known and the _matrix-fed._tcp SRV record points here; the certificate must be valid for the server name, never the SRV target',
  oldSrv: 'there is no usable well-known and the _matrix._tcp SRV record points here; the certificate must be valid for the server name, never the SRV target',
  defaultPort: 'there is no usable well-known and no SRV record, so the certificate must be valid for the server name',
};

const STEP_WHY: Record<DiscoveryStep, keyof typeof WHY_NAME> = {
  '1': 'ipLiteral',
  '2': 'explicitPort',
  '3.1': 'delegatedIp',
  '3.2': 'delegatedPort',
  '3.3': 'delegatedFedSrv',
  '3.4': 'delegatedOldSrv',
  '3.5': 'delegatedNoSrv',
  '4': 'fedSrv',
  '5': 'oldSrv',
  '6': 'defaultPort',
};

/** How the spec led to an address: MXD-FED-017's phrases, by step. */
const VIA = {
  ipLiteral: 'the server name, an IP address literal',
  explicitPort: 'the server name with its explicit port',
  wellKnownIp: 'the well-known m.server, an IP address',
  wellKnownPort: 'the well-known m.server with its explicit port',
  wellKnownFedSrv: 'the well-known m.server, then its _matrix-fed._tcp SRV record',
  wellKnownOldSrv: 'the well-known m.server, then its deprecated _matrix._tcp SRV record',
  wellKnownDefault: 'the well-known m.server on the default port 8448',
  fedSrv: 'the _matrix-fed._tcp SRV record of the server name',
  oldSrv: 'the deprecated _matrix._tcp SRV record of the server name',
  defaultPort: 'the default port 8448 of the server name',
};

const STEP_VIA: Record<DiscoveryStep, keyof typeof VIA> = {
  '1': 'ipLiteral',
  '2': 'explicitPort',
  '3.1': 'wellKnownIp',
  '3.2': 'wellKnownPort',
  '3.3': 'wellKnownFedSrv',
  '3.4': 'wellKnownOldSrv',
  '3.5': 'wellKnownDefault',
  '4': 'fedSrv',
  '5': 'oldSrv',
  '6': 'defaultPort',
};

/** MXD-FED-017's other phrases: the chain verdict and whether the certificate covers the required name. */
const REPORT_PHRASES = {
  ...VIA,
  chainTrusted: 'chain trusted',
  chainUntrusted: 'chain not trusted',
  chainDates: 'chain rejected for its validity dates',
  nameCovered: 'is covered',
  nameNotCovered: 'is not covered',
};

/** What a connection report shows for a fact this address did not give (the finding it names says why). */
const NONE = '—';

/** The fix summary of an endpoint Synapse did not answer (MXD-FED-011 and MXD-FED-012). */
const ROUTE_FIX =
  'Route /_matrix on {{target}} (server_name {{name}}) to Synapse, whose listener must include the federation resource, so that {{path}} answers.';

function nginxBlock(port: number, name: string): string {
  return [
    'server {',
    `    listen ${port} ssl;`,
    `    listen [::]:${port} ssl;`,
    `    server_name ${name};`,
    `    ssl_certificate     /etc/letsencrypt/live/${name}/fullchain.pem;`,
    `    ssl_certificate_key /etc/letsencrypt/live/${name}/privkey.pem;`,
    '    location ~ ^(/_matrix|/_synapse/client) {',
    '        proxy_pass http://localhost:8008;   # no path after the port, not even /',
    '        proxy_set_header X-Forwarded-For $remote_addr;',
    '        proxy_set_header X-Forwarded-Proto $scheme;',
    '        proxy_set_header Host $host;',
    '        client_max_body_size 50M;',
    '        proxy_http_version 1.1;',
    '    }',
    '}',
  ].join('\n');
}

function targetsText(d: Discovery): string {
  return d.targets.length ? d.targets.map((t) => netloc(t.host, t.port)).join(', ') : '(no target)';
}

function days(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

export default defineCheck({
  id: 'federation',
  title: 'Federation',
  description:
    'Resolves the server name as other homeservers do (well-known, SRV, port 8448) and checks every address: connection, TLS certificate, the federation version endpoint and the signed server keys.',
  requires: ['federation'],
  uses: ['homeserverConfig'],
  codes: [
    {
      code: 'MXD-FED-001',
      severity: 'info',
      title: 'How other servers reach this server',
      messages: {
        ipLiteral:
          'The server name is an IP address: servers connect to {{targets}} (step {{step}}) and expect a certificate for the IP address {{certificateName}}, without SNI.',
        explicitPort:
          'The server name has an explicit port: servers connect to {{targets}} (step {{step}}) with Host: {{hostHeader}} and expect a certificate for {{certificateName}}; no well-known or SRV lookup.',
        delegated:
          'Delegated via well-known to {{delegated}} (step {{step}}): servers connect to {{targets}} with Host: {{hostHeader}} and expect a certificate for {{certificateName}}.',
        srv: 'No usable well-known ({{why}}); {{srvName}} is used (step {{step}}): servers connect to {{targets}} with Host: {{hostHeader}} and expect a certificate for {{certificateName}}.',
        defaultPort:
          'No usable well-known ({{why}}) and no SRV record: servers connect to {{targets}} (step {{step}}) and expect a certificate for {{certificateName}}.',
      },
    },
    {
      code: 'MXD-FED-002',
      severity: 'error',
      title: 'The federation host does not resolve',
      messages: {
        noAddress:
          '{{host}} has no A or AAAA record ({{reason}}); at step {{step}} other servers must connect to {{target}}, so none of them can reach this server.',
        srvFailed: 'The DNS lookup of {{name}} failed ({{reason}}); servers that get this answer cannot reach this server.',
        srvUnavailable: '{{name}} has the target "." (RFC 2782: "service not available"); other servers give up instead of trying port 8448.',
      },
      fixes: {
        noAddress: 'Give {{host}} an A (and AAAA) record with the address of the server that runs nginx/Synapse.',
        noAddressOrDelegate:
          'Give {{host}} an A (and AAAA) record with the address of the server that runs nginx/Synapse, or delegate {{hostname}} with /.well-known/matrix/server.',
        srvFailed: 'Make the DNS servers of {{host}} answer SRV queries for {{name}} (with a record, or NXDOMAIN when there is none).',
        srvUnavailable: 'Delete the "." record of {{name}}, or point it at the host that serves federation.',
      },
    },
    {
      code: 'MXD-FED-003',
      severity: 'warning',
      title: 'Only the deprecated _matrix._tcp SRV record',
      messages: {
        deprecated:
          'Only the deprecated SRV record {{name}} exists (no {{fedName}}); servers still use it, but it is deprecated since Matrix 1.8 and may stop being looked up.',
      },
      fixes: { deprecated: 'Add the same records under {{fedName}} (keep {{name}} for older servers for a while).' },
    },
    {
      code: 'MXD-FED-004',
      severity: 'warning',
      title: 'SRV target is a CNAME',
      messages: {
        cname:
          'The SRV record {{name}} points to {{target}}, which is a CNAME (alias of {{cname}}); RFC 2782 requires SRV targets to have A/AAAA records of their own, and some resolvers do not follow the alias.',
      },
      fixes: { cname: 'Point the SRV record at the canonical name {{cname}} (or give {{host}} its own A/AAAA records instead of the CNAME).' },
    },
    {
      code: 'MXD-FED-005',
      severity: 'error',
      title: 'The server well-known differs between addresses',
      messages: {
        differs:
          'https://{{host}}/.well-known/matrix/server gives different answers depending on the address: {{answers}}; other servers federate or fail depending on which address they reach.',
      },
      fixes: {
        differs: 'Serve the same /.well-known/matrix/server from every address of {{host}} (each server behind the name, or remove the stale DNS record).',
      },
    },
    {
      code: 'MXD-FED-006',
      severity: 'error',
      title: 'Cannot connect to the federation port',
      messages: {
        refused: 'Connection to {{address}} port {{port}} ({{host}}) was refused: nothing listens there, so other servers cannot reach this one.',
        timeout: 'Connection to {{address}} port {{port}} ({{host}}) timed out: a firewall probably drops it, so other servers cannot reach this one.',
        unreachable: '{{address}} port {{port}} ({{host}}) is unreachable ({{reason}}): there is no route to that address.',
        handshake:
          'The TLS handshake with {{address}} port {{port}} ({{host}}) failed ({{reason}}): the port does not speak TLS (plain HTTP?) or has no certificate for {{name}}.',
        other: 'Connecting to {{address}} port {{port}} ({{host}}) failed ({{reason}}).',
      },
      fixes: {
        timeout: 'Let TCP port {{port}} through to {{address}} (firewall, security group, NAT port forward).',
        unreachable: 'Make {{address}} reachable, or point {{host}} at the right address.',
        serveTls: 'Serve TLS for {{name}} on port {{port}} (nginx `listen {{port}} ssl`), or change the delegation to a port that does.',
      },
    },
    {
      code: 'MXD-FED-007',
      severity: 'error',
      title: 'Federation certificate not trusted',
      messages: {
        untrusted:
          'The certificate at {{address}} port {{port}} is not trusted ({{reason}}, issuer {{issuer}}); other servers refuse it: federation needs a certificate from a public CA with its full chain, self-signed certificates are not valid.',
      },
      fixes: {
        selfSigned: "Replace the self-signed certificate with one from a public CA (e.g. Let's Encrypt) for {{name}}.",
        publicCa: 'Serve a certificate from a public CA for {{name}} with its intermediate certificates (fullchain.pem).',
      },
    },
    {
      code: 'MXD-FED-008',
      severity: 'error',
      title: 'Federation certificate not valid for the required name',
      messages: {
        wrongName:
          'The certificate at {{address}} port {{port}} is not valid for {{name}} (it covers {{names}}); the spec requires {{name}} here because {{@why}} (step {{step}}).',
      },
      fixes: {
        wrongName: 'Serve a certificate valid for {{name}} on {{target}}.',
        wrongNameOrDelegate:
          'Serve a certificate valid for {{name}} on {{target}}, or delegate to a name your certificate covers (/.well-known/matrix/server on {{hostname}}).',
      },
      phrases: WHY_NAME,
    },
    {
      code: 'MXD-FED-009',
      severity: 'error',
      title: 'Federation certificate expired or about to expire',
      messages: {
        expired: 'The certificate at {{address}} port {{port}} ({{name}}) expired on {{validTo}}; other servers refuse it.',
        notYetValid:
          'The certificate at {{address}} port {{port}} ({{name}}) is not valid before {{validFrom}}; other servers refuse it (or this clock is wrong).',
        expiringSoon: 'The certificate at {{address}} port {{port}} ({{name}}) expires on {{validTo}}, in {{days}} days; renewal has not happened yet.',
      },
      fixes: {
        expired: 'Renew the certificate for {{name}} and reload nginx.',
        notYetValid: 'Check the clock of this machine and of the server (timedatectl), or serve a certificate that is valid now.',
        expiringSoon: 'Renew the certificate for {{name}} now and make sure renewal runs automatically.',
      },
    },
    {
      code: 'MXD-FED-010',
      severity: 'warning',
      title: 'Old TLS protocol on the federation port',
      messages: {
        oldProtocol: '{{address}} port {{port}} negotiated {{protocol}}; TLS 1.0 and 1.1 are deprecated (RFC 8996) and many servers refuse them.',
        onlyOld: '{{address}} port {{port}} offers only protocols older than TLS 1.2 ({{reason}}); current servers refuse to connect.',
      },
      fixes: {
        onlyOld: 'Enable TLS 1.2 and 1.3 on the federation port.',
        oldProtocol: 'Offer TLS 1.2 and 1.3 only on the federation port.',
      },
    },
    {
      code: 'MXD-FED-011',
      severity: 'error',
      title: 'The federation API does not answer',
      messages: {
        failed: '{{url}} at {{address}} failed ({{reason}}); other servers cannot talk to this one.',
        status: '{{url}} at {{address}} answered HTTP {{status}} instead of the server version; federation requests do not reach Synapse.',
        notMatrix: '{{url}} at {{address}} answered HTTP 200 without a server version ({{excerpt}}); something other than Synapse answers federation requests.',
      },
      fixes: { route: ROUTE_FIX },
    },
    {
      code: 'MXD-FED-012',
      severity: 'error',
      title: 'The key server response is not usable',
      messages: {
        failed: '{{url}} at {{address}} failed ({{reason}}); other servers cannot fetch the signing keys, so they reject every event from this server.',
        status: '{{url}} at {{address}} answered HTTP {{status}}; other servers cannot fetch the signing keys, so they reject every event from this server.',
        notJson: '{{url}} at {{address}} is not JSON ({{detail}}); other servers cannot read the signing keys.',
        shape: '{{url}} at {{address}} is not a valid key response: {{problems}}.',
      },
      fixes: {
        route: ROUTE_FIX,
        shape: 'Make sure Synapse itself answers /_matrix/key/v2/server (no other server, no proxy rewriting the body).',
      },
    },
    {
      code: 'MXD-FED-013',
      severity: 'error',
      title: 'The key server answers for another server name',
      messages: {
        mismatch:
          "{{url}} at {{address}} says server_name '{{got}}', not '{{expected}}'; this address belongs to another homeserver, and other servers reject its keys for {{expected}}.",
      },
      fixes: {
        mismatch:
          "Send {{serverName}}'s federation traffic to the homeserver whose server_name is {{serverName}} (check the delegation, SRV records and nginx's proxy_pass).",
      },
    },
    {
      code: 'MXD-FED-014',
      severity: 'error',
      title: 'The server keys expire too soon',
      messages: {
        expired: 'The key response at {{address}} has valid_until_ts {{validUntil}}, already past; other servers will not accept these keys for new events.',
        soon: 'The key response at {{address}} is valid only until {{validUntil}} ({{minutes}} minutes); the spec asks servers not to publish keys that expire within an hour.',
      },
      fixes: {
        expired: 'Check the server clock, and that no cache in front of Synapse serves an old key response; Synapse renews valid_until_ts on its own.',
        soon: 'Let Synapse publish keys valid for longer: key_refresh_interval of a day (the default), and no stale cache in front.',
      },
    },
    {
      code: 'MXD-FED-015',
      severity: 'error',
      title: 'No ed25519 signing key',
      messages: {
        none: 'The key response at {{address}} has no ed25519 key in verify_keys ({{keys}}); other servers cannot verify anything this server signs.',
      },
      fixes: { none: 'Give Synapse an ed25519 signing key ({{path}}).' },
    },
    {
      code: 'MXD-FED-016',
      severity: 'error',
      title: 'The key response is not correctly self-signed',
      messages: {
        missing:
          "The key response at {{address}} is not signed with its key {{keyId}} (no signatures['{{serverName}}']['{{keyId}}']); other servers discard it.",
        invalid: 'The signature of the key response at {{address}} with {{keyId}} is invalid ({{reason}}: {{detail}}); other servers discard it.',
      },
      fixes: {
        resign:
          'Let Synapse answer /_matrix/key/v2/server unmodified; if Synapse itself signs wrongly, its signing key file is damaged or was replaced while it ran: restart it, or generate a new key.',
      },
    },
    // One finding per probed address, healthy or not, rather than a table inside MXD-FED-001: each
    // address keeps its own location (https://host:port) and flat `data` in JSON, the human report
    // (--verbose) shows one line per address as the federation tester lists its ConnectionReports, and a
    // template per state translates where a table of English cells would not.
    {
      code: 'MXD-FED-017',
      severity: 'info',
      title: 'Federation connection report',
      messages: {
        ok: '{{address}} port {{port}} ({{host}}), reached through {{@via}} (step {{step}}): {{protocol}}; certificate {{subject}} issued by {{issuer}}, {{@chain}}; the required name {{certificateName}} {{@nameVerdict}} (SANs {{sans}}); expires {{validTo}} ({{days}} days left); server {{software}}; keys verified: {{keys}} (valid until {{validUntil}}); connect and TLS handshake {{connectMs}} ms. Nothing wrong at this address.',
        problems:
          '{{address}} port {{port}} ({{host}}), reached through {{@via}} (step {{step}}): {{protocol}}; certificate {{subject}} issued by {{issuer}}, {{@chain}}; the required name {{certificateName}} {{@nameVerdict}} (SANs {{sans}}); expires {{validTo}} ({{days}} days left); server {{software}}; keys verified: {{keys}} (valid until {{validUntil}}); connect and TLS handshake {{connectMs}} ms. Problems at this address: {{findings}}.',
        noConnection:
          '{{address}} port {{port}} ({{host}}), reached through {{@via}} (step {{step}}): no TLS connection ({{reason}}); {{findings}} explains why, and nothing else was asked at this address.',
      },
      phrases: REPORT_PHRASES,
    },
  ],
  run(inputs): FindingDraft[] {
    const artifact = inputs.get<FederationArtifact>('federation');
    const { discovery: d, checkedAt } = artifact;
    const findings: FindingDraft[] = [];
    const hs = inputs.optional<HomeserverConfigArtifact>('homeserverConfig');
    const hsValue = hs && isObject(hs.parsed.value) ? hs.parsed.value : undefined;
    const signingKeyPath = typeof hsValue?.signing_key_path === 'string' ? hsValue.signing_key_path : '/etc/matrix-synapse/homeserver.signing.key';
    const why = STEP_WHY[d.step];
    const discoveryEvidence = {
      serverName: d.serverName,
      source: d.source,
      step: d.step,
      why: d.why,
      hostHeader: d.hostHeader,
      certificateName: d.certificateName,
      ...(d.wellKnown ? { wellKnown: d.wellKnown } : {}),
      ...(d.delegated ? { delegated: d.delegated.server } : {}),
      srv: d.srv,
      targets: d.targets,
    };

    // The step, as an informational note (--verbose).
    const noteData = {
      step: d.step,
      targets: targetsText(d),
      hostHeader: d.hostHeader,
      certificateName: d.certificateName,
    };
    const used = d.srv.find((s) => s.outcome !== 'none');
    const note: FindingDraft = {
      code: 'MXD-FED-001',
      messageId: '',
      location: { host: d.hostname },
      evidence: { ...discoveryEvidence, addresses: artifact.addresses.map((a) => `${netloc(a.address, a.port)} (${a.host})`) },
    };
    if (d.step === '1') findings.push({ ...note, messageId: 'ipLiteral', data: noteData });
    else if (d.step === '2') findings.push({ ...note, messageId: 'explicitPort', data: noteData });
    else if (d.step.startsWith('3.')) findings.push({ ...note, messageId: 'delegated', data: { ...noteData, delegated: d.delegated?.server ?? '' } });
    else if (d.step === '6') findings.push({ ...note, messageId: 'defaultPort', data: { ...noteData, why: d.wellKnown?.invalid ?? '' } });
    else findings.push({ ...note, messageId: 'srv', data: { ...noteData, why: d.wellKnown?.invalid ?? '', srvName: used?.name ?? '' } });

    // DNS: SRV records.
    const fed = d.srv.find((s) => !s.deprecated);
    const old = d.srv.find((s) => s.deprecated);
    const srvHost = d.delegated && !d.delegated.ipLiteral ? d.delegated.host : d.hostname;
    if (used && used.outcome === 'error') {
      findings.push({
        code: 'MXD-FED-002',
        messageId: 'srvFailed',
        data: { name: used.name, reason: `${used.error?.code}: ${used.error?.message}` },
        location: { host: used.name },
        evidence: { ...discoveryEvidence },
        fix: {
          summaryId: 'srvFailed',
          summaryData: { host: srvHost, name: used.name },
          steps: [`dig +short SRV ${used.name}`, `dig +trace SRV ${used.name}   # which name server fails`],
          edits: [],
        },
      });
    }
    if (used && used.outcome === 'unavailable') {
      findings.push({
        code: 'MXD-FED-002',
        messageId: 'srvUnavailable',
        data: { name: used.name },
        location: { host: used.name },
        evidence: { ...discoveryEvidence },
        fix: {
          summaryId: 'srvUnavailable',
          summaryData: { name: used.name },
          steps: [`_matrix-fed._tcp.${srvHost}. 3600 IN SRV 10 5 ${FEDERATION_PORT} matrix.${srvHost}.`],
          edits: [],
        },
      });
    }
    if (used?.deprecated && used.outcome === 'found' && fed?.outcome === 'none') {
      const records = used.records.map((r) => `_matrix-fed._tcp.${srvHost}. 3600 IN SRV ${r.priority} ${r.weight} ${r.port} ${r.target}.`);
      findings.push({
        code: 'MXD-FED-003',
        messageId: 'deprecated',
        data: { name: used.name, fedName: fed.name },
        location: { host: used.name },
        evidence: { [used.name]: used.records, [fed.name]: 'no record' },
        fix: {
          summaryId: 'deprecated',
          summaryData: { fedName: fed.name, name: used.name },
          steps: records,
          edits: [],
        },
      });
    }
    for (const t of d.targets) {
      if (!t.cname) continue;
      const name = used?.name ?? old?.name ?? '';
      findings.push({
        code: 'MXD-FED-004',
        messageId: 'cname',
        data: { name, target: t.host, cname: t.cname },
        location: { host: t.host },
        evidence: { srvRecord: name, target: t.host, cname: t.cname, port: t.port },
        fix: {
          summaryId: 'cname',
          summaryData: { cname: t.cname, host: t.host },
          steps: [`${name}. 3600 IN SRV ${t.srv?.priority ?? 10} ${t.srv?.weight ?? 5} ${t.port} ${t.cname}.`],
          edits: [],
        },
      });
    }
    for (const t of d.targets) {
      if (!t.error) continue;
      findings.push({
        code: 'MXD-FED-002',
        messageId: 'noAddress',
        data: { host: t.host, reason: t.error.code, step: d.step, target: netloc(t.host, t.port) },
        location: { host: t.host },
        evidence: { ...discoveryEvidence, error: t.error },
        fix: {
          summaryId: d.step === '6' ? 'noAddressOrDelegate' : 'noAddress',
          summaryData: d.step === '6' ? { host: t.host, hostname: d.hostname } : { host: t.host },
          steps: [
            `${t.host}. 3600 IN A    <IPv4 address of the server>`,
            `${t.host}. 3600 IN AAAA <IPv6 address of the server>   # only if it has one`,
            ...(d.step === '6' ? [`or serve https://${d.hostname}/.well-known/matrix/server: {"m.server": "matrix.${d.hostname}:443"}`] : []),
            `dig +short A ${t.host}; dig +short AAAA ${t.host}`,
          ],
          edits: [],
        },
      });
    }

    // Split brain.
    const brain = artifact.splitBrain;
    if (brain?.differs) {
      findings.push({
        code: 'MXD-FED-005',
        messageId: 'differs',
        data: { host: brain.host, answers: brain.answers.map((a) => `${a.address}: ${a.answer}`).join('; ') },
        location: { url: `https://${netloc(brain.host)}/.well-known/matrix/server` },
        evidence: { answers: brain.answers },
        fix: {
          summaryId: 'differs',
          summaryData: { host: brain.host },
          steps: brain.answers.map((a) => `curl -sS --resolve ${netloc(brain.host)}:443:${a.address} https://${netloc(brain.host)}/.well-known/matrix/server`),
          edits: [],
        },
      });
    }

    // Each address: its connection report (MXD-FED-017, info) right after the step note, so that the
    // reports read as one table; its problems come with the other problems, each report naming them.
    const perAddress = artifact.addresses.map((a) => ({ a, found: addressFindings(a, d, checkedAt, why, signingKeyPath) }));
    findings.splice(1, 0, ...perAddress.map(({ a, found }) => connectionReport(a, d, checkedAt, found)));
    for (const { found } of perAddress) findings.push(...found);
    return findings;
  },
});

/** The connection report of one address (MXD-FED-017): what it answered, and which findings explain what went wrong there. */
function connectionReport(a: AddressReport, d: Discovery, checkedAt: number, found: FindingDraft[]): FindingDraft {
  const explainedBy = [...new Set(found.map((f) => f.code))];
  const base = { address: a.address, port: a.port, host: a.host, via: STEP_VIA[d.step], step: d.step };
  const location = { url: `https://${netloc(a.host, a.port)}` };
  const evidence: Record<string, unknown> = {
    address: a.address,
    port: a.port,
    host: a.host,
    ...(a.connect ? { connect: a.connect } : {}),
    step: d.step,
    certificateName: d.certificateName,
    ...(explainedBy.length ? { findings: explainedBy } : {}),
  };
  if (!a.tls.ok) {
    const err = a.tls.error ?? { code: 'UNKNOWN', message: 'no detail' };
    return {
      code: 'MXD-FED-017',
      messageId: 'noConnection',
      data: { ...base, reason: err.code, findings: explainedBy.join(', ') || NONE },
      location,
      evidence: { ...evidence, error: err },
    };
  }
  const t = a.tls.evidence;
  const validTo = t?.validTo ? Date.parse(t.validTo) : Number.NaN;
  const authError = t?.authorizationError ?? '';
  const v = a.version;
  const k = a.keys;
  const verified = k?.signatures.filter((s) => s.ok).map((s) => s.keyId) ?? [];
  const software = v?.server ? [v.server.name, v.server.version].filter((x) => x !== undefined).join(' ') : '';
  const data: MessageData = {
    ...base,
    protocol: t?.protocol ?? NONE,
    subject: t?.subject ? `CN=${t.subject}` : NONE,
    issuer: t?.issuer ? `CN=${t.issuer}` : NONE,
    chain: t?.authorized ? 'chainTrusted' : DATE_ERRORS.has(authError) ? 'chainDates' : 'chainUntrusted',
    certificateName: d.certificateName,
    nameVerdict: t && !t.nameError ? 'nameCovered' : 'nameNotCovered',
    sans: t?.subjectAltNames.length ? t.subjectAltNames.join(', ') : NONE,
    validTo: Number.isFinite(validTo) ? new Date(validTo).toISOString() : NONE,
    days: Number.isFinite(validTo) ? days(validTo - checkedAt) : NONE,
    software: software || NONE,
    keys: verified.length ? verified.join(', ') : NONE,
    validUntil: k?.validUntilTs !== undefined ? new Date(k.validUntilTs).toISOString() : NONE,
    connectMs: a.tls.handshakeMs ?? NONE,
    ...(v?.durationMs !== undefined ? { versionMs: v.durationMs } : {}),
  };
  // `ok` when no finding was made at the address; otherwise the report names the findings that explain it.
  const clean = explainedBy.length === 0;
  return {
    code: 'MXD-FED-017',
    messageId: clean ? 'ok' : 'problems',
    data: clean ? data : { ...data, findings: explainedBy.join(', ') },
    location,
    evidence: {
      ...evidence,
      ...(t ? { tls: { ...t, ...(a.tls.handshakeMs !== undefined ? { handshakeMs: a.tls.handshakeMs } : {}) } } : {}),
      ...(v ? { version: { url: v.url, status: v.status, server: v.server, durationMs: v.durationMs } } : {}),
      ...(k
        ? {
            keys: {
              url: k.url,
              status: k.status,
              serverName: k.serverName,
              validUntilTs: k.validUntilTs,
              verifyKeys: k.verifyKeys.map((vk) => vk.keyId),
              oldVerifyKeys: k.oldVerifyKeys,
              signatures: k.signatures,
            },
          }
        : {}),
    },
  };
}

function addressFindings(a: AddressReport, d: Discovery, checkedAt: number, why: string, signingKeyPath: string): FindingDraft[] {
  const out: FindingDraft[] = [];
  const where = netloc(a.address, a.port);
  const url = `https://${netloc(a.host, a.port)}`;
  const base = { address: a.address, port: a.port, host: a.host };
  const evidence = {
    address: a.address,
    port: a.port,
    host: a.host,
    ...(a.connect ? { connect: a.connect } : {}),
    step: d.step,
    certificateName: d.certificateName,
  };
  const name = a.tls.name;

  // Connection and TLS handshake.
  if (!a.tls.ok) {
    const err = a.tls.error ?? { code: 'UNKNOWN', message: 'no detail' };
    const reason = `${err.code}: ${err.message}`;
    if (err.code === 'TLS_HANDSHAKE' && /unsupported protocol|no protocols available|protocol version/i.test(err.message)) {
      out.push({
        code: 'MXD-FED-010',
        messageId: 'onlyOld',
        severity: 'error',
        data: { address: a.address, port: a.port, reason },
        location: { url },
        evidence: { ...evidence, error: err },
        fix: {
          summaryId: 'onlyOld',
          steps: ['ssl_protocols TLSv1.2 TLSv1.3;   # in the nginx server block (or http block), then: nginx -t && nginx -s reload'],
          edits: [],
        },
      });
      return out;
    }
    const messageId =
      err.code === 'CONN_REFUSED'
        ? 'refused'
        : err.code === 'TIMEOUT' && err.message !== TLS_HANDSHAKE_STALLED
          ? 'timeout'
          : err.code === 'HOST_UNREACHABLE'
            ? 'unreachable'
            : err.code === 'TLS_HANDSHAKE' || err.code === 'CONN_RESET' || err.code === 'TIMEOUT'
              ? 'handshake'
              : 'other';
    const steps: string[] = [];
    if (messageId === 'refused' || messageId === 'handshake' || messageId === 'other') {
      steps.push(`Make nginx listen on port ${a.port} with TLS for ${name}:`, nginxBlock(a.port, name), 'nginx -t && nginx -s reload');
    }
    if (messageId === 'refused' || messageId === 'timeout') {
      steps.push(
        `Open port ${a.port}/tcp in the firewall: ufw allow ${a.port}/tcp   (or: firewall-cmd --add-port=${a.port}/tcp --permanent && firewall-cmd --reload; and any cloud security group)`,
      );
    }
    if (messageId === 'unreachable')
      steps.push(`Check the route to ${a.address} (ip route get ${a.address}); correct the DNS record of ${a.host} if the address is wrong.`);
    steps.push(`openssl s_client -connect ${where} ${d.sni ? `-servername ${name}` : '-noservername'} </dev/null`);
    out.push({
      code: 'MXD-FED-006',
      messageId,
      data: { ...base, reason, name },
      location: { url },
      evidence: { ...evidence, error: err },
      fix: {
        summaryId: messageId === 'timeout' || messageId === 'unreachable' ? messageId : 'serveTls',
        summaryData: { ...base, name },
        steps,
        edits: [],
      },
    });
    return out;
  }

  const t = a.tls.evidence;
  if (t) {
    const certSteps = [
      `certbot certonly --nginx -d ${name}   # or your CA's tooling; the certificate must be valid for ${name}`,
      `ssl_certificate /etc/letsencrypt/live/${name}/fullchain.pem;   # the full chain, not cert.pem`,
      `ssl_certificate_key /etc/letsencrypt/live/${name}/privkey.pem;`,
      'nginx -t && nginx -s reload',
      `openssl s_client -connect ${where} ${d.sni ? `-servername ${name}` : '-noservername'} </dev/null | openssl x509 -noout -subject -issuer -dates -ext subjectAltName`,
    ];
    const certFix = (summaryId: string, summaryData: MessageData): FixDraft => ({ summaryId, summaryData, steps: certSteps, edits: [] });
    const tlsEvidence = { ...evidence, tls: t };
    const validTo = t.validTo ? Date.parse(t.validTo) : Number.NaN;
    const validFrom = t.validFrom ? Date.parse(t.validFrom) : Number.NaN;
    const authError = t.authorizationError ?? '';
    if (!t.authorized && !DATE_ERRORS.has(authError)) {
      out.push({
        code: 'MXD-FED-007',
        messageId: 'untrusted',
        data: { address: a.address, port: a.port, reason: authError || 'not trusted', issuer: t.issuer ?? 'unknown' },
        location: { url },
        evidence: tlsEvidence,
        fix: certFix(UNTRUSTED_ERRORS.has(authError) && authError.includes('SELF_SIGNED') ? 'selfSigned' : 'publicCa', { name }),
      });
    }
    if (t.nameError) {
      out.push({
        code: 'MXD-FED-008',
        messageId: 'wrongName',
        data: {
          address: a.address,
          port: a.port,
          name,
          names: t.subjectAltNames.length ? t.subjectAltNames.join(', ') : `CN=${t.subject ?? '?'}`,
          why,
          step: d.step,
        },
        location: { url },
        evidence: tlsEvidence,
        fix: certFix(d.delegated ? 'wrongNameOrDelegate' : 'wrongName', {
          name,
          target: netloc(a.host, a.port),
          ...(d.delegated ? { hostname: d.hostname } : {}),
        }),
      });
    }
    if (Number.isFinite(validTo) && validTo < checkedAt) {
      out.push({
        code: 'MXD-FED-009',
        messageId: 'expired',
        data: { address: a.address, port: a.port, name, validTo: new Date(validTo).toISOString() },
        location: { url },
        evidence: tlsEvidence,
        fix: {
          ...certFix('expired', { name }),
          steps: ['certbot renew && nginx -s reload', 'systemctl list-timers | grep certbot   # renewals must run on their own', ...certSteps.slice(1)],
        },
      });
    } else if (Number.isFinite(validFrom) && validFrom > checkedAt) {
      out.push({
        code: 'MXD-FED-009',
        messageId: 'notYetValid',
        data: { address: a.address, port: a.port, name, validFrom: new Date(validFrom).toISOString() },
        location: { url },
        evidence: tlsEvidence,
        fix: {
          summaryId: 'notYetValid',
          steps: ['timedatectl status'],
          edits: [],
        },
      });
    } else if (Number.isFinite(validTo) && validTo - checkedAt < CERT_WARN_DAYS * DAY_MS) {
      out.push({
        code: 'MXD-FED-009',
        messageId: 'expiringSoon',
        severity: 'warning',
        data: { address: a.address, port: a.port, name, validTo: new Date(validTo).toISOString(), days: days(validTo - checkedAt) },
        location: { url },
        evidence: tlsEvidence,
        fix: {
          summaryId: 'expiringSoon',
          summaryData: { name },
          steps: ['certbot renew --dry-run', 'certbot renew && nginx -s reload', 'systemctl list-timers | grep certbot'],
          edits: [],
        },
      });
    }
    if (t.protocol && OLD_PROTOCOLS.has(t.protocol)) {
      out.push({
        code: 'MXD-FED-010',
        messageId: 'oldProtocol',
        data: { address: a.address, port: a.port, protocol: t.protocol },
        location: { url },
        evidence: tlsEvidence,
        fix: {
          summaryId: 'oldProtocol',
          steps: ['ssl_protocols TLSv1.2 TLSv1.3;   # in the nginx server block (or http block)', 'nginx -t && nginx -s reload'],
          edits: [],
        },
      });
    }
  }

  const routeFix = (what: string): FixDraft => ({
    summaryId: 'route',
    summaryData: { target: netloc(a.host, a.port), name, path: what },
    steps: [
      nginxBlock(a.port, name),
      'homeserver.yaml: listeners: - port: 8008 ... resources: - names: [client, federation]',
      'nginx -t && nginx -s reload',
      `curl -sS --resolve ${netloc(a.host, a.port)}:${a.address} ${url}${what}`,
    ],
    edits: [],
  });

  /** A finding about an endpoint that Synapse did not answer: the fix is routing it there. */
  const unroutedFinding =
    (code: string, path: string, endpointUrl: string, endpointEvidence: Record<string, unknown>) =>
    (messageId: string, data: MessageData): FindingDraft => ({
      code,
      messageId,
      data: { url: endpointUrl, address: a.address, ...data },
      location: { url: endpointUrl },
      evidence: endpointEvidence,
      fix: routeFix(path),
    });

  // GET /_matrix/federation/v1/version.
  const v = a.version;
  if (v) {
    const versionFinding = unroutedFinding('MXD-FED-011', '/_matrix/federation/v1/version', v.url, { ...evidence, version: v });
    if (v.status === undefined) out.push(versionFinding('failed', { reason: `${v.error?.code}: ${v.error?.message}` }));
    else if (v.status !== 200) out.push(versionFinding('status', { status: v.status }));
    else if (!v.isMatrix) out.push(versionFinding('notMatrix', { excerpt: (v.bodyExcerpt ?? '').slice(0, 80).replace(/\s+/g, ' ') }));
  }

  // GET /_matrix/key/v2/server.
  const k = a.keys;
  if (!k) return out;
  const kData = { url: k.url, address: a.address };
  const kEvidence = { ...evidence, keys: k };
  const keysUrl = `${url}/_matrix/key/v2/server`;
  const regenerate = (summaryId: string, summaryData: MessageData, first: string[] = []): FixDraft => ({
    summaryId,
    summaryData,
    steps: [
      ...first,
      'systemctl stop matrix-synapse',
      `Keep the old public key under old_signing_keys in homeserver.yaml: old_signing_keys: {"ed25519:<old version>": {key: "<old public key>", expired_ts: <now in ms>}}`,
      `generate_signing_key -o ${signingKeyPath}   # ships with Synapse (python -m synapse._scripts.generate_signing_key)`,
      `chown matrix-synapse: ${signingKeyPath} && chmod 600 ${signingKeyPath}`,
      'systemctl start matrix-synapse',
      `curl -sS --resolve ${netloc(a.host, a.port)}:${a.address} ${keysUrl}`,
    ],
    edits: [],
  });
  const keysFinding = unroutedFinding('MXD-FED-012', '/_matrix/key/v2/server', k.url, kEvidence);
  if (k.status === undefined) {
    out.push(keysFinding('failed', { reason: `${k.error?.code}: ${k.error?.message}` }));
    return out;
  }
  if (k.status !== 200) {
    out.push(keysFinding('status', { status: k.status }));
    return out;
  }
  if (k.parseError !== undefined) {
    out.push(keysFinding('notJson', { detail: k.parseError }));
    return out;
  }
  if (k.shapeErrors.length) {
    out.push({
      code: 'MXD-FED-012',
      messageId: 'shape',
      data: { ...kData, problems: k.shapeErrors.join('; ') },
      location: { url: k.url },
      evidence: kEvidence,
      fix: {
        summaryId: 'shape',
        steps: routeFix('/_matrix/key/v2/server').steps,
        edits: [],
      },
    });
  }
  if (k.serverName !== undefined && k.serverName !== d.serverName) {
    out.push({
      code: 'MXD-FED-013',
      messageId: 'mismatch',
      data: { ...kData, got: k.serverName, expected: d.serverName },
      location: { url: k.url },
      evidence: kEvidence,
      fix: {
        summaryId: 'mismatch',
        summaryData: { serverName: d.serverName },
        steps: [
          `grep -n '^server_name' /etc/matrix-synapse/homeserver.yaml /etc/matrix-synapse/conf.d/*.yaml   # must say "${d.serverName}"`,
          `curl -sS https://${netloc(d.hostname)}/.well-known/matrix/server`,
          'server_name cannot be changed once users and rooms exist: fix the routing, not server_name.',
        ],
        edits: [],
      },
    });
  }
  if (k.validUntilTs !== undefined) {
    const left = k.validUntilTs - checkedAt;
    if (left <= 0) {
      out.push({
        code: 'MXD-FED-014',
        messageId: 'expired',
        data: { address: a.address, validUntil: new Date(k.validUntilTs).toISOString() },
        location: { url: k.url },
        evidence: kEvidence,
        fix: {
          summaryId: 'expired',
          steps: [
            'timedatectl status   # on the Synapse host: NTP synchronized: yes',
            'nginx: no proxy_cache for /_matrix/key',
            'key_refresh_interval: 1d   # homeserver.yaml (the default)',
            'systemctl restart matrix-synapse',
          ],
          edits: [],
        },
      });
    } else if (left < KEY_MIN_VALIDITY_MS) {
      out.push({
        code: 'MXD-FED-014',
        messageId: 'soon',
        severity: 'warning',
        data: { address: a.address, validUntil: new Date(k.validUntilTs).toISOString(), minutes: Math.floor(left / 60_000) },
        location: { url: k.url },
        evidence: kEvidence,
        fix: {
          summaryId: 'soon',
          steps: ['key_refresh_interval: 1d   # homeserver.yaml', 'systemctl restart matrix-synapse'],
          edits: [],
        },
      });
    }
  }
  const ed25519 = k.verifyKeys.filter((vk) => vk.algorithm === 'ed25519');
  if (ed25519.length === 0 && !k.shapeErrors.some((e) => e.startsWith('verify_keys is'))) {
    out.push({
      code: 'MXD-FED-015',
      messageId: 'none',
      data: { address: a.address, keys: k.verifyKeys.map((vk) => vk.keyId).join(', ') || 'none' },
      location: { url: k.url },
      evidence: kEvidence,
      fix: regenerate('none', { path: signingKeyPath }),
    });
  }
  for (const s of k.signatures) {
    if (s.ok) continue;
    const missing = s.reason === 'no-signature';
    out.push({
      code: 'MXD-FED-016',
      messageId: missing ? 'missing' : 'invalid',
      data: missing
        ? { address: a.address, keyId: s.keyId, serverName: k.signedBy ?? d.serverName }
        : { address: a.address, keyId: s.keyId, reason: s.reason ?? 'invalid', detail: s.detail ?? '' },
      location: { url: k.url },
      evidence: kEvidence,
      fix: regenerate('resign', {}, [
        `curl -sS http://localhost:8008/_matrix/key/v2/server   # Synapse directly: compare with ${keysUrl}`,
        'nginx: no sub_filter, no body rewriting and no other backend for /_matrix/key in this server block',
        'systemctl restart matrix-synapse   # if the key file changed while Synapse ran; if that does not help:',
      ]),
    });
  }
  return out;
}
