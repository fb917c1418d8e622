// IP addresses as STUN carries them (4 or 16 bytes) and as people read them (RFC 5952 text), plus the
// ranges a TURN relay must never reach (loopback, private, link-local, cloud metadata, ULA, multicast).

import { isIP } from 'node:net';

export type AddressKind = 'loopback' | 'private' | 'shared' | 'link-local' | 'metadata' | 'ula' | 'multicast' | 'unspecified' | 'public';

/** 4 or 16 bytes for an IPv4 or IPv6 address text; undefined when it is neither. */
export function ipToBytes(address: string): Buffer | undefined {
  const family = isIP(address);
  if (family === 4) return Buffer.from(address.split('.').map(Number));
  if (family !== 6) return undefined;
  let text = address.toLowerCase();
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  // An embedded IPv4 tail (::ffff:192.0.2.1) becomes the last two groups.
  let v4tail: number[] = [];
  const embedded = text.match(/^(.*:)(\d+\.\d+\.\d+\.\d+)$/);
  if (embedded) {
    const b = ipToBytes(embedded[2]) as Buffer;
    v4tail = [(b[0] << 8) | b[1], (b[2] << 8) | b[3]];
    text = embedded[1].endsWith('::') ? embedded[1] : embedded[1].slice(0, -1);
  }
  const groups = (s: string) => (s === '' ? [] : s.split(':').map((g) => Number.parseInt(g, 16)));
  const halves = text.split('::');
  let all: number[];
  if (halves.length === 1) all = [...groups(halves[0]), ...v4tail];
  else {
    const head = groups(halves[0]);
    const tail = [...groups(halves[1]), ...v4tail];
    all = [...head, ...Array(8 - head.length - tail.length).fill(0), ...tail];
  }
  const out = Buffer.alloc(16);
  for (const [i, g] of all.entries()) out.writeUInt16BE(g & 0xffff, i * 2);
  return out;
}

/** RFC 5952 text: lower case, leading zeros dropped, the longest run (2+) of zero groups as `::`. */
export function bytesToIp(bytes: Buffer): string {
  if (bytes.length === 4) return [...bytes].join('.');
  if (bytes.subarray(0, 10).every((x) => x === 0) && bytes[10] === 0xff && bytes[11] === 0xff) return `::ffff:${[...bytes.subarray(12)].join('.')}`;
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestLen < 2) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** The same address in RFC 5952 form (`2001:DB8:0::1` -> `2001:db8::1`), or the input when it is not an IP. */
export function canonicalIp(address: string): string {
  const b = ipToBytes(address);
  return b ? bytesToIp(b) : address;
}

function inV4(b: Buffer, net: [number, number, number, number], prefix: number): boolean {
  const value = b.readUInt32BE(0);
  const base = ((net[0] << 24) | (net[1] << 16) | (net[2] << 8) | net[3]) >>> 0;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return (value & mask) >>> 0 === (base & mask) >>> 0;
}

/** What kind of address this is, for a relay's point of view (IPv4-mapped IPv6 judged as IPv4). */
export function classifyAddress(address: string): AddressKind {
  let b = ipToBytes(address);
  if (!b) return 'public';
  if (b.length === 16 && b.subarray(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff) b = b.subarray(12);
  if (b.length === 4) {
    if (inV4(b, [169, 254, 169, 254], 32)) return 'metadata';
    if (inV4(b, [127, 0, 0, 0], 8)) return 'loopback';
    if (inV4(b, [0, 0, 0, 0], 8)) return 'unspecified';
    if (inV4(b, [10, 0, 0, 0], 8) || inV4(b, [172, 16, 0, 0], 12) || inV4(b, [192, 168, 0, 0], 16)) return 'private';
    if (inV4(b, [100, 64, 0, 0], 10)) return 'shared';
    if (inV4(b, [169, 254, 0, 0], 16)) return 'link-local';
    if (inV4(b, [224, 0, 0, 0], 4)) return 'multicast';
    return 'public';
  }
  if (b.every((x, i) => (i < 15 ? x === 0 : x === 1))) return 'loopback';
  if (b.every((x) => x === 0)) return 'unspecified';
  if (b.equals(ipToBytes('fd00:ec2::254') as Buffer)) return 'metadata';
  if ((b[0] & 0xfe) === 0xfc) return 'ula';
  if (b[0] === 0xfe && (b[1] & 0xc0) === 0x80) return 'link-local';
  if (b[0] === 0xff) return 'multicast';
  return 'public';
}

/** Addresses a public client cannot reach (everything but `public`). */
export function isInternal(address: string): boolean {
  return classifyAddress(address) !== 'public';
}
