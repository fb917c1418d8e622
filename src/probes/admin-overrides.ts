// --admin-token with --rate-limit-users @a:example.com,@b:example.com: reads each user's rate-limit
// override through Synapse's admin API, GET /_synapse/admin/v1/users/<user_id>/override_ratelimit
// (docs/admin_api/user_admin_api.md, "Override ratelimiting for users"): {} when there is none, else
// {messages_per_second, burst_count}. Read-only. The token is a secret: registered with the redactor
// before anything is sent, never in the evidence, and never sent on to a redirect.

import { defineProbe } from '../engine/define.js';
import { timeoutSignal } from '../engine/timeouts.js';
import type { ElementConfigArtifact, HomeserverConfigArtifact } from './config-files.js';
import { clientBaseUrl } from './login-rate.js';

/** Users looked up at most (one request each, one after the other). */
export const MAX_OVERRIDE_USERS = 50;

export interface OverrideLookup {
  user: string;
  url: string;
  status?: number;
  errcode?: string;
  errorText?: string;
  error?: { code: string; message: string };
  /** The override as the admin API returned it: {} for none. Undefined when the lookup failed. */
  override?: { messages_per_second?: number; burst_count?: number };
}

export interface RateLimitOverridesArtifact {
  baseUrl: string;
  users: OverrideLookup[];
  /** Users given beyond MAX_OVERRIDE_USERS, not looked up. */
  notLookedUp: string[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `@alice:example.com` as given; a bare localpart gets the server name. */
export function qualifyUser(user: string, serverName: string | undefined): string {
  const u = user.trim();
  if (u.startsWith('@')) return u;
  return serverName ? `@${u}:${serverName}` : u;
}

export const rateLimitOverridesProbe = defineProbe<RateLimitOverridesArtifact>({
  id: 'rateLimitOverrides',
  description: "Reads per-user rate-limit overrides through Synapse's admin API (--admin-token, --rate-limit-users)",
  network: true,
  uses: ['homeserverConfig', 'elementConfig'],
  timeoutMs: 60_000,
  async run(ctx, deps) {
    const { adminToken, rateLimitUsers = [] } = ctx.inputs;
    if (rateLimitUsers.length === 0) return { skip: 'no users to look up (--rate-limit-users @bot:example.com,...)' };
    if (!adminToken) return { skip: 'no admin access token (--admin-token or MATRIXDOC_ADMIN_TOKEN)' };
    ctx.addSecret(adminToken);
    const homeserver = deps.homeserverConfig as HomeserverConfigArtifact | undefined;
    const target = clientBaseUrl(homeserver, deps.elementConfig as ElementConfigArtifact | undefined);
    if (!target) return { skip: "no client base URL for the admin API (homeserver.yaml's public_baseurl, or Element's base_url)" };
    let serverName = ctx.inputs.serverName;
    for (const art of homeserver ? [homeserver, ...(homeserver.overrides ?? [])] : []) {
      const v = art.parsed.value;
      if (isObject(v) && typeof v.server_name === 'string') serverName = v.server_name;
    }
    const wanted = [...new Set(rateLimitUsers.map((u) => qualifyUser(u, serverName)).filter(Boolean))];
    const users: OverrideLookup[] = [];
    for (const user of wanted.slice(0, MAX_OVERRIDE_USERS)) {
      const url = `${target.baseUrl}/_synapse/admin/v1/users/${encodeURIComponent(user)}/override_ratelimit`;
      const x = await ctx.net.http(url, {
        signal: AbortSignal.any([ctx.signal, timeoutSignal(ctx.inputs.timeoutMs)]),
        headers: { authorization: `Bearer ${adminToken}` },
        maxBytes: 16 * 1024,
        maxRedirects: 0,
      });
      const lookup: OverrideLookup = { user, url, ...(x.status !== undefined ? { status: x.status } : {}), ...(x.error ? { error: x.error } : {}) };
      let body: unknown;
      try {
        body = x.ok ? JSON.parse(x.body) : undefined;
      } catch {
        body = undefined;
      }
      if (isObject(body)) {
        if (x.status === 200) {
          lookup.override = {};
          if (typeof body.messages_per_second === 'number') lookup.override.messages_per_second = body.messages_per_second;
          if (typeof body.burst_count === 'number') lookup.override.burst_count = body.burst_count;
        } else {
          if (typeof body.errcode === 'string') lookup.errcode = body.errcode;
          if (typeof body.error === 'string') lookup.errorText = body.error;
        }
      }
      users.push(lookup);
    }
    return { baseUrl: target.baseUrl, users, notLookedUp: wanted.slice(MAX_OVERRIDE_USERS) };
  },
});
