// well-known: the server name's /.well-known/matrix/{server,client,support} as their readers see them.
// The server file as Synapse reads it (any 200 JSON with a valid m.server, 50 KiB at most, redirects
// followed), the client file as Element in a browser reads it (CORS, base_url, then /versions), the
// support file (MSC1929) noted. Every fix names the nginx location to change, from the user's files.

import { defineCheck } from '../../src/engine/define.js';
import type { FindingDraft, FindingLocation, FixDraft, MessageData } from '../../src/engine/types.js';
import { serverNameMatches, servers } from '../../src/parse/nginx.js';
import type { ClientVersionsArtifact } from '../../src/probes/client-versions.js';
import type { ElementConfigArtifact, HomeserverConfigArtifact, NginxConfigArtifact } from '../../src/probes/config-files.js';
import type { FederationArtifact } from '../../src/probes/federation.js';
import {
  WELL_KNOWN_MAX_BYTES,
  WELL_KNOWN_MAX_REDIRECTS,
  type WellKnownArtifact,
  type WellKnownFetch,
  type WellKnownServerFile,
} from '../../src/probes/well-known.js';
import { canonicalUrl, describeValue, isObject } from '../shared/locate.js';
import { DURATION_UNITS, durationParts, ELEMENT_DISCOVERY_TIMEOUT_MS, synapseCachePeriod } from './facts.js';
import {
  bestClientBaseUrl,
  clientBody,
  elementBaseUrl,
  fileLine,
  homeserverValue,
  hostOf,
  nginxSteps,
  oneLine,
  serverBody,
  suggestedDelegate,
  versionsFailure,
  versionsFor,
  type WellKnownFile,
  type WellKnownServing,
  wellKnownPath,
  wellKnownServing,
} from './fixes.js';

const FALLBACK = 'federation falls back to SRV records and port 8448';

