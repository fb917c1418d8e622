// --probe-login: measures the homeserver's login rate limit from here, with failed logins for random,
// non-existent accounts (never a real one). At most MAX_LOGIN_ATTEMPTS logins, one after the other,
// stopping at the first 429 M_LIMIT_EXCEEDED; then, only if one came, ONE more login with a forged
// X-Forwarded-For (an RFC 5737 documentation address, only written in a header) to see whether the
// limiter trusts a client-chosen address. So at most MAX_LOGIN_ATTEMPTS + 1 requests.
//
// Every attempt names a different account, so the per-account limiters (rc_login.account counts
// successful logins, rc_login.failed_attempts failed ones per account) never see more than one attempt:
// a 429 can only come from the per-address limiter, rc_login.address.
//
// Side effects, by design: the attempts use up this machine's rc_login.address budget on the homeserver
// (by default 5 logins, then one more every ~333 s); when Synapse sees every client as the proxy's address
// (no x_forwarded), that budget is everyone's, so the probe can lock every user out of logging in for as
// long as the 429's retry_after_ms says. Failed logins are logged by Synapse, and an LDAP module looks the
// random names up in the directory.

import { randomBytes, randomInt } from 'node:crypto';
import { defineProbe } from '../engine/define.js';
import { timeoutSignal } from '../engine/timeouts.js';
import type { ProbeContext } from '../engine/types.js';
import { configuredElementBaseUrl, configuredPublicBaseurl } from './client-versions.js';
import type { ElementConfigArtifact, HomeserverConfigArtifact } from './config-files.js';

/** Failed logins at most (stopping at the first 429); one more with a forged X-Forwarded-For after a 429. */
export const MAX_LOGIN_ATTEMPTS = 7;

export interface LoginAttempt {
  n: number;
  /** The random, non-existent account this attempt named. */
  user: string;
  status?: number;
  errcode?: string;
  retryAfterMs?: number;
  /** The Retry-After header (seconds), as sent. */
  retryAfter?: string;
  error?: { code: string; message: string };
  address?: string;
  durationMs: number;
}

export interface LoginRateArtifact {
  baseUrl: string;
  baseUrlSource: 'homeserver-config' | 'element-config';
  url: string;
  maxAttempts: number;
  attempts: LoginAttempt[];
  /** The attempt (1-based) answered 429 M_LIMIT_EXCEEDED, if any. */
  limitedAt?: number;
  stoppedBecause: 'limited' | 'max-attempts' | 'error' | 'unexpected-answer';
  /** The login after the 429, with a forged X-Forwarded-For: `accepted` when the limiter let it through. */
  spoofCheck?: LoginAttempt & { forwardedFor: string; accepted: boolean };
  /** Only set when a login unexpectedly succeeded: the session was ended at once. */
  loggedOut?: boolean;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** public_baseurl (from the last homeserver file that sets it), else Element's default homeserver base_url. */
export function clientBaseUrl(
  homeserver?: HomeserverConfigArtifact,
  element?: ElementConfigArtifact,
): { baseUrl: string; source: LoginRateArtifact['baseUrlSource'] } | undefined {
  const fromHs = configuredPublicBaseurl(homeserver);
  if (fromHs) return { baseUrl: fromHs, source: 'homeserver-config' };
  const fromEl = configuredElementBaseUrl(element);
  if (fromEl) return { baseUrl: fromEl, source: 'element-config' };
  return undefined;
}

function matrixError(body: string): { errcode?: string; retryAfterMs?: number; accessToken?: string } {
  try {
    const parsed = JSON.parse(body) as unknown;
    if (!isObject(parsed)) return {};
    return {
      ...(typeof parsed.errcode === 'string' ? { errcode: parsed.errcode } : {}),
      ...(typeof parsed.retry_after_ms === 'number' ? { retryAfterMs: parsed.retry_after_ms } : {}),
      ...(typeof parsed.access_token === 'string' && parsed.access_token ? { accessToken: parsed.access_token } : {}),
    };
  } catch {
    return {};
  }
}

async function attempt(
  ctx: ProbeContext,
  url: string,
  n: number,
  prefix: string,
  headers: Record<string, string> = {},
): Promise<LoginAttempt & { accessToken?: string }> {
  const user = `${prefix}-${n}`;
  const x = await ctx.net.http(url, {
    // Each login gets the user's --timeout; the probe as a whole has longer (see timeoutMs below).
    signal: AbortSignal.any([ctx.signal, timeoutSignal(ctx.inputs.timeoutMs)]),
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ type: 'm.login.password', identifier: { type: 'm.id.user', user }, password: randomBytes(12).toString('hex') }),
    maxBytes: 16 * 1024,
    maxRedirects: 0,
  });
  const parsed = x.ok ? matrixError(x.body) : {};
  if (parsed.accessToken) ctx.addSecret(parsed.accessToken);
  return {
    n,
    user,
    ...(x.status !== undefined ? { status: x.status } : {}),
    ...(parsed.errcode ? { errcode: parsed.errcode } : {}),
    ...(parsed.retryAfterMs !== undefined ? { retryAfterMs: parsed.retryAfterMs } : {}),
    ...(x.headers['retry-after'] ? { retryAfter: x.headers['retry-after'] } : {}),
    ...(x.error ? { error: x.error } : {}),
    ...(x.address ? { address: x.address } : {}),
    durationMs: Math.round(x.durationMs),
    ...(parsed.accessToken ? { accessToken: parsed.accessToken } : {}),
  };
}

