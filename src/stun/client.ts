// A small TURN client (RFC 8656) over one StunTransport, i.e. one 5-tuple: Binding, Allocate with the
// long-term credential dance (401 with REALM and NONCE, then the authenticated request; 438 Stale Nonce
// retried with the new nonce on the same socket, since coturn ties a nonce to its 5-tuple),
// CreatePermission (records a permission on the server; sends nothing to the peer) and Refresh.
//
// It reports outcomes as data (`StunOutcome`), never throws for a server's "no"; only transport failures
// (StunTransportError) and refusals of the NetClient (ProbeError TARGET_NOT_ALLOWED) are thrown.

import { randomBytes } from 'node:crypto';
import { isIPv6 } from 'node:net';
import { longTermKey } from './credentials.js';
import {
  attributeValue,
  type DecodedMessage,
  encode,
  errorOf,
  METHOD,
  type StunAttribute,
  type StunMessage,
  TRANSPORT_UDP,
  type TransportAddress,
  verifyIntegrity,
} from './message.js';
import type { StunTransport } from './transport.js';

export interface StunOutcome {
  ok: boolean;
  /** The STUN error of a refused request (401, 403, 438, 486...), reason without trailing NULs. */
  error?: { code: number; reason: string };
  rttMs: number;
  attempts: number;
}

export interface BindingOutcome extends StunOutcome {
  mapped?: TransportAddress;
  software?: string;
}

export interface ChallengeOutcome extends StunOutcome {
  /** false: the server allocated without asking for credentials. */
  authRequired: boolean;
  realm?: string;
  /** A nonce came with the 401 (its value is not kept). */
  nonce: boolean;
  software?: string;
  /** The relay of an allocation made without credentials (authRequired false). */
  relayed?: TransportAddress;
}

export interface AllocateOutcome extends StunOutcome {
  relayed?: TransportAddress;
  mapped?: TransportAddress;
  lifetime?: number;
  /** 438 answers retried with a fresh nonce. */
  staleNonceRetries: number;
  /** MESSAGE-INTEGRITY of the success response, checked with our key. */
  responseIntegrity?: 'valid' | 'invalid' | 'absent';
}

export interface TurnCredentials {
  username: string;
  password: string;
}

const MAX_STALE_NONCE_RETRIES = 2;

export class TurnClient {
  private realm?: string;
  private nonce?: string;
  private username?: string;
  private password?: string;
  private key?: Buffer;

  constructor(
    readonly transport: StunTransport,
    private readonly software = 'matrixdoc',
  ) {}

  private async exchange(
    method: number,
    attributes: StunAttribute[],
    signal: AbortSignal,
    auth: boolean,
  ): Promise<{ decoded: DecodedMessage; rttMs: number; attempts: number }> {
    const transactionId = randomBytes(12);
    const all: StunAttribute[] = [...attributes, { type: 'SOFTWARE', value: this.software }];
    if (auth) {
      all.push(
        { type: 'USERNAME', value: this.username as string },
        { type: 'REALM', value: this.realm as string },
        { type: 'NONCE', value: this.nonce as string },
      );
    }
    const message: StunMessage = { method, cls: 'request', transactionId, attributes: all };
    const request = encode(message, { integrityKey: auth ? this.key : undefined, fingerprint: true });
    const answer = await this.transport.transact(request, transactionId, signal);
    return { decoded: answer.response, rttMs: answer.rttMs, attempts: answer.attempts };
  }

  /** An authenticated request, retried with the new nonce on 438 Stale Nonce. */
  private async authenticated(
    method: number,
    attributes: StunAttribute[],
    signal: AbortSignal,
  ): Promise<{ decoded: DecodedMessage; rttMs: number; attempts: number; staleNonceRetries: number }> {
    let staleNonceRetries = 0;
    for (;;) {
      const r = await this.exchange(method, attributes, signal, true);
      const error = errorOf(r.decoded.message);
      const newNonce = attributeValue(r.decoded.message, 'NONCE');
      if (error?.code === 438 && newNonce && staleNonceRetries < MAX_STALE_NONCE_RETRIES) {
        staleNonceRetries++;
        this.nonce = newNonce;
        const realm = attributeValue(r.decoded.message, 'REALM');
        if (realm && realm !== this.realm && this.username !== undefined && this.password !== undefined) {
          this.realm = realm;
          this.key = longTermKey(this.username, realm, this.password);
        }
        continue;
      }
      return { ...r, staleNonceRetries };
    }
  }

