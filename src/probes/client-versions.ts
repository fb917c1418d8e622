// GET <base_url>/_matrix/client/versions for every client base URL the deployment's files name, the
// way Element checks a homeserver before it shows the login page (5 s, `versions` must be present).

import { defineProbe } from '../engine/define.js';
import { timeoutSignal } from '../engine/timeouts.js';
import type { HttpExchange } from '../net/client.js';
import type { ElementConfigArtifact, HomeserverConfigArtifact } from './config-files.js';
import { BROWSER_ORIGIN, type WellKnownArtifact } from './well-known.js';

/** Element's own timeout for /_matrix/client/versions. */
const ELEMENT_TIMEOUT_MS = 5000;

export interface ClientVersionsResult {
  baseUrl: string;
  url: string;
  /** Who named this base URL: "element-config", "homeserver-config" (public_baseurl), "well-known" (the live client well-known)... */
  sources: string[];
  exchange: Omit<HttpExchange, 'body'> & { bodyExcerpt: string };
  /** The `versions` list when the answer was a valid versions response. */
  versions?: string[];
  serverHeader?: string;
}

export interface ClientVersionsArtifact {
  results: ClientVersionsResult[];
}

/** Normalises a base URL the way clients do: trailing slashes removed. */
export function normaliseBaseUrl(url: string): string {
  return url.replace(/\/+$/, '');
}

/** An http(s) URL as a base URL (normalised); undefined for anything else. */
export function httpBaseUrl(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? normaliseBaseUrl(url) : undefined;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** public_baseurl as Synapse reads it (a file read later, conf.d, replaces it), when it is an http(s) URL. */
export function configuredPublicBaseurl(homeserver?: HomeserverConfigArtifact): string | undefined {
  let publicBaseurl: unknown;
  for (const f of homeserver ? [homeserver, ...(homeserver.overrides ?? [])] : []) {
    if (isObject(f.parsed.value) && Object.hasOwn(f.parsed.value, 'public_baseurl')) publicBaseurl = f.parsed.value.public_baseurl;
  }
  return httpBaseUrl(publicBaseurl);
}

/** Element's default homeserver (default_server_config["m.homeserver"].base_url), when it is an http(s) URL. */
export function configuredElementBaseUrl(element?: ElementConfigArtifact): string | undefined {
  const el = element?.parsed.value;
  const hs = isObject(el) && isObject(el.default_server_config) ? el.default_server_config['m.homeserver'] : undefined;
  return isObject(hs) ? httpBaseUrl(hs.base_url) : undefined;
}

export function collectBaseUrls(element?: ElementConfigArtifact, homeserver?: HomeserverConfigArtifact, wellKnown?: WellKnownArtifact): Map<string, string[]> {
  const urls = new Map<string, string[]>();
  const add = (url: unknown, source: string) => {
    const key = httpBaseUrl(url);
    if (key !== undefined) urls.set(key, [...(urls.get(key) ?? []), source]);
  };
  const el = element?.parsed.value as Record<string, Record<string, Record<string, unknown>>> | undefined;
  add(el?.default_server_config?.['m.homeserver']?.base_url, 'element-config');
  const hs = homeserver?.parsed.value as Record<string, unknown> | undefined;
  add(hs?.public_baseurl, 'homeserver-config');
  add(wellKnown?.client?.status === 200 ? wellKnown.client.baseUrl : undefined, 'well-known');
  return urls;
}

export const clientVersionsProbe = defineProbe<ClientVersionsArtifact>({
  id: 'clientVersions',
  description: 'Asks each configured client base URL for /_matrix/client/versions, as Element does before login',
  network: true,
  uses: ['elementConfig', 'homeserverConfig', 'wellKnown'],
  async run(ctx, deps) {
    const urls = collectBaseUrls(
      deps.elementConfig as ElementConfigArtifact | undefined,
      deps.homeserverConfig as HomeserverConfigArtifact | undefined,
      deps.wellKnown as WellKnownArtifact | undefined,
    );
    if (urls.size === 0) return { skip: 'no client base URL in the given files (Element base_url, public_baseurl) or the client well-known' };
    const results = await Promise.all(
      [...urls].map(async ([baseUrl, sources]): Promise<ClientVersionsResult> => {
        const url = `${baseUrl}/_matrix/client/versions`;
        // End the request a little before the probe's own deadline: a homeserver that never answers must be
        // recorded as a TIMEOUT answer (MXD-EL-011), not lost with the whole probe when the engine aborts it.
        const requestMs = Math.max(1, Math.min(ELEMENT_TIMEOUT_MS, ctx.timeoutMs - Math.min(250, ctx.timeoutMs / 5)));
        const signal = AbortSignal.any([ctx.signal, timeoutSignal(requestMs)]);
        // With the Origin a browser sends, so the answer shows the CORS headers Element depends on.
        const { body, ...exchange } = await ctx.net.http(url, { signal, maxBytes: 64 * 1024, headers: { origin: BROWSER_ORIGIN } });
        let versions: string[] | undefined;
        if (exchange.ok && exchange.status === 200) {
          try {
            const parsed = JSON.parse(body) as { versions?: unknown };
            if (Array.isArray(parsed.versions) && parsed.versions.every((v) => typeof v === 'string')) versions = parsed.versions as string[];
          } catch {
            // not JSON: the check reports it with the excerpt
          }
        }
        return { baseUrl, url, sources, exchange: { ...exchange, bodyExcerpt: body.slice(0, 300) }, versions, serverHeader: exchange.headers.server };
      }),
    );
    return { results };
  },
});
