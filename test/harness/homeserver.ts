// A test homeserver that stands in for Synapse (no Debian package) and follows the spec where matrixdoc
// looks: client versions, federation version, a key server signed with a real ed25519 key over
// canonical JSON, password login with Synapse's `well_known`, logout, and the client well-known that
// Synapse serves only when public_baseurl is set. Its options are live: tests change them between
// requests to make it misbehave in specific ways.

import { createHmac, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type net from 'node:net';
import { privateKeyFromSeed, publicKeyBase64, signJson } from '../../src/matrix/signing.js';

export interface TestHomeserverOptions {
  serverName: string;
  /** Synapse's public_baseurl; when set, /.well-known/matrix/client and login's well_known are served. */
  publicBaseurl?: string;
  signingSeed: Buffer;
  keyId: string;
  /** valid_until_ts = now + this (negative: already expired). */
  keyValidForMs: number;
  /** server_name in the key response (to simulate a mismatch). */
  keyServerName?: string;
  /** Sign, then change the body: the signature no longer matches. */
  corruptKeySignature: boolean;
  /** Local users and their passwords, for /login. */
  users: Record<string, string>;
  version: string;
  /** Matrix spec versions advertised by /_matrix/client/versions. */
  clientVersions: string[];
  /** Synapse's listener x_forwarded: take the client address from the left-most X-Forwarded-For value. */
  xForwarded: boolean;
  /** Synapse's rc_login limiters (per_second, burst_count), with Synapse's defaults. */
  rcLogin: { address: RateLimit; account: RateLimit; failedAttempts: RateLimit };
  /** Synapse sleeps 0.5 s before a 429; tests usually want 0. */
  rateLimitPauseMs: number;
  /** Access token of a server admin, for /_synapse/admin (none: every admin request is refused). */
  adminToken?: string;
  /** Per-user rate-limit overrides (admin API override_ratelimit), keyed by full user ID. */
  ratelimitOverrides: Record<string, { messages_per_second: number; burst_count: number }>;
  /** Synapse's turn_uris: /voip/turnServer answers {} when empty or without credentials, as Synapse. */
  turnUris?: string[];
  /** turn_shared_secret: credentials made as Synapse makes them (expiry:user, HMAC-SHA1, base64). */
  turnSharedSecret?: string;
  /** turn_username / turn_password, used when there is no shared secret. */
  turnUsername?: string;
  turnPassword?: string;
  /** turn_user_lifetime in ms (Synapse's default: 1 h). */
  turnUserLifetimeMs?: number;
}

export interface RateLimit {
  perSecond: number;
  burstCount: number;
}

/**
 * A leaky bucket per key, as Synapse's Ratelimiter: `burstCount` actions at once, draining at
 * `perSecond`; an action is refused when the bucket would overflow, with the time until it would not.
 */
export class TokenBucket {
  private readonly buckets = new Map<string, { count: number; at: number }>();

  /** Records the action when allowed; otherwise returns how many ms to wait. */
  take(key: string, limit: RateLimit, now = Date.now()): { allowed: true } | { allowed: false; retryAfterMs: number } {
    const b = this.buckets.get(key) ?? { count: 0, at: now };
    const drained = Math.max(0, b.count - ((now - b.at) / 1000) * limit.perSecond);
    if (drained + 1 > limit.burstCount) {
      return { allowed: false, retryAfterMs: Math.ceil(((drained + 1 - limit.burstCount) / limit.perSecond) * 1000) };
    }
    this.buckets.set(key, { count: drained + 1, at: now });
    return { allowed: true };
  }

  /** Would one more action be refused (without recording it)? */
  wouldRefuse(key: string, limit: RateLimit, now = Date.now()): boolean {
    const b = this.buckets.get(key);
    if (!b) return limit.burstCount < 1;
    return Math.max(0, b.count - ((now - b.at) / 1000) * limit.perSecond) + 1 > limit.burstCount;
  }

  clear(): void {
    this.buckets.clear();
  }
}

/** Synapse's defaults (synapse/config/ratelimiting.py). */
export const DEFAULT_RC_LOGIN = {
  address: { perSecond: 0.003, burstCount: 5 },
  account: { perSecond: 0.003, burstCount: 5 },
  failedAttempts: { perSecond: 0.17, burstCount: 3 },
};

export interface SeenRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  remoteAddress?: string;
  body?: string;
}

export interface TestHomeserver {
  port: number;
  options: TestHomeserverOptions;
  requests: SeenRequest[];
  /** Access tokens handed out by /login and not yet logged out. */
  liveTokens: Set<string>;
  /** The login limiters' state (clear() to start over). */
  limiters: { address: TokenBucket; account: TokenBucket; failedAttempts: TokenBucket };
  /** Client address of each 429, as Synapse logs it. */
  rateLimited: { address: string; limiter: string }[];
  publicKey: string;
  stop(): Promise<void>;
}

