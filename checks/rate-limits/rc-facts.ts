// Domain facts for the rate-limits check: every rate limiter Synapse configures from homeserver.yaml, its
// default (the code wins over the docs), what it limits, and what its buckets are keyed by.
// Sources (element-hq/synapse at v1.157.1+16, a58ad44eb0, 2026-07-24):
//  [CFG]   synapse/config/ratelimiting.py (RatelimitConfig.read_config, RatelimitSettings.parse: a missing
//          block or sub-key falls back to the default; burst_count is int()-cast for new-style blocks; the
//          legacy rc_messages_per_second / rc_message_burst_count are read only when `rc_message` is absent).
//  [RL]    synapse/api/ratelimiting.py (Ratelimiter.can_do_action: a per-user override with
//          messages_per_second 0 exempts a *requester* from every limiter that is called with one;
//          RequestRatelimiter.ratelimit: a non-zero override replaces rc_message's values only; app
//          service senders are never limited by rc_message).
//  [LOGIN] synapse/rest/client/login.py (`_address_ratelimiter.ratelimit(None, request.getClientAddress().host)`
//          before every login, `_account_ratelimiter.ratelimit(None, user_id.lower())` after a successful
//          one), synapse/handlers/auth.py (rc_login.failed_attempts keyed by the qualified user ID).
//  [REG]   synapse/handlers/register.py (`ratelimiter.ratelimit(None, address)`), synapse/rest/client/register.py
//          (rc_registration_token_validity keyed by the client address), synapse/handlers/identity.py
//          (rc_3pid_validation keyed by (medium, client address) and by (medium, address)),
//          synapse/handlers/delayed_events.py (keyed by the client address when unauthenticated),
//          synapse/http/matrixfederationclient.py (remote media downloads keyed by the client address).
//  [SITE]  synapse/http/site.py (XForwardedForRequest: used only with x_forwarded; the left-most value of
//          the first X-Forwarded-For header, no trusted-proxy list), synapse/config/server.py (x_forwarded
//          defaults to false for TCP listeners, true for unix-socket listeners; bind_addresses defaults to
//          ['::', '0.0.0.0']).
//  [ERR]   synapse/api/errors.py (LimitExceededError: 429, M_LIMIT_EXCEEDED, "Too Many Requests",
//          retry_after_ms, Retry-After in seconds), synapse/http/server.py (logs
//          "<request> SynapseError: 429 - Too Many Requests (<limiter key>)").
//  [ADMIN] synapse/rest/admin/users.py RateLimitRestServlet, docs/admin_api/user_admin_api.md
//          ("Override ratelimiting for users": GET returns {} without an override).
//  [DEB]   Debian's nginx-common /etc/nginx/proxy_params (X-Forwarded-For $proxy_add_x_forwarded_for).

/** What a limiter's buckets are keyed by: the part that decides who shares a bucket. */
export type KeyedBy = 'user' | 'address' | 'account' | 'room' | 'invitee' | 'device-or-origin' | 'user-or-address' | 'address-and-3pid';

export interface LimiterFact {
  /** The homeserver.yaml path of the block, dotted (`rc_login.address`); also the limiter's name in Synapse's logs. */
  key: string;
  perSecond: number;
  burstCount: number;
  keyedBy: KeyedBy;
  /** What it limits, for the table and the messages. */
  limits: string;
  /** Guards against guessing passwords, tokens or mass registration: thresholds are stricter. */
  sensitive: boolean;
  /** Keyed by the client address (so without x_forwarded behind a proxy, everyone shares one bucket). */
  addressKeyed: boolean;
  /** Does an admin-API per-user override (messages_per_second 0) exempt a user from it? [RL] */
  userOverrideExempts: boolean;
  /** Synapse version that added it, when recent. */
  since?: string;
  /** Not in Synapse's configuration manual (still read). */
  undocumented?: boolean;
  /** What the docs say when they disagree with the code. */
  docsSay?: string;
}

