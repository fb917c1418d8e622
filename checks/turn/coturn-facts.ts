// Facts about coturn and Synapse's TURN settings, with their sources:
// - Synapse's docs/setup/turn/coturn.md (the recommended coturn security block) and synapse/config/voip.py,
//   synapse/rest/client/voip.py (turn_user_lifetime is parsed by parse_duration: a bare number is ms).
// - coturn's README.turnserver and examples/etc/turnserver.conf: default ports, relay range, the
//   denied-peer-ip / allowed-peer-ip / allow-loopback-peers / no-multicast-peers semantics.

import { ipToBytes } from '../../src/stun/address.js';

export const DEFAULT_LISTENING_PORT = 3478;
export const DEFAULT_TLS_LISTENING_PORT = 5349;
/** coturn's default relay port range (UDP), min-port and max-port. */
export const DEFAULT_RELAY_RANGE: [number, number] = [49152, 65535];

/**
 * How often Element (matrix-js-sdk) asks /voip/turnServer again: it keeps the credentials while they have more
 * than this left (`TURN_CHECK_INTERVAL`, 10 minutes, in src/client.ts), so a turn_user_lifetime shorter than this
 * leaves clients holding expired credentials until the next check.
 */
export const CLIENT_REFRESH_MS = 10 * 60 * 1000;

/** A lifetime below this, written without a unit, was probably meant in seconds (turn_user_lifetime is ms). */
export const SECONDS_SUSPICION_MS = CLIENT_REFRESH_MS;

/**
 * Above this a turn_user_lifetime is a security warning: the TURN REST credentials Synapse makes carry their
 * own expiry and coturn cannot revoke them (it checks only the HMAC with static-auth-secret and that the
 * expiry has not passed: ../shared/docs/domain.md §5.2, coturn's `get_rest_api_timestamp`), so a leaked pair
 * lets anyone relay through coturn until then. draft-uberti-behave-turn-rest-00 §2.2 recommends a ttl of one
 * day; Synapse's default is 1h (synapse/config/voip.py, `turn_user_lifetime`, domain.md §5.1).
 */
export const LONG_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** Synapse's default turn_user_lifetime, what the fixes set when the value written cannot be kept. */
export const DEFAULT_LIFETIME = '1h';

/** The denied-peer-ip lines of Synapse's coturn guide (docs/setup/turn/coturn.md). */
export const RECOMMENDED_DENIED_PEER_IP = [
  '0.0.0.0-0.255.255.255',
  '10.0.0.0-10.255.255.255',
  '100.64.0.0-100.127.255.255',
  '127.0.0.0-127.255.255.255',
  '169.254.0.0-169.254.255.255',
  '172.16.0.0-172.31.255.255',
  '192.0.0.0-192.0.0.255',
  '192.0.2.0-192.0.2.255',
  '192.88.99.0-192.88.99.255',
  '192.168.0.0-192.168.255.255',
  '198.18.0.0-198.19.255.255',
  '198.51.100.0-198.51.100.255',
  '203.0.113.0-203.0.113.255',
  '240.0.0.0-255.255.255.255',
  '::1',
  '64:ff9b::-64:ff9b::ffff:ffff',
  '::ffff:0.0.0.0-::ffff:255.255.255.255',
  '100::-100::ffff:ffff:ffff:ffff',
  '2001::-2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff',
  '2002::-2002:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
  'fc00::-fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
  'fe80::-febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
];

/** The coturn lines that close the relay to internal networks, for fixes. */
export function securityBlock(): string[] {
  return [...RECOMMENDED_DENIED_PEER_IP.map((r) => `denied-peer-ip=${r}`), 'no-multicast-peers', '# and no allow-loopback-peers line'];
}

function toBig(address: string): { family: 4 | 6; value: bigint } | undefined {
  const b = ipToBytes(address);
  if (!b) return undefined;
  return { family: b.length === 4 ? 4 : 6, value: BigInt(`0x${b.toString('hex')}`) };
}

/** An IP range as coturn writes it: `a-b`, a single address, or (newer coturn) a CIDR block. */
export function parseRange(text: string): { family: 4 | 6; from: bigint; to: bigint } | undefined {
  const t = text.trim();
  const dash = t.indexOf('-');
  if (dash > 0) {
    const a = toBig(t.slice(0, dash));
    const b = toBig(t.slice(dash + 1));
    if (!a || !b || a.family !== b.family) return undefined;
    return { family: a.family, from: a.value, to: b.value };
  }
  const [addr, prefixText] = t.split('/');
  const a = toBig(addr);
  if (!a) return undefined;
  if (prefixText === undefined) return { family: a.family, from: a.value, to: a.value };
  const width = a.family === 4 ? 32 : 128;
  const prefix = Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > width) return undefined;
  const host = (1n << BigInt(width - prefix)) - 1n;
  return { family: a.family, from: a.value & ~host, to: a.value | host };
}

export function rangeContains(range: { family: 4 | 6; from: bigint; to: bigint }, address: string): boolean {
  const a = toBig(address);
  return !!a && a.family === range.family && a.value >= range.from && a.value <= range.to;
}
