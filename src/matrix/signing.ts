// Matrix JSON signing with ed25519 (spec appendices, "Signing JSON"): the signature covers the canonical
// JSON of the object without `signatures` and `unsigned`; keys and signatures are unpadded base64.

import { createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export function unpaddedBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64').replace(/=+$/, '');
}

/** Decodes padded or unpadded standard base64 (and the URL-safe alphabet); undefined when it is not base64. */
export function decodeBase64(text: string): Buffer | undefined {
  if (typeof text !== 'string' || !/^[A-Za-z0-9+/_-]*={0,2}$/.test(text) || text.replace(/=+$/, '').length % 4 === 1) return undefined;
  return Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

export function privateKeyFromSeed(seed: Uint8Array): KeyObject {
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, Buffer.from(seed)]), format: 'der', type: 'pkcs8' });
}

export function publicKeyFromRaw(raw: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, Buffer.from(raw)]), format: 'der', type: 'spki' });
}

/** The 32-byte public key of a private key, as Matrix publishes it (unpadded base64). */
export function publicKeyBase64(privateKey: KeyObject): string {
  const der = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return unpaddedBase64(der.subarray(der.length - 32));
}

function signable(object: Record<string, unknown>): string {
  const { signatures: _s, unsigned: _u, ...rest } = object;
  return canonicalJson(rest);
}

/** Returns a copy of the object with `signatures[serverName][keyId]` added. */
export type Signed<T> = T & { signatures: Record<string, Record<string, string>> };

export function signJson<T extends Record<string, unknown>>(object: T, serverName: string, keyId: string, privateKey: KeyObject): Signed<T> {
  const signature = unpaddedBase64(sign(null, Buffer.from(signable(object), 'utf8'), privateKey));
  const signatures = { ...((object.signatures as Record<string, Record<string, string>>) ?? {}) };
  signatures[serverName] = { ...(signatures[serverName] ?? {}), [keyId]: signature };
  return { ...object, signatures };
}

export type SignatureCheck =
  | { ok: true }
  | { ok: false; reason: 'no-signature' | 'bad-signature-encoding' | 'bad-key-encoding' | 'not-canonical' | 'invalid-signature'; detail: string };

/** Verifies `signatures[serverName][keyId]` with a raw 32-byte ed25519 public key given in base64. */
export function verifyJsonSignature(object: Record<string, unknown>, serverName: string, keyId: string, publicKey: string): SignatureCheck {
  const sig = (object.signatures as Record<string, Record<string, unknown>> | undefined)?.[serverName]?.[keyId];
  if (typeof sig !== 'string') return { ok: false, reason: 'no-signature', detail: `no signature by ${serverName} with ${keyId}` };
  const sigBytes = decodeBase64(sig);
  if (sigBytes?.length !== 64) return { ok: false, reason: 'bad-signature-encoding', detail: 'the signature is not 64 bytes of base64' };
  const keyBytes = decodeBase64(publicKey);
  if (keyBytes?.length !== 32) return { ok: false, reason: 'bad-key-encoding', detail: 'the key is not 32 bytes of base64' };
  let text: string;
  try {
    text = signable(object);
  } catch (error) {
    return { ok: false, reason: 'not-canonical', detail: (error as Error).message };
  }
  const good = verify(null, Buffer.from(text, 'utf8'), publicKeyFromRaw(keyBytes), sigBytes);
  return good ? { ok: true } : { ok: false, reason: 'invalid-signature', detail: `the ${keyId} signature does not match the canonical JSON of the response` };
}
