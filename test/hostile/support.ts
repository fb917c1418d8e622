// What the hostile-peer tests share: servers written to misbehave (raw TCP, TLS and UDP on 127.0.0.1, a
// free port each, every one closed by `closeHostile()` even when a test fails), a run of the BUILT
// binary that also measures the child's wall time and peak RSS, and `runCheck()`: that run for
// `check --json`, routed as every hostile run is, with its report parsed. A test file calls
// `hostileHooks()` once.
//
// Network safety: every server here binds 127.0.0.1 only; every run goes through the same environment as
// test/helpers/cli.ts (MATRIXDOC_ALLOW_TARGETS=loopback) and runCheck gives --dns-server a loopback dns2
// server (unless a test has no name to resolve), so that no name is ever asked of the system resolver.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import dgram from 'node:dgram';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import tls from 'node:tls';
import type { Finding, Report } from '../../src/engine/types.js';
import { assertBuilt, spawnCli } from '../helpers/cli.js';
import { assertValidReport } from '../helpers/schema.js';
import { closeAllServers, listenLoopback, OpenHandles, startDnsServer, type TestServer } from '../helpers/servers.js';
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

/**
 * The hooks every hostile test file registers (call at its top level): before its tests, the binary must
 * be built; after them, `closeHostile()`.
 */
export function hostileHooks(): void {
  before(() => assertBuilt());
  after(() => closeHostile());
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

/** `text` written to `name` in a new temporary folder (removed by `closeHostile()`); returns its path. */
export function tempFile(name: string, text: string): string {
  const file = path.join(tempDir(), name);
  writeFileSync(file, text);
  return file;
}

/** Runs `bin/run.js args` (loopback-only, as runCli does), killed after `killAfterMs`; reports wall time and peak RSS. */
export async function runMeasured(args: string[], opts: { env?: Record<string, string>; killAfterMs?: number } = {}): Promise<MeasuredRun> {
  const rssFile = path.join(tempDir('matrixdoc-rss-'), 'maxrss');
  const started = performance.now();
  const r = await spawnCli(args, {
    nodeArgs: ['--import', RSS_HOOK],
    env: { MATRIXDOC_TEST_RSS_FILE: rssFile, ...opts.env },
    timeoutMs: opts.killAfterMs ?? 30_000,
  });
  const wallMs = performance.now() - started;
  const kib = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) : Number.NaN;
  if (args.includes('--json') && r.stdout.trim().startsWith('{')) {
    try {
      assertValidReport(JSON.parse(r.stdout));
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
    }
  }
  return { ...r, wallMs, peakRssMb: kib / 1024 };
}

// --- check runs -------------------------------------------------------------------------------------------

export interface CheckOptions {
  /** --timeout, in ms: TIMEOUT_MS by default. */
  timeoutMs?: number;
  /** --dns-server: a dns2 server on loopback that knows no name, so no name is asked of the system resolver (default true). */
  dns?: boolean;
  /** --ca-file: the test CA (default true). */
  ca?: boolean;
}

let dns: Promise<TestServer> | undefined;

/** `check ...args`, then the routing every hostile run shares (see CheckOptions) and --timeout. */
export async function checkArgs(args: string[], opts: CheckOptions = {}): Promise<string[]> {
  const out = ['check', ...args];
  if (opts.dns !== false) {
    dns ??= startDnsServer({});
    out.push('--dns-server', `127.0.0.1:${(await dns).port}`);
  }
  if (opts.ca !== false) out.push('--ca-file', testCerts().ca.certFile);
  out.push('--timeout', `${opts.timeoutMs ?? TIMEOUT_MS}ms`);
  return out;
}

export interface CheckOutcome {
  run: MeasuredRun;
  report: Report;
  /** The findings of one check of the report (none when it is missing). */
  findingsOf(checkId: string): Finding[];
}

/** The measured run of `check ...args --json` (see checkArgs); a run without a JSON report fails the test with its output. */
export async function runCheck(args: string[], opts: CheckOptions = {}): Promise<CheckOutcome> {
  const run = await runMeasured([...(await checkArgs(args, opts)), '--json']);
  let report: Report;
  try {
    report = JSON.parse(run.stdout) as Report;
  } catch {
    throw new Error(`no JSON report (exit ${run.code}):\n${run.stdout.slice(0, 2000)}\n${run.stderr.slice(0, 2000)}`);
  }
  return { run, report, findingsOf: (checkId) => report.checks.find((c) => c.id === checkId)?.findings ?? [] };
}

/** The finding with this code (and messageId), with every finding listed when it is missing. */
export function finding(findings: Finding[], code: string, messageId?: string): Finding {
  const f = findings.find((x) => x.code === code && (messageId === undefined || x.messageId === messageId));
  assert.ok(f, `no ${code}${messageId ? `/${messageId}` : ''} in:\n${findings.map((x) => `${x.code}/${x.messageId}: ${x.message}`).join('\n')}`);
  return f;
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
  // Inside the run (the report's own clock, without node's start): well under a stack of timeouts, with
  // room for a loaded machine (test/hostile/dead-deployment.test.ts holds the chain to one timeout).
  const inRun = reportDuration(r.stdout);
  if (inRun !== undefined) assert.ok(inRun < 2 * timeoutMs + 1000, `the run took ${inRun} ms for a ${timeoutMs} ms timeout: ${info}`);
  // Whatever the peer did, nothing reaches the user as a stack trace.
  assert.ok(!/\n\s+at .+:\d+:\d+\)?/.test(r.stderr), `stack trace on stderr: ${info}`);
}

/** The `durationMs` of a JSON report on stdout, when there is one. */
function reportDuration(stdout: string): number | undefined {
  if (!stdout.trimStart().startsWith('{')) return undefined;
  try {
    const d = (JSON.parse(stdout) as { durationMs?: unknown }).durationMs;
    return typeof d === 'number' ? d : undefined;
  } catch {
    return undefined;
  }
}

// --- servers ----------------------------------------------------------------------------------------------

export interface Hostile {
  port: number;
  /** TCP connections (or UDP datagrams) received so far. */
  readonly hits: number;
  close(): Promise<void>;
}

const open = new OpenHandles<Hostile>();

/** Closes every hostile server still open, every server of test/helpers/servers.ts (the DNS server too), and removes the temporary folders. */
export async function closeHostile(): Promise<void> {
  await Promise.all([open.closeAll(), closeAllServers()]);
  dns = undefined;
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
}

async function trackTcp(server: net.Server, connectionEvent: string, host = '127.0.0.1'): Promise<Hostile> {
  if (!/^127\.\d+\.\d+\.\d+$/.test(host)) throw new Error(`hostile servers bind loopback only, not ${host}`);
  if (connectionEvent !== 'connection') server.on('tlsClientError', () => {});
  const listening = await listenLoopback(server, { host });
  return open.add(
    {
      port: listening.port,
      get hits() {
        return listening.connections;
      },
    },
    listening.close,
  );
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
  return open.add(
    {
      port: address.port,
      get hits() {
        return hits;
      },
    },
    () => new Promise<void>((resolve) => socket.close(() => resolve())),
  );
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