const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, HEAD, POST, PUT, DELETE, OPTIONS',
  'Access-Control-Allow-Headers': 'X-Requested-With, Content-Type, Authorization, Date',
};

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), Server: 'Synapse/test', ...CORS });
  res.end(text);
}

export function defaultHomeserverOptions(serverName: string): TestHomeserverOptions {
  return {
    serverName,
    signingSeed: randomBytes(32),
    keyId: 'ed25519:a_test',
    keyValidForMs: 24 * 3600_000,
    corruptKeySignature: false,
    users: { alice: 'correct horse battery staple' },
    version: '1.157.1',
    clientVersions: ['r0.6.1', 'v1.1', 'v1.2', 'v1.3', 'v1.4', 'v1.5', 'v1.6', 'v1.7', 'v1.8', 'v1.9', 'v1.10', 'v1.11'],
    xForwarded: false,
    rcLogin: structuredClone(DEFAULT_RC_LOGIN),
    rateLimitPauseMs: 0,
    ratelimitOverrides: {},
  };
}

function localpart(identifier: unknown, user: unknown, serverName: string): string | undefined {
  const id = (identifier as { type?: string; user?: string } | undefined)?.type === 'm.id.user' ? (identifier as { user: string }).user : user;
  if (typeof id !== 'string') return undefined;
  const m = id.match(/^@([^:]+):(.+)$/);
  if (m) return m[2] === serverName ? m[1] : undefined;
  return id;
}