export const LIMITERS: LimiterFact[] = [
  {
    key: 'rc_message',
    perSecond: 0.2,
    burstCount: 10,
    keyedBy: 'user',
    limits: 'messages and other events a local user sends (and room admins’ redactions unless rc_admin_redaction is set)',
    sensitive: false,
    addressKeyed: false,
    userOverrideExempts: true,
  },
  {
    key: 'rc_registration',
    perSecond: 0.17,
    burstCount: 3,
    keyedBy: 'address',
    limits: 'account registration (POST /register)',
    sensitive: true,
    addressKeyed: true,
    userOverrideExempts: false,
  },
  {
    key: 'rc_registration_token_validity',
    perSecond: 0.1,
    burstCount: 5,
    keyedBy: 'address',
    limits: 'registration token validity checks',
    sensitive: true,
    addressKeyed: true,
    userOverrideExempts: false,
  },
  {
    key: 'rc_login.address',
    perSecond: 0.003,
    burstCount: 5,
    keyedBy: 'address',
    limits: 'login attempts from one client address, failed or not',
    sensitive: true,
    addressKeyed: true,
    userOverrideExempts: false,
  },
  {
    key: 'rc_login.account',
    perSecond: 0.003,
    burstCount: 5,
    keyedBy: 'account',
    limits: 'successful logins to one account',
    sensitive: true,
    addressKeyed: false,
    userOverrideExempts: false,
  },
  {
    key: 'rc_login.failed_attempts',
    perSecond: 0.17,
    burstCount: 3,
    keyedBy: 'account',
    limits: 'failed logins for one account (password guessing)',
    sensitive: true,
    addressKeyed: false,
    userOverrideExempts: false,
  },
  {
    key: 'rc_joins.local',
    perSecond: 0.1,
    burstCount: 10,
    keyedBy: 'user',
    limits: 'joins to rooms this server already has',
    sensitive: false,
    addressKeyed: false,
    userOverrideExempts: true,
  },
  {
    key: 'rc_joins.remote',
    perSecond: 0.01,
    burstCount: 10,
    keyedBy: 'user',
    limits: 'joins to rooms over federation',
    sensitive: false,
    addressKeyed: false,
    userOverrideExempts: true,
  },
  {
    key: 'rc_joins_per_room',
    perSecond: 1,
    burstCount: 10,
    keyedBy: 'room',
    limits: 'joins to one room, by anyone',
    sensitive: false,
    addressKeyed: false,
    userOverrideExempts: true,
    since: '1.64.0',
  },
  {
    key: 'rc_3pid_validation',
    perSecond: 0.003,
    burstCount: 5,
    keyedBy: 'address-and-3pid',
    limits: 'validation emails and text messages (requestToken)',
    sensitive: true,
    addressKeyed: true,
    userOverrideExempts: false,
  },
  {
    key: 'rc_invites.per_room',
    perSecond: 0.3,
    burstCount: 10,
    keyedBy: 'room',
    limits: 'invites into one room',
    sensitive: false,
    addressKeyed: false,
    userOverrideExempts: true,
  },
  {
    key: 'rc_invites.per_user',
    perSecond: 0.003,
    burstCount: 5,
    keyedBy: 'invitee',
    limits: 'invites one user receives',
    sensitive: false,
    addressKeyed: false,
    userOverrideExempts: true,
  },
  {
    key: 'rc_invites.per_issuer',
    perSecond: 0.3,
    burstCount: 10,
    keyedBy: 'user',
    limits: 'invites one user sends',
    sensitive: false,
    addressKeyed: false,
    userOverrideExempts: true,
    since: '1.63.0',
  },
  {
    key: 'rc_third_party_invite',
    perSecond: 0.0025,
    burstCount: 5,
    keyedBy: 'user',
    limits: 'third-party (email) invites one user sends',
    sensitive: false,
    addressKeyed: false,
    userOverrideExempts: true,
    docsSay: 'per_second 0.2, burst_count 10 (the code uses 0.0025 and 5)',
  },
  {
    key: 'rc_media_create',
    perSecond: 10,
    burstCount: 50,
    keyedBy: 'user',
    limits: 'media IDs a user creates (POST /_matrix/media/v1/create)',
    sensitive: false,
    addressKeyed: false,
    userOverrideExempts: true,
  },
  {
    key: 'rc_presence.per_user',
    perSecond: 0.1,
    burstCount: 1,
    keyedBy: 'user',
    limits: 'presence updates (updates from /sync are dropped silently)',
    sensitive: false,
    addressKeyed: false,
    userOverrideExempts: true,
  },
  {
    key: 'rc_delayed_event_mgmt',
    perSecond: 1,
    burstCount: 5,
    keyedBy: 'user-or-address',
    limits: 'managing delayed events (by the client address when unauthenticated)',
    sensitive: false,
    addressKeyed: true,
    userOverrideExempts: true,
  },
  {
    key: 'rc_room_creation',
    perSecond: 0.016,
    burstCount: 10,
    keyedBy: 'user',
    limits: 'rooms a user creates',
    sensitive: false,
    addressKeyed: false,
    userOverrideExempts: true,
  },
  {
    key: 'rc_reports',
    perSecond: 1,
    burstCount: 5,
    keyedBy: 'user',
    limits: 'content, room and user reports',
    sensitive: false,
    addressKeyed: false,
    userOverrideExempts: true,
  },
  {
    key: 'rc_user_directory',
    perSecond: 0.016,
    burstCount: 200,
    keyedBy: 'user',
    limits: 'user directory searches',
    sensitive: false,
    addressKeyed: false,
    userOverrideExempts: true,
    since: '1.145.0',
  },
  {
    key: 'rc_key_requests',
    perSecond: 20,
    burstCount: 100,
    keyedBy: 'device-or-origin',
    limits: 'cross-user key requests (by sending device, or by origin server over federation)',
    sensitive: false,
    addressKeyed: false,
    userOverrideExempts: true,
    undocumented: true,
  },
];

