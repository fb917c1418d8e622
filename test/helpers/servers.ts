// Small HTTP/HTTPS servers for tests, bound to 127.0.0.1 on a free port, with routes as a map and a few
// hostile behaviours (never answer, huge body, redirect loop, redirect off loopback), and a tiny UDP DNS
// server (dns2). Every server this module starts is remembered: `closeAllServers()` (call it in `after`)
// or `withServer()` ends them, and `close()` destroys open connections so that a hanging client cannot
// keep a test alive.

import dgram from 'node:dgram';
import { once } from 'node:events';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type tls from 'node:tls';
import dns2 from 'dns2';
import { testCerts } from './tls.js';

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  /** A string is sent as is; anything else as JSON (with content-type application/json). */
  body?: unknown;
}

/** Path (without query) -> a fixed reply or a handler. `*` answers every other path. Unknown paths get 404. */
export type Routes = Record<string, Reply | Handler>;

export interface SeenRequest {
  method: string;
  url: string;
  host?: string;
  /** The TLS server name (SNI) the client sent, for HTTPS. */
  servername?: string | false;
  remoteAddress?: string;
}

export interface TestServer {
  port: number;
  /** Every TCP connection accepted so far (also counts ones that never sent a request). */
  readonly connections: number;
  requests: SeenRequest[];
  /** `http(s)://host:port/path`; host defaults to 127.0.0.1. */
  url(path?: string, host?: string): string;
  close(): Promise<void>;
}

export interface ServerOptions {
  /** PEM certificate and key; defaults to the test CA's leaf (example.test names, 127.0.0.1). */
  cert?: string;
  key?: string;
  /** A loopback address to bind instead of 127.0.0.1 (127.0.0.2, ::1...), e.g. for a name with several addresses. */
  host?: string;
  /** A fixed port instead of a free one (the same port on two loopback addresses). */
  port?: number;
}

/**
 * Handles that a test file must close: `add(fields, stop)` makes one with a close() that runs `stop` once
 * (every call gets the same promise) and forgets the handle; `closeAll()` closes every one still open.
 */
export class OpenHandles<T extends { close(): Promise<void> }> {
  private readonly open = new Set<T>();

  add(fields: Omit<T, 'close'>, stop: () => Promise<void>): T {
    let closed: Promise<void> | undefined;
    // Object.assign onto `fields` itself, so that its getters (live counters) stay getters.
    const handle = Object.assign(fields, {
      close: (): Promise<void> => {
        if (!closed) {
          this.open.delete(handle);
          closed = stop();
        }
        return closed;
      },
    }) as unknown as T;
    this.open.add(handle);
    return handle;
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.open].map((h) => h.close()));
  }
}

export interface Listening {
  port: number;
  /** Every TCP connection accepted so far. */
  readonly connections: number;
  /** Stops listening and destroys the open connections (a hanging client cannot keep a test alive). */
  close(): Promise<void>;
}

/** Starts `server` on a loopback address (127.0.0.1 by default) and a free port (unless given), keeping its connections. */
export async function listenLoopback(server: net.Server, at: { host?: string; port?: number } = {}): Promise<Listening> {
  const host = at.host ?? '127.0.0.1';
  if (!/^(127\.\d+\.\d+\.\d+|::1)$/.test(host)) throw new Error(`test servers bind loopback only, not ${host}`);
  const sockets = new Set<net.Socket>();
  let connections = 0;
  server.on('connection', (socket: net.Socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // A test that aborts mid-handshake makes the socket emit ECONNRESET; that is expected, not a crash.
    socket.on('error', () => {});
  });
  server.listen(at.port ?? 0, host);
  await once(server, 'listening');
  const address = server.address() as net.AddressInfo;
  if (address.address !== host) throw new Error(`bound ${address.address}, not ${host}`);
  return {
    port: address.port,
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}

const open = new OpenHandles<TestServer>();

async function track(server: net.Server, scheme: string, requests: SeenRequest[], at: { host?: string; port?: number } = {}): Promise<TestServer> {
  server.on('tlsClientError', () => {});
  server.on('clientError', (_err: Error, socket: net.Socket) => socket.destroy());
  const listening = await listenLoopback(server, at);
  return open.add(
    {
      port: listening.port,
      get connections() {
        return listening.connections;
      },
      requests,
      url: (path = '/', host = '127.0.0.1') => `${scheme}://${host.includes(':') ? `[${host}]` : host}:${listening.port}${path}`,
    },
    listening.close,
  );
}

function dispatch(routes: Routes, requests: SeenRequest[]): Handler {
  return (req, res) => {
    const socket = req.socket as tls.TLSSocket;
    requests.push({
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      host: req.headers.host,
      servername: socket.encrypted ? (socket.servername ?? undefined) : undefined,
      remoteAddress: socket.remoteAddress,
    });
    const path = (req.url ?? '/').split('?')[0];
    const route = routes[path] ?? routes['*'];
    if (route === undefined) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errcode: 'M_UNRECOGNIZED', error: 'Unrecognized request' }));
      return;
    }
    if (typeof route === 'function') {
      route(req, res);
      return;
    }
    const isText = typeof route.body === 'string';
    const body = route.body === undefined ? '' : isText ? (route.body as string) : JSON.stringify(route.body);
    res.writeHead(route.status ?? 200, { ...(isText || route.body === undefined ? {} : { 'content-type': 'application/json' }), ...route.headers });
    res.end(body);
  };
}

