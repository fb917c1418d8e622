// Hand-built wellKnown artifacts shaped as the probe makes them (the seed's healthy files by default), for
// the well-known and public-baseurl check tests.

import type { TlsEvidence } from '../../src/net/client.js';
import {
  BROWSER_ORIGIN,
  type DelegationProbe,
  parseServerName,
  type WellKnownArtifact,
  type WellKnownClientFile,
  type WellKnownFetch,
  type WellKnownServerFile,
} from '../../src/probes/well-known.js';

export const GOOD_TLS: TlsEvidence = { protocol: 'TLSv1.3', authorized: true, expectedName: 'xfoss.com', subjectAltNames: ['DNS:xfoss.com'] };
export const JSON_HEADERS = { 'content-type': 'application/json', 'access-control-allow-origin': '*' };

/** A fetched well-known file as the probe records it: headers, excerpt, parsed JSON or parse error. */
export function fetched(
  file: 'server' | 'client' | 'support',
  opts: {
    status?: number;
    body?: string;
    headers?: Record<string, string>;
    error?: { code: string; message: string };
    redirects?: WellKnownFetch['redirects'];
    finalUrl?: string;
    truncated?: boolean;
    tls?: TlsEvidence;
  } = {},
): WellKnownFetch {
  const url = `https://xfoss.com/.well-known/matrix/${file}`;
  const body = opts.body ?? '';
  const headers = opts.error ? {} : (opts.headers ?? JSON_HEADERS);
  const out: WellKnownFetch = {
    url,
    finalUrl: opts.finalUrl ?? url,
    ok: !opts.error,
    ...(opts.error ? { error: opts.error } : { status: opts.status ?? 200 }),
    redirects: opts.redirects ?? [],
    headers,
    bodyBytes: opts.truncated ? 50 * 1024 : body.length,
    truncated: opts.truncated ?? false,
    bodyExcerpt: body.slice(0, 500),
    durationMs: 3,
    ...(opts.error ? {} : { address: '127.0.0.1', tls: opts.tls ?? GOOD_TLS }),
  };
  if (headers['content-type'] !== undefined) out.contentType = headers['content-type'];
  if (headers['access-control-allow-origin'] !== undefined) out.accessControlAllowOrigin = headers['access-control-allow-origin'];
  if (!opts.error && !opts.truncated && body.trim()) {
    try {
      out.json = JSON.parse(body);
    } catch (error) {
      out.jsonError = (error as Error).message;
    }
  }
  return out;
}

export const federationOk = (host = 'matrix.xfoss.com', port = 443): DelegationProbe => ({
  host,
  port,
  portFrom: 'm.server',
  connectHost: host,
  url: `https://${host}:${port}/_matrix/federation/v1/version`,
  ok: true,
  status: 200,
  address: '127.0.0.1',
  tls: { ...GOOD_TLS, expectedName: host },
  bodyExcerpt: '{"server":{"name":"Synapse","version":"1.157.1"}}',
  server: { name: 'Synapse', version: '1.157.1' },
  durationMs: 2,
});

/** The server file with m.server parsed as the probe does, and the delegation answer. */
export function serverFile(
  body = '{"m.server": "matrix.xfoss.com:443"}',
  opts: Parameters<typeof fetched>[1] = {},
  delegation?: Partial<DelegationProbe> | null,
): WellKnownServerFile {
  const f: WellKnownServerFile = fetched('server', { body, ...opts });
  const json = f.json as Record<string, unknown> | undefined;
  if (json && typeof json === 'object' && !Array.isArray(json) && Object.hasOwn(json, 'm.server')) {
    f.mServer = json['m.server'];
    const d = typeof f.mServer === 'string' ? parseServerName(f.mServer) : undefined;
    if (d) {
      f.delegated = { host: d.host, ...(d.port !== undefined ? { port: d.port } : {}), ipLiteral: d.ipLiteral };
      if (delegation !== null && f.status === 200) f.delegation = { ...federationOk(d.host, d.port ?? 8448), ...(delegation ?? {}) };
    }
  }
  return f;
}

export function clientFile(body = '{"m.homeserver": {"base_url": "https://matrix.xfoss.com"}}', opts: Parameters<typeof fetched>[1] = {}): WellKnownClientFile {
  const f: WellKnownClientFile = { ...fetched('client', { body, ...opts }), origin: BROWSER_ORIGIN };
  const hs = (f.json as { 'm.homeserver'?: { base_url?: unknown } } | undefined)?.['m.homeserver'];
  if (typeof hs?.base_url === 'string') f.baseUrl = hs.base_url;
  return f;
}

export const NOT_FOUND = { status: 404, body: '<html><body>404 Not Found</body></html>', headers: { 'content-type': 'text/html' } };

/** The seed's answers: both files served by nginx, no support file. */
export function artifact(over: Partial<WellKnownArtifact> = {}): WellKnownArtifact {
  return {
    serverName: 'xfoss.com',
    serverNameSource: 'server-name',
    host: 'xfoss.com',
    ipLiteral: false,
    server: serverFile(),
    client: clientFile(),
    support: fetched('support', NOT_FOUND),
    ...over,
  };
}

/** The seed's nginx site for xfoss.com (location blocks at lines 6 and 12). */
export const SEED_NGINX = `server {
    listen 443 ssl;
    listen [::]:443 ssl;
    server_name xfoss.com;

    location /.well-known/matrix/server {
        return 200 '{"m.server": "matrix.xfoss.com:443"}';
        default_type application/json;
        add_header Access-Control-Allow-Origin *;
    }

    location /.well-known/matrix/client {
        return 200 '{"m.homeserver": {"base_url": "https://matrix.xfoss.com"}}';
        default_type application/json;
        add_header Access-Control-Allow-Origin *;
    }
}
`;