/** rc_admin_redaction: when the key is absent, admins' redactions use rc_message; present without values, these [CFG]. */
export const ADMIN_REDACTION_DEFAULT = { perSecond: 0.17, burstCount: 3 };

/** rc_federation and its legacy flat keys (federation_rc_*), read only when rc_federation is absent [CFG]. */
export const FEDERATION_DEFAULTS: Record<string, number> = { window_size: 1000, sleep_limit: 10, sleep_delay: 500, reject_limit: 50, concurrent: 3 };

/** Remote media downloads, in bytes, keyed by the client address [CFG, REG]. */
export const REMOTE_MEDIA_DEFAULTS = { perSecond: '87K', burstCount: '500M' };

/** The legacy flat keys of the message limiter [CFG]: used only when there is no rc_message block. */
export const LEGACY_MESSAGE_KEYS = { perSecond: 'rc_messages_per_second', burstCount: 'rc_message_burst_count' } as const;

/** What the message limiter never governs, whatever its values: the question the seed's admin got wrong. */
export const NOT_COVERED_BY_MESSAGE_LIMITS = ['rc_login.address', 'rc_login.account', 'rc_login.failed_attempts', 'rc_registration', 'rc_joins.local'];

/**
 * "So high it disables protection": the factor over Synapse's default (the larger of per_second / default
 * and burst_count / default) from which a limiter is reported. Limiters that stop password guessing,
 * token guessing and mass registration (`sensitive`) are held to 10×; the others to 100×. Below that,
 * raised limits are a local decision (a busy bridge, a NAT in front of many users).
 */
export const HIGH_FACTOR_SENSITIVE = 10;
export const HIGH_FACTOR_OTHER = 100;

/** The left-most X-Forwarded-For values that let a client choose the address Synapse sees [SITE]. */
export const SPOOFABLE_XFF_VALUES = ['$proxy_add_x_forwarded_for', '$http_x_forwarded_for'];
/** Values that carry the address nginx itself saw (with the realip module, the one it trusts). */
export const SAFE_XFF_VALUES = ['$remote_addr', '$realip_remote_addr', '$binary_remote_addr'];

/** Debian's /etc/nginx/proxy_params, pulled in by `include proxy_params;` [DEB]. */
export const DEBIAN_PROXY_PARAMS: [string, string][] = [
  ['Host', '$host'],
  ['X-Real-IP', '$remote_addr'],
  ['X-Forwarded-For', '$proxy_add_x_forwarded_for'],
  ['X-Forwarded-Proto', '$scheme'],
];

/** Synapse's bind_addresses when a listener names none [SITE]. */
export const DEFAULT_BIND_ADDRESSES = ['::', '0.0.0.0'];

/** The body and headers of Synapse's refusal [ERR]. */
export const LIMIT_EXCEEDED = { status: 429, errcode: 'M_LIMIT_EXCEEDED', error: 'Too Many Requests' };

/** A per-user override as the admin API returns it [ADMIN]. */
export interface RatelimitOverride {
  messages_per_second: number;
  burst_count: number;
}

/** Seconds until one more action is allowed once a bucket is full: 1 / per_second (333 s for rc_login.address). */
export function secondsPerToken(perSecond: number): number {
  return perSecond > 0 ? Math.round(1 / perSecond) : Number.POSITIVE_INFINITY;
}
