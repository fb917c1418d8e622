// reverse-proxy: nginx's configuration files judged against homeserver.yaml, offline. Which server blocks
// carry Matrix traffic to Synapse (their proxy_pass targets one of Synapse's HTTP listeners), and whether
// they pass it the way Synapse needs: no path after the port, large enough bodies, the forwarding headers,
// every Matrix path, the federation port and the well-known delegation, and the admin API kept private.

import { defineCheck } from '../../src/engine/define.js';
import type { Edit, FindingDraft, FindingLocation, Severity } from '../../src/engine/types.js';
import { child, matchLocation, type NginxDirective, type NginxServer } from '../../src/parse/nginx.js';
import type { HomeserverConfigArtifact, NginxConfigArtifact } from '../../src/probes/config-files.js';
import { synapseTop } from '../../src/probes/database.js';
import type { FederationArtifact } from '../../src/probes/federation.js';
import type { TargetArtifact } from '../../src/probes/target.js';
import type { WellKnownArtifact } from '../../src/probes/well-known.js';
import { isObject, locate, where } from '../shared/locate.js';
import { nginxEdits } from '../shared/nginx-edits.js';
import { type ServedPath, servedAt } from '../shared/nginx-wellknown.js';
import {
  describeListener,
  describeLocation,
  hostOf,
  isLoopback,
  isMatrixSpecific,
  isRegexLocation,
  listensOn,
  locationPrefix,
  NginxModel,
  nginxBytes,
  nginxSizeFor,
  type ProxyPass,
  parseProxyPass,
  render,
  type SynapseListener,
  synapseBytes,
  synapseListeners,
  type TargetKind,
  unresolvedIncludes,
} from './model.js';
import {
  ACCESS_DIRECTIVES,
  ADMIN_PATH,
  CLIENT_PATHS,
  FEDERATION_DEFAULT_PORT,
  FEDERATION_PATHS,
  FORWARD_HEADERS,
  MATRIX_PATHS,
  NGINX_DEFAULT_BODY_SIZE,
  SPOOFABLE_XFF,
  SYNAPSE_CLIENT_PATH,
  SYNAPSE_DEFAULT_UPLOAD_SIZE,
  UPLOAD_PATH,
  WILDCARD_ADDRESSES,
} from './proxy-facts.js';

/** A location that proxies somewhere. */
interface ProxyLocation {
  server: NginxServer;
  location: NginxDirective;
  proxy: NginxDirective;
  pass?: ProxyPass;
  target: TargetKind;
  /** Written for Matrix paths, not a catch-all. */
  specific: boolean;
}

const RELOAD = 'nginx -t && systemctl reload nginx';

const pos = (d: NginxDirective): FindingLocation => ({ file: d.file, line: d.line, column: d.column });
const at = (d: NginxDirective) => where(pos(d));
const directives = (block: NginxDirective[] | undefined, name: string) => (block ?? []).filter((d) => d.name === name);
const indentOf = (d: NginxDirective) => ' '.repeat(Math.max(d.column - 1, 0));
const headerNamed = (list: NginxDirective[], name: string) => list.find((d) => d.args[0]?.toLowerCase() === name.toLowerCase());

/** The server name split into host and explicit port (IPv6 literals keep their brackets off). */
function splitServerName(name: string): { host: string; port?: number } | undefined {
  const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(name);
  if (!m) return undefined;
  return { host: m[1].replace(/^\[|\]$/g, ''), port: m[2] ? Number(m[2]) : undefined };
}

const isIpLiteral = (host: string) => /^\d+\.\d+\.\d+\.\d+$/.test(host) || host.includes(':');

/** proxy_pass target for a Synapse listener: localhost when it listens on loopback or everywhere. */
function listenerBase(l: SynapseListener | undefined): string {
  if (!l) return 'http://localhost:8008';
  if (l.path) return `http://unix:${l.path}:`;
  const bind = l.binds.find((b) => !isLoopback(b) && !WILDCARD_ADDRESSES.has(b));
  return `http://${bind && !l.binds.some((b) => isLoopback(b) || WILDCARD_ADDRESSES.has(b)) ? (bind.includes(':') ? `[${bind}]` : bind) : 'localhost'}:${l.port}`;
}

/** Does a listen line accept connections from other machines? */
function publicListen(raw: string): boolean {
  const addr = raw.split(/\s+/)[0] ?? '';
  if (/^unix:/i.test(addr)) return false;
  if (/^\d+$/.test(addr)) return true;
  return !isLoopback(addr.replace(/:\d+$/, ''));
}

