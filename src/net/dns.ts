// DNS queries to the --dns-server resolver, with dns2's packet codec (message encoding and decoding) over
// our own transport: a *connected* UDP socket (Linux reports ICMP port-unreachable only to connected UDP
// sockets, so a closed resolver port fails at once with ECONNREFUSED instead of timing out), cancelled
// the moment the caller's signal ends, and a TCP retry when the UDP answer is truncated (TC bit), as
// dns2's UDP client does. dns2's own clients cannot take an AbortSignal and use an unconnected socket.
//
// The results and errors are those of node's c-ares Resolver, which the rest of the code was written
// against: A/AAAA → addresses, SRV → {name, port, priority, weight}, CNAME → names, TXT → chunks per
// record; errors carry the c-ares `code` (ENOTFOUND, ENODATA, ESERVFAIL, EREFUSED, ETIMEOUT,
// ECONNREFUSED...) and `syscall` ('queryA', 'querySrv'...), so classifyNetError reads a resolver failure
// as a DNS failure, never as the target refusing a connection.

import { randomInt } from 'node:crypto';
import dgram from 'node:dgram';
import net from 'node:net';
import { Packet, type Question } from 'dns2';

export type DnsType = 'A' | 'AAAA' | 'SRV' | 'CNAME' | 'TXT';

export interface SrvRecord {
  name: string;
  port: number;
  priority: number;
  weight: number;
}

export interface DnsServerQueryOptions {
  server: { host: string; port: number };
  signal: AbortSignal;
  /** The first try's timeout; each retry doubles it (c-ares). Default 2000 ms. */
  timeoutMs?: number;
  /** How many UDP tries. Default 2. */
  tries?: number;
}

/** c-ares' syscall names, as node's Resolver puts them on its errors. */
const SYSCALL: Record<DnsType, string> = { A: 'queryA', AAAA: 'queryAaaa', SRV: 'querySrv', CNAME: 'queryCname', TXT: 'queryTxt' };

/** Response codes → c-ares error codes (RFC 1035 §4.1.1). */
const RCODE_ERRORS: Record<number, string> = { 1: 'EFORMERR', 2: 'ESERVFAIL', 3: 'ENOTFOUND', 4: 'ENOTIMP', 5: 'EREFUSED' };

/** An error shaped like node's c-ares errors: `queryA ENOTFOUND name`, with code, syscall and hostname. */
export function dnsError(code: string, type: DnsType, name: string): NodeJS.ErrnoException & { hostname: string } {
  const syscall = SYSCALL[type];
  return Object.assign(new Error(`${syscall} ${code} ${name}`), { errno: undefined, code, syscall, hostname: name });
}

function makeQuery(name: string, type: DnsType): Packet {
  const query = new Packet();
  query.header.id = randomInt(0x10000);
  query.header.rd = 1;
  query.questions.push({ name, class: Packet.CLASS.IN, type: Packet.TYPE[type] } as Question);
  return query;
}

const sameName = (a: string, b: string) => a.toLowerCase().replace(/\.$/, '') === b.toLowerCase().replace(/\.$/, '');

/** The parsed response when `message` answers `query` (same id, a response, the same question); else undefined. */
function matching(message: Buffer, query: Packet): Packet | undefined {
  let response: Packet;
  try {
    response = Packet.parse(message);
  } catch {
    return undefined;
  }
  const [q] = query.questions;
  const [r] = response.questions;
  if (response.header.id !== query.header.id || response.header.qr !== 1) return undefined;
  if (!r || r.type !== q.type || !sameName(r.name, q.name)) return undefined;
  return response;
}

/** Skips a (possibly compressed) name in a DNS message; returns the offset after it. */
function skipName(buf: Buffer, offset: number): number {
  let at = offset;
  while (at < buf.length) {
    const len = buf[at];
    if (len === 0) return at + 1;
    if ((len & 0xc0) === 0xc0) return at + 2;
    at += 1 + len;
  }
  throw new Error('truncated name');
}

/**
 * The character-strings of each TXT answer, as c-ares gives them (dns2's decoder joins them into one
 * string, losing the boundaries).
 */
function txtChunks(message: Buffer): string[][] {
  const qdcount = message.readUInt16BE(4);
  const ancount = message.readUInt16BE(6);
  let at = 12;
  for (let i = 0; i < qdcount; i++) at = skipName(message, at) + 4;
  const records: string[][] = [];
  for (let i = 0; i < ancount; i++) {
    at = skipName(message, at);
    const type = message.readUInt16BE(at);
    const rdlength = message.readUInt16BE(at + 8);
    const start = at + 10;
    const end = start + rdlength;
    if (end > message.length) throw new Error('truncated record');
    if (type === Packet.TYPE.TXT) {
      const chunks: string[] = [];
      for (let p = start; p < end; ) {
        const n = message[p];
        chunks.push(message.subarray(p + 1, Math.min(p + 1 + n, end)).toString('utf8'));
        p += 1 + n;
      }
      records.push(chunks);
    }
    at = end;
  }
  return records;
}

const bare = (name: string | undefined) => String(name ?? '').replace(/\.$/, '');