async function logout(ctx: ProbeContext, baseUrl: string, token: string): Promise<boolean> {
  const out = await ctx.net.http(`${baseUrl}/_matrix/client/v3/logout`, {
    signal: timeoutSignal(Math.max(2000, ctx.inputs.timeoutMs)),
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: '{}',
    maxRedirects: 0,
  });
  return out.ok && out.status === 200;
}

const isLimited = (a: LoginAttempt) => a.status === 429;
/** A normal answer to a failed login: the limiter let it through and the homeserver judged the password. */
const isFailedLogin = (a: LoginAttempt) =>
  a.status !== undefined && a.status >= 400 && a.status < 500 && a.status !== 429 && a.status !== 404 && a.status !== 405;

export const loginRateProbe = defineProbe<LoginRateArtifact>({
  id: 'loginRate',
  description: `--probe-login: up to ${MAX_LOGIN_ATTEMPTS} failed logins for random non-existent accounts, to see when the homeserver answers 429 M_LIMIT_EXCEEDED`,
  network: true,
  uses: ['homeserverConfig', 'elementConfig'],
  // Up to 8 requests, each with the user's --timeout, and Synapse pauses 0.5 s before every 429.
  timeoutMs: 60_000,
  async run(ctx, deps) {
    if (!ctx.inputs.probeLogin) return { skip: 'the login rate probe is opt-in (--probe-login)' };
    const target = clientBaseUrl(deps.homeserverConfig as HomeserverConfigArtifact | undefined, deps.elementConfig as ElementConfigArtifact | undefined);
    if (!target) return { skip: "no client base URL to log in at (homeserver.yaml's public_baseurl, or Element's base_url)" };
    const url = `${target.baseUrl}/_matrix/client/v3/login`;
    // Random and long: no real account can have this name.
    const prefix = `matrixdoc-ratelimit-probe-${randomBytes(6).toString('hex')}`;
    const artifact: LoginRateArtifact = {
      baseUrl: target.baseUrl,
      baseUrlSource: target.source,
      url,
      maxAttempts: MAX_LOGIN_ATTEMPTS,
      attempts: [],
      stoppedBecause: 'max-attempts',
    };
    for (let n = 1; n <= MAX_LOGIN_ATTEMPTS; n++) {
      const { accessToken, ...a } = await attempt(ctx, url, n, prefix);
      artifact.attempts.push(a);
      if (accessToken) {
        // Cannot happen for a random name, unless a module creates accounts on login: end the session at once.
        artifact.loggedOut = await logout(ctx, target.baseUrl, accessToken);
        artifact.stoppedBecause = 'unexpected-answer';
        return artifact;
      }
      if (isLimited(a)) {
        artifact.limitedAt = n;
        artifact.stoppedBecause = 'limited';
        break;
      }
      if (a.error) {
        artifact.stoppedBecause = 'error';
        return artifact;
      }
      if (!isFailedLogin(a)) {
        artifact.stoppedBecause = 'unexpected-answer';
        return artifact;
      }
    }
    if (artifact.limitedAt !== undefined) {
      // 192.0.2.0/24 is for documentation (RFC 5737): only written in the header, never contacted.
      const forwardedFor = `192.0.2.${randomInt(1, 255)}`;
      const { accessToken, ...a } = await attempt(ctx, url, artifact.limitedAt + 1, prefix, { 'x-forwarded-for': forwardedFor });
      artifact.spoofCheck = { ...a, forwardedFor, accepted: isFailedLogin(a) || accessToken !== undefined };
      if (accessToken) artifact.loggedOut = await logout(ctx, target.baseUrl, accessToken);
    }
    return artifact;
  },
});
