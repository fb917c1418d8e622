// Carrying STUN transactions: over UDP (node:dgram) with RFC 8489's retransmissions (RTO 500 ms,
// doubling, 7 sends, then 16 x RTO), and over TCP or TLS with RFC 8489 §6.2.2 framing (messages back to
// back, each one's length in its header; TURN ChannelData frames are skipped). Every transaction is
// bounded by its AbortSignal: retransmission never outlives the probe's timeout.
//
// Safety: a UDP socket is opened only towards an address the NetClient allows (--allow-targets), checked
// again before every datagram; TCP and TLS sockets come from NetClient.connect, which routes and checks.

import dgram from 'node:dgram';
import { isIPv6, type Socket } from 'node:net';
import type { NetClient } from '../net/client.js';
import { type DecodedMessage, decode, HEADER_BYTES, StunDecodeError } from './message.js';

export type TransportKind = 'udp' | 'tcp' | 'tls';

export type TransportErrorCode = 'TIMEOUT' | 'PORT_UNREACHABLE' | 'HOST_UNREACHABLE' | 'CONN_CLOSED' | 'CONN_RESET' | 'PROTOCOL' | 'SOCKET_ERROR';

/** A transaction that got no usable answer. `attempts` counts the requests sent. */
export class StunTransportError extends Error {
  constructor(
    readonly code: TransportErrorCode,
    message: string,
    readonly attempts: number,
    readonly elapsedMs: number,
  ) {
    super(message);
    this.name = 'StunTransportError';
  }
}

export interface Answer {
  response: DecodedMessage;
  /** From the first send to the answer (includes retransmission waits). */
  rttMs: number;
  attempts: number;
}

export interface StunTransport {
  readonly kind: TransportKind;
  readonly remote: { address: string; port: number };
  /** Sends a request (already encoded) and resolves with the response carrying its transaction ID. */
  transact(request: Buffer, transactionId: Buffer, signal: AbortSignal): Promise<Answer>;
  close(): void;
}

/** RFC 8489 §6.2.1 defaults. */
export const RETRANSMISSION = { rtoMs: 500, maxSends: 7, finalWaitFactor: 16 } as const;

interface Pending {
  transactionId: Buffer;
  resolve: (d: DecodedMessage) => void;
  reject: (e: Error) => void;
}

/** Shared bookkeeping: pending transactions keyed by transaction ID, and a sticky transport failure. */
class Dispatcher {
  readonly pending = new Map<string, Pending>();
  failure?: { code: TransportErrorCode; message: string };

  deliver(bytes: Buffer): void {
    let decoded: DecodedMessage;
    try {
      decoded = decode(bytes);
    } catch (error) {
      if (error instanceof StunDecodeError) return; // not STUN, or damaged: ignored as RFC 8489 says
      throw error;
    }
    const key = decoded.message.transactionId.toString('hex');
    const p = this.pending.get(key);
    if (!p || (decoded.message.cls !== 'success' && decoded.message.cls !== 'error')) return;
    this.pending.delete(key);
    p.resolve(decoded);
  }

  fail(code: TransportErrorCode, message: string): void {
    this.failure ??= { code, message };
    for (const p of this.pending.values()) p.reject(new Error(message));
    this.pending.clear();
  }

  wait(transactionId: Buffer): { promise: Promise<DecodedMessage>; cancel: () => void } {
    const key = transactionId.toString('hex');
    let cancel = () => {};
    const promise = new Promise<DecodedMessage>((resolve, reject) => {
      this.pending.set(key, { transactionId, resolve, reject });
      cancel = () => this.pending.delete(key);
    });
    return { promise, cancel };
  }
}

function errnoCode(error: unknown): string {
  return String((error as NodeJS.ErrnoException)?.code ?? '');
}

// --- UDP -------------------------------------------------------------------------------------------

export class UdpTransport implements StunTransport {
  readonly kind = 'udp' as const;
  private readonly dispatcher = new Dispatcher();
  private closed = false;

  private constructor(
    private readonly socket: dgram.Socket,
    readonly remote: { address: string; port: number },
    private readonly guard: () => void,
  ) {
    socket.on('message', (msg) => this.dispatcher.deliver(msg));
    socket.on('error', (error) => this.onError(error));
  }

  /**
   * On a connected UDP socket the kernel reports ICMP errors for earlier datagrams: on the next receive
   * (an 'error' event) or on the next send (its callback), whichever comes first.
   */
  private onError(error: unknown): void {
    const code = errnoCode(error);
    if (code === 'ECONNREFUSED') this.dispatcher.fail('PORT_UNREACHABLE', 'ICMP port unreachable: nothing listens on this UDP port');
    else if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') this.dispatcher.fail('HOST_UNREACHABLE', `ICMP: ${code}`);
    else this.dispatcher.fail('SOCKET_ERROR', (error as Error).message);
  }