export async function startTestHomeserver(overrides: Partial<TestHomeserverOptions> & { serverName: string }): Promise<TestHomeserver> {
  const options: TestHomeserverOptions = { ...defaultHomeserverOptions(overrides.serverName), ...overrides };
  const requests: SeenRequest[] = [];
  const liveTokens = new Set<string>();
  const limiters = { address: new TokenBucket(), account: new TokenBucket(), failedAttempts: new TokenBucket() };
  const rateLimited: { address: string; limiter: string }[] = [];
  /** The client address as Synapse sees it: the peer, or the left-most X-Forwarded-For with x_forwarded. */
  const clientAddress = (req: http.IncomingMessage) => {
    const xff = req.headers['x-forwarded-for'];
    const first = (Array.isArray(xff) ? xff[0] : xff)?.split(',')[0]?.trim();
    return options.xForwarded && first ? first : (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
  };
  const tooMany = (res: http.ServerResponse, retryAfterMs: number, address: string, limiter: string) => {
    rateLimited.push({ address, limiter });
    setTimeout(() => {
      res.setHeader('Retry-After', String(Math.ceil(retryAfterMs / 1000)));
      send(res, 429, { errcode: 'M_LIMIT_EXCEEDED', error: 'Too Many Requests', retry_after_ms: retryAfterMs });
    }, options.rateLimitPauseMs);
  };

  const keyResponse = () => {
    const key = privateKeyFromSeed(options.signingSeed);
    const body = {
      server_name: options.keyServerName ?? options.serverName,
      valid_until_ts: Date.now() + options.keyValidForMs,
      verify_keys: { [options.keyId]: { key: publicKeyBase64(key) } },
      old_verify_keys: {},
    };
    const signed = signJson(body, options.serverName, options.keyId, key);
    return options.corruptKeySignature ? { ...signed, valid_until_ts: signed.valid_until_ts + 1 } : signed;
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      if (chunks.reduce((n, b) => n + b.length, 0) < 64 * 1024) chunks.push(c);
    });
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, remoteAddress: req.socket.remoteAddress, body });
      const url = new URL(req.url ?? '/', 'http://localhost');
      const path = url.pathname;
      if (req.method === 'OPTIONS') {
        res.writeHead(204, CORS);
        res.end();
        return;
      }
      if (path === '/health') {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end('OK');
        return;
      }
      if (path === '/_matrix/client/versions') return send(res, 200, { versions: options.clientVersions, unstable_features: {} });
      if (path === '/_matrix/federation/v1/version') return send(res, 200, { server: { name: 'Synapse', version: options.version } });
      if (path === '/_matrix/key/v2/server') return send(res, 200, keyResponse());
      if (path === '/.well-known/matrix/client') {
        if (!options.publicBaseurl) return send(res, 404, { errcode: 'M_NOT_FOUND', error: '.well-known not available' });
        return send(res, 200, { 'm.homeserver': { base_url: options.publicBaseurl } });
      }
      if (/^\/_matrix\/client\/(r0|v3)\/login$/.test(path)) {
        if (req.method === 'GET') return send(res, 200, { flows: [{ type: 'm.login.password' }] });
        let parsed: Record<string, unknown>;
        try {
          parsed = JSON.parse(body);
        } catch {
          return send(res, 400, { errcode: 'M_NOT_JSON', error: 'Content not JSON.' });
        }
        // As synapse/rest/client/login.py: the address limiter first, then per account, then failed attempts.
        const address = clientAddress(req);
        const byAddress = limiters.address.take(address, options.rcLogin.address);
        if (!byAddress.allowed) return tooMany(res, byAddress.retryAfterMs, address, 'rc_login.address');
        const user = localpart(parsed.identifier, parsed.user, options.serverName);
        const account = `@${user ?? ''}:${options.serverName}`;
        const byAccount = limiters.account.take(account, options.rcLogin.account);
        if (!byAccount.allowed) return tooMany(res, byAccount.retryAfterMs, address, 'rc_login.account');
        if (limiters.failedAttempts.wouldRefuse(account, options.rcLogin.failedAttempts)) {
          return tooMany(res, 1000, address, 'rc_login.failed_attempts');
        }
        if (parsed.type !== 'm.login.password' || !user || options.users[user] === undefined || options.users[user] !== parsed.password) {
          limiters.failedAttempts.take(account, options.rcLogin.failedAttempts);
          return send(res, 403, { errcode: 'M_FORBIDDEN', error: 'Invalid username or password' });
        }
        const token = `syt_${Buffer.from(user).toString('base64url')}_${randomBytes(12).toString('base64url')}`;
        liveTokens.add(token);
        return send(res, 200, {
          user_id: `@${user}:${options.serverName}`,
          access_token: token,
          device_id: randomBytes(5).toString('hex').toUpperCase(),
          home_server: options.serverName,
          ...(options.publicBaseurl ? { well_known: { 'm.homeserver': { base_url: options.publicBaseurl } } } : {}),
        });
      }
      // As synapse/rest/admin/users.py RateLimitRestServlet.on_GET (assert_requester_is_admin first).
      const override = path.match(/^\/_synapse\/admin\/v1\/users\/([^/]*)\/override_ratelimit$/);
      if (override && req.method === 'GET') {
        const token = (req.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
        if (!token) return send(res, 401, { errcode: 'M_MISSING_TOKEN', error: 'Missing access token.' });
        if (!options.adminToken || token !== options.adminToken) {
          return liveTokens.has(token)
            ? send(res, 403, { errcode: 'M_FORBIDDEN', error: 'You are not a server admin' })
            : send(res, 401, { errcode: 'M_UNKNOWN_TOKEN', error: 'Invalid access token passed.' });
        }
        const userId = decodeURIComponent(override[1]);
        const m = userId.match(/^@([^:]+):(.+)$/);
        if (!m || m[2] !== options.serverName) return send(res, 400, { errcode: 'M_UNKNOWN', error: 'Can only look up local users' });
        if (options.users[m[1]] === undefined) return send(res, 404, { errcode: 'M_NOT_FOUND', error: 'User not found' });
        return send(res, 200, options.ratelimitOverrides[userId] ?? {});
      }
      if (/^\/_matrix\/client\/(r0|v3|unstable)\/voip\/turnServer$/.test(path) && req.method === 'GET') {
        // As synapse/rest/client/voip.py: an access token is required; {} when TURN is not configured.
        const token = (req.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
        if (!token) return send(res, 401, { errcode: 'M_MISSING_TOKEN', error: 'Missing access token.' });
        if (!liveTokens.has(token)) return send(res, 401, { errcode: 'M_UNKNOWN_TOKEN', error: 'Invalid access token passed.' });
        // syt_<base64url(localpart)>_<16 random characters>, as /login makes them.
        const user = Buffer.from(token.slice(4, -17), 'base64url').toString('utf8');
        const lifetimeMs = options.turnUserLifetimeMs ?? 3_600_000;
        const uris = options.turnUris ?? [];
        if (uris.length === 0) return send(res, 200, {});
        if (options.turnSharedSecret) {
          const username = `${Math.trunc((Date.now() + lifetimeMs) / 1000)}:@${user}:${options.serverName}`;
          const password = createHmac('sha1', options.turnSharedSecret).update(username).digest('base64');
          return send(res, 200, { username, password, ttl: Math.trunc(lifetimeMs / 1000), uris });
        }
        if (options.turnUsername && options.turnPassword) {
          return send(res, 200, { username: options.turnUsername, password: options.turnPassword, ttl: Math.trunc(lifetimeMs / 1000), uris });
        }
        return send(res, 200, {});
      }
      if (/^\/_matrix\/client\/(r0|v3)\/logout$/.test(path) && req.method === 'POST') {
        const token = (req.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
        if (!liveTokens.delete(token)) return send(res, 401, { errcode: 'M_UNKNOWN_TOKEN', error: 'Invalid access token passed.' });
        return send(res, 200, {});
      }
      return send(res, 404, { errcode: 'M_UNRECOGNIZED', error: 'Unrecognized request' });
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  let stopped: Promise<void> | undefined;
  return {
    port,
    options,
    requests,
    liveTokens,
    limiters,
    rateLimited,
    publicKey: publicKeyBase64(privateKeyFromSeed(options.signingSeed)),
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return stopped;
    },
  };
}