export default defineCheck({
  id: 'reverse-proxy',
  title: 'nginx in front of Synapse',
  description:
    "Reads nginx's configuration files and checks that Matrix traffic reaches Synapse as Synapse's reverse-proxy guide requires: no path after the port, " +
    'upload size, forwarding headers, every Matrix path, the federation port, the well-known delegation and a private admin API.',
  requires: ['nginxConfig'],
  uses: ['homeserverConfig', 'target', 'wellKnown', 'federation'],
  codes: [
    {
      code: 'MXD-RP-001',
      severity: 'error',
      title: 'proxy_pass adds a path after the port',
      messages: {
        uri: "proxy_pass {{value}} has a path ({{uri}}) after the address; nginx then rewrites and normalises the request URI (decoding %xx escapes) before Synapse sees it, so federation requests fail their signature checks. Synapse's docs: do not add a path, not even a single /, after the port.",
        regex:
          'proxy_pass {{value}} has a path ({{uri}}) inside a regular-expression location; nginx refuses the whole configuration ("proxy_pass" cannot have URI part in location given by regular expression), and Synapse needs no path after the port anyway.',
      },
      fixes: {
        noPath: 'Write proxy_pass {{base}} with nothing after the port, so nginx passes the request URI to Synapse untouched.',
      },
    },
    {
      code: 'MXD-RP-002',
      severity: 'warning',
      title: 'client_max_body_size is smaller than max_upload_size',
      messages: {
        smaller:
          "client_max_body_size {{nginxSize}} applies to uploads on {{host}} ({{path}}), smaller than Synapse's max_upload_size {{synapseSize}}; nginx rejects larger files with 413 Request Entity Too Large before Synapse sees them.",
        nginxDefault:
          "No client_max_body_size applies to uploads on {{host}} ({{path}}), so nginx's default of 1m is in force, far below Synapse's max_upload_size {{synapseSize}}; files over 1 MB fail with 413 Request Entity Too Large.",
      },
      fixes: {
        raise: "Raise client_max_body_size for Synapse's location to {{size}}, Synapse's max_upload_size.",
      },
    },
    {
      code: 'MXD-RP-003',
      severity: 'warning',
      title: 'Forwarding headers not passed to Synapse',
      messages: {
        missingXff:
          "This location proxies Matrix traffic for {{host}} to Synapse without proxy_set_header X-Forwarded-For; Synapse sees every client as nginx's own address, so IP rate limits (logins, registration) are shared by all users and logs show no client addresses.",
        missingProto:
          'This location proxies Matrix traffic for {{host}} to Synapse without proxy_set_header X-Forwarded-Proto; Synapse cannot tell that clients used https (it assumes https when only X-Forwarded-For is sent).',
        missingHost:
          "This location proxies Matrix traffic for {{host}} to Synapse without proxy_set_header Host, so nginx sends the upstream's address ({{upstreamHost}}) instead of the name clients used; Synapse's docs set Host $host.",
        dropped:
          'This location has its own proxy_set_header lines, so nginx ignores every proxy_set_header of the {{level}} block, including {{header}} at {{hiddenAt}}; Synapse does not receive {{header}}.',
      },
      fixes: {
        add: 'Add {{line}} to {{location}}.',
        repeat: 'Repeat {{directive}} inside {{location}}: a location with any proxy_set_header of its own inherits none from the {{level}} block.',
      },
    },
    {
      code: 'MXD-RP-004',
      severity: 'warning',
      title: 'X-Forwarded-For can be spoofed by clients',
      messages: {
        appended:
          'X-Forwarded-For is set to $proxy_add_x_forwarded_for, which keeps the X-Forwarded-For header the client sent and appends its address; no listener trusts it yet, but as soon as Synapse gets x_forwarded: true (the fix for a shared rate-limit bucket) it takes the left-most value, so any client could choose the IP address Synapse records and evade IP rate limits.',
      },
      fixes: {
        remoteAddr:
          'Send only the address nginx saw: proxy_set_header X-Forwarded-For $remote_addr (behind a CDN, first restore the client address with the real_ip module).',
      },
    },
    {
      code: 'MXD-RP-005',
      severity: 'error',
      title: 'Matrix paths not proxied to Synapse',
      messages: {
        matrix: 'In the server block for {{host}}, {{paths}} is not proxied to Synapse; Matrix clients get errors for those requests.',
        synapseClient:
          'In the server block for {{host}}, /_synapse/client is not proxied to Synapse; the pages Synapse serves there (single sign-on, password reset and e-mail validation links) fail.',
        noProxy: "No nginx server block proxies /_matrix to Synapse's HTTP listener ({{listeners}}); Synapse is not reachable through this nginx.",
        wrongTarget:
          "Matrix traffic is proxied to {{target}}, but Synapse's HTTP listeners in homeserver.yaml are {{listeners}}; nginx answers 502 Bad Gateway.",
      },
      fixes: {
        proxyPath: 'Proxy {{path}} to Synapse in the server block for {{host}}.',
        proxyPaths: 'Proxy {{paths}} and {{last}} to Synapse in the server block for {{host}}.',
        proxySynapseClient: 'Proxy /_synapse/client to Synapse in the server block for {{host}}.',
        pointAtListener: "Point proxy_pass at Synapse's HTTP listener (or change the listener in homeserver.yaml if nginx is right).",
        addServerBlock:
          'Add a server block for the host clients use (public_baseurl) that proxies Matrix traffic to Synapse, or give matrixdoc the nginx file that does.',
      },
    },
    {
      code: 'MXD-RP-006',
      severity: 'error',
      title: 'Federation port not served',
      messages: {
        port8448:
          'Other servers connect to {{host}}:8448 for {{serverName}} (no /.well-known/matrix/server delegates elsewhere), but no nginx server block listens on 8448 and proxies /_matrix/federation to Synapse; federation with {{serverName}} fails.',
        explicitPort:
          'server_name {{serverName}} names port {{port}}, so other servers connect to {{host}}:{{port}}, but no nginx server block listening on {{port}} proxies /_matrix/federation to Synapse; federation fails.',
        delegated:
          'https://{{serverName}}/.well-known/matrix/server sends other servers to {{target}}, but no nginx server block listening on port {{port}} for {{host}} proxies /_matrix/federation to Synapse; federation with {{serverName}} fails.',
      },
      fixes: {
        listenTls: 'Make nginx listen on {{port}} with TLS for {{host}} and proxy /_matrix to Synapse there.',
        listen8448: 'Listen on 8448 with TLS in the server block for {{host}}, or delegate federation to {{host}}:443 with a /.well-known/matrix/server.',
        delegate443: 'Delegate to {{host}}:443, where nginx already proxies federation to Synapse (or listen on {{port}} for {{host}}).',
        listenOrDelegate: 'Make nginx listen on {{port}} for {{host}} and proxy /_matrix to Synapse there, or delegate to a host:port that does.',
      },
    },
    {
      code: 'MXD-RP-007',
      severity: 'error',
      title: 'Well-known delegation not served',
      messages: {
        server:
          'The server block for {{serverName}} does not answer /.well-known/matrix/server, and nothing serves federation on {{serverName}}:8448; other servers cannot find Synapse at {{matrixHost}} (unless an SRV record points there) and federation fails.',
        client:
          'The server block for {{serverName}} does not answer /.well-known/matrix/client; clients that sign in as @user:{{serverName}} cannot discover the homeserver at {{baseUrl}}.',
        synapseDisabled:
          '/.well-known/matrix/{{kind}} on {{serverName}} is proxied to Synapse, but Synapse answers it with 404 because {{setting}} is not set.',
        noServerBlock:
          'No nginx server block has server_name {{serverName}} on port 443; its /.well-known/matrix/server and /.well-known/matrix/client (delegating to {{matrixHost}}) must be served by whatever answers https://{{serverName}}/, which this offline check cannot see.',
      },
      fixes: {
        serveServer: 'Serve /.well-known/matrix/server on {{host}}, delegating federation to {{delegateTo}}.',
        serveClient: 'Serve /.well-known/matrix/client on {{host}}, pointing clients at {{baseUrl}}.',
        serveServerWellknown:
          'Set serve_server_wellknown: true in homeserver.yaml (Synapse then answers {"m.server": "<server_name>:443"}), or serve the file from nginx.',
        publicBaseurl: 'Set public_baseurl: "{{baseUrl}}/" in homeserver.yaml (Synapse then serves the client well-known), or serve the file from nginx.',
        elsewhere: 'Whatever serves https://{{host}}/ must answer both well-known files, delegating to {{matrixHost}}.',
      },
    },
    {
      code: 'MXD-RP-008',
      severity: 'info',
      title: 'Admin API exposed publicly',
      messages: {
        exposed:
          "/_synapse/admin is proxied to Synapse on {{host}} with no allow/deny or authentication in nginx; Synapse's docs do not recommend exposing the admin API to the internet without good reason.",
      },
      fixes: {
        restrict: 'Remove /_synapse/admin from the public location, or allow it only from your admin network.',
      },
    },
  ],
  run(inputs): FindingDraft[] {
    const nginx = inputs.get<NginxConfigArtifact>('nginxConfig');
    const hsArtifact = inputs.optional<HomeserverConfigArtifact>('homeserverConfig');
    const hs = hsArtifact ? synapseTop(hsArtifact) : undefined;
    const listeners = synapseListeners(hs?.top);
    const model = new NginxModel(nginx, listeners);
    const findings: FindingDraft[] = [];
    const sha = (file: string) => model.sha(file);
    const insertAfter = (d: NginxDirective, line: string): Edit => ({
      kind: 'text',
      file: d.file,
      start: d.end,
      end: d.end,
      text: `\n${indentOf(d)}${line}`,
      expectSha256: sha(d.file),
    });
    const replace = (d: NginxDirective, text: string): Edit => ({ kind: 'text', file: d.file, start: d.start, end: d.end, text, expectSha256: sha(d.file) });

    // nginx fixes are declarative where they can be (nginx-set), else text edits: see checks/shared/nginx-edits.ts.
    const { setDirective } = nginxEdits(nginx);

    // Every location that proxies, and which of them carry Matrix traffic to Synapse.
    // Server blocks that listen on loopback only (local admin tools) are not what clients and servers reach.
    const publicServers = model.all.filter((s) => s.listen.length === 0 || s.listen.some((l) => publicListen(l.raw)));
    const proxies: ProxyLocation[] = [];
    for (const server of publicServers) {
      for (const location of directives(server.directive.block, 'location')) {
        const proxy = child(location.block, 'proxy_pass');
        if (!location.block || !proxy) continue;
        const pass = parseProxyPass(proxy.args[0] ?? '');
        proxies.push({ server, location, proxy, pass, target: model.classify(pass), specific: isMatrixSpecific(location) });
      }
    }
    const byLocation = new Map(proxies.map((p) => [p.location, p]));
    const selectedForMatrix = (p: ProxyLocation) => MATRIX_PATHS.some((path) => matchLocation(p.server.directive, path) === p.location);
    const matrixLocations = proxies.filter((p) => (p.target === 'synapse' && (p.specific || selectedForMatrix(p))) || (p.target === 'unknown' && p.specific));
    const isMatrix = new Set(matrixLocations.map((p) => p.location));
    const route = (server: NginxServer, path: string) => {
      const location = matchLocation(server.directive, path);
      return location ? byLocation.get(location) : undefined;
    };
    const toSynapse = (server: NginxServer, path: string) => {
      const r = route(server, path);
      return r !== undefined && isMatrix.has(r.location);
    };
    /** Proxied somewhere plausible: Synapse, an unknown target, or another Matrix service on a Matrix-only location. */
    const proxied = (server: NginxServer, path: string) => {
      const r = route(server, path);
      return r !== undefined && (r.target !== 'other' || r.specific);
    };
    const matrixBlocks = [...new Set(matrixLocations.map((p) => p.server))];
    const federationOnly = (s: NginxServer) => s.listen.length > 0 && s.listen.every((l) => l.port === FEDERATION_DEFAULT_PORT);
    const clientBlocks = matrixBlocks.filter((s) => !federationOnly(s) && [...CLIENT_PATHS, SYNAPSE_CLIENT_PATH].some((p) => toSynapse(s, p.path)));

    // What to write in fixes: the user's own upstream and upload size.
    const synapseBase =
      matrixLocations.find((p) => p.target === 'synapse' && p.pass)?.pass?.base.replace(/\/+$/, '') ??
      matrixLocations.find((p) => p.pass)?.pass?.base.replace(/\/+$/, '') ??
      listenerBase(listeners?.[0]);
    const maxUpload = hs?.top.max_upload_size ?? SYNAPSE_DEFAULT_UPLOAD_SIZE;
    const maxUploadBytes = synapseBytes(maxUpload);
    const bodySize = maxUploadBytes ? nginxSizeFor(maxUploadBytes) : '50M';
    const proxyLines = (indent: string) =>
      [
        `proxy_pass ${synapseBase};`,
        'proxy_set_header X-Forwarded-For $remote_addr;',
        'proxy_set_header X-Forwarded-Proto $scheme;',
        'proxy_set_header Host $host;',
        `client_max_body_size ${bodySize};`,
        'proxy_http_version 1.1;',
      ]
        .map((l) => `${indent}${l}`)
        .join('\n');
    const matrixSnippet = `location ~ ^(/_matrix|/_synapse/client) {\n${proxyLines('    ')}\n}`;

    // MXD-RP-001: a path after host:port.
    for (const p of matrixLocations) {
      const pass = p.pass;
      if (!pass?.uri.startsWith('/')) continue;
      const regex = isRegexLocation(p.location);
      const prefix = locationPrefix(p.location);
      const safe = (prefix !== undefined && pass.uri === prefix) || (regex && pass.uri === '/');
      const fixed = render('proxy_pass', [pass.base]);
      findings.push({
        code: 'MXD-RP-001',
        messageId: regex && !pass.variables ? 'regex' : 'uri',
        data: { where: at(p.proxy), value: pass.raw, uri: pass.uri },
        location: pos(p.proxy),
        evidence: { proxy_pass: pass.raw, uri: pass.uri, location: describeLocation(p.location), server: hostOf(p.server) },
        fix: {
          summaryId: 'noPath',
          summaryData: { base: pass.base },
          steps: [
            `In ${at(p.proxy)}: ${fixed}`,
            ...(safe || prefix === undefined
              ? []
              : [
                  `This location currently replaces '${prefix}' with '${pass.uri}' in the path; without it Synapse receives the full original path (/_matrix/...), which is what it expects.`,
                ]),
            RELOAD,
          ],
          edits: safe ? setDirective(p.server, p.location, 'proxy_pass', [pass.base], p.proxy, () => [replace(p.proxy, fixed)]) : [],
        },
      });
    }

    // MXD-RP-003 / MXD-RP-004: forwarding headers, with nginx's all-or-nothing inheritance of proxy_set_header.
    // Once a listener trusts X-Forwarded-For, the rate-limits check judges that header (MXD-RL-002, an error);
    // here it is only the latent problem, so the same line is never reported twice.
    const xffTrusted = inputs.runs('rate-limits') && (listeners?.some((l) => l.xForwarded) ?? false);
    for (const p of matrixLocations) {
      const own = directives(p.location.block, 'proxy_set_header');
      const fromServer = directives(p.server.directive.block, 'proxy_set_header');
      const http = model.http(p.server);
      const fromHttp = directives(http?.block, 'proxy_set_header');
      const level = own.length ? 'location' : fromServer.length ? 'server' : fromHttp.length ? 'http' : 'none';
      const effective = own.length ? own : fromServer.length ? fromServer : fromHttp;
      const upper = fromServer.length ? { list: fromServer, level: 'server' } : { list: fromHttp, level: 'http' };
      const candidate = level === 'location' ? own.at(-1) : level === 'server' ? fromServer.at(-1) : level === 'none' ? p.proxy : undefined;
      // Text edits (where nginx-set cannot name the block) go next to a directive of the same file, not into an included snippet.
      const anchor = candidate?.file === p.location.file ? candidate : undefined;
      // A snippet matrixdoc was not given may set the headers: judge only what the file shows.
      const hiddenHeaders = unresolvedIncludes(p.location.block).length > 0 || (own.length === 0 && unresolvedIncludes(p.server.directive.block).length > 0);
      const host = hostOf(p.server);
      /** Sets a proxy_set_header where the effective ones are (an http block is no target of nginx-set: text edits there). */
      const setHeader = (args: string[], replaces: NginxDirective | undefined, fallback: Edit[]): Edit[] =>
        level === 'http' ? fallback : setDirective(p.server, level === 'server' ? undefined : p.location, 'proxy_set_header', args, replaces, () => fallback);
      for (const h of FORWARD_HEADERS) {
        const d = headerNamed(effective, h.name);
        const value = d?.args[1] ?? '';
        const present = d !== undefined && value !== '' && !(h.name === 'Host' && value === '$proxy_host');
        const line = render('proxy_set_header', [h.name, h.value]);
        if (present && d) {
          if (h.name === 'X-Forwarded-For' && value.includes(SPOOFABLE_XFF) && !xffTrusted) {
            findings.push({
              code: 'MXD-RP-004',
              messageId: 'appended',
              data: { where: at(d) },
              location: pos(d),
              evidence: {
                directive: render(d.name, d.args),
                location: describeLocation(p.location),
                server: host,
                listenersXForwarded: listeners?.map((l) => l.xForwarded) ?? [],
              },
              fix: {
                summaryId: 'remoteAddr',
                steps: [`In ${at(d)}: ${line}`, RELOAD],
                edits: setHeader([d.args[0], h.value], d, [replace(d, line)]),
              },
            });
          }
          continue;
        }
        // On a federation-only block (8448) other servers are the clients: their addresses matter little.
        if (hiddenHeaders || federationOnly(p.server)) continue;
        if (h.name === 'X-Forwarded-For' && xffTrusted) continue; // MXD-RL-002 passThrough says it, as an error
        const hidden = level === 'location' ? headerNamed(upper.list, h.name) : undefined;
        const severity: Severity | undefined = h.name === 'Host' ? 'info' : undefined;
        if (hidden && (hidden.args[1] ?? '') !== '') {
          const copy = render(hidden.name, hidden.args);
          findings.push({
            code: 'MXD-RP-003',
            messageId: 'dropped',
            severity,
            data: { where: at(p.location), level: upper.level, header: hidden.args[0] ?? h.name, hiddenAt: at(hidden) },
            location: pos(p.location),
            evidence: { location: describeLocation(p.location), server: host, locationHeaders: own.map((x) => render(x.name, x.args)), hidden: copy },
            fix: {
              summaryId: 'repeat',
              summaryData: { directive: copy, location: describeLocation(p.location), level: upper.level },
              steps: [`In ${describeLocation(p.location)} (${at(p.location)}), next to the other proxy_set_header lines: ${copy}`, RELOAD],
              edits: setHeader(hidden.args, undefined, anchor ? [insertAfter(anchor, copy)] : []),
            },
          });
          continue;
        }
        const upstreamHost =
          p.pass?.socket !== undefined ? 'localhost' : p.pass?.host ? `${p.pass.host}${p.pass.port ? `:${p.pass.port}` : ''}` : '$proxy_host';
        findings.push({
          code: 'MXD-RP-003',
          messageId: h.messageId,
          severity,
          data: { where: at(p.location), host, ...(h.name === 'Host' ? { upstreamHost } : {}) },
          location: pos(p.location),
          evidence: {
            location: describeLocation(p.location),
            server: host,
            proxySetHeaderFrom: level,
            effective: effective.map((x) => render(x.name, x.args)),
            ...(d ? { empty: render(d.name, d.args) } : {}),
          },
          fix: {
            summaryId: 'add',
            summaryData: { line, location: describeLocation(p.location) },
            steps: [
              `In ${describeLocation(p.location)} (${at(p.location)}): ${line}`,
              ...(level === 'http'
                ? ['This location inherits proxy_set_header from the http block; a location that sets any header of its own must repeat all of them.']
                : []),
              RELOAD,
            ],
            edits: d
              ? setHeader([d.args[0], h.value], d, [replace(d, line)])
              : setHeader([h.name, h.value], undefined, anchor ? [insertAfter(anchor, line)] : []),
          },
        });
      }
    }

    // MXD-RP-002: client_max_body_size where uploads go (location, else server, else http, else nginx's 1m).
    const sizeSeen = new Set<NginxDirective>();
    for (const server of clientBlocks) {
      const p = route(server, UPLOAD_PATH);
      if (!p || !isMatrix.has(p.location) || sizeSeen.has(p.location) || maxUploadBytes === undefined) continue;
      sizeSeen.add(p.location);
      const own = child(p.location.block, 'client_max_body_size');
      const fromServer = child(server.directive.block, 'client_max_body_size');
      const fromHttp = child(model.http(server)?.block, 'client_max_body_size');
      const d = own ?? fromServer ?? fromHttp;
      const level = own ? 'location' : fromServer ? 'server' : fromHttp ? 'http' : 'nginx default';
      if (!own && (unresolvedIncludes(p.location.block).length || (!fromServer && unresolvedIncludes(server.directive.block).length))) continue;
      const value = d?.args[0] ?? NGINX_DEFAULT_BODY_SIZE;
      const bytes = nginxBytes(value);
      if (bytes === undefined || bytes === 0 || bytes >= maxUploadBytes) continue;
      const line = render('client_max_body_size', [bodySize]);
      const target = d ?? p.location;
      findings.push({
        code: 'MXD-RP-002',
        messageId: d ? 'smaller' : 'nginxDefault',
        data: { where: at(target), nginxSize: value, synapseSize: String(maxUpload), host: hostOf(server), path: UPLOAD_PATH },
        location: pos(target),
        evidence: {
          client_max_body_size: value,
          from: level,
          bytes,
          max_upload_size: maxUpload,
          maxUploadBytes,
          maxUploadFrom: hs && Object.hasOwn(hs.top, 'max_upload_size') ? 'homeserver.yaml' : 'Synapse default',
          location: describeLocation(p.location),
        },
        fix: {
          summaryId: 'raise',
          summaryData: { size: bodySize },
          steps: [`In ${describeLocation(p.location)} (${at(p.location)}): ${line}`, RELOAD],
          edits: setDirective(p.server, p.location, 'client_max_body_size', [bodySize], own, () =>
            own ? [replace(own, line)] : p.proxy.file === p.location.file ? [insertAfter(p.proxy, line)] : [],
          ),
        },
      });
    }

    // MXD-RP-005: every Matrix path of a client-facing server block reaches Synapse.
    for (const server of clientBlocks) {
      if (unresolvedIncludes(server.directive.block).length) continue; // its locations may be in the snippet
      const host = hostOf(server);
      const missing = CLIENT_PATHS.filter((p) => !proxied(server, p.path));
      const answeredBy = (path: string) => {
        const l = matchLocation(server.directive, path);
        return l ? `${describeLocation(l)} (${at(l)})` : 'no location';
      };
      if (missing.length) {
        findings.push({
          code: 'MXD-RP-005',
          messageId: 'matrix',
          data: { host, where: at(server.directive), paths: missing.map((p) => p.prefix).join(', ') },
          location: pos(server.directive),
          evidence: Object.fromEntries(missing.map((p) => [p.path, answeredBy(p.path)])),
          fix: {
            // One path or two (CLIENT_PATHS): the joining word is the template's.
            ...(missing.length === 1
              ? { summaryId: 'proxyPath', summaryData: { path: missing[0].prefix, host } }
              : {
                  summaryId: 'proxyPaths',
                  summaryData: {
                    paths: missing
                      .slice(0, -1)
                      .map((p) => p.prefix)
                      .join(' and '),
                    last: missing[missing.length - 1].prefix,
                    host,
                  },
                }),
            steps: [
              `In the server block for ${host} (${at(server.directive)}), route every Matrix path to Synapse, as Synapse's reverse-proxy guide does:`,
              matrixSnippet,
              RELOAD,
            ],
            edits: [],
          },
        });
      }
      if (!proxied(server, SYNAPSE_CLIENT_PATH.path)) {
        findings.push({
          code: 'MXD-RP-005',
          messageId: 'synapseClient',
          data: { host, where: at(server.directive) },
          location: pos(server.directive),
          evidence: { [SYNAPSE_CLIENT_PATH.path]: answeredBy(SYNAPSE_CLIENT_PATH.path) },
          fix: {
            summaryId: 'proxySynapseClient',
            summaryData: { host },
            steps: [
              `In the server block for ${host} (${at(server.directive)}), either extend your Matrix location to ~ ^(/_matrix|/_synapse/client), or add:`,
              `location /_synapse/client {\n${proxyLines('    ')}\n}`,
              RELOAD,
            ],
            edits: [],
          },
        });
      }
    }
    if (listeners && nginx.files.length && !matrixLocations.length) {
      const listenerText = listeners.map(describeListener).join(', ');
      const wrong = proxies.filter((p) => p.specific && p.target === 'other');
      for (const p of wrong) {
        findings.push({
          code: 'MXD-RP-005',
          messageId: 'wrongTarget',
          data: { where: at(p.proxy), target: p.proxy.args[0] ?? '', listeners: listenerText },
          location: pos(p.proxy),
          evidence: { proxy_pass: p.proxy.args[0] ?? '', location: describeLocation(p.location), listeners: listenerText },
          fix: {
            summaryId: 'pointAtListener',
            steps: [`In ${at(p.proxy)}: ${render('proxy_pass', [synapseBase])}`, RELOAD],
            edits: [],
          },
        });
      }
      if (!wrong.length) {
        findings.push({
          code: 'MXD-RP-005',
          messageId: 'noProxy',
          severity: 'warning',
          data: { listeners: listenerText },
          location: { file: nginx.files[0].file },
          evidence: { files: nginx.files.map((f) => f.file), proxyPass: proxies.map((p) => `${p.proxy.args[0] ?? ''} (${at(p.proxy)})`) },
          fix: {
            summaryId: 'addServerBlock',
            steps: [
              `server {\n    listen 443 ssl;\n    listen 8448 ssl default_server;\n    server_name matrix.example.com;\n\n    ${matrixSnippet.replace(/\n/g, '\n    ')}\n}`,
              RELOAD,
            ],
            edits: [],
          },
        });
      }
    }

    // MXD-RP-006 / MXD-RP-007: where other servers and clients look for the server name.
    const live = inputs.runs('well-known') ? inputs.optional<WellKnownArtifact>('wellKnown') : undefined;
    const liveAnswer = (file: 'server' | 'client') => live?.[file]?.status !== undefined;
    // MXD-RP-006 reads the files; the federation check connects to the host and port other servers use and says
    // what really happens there (MXD-FED-006 when nothing answers). When it ran live and probed that very host and
    // port, this code steps aside (as MXD-WK-011 does): one dead port, one finding. Offline it stays.
    const federation = inputs.runs('federation') ? inputs.optional<FederationArtifact>('federation') : undefined;
    const bare = (h: string) => h.replace(/^\[|\]$/g, '').toLowerCase();
    const probedLive = (host: string, port: number) => federation?.addresses.some((a) => bare(a.host) === bare(host) && a.port === port) ?? false;
    const serverNameRaw = typeof hs?.top.server_name === 'string' ? hs.top.server_name : inputs.optional<TargetArtifact>('target')?.serverName;
    const serverName = serverNameRaw ? splitServerName(serverNameRaw) : undefined;
    if (serverNameRaw && serverName && matrixBlocks.length) {
      const nameLocation: FindingLocation =
        typeof hs?.top.server_name === 'string' ? locate(hs.ownerOf('server_name').file, hs.ownerOf('server_name').parsed.positions, ['server_name']) : {};
      const federationServed = (host: string, port: number) => {
        const s = model.serverOn(host, port);
        // A server block with a snippet matrixdoc was not given may route federation there.
        return s !== undefined && (FEDERATION_PATHS.every((p) => toSynapse(s, p.path)) || unresolvedIncludes(s.directive.block).length > 0);
      };
      // The Matrix host other servers and clients should be sent to: a client block on 443 that serves federation too.
      const fedBlock443 = clientBlocks.find((s) => listensOn(s, 443) && FEDERATION_PATHS.every((p) => toSynapse(s, p.path)));
      const matrixHostBlock = fedBlock443 ?? clientBlocks.find((s) => listensOn(s, 443)) ?? clientBlocks[0] ?? matrixBlocks[0];
      const matrixHost = hostOf(matrixHostBlock);
      const delegateTo = fedBlock443 ? `${hostOf(fedBlock443)}:443` : `${matrixHost}:${FEDERATION_DEFAULT_PORT}`;
      const publicBaseurl = typeof hs?.top.public_baseurl === 'string' && hs.top.public_baseurl ? hs.top.public_baseurl : undefined;
      const baseUrl = publicBaseurl ? publicBaseurl.replace(/\/+$/, '') : `https://${matrixHost}`;
      const serverBody = JSON.stringify({ 'm.server': delegateTo });
      const clientBody = JSON.stringify({ 'm.homeserver': { base_url: baseUrl } });
      const wellKnownSnippet = (path: string, body: string, indent = '') =>
        [
          `location = ${path} {`,
          '    default_type application/json;',
          '    add_header Access-Control-Allow-Origin *;',
          `    ${render('return', ['200', body])}`,
          '}',
        ]
          .map((l) => `${indent}${l}`)
          .join('\n');
      const { host } = serverName;
      const nameBlock = model.serverOn(host, 443, true);
      const direct = nameBlock !== undefined && clientBlocks.includes(nameBlock);
      const listen8448Args = [['8448', 'ssl'], ...(nameBlock?.listen.some((l) => l.raw.startsWith('[')) ? [['[::]:8448', 'ssl']] : [])];
      const listen8448 = listen8448Args.map((args) => render('listen', args));
      const add8448 = (block: NginxServer | undefined): Edit[] => {
        const last = directives(block?.directive.block, 'listen').at(-1);
        // Without any listen the block is on port 80, which a first listen would take away.
        if (!block || !last || model.all.some((s) => listensOn(s, FEDERATION_DEFAULT_PORT))) return [];
        const edits = listen8448Args.flatMap((args) => setDirective(block, undefined, 'listen', args, undefined, () => []));
        // A text edit after the last listen where nginx-set cannot name the block.
        return edits.length ? edits : [insertAfter(last, listen8448.join(`\n${indentOf(last)}`))];
      };

      /** A location block inserted before the closing brace of a server block (assumed aligned with `server`). */
      const insertBlock = (block: NginxServer, text: string): Edit => {
        const d = block.directive;
        const indent = indentOf(d);
        const body = text
          .split('\n')
          .map((l) => `${indent}${l}`)
          .join('\n');
        return { kind: 'text', file: d.file, start: d.end - 1, end: d.end - 1, text: `${body.slice(indent.length)}\n${indent}`, expectSha256: sha(d.file) };
      };

      const synapseDisabled = (kind: 'server' | 'client', block: NginxServer, location: NginxDirective | undefined): FindingDraft => {
        const setting = kind === 'server' ? 'serve_server_wellknown: true' : 'public_baseurl';
        const cfgFile = hsArtifact ? (hs?.ownerOf(kind === 'server' ? 'serve_server_wellknown' : 'public_baseurl') ?? hsArtifact) : undefined;
        const loc = location ?? block.directive;
        return {
          code: 'MXD-RP-007',
          messageId: 'synapseDisabled',
          severity: kind === 'server' ? 'error' : 'warning',
          data: { where: at(loc), kind, serverName: serverNameRaw ?? '', setting },
          location: pos(loc),
          evidence: {
            location: location ? describeLocation(location) : 'no location',
            serve_server_wellknown: hs?.top.serve_server_wellknown ?? null,
            public_baseurl: publicBaseurl ?? null,
          },
          fix: {
            ...(kind === 'server' ? { summaryId: 'serveServerWellknown' } : { summaryId: 'publicBaseurl', summaryData: { baseUrl } }),
            steps: [
              kind === 'server' ? 'serve_server_wellknown: true' : `public_baseurl: "${baseUrl}/"`,
              'Restart Synapse: systemctl restart matrix-synapse',
              `Or, in ${at(loc)} instead:\n${wellKnownSnippet(`/.well-known/matrix/${kind}`, kind === 'server' ? serverBody : clientBody)}`,
            ],
            edits:
              kind === 'server' && cfgFile
                ? [{ kind: 'yaml-set', file: cfgFile.file, path: ['serve_server_wellknown'], value: true, expectSha256: cfgFile.sha256 }]
                : [],
          },
        };
      };

      /** MXD-RP-007 server / client: the server name's block does not answer that well-known file. */
      const wellKnownMissing = (kind: 'server' | 'client', block: NginxServer, served: ServedPath | undefined): FindingDraft => {
        const path = `/.well-known/matrix/${kind}`;
        const body = kind === 'server' ? serverBody : clientBody;
        return {
          code: 'MXD-RP-007',
          messageId: kind,
          ...(kind === 'client' ? { severity: 'warning' as const } : {}),
          data: { serverName: serverNameRaw, where: at(block.directive), ...(kind === 'server' ? { matrixHost } : { baseUrl }) },
          location: pos(block.directive),
          evidence: { server: hostOf(block), answeredBy: served?.location ? describeLocation(served.location) : 'no location' },
          fix: {
            ...(kind === 'server'
              ? { summaryId: 'serveServer', summaryData: { host, delegateTo } }
              : { summaryId: 'serveClient', summaryData: { host, baseUrl } }),
            steps: [`In the server block for ${host} (${at(block.directive)}):\n${wellKnownSnippet(path, body)}`, RELOAD],
            // A new location block is more than one directive, which nginx-set cannot add: a text edit.
            edits: served?.kind === 'no-location' ? [insertBlock(block, wellKnownSnippet(path, body, '    '))] : [],
          },
        };
      };

      /** How nginx answers a well-known path of the server name. */
      const wellKnown = (path: string) => {
        const served = servedAt(model.expanded, host, path, 443);
        if (!served || !nameBlock || served.server.directive !== nameBlock.directive) return { state: 'unknown' as const };
        const loc = served.location;
        if (unresolvedIncludes(loc?.block ?? nameBlock.directive.block).length) return { state: 'unknown' as const };
        if (served.kind === 'return') {
          const status = served.status ?? 0;
          if (status === 200) return { state: 'served' as const, served };
          return status >= 300 && status < 400 ? { state: 'unknown' as const } : { state: 'missing' as const, served };
        }
        if (served.kind === 'proxy' && loc) {
          const target = byLocation.get(loc)?.target;
          if (target !== 'synapse') return { state: 'unknown' as const };
          const enabled = path.endsWith('/server') ? hs?.top.serve_server_wellknown === true : publicBaseurl !== undefined;
          return enabled ? { state: 'synapse' as const, served } : { state: 'synapseDisabled' as const, served };
        }
        if (served.kind === 'no-location') {
          const block = nameBlock.directive.block;
          return child(block, 'root') || child(block, 'return') ? { state: 'unknown' as const } : { state: 'missing' as const, served };
        }
        return { state: 'unknown' as const };
      };

      if (serverName.port !== undefined || isIpLiteral(host)) {
        const port = serverName.port ?? FEDERATION_DEFAULT_PORT;
        if (!federationServed(host, port) && !probedLive(host, port)) {
          findings.push({
            code: 'MXD-RP-006',
            messageId: serverName.port !== undefined ? 'explicitPort' : 'port8448',
            data: { serverName: serverNameRaw, host, port },
            location: nameLocation.file ? nameLocation : pos(matrixHostBlock.directive),
            evidence: {
              serverName: serverNameRaw,
              port,
              listening: model.all.filter((s) => listensOn(s, port)).map((s) => `${hostOf(s)} (${at(s.directive)})`),
            },
            fix: {
              summaryId: 'listenTls',
              summaryData: { port, host },
              steps: [`In the server block for ${matrixHost} (${at(matrixHostBlock.directive)}): listen ${port} ssl;`, RELOAD],
              edits: [],
            },
          });
        }
      } else {
        const serverWk = wellKnown('/.well-known/matrix/server');
        if (serverWk.state === 'served' || serverWk.state === 'synapse') {
          // The delegation target must be served: m.server host[:port], port 8448 when it names none.
          const served = serverWk.served;
          const mServer =
            serverWk.state === 'synapse'
              ? `${host}:443`
              : isObject(served.json) && typeof served.json['m.server'] === 'string'
                ? served.json['m.server']
                : undefined;
          const target = mServer ? splitServerName(mServer) : undefined;
          if (target) {
            const port = target.port ?? FEDERATION_DEFAULT_PORT;
            const loc = served.location ?? served.server.directive;
            if (!federationServed(target.host, port) && !probedLive(target.host, port)) {
              const ret = served.location ? child(served.location.block, 'return') : undefined;
              const fixedBody = isObject(served.json) ? JSON.stringify({ ...served.json, 'm.server': `${target.host}:443` }) : undefined;
              const canPoint443 = port !== 443 && federationServed(target.host, 443) && ret && fixedBody && serverWk.state === 'served';
              const hostBlock = model.serverOn(target.host, 443, true);
              findings.push({
                code: 'MXD-RP-006',
                messageId: 'delegated',
                data: { serverName: serverNameRaw, where: at(loc), target: mServer ?? '', host: target.host, port },
                location: pos(loc),
                evidence: {
                  'm.server': mServer ?? '',
                  portFromWellKnown: target.port !== undefined,
                  listeningOnPort: model.all.filter((s) => listensOn(s, port)).map((s) => `${hostOf(s)} (${at(s.directive)})`),
                },
                fix: {
                  summaryId: canPoint443 ? 'delegate443' : 'listenOrDelegate',
                  summaryData: { host: target.host, port },
                  steps: canPoint443
                    ? [`In ${at(loc)}: ${render('return', ['200', fixedBody])}`, RELOAD]
                    : [
                        hostBlock
                          ? `In the server block for ${target.host} (${at(hostBlock.directive)}): listen ${port} ssl;  (and route /_matrix to Synapse there)`
                          : `Add a server block for ${target.host} listening on ${port} with TLS:\nserver {\n    listen ${port} ssl;\n    server_name ${target.host};\n\n    ${matrixSnippet.replace(/\n/g, '\n    ')}\n}`,
                        RELOAD,
                      ],
                  edits:
                    canPoint443 && ret && fixedBody
                      ? setDirective(served.server, served.location, 'return', ['200', fixedBody], ret, () => [
                          replace(ret, render('return', ['200', fixedBody])),
                        ])
                      : [],
                },
              });
            }
          }
        } else if ((serverWk.state === 'missing' || serverWk.state === 'synapseDisabled') && !federationServed(host, FEDERATION_DEFAULT_PORT)) {
          const block = nameBlock as NginxServer;
          if (direct) {
            // When the federation check probed host:8448 live, it reports what answers there.
            if (!probedLive(host, FEDERATION_DEFAULT_PORT))
              findings.push({
                code: 'MXD-RP-006',
                messageId: 'port8448',
                data: { serverName: serverNameRaw, host },
                location: pos(block.directive),
                evidence: { wellKnown: serverWk.state, listening8448: model.all.filter((s) => listensOn(s, FEDERATION_DEFAULT_PORT)).map((s) => hostOf(s)) },
                fix: {
                  summaryId: 'listen8448',
                  summaryData: { host },
                  steps: [
                    `In the server block for ${host} (${at(block.directive)}): ${listen8448.join(' ')}`,
                    `Or, in the same block:\n${wellKnownSnippet('/.well-known/matrix/server', JSON.stringify({ 'm.server': `${host}:443` }))}`,
                    RELOAD,
                  ],
                  edits: add8448(block),
                },
              });
          } else if (serverWk.state === 'missing') {
            // When the well-known check fetched the file live, it reports what really happens (MXD-WK-*).
            if (!liveAnswer('server')) findings.push(wellKnownMissing('server', block, serverWk.served));
          } else {
            findings.push(synapseDisabled('server', block, serverWk.served?.location));
          }
        }

        if (!nameBlock) {
          if (!federationServed(host, FEDERATION_DEFAULT_PORT)) {
            findings.push({
              code: 'MXD-RP-007',
              messageId: 'noServerBlock',
              severity: 'info',
              data: { serverName: serverNameRaw, matrixHost },
              location: nameLocation.file ? nameLocation : { file: nginx.files[0].file },
              evidence: { serverNames: model.all.flatMap((s) => s.names), on443: model.all.filter((s) => listensOn(s, 443)).map((s) => hostOf(s)) },
              fix: {
                summaryId: 'elsewhere',
                summaryData: { host, matrixHost },
                steps: [
                  `https://${host}/.well-known/matrix/server → ${serverBody}`,
                  `https://${host}/.well-known/matrix/client → ${clientBody}`,
                  `With nginx, in a server block for ${host} on 443:\n${wellKnownSnippet('/.well-known/matrix/server', serverBody)}\n${wellKnownSnippet('/.well-known/matrix/client', clientBody)}`,
                ],
                edits: [],
              },
            });
          }
        } else if (!direct) {
          const clientWk = wellKnown('/.well-known/matrix/client');
          if (clientWk.state === 'missing') {
            if (!liveAnswer('client')) findings.push(wellKnownMissing('client', nameBlock, clientWk.served));
          } else if (clientWk.state === 'synapseDisabled') {
            findings.push(synapseDisabled('client', nameBlock, clientWk.served?.location));
          }
        }
      }
    }

    // MXD-RP-008: the admin API reachable from the internet without any restriction in nginx.
    const adminSeen = new Set<NginxDirective>();
    const restricts = (block: NginxDirective[] | undefined, names: string[]) => (block ?? []).some((d) => names.includes(d.name));
    for (const server of publicServers) {
      const p = route(server, ADMIN_PATH);
      if (!p || adminSeen.has(p.location)) continue;
      if (!(p.target === 'synapse' || (p.target === 'unknown' && isMatrixSpecific(p.location, [ADMIN_PATH])))) continue;
      const upperAccess = ['allow', 'deny', 'auth_basic', 'auth_request', 'auth_jwt'];
      if (restricts(p.location.block, ACCESS_DIRECTIVES) || restricts(server.directive.block, upperAccess) || restricts(model.http(server)?.block, upperAccess))
        continue;
      adminSeen.add(p.location);
      const host = hostOf(server);
      findings.push({
        code: 'MXD-RP-008',
        messageId: 'exposed',
        data: { where: at(p.location), host },
        location: pos(p.location),
        evidence: { location: describeLocation(p.location), server: host, path: ADMIN_PATH },
        fix: {
          summaryId: 'restrict',
          steps: [
            `In the server block for ${host} (${at(server.directive)}), add a location that wins over regular expressions (^~) and restricts access:`,
            `location ^~ /_synapse/admin {\n    allow 192.168.1.0/24;   # your admin network\n    deny all;\n${proxyLines('    ')}\n}`,
            RELOAD,
          ],
          edits: [],
        },
      });
    }

    return findings;
  },
});