export default defineCheck({
  id: 'well-known',
  title: 'Matrix .well-known files',
  description:
    "Fetches the server name's /.well-known/matrix/server, /client and /support as Synapse and browsers do, and checks status, JSON, m.server, base_url, Content-Type, CORS, redirects, size and that the delegated server and base_url answer.",
  requires: ['wellKnown'],
  uses: ['nginxConfig', 'homeserverConfig', 'elementConfig', 'clientVersions', 'federation'],
  codes: [
    {
      code: 'MXD-WK-001',
      severity: 'warning',
      title: 'Well-known file not found',
      messages: {
        server: `https://{{host}}/.well-known/matrix/server answers 404: other servers do not learn that {{serverName}} delegates federation; ${FALLBACK} on {{host}}.`,
        client:
          'https://{{host}}/.well-known/matrix/client answers 404: clients cannot find the homeserver from a user ID like @alice:{{serverName}}, so users must type the homeserver URL (Element with a default_server_config still works).',
      },
      fixes: {
        server: 'Serve {{path}} from {{host}} with {"m.server": "{{delegate}}"} (or make {{host}}:8448 serve federation itself).',
        client: 'Serve {{path}} from {{host}} with the homeserver URL, the JSON type and the CORS header.',
      },
    },
    {
      code: 'MXD-WK-002',
      severity: 'error',
      title: 'Well-known file could not be fetched',
      messages: {
        serverStatus: `https://{{host}}/.well-known/matrix/server answers HTTP {{status}}: Synapse treats any answer but 200 as invalid, and ${FALLBACK} on {{host}}.`,
        clientStatus:
          'https://{{host}}/.well-known/matrix/client answers HTTP {{status}}: clients stop discovery with an error (Element: "Failed to get autodiscovery configuration from server").',
        serverNetwork: `https://{{host}}/.well-known/matrix/server could not be fetched ({{reason}}): ${FALLBACK} on {{host}}.`,
        clientNetwork:
          'https://{{host}}/.well-known/matrix/client could not be fetched ({{reason}}): clients cannot discover the homeserver of @alice:{{serverName}}.',
      },
      fixes: {
        network: 'Make https://{{host}}/ answer: DNS for {{host}}, nginx listening on 443 with a server block for {{host}}, and a certificate for it.',
        status: 'Make {{path}} answer 200 with the JSON, from a location of its own.',
      },
    },
    {
      code: 'MXD-WK-003',
      severity: 'error',
      title: 'Well-known file is not JSON',
      messages: {
        server: `https://{{host}}/.well-known/matrix/server is not JSON ({{detail}}): Synapse ignores it, and ${FALLBACK} on {{host}}.`,
        client: 'https://{{host}}/.well-known/matrix/client is not JSON ({{detail}}): clients stop discovery ("Invalid JSON").',
      },
      fixes: { validJson: 'Make the body valid JSON: {{body}}.' },
    },
    {
      code: 'MXD-WK-004',
      severity: 'error',
      title: 'Well-known JSON has the wrong shape',
      messages: {
        notObject: 'https://{{host}}/.well-known/matrix/{{file}} is JSON but not an object ({{found}}); it must be a JSON object.',
        noServer: `https://{{host}}/.well-known/matrix/server has no m.server: Synapse ignores the file, and ${FALLBACK} on {{host}}.`,
        noHomeserver:
          'https://{{host}}/.well-known/matrix/client has no m.homeserver.base_url string: clients reject it ("Invalid homeserver discovery response").',
        identityNoBaseUrl:
          'https://{{host}}/.well-known/matrix/client has m.identity_server without a base_url string: clients reject the whole file ("Invalid identity server discovery response").',
      },
      fixes: {
        notObject: 'Make the body a JSON object: {{body}}.',
        noServer: 'Add "m.server": "{{delegate}}".',
        noHomeserver: 'Put the homeserver URL in m.homeserver.base_url: {{body}}.',
        identityNoBaseUrl: 'Remove m.identity_server (or give it a base_url): {{body}}.',
      },
    },
    {
      code: 'MXD-WK-005',
      severity: 'error',
      title: 'm.server is not a valid server name',
      messages: {
        invalid: `m.server {{value}} in https://{{host}}/.well-known/matrix/server is not hostname[:port]: Synapse ignores the file, and ${FALLBACK} on {{host}}.`,
        scheme: "m.server '{{value}}' is a URL; it must be hostname[:port] without a scheme or path, e.g. '{{suggestion}}'.",
      },
      fixes: { hostPort: 'Set "m.server" to hostname:port, e.g. "{{suggestion}}".' },
    },
    {
      code: 'MXD-WK-006',
      severity: 'error',
      title: 'Client well-known base_url is not a usable URL',
      messages: {
        invalid:
          'm.homeserver.base_url \'{{value}}\' in https://{{host}}/.well-known/matrix/client is not an absolute http(s) URL: clients reject it ("Invalid base_url for m.homeserver").',
        identityInvalid:
          'm.identity_server.base_url \'{{value}}\' is not an absolute http(s) URL: clients reject the file ("Invalid base_url for m.identity_server").',
      },
      fixes: {
        invalid: 'Use the full https URL clients reach Synapse at: {{body}}.',
        identityInvalid: 'Use an absolute https URL for m.identity_server.base_url, or remove m.identity_server.',
      },
    },
    {
      code: 'MXD-WK-007',
      severity: 'warning',
      title: 'Well-known file served with the wrong Content-Type',
      messages: {
        server:
          'https://{{host}}/.well-known/matrix/server is served as {{contentType}}, not application/json; servers must parse it as JSON anyway, but tools and caches in between may not.',
        client:
          'https://{{host}}/.well-known/matrix/client is served as {{contentType}}, not the application/json the spec requires; Element reads the body whatever the type, stricter clients may refuse it.',
      },
      fixes: { json: 'Serve {{path}} as application/json.' },
    },
    {
      code: 'MXD-WK-008',
      severity: 'error',
      title: 'Client well-known without CORS header',
      messages: {
        missing:
          'https://{{host}}/.well-known/matrix/client has no Access-Control-Allow-Origin header: the browser does not let Element or any other web client read it, so signing in as @alice:{{serverName}} from the web fails.',
        other:
          "https://{{host}}/.well-known/matrix/client allows only the origin '{{value}}': web clients on any other origin (such as {{origin}}) cannot read it; the spec asks for '*'.",
      },
      fixes: {
        missing: 'Send Access-Control-Allow-Origin: * with the client well-known.',
        other: "Allow every origin: Access-Control-Allow-Origin: * (the file is public; '*' is what the spec asks).",
      },
    },
    {
      code: 'MXD-WK-009',
      severity: 'error',
      title: 'Well-known redirect problem',
      messages: {
        loop: 'https://{{host}}/.well-known/matrix/{{file}} redirects in a loop ({{chain}}); nobody can read it.',
        tooMany: 'https://{{host}}/.well-known/matrix/{{file}} redirects more than {{max}} times ({{chain}}); nobody can read it.',
        toHttp:
          'https://{{host}}/.well-known/matrix/{{file}} redirects to plain http ({{target}}): well-known files must come over https, and browsers block the downgrade.',
        clientRedirect:
          'https://{{host}}/.well-known/matrix/client redirects to {{target}}: clients written before Matrix v1.20 do not follow redirects, and browsers also need CORS headers on every hop. Serve the file directly.',
        serverOtherHost:
          'https://{{host}}/.well-known/matrix/server redirects to {{target}}; Synapse follows redirects (the spec says servers should), so this works, but serving it directly is simpler.',
      },
      fixes: {
        noRedirect: 'Serve {{path}} directly from the server block for {{host}}, without any redirect.',
        toHttp: 'Serve {{path}} over https from {{host}} itself; drop the redirect to http.',
        clientRedirect: 'Serve {{path}} directly from {{host}} (with the CORS header) instead of redirecting.',
        serverOtherHost: 'Optionally serve {{path}} directly from {{host}}.',
      },
    },
    {
      code: 'MXD-WK-010',
      severity: 'error',
      title: 'Well-known file larger than 50 KiB',
      messages: {
        server: `https://{{host}}/.well-known/matrix/server is larger than 50 KiB (Synapse's limit): Synapse refuses it as too large, and ${FALLBACK} on {{host}}.`,
        client: 'https://{{host}}/.well-known/matrix/client is larger than 50 KiB: every client downloads it before login; keep it to the keys clients need.',
      },
      fixes: { smaller: 'Serve only the keys the file needs, far below 50 KiB, e.g. {{body}}.' },
    },
    {
      code: 'MXD-WK-011',
      severity: 'error',
      title: 'Delegated server does not answer',
      messages: {
        unreachable: 'm.server delegates federation to {{target}}, but {{url}} could not be reached ({{reason}}): other servers cannot reach {{serverName}}.',
        notFederation:
          'm.server delegates federation to {{target}}, but {{url}} answers HTTP {{status}} without a server version: nothing there serves the federation API.',
        tls: 'm.server delegates federation to {{target}}, whose certificate is not valid for {{name}} ({{reason}}): other servers refuse the connection.',
      },
      fixes: {
        unreachable: 'Make {{target}} answer federation requests, or point m.server at the host:port that does.',
        tls: 'Serve a certificate for {{host}} from a public CA on {{target}} (federation does not accept self-signed or mismatched certificates).',
        notFederation: 'Route /_matrix on {{target}} to Synapse (its federation listener), or point m.server at the host:port that serves federation.',
      },
    },
    {
      code: 'MXD-WK-012',
      severity: 'error',
      title: 'Client well-known base_url does not answer',
      messages: {
        unreachable:
          'The client well-known sends clients to {{baseUrl}}, but {{url}} could not be reached ({{reason}}); clients report "Homeserver URL does not appear to be a valid Matrix homeserver".',
        notMatrix:
          'The client well-known sends clients to {{baseUrl}}, but {{url}} answers HTTP {{status}} without a versions list; clients report "Homeserver URL does not appear to be a valid Matrix homeserver".',
      },
      fixes: {
        pointElsewhere: 'Point the client well-known at {{better}}, which does answer as a homeserver.',
        reach:
          'Make {{baseUrl}} reach Synapse: DNS, certificate, and nginx routing /_matrix to Synapse (location ~ ^(/_matrix|/_synapse/client) { proxy_pass http://localhost:8008; }).',
      },
    },
    {
      code: 'MXD-WK-013',
      severity: 'info',
      title: 'Support contacts file (MSC1929)',
      messages: {
        present: 'https://{{host}}/.well-known/matrix/support lists {{contacts}} contact(s) (support page: {{supportPage}}).',
        invalid: 'https://{{host}}/.well-known/matrix/support is not a valid support file ({{detail}}); clients ignore it.',
      },
      fixes: { invalid: 'Serve {"contacts": [{"matrix_id": "@admin:{{serverName}}", "role": "m.role.admin"}]} (and/or "support_page": "https://...").' },
    },
    {
      code: 'MXD-WK-014',
      severity: 'error',
      title: 'Well-known served with an invalid TLS certificate',
      messages: {
        invalid:
          'The certificate {{host}} serves for https://{{host}}/.well-known/matrix/{{file}} is not valid ({{reason}}): other servers and browsers refuse to read the file.',
      },
      fixes: { invalid: "Serve a certificate for {{host}} from a public CA (e.g. Let's Encrypt: certbot --nginx -d {{host}}), with the full chain." },
    },
    {
      code: 'MXD-WK-015',
      severity: 'warning',
      title: 'Server well-known cache lifetime',
      messages: {
        noCache:
          'https://{{host}}/.well-known/matrix/server is sent with {{header}}, which asks other servers not to keep it: Synapse keeps it for its minimum of 5 minutes anyway and fetches it again as often as every 4 minutes, holding back the federation request that needs it meanwhile; a server that follows the header to the letter fetches it before every request.',
        long: 'https://{{host}}/.well-known/matrix/server is sent with {{header}}: {{count}} {{@unit}}, more than the 48 hours the specification recommends as the longest a server should keep it. Synapse keeps it 48 hours, servers without that cap as long as asked: a change of m.server (a move, or a mistake to correct) takes that long to reach them.',
        delegationCached:
          "Servers that fetched https://{{host}}/.well-known/matrix/server keep its m.server '{{mServer}}' for up to {{count}} {{@unit}} ({{@basis}}): after you correct m.server, federation from those servers stays broken until their copy expires.",
        failure:
          'Synapse remembers this answer as "no delegation" for up to 66 minutes (1 hour ± 10 %; 2 minutes on servers that had a valid answer from {{host}} recently), whatever its headers say: after you serve a valid file, servers that asked in that time keep falling back to SRV records and port 8448 on {{host}} until then.',
        temporaryFailure:
          'Synapse takes this for a temporary failure: servers that still hold a valid copy of the file keep using it until it expires (at most 48 hours after they fetched it); the others remember the failure for up to 66 minutes (2 minutes if they had a valid answer from {{host}} recently) and fall back to SRV records and port 8448 on {{host}} meanwhile.',
      },
      fixes: {
        lifetime:
          'Let other servers keep {{path}} between 5 minutes and 48 hours, e.g. Cache-Control: max-age=3600 (a change then reaches them within an hour).',
      },
      phrases: {
        ...DURATION_UNITS,
        default: "Synapse's default of 24 hours ± 10 %, as the answer has neither Cache-Control max-age nor Expires",
        asked: 'as its Cache-Control or Expires header asks',
        floor: "Synapse's minimum of 5 minutes, more than the header asks",
        cap: "Synapse's cap of 48 hours, less than the header asks",
      },
    },
    {
      code: 'MXD-WK-016',
      severity: 'warning',
      title: 'Client well-known slower than Element waits',
      messages: {
        client:
          'https://{{host}}/.well-known/matrix/client took {{seconds}} s to answer: Element (matrix-js-sdk) aborts each discovery request after 5 s, so users who sign in as @alice:{{serverName}} get a discovery error instead of the login form.',
      },
      fixes: {
        fast: 'Make {{path}} answer well within 5 s: let nginx return the JSON itself instead of a slow upstream or a rate limit.',
      },
    },
  ],
  run(inputs): FindingDraft[] {
    const wk = inputs.get<WellKnownArtifact>('wellKnown');
    const nginx = inputs.optional<NginxConfigArtifact>('nginxConfig');
    const hs = inputs.optional<HomeserverConfigArtifact>('homeserverConfig');
    const el = inputs.optional<ElementConfigArtifact>('elementConfig');
    const versions = inputs.optional<ClientVersionsArtifact>('clientVersions');
    const { host, serverName } = wk;
    const findings: FindingDraft[] = [];

    const publicBaseurl = homeserverValue(hs, 'public_baseurl')?.value;
    const configuredClientUrls = [typeof publicBaseurl === 'string' ? publicBaseurl : undefined, elementBaseUrl(el)];
    const liveClientUrl = wk.client?.status === 200 && wk.client.baseUrl && canonicalUrl(wk.client.baseUrl) ? wk.client.baseUrl : undefined;
    const goodClientUrl = bestClientBaseUrl([...configuredClientUrls, liveClientUrl], versions);
    const mServerValid = wk.server?.status === 200 && wk.server.delegated && typeof wk.server.mServer === 'string' ? wk.server.mServer : undefined;
    const delegate = suggestedDelegate(host, mServerValid, [...configuredClientUrls, liveClientUrl]);
    const bodyFor = (file: WellKnownFile): unknown =>
      file === 'server'
        ? serverBody(delegate)
        : file === 'client'
          ? clientBody(goodClientUrl ?? `https://matrix.${host}`)
          : { contacts: [{ matrix_id: `@admin:${serverName}`, role: 'm.role.admin' }] };

    const serving = (file: WellKnownFile): WellKnownServing => wellKnownServing(nginx, host, file);
    const loc = (f: WellKnownFetch, s: WellKnownServing): FindingLocation => ({ url: f.url, ...(s.at ?? {}) });
    const fixFor = (file: WellKnownFile, summaryId: string, summaryData: MessageData = {}, directive?: string, body = bodyFor(file)): FixDraft => ({
      summaryId,
      summaryData,
      steps: nginxSteps(serving(file), host, file, { directive, body }),
      edits: [],
    });
    // The nginx location that serves a file, as evidence.
    const servedBy = (f: WellKnownFetch) => {
      const file = f.url.split('/').pop() as WellKnownFile;
      return fileLine(serving(file).at);
    };
    const base = (f: WellKnownFetch) => ({
      url: f.url,
      ...(f.finalUrl !== f.url ? { finalUrl: f.finalUrl } : {}),
      ...(f.status !== undefined ? { status: f.status } : {}),
      ...(f.address ? { address: f.address } : {}),
      ...(f.contentType !== undefined ? { contentType: f.contentType } : {}),
      ...(f.cacheControl !== undefined ? { cacheControl: f.cacheControl } : {}),
      ...(f.expires !== undefined ? { expires: f.expires } : {}),
      ...(f.redirects.length ? { redirects: f.redirects } : {}),
      ...(f.bodyExcerpt ? { body: oneLine(f.bodyExcerpt) } : {}),
      ...(f.error ? { error: f.error } : {}),
      ...(servedBy(f) ? { servedBy: servedBy(f) } : {}),
    });

    /** Findings every file shares: network, redirects, TLS, size, status. Returns false when the body cannot be judged. */
    const transport = (file: WellKnownFile, f: WellKnownFetch): boolean => {
      const sv = serving(file);
      const chain = [f.url, ...f.redirects.map((h) => h.location ?? '')].join(' -> ');
      if (f.error?.code === 'REDIRECT_LOOP' || f.error?.code === 'TOO_MANY_REDIRECTS') {
        findings.push({
          code: 'MXD-WK-009',
          messageId: f.error.code === 'REDIRECT_LOOP' ? 'loop' : 'tooMany',
          data: { host, file, chain, max: WELL_KNOWN_MAX_REDIRECTS },
          location: loc(f, sv),
          evidence: base(f),
          fix: fixFor(file, 'noRedirect', { path: wellKnownPath(file), host }),
        });
        return false;
      }
      if (f.error) {
        if (file === 'support') return false;
        findings.push({
          code: 'MXD-WK-002',
          messageId: file === 'server' ? 'serverNetwork' : 'clientNetwork',
          data: { host, serverName, reason: `${f.error.code}: ${f.error.message}` },
          location: loc(f, sv),
          evidence: base(f),
          fix: {
            summaryId: 'network',
            summaryData: { host },
            steps: [`curl -sv https://${host}${wellKnownPath(file)}`, ...nginxSteps(sv, host, file, { body: bodyFor(file) }).slice(0, 1)],
            edits: [],
          },
        });
        return false;
      }
      const tls = f.tls;
      if (tls && (!tls.authorized || tls.nameError) && !tlsReported.has(f.finalUrl.split('/').slice(0, 3).join('/'))) {
        tlsReported.add(f.finalUrl.split('/').slice(0, 3).join('/'));
        const reason = tls.nameError ?? tls.authorizationError ?? 'not trusted';
        findings.push({
          code: 'MXD-WK-014',
          messageId: 'invalid',
          data: { host: hostOf(f.finalUrl) ?? host, file, reason },
          location: { url: f.finalUrl, ...(sv.serverAt ?? {}) },
          evidence: { url: f.finalUrl, tls },
          fix: {
            summaryId: 'invalid',
            summaryData: { host: hostOf(f.finalUrl) ?? host },
            steps: [
              `ssl_certificate must be the full chain (fullchain.pem) and list ${hostOf(f.finalUrl) ?? host}${sv.serverAt ? ` (server block at ${fileLine(sv.serverAt)})` : ''}`,
              `openssl s_client -connect ${hostOf(f.finalUrl) ?? host}:443 -servername ${hostOf(f.finalUrl) ?? host} </dev/null | openssl x509 -noout -subject -ext subjectAltName -dates`,
            ],
            edits: [],
          },
        });
      }
      const firstHost = hostOf(f.url);
      for (const hop of f.redirects) {
        const target = hop.location ?? '';
        if (target.startsWith('http:')) {
          findings.push({
            code: 'MXD-WK-009',
            messageId: 'toHttp',
            data: { host, file, target },
            location: loc(f, sv),
            evidence: base(f),
            fix: fixFor(file, 'toHttp', { path: wellKnownPath(file), host }),
          });
          break;
        }
      }
      if (f.redirects.length && !f.redirects.some((h) => (h.location ?? '').startsWith('http:'))) {
        const target = f.finalUrl;
        if (file === 'client') {
          findings.push({
            code: 'MXD-WK-009',
            messageId: 'clientRedirect',
            severity: 'warning',
            data: { host, target },
            location: loc(f, sv),
            evidence: base(f),
            fix: fixFor(file, 'clientRedirect', { path: wellKnownPath(file), host }),
          });
        } else if (file === 'server' && hostOf(target) !== firstHost) {
          findings.push({
            code: 'MXD-WK-009',
            messageId: 'serverOtherHost',
            severity: 'info',
            data: { host, target },
            location: loc(f, sv),
            evidence: base(f),
            fix: fixFor(file, 'serverOtherHost', { path: wellKnownPath(file), host }),
          });
        }
      }
      if (f.truncated) {
        if (file !== 'support') {
          findings.push({
            code: 'MXD-WK-010',
            messageId: file,
            ...(file === 'client' ? { severity: 'warning' as const } : {}),
            data: { host },
            location: loc(f, sv),
            evidence: { ...base(f), limitBytes: WELL_KNOWN_MAX_BYTES, bytesRead: f.bodyBytes },
            fix: fixFor(file, 'smaller', { body: JSON.stringify(bodyFor(file)) }),
          });
        }
        return false;
      }
      if (f.status === 404) {
        if (file === 'support') return false;
        findings.push({
          code: 'MXD-WK-001',
          messageId: file,
          data: { host, serverName },
          location: loc(f, sv),
          evidence: base(f),
          fix: fixFor(file, file === 'server' ? 'server' : 'client', { path: wellKnownPath(file), host, ...(file === 'server' ? { delegate } : {}) }),
        });
        return false;
      }
      if (f.status !== 200) {
        if (file === 'support') return false;
        findings.push({
          code: 'MXD-WK-002',
          messageId: file === 'server' ? 'serverStatus' : 'clientStatus',
          data: { host, status: f.status ?? 0 },
          location: loc(f, sv),
          evidence: base(f),
          fix: fixFor(file, 'status', { path: wellKnownPath(file) }),
        });
        return false;
      }
      return true;
    };
    const tlsReported = new Set<string>();

    const contentType = (file: 'server' | 'client', f: WellKnownFetch) => {
      const type = (f.contentType ?? '').split(';')[0].trim().toLowerCase();
      if (type === 'application/json') return;
      findings.push({
        code: 'MXD-WK-007',
        messageId: file,
        data: { host, contentType: f.contentType ? `'${f.contentType}'` : 'no Content-Type' },
        location: loc(f, serving(file)),
        evidence: base(f),
        fix: fixFor(file, 'json', { path: wellKnownPath(file) }, 'default_type application/json;'),
      });
    };

    const notJson = (file: 'server' | 'client', f: WellKnownFetch): boolean => {
      if (f.jsonError === undefined) return false;
      const sv = serving(file);
      findings.push({
        code: 'MXD-WK-003',
        messageId: file,
        data: { host, detail: f.jsonError },
        location: { url: f.url, ...(sv.returnAt ?? sv.at ?? {}) },
        evidence: base(f),
        fix: fixFor(file, 'validJson', { body: JSON.stringify(bodyFor(file)) }),
      });
      return true;
    };

    const notObject = (file: WellKnownFile, f: WellKnownFetch): boolean => {
      if (isObject(f.json)) return false;
      const sv = serving(file);
      findings.push({
        code: 'MXD-WK-004',
        messageId: 'notObject',
        data: { host, file, found: describeValue(f.json) },
        location: { url: f.url, ...(sv.returnAt ?? sv.at ?? {}) },
        evidence: base(f),
        fix: fixFor(file, 'notObject', { body: JSON.stringify(bodyFor(file)) }),
      });
      return true;
    };

    // /.well-known/matrix/server
    const server = wk.server;
    if (server && transport('server', server)) {
      contentType('server', server);
      if (!notJson('server', server) && !notObject('server', server)) judgeServer(server);
    }
    if (server) judgeCaching(server);

    /** How long other servers keep this answer (Synapse's well-known cache), and headers that make it too short or too long. */
    function judgeCaching(f: WellKnownServerFile) {
      const outcome = synapseOutcome(f);
      const at = loc(f, serving('server'));
      if (outcome !== 'answer') {
        findings.push({
          code: 'MXD-WK-015',
          messageId: outcome === 'failure' ? 'failure' : 'temporaryFailure',
          severity: 'info',
          data: { host },
          location: at,
          evidence: { ...base(f), synapseCache: { outcome } },
        });
        return;
      }
      const period = synapseCachePeriod({ cacheControl: f.cacheControl, expires: f.expires, date: f.headers.date });
      if (!period) return;
      const evidence = { ...base(f), synapseCache: { outcome, ...period } };
      const header = period.source === 'expires' ? `Expires: ${f.expires}` : `Cache-Control: ${f.cacheControl}`;
      const d = f.delegation;
      // A delegation that does not work (MXD-WK-011, or an m.server that is not hostname[:port]) is kept all the same.
      const broken =
        !f.delegated ||
        !d ||
        d.error !== undefined ||
        (d.tls !== undefined && (!d.tls.authorized || d.tls.nameError !== undefined)) ||
        d.status !== 200 ||
        !d.server;
      if (broken) {
        findings.push({
          code: 'MXD-WK-015',
          messageId: 'delegationCached',
          severity: 'info',
          data: { host, mServer: String(f.mServer), ...durationParts(period.seconds), basis: period.basis },
          location: at,
          evidence,
        });
        return;
      }
      const lifetimeFix = fixFor('server', 'lifetime', { path: wellKnownPath('server') }, 'add_header Cache-Control max-age=3600;');
      if (period.basis === 'floor') {
        findings.push({ code: 'MXD-WK-015', messageId: 'noCache', data: { host, header }, location: at, evidence, fix: lifetimeFix });
      } else if (period.basis === 'cap') {
        findings.push({
          code: 'MXD-WK-015',
          messageId: 'long',
          data: { host, header, ...durationParts(period.askedSeconds as number) },
          location: at,
          evidence,
          fix: lifetimeFix,
        });
      }
    }

    function judgeServer(f: WellKnownServerFile) {
      const sv = serving('server');
      const at = { url: f.url, ...(sv.returnAt ?? sv.at ?? {}) };
      if (f.mServer === undefined) {
        findings.push({
          code: 'MXD-WK-004',
          messageId: 'noServer',
          data: { host },
          location: at,
          evidence: base(f),
          fix: fixFor('server', 'noServer', { delegate }),
        });
        return;
      }
      if (!f.delegated) {
        const value = f.mServer;
        const asUrl = typeof value === 'string' && /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : undefined;
        let suggestion = delegate;
        if (asUrl) {
          try {
            const u = new URL(asUrl);
            suggestion = `${u.hostname}:${u.port || (u.protocol === 'http:' ? 80 : 443)}`;
          } catch {
            // keep the default suggestion
          }
        }
        findings.push({
          code: 'MXD-WK-005',
          messageId: asUrl ? 'scheme' : 'invalid',
          data: { host, value: asUrl ?? JSON.stringify(value), suggestion },
          location: at,
          evidence: { ...base(f), 'm.server': value as string },
          fix: fixFor('server', 'hostPort', { suggestion }),
        });
        return;
      }
      const d = f.delegation;
      if (!d) return;
      // The federation check probes every address of the delegation in detail (MXD-FED-006..016);
      // repeating the same dead target here would report one problem twice.
      if (inputs.runs('federation') && inputs.optional<FederationArtifact>('federation')?.addresses.length) return;
      const target = `${d.host.includes(':') ? `[${d.host}]` : d.host}:${d.port}`;
      const delegatedServing = nginx ? wellKnownServing(nginx, d.host, 'server') : {};
      const evidence = {
        'm.server': f.mServer as string,
        delegation: { url: d.url, port: d.port, portFrom: d.portFrom, ...(d.srv ? { srv: d.srv } : {}) },
        ...(d.status !== undefined ? { status: d.status } : {}),
        ...(d.error ? { error: d.error } : {}),
        ...(d.address ? { address: d.address } : {}),
        ...(d.bodyExcerpt ? { body: oneLine(d.bodyExcerpt) } : {}),
        ...(d.serverHeader ? { serverHeader: d.serverHeader } : {}),
      };
      const listenSteps = (): string[] => {
        const srv = delegatedServing.serverAt;
        const ports = nginx ? portsOf(nginx, d.host) : [];
        const steps: string[] = [];
        if (srv) {
          steps.push(
            `nginx's server block for ${d.host} (${fileLine(srv)}) listens on ${ports.join(', ') || 'no port'}: add \`listen ${d.port} ssl;\` there (and open the port in the firewall), or change m.server to ${d.host}:${ports.includes(443) ? 443 : (ports[0] ?? 443)}`,
          );
        } else {
          steps.push(
            `Make ${target} serve /_matrix/federation (nginx: listen ${d.port} ssl; server_name ${d.host}; location /_matrix { proxy_pass http://localhost:8008; })`,
          );
        }
        steps.push(`curl -sv ${d.url}`);
        return steps;
      };
      if (d.error) {
        findings.push({
          code: 'MXD-WK-011',
          messageId: 'unreachable',
          data: { target, url: d.url, reason: `${d.error.code}: ${d.error.message}`, serverName },
          location: { url: d.url },
          evidence,
          fix: { summaryId: 'unreachable', summaryData: { target }, steps: listenSteps(), edits: [] },
        });
        return;
      }
      if (d.tls && (!d.tls.authorized || d.tls.nameError)) {
        findings.push({
          code: 'MXD-WK-011',
          messageId: 'tls',
          data: { target, name: d.host, reason: d.tls.nameError ?? d.tls.authorizationError ?? 'not trusted' },
          location: { url: d.url },
          evidence: { ...evidence, tls: d.tls },
          fix: {
            summaryId: 'tls',
            summaryData: { host: d.host, target },
            steps: [`openssl s_client -connect ${target} -servername ${d.host} </dev/null | openssl x509 -noout -subject -ext subjectAltName -dates`],
            edits: [],
          },
        });
      }
      if (d.status !== 200 || !d.server) {
        findings.push({
          code: 'MXD-WK-011',
          messageId: 'notFederation',
          data: { target, url: d.url, status: d.status ?? 0 },
          location: { url: d.url },
          evidence,
          fix: {
            summaryId: 'notFederation',
            summaryData: { target },
            steps: [
              `location ~ ^(/_matrix|/_synapse/client) { proxy_pass http://localhost:8008; proxy_set_header Host $host; proxy_set_header X-Forwarded-For $remote_addr; proxy_set_header X-Forwarded-Proto $scheme; }   # in the server block for ${d.host}${delegatedServing.serverAt ? ` (${fileLine(delegatedServing.serverAt)})` : ''}`,
              `curl -sv ${d.url}`,
            ],
            edits: [],
          },
        });
      }
    }

    // /.well-known/matrix/client
    const client = wk.client;
    // Element aborts the request after 5 s (matrix-js-sdk): an answer this run still waited for is one it never sees.
    if (client?.ok && !client.error && client.durationMs > ELEMENT_DISCOVERY_TIMEOUT_MS) {
      findings.push({
        code: 'MXD-WK-016',
        messageId: 'client',
        data: { host, serverName, seconds: Math.round(client.durationMs / 100) / 10 },
        location: loc(client, serving('client')),
        evidence: { ...base(client), durationMs: client.durationMs, elementTimeoutMs: ELEMENT_DISCOVERY_TIMEOUT_MS },
        fix: fixFor('client', 'fast', { path: wellKnownPath('client') }),
      });
    }
    if (client && transport('client', client)) {
      const sv = serving('client');
      const acao = client.accessControlAllowOrigin?.trim();
      if (!acao) {
        findings.push({
          code: 'MXD-WK-008',
          messageId: 'missing',
          data: { host, serverName },
          location: loc(client, sv),
          evidence: { ...base(client), origin: client.origin, headers: client.headers },
          fix: fixFor('client', 'missing', {}, 'add_header Access-Control-Allow-Origin *;'),
        });
      } else if (acao !== '*' && acao !== client.origin) {
        findings.push({
          code: 'MXD-WK-008',
          messageId: 'other',
          severity: 'warning',
          data: { host, value: acao, origin: client.origin },
          location: loc(client, sv),
          evidence: { ...base(client), origin: client.origin, accessControlAllowOrigin: acao },
          fix: fixFor('client', 'other', {}, 'add_header Access-Control-Allow-Origin *;'),
        });
      }
      contentType('client', client);
      if (!notJson('client', client) && !notObject('client', client)) judgeClient(client);
    }

    function judgeClient(f: NonNullable<WellKnownArtifact['client']>) {
      const sv = serving('client');
      const at = { url: f.url, ...(sv.returnAt ?? sv.at ?? {}) };
      const json = f.json as Record<string, unknown>;
      const hsBlock = json['m.homeserver'];
      const rawBase = isObject(hsBlock) ? hsBlock.base_url : undefined;
      if (typeof rawBase !== 'string') {
        findings.push({
          code: 'MXD-WK-004',
          messageId: 'noHomeserver',
          data: { host },
          location: at,
          evidence: base(f),
          fix: fixFor('client', 'noHomeserver', { body: JSON.stringify(bodyFor('client')) }),
        });
        return;
      }
      if (!canonicalUrl(rawBase)) {
        findings.push({
          code: 'MXD-WK-006',
          messageId: 'invalid',
          data: { host, value: rawBase },
          location: at,
          evidence: { ...base(f), base_url: rawBase },
          fix: fixFor('client', 'invalid', { body: JSON.stringify(bodyFor('client')) }),
        });
        return;
      }
      if (Object.hasOwn(json, 'm.identity_server')) {
        const is = json['m.identity_server'];
        const isBase = isObject(is) ? is.base_url : undefined;
        const fixed = { ...json };
        delete fixed['m.identity_server'];
        if (typeof isBase !== 'string') {
          findings.push({
            code: 'MXD-WK-004',
            messageId: 'identityNoBaseUrl',
            data: { host },
            location: at,
            evidence: base(f),
            fix: fixFor('client', 'identityNoBaseUrl', { body: JSON.stringify(fixed) }, undefined, fixed),
          });
        } else if (!canonicalUrl(isBase)) {
          findings.push({
            code: 'MXD-WK-006',
            messageId: 'identityInvalid',
            data: { value: isBase },
            location: at,
            evidence: { ...base(f), identity_server: isBase },
            fix: fixFor('client', 'identityInvalid', {}, undefined, fixed),
          });
        }
      }
      // Does the base_url answer /versions (the clientVersions probe asked it, source "well-known")?
      const live = versionsFor(versions, rawBase, 'well-known');
      if (live && !live.versions) {
        const answered = bestClientBaseUrl([...configuredClientUrls], versions);
        const better = answered && versionsFor(versions, answered)?.versions && canonicalUrl(answered) !== canonicalUrl(rawBase) ? answered : undefined;
        const failure = versionsFailure(live, better);
        findings.push({
          code: 'MXD-WK-012',
          messageId: failure.messageId,
          data: { baseUrl: rawBase, ...failure.data },
          location: { url: live.url },
          evidence: failure.evidence,
          fix: better
            ? {
                summaryId: 'pointElsewhere',
                summaryData: { better },
                steps: nginxSteps(sv, host, 'client', { body: clientBody(better) }),
                edits: [],
              }
            : {
                summaryId: 'reach',
                summaryData: { baseUrl: rawBase },
                steps: [`curl -sv ${live.url}`],
                edits: [],
              },
        });
      }
    }

    // /.well-known/matrix/support (MSC1929): only noted.
    const support = wk.support;
    if (support && transport('support', support) && support.status === 200) {
      const problem = supportProblem(support);
      const sv = serving('support');
      if (problem) {
        findings.push({
          code: 'MXD-WK-013',
          messageId: 'invalid',
          severity: 'warning',
          data: { host, detail: problem },
          location: loc(support, sv),
          evidence: base(support),
          fix: fixFor('support', 'invalid', { serverName }),
        });
      } else {
        const json = support.json as { contacts?: unknown[]; support_page?: string };
        findings.push({
          code: 'MXD-WK-013',
          messageId: 'present',
          data: { host, contacts: json.contacts?.length ?? 0, supportPage: json.support_page ?? '-' },
          location: { url: support.url },
          evidence: { url: support.url, json: support.json as Record<string, unknown> },
        });
      }
    }
    return findings;
  },
});

