// How the readers of the well-known files treat time: how long other servers keep
// /.well-known/matrix/server (and its failures), and how long Element waits for the client file.
//
// Sources:
// - Matrix specification, server-server API, "Resolving server names", step 3 (matrix-org/matrix-spec
//   content/server-server-api.md): responses, successful or not, should be cached; servers should respect
//   the cache control headers, else use a sensible default (24 hours recommended), impose a maximum
//   (48 hours recommended), and cache errors for up to an hour.
// - Synapse, synapse/http/federation/well_known_resolver.py (element-hq/synapse): the constants below,
//   `_cache_period_from_headers` (no-store -> 0; else max-age; else Expires minus now, an unparsable
//   Expires counting as 0; else none) and `_fetch_well_known` (no header -> the default with ±10 % jitter;
//   a header period is clamped to [WELL_KNOWN_MIN_CACHE_PERIOD, WELL_KNOWN_MAX_CACHE_PERIOD]). Failures
//   never look at the headers: a non-200 (other than 5xx), a body that is not JSON or has no m.server
//   string is a permanent failure; no connection, a 5xx or a body over 50 KiB a temporary one, for which
//   a still-cached valid answer is kept. Either is cached WELL_KNOWN_INVALID_CACHE_PERIOD (±10 %), or
//   WELL_KNOWN_DOWN_CACHE_PERIOD when the domain had a valid answer recently (that answer's period +
//   WELL_KNOWN_REMEMBER_DOMAIN_HAD_VALID). A cached answer is fetched again once it is within
//   WELL_KNOWN_GRACE_PERIOD_FACTOR of its period from expiry, in the path of the request that needs it.
// - matrix-js-sdk src/autodiscovery.ts (Element's discovery): `fetchWellKnownObject` fetches with
//   `signal: timeoutSignal(5000)`, for the client well-known and for <base_url>/_matrix/client/versions.

/** Synapse: the period a valid answer without caching headers is kept (then ±10 %). */
export const WELL_KNOWN_DEFAULT_CACHE_PERIOD = 24 * 3600;
export const WELL_KNOWN_DEFAULT_CACHE_PERIOD_JITTER = 0.1;
/** Synapse: how long a failure is remembered. */
export const WELL_KNOWN_INVALID_CACHE_PERIOD = 1 * 3600;
/** Synapse: how long a failure is remembered when the domain had a valid answer recently. */
export const WELL_KNOWN_DOWN_CACHE_PERIOD = 2 * 60;
/** Synapse: the cap on a period the headers ask. */
export const WELL_KNOWN_MAX_CACHE_PERIOD = 48 * 3600;
/** Synapse: the floor under a period the headers ask (no-store included). */
export const WELL_KNOWN_MIN_CACHE_PERIOD = 5 * 60;
/** Synapse: a cached answer is fetched again this fraction of its period before it expires. */
export const WELL_KNOWN_GRACE_PERIOD_FACTOR = 0.2;

/** matrix-js-sdk (Element): each discovery request is aborted after this long. */
export const ELEMENT_DISCOVERY_TIMEOUT_MS = 5000;

/** The cache directives of Cache-Control header values, as Synapse's `_parse_cache_control` reads them. */
export function parseCacheControl(value: string | undefined): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  for (const directive of (value ?? '').split(',')) {
    const eq = directive.indexOf('=');
    const key = (eq < 0 ? directive : directive.slice(0, eq)).trim().toLowerCase();
    out.set(key, eq < 0 ? undefined : directive.slice(eq + 1).trim());
  }
  return out;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** An HTTP date (RFC 1123, RFC 850 or asctime, the forms Twisted's stringToDatetime reads) in ms, or undefined. */
export function parseHttpDate(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  const at = (day: string, month: string, year: string, h: string, m: string, s: string) => {
    const mon = MONTHS.indexOf(month.toLowerCase());
    let y = Number(year);
    if (year.length === 2) y += y < 70 ? 2000 : 1900;
    if (mon < 0) return undefined;
    const t = Date.UTC(y, mon, Number(day), Number(h), Number(m), Number(s));
    return Number.isNaN(t) ? undefined : t;
  };
  let m = /^(?:[A-Za-z]{3},?\s+)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{4})\s+(\d{1,2}):(\d{2}):(\d{2})(?:\s+GMT)?$/i.exec(v);
  if (m) return at(m[1], m[2], m[3], m[4], m[5], m[6]);
  m = /^[A-Za-z]+,\s*(\d{1,2})-([A-Za-z]{3})-(\d{2}|\d{4})\s+(\d{1,2}):(\d{2}):(\d{2})(?:\s+GMT)?$/i.exec(v);
  if (m) return at(m[1], m[2], m[3], m[4], m[5], m[6]);
  m = /^[A-Za-z]{3}\s+([A-Za-z]{3})\s+(\d{1,2})\s+(\d{1,2}):(\d{2}):(\d{2})\s+(\d{4})$/.exec(v);
  if (m) return at(m[2], m[1], m[6], m[3], m[4], m[5]);
  return undefined;
}