export function startHttpServer(routes: Routes): Promise<TestServer> {
  const requests: SeenRequest[] = [];
  const server = http.createServer({ keepAliveTimeout: 100 }, dispatch(routes, requests));
  return track(server, 'http', requests);
}

export function startHttpsServer(routes: Routes, opts: ServerOptions = {}): Promise<TestServer> {
  const requests: SeenRequest[] = [];
  const certs = opts.cert && opts.key ? undefined : testCerts();
  const server = https.createServer(
    { cert: opts.cert ?? certs?.leaf.cert, key: opts.key ?? certs?.leaf.key, keepAliveTimeout: 100 },
    dispatch(routes, requests),
  );
  return track(server, 'https', requests, { host: opts.host, port: opts.port });
}

/** A TCP server that accepts connections and never sends a byte (no TLS handshake, no HTTP answer). */
export function startSilentServer(): Promise<TestServer> {
  return track(net.createServer(), 'https', []);
}

// Connection-refused ports come from the harness: below the ephemeral range, so no parallel server takes them.
export { closedPort } from '../harness/processes.js';

export type DnsRecord =
  | { type: 'A'; address: string }
  | { type: 'AAAA'; address: string }
  | { type: 'CNAME'; domain: string }
  | { type: 'TXT'; data: string | string[] }
  | { type: 'SRV'; priority: number; weight: number; port: number; target: string };

export interface DnsOptions {
  /** Names whose queries get no answer at all (the client must time out). */
  silent?: string[];
  /** Names answered with this response code instead (2 SERVFAIL, 5 REFUSED...). */
  rcode?: Record<string, number>;
  /**
   * Also answer over TCP, on the same port of 127.0.0.1 (a client retries there when the UDP answer is
   * truncated: dns2's UDP server sets TC on answers over 512 bytes).
   */
  tcp?: boolean;
  /**
   * Names whose real answer (sent 50 ms late) is preceded by forged ones the client must ignore: one
   * with the wrong id from the server's port, one with the right id from another port; both say 127.0.0.66.
   */
  forged?: string[];
}

/**
 * A UDP DNS server on 127.0.0.1 (a free port) answering from `zone` (name -> records, without the
 * final dot). Unknown names get NXDOMAIN; known names without a record of the asked type get an empty
 * NOERROR answer (NODATA). `requests` counts the questions it saw, as `name TYPE`.
 */