/** The answers of the asked type in c-ares' shapes (a CNAME chain before the A records is left out); errors as c-ares. */
function extract(response: Packet, raw: Buffer, name: string, type: DnsType): unknown[] {
  const rcode = response.header.rcode;
  if (rcode !== 0) throw dnsError(RCODE_ERRORS[rcode] ?? 'EBADRESP', type, name);
  const wanted = response.answers.filter((a) => a.type === Packet.TYPE[type]);
  let out: unknown[];
  switch (type) {
    case 'A':
    case 'AAAA':
      out = wanted.map((a) => String(a.address));
      break;
    case 'SRV':
      out = wanted.map((a): SrvRecord => ({ name: bare(a.target), port: Number(a.port), priority: Number(a.priority), weight: Number(a.weight) }));
      break;
    case 'CNAME':
      out = wanted.map((a) => bare(a.domain));
      break;
    case 'TXT':
      try {
        out = txtChunks(raw);
      } catch {
        throw dnsError('EBADRESP', type, name);
      }
      break;
  }
  if (out.length === 0) throw dnsError('ENODATA', type, name);
  return out;
}

/**
 * One query to the resolver `server`: UDP (connected socket, `tries` tries, the timeout doubling each
 * time), then TCP when the answer is truncated. Rejects with the signal's reason as soon as it ends.
 */
export async function queryDnsServer(name: string, type: DnsType, opts: DnsServerQueryOptions): Promise<unknown[]> {
  const { server, signal } = opts;
  signal.throwIfAborted();
  const query = makeQuery(name, type);
  const { raw, response } = await udpExchange(query, name, type, opts);
  if (response.header.tc) {
    const tcp = await tcpExchange(makeQuery(name, type), name, type, opts, server);
    return extract(tcp.response, tcp.raw, name, type);
  }
  return extract(response, raw, name, type);
}

interface Answer {
  raw: Buffer;
  response: Packet;
}

function udpExchange(query: Packet, name: string, type: DnsType, opts: DnsServerQueryOptions): Promise<Answer> {
  const { server, signal } = opts;
  const tries = Math.max(1, opts.tries ?? 2);
  const firstTimeout = opts.timeoutMs ?? 2000;
  const message = query.toBuffer();
  const socket = dgram.createSocket(net.isIPv6(server.host) ? 'udp6' : 'udp4');
  return new Promise<Answer>((resolve, reject) => {
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    let attempt = 0;
    const finish = (error: unknown, answer?: Answer) => {
      if (done) return;
      done = true;
      if (timer) clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      socket.removeAllListeners('message');
      // Late ICMP errors after close are harmless.
      socket.on('error', () => {});
      try {
        socket.close();
      } catch {
        // already closed
      }
      if (error) reject(error);
      else resolve(answer as Answer);
    };
    const onAbort = () => finish(signal.reason);
    const send = () => {
      if (done) return;
      if (attempt >= tries) {
        finish(dnsError('ETIMEOUT', type, name));
        return;
      }
      const timeout = firstTimeout * 2 ** attempt;
      attempt++;
      socket.send(message, (err) => {
        if (err) finish(dnsError('ECONNREFUSED', type, name));
      });
      timer = setTimeout(send, timeout);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    // A connected socket gets the resolver's ICMP port-unreachable as ECONNREFUSED; c-ares reports
    // every failure to reach the server so.
    socket.on('error', () => finish(dnsError('ECONNREFUSED', type, name)));
    socket.on('message', (msg: Buffer, rinfo: dgram.RemoteInfo) => {
      // The kernel delivers only the connected peer's datagrams; check anyway, then the id and question.
      if (rinfo.port !== server.port || !sameAddress(rinfo.address, server.host)) return;
      const response = matching(msg, query);
      if (response) finish(undefined, { raw: msg, response });
    });
    socket.connect(server.port, server.host, () => {
      if (!done) send();
    });
  });
}

function sameAddress(a: string, b: string): boolean {
  const norm = (x: string) => x.toLowerCase().replace(/^::ffff:(?=\d+\.)/, '');
  return norm(a) === norm(b);
}

function tcpExchange(query: Packet, name: string, type: DnsType, opts: DnsServerQueryOptions, server: { host: string; port: number }): Promise<Answer> {
  const { signal } = opts;
  const body = query.toBuffer();
  const framed = Buffer.concat([Buffer.from([body.length >> 8, body.length & 0xff]), body]);
  return new Promise<Answer>((resolve, reject) => {
    signal.throwIfAborted();
    let done = false;
    const socket = net.connect({ host: server.host, port: server.port });
    const timer = setTimeout(() => finish(dnsError('ETIMEOUT', type, name)), opts.timeoutMs ?? 2000);
    const finish = (error: unknown, answer?: Answer) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      if (error) reject(error);
      else resolve(answer as Answer);
    };
    const onAbort = () => finish(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    let received = Buffer.alloc(0);
    socket.on('connect', () => socket.write(framed));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      while (received.length >= 2) {
        const len = received.readUInt16BE(0);
        if (received.length < 2 + len) return;
        const msg = received.subarray(2, 2 + len);
        received = received.subarray(2 + len);
        const response = matching(msg, query);
        if (response) {
          finish(undefined, { raw: Buffer.from(msg), response });
          return;
        }
      }
    });
    // As c-ares: any failure to reach the server over TCP (refused, reset, closed without an answer).
    socket.on('error', () => finish(dnsError('ECONNREFUSED', type, name)));
    socket.on('close', () => finish(dnsError('ECONNREFUSED', type, name)));
  });
}
