// Loaded into every test process (node --import, see test/run.sh): the suite may send traffic to loopback
// only. matrixdoc's own guard (--allow-targets) protects the CLI runs; this one protects everything that
// runs inside the test processes too (probes called directly, helpers, libraries), whatever flags a test
// forgot: a TCP or UDP packet, a DNS query or a name lookup towards anything but loopback throws.

import dgram from 'node:dgram';
import dns from 'node:dns';
import net from 'node:net';

const INSTALLED = Symbol.for('matrixdoc.test.loopbackOnly');

function isLoopbackAddress(address: string): boolean {
  const a = address.replace(/^\[|\]$/g, '').toLowerCase();
  if (net.isIPv4(a)) return a.startsWith('127.');
  if (net.isIPv6(a)) return a === '::1' || /^::ffff:127\./.test(a) || a === '0:0:0:0:0:0:0:1';
  return false;
}

/**
 * Names a test may look up: loopback literals, localhost (answered from /etc/hosts, never from a DNS
 * server), and the unspecified addresses, which node looks up when it binds a socket implicitly (a UDP
 * send before bind) and which, as a destination, mean this machine.
 */
function isLoopbackName(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return isLoopbackAddress(h) || h === 'localhost' || h.endsWith('.localhost') || h === '0.0.0.0' || h === '::';
}

function refuse(what: string): never {
  throw new Error(`test network guard: refused ${what}: the tests reach loopback only (test/setup/loopback-only.ts)`);
}

/** The loopback name or address of a resolver server ("127.0.0.1:5353", "[::1]:53"). */
function serverAddress(server: string): string {
  return server.replace(/^\[([^\]]+)\](:\d+)?$/, '$1').replace(/^([\d.]+):\d+$/, '$1');
}

function guardResolver(getServers: () => string[]): void {
  for (const server of getServers()) if (!isLoopbackAddress(serverAddress(server))) refuse(`a DNS query to ${server}`);
}

const RESOLVE_METHODS = ['resolve', 'resolve4', 'resolve6', 'resolveSrv', 'resolveCname', 'resolveTxt', 'resolveAny', 'resolveMx', 'resolveNs', 'reverse'];

function install(): void {
  // TCP (and TLS, whose sockets are net.Sockets): net.connect passes its normalised arguments as an array.
  const socketConnect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
    const first = Array.isArray(args[0]) ? args[0][0] : args[0];
    const options = typeof first === 'object' && first !== null ? (first as { host?: string; path?: string }) : undefined;
    const host = options ? options.host : typeof first === 'number' || /^\d+$/.test(String(first)) ? (args[1] as string | undefined) : undefined;
    const isPath = options ? options.path !== undefined : typeof first === 'string' && !/^\d+$/.test(first);
    if (!isPath && host !== undefined && !isLoopbackName(host)) refuse(`a TCP connection to ${host}`);
    // A name is resolved inside connect(): check the address it resolved to before the SYN goes out.
    this.once('lookup', (err: Error | null, address: string) => {
      if (!err && address && !isLoopbackAddress(address)) this.destroy(new Error(`test network guard: ${host} resolved to ${address}, not loopback`));
    });
    return socketConnect.apply(this, args as Parameters<typeof socketConnect>);
  } as typeof socketConnect;

  // UDP: send(msg, [offset, length,] port[, address][, callback]) and connect(port[, address][, callback]).
  const udpAddress = (args: unknown[]): string | undefined => args.find((a, i) => i > 0 && typeof a === 'string') as string | undefined;
  const udpSend = dgram.Socket.prototype.send;
  dgram.Socket.prototype.send = function guardedSend(this: dgram.Socket, ...args: unknown[]) {
    const address = udpAddress(args);
    if (address !== undefined && !isLoopbackName(address)) refuse(`a UDP datagram to ${address}`);
    return (udpSend as (...a: unknown[]) => void).apply(this, args);
  } as typeof udpSend;
  const udpConnect = dgram.Socket.prototype.connect;
  dgram.Socket.prototype.connect = function guardedUdpConnect(this: dgram.Socket, ...args: unknown[]) {
    const address = args.find((a) => typeof a === 'string') as string | undefined;
    if (address !== undefined && !isLoopbackName(address)) refuse(`a UDP connection to ${address}`);
    return (udpConnect as (...a: unknown[]) => void).apply(this, args);
  } as typeof udpConnect;

  // DNS: queries go to the resolver's servers (c-ares, below the JS sockets): they must be on loopback.
  for (const Resolver of [dns.Resolver, dns.promises.Resolver]) {
    const proto = Resolver.prototype as unknown as Record<string, unknown>;
    for (const method of RESOLVE_METHODS) {
      const original = proto[method] as ((...a: unknown[]) => unknown) | undefined;
      if (typeof original !== 'function') continue;
      proto[method] = function guardedResolve(this: { getServers(): string[] }, ...args: unknown[]) {
        guardResolver(() => this.getServers());
        return original.apply(this, args);
      };
    }
  }
  // The module-level dns.resolve* are bound to the default resolver; name lookups (getaddrinfo) go to
  // the system's resolver: only loopback names.
  for (const target of [dns, dns.promises] as unknown as Record<string, (...a: unknown[]) => unknown>[]) {
    for (const method of RESOLVE_METHODS) {
      const original = target[method];
      if (typeof original !== 'function') continue;
      target[method] = function guardedModuleResolve(this: unknown, ...args: unknown[]) {
        guardResolver(() => dns.getServers());
        return original.apply(this, args);
      };
    }
    const lookup = target.lookup;
    target.lookup = function guardedLookup(this: unknown, ...args: unknown[]) {
      const host = String(args[0]);
      if (!isLoopbackName(host)) refuse(`a name lookup of ${host}`);
      return lookup.apply(this, args);
    };
  }
}

// Once per process, however many times it is imported.
const registry = globalThis as unknown as Record<symbol, boolean>;
if (!registry[INSTALLED]) {
  registry[INSTALLED] = true;
  install();
}
