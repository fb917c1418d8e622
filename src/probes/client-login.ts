// With a test account (--test-user, --test-password / MATRIXDOC_TEST_PASSWORD): logs in with a password
// at the base URL clients discover (the client well-known, else public_baseurl, else Element's base_url;
// the first that answers /versions),
// reads the `well_known` of the login response, the URL Synapse tells every client to switch to right
// after login, asks that URL for /_matrix/client/versions, and ALWAYS logs out again.
//
// The password and the access token are secrets: registered with the redactor before anything is sent,
// and never kept in the evidence.

import { defineProbe } from '../engine/define.js';
import type { ProbeContext } from '../engine/types.js';
import type { HttpExchange, TlsEvidence } from '../net/client.js';
import { type ClientVersionsArtifact, configuredElementBaseUrl, configuredPublicBaseurl, httpBaseUrl, normaliseBaseUrl } from './client-versions.js';
import type { ElementConfigArtifact, HomeserverConfigArtifact } from './config-files.js';
import { BROWSER_ORIGIN, type WellKnownArtifact } from './well-known.js';

export interface ClientLoginExchange {
  url: string;
  ok: boolean;
  status?: number;
  error?: { code: string; message: string };
  address?: string;
  tls?: TlsEvidence;
  /** `errcode` / `error` of a Matrix error answer. */
  errcode?: string;
  errorText?: string;
  durationMs: number;
}