/**
 * How Synapse files a /.well-known/matrix/server answer (well_known_resolver.py): an `answer` it keeps for
 * the period its headers ask; a permanent `failure` (non-200 other than 5xx, not UTF-8 JSON, no m.server
 * string) or a `temporary` one (no connection, a certificate federation refuses, a 5xx, a body over 50 KiB),
 * both remembered for an hour whatever the headers.
 */
export function synapseOutcome(f: WellKnownServerFile): 'answer' | 'failure' | 'temporary' {
  if (f.error || f.truncated) return 'temporary';
  if (f.tls && (!f.tls.authorized || f.tls.nameError)) return 'temporary';
  if (f.status !== undefined && f.status >= 500 && f.status < 600) return 'temporary';
  if (f.status !== 200 || f.jsonError !== undefined) return 'failure';
  // m.server.encode("ascii"): a string, of ASCII only.
  return typeof f.mServer === 'string' && /^[\x00-\x7f]*$/.test(f.mServer) ? 'answer' : 'failure';
}

/** What is wrong with a support file (MSC1929), or undefined when it is well-formed. */
export function supportProblem(f: WellKnownFetch): string | undefined {
  if (f.jsonError !== undefined) return `not JSON: ${f.jsonError}`;
  const json = f.json;
  if (!isObject(json)) return `not a JSON object (${describeValue(json)})`;
  const { contacts, support_page: page } = json;
  if (contacts === undefined && page === undefined) return 'neither contacts nor support_page';
  if (page !== undefined && (typeof page !== 'string' || !canonicalUrl(page))) return 'support_page is not an http(s) URL';
  if (contacts !== undefined) {
    if (!Array.isArray(contacts)) return 'contacts is not a list';
    for (const [i, c] of contacts.entries()) {
      if (!isObject(c)) return `contacts[${i}] is not an object`;
      if (typeof c.role !== 'string') return `contacts[${i}] has no role`;
      if (typeof c.matrix_id !== 'string' && typeof c.email_address !== 'string') return `contacts[${i}] has neither matrix_id nor email_address`;
      if (typeof c.matrix_id === 'string' && !/^@[^:]+:.+$/.test(c.matrix_id)) return `contacts[${i}].matrix_id '${c.matrix_id}' is not a user ID`;
    }
  }
  return undefined;
}

/** The ports nginx's server blocks for a host listen on. */
function portsOf(nginx: NginxConfigArtifact, host: string): number[] {
  const ports = new Set<number>();
  for (const srv of servers(nginx.files.map((f) => f.parsed))) {
    if (srv.names.some((n) => serverNameMatches(n, host))) for (const l of srv.listen) ports.add(l.port);
  }
  return [...ports].sort((a, b) => a - b);
}
