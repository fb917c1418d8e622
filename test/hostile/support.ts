// What the hostile-peer tests share: servers written to misbehave (raw TCP, TLS and UDP on 127.0.0.1, a
// free port each, every one closed by `closeHostile()` even when a test fails), and a run of the BUILT
// binary that also measures the child's wall time and peak RSS.
//
// Network safety: every server here binds 127.0.0.1 only; every run goes through the same environment as
// test/helpers/cli.ts (MATRIXDOC_ALLOW_TARGETS=loopback) and the tests give --dns-server a loopback dns2
// server, so that no name is ever asked of the system resolver.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import dgram from 'node:dgram';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { BIN, LOOPBACK, ROOT } from '../helpers/cli.js';
import { assertValidReport } from '../helpers/schema.js';
import { type KeyPair, testCerts } from '../helpers/tls.js';

/** The per-probe timeout every hostile run uses. */
export const TIMEOUT_MS = 1000;
/**
 * What a whole run may take: four times the probe timeout plus the process's own start and the rest of
 * the run (node, oclif, the report), generous because the suite runs two test files at once on 2 cores.
 * A peer that could hold matrixdoc (an endless body, a drip, a silent handshake) would blow through it.
 */
export const RUN_BUDGET_MS = 4 * TIMEOUT_MS + 5000;
/** Peak RSS a run may reach, whatever the peer sends (an idle `check --offline` stays near 100 MB). */
export const RSS_LIMIT_MB = 250;

export function assertBuilt(): void {
  assert.ok(existsSync(path.join(ROOT, 'dist/src/commands/check.js')), 'build first: npm run build');
}

// --- the measured run -----------------------------------------------------------------------------------

export interface MeasuredRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  wallMs: number;
  /** The child's peak resident set size (getrusage ru_maxrss at exit), in MB. */
  peakRssMb: number;
}

// Loaded into the child with --import: writes the process's peak RSS (KiB on Linux) to a file at exit.
const RSS_HOOK = `data:text/javascript,${encodeURIComponent(
  "import{writeFileSync}from'node:fs';process.on('exit',()=>{try{writeFileSync(process.env.MATRIXDOC_TEST_RSS_FILE,String(process.resourceUsage().maxRSS))}catch{}});",
)}`;

const scratch: string[] = [];

/** A temporary folder removed by `closeHostile()`. */
export function tempDir(prefix = 'matrixdoc-hostile-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  scratch.push(dir);
  return dir;
}

/** Runs `bin/run.js args` (loopback-only, as runCli does), killed after `killAfterMs`; reports wall time and peak RSS. */
export function runMeasured(args: string[], opts: { env?: Record<string, string>; killAfterMs?: number } = {}): Promise<MeasuredRun> {
  const rssFile = path.join(tempDir('matrixdoc-rss-'), 'maxrss');
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', RSS_HOOK, BIN, ...args], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/root',
        MATRIXDOC_ALLOW_TARGETS: LOOPBACK,
        NO_COLOR: '1',
        MATRIXDOC_TEST_RSS_FILE: rssFile,
        ...opts.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.killAfterMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const wallMs = performance.now() - started;
      const kib = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) : Number.NaN;
      if (args.includes('--json') && stdout.trim().startsWith('{')) {
        try {
          assertValidReport(JSON.parse(stdout));
        } catch (error) {
          if (!(error instanceof SyntaxError)) return reject(error);
        }
      }
      resolve({ code, signal, stdout, stderr, wallMs, peakRssMb: kib / 1024 });
    });
  });
}

/** The run finished by itself, within its budget (RUN_BUDGET_MS for --timeout TIMEOUT_MS) and RSS_LIMIT_MB, with exit code `code`. */
export function assertBounded(r: MeasuredRun, code: number, what: string, timeoutMs = TIMEOUT_MS): void {
  const budget = RUN_BUDGET_MS - 4 * TIMEOUT_MS + 4 * timeoutMs;
  const info = `${what}: exit ${r.code}${r.signal ? ` (${r.signal})` : ''} in ${Math.round(r.wallMs)} ms, peak RSS ${r.peakRssMb.toFixed(0)} MB\nstderr: ${r.stderr.slice(0, 2000)}`;
  assert.equal(r.signal, null, `killed: ${info}`);
  assert.ok(r.wallMs < budget, `over the ${budget} ms budget: ${info}`);
  assert.ok(Number.isFinite(r.peakRssMb), `no RSS figure: ${info}`);
  assert.ok(r.peakRssMb < RSS_LIMIT_MB, `over ${RSS_LIMIT_MB} MB: ${info}`);
  assert.equal(r.code, code, info);
  // Whatever the peer did, nothing reaches the user as a stack trace.
  assert.ok(!/\n\s+at .+:\d+:\d+\)?/.test(r.stderr), `stack trace on stderr: ${info}`);
}

// --- servers ----------------------------------------------------------------------------------------------

export interface Hostile {
  port: number;
  /** TCP connections (or UDP datagrams) received so far. */
  readonly hits: number;
  close(): Promise<void>;
}

