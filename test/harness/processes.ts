// Every process and server the harness starts is registered here, so that it is stopped when the test
// stops it, and also when a test fails or the test process exits without cleaning up.

import type { ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { once } from 'node:events';
import net from 'node:net';
import { after } from 'node:test';

const children = new Set<ChildProcess>();

process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

// A child nobody stopped (a test that failed half-way through its set-up) would keep this test process
// alive for ever, and CI with it. Once the file's tests are over, give the file's own clean-up a few
// seconds, then kill what is left; the timer is unref'd, so a file that cleaned up exits at once.
after(() => {
  setTimeout(() => {
    for (const child of children) child.kill('SIGKILL');
  }, 5000).unref();
});

export function track(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
}

/** SIGTERM, then SIGKILL if the process is still there after `graceMs`. */
export async function stopProcess(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

// Ports the harness hands out come from two ranges below the kernel's ephemeral range (32768+), which
// is where every `listen(0)` server and every outgoing connection of the suite gets its port. A port
// picked here and released cannot be handed out again by the kernel before the server meant for it
// binds, and a "connection refused" port cannot be taken by another test's server meanwhile.
const SERVER_PORTS = [10000, 20000] as const;
const CLOSED_PORTS = [20000, 32000] as const;

/** A port on 127.0.0.1 free for TCP and UDP a moment ago, for a server the harness starts (coturn uses both). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return pickPort(SERVER_PORTS, host);
}

/** A port on 127.0.0.1 where nothing listens (TCP) or is bound (UDP), for "connection refused" tests. */
export function closedPort(host = '127.0.0.1'): Promise<number> {
  return pickPort(CLOSED_PORTS, host);
}

async function pickPort([low, high]: readonly [number, number], host: string): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = low + Math.floor(Math.random() * (high - low));
    if ((await tcpFree(port, host)) && (await udpFree(port, host))) return port;
  }
  throw new Error(`no free port on ${host} in ${low}-${high}`);
}

async function tcpFree(port: number, host: string): Promise<boolean> {
  const server = net.createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

async function udpFree(port: number, host: string): Promise<boolean> {
  const socket = dgram.createSocket(net.isIPv6(host) ? 'udp6' : 'udp4');
  return new Promise((resolve) => {
    socket.once('error', () => resolve(false));
    socket.bind(port, host, () => socket.close(() => resolve(true)));
  });
}

/** Resolves once host:port accepts a TCP connection; rejects after `timeoutMs` or when `alive()` turns false. */
export async function waitForPort(port: number, host = '127.0.0.1', timeoutMs = 5000, alive: () => boolean = () => true): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!alive()) throw new Error(`the process serving ${host}:${port} exited`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host, port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`nothing listens on ${host}:${port} after ${timeoutMs} ms`);
}
