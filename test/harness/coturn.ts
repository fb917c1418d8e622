// coturn from Debian (turnserver), run in the foreground by the test with a private config: loopback
// only, free ports, TURN REST credentials (use-auth-secret), optional TLS (turns:), and the
// denied-peer-ip lines a safe deployment has (or not, to test an open relay).

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, stopProcess, track, waitForPort } from './processes.js';

export interface CoturnOptions {
  /** static-auth-secret (TURN REST API); undefined: no use-auth-secret at all. */
  secret?: string;
  realm: string;
  /** The usual denied-peer-ip lines for private, link-local, CGNAT and loopback ranges (safe default: true). */
  denyPrivatePeers: boolean;
  allowLoopbackPeers: boolean;
  /** Serve turns: (TLS) too, with these files. */
  tls?: { certFile: string; keyFile: string };
  /** Extra config lines, verbatim. */
  extra: string[];
}

export interface CoturnHandle {
  /** UDP and TCP listening port. */
  port: number;
  /** TLS port when `tls` was given. */
  tlsPort?: number;
  relayRange: [number, number];
  options: CoturnOptions;
  config: string;
  log(): string;
  stop(): Promise<void>;
}

const DENIED = [
  '0.0.0.0-0.255.255.255',
  '10.0.0.0-10.255.255.255',
  '100.64.0.0-100.127.255.255',
  '127.0.0.0-127.255.255.255',
  '169.254.0.0-169.254.255.255',
  '172.16.0.0-172.31.255.255',
  '192.168.0.0-192.168.255.255',
  '::1',
  'fc00::-fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
  'fe80::-febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
];

/** One STUN Binding request; resolves true when a success response with our transaction id comes back. */
export async function stunAnswers(port: number, timeoutMs = 300): Promise<boolean> {
  const socket = dgram.createSocket('udp4');
  const txid = randomBytes(12);
  const request = Buffer.concat([Buffer.from([0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42]), txid]);
  try {
    const answered = new Promise<boolean>((resolve) => {
      socket.on('message', (msg) => resolve(msg.length >= 20 && msg.readUInt16BE(0) === 0x0101 && msg.subarray(8, 20).equals(txid)));
      setTimeout(() => resolve(false), timeoutMs);
    });
    socket.send(request, port, '127.0.0.1');
    return await answered;
  } finally {
    socket.close();
  }
}

async function startCoturnOnce(overrides: Partial<CoturnOptions>): Promise<CoturnHandle> {
  const options: CoturnOptions = {
    secret: 's3cr3t-test-secret',
    realm: 'xfoss.com',
    denyPrivatePeers: true,
    allowLoopbackPeers: false,
    extra: [],
    ...overrides,
  };
  const dir = mkdtempSync(path.join(tmpdir(), 'matrixdoc-coturn-'));
  const port = await freePort(); // free for TCP and UDP: coturn's listening-port is both
  const tlsPort = options.tls ? await freePort() : undefined;
  // Relay ports above Linux's ephemeral range (32768-60999), so no outgoing connection takes one.
  const base = 61000 + Math.floor(Math.random() * 90) * 50;
  const relayRange: [number, number] = [base, base + 49];
  const lines = [
    'listening-ip=127.0.0.1',
    `listening-port=${port}`,
    ...(tlsPort ? [`tls-listening-port=${tlsPort}`, `cert=${options.tls?.certFile}`, `pkey=${options.tls?.keyFile}`, 'no-dtls'] : ['no-tls', 'no-dtls']),
    'relay-ip=127.0.0.1',
    `min-port=${relayRange[0]}`,
    `max-port=${relayRange[1]}`,
    `realm=${options.realm}`,
    ...(options.secret !== undefined ? ['use-auth-secret', `static-auth-secret=${options.secret}`] : []),
    'fingerprint',
    'no-cli',
    'no-multicast-peers',
    ...(options.denyPrivatePeers ? DENIED.map((r) => `denied-peer-ip=${r}`) : []),
    ...(options.allowLoopbackPeers ? ['allow-loopback-peers'] : []),
    `log-file=${path.join(dir, 'turn.log')}`,
    'simple-log',
    `pidfile=${path.join(dir, 'turnserver.pid')}`,
    `userdb=${path.join(dir, 'turndb')}`,
    ...options.extra,
  ];
  const config = `${lines.join('\n')}\n`;
  writeFileSync(path.join(dir, 'turnserver.conf'), config);
  const child = spawn('turnserver', ['-c', path.join(dir, 'turnserver.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  track(child);
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  const log = () => {
    try {
      return readFileSync(path.join(dir, 'turn.log'), 'utf8');
    } catch {
      return '';
    }
  };
  const stop = async () => {
    await stopProcess(child);
    rmSync(dir, { recursive: true, force: true });
  };
  // Readiness: coturn's log is buffered, so ask it a STUN question until it answers. Whatever fails on the
  // way (no answer, an error thrown by the check itself), coturn is stopped: a live child would keep the
  // test process from ever ending.
  try {
    const deadline = Date.now() + 5000;
    while (!(await stunAnswers(port))) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`coturn did not answer STUN on 127.0.0.1:${port}\n${stderr}${log()}`);
    }
    if (tlsPort) await waitForPort(tlsPort, '127.0.0.1', 5000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { port, tlsPort, relayRange, options, config, log, stop };
}

/** Starts coturn, trying fresh ports again when another process took one in the meantime. */
export async function startCoturn(overrides: Partial<CoturnOptions> = {}): Promise<CoturnHandle> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startCoturnOnce(overrides);
    } catch (error) {
      if (attempt >= 3 || !/already in use|errno=98|did not answer/i.test((error as Error).message)) throw error;
    }
  }
}