  /** A UDP socket connected to address:port. Refuses (TARGET_NOT_ALLOWED) before any packet when the address is not allowed. */
  static async open(net: NetClient, address: string, port: number, what: string, signal: AbortSignal): Promise<UdpTransport> {
    const guard = () => net.assertAllowed(address, what);
    guard();
    signal.throwIfAborted();
    const socket = dgram.createSocket({ type: isIPv6(address) ? 'udp6' : 'udp4' });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.connect(port, address, () => {
          socket.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      socket.close();
      throw error;
    }
    return new UdpTransport(socket, { address, port }, guard);
  }

  transact(request: Buffer, transactionId: Buffer, signal: AbortSignal): Promise<Answer> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    let attempts = 0;
    const { promise, cancel } = this.dispatcher.wait(transactionId);
    return new Promise<Answer>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const finish = (error?: StunTransportError, response?: DecodedMessage) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        cancel();
        if (error) reject(error);
        else resolve({ response: response as DecodedMessage, rttMs: elapsed(), attempts });
      };
      const fromFailure = () => {
        const f = this.dispatcher.failure ?? { code: 'SOCKET_ERROR' as const, message: 'socket closed' };
        return new StunTransportError(f.code, f.message, attempts, elapsed());
      };
      const onAbort = () => finish(new StunTransportError('TIMEOUT', `no answer after ${attempts} UDP request(s) in ${elapsed()} ms`, attempts, elapsed()));
      promise.then(
        (d) => finish(undefined, d),
        () => finish(fromFailure()),
      );
      if (signal.aborted) return onAbort();
      if (this.dispatcher.failure) return finish(fromFailure());
      signal.addEventListener('abort', onAbort, { once: true });
      let rto: number = RETRANSMISSION.rtoMs;
      const send = () => {
        if (this.closed) return finish(new StunTransportError('SOCKET_ERROR', 'socket closed', attempts, elapsed()));
        try {
          this.guard();
        } catch (error) {
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
          cancel();
          return reject(error);
        }
        attempts++;
        this.socket.send(request, (error) => {
          if (error && !this.closed) this.onError(error);
        });
        if (attempts < RETRANSMISSION.maxSends) {
          timer = setTimeout(send, rto);
          rto *= 2;
        } else {
          timer = setTimeout(
            () => finish(new StunTransportError('TIMEOUT', `no answer after ${attempts} UDP requests in ${elapsed()} ms`, attempts, elapsed())),
            RETRANSMISSION.rtoMs * RETRANSMISSION.finalWaitFactor,
          );
        }
      };
      send();
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.dispatcher.fail('SOCKET_ERROR', 'socket closed');
    try {
      this.socket.close();
    } catch {
      // already closed
    }
  }
}

// --- TCP and TLS -----------------------------------------------------------------------------------

/**
 * Splits a byte stream into STUN messages (and skips ChannelData frames, first byte 0x40-0x7F, padded to
 * 4 bytes over TCP). Throws StunDecodeError('NOT_STUN') for anything else: the stream cannot be resynced.
 */
export class StreamFramer {
  private buffer: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Buffer[] {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    const out: Buffer[] = [];
    for (;;) {
      if (this.buffer.length < 4) break;
      const top = this.buffer[0] & 0xc0;
      let size: number;
      if (top === 0x00) {
        if (this.buffer.length < HEADER_BYTES) break;
        size = HEADER_BYTES + this.buffer.readUInt16BE(2);
      } else if (top === 0x40) {
        const len = this.buffer.readUInt16BE(2);
        size = 4 + len + ((4 - (len % 4)) % 4);
      } else {
        throw new StunDecodeError('NOT_STUN', `byte 0x${this.buffer[0].toString(16)} starts neither a STUN message nor ChannelData`);
      }
      if (this.buffer.length < size) break;
      const frame = this.buffer.subarray(0, size);
      this.buffer = this.buffer.subarray(size);
      if (top === 0x00) out.push(Buffer.from(frame));
    }
    return out;
  }
}

export class StreamTransport implements StunTransport {
  private readonly dispatcher = new Dispatcher();
  private readonly framer = new StreamFramer();

  constructor(
    private readonly socket: Socket,
    readonly kind: 'tcp' | 'tls',
    readonly remote: { address: string; port: number },
  ) {
    socket.on('data', (chunk: Buffer) => {
      let frames: Buffer[];
      try {
        frames = this.framer.push(chunk);
      } catch (error) {
        this.dispatcher.fail('PROTOCOL', (error as Error).message);
        socket.destroy();
        return;
      }
      for (const f of frames) this.dispatcher.deliver(f);
    });
    socket.on('error', (error) => {
      const code = errnoCode(error);
      this.dispatcher.fail(code === 'ECONNRESET' || code === 'EPIPE' ? 'CONN_RESET' : 'SOCKET_ERROR', (error as Error).message);
    });
    socket.on('close', () => this.dispatcher.fail('CONN_CLOSED', 'the server closed the connection'));
  }

  transact(request: Buffer, transactionId: Buffer, signal: AbortSignal): Promise<Answer> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const { promise, cancel } = this.dispatcher.wait(transactionId);
    return new Promise<Answer>((resolve, reject) => {
      const finish = (error?: StunTransportError, response?: DecodedMessage) => {
        signal.removeEventListener('abort', onAbort);
        cancel();
        if (error) reject(error);
        else resolve({ response: response as DecodedMessage, rttMs: elapsed(), attempts: 1 });
      };
      const fromFailure = () => {
        const f = this.dispatcher.failure ?? { code: 'SOCKET_ERROR' as const, message: 'socket closed' };
        return new StunTransportError(f.code, f.message, 1, elapsed());
      };
      const onAbort = () => finish(new StunTransportError('TIMEOUT', `no answer over ${this.kind.toUpperCase()} in ${elapsed()} ms`, 1, elapsed()));
      promise.then(
        (d) => finish(undefined, d),
        () => finish(fromFailure()),
      );
      if (signal.aborted) return onAbort();
      if (this.dispatcher.failure) return finish(fromFailure());
      signal.addEventListener('abort', onAbort, { once: true });
      // Reliable transports are not retransmitted (RFC 8489 §6.2.2): one write, then wait.
      this.socket.write(request);
    });
  }

  close(): void {
    this.socket.destroy();
  }
}