export async function startDnsServer(zone: Record<string, DnsRecord[]>, opts: DnsOptions = {}): Promise<TestServer> {
  const { Packet } = dns2;
  const requests: SeenRequest[] = [];
  const typeName = (n: number) => Object.entries(Packet.TYPE).find(([, v]) => v === n)?.[0] ?? String(n);
  // UDP only: dns2's TCP server passes its options straight to net.Server.listen, which would ignore
  // `address` and bind every interface.
  const respond = (request: InstanceType<typeof Packet>) => {
    const [q] = request.questions;
    const name = q.name.toLowerCase().replace(/\.$/, '');
    const response = Packet.createResponseFromRequest(request);
    const records = zone[name];
    if (opts.rcode?.[name] !== undefined) response.header.rcode = opts.rcode[name];
    else if (!records)
      response.header.rcode = 3; // NXDOMAIN
    else {
      for (const { type, ...fields } of records) {
        if (Packet.TYPE[type] !== q.type) continue;
        response.answers.push({ name: q.name, class: Packet.CLASS.IN, ttl: 60, type: Packet.TYPE[type], ...fields } as (typeof response.answers)[number]);
      }
    }
    response.header.aa = 1;
    return response;
  };
  const forgers: dgram.Socket[] = [];
  // UDP only: dns2's TCP server passes its options straight to net.Server.listen, which would ignore
  // `address` and bind every interface (the `tcp` option uses a net.Server of ours on 127.0.0.1).
  const server = dns2.createServer({
    udp: true,
    handle(request, send, rinfo) {
      const [q] = request.questions;
      const name = q.name.toLowerCase().replace(/\.$/, '');
      requests.push({ method: typeName(q.type), url: name });
      if (opts.silent?.includes(name)) return;
      const response = respond(request);
      if (opts.forged?.includes(name) && q.type === Packet.TYPE.A) {
        const fake = respond(request);
        fake.answers = [{ name: q.name, class: Packet.CLASS.IN, ttl: 60, type: Packet.TYPE.A, address: '127.0.0.66' } as (typeof fake.answers)[number]];
        const rightId = fake.toBuffer();
        fake.header.id = (request.header.id + 1) & 0xffff;
        void send(fake);
        const forger = dgram.createSocket('udp4');
        forgers.push(forger);
        const to = rinfo as dgram.RemoteInfo;
        forger.bind(0, '127.0.0.1', () => forger.send(rightId, to.port, to.address));
        setTimeout(() => void send(response).catch(() => {}), 50);
        return;
      }
      void send(response);
    },
  });
  server.on('requestError', () => {});
  const addresses = await server.listen({ udp: { port: 0, address: '127.0.0.1' } });
  const address = addresses.udp;
  if (address?.address !== '127.0.0.1') {
    await server.close();
    throw new Error(`the test DNS server bound ${JSON.stringify(address)}, not 127.0.0.1`);
  }
  let tcp: Listening | undefined;
  if (opts.tcp) {
    const tcpServer = net.createServer((socket) => {
      let received = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        received = Buffer.concat([received, chunk]);
        while (received.length >= 2 && received.length >= 2 + received.readUInt16BE(0)) {
          const message = received.subarray(2, 2 + received.readUInt16BE(0));
          received = received.subarray(2 + message.length);
          const request = Packet.parse(message);
          const [q] = request.questions;
          requests.push({ method: `${typeName(q.type)}/tcp`, url: q.name.toLowerCase().replace(/\.$/, '') });
          const body = respond(request).toBuffer();
          socket.write(Buffer.concat([Buffer.from([body.length >> 8, body.length & 0xff]), body]));
        }
      });
    });
    tcp = await listenLoopback(tcpServer, { port: address.port });
  }
  return open.add(
    {
      port: address.port,
      get connections() {
        return requests.length;
      },
      requests,
      url: () => `127.0.0.1:${address.port}`,
    },
    async () => {
      for (const f of forgers) f.close();
      await Promise.all([server.close(), tcp?.close()]);
    },
  );
}

/** Closes every server this module started and has not closed yet. */
export async function closeAllServers(): Promise<void> {
  await open.closeAll();
}

/** Runs fn with a started server and closes it afterwards, whatever happens. */
export async function withServer<T>(start: Promise<TestServer>, fn: (server: TestServer) => Promise<T>): Promise<T> {
  const server = await start;
  try {
    return await fn(server);
  } finally {
    await server.close();
  }
}

// Route helpers for the hostile variants.

/** Accepts the request and never answers it. */
export const hang: Handler = () => {};

/** A body of `bytes` bytes ('x'), written in 64 KiB chunks while the client keeps reading. */
export function hugeBody(bytes: number): Handler {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(bytes) });
    const chunk = Buffer.alloc(64 * 1024, 'x');
    let left = bytes;
    const write = () => {
      while (left > 0 && !res.destroyed) {
        const n = Math.min(left, chunk.length);
        left -= n;
        if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) {
          res.once('drain', write);
          return;
        }
      }
      if (!res.destroyed) res.end();
    };
    write();
  };
}

/** A redirect to `location` (absolute or relative). */
export function redirect(location: string, status = 302): Reply {
  return { status, headers: { location } };
}

/** Two paths that redirect to each other forever: `a` -> `b` -> `a`. */
export function redirectLoop(a: string, b: string): Routes {
  return { [a]: redirect(b), [b]: redirect(a) };
}

/** A documentation address (TEST-NET-1, RFC 5737) outside loopback: a client must refuse it, never reach it. */
export const OUTSIDE_ADDRESS = '192.0.2.10';
/** Redirects off loopback, to https://192.0.2.10/ (see OUTSIDE_ADDRESS). */
export const redirectOffLoopback: Reply = redirect(`https://${OUTSIDE_ADDRESS}/_matrix/client/versions`);