const open = new Set<Hostile>();

/** Closes every hostile server still open and removes the temporary folders. */
export async function closeHostile(): Promise<void> {
  await Promise.all([...open].map((s) => s.close()));
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
}

function trackTcp(server: net.Server, connectionEvent: string, host = '127.0.0.1'): Promise<Hostile> {
  if (!/^127\.\d+\.\d+\.\d+$/.test(host)) throw new Error(`hostile servers bind loopback only, not ${host}`);
  const sockets = new Set<net.Socket>();
  let hits = 0;
  server.on('connection', (socket: net.Socket) => {
    hits++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
  });
  if (connectionEvent !== 'connection') server.on('tlsClientError', () => {});
  server.listen(0, host);
  return once(server, 'listening').then(() => {
    const address = server.address() as net.AddressInfo;
    assert.equal(address.address, host);
    let closed: Promise<void> | undefined;
    const handle: Hostile = {
      port: address.port,
      get hits() {
        return hits;
      },
      close() {
        closed ??= new Promise<void>((resolve) => {
          open.delete(handle);
          server.close(() => resolve());
          for (const s of sockets) s.destroy();
        });
        return closed;
      },
    };
    open.add(handle);
    return handle;
  });
}

/** A TCP server on 127.0.0.1 that hands every connection to `onSocket` (plain: no TLS). */
export function startTcp(onSocket: (socket: net.Socket) => void): Promise<Hostile> {
  const server = net.createServer((socket) => {
    socket.on('error', () => {});
    onSocket(socket);
  });
  return trackTcp(server, 'connection');
}

/**
 * A TLS server on 127.0.0.1 (or another loopback address) with the test CA's leaf for the example.test
 * names by default, that hands every established TLS socket to `onSocket`.
 */
export function startTls(onSocket: (socket: tls.TLSSocket) => void, pair?: KeyPair, host = '127.0.0.1'): Promise<Hostile> {
  const leaf = pair ?? testCerts().leaf;
  const server = tls.createServer({ cert: leaf.cert, key: leaf.key, ALPNProtocols: ['http/1.1'] }, (socket) => {
    socket.on('error', () => {});
    onSocket(socket);
  });
  return trackTcp(server, 'secureConnection', host);
}

/** Reads an HTTP request head from the socket (up to the blank line), then calls `reply` with it. */
export function onRequest(reply: (socket: net.Socket, head: string) => void): (socket: net.Socket) => void {
  return (socket) => {
    let head = '';
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (head.includes('\r\n\r\n')) {
        socket.off('data', onData);
        reply(socket, head);
      } else if (head.length > 64 * 1024) socket.destroy();
    };
    socket.on('data', onData);
  };
}

/** The path of a request head (`GET /path HTTP/1.1`). */
export function requestPath(head: string): string {
  return head.split(' ')[1] ?? '/';
}

/** Writes as fast as the peer reads, until it goes away: the body that never ends. */
export function pump(socket: net.Socket, chunk: Buffer | (() => Buffer)): void {
  const next = typeof chunk === 'function' ? chunk : () => chunk;
  const write = () => {
    while (!socket.destroyed && socket.writable) {
      if (!socket.write(next())) {
        socket.once('drain', write);
        return;
      }
    }
  };
  write();
}

/** Writes `bytes` one at a time, every `everyMs`, until the peer goes away. */
export function drip(socket: net.Socket, bytes: Buffer, everyMs: number): void {
  let i = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || !socket.writable) return clearInterval(timer);
    socket.write(bytes.subarray(i % bytes.length, (i % bytes.length) + 1));
    i++;
  }, everyMs);
  socket.on('close', () => clearInterval(timer));
}

/** A UDP server on 127.0.0.1 answering each datagram with what `reply` returns (nothing for undefined). */
export async function startUdp(reply: (msg: Buffer) => Buffer | Buffer[] | undefined): Promise<Hostile> {
  const socket = dgram.createSocket('udp4');
  let hits = 0;
  socket.on('error', () => {});
  socket.on('message', (msg, rinfo) => {
    hits++;
    const out = reply(msg);
    for (const b of out === undefined ? [] : Array.isArray(out) ? out : [out]) socket.send(b, rinfo.port, rinfo.address);
  });
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  const address = socket.address();
  assert.equal(address.address, '127.0.0.1');
  let closed: Promise<void> | undefined;
  const handle: Hostile = {
    port: address.port,
    get hits() {
      return hits;
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        open.delete(handle);
        socket.close(() => resolve());
      });
      return closed;
    },
  };
  open.add(handle);
  return handle;
}

/** The Sec-WebSocket-Accept for a Sec-WebSocket-Key (RFC 6455 §4.2.2). */
export function websocketAccept(key: string): string {
  return createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
}

/** The value of a header in a raw request head (case-insensitive), if present. */
export function headerOf(head: string, name: string): string | undefined {
  const m = new RegExp(`^${name}:\\s*(.*?)\\s*$`, 'im').exec(head);
  return m?.[1];
}