/** Where the period Synapse keeps a valid server file comes from. */
export type CacheBasis = 'default' | 'asked' | 'floor' | 'cap';

export interface SynapseCachePeriod {
  /** The header that decided: `no-store`, `max-age`, `Expires`, or none (Synapse's default). */
  source: 'no-store' | 'max-age' | 'expires' | 'none';
  /** The period the headers ask, in seconds (undefined without one). */
  askedSeconds?: number;
  /** The longest Synapse keeps the answer, in seconds: the asked period clamped to [5 min, 48 h], else 24 h + 10 %. */
  seconds: number;
  basis: CacheBasis;
}

/**
 * How long Synapse keeps a valid /.well-known/matrix/server answer, from its headers (`_cache_period_from_headers`
 * then `_fetch_well_known`). An Expires date is measured from the answer's own Date header (Synapse uses its
 * clock at the time of the fetch); undefined when Expires decides and there is no Date to measure from.
 */
export function synapseCachePeriod(h: { cacheControl?: string; expires?: string; date?: string }): SynapseCachePeriod | undefined {
  const cc = parseCacheControl(h.cacheControl);
  let source: SynapseCachePeriod['source'] = 'none';
  let asked: number | undefined;
  if (cc.has('no-store')) {
    source = 'no-store';
    asked = 0;
  } else if (cc.get('max-age') && /^[+-]?\d+(?:_\d+)*$/.test(cc.get('max-age') as string)) {
    // Python's int(): a sign and underscores between digits are accepted; anything else falls through to Expires.
    source = 'max-age';
    asked = Number((cc.get('max-age') as string).replaceAll('_', ''));
  } else if (h.expires !== undefined) {
    source = 'expires';
    const expires = parseHttpDate(h.expires);
    if (expires === undefined) asked = 0;
    else {
      const now = parseHttpDate(h.date);
      if (now === undefined) return undefined;
      asked = Math.round((expires - now) / 1000);
    }
  }
  if (asked === undefined) {
    return { source, seconds: Math.round(WELL_KNOWN_DEFAULT_CACHE_PERIOD * (1 + WELL_KNOWN_DEFAULT_CACHE_PERIOD_JITTER)), basis: 'default' };
  }
  const seconds = Math.max(Math.min(asked, WELL_KNOWN_MAX_CACHE_PERIOD), WELL_KNOWN_MIN_CACHE_PERIOD);
  const basis: CacheBasis = asked < WELL_KNOWN_MIN_CACHE_PERIOD ? 'floor' : asked > WELL_KNOWN_MAX_CACHE_PERIOD ? 'cap' : 'asked';
  return { source, askedSeconds: asked, seconds, basis };
}

/** The units durations are shown in, as phrase ids (one and several). */
export const DURATION_UNITS = {
  second: 'second',
  seconds: 'seconds',
  minute: 'minute',
  minutes: 'minutes',
  hour: 'hour',
  hours: 'hours',
  day: 'day',
  days: 'days',
} as const;

/** 300 -> 5 minutes, 95040 -> 26.4 hours, 604800 -> 7 days: a count and a unit (a phrase id). */
export function durationParts(seconds: number): { count: number; unit: keyof typeof DURATION_UNITS } {
  const s = Math.max(0, seconds);
  const [size, name]: [number, 'second' | 'minute' | 'hour' | 'day'] =
    s >= 3 * 86_400 ? [86_400, 'day'] : s >= 2 * 3600 ? [3600, 'hour'] : s >= 120 ? [60, 'minute'] : [1, 'second'];
  const count = Math.round((s / size) * 10) / 10;
  return { count, unit: count === 1 ? name : `${name}s` };
}