export interface ClientLoginArtifact {
  /** The base URL logged in at, and who named it. */
  baseUrl: string;
  baseUrlSource: 'well-known' | 'homeserver-config' | 'element-config';
  user: string;
  login: ClientLoginExchange & {
    /** The session was created (HTTP 200 with an access token). */
    loggedIn: boolean;
    userId?: string;
    deviceId?: string;
    /** The `well_known` object of the response, as sent (undefined when absent). */
    wellKnown?: unknown;
    /** Its `m.homeserver.base_url`, when a string. */
    wellKnownBaseUrl?: string;
  };
  /** GET <well_known base_url>/_matrix/client/versions, when the login named one. */
  wellKnownVersions?: ClientLoginExchange & { versions?: string[]; serverHeader?: string; accessControlAllowOrigin?: string };
  /** The logout that always follows a successful login. */
  logout?: ClientLoginExchange & { attempted: boolean; loggedOut: boolean };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function summary(url: string, x: HttpExchange): ClientLoginExchange {
  let errcode: string | undefined;
  let errorText: string | undefined;
  if (x.ok && x.status !== 200) {
    try {
      const body = JSON.parse(x.body) as unknown;
      if (isObject(body)) {
        if (typeof body.errcode === 'string') errcode = body.errcode;
        if (typeof body.error === 'string') errorText = body.error;
      }
    } catch {
      // not JSON
    }
  }
  return {
    url,
    ok: x.ok,
    ...(x.status !== undefined ? { status: x.status } : {}),
    ...(x.error ? { error: x.error } : {}),
    ...(x.address ? { address: x.address } : {}),
    ...(x.tls ? { tls: x.tls } : {}),
    ...(errcode ? { errcode } : {}),
    ...(errorText ? { errorText } : {}),
    durationMs: Math.round(x.durationMs),
  };
}

/**
 * The base URL a client would log in at: the live client well-known, else public_baseurl, else Element's
 * base_url; the first of them that answered /_matrix/client/versions when that is known (a login at a URL
 * that does not answer shows nothing about where login's well_known sends clients).
 */
export function loginBaseUrl(
  wellKnown?: WellKnownArtifact,
  homeserver?: HomeserverConfigArtifact,
  element?: ElementConfigArtifact,
  versions?: ClientVersionsArtifact,
): { baseUrl: string; source: ClientLoginArtifact['baseUrlSource'] } | undefined {
  const candidates: { baseUrl: string | undefined; source: ClientLoginArtifact['baseUrlSource'] }[] = [
    { baseUrl: wellKnown?.client?.status === 200 ? httpBaseUrl(wellKnown.client.baseUrl) : undefined, source: 'well-known' },
    { baseUrl: configuredPublicBaseurl(homeserver), source: 'homeserver-config' },
    { baseUrl: configuredElementBaseUrl(element), source: 'element-config' },
  ];
  const valid = candidates.filter((c): c is { baseUrl: string; source: ClientLoginArtifact['baseUrlSource'] } => c.baseUrl !== undefined);
  const answers = (url: string) => versions?.results.some((r) => normaliseBaseUrl(r.baseUrl) === url && r.versions);
  return valid.find((c) => answers(c.baseUrl)) ?? valid[0];
}

async function logout(baseUrl: string, token: string, ctx: ProbeContext, ms: number): Promise<NonNullable<ClientLoginArtifact['logout']>> {
  const url = `${baseUrl}/_matrix/client/v3/logout`;
  // Not tied to the probe's signal: the session must be ended even when the run is being aborted
  // (the request then finishes in the background, within this short deadline).
  const signal = AbortSignal.timeout(Math.max(1000, Math.round(ms)));
  const x = await ctx.net.http(url, {
    signal,
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', origin: BROWSER_ORIGIN },
    body: '{}',
    maxBytes: 16 * 1024,
    maxRedirects: 0,
  });
  return { ...summary(url, x), attempted: true, loggedOut: x.ok && x.status === 200 };
}

export const clientLoginProbe = defineProbe<ClientLoginArtifact>({
  id: 'clientLogin',
  description: "Logs in with the test account (--test-user), reads the login response's well_known and its /versions, then always logs out",
  network: true,
  uses: ['wellKnown', 'homeserverConfig', 'elementConfig', 'clientVersions'],
  async run(ctx, deps) {
    const { testUser, testPassword } = ctx.inputs;
    if (!testUser) return { skip: 'no test account (--test-user)' };
    if (!testPassword) return { skip: 'no password for the test account (--test-password or MATRIXDOC_TEST_PASSWORD)' };
    ctx.addSecret(testPassword);
    const target = loginBaseUrl(
      deps.wellKnown as WellKnownArtifact | undefined,
      deps.homeserverConfig as HomeserverConfigArtifact | undefined,
      deps.elementConfig as ElementConfigArtifact | undefined,
      deps.clientVersions as ClientVersionsArtifact | undefined,
    );
    if (!target) return { skip: 'no client base URL to log in at (client well-known, public_baseurl, Element base_url)' };

    const loginUrl = `${target.baseUrl}/_matrix/client/v3/login`;
    // The probe's time: 60 % for the login, up to 75 % with the well_known's /versions, the rest for the logout.
    const started = performance.now();
    const until = (share: number) =>
      AbortSignal.any([ctx.signal, AbortSignal.timeout(Math.max(1, Math.round(started + ctx.timeoutMs * share - performance.now())))]);
    const signal = until(0.6);
    const x = await ctx.net.http(loginUrl, {
      signal,
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: BROWSER_ORIGIN },
      body: JSON.stringify({
        type: 'm.login.password',
        identifier: { type: 'm.id.user', user: testUser },
        password: testPassword,
        initial_device_display_name: 'matrixdoc check (logged out right away)',
      }),
      maxBytes: 64 * 1024,
      maxRedirects: 0,
    });

    let token: string | undefined;
    let parsed: Record<string, unknown> | undefined;
    if (x.ok && x.status === 200) {
      try {
        const body = JSON.parse(x.body) as unknown;
        if (isObject(body)) parsed = body;
      } catch {
        // not JSON: no session to end
      }
      if (typeof parsed?.access_token === 'string' && parsed.access_token) {
        token = parsed.access_token;
        ctx.addSecret(token);
      }
      if (typeof parsed?.refresh_token === 'string' && parsed.refresh_token) ctx.addSecret(parsed.refresh_token);
    }

    const artifact: ClientLoginArtifact = {
      baseUrl: target.baseUrl,
      baseUrlSource: target.source,
      user: testUser,
      login: { ...summary(loginUrl, x), loggedIn: token !== undefined },
    };
    try {
      if (parsed) {
        if (typeof parsed.user_id === 'string') artifact.login.userId = parsed.user_id;
        if (typeof parsed.device_id === 'string') artifact.login.deviceId = parsed.device_id;
        if (Object.hasOwn(parsed, 'well_known')) {
          artifact.login.wellKnown = parsed.well_known;
          const hsBlock = isObject(parsed.well_known) ? parsed.well_known['m.homeserver'] : undefined;
          if (isObject(hsBlock) && typeof hsBlock.base_url === 'string') artifact.login.wellKnownBaseUrl = hsBlock.base_url;
        }
      }
      const wkBase = httpBaseUrl(artifact.login.wellKnownBaseUrl);
      if (wkBase) {
        const url = `${wkBase}/_matrix/client/versions`;
        const v = await ctx.net.http(url, {
          signal: until(0.75),
          headers: { origin: BROWSER_ORIGIN },
          maxBytes: 64 * 1024,
        });
        let versions: string[] | undefined;
        if (v.ok && v.status === 200) {
          try {
            const body = JSON.parse(v.body) as { versions?: unknown };
            if (Array.isArray(body.versions) && body.versions.every((s) => typeof s === 'string')) versions = body.versions as string[];
          } catch {
            // not JSON
          }
        }
        artifact.wellKnownVersions = {
          ...summary(url, v),
          ...(versions ? { versions } : {}),
          ...(v.headers.server ? { serverHeader: v.headers.server } : {}),
          ...(v.headers['access-control-allow-origin'] !== undefined ? { accessControlAllowOrigin: v.headers['access-control-allow-origin'] } : {}),
        };
      }
    } finally {
      // Always end the session the login created, whatever happened in between.
      if (token) artifact.logout = await logout(target.baseUrl, token, ctx, started + ctx.timeoutMs - Math.min(100, ctx.timeoutMs / 20) - performance.now());
    }
    return artifact;
  },
});