  /** STUN Binding: is anything answering, how fast, and what address it sees us at. */
  async binding(signal: AbortSignal): Promise<BindingOutcome> {
    const r = await this.exchange(METHOD.Binding, [], signal, false);
    const m = r.decoded.message;
    const error = errorOf(m);
    return {
      ok: m.cls === 'success',
      ...(error ? { error } : {}),
      rttMs: r.rttMs,
      attempts: r.attempts,
      mapped: attributeValue(m, 'XOR-MAPPED-ADDRESS') ?? attributeValue(m, 'MAPPED-ADDRESS'),
      software: attributeValue(m, 'SOFTWARE'),
    };
  }

  /** The unauthenticated Allocate whose 401 carries the realm and a nonce for this socket. */
  async challenge(signal: AbortSignal): Promise<ChallengeOutcome> {
    const r = await this.exchange(METHOD.Allocate, [{ type: 'REQUESTED-TRANSPORT', value: TRANSPORT_UDP }], signal, false);
    const m = r.decoded.message;
    const error = errorOf(m);
    const realm = attributeValue(m, 'REALM');
    const nonce = attributeValue(m, 'NONCE');
    if (m.cls === 'success') {
      // No credentials needed: remember nothing, but report the relay (and release it later without auth).
      return { ok: true, authRequired: false, nonce: false, rttMs: r.rttMs, attempts: r.attempts, relayed: attributeValue(m, 'XOR-RELAYED-ADDRESS') };
    }
    if (realm !== undefined) this.realm = realm;
    if (nonce !== undefined) this.nonce = nonce;
    const challenged = error?.code === 401 && realm !== undefined && nonce !== undefined;
    return {
      ok: challenged,
      authRequired: true,
      ...(error ? { error } : {}),
      ...(realm !== undefined ? { realm } : {}),
      nonce: nonce !== undefined,
      software: attributeValue(m, 'SOFTWARE'),
      rttMs: r.rttMs,
      attempts: r.attempts,
    };
  }

  /** Allocate with credentials, after `challenge` gave a realm and nonce. */
  async allocate(credentials: TurnCredentials, signal: AbortSignal): Promise<AllocateOutcome> {
    if (this.realm === undefined || this.nonce === undefined) throw new Error('allocate() needs a challenge with REALM and NONCE first');
    this.username = credentials.username;
    this.password = credentials.password;
    this.key = longTermKey(credentials.username, this.realm, credentials.password);
    const r = await this.authenticated(METHOD.Allocate, [{ type: 'REQUESTED-TRANSPORT', value: TRANSPORT_UDP }], signal);
    const m = r.decoded.message;
    const error = errorOf(m);
    const ok = m.cls === 'success';
    return {
      ok,
      ...(error ? { error } : {}),
      rttMs: r.rttMs,
      attempts: r.attempts,
      staleNonceRetries: r.staleNonceRetries,
      ...(ok
        ? {
            relayed: attributeValue(m, 'XOR-RELAYED-ADDRESS'),
            mapped: attributeValue(m, 'XOR-MAPPED-ADDRESS'),
            lifetime: attributeValue(m, 'LIFETIME'),
            responseIntegrity: r.decoded.integrity ? (verifyIntegrity(r.decoded, this.key as Buffer) ? 'valid' : 'invalid') : 'absent',
          }
        : {}),
    };
  }

  /** CreatePermission for one peer address (port 0: permissions are per IP). Nothing is sent to the peer. */
  async createPermission(peer: string, signal: AbortSignal): Promise<StunOutcome & { staleNonceRetries: number }> {
    const value: TransportAddress = { family: isIPv6(peer) ? 6 : 4, address: peer, port: 0 };
    const r = await this.authenticated(METHOD.CreatePermission, [{ type: 'XOR-PEER-ADDRESS', value }], signal);
    const error = errorOf(r.decoded.message);
    return {
      ok: r.decoded.message.cls === 'success',
      ...(error ? { error } : {}),
      rttMs: r.rttMs,
      attempts: r.attempts,
      staleNonceRetries: r.staleNonceRetries,
    };
  }

  /** Refresh; lifetime 0 releases the allocation. `auth` false for a server that allocated without credentials. */
  async refresh(lifetime: number, signal: AbortSignal, auth = true): Promise<StunOutcome> {
    const attributes: StunAttribute[] = [{ type: 'LIFETIME', value: lifetime }];
    const r = auth ? await this.authenticated(METHOD.Refresh, attributes, signal) : await this.exchange(METHOD.Refresh, attributes, signal, false);
    const error = errorOf(r.decoded.message);
    return { ok: r.decoded.message.cls === 'success', ...(error ? { error } : {}), rttMs: r.rttMs, attempts: r.attempts };
  }

  close(): void {
    this.transport.close();
  }
}
