// The rate limits Synapse runs with, computed from homeserver.yaml the way RatelimitConfig.read_config
// does (rc-facts.ts has the sources): defaults for missing blocks and sub-keys, burst_count int()-cast,
// the legacy flat message keys only without an rc_message block. Pure.

import { isObject } from '../shared/locate.js';
import {
  ADMIN_REDACTION_DEFAULT,
  FEDERATION_DEFAULTS,
  HIGH_FACTOR_OTHER,
  HIGH_FACTOR_SENSITIVE,
  LEGACY_MESSAGE_KEYS,
  LIMITERS,
  type LimiterFact,
  REMOTE_MEDIA_DEFAULTS,
} from './rc-facts.js';

export interface EffectiveLimit {
  fact: LimiterFact;
  /** As Synapse reads them (numbers when valid; the raw value otherwise). */
  perSecond: unknown;
  burstCount: unknown;
  /** Both are numbers Synapse can use (homeserver-config reports other types). */
  valid: boolean;
  /** `default`, `block` (the rc_* block sets at least one value), or `legacy` (rc_messages_per_second...). */
  setBy: 'default' | 'block' | 'legacy';
  /** The YAML path of the block (or of the legacy key) that sets it. */
  path: string[];
  changed: boolean;
  /** How many times Synapse's default the larger of the two values is (1 when unchanged). */
  factor: number;
}

/** Python's int() of a number: towards zero. */
const pyInt = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : v);

function block(top: Record<string, unknown>, key: string): Record<string, unknown> | undefined {
  let cur: unknown = top;
  for (const part of key.split('.')) {
    if (!isObject(cur) || !Object.hasOwn(cur, part)) return undefined;
    cur = cur[part];
  }
  return isObject(cur) ? cur : undefined;
}

function factorOf(fact: { perSecond: number; burstCount: number }, ps: unknown, bc: unknown): number {
  if (typeof ps !== 'number' || typeof bc !== 'number') return 1;
  return Math.max(fact.perSecond > 0 ? ps / fact.perSecond : 1, fact.burstCount > 0 ? bc / fact.burstCount : 1);
}

export function effectiveLimits(top: Record<string, unknown>): EffectiveLimit[] {
  return LIMITERS.map((fact) => {
    let perSecond: unknown = fact.perSecond;
    let burstCount: unknown = fact.burstCount;
    let setBy: EffectiveLimit['setBy'] = 'default';
    let path = fact.key.split('.');
    if (fact.key === 'rc_message' && !Object.hasOwn(top, 'rc_message')) {
      // The flat keys, with no int() cast, and only without an rc_message block.
      const ps = top[LEGACY_MESSAGE_KEYS.perSecond];
      const bc = top[LEGACY_MESSAGE_KEYS.burstCount];
      if (Object.hasOwn(top, LEGACY_MESSAGE_KEYS.perSecond)) perSecond = ps;
      if (Object.hasOwn(top, LEGACY_MESSAGE_KEYS.burstCount)) burstCount = bc;
      if (Object.hasOwn(top, LEGACY_MESSAGE_KEYS.perSecond) || Object.hasOwn(top, LEGACY_MESSAGE_KEYS.burstCount)) {
        setBy = 'legacy';
        path = [Object.hasOwn(top, LEGACY_MESSAGE_KEYS.perSecond) ? LEGACY_MESSAGE_KEYS.perSecond : LEGACY_MESSAGE_KEYS.burstCount];
      }
    } else {
      const b = block(top, fact.key);
      if (b && Object.hasOwn(b, 'per_second')) perSecond = b.per_second;
      if (b && Object.hasOwn(b, 'burst_count')) burstCount = pyInt(b.burst_count);
      if (b && (Object.hasOwn(b, 'per_second') || Object.hasOwn(b, 'burst_count'))) setBy = 'block';
    }
    const valid = typeof perSecond === 'number' && Number.isFinite(perSecond) && typeof burstCount === 'number' && Number.isFinite(burstCount);
    const changed = valid && (perSecond !== fact.perSecond || burstCount !== fact.burstCount);
    return { fact, perSecond, burstCount, valid, setBy, path, changed, factor: valid ? factorOf(fact, perSecond, burstCount) : 1 };
  });
}

export function limitOf(limits: EffectiveLimit[], key: string): EffectiveLimit {
  const found = limits.find((l) => l.fact.key === key);
  if (!found) throw new Error(`no limiter ${key}`);
  return found;
}

/** The threshold factor (see rc-facts.ts) above which a limiter no longer protects anything. */
export function tooHigh(l: EffectiveLimit): boolean {
  return l.valid && l.factor >= (l.fact.sensitive ? HIGH_FACTOR_SENSITIVE : HIGH_FACTOR_OTHER);
}

/** The settings that are not plain per_second/burst_count limiters, for the effective-limits evidence. */
export function otherSettings(top: Record<string, unknown>): Record<string, unknown> {
  const fed = isObject(top.rc_federation) ? top.rc_federation : undefined;
  const federation: Record<string, unknown> = { ...FEDERATION_DEFAULTS };
  for (const k of Object.keys(FEDERATION_DEFAULTS)) {
    if (fed) {
      if (Object.hasOwn(fed, k)) federation[k] = fed[k];
    } else if (top[`federation_rc_${k}`] != null) federation[k] = top[`federation_rc_${k}`];
  }
  const redaction = Object.hasOwn(top, 'rc_admin_redaction')
    ? {
        per_second: block(top, 'rc_admin_redaction')?.per_second ?? ADMIN_REDACTION_DEFAULT.perSecond,
        burst_count: pyInt(block(top, 'rc_admin_redaction')?.burst_count ?? ADMIN_REDACTION_DEFAULT.burstCount),
      }
    : 'not set: room admins’ redactions count against rc_message';
  return {
    rc_admin_redaction: redaction,
    rc_federation: {
      ...federation,
      setBy: fed ? 'rc_federation' : Object.keys(FEDERATION_DEFAULTS).some((k) => top[`federation_rc_${k}`] != null) ? 'federation_rc_* (legacy)' : 'default',
    },
    remote_media_download: {
      per_second: top.remote_media_download_per_second ?? REMOTE_MEDIA_DEFAULTS.perSecond,
      burst_count: top.remote_media_download_burst_count ?? REMOTE_MEDIA_DEFAULTS.burstCount,
      keyedBy: 'address',
    },
    federation_rr_transactions_per_room_per_second: top.federation_rr_transactions_per_room_per_second ?? 50,
  };
}

/** "0.003/s, burst 5" */
export function rate(perSecond: unknown, burstCount: unknown): string {
  return `${String(perSecond)}/s, burst ${String(burstCount)}`;
}

export function formatFactor(f: number): string {
  return f >= 100 ? String(Math.round(f)) : String(Math.round(f * 10) / 10);
}
