// TURN credentials: the long-term key of RFC 8489 §9.2.2 and the TURN REST API credentials Synapse hands
// out from `turn_shared_secret` (synapse/rest/client/voip.py), which coturn checks with `use-auth-secret`.

import { createHash, createHmac } from 'node:crypto';

/**
 * MD5(username ":" realm ":" password). RFC 8489 passes the password through OpaqueString first; coturn
 * concatenates the raw bytes, and the passwords Synapse makes (base64) are the same either way.
 */
export function longTermKey(username: string, realm: string, password: string): Buffer {
  return createHash('md5').update(`${username}:${realm}:${password}`, 'utf8').digest();
}

export interface RestCredentials {
  username: string;
  password: string;
  /** Unix seconds after which coturn refuses the username (its leading timestamp). */
  expiresAt: number;
}

/**
 * As Synapse: expiry = (now_ms + lifetime_ms) / 1000 printed with %d, username "<expiry>:<user id>",
 * password = base64(HMAC-SHA1(secret, username)), standard padded base64.
 */
export function synapseTurnCredentials(secret: string, userId: string, lifetimeMs: number, nowMs = Date.now()): RestCredentials {
  const expiresAt = Math.trunc((nowMs + lifetimeMs) / 1000);
  const username = `${expiresAt}:${userId}`;
  const password = createHmac('sha1', Buffer.from(secret, 'utf8')).update(username, 'utf8').digest('base64');
  return { username, password, expiresAt };
}
