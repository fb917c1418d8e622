// Parsing and matching of the network redirection flags (curl's --resolve and --connect-to) and of
// --allow-targets, the guard that refuses any address outside the allowed ranges before connecting.

import { isIP } from 'node:net';
import { InputError } from '../engine/errors.js';

export interface ResolveOverride {
  host: string;
  /** undefined matches any port (curl's `*`). */
  port?: number;
  addresses: string[];
}

export interface ConnectToOverride {
  /** undefined matches any host. */
  host?: string;
  port?: number;
  toHost?: string;
  toPort?: number;
}

export interface Cidr {
  text: string;
  family: 4 | 6;
  bits: bigint;
  prefix: number;
}

/** Splits `a:b:[::1]:c` on colons that are not inside brackets. */
function splitColons(value: string): string[] {
  const parts: string[] = [];
  let current = '';
  let depth = 0;
  for (const ch of value) {
    if (ch === '[') depth++;
    if (ch === ']') depth--;
    if (ch === ':' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts;
}

function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

function parsePort(text: string, flag: string, whole: string, allowAny: boolean): number | undefined {
  if (allowAny && (text === '' || text === '*')) return undefined;
  const n = Number(text);
  if (!/^\d{1,5}$/.test(text) || n < 1 || n > 65535) {
    throw new InputError(`${flag} ${whole}: '${text}' is not a port (1-65535)`);
  }
  return n;
}

/** `host:port:address[,address...]` as curl's --resolve. */
export function parseResolve(value: string): ResolveOverride {
  const parts = splitColons(value);
  // Everything after the port is the address list, so an unbracketed IPv6 address (h:443:::1) works as in curl.
  const addressList = parts.slice(2).join(':');
  if (parts.length < 3 || !parts[0] || !addressList) {
    throw new InputError(`--resolve ${value}: expected host:port:address (for example matrix.example.com:443:127.0.0.1)`);
  }
  const addresses = addressList.split(',').map((a) => unbracket(a.trim()));
  for (const a of addresses) {
    if (!isIP(a)) throw new InputError(`--resolve ${value}: '${a}' is not an IP address`);
  }
  return { host: unbracket(parts[0]).toLowerCase(), port: parsePort(parts[1], '--resolve', value, true), addresses };
}

/** `host1:port1:host2:port2` as curl's --connect-to; empty fields mean "any" (left) or "unchanged" (right). */
export function parseConnectTo(value: string): ConnectToOverride {
  const parts = splitColons(value);
  if (parts.length !== 4) {
    throw new InputError(`--connect-to ${value}: expected host1:port1:host2:port2 (for example 10.11.2.12:389:127.0.0.1:3389)`);
  }
  const [host, port, toHost, toPort] = parts;
  return {
    host: host ? unbracket(host).toLowerCase() : undefined,
    port: parsePort(port, '--connect-to', value, true),
    toHost: toHost ? unbracket(toHost) : undefined,
    toPort: toPort ? parsePort(toPort, '--connect-to', value, false) : undefined,
  };
}

function ipToBigInt(address: string): { family: 4 | 6; value: bigint } | undefined {
  const family = isIP(address);
  if (family === 4) {
    const value = address.split('.').reduce((acc, octet) => (acc << 8n) + BigInt(Number(octet)), 0n);
    return { family: 4, value };
  }
  if (family === 6) {
    let text = address.toLowerCase();
    const zone = text.indexOf('%');
    if (zone >= 0) text = text.slice(0, zone);
    // An embedded IPv4 tail (::ffff:127.0.0.1) becomes two hextets.
    const v4 = text.match(/(\d+\.\d+\.\d+\.\d+)$/);
    if (v4) {
      const n = ipToBigInt(v4[1]);
      if (!n) return undefined;
      text = `${text.slice(0, -v4[1].length)}${(n.value >> 16n).toString(16)}:${(n.value & 0xffffn).toString(16)}`;
    }
    const [head, tail] = text.split('::');
    const headParts = head ? head.split(':') : [];
    const tailParts = tail !== undefined && tail !== '' ? tail.split(':') : [];
    const missing = 8 - headParts.length - tailParts.length;
    const groups = tail === undefined ? headParts : [...headParts, ...Array(missing).fill('0'), ...tailParts];
    const value = groups.reduce((acc, g) => (acc << 16n) + BigInt(Number.parseInt(g || '0', 16)), 0n);
    return { family: 6, value };
  }
  return undefined;
}

export function parseCidr(text: string): Cidr {
  const trimmed = text.trim();
  const [addr, prefixText, ...extra] = trimmed.split('/');
  const ip = ipToBigInt(addr);
  if (!ip || extra.length > 0) throw new InputError(`--allow-targets: '${trimmed}' is not an IP address or CIDR range`);
  const max = ip.family === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max || (prefixText !== undefined && !/^\d+$/.test(prefixText))) {
    throw new InputError(`--allow-targets: '${trimmed}' has an invalid prefix length`);
  }
  // An IPv4-mapped range (::ffff:10.0.0.0/104) is its IPv4 range: addresses are compared that way too.
  if (ip.family === 6 && prefix >= 96 && ip.value >> 32n === 0xffffn) return { text: trimmed, family: 4, bits: ip.value & 0xffffffffn, prefix: prefix - 96 };
  return { text: trimmed, family: ip.family, bits: ip.value, prefix };
}

export function parseAllowTargets(value: string): Cidr[] {
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0) throw new InputError('--allow-targets: give at least one range, e.g. 127.0.0.0/8,::1/128');
  return items
    .map((item) => {
      if (item === 'loopback') return parseCidr('127.0.0.0/8');
      return parseCidr(item);
    })
    .concat(items.includes('loopback') ? [parseCidr('::1/128')] : []);
}

/** IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) are judged as their IPv4 address. */
function normalise(address: string): { family: 4 | 6; value: bigint } | undefined {
  const ip = ipToBigInt(address);
  if (ip?.family === 6 && ip.value >> 32n === 0xffffn) return { family: 4, value: ip.value & 0xffffffffn };
  return ip;
}

export function cidrContains(cidr: Cidr, address: string): boolean {
  const ip = normalise(address);
  if (!ip || ip.family !== cidr.family) return false;
  const width = cidr.family === 4 ? 32 : 128;
  const shift = BigInt(width - cidr.prefix);
  return ip.value >> shift === cidr.bits >> shift;
}

/** True when no allow-list is set, or the address lies in one of its ranges. */
export function isAllowed(allow: Cidr[] | undefined, address: string): boolean {
  return !allow || allow.some((c) => cidrContains(c, address));
}
