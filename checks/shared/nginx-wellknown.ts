// What nginx (from its config files, without asking it) serves at a path for a host: which server
// block and location answer, and the body of a `return 200 '...'` such as the usual .well-known files.

import { child, matchLocation, type NginxDirective, type NginxServer, serverNameMatches, servers } from '../../src/parse/nginx.js';
import type { NginxConfigArtifact } from '../../src/probes/config-files.js';

export interface ServedPath {
  server: NginxServer;
  location?: NginxDirective;
  /** How the location answers. */
  kind: 'return' | 'static' | 'proxy' | 'other' | 'no-location';
  status?: number;
  body?: string;
  json?: unknown;
  jsonError?: string;
  headers: Record<string, string>;
  defaultType?: string;
  proxyPass?: string;
}

/** The server block nginx would pick for an HTTPS request to host (port 443 unless given). */
export function serverFor(nginx: NginxConfigArtifact, host: string, port = 443): NginxServer | undefined {
  const all = servers(nginx.files.map((f) => f.parsed));
  const onPort = all.filter((s) => s.listen.some((l) => l.port === port) || (s.listen.length === 0 && port === 80));
  return onPort.find((s) => s.names.some((n) => serverNameMatches(n, host))) ?? all.find((s) => s.names.some((n) => serverNameMatches(n, host)));
}

export function servedAt(nginx: NginxConfigArtifact, host: string, path: string, port = 443): ServedPath | undefined {
  const server = serverFor(nginx, host, port);
  if (!server) return undefined;
  const location = matchLocation(server.directive, path);
  const scope = location?.block ?? server.directive.block ?? [];
  const headers: Record<string, string> = {};
  // add_header in a location replaces (does not extend) the server-level ones, as in nginx.
  const headerSource = scope.some((d) => d.name === 'add_header') ? scope : (server.directive.block ?? []);
  for (const d of headerSource.filter((x) => x.name === 'add_header')) headers[d.args[0]?.toLowerCase() ?? ''] = d.args[1] ?? '';
  const defaultType = child(scope, 'default_type')?.args[0];
  if (!location) return { server, kind: 'no-location', headers, defaultType };
  const ret = child(location.block, 'return');
  if (ret) {
    const status = Number(ret.args[0]);
    const body = ret.args[1];
    const out: ServedPath = { server, location, kind: 'return', status, body, headers, defaultType };
    if (body !== undefined) {
      try {
        out.json = JSON.parse(body);
      } catch (error) {
        out.jsonError = (error as Error).message;
      }
    }
    return out;
  }
  const proxy = child(location.block, 'proxy_pass');
  if (proxy) return { server, location, kind: 'proxy', proxyPass: proxy.args[0], headers, defaultType };
  if (child(location.block, 'alias') || child(location.block, 'root') || child(server.directive.block, 'root')) {
    return { server, location, kind: 'static', headers, defaultType };
  }
  return { server, location, kind: 'other', headers, defaultType };
}
