// The STUN message codec (RFC 8489, with the TURN attributes of RFC 8656): a 20-byte header (type,
// length, magic cookie, transaction ID) and type-length-value attributes padded to 4 bytes.
//
// A message is modelled without its MESSAGE-INTEGRITY and FINGERPRINT: those are computed over the
// encoded bytes, so `encode` appends them on request and `decode` returns them beside the message
// (checked: a wrong FINGERPRINT is a decode error; MESSAGE-INTEGRITY needs the key, see
// `verifyIntegrity`). That keeps decode(encode(m)).message deep-equal to m.
//
// `decode` never throws anything but a StunDecodeError, whatever the bytes.

import { createHmac, timingSafeEqual } from 'node:crypto';
import { bytesToIp, ipToBytes } from './address.js';

export const MAGIC_COOKIE = 0x2112a442;
export const FINGERPRINT_XOR = 0x5354554e;
export const HEADER_BYTES = 20;

export const METHOD = {
  Binding: 0x001,
  Allocate: 0x003,
  Refresh: 0x004,
  Send: 0x006,
  Data: 0x007,
  CreatePermission: 0x008,
  ChannelBind: 0x009,
} as const;

export type StunClass = 'request' | 'indication' | 'success' | 'error';
const CLASS_BITS: Record<StunClass, number> = { request: 0x0000, indication: 0x0010, success: 0x0100, error: 0x0110 };

/** REQUESTED-TRANSPORT's protocol number for a UDP relay (the only one TURN servers must offer). */
export const TRANSPORT_UDP = 17;

export interface TransportAddress {
  family: 4 | 6;
  address: string;
  port: number;
}

export type AddressAttributeName =
  | 'MAPPED-ADDRESS'
  | 'XOR-MAPPED-ADDRESS'
  | 'XOR-RELAYED-ADDRESS'
  | 'XOR-PEER-ADDRESS'
  | 'RESPONSE-ORIGIN'
  | 'OTHER-ADDRESS'
  | 'ALTERNATE-SERVER';
export type StringAttributeName = 'USERNAME' | 'REALM' | 'NONCE' | 'SOFTWARE';

export type StunAttribute =
  | { type: AddressAttributeName; value: TransportAddress }
  | { type: StringAttributeName; value: string }
  | { type: 'ERROR-CODE'; value: { code: number; reason: string } }
  | { type: 'LIFETIME'; value: number }
  | { type: 'REQUESTED-TRANSPORT'; value: number }
  | { type: 'UNKNOWN-ATTRIBUTES'; value: number[] }
  | { type: 'DATA'; value: Buffer }
  /** Any other attribute, kept as bytes (PRIORITY, ICE-CONTROLLED, DONT-FRAGMENT, ...). */
  | { type: 'UNKNOWN'; code: number; value: Buffer };

export interface StunMessage {
  /** 12-bit method (METHOD.*). */
  method: number;
  cls: StunClass;
  /** 12 bytes. */
  transactionId: Buffer;
  attributes: StunAttribute[];
}

export interface DecodedMessage {
  message: StunMessage;
  /** MESSAGE-INTEGRITY: where it starts in the bytes and its HMAC, for verifyIntegrity. */
  integrity?: { offset: number; hmac: Buffer };
  /** FINGERPRINT's value (already checked: decode fails on a wrong one). */
  fingerprint?: number;
  /** Attributes after MESSAGE-INTEGRITY other than FINGERPRINT, which RFC 8489 says to ignore. */
  ignoredAfterIntegrity: number;
  raw: Buffer;
}

export type StunDecodeErrorCode =
  | 'TOO_SHORT'
  | 'NOT_STUN'
  | 'BAD_LENGTH'
  | 'TRUNCATED_ATTRIBUTE'
  | 'BAD_ATTRIBUTE'
  | 'FINGERPRINT_MISMATCH'
  | 'FINGERPRINT_NOT_LAST';

/** The one error `decode` throws: the bytes are not a well-formed STUN message. */
export class StunDecodeError extends Error {
  constructor(
    readonly code: StunDecodeErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'StunDecodeError';
  }
}

const ATTR_CODES = {
  'MAPPED-ADDRESS': 0x0001,
  USERNAME: 0x0006,
  'MESSAGE-INTEGRITY': 0x0008,
  'ERROR-CODE': 0x0009,
  'UNKNOWN-ATTRIBUTES': 0x000a,
  LIFETIME: 0x000d,
  'XOR-PEER-ADDRESS': 0x0012,
  DATA: 0x0013,
  REALM: 0x0014,
  NONCE: 0x0015,
  'XOR-RELAYED-ADDRESS': 0x0016,
  'REQUESTED-TRANSPORT': 0x0019,
  'XOR-MAPPED-ADDRESS': 0x0020,
  SOFTWARE: 0x8022,
  'ALTERNATE-SERVER': 0x8023,
  FINGERPRINT: 0x8028,
  'RESPONSE-ORIGIN': 0x802b,
  'OTHER-ADDRESS': 0x802c,
} as const;

export const ATTRIBUTE = ATTR_CODES;
const NAMES = new Map<number, string>(Object.entries(ATTR_CODES).map(([name, code]) => [code, name]));

const XOR_ADDRESSES = new Set<string>(['XOR-MAPPED-ADDRESS', 'XOR-RELAYED-ADDRESS', 'XOR-PEER-ADDRESS']);
const PLAIN_ADDRESSES = new Set<string>(['MAPPED-ADDRESS', 'RESPONSE-ORIGIN', 'OTHER-ADDRESS', 'ALTERNATE-SERVER']);
const STRINGS = new Set<string>(['USERNAME', 'REALM', 'NONCE', 'SOFTWARE']);

/** Attribute codes the codec gives a typed value (UNKNOWN attributes must use another code). */
export function isModelledAttribute(code: number): boolean {
  return NAMES.has(code);
}

// --- CRC-32 (ITU-T V.42, as zlib) for FINGERPRINT -------------------------------------------------

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// --- message type ----------------------------------------------------------------------------------

export function messageType(method: number, cls: StunClass): number {
  const m = method & 0xfff;
  return (m & 0x000f) | ((m & 0x0070) << 1) | ((m & 0x0f80) << 2) | CLASS_BITS[cls];
}

function splitType(type: number): { method: number; cls: StunClass } {
  const method = (type & 0x000f) | ((type & 0x00e0) >> 1) | ((type & 0x3e00) >> 2);
  const c = type & 0x0110;
  const cls: StunClass = c === 0x0000 ? 'request' : c === 0x0010 ? 'indication' : c === 0x0100 ? 'success' : 'error';
  return { method, cls };
}

// --- attribute values ------------------------------------------------------------------------------

function xorMask(transactionId: Buffer, length: number): Buffer {
  const mask = Buffer.alloc(16);
  mask.writeUInt32BE(MAGIC_COOKIE, 0);
  transactionId.copy(mask, 4);
  return mask.subarray(0, length);
}

function encodeAddress(a: TransportAddress, xor: boolean, transactionId: Buffer): Buffer {
  const ip = ipToBytes(a.address);
  if (!ip || (ip.length === 4) !== (a.family === 4)) throw new Error(`not an IPv${a.family} address: ${a.address}`);
  const out = Buffer.alloc(4 + ip.length);
  out[1] = a.family === 4 ? 0x01 : 0x02;
  out.writeUInt16BE(xor ? a.port ^ (MAGIC_COOKIE >>> 16) : a.port, 2);
  const mask = xor ? xorMask(transactionId, ip.length) : Buffer.alloc(ip.length);
  for (let i = 0; i < ip.length; i++) out[4 + i] = ip[i] ^ mask[i];
  return out;
}

function decodeAddress(name: string, v: Buffer, xor: boolean, transactionId: Buffer): TransportAddress {
  const family = v.length >= 2 ? v[1] : 0;
  const expected = family === 0x01 ? 8 : family === 0x02 ? 20 : 0;
  if (!expected) throw new StunDecodeError('BAD_ATTRIBUTE', `${name}: unknown address family ${family}`);
  if (v.length !== expected) throw new StunDecodeError('BAD_ATTRIBUTE', `${name}: ${v.length} bytes for an IPv${family === 1 ? 4 : 6} address`);
  const port = xor ? v.readUInt16BE(2) ^ (MAGIC_COOKIE >>> 16) : v.readUInt16BE(2);
  const raw = Buffer.from(v.subarray(4));
  const mask = xor ? xorMask(transactionId, raw.length) : Buffer.alloc(raw.length);
  for (let i = 0; i < raw.length; i++) raw[i] ^= mask[i];
  return { family: family === 0x01 ? 4 : 6, address: bytesToIp(raw), port };
}

const utf8 = new TextDecoder('utf-8');

function encodeValue(a: StunAttribute, transactionId: Buffer): { code: number; value: Buffer } {
  switch (a.type) {
    case 'UNKNOWN':
      return { code: a.code, value: a.value };
    case 'ERROR-CODE': {
      const reason = Buffer.from(a.value.reason, 'utf8');
      const head = Buffer.alloc(4);
      head[2] = Math.floor(a.value.code / 100) & 0x07;
      head[3] = a.value.code % 100;
      return { code: ATTR_CODES['ERROR-CODE'], value: Buffer.concat([head, reason]) };
    }
    case 'LIFETIME': {
      const v = Buffer.alloc(4);
      v.writeUInt32BE(a.value >>> 0);
      return { code: ATTR_CODES.LIFETIME, value: v };
    }
    case 'REQUESTED-TRANSPORT':
      return { code: ATTR_CODES['REQUESTED-TRANSPORT'], value: Buffer.from([a.value & 0xff, 0, 0, 0]) };
    case 'UNKNOWN-ATTRIBUTES': {
      const v = Buffer.alloc(a.value.length * 2);
      for (const [i, c] of a.value.entries()) v.writeUInt16BE(c & 0xffff, i * 2);
      return { code: ATTR_CODES['UNKNOWN-ATTRIBUTES'], value: v };
    }
    case 'DATA':
      return { code: ATTR_CODES.DATA, value: a.value };
    case 'USERNAME':
    case 'REALM':
    case 'NONCE':
    case 'SOFTWARE':
      return { code: ATTR_CODES[a.type], value: Buffer.from(a.value, 'utf8') };
    default:
      return { code: ATTR_CODES[a.type], value: encodeAddress(a.value, XOR_ADDRESSES.has(a.type), transactionId) };
  }
}

function decodeValue(code: number, v: Buffer, transactionId: Buffer): StunAttribute {
  const name = NAMES.get(code);
  if (!name) return { type: 'UNKNOWN', code, value: Buffer.from(v) };
  if (XOR_ADDRESSES.has(name) || PLAIN_ADDRESSES.has(name)) {
    return { type: name as AddressAttributeName, value: decodeAddress(name, v, XOR_ADDRESSES.has(name), transactionId) };
  }
  if (STRINGS.has(name)) return { type: name as StringAttributeName, value: utf8.decode(v) };
  switch (name) {
    case 'ERROR-CODE': {
      if (v.length < 4) throw new StunDecodeError('BAD_ATTRIBUTE', `ERROR-CODE: ${v.length} bytes, at least 4 expected`);
      const cls = v[2] & 0x07;
      const number = v[3];
      if (number > 99) throw new StunDecodeError('BAD_ATTRIBUTE', `ERROR-CODE: number ${number} is above 99`);
      return { type: 'ERROR-CODE', value: { code: cls * 100 + number, reason: utf8.decode(v.subarray(4)) } };
    }
    case 'LIFETIME':
      if (v.length !== 4) throw new StunDecodeError('BAD_ATTRIBUTE', `LIFETIME: ${v.length} bytes, 4 expected`);
      return { type: 'LIFETIME', value: v.readUInt32BE(0) };
    case 'REQUESTED-TRANSPORT':
      if (v.length !== 4) throw new StunDecodeError('BAD_ATTRIBUTE', `REQUESTED-TRANSPORT: ${v.length} bytes, 4 expected`);
      return { type: 'REQUESTED-TRANSPORT', value: v[0] };
    case 'UNKNOWN-ATTRIBUTES': {
      if (v.length % 2 !== 0) throw new StunDecodeError('BAD_ATTRIBUTE', 'UNKNOWN-ATTRIBUTES: odd length');
      const codes: number[] = [];
      for (let i = 0; i < v.length; i += 2) codes.push(v.readUInt16BE(i));
      return { type: 'UNKNOWN-ATTRIBUTES', value: codes };
    }
    case 'DATA':
      return { type: 'DATA', value: Buffer.from(v) };
    default:
      // MESSAGE-INTEGRITY and FINGERPRINT are handled by decode itself.
      throw new StunDecodeError('BAD_ATTRIBUTE', `${name} in an unexpected place`);
  }
}

// --- encode ----------------------------------------------------------------------------------------

export interface EncodeOptions {
  /** Appends MESSAGE-INTEGRITY (HMAC-SHA1) with this key (longTermKey or a short-term password). */
  integrityKey?: Buffer;
  /** Appends FINGERPRINT (CRC-32 xor 0x5354554e), last. */
  fingerprint?: boolean;
  /** The byte that pads attribute values to 4 bytes (0; RFC 5769's vectors use 0x20). Receivers ignore it. */
  padByte?: number;
}

function tlv(code: number, value: Buffer, padByte: number): Buffer {
  const padded = Buffer.alloc(4 + value.length + ((4 - (value.length % 4)) % 4), padByte);
  padded.writeUInt16BE(code, 0);
  padded.writeUInt16BE(value.length, 2);
  value.copy(padded, 4);
  return padded;
}

export function encode(message: StunMessage, opts: EncodeOptions = {}): Buffer {
  if (message.transactionId.length !== 12) throw new Error('a transaction ID is 12 bytes');
  const pad = opts.padByte ?? 0;
  const body = Buffer.concat(
    message.attributes.map((a) => {
      const { code, value } = encodeValue(a, message.transactionId);
      if (value.length > 0xffff) throw new Error(`attribute 0x${code.toString(16)} is longer than 65535 bytes`);
      return tlv(code, value, pad);
    }),
  );
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt16BE(messageType(message.method, message.cls), 0);
  header.writeUInt32BE(MAGIC_COOKIE, 4);
  message.transactionId.copy(header, 8);
  let out = Buffer.concat([header, body]);
  if (opts.integrityKey) {
    // The HMAC covers the message with the length already counting MESSAGE-INTEGRITY (24 bytes).
    out.writeUInt16BE(out.length - HEADER_BYTES + 24, 2);
    const hmac = createHmac('sha1', opts.integrityKey).update(out).digest();
    out = Buffer.concat([out, tlv(ATTR_CODES['MESSAGE-INTEGRITY'], hmac, pad)]);
  }
  if (opts.fingerprint) {
    out.writeUInt16BE(out.length - HEADER_BYTES + 8, 2);
    const fp = Buffer.alloc(4);
    fp.writeUInt32BE((crc32(out) ^ FINGERPRINT_XOR) >>> 0);
    out = Buffer.concat([out, tlv(ATTR_CODES.FINGERPRINT, fp, pad)]);
  }
  if (out.length - HEADER_BYTES > 0xffff) throw new Error('a STUN message body is at most 65535 bytes');
  out.writeUInt16BE(out.length - HEADER_BYTES, 2);
  return out;
}

// --- decode ----------------------------------------------------------------------------------------

/** A first look: could these bytes be a STUN message (not ChannelData, not something else)? */
export function looksLikeStun(bytes: Buffer): boolean {
  return bytes.length >= HEADER_BYTES && (bytes[0] & 0xc0) === 0 && bytes.readUInt32BE(4) === MAGIC_COOKIE;
}

export function decode(bytes: Buffer): DecodedMessage {
  if (bytes.length < HEADER_BYTES) throw new StunDecodeError('TOO_SHORT', `${bytes.length} bytes, a STUN header is 20`);
  if ((bytes[0] & 0xc0) !== 0) throw new StunDecodeError('NOT_STUN', 'the first two bits are not zero');
  if (bytes.readUInt32BE(4) !== MAGIC_COOKIE) throw new StunDecodeError('NOT_STUN', 'no magic cookie (0x2112A442)');
  const length = bytes.readUInt16BE(2);
  if (length % 4 !== 0) throw new StunDecodeError('BAD_LENGTH', `message length ${length} is not a multiple of 4`);
  if (HEADER_BYTES + length !== bytes.length) {
    throw new StunDecodeError('BAD_LENGTH', `the header says ${length} bytes of attributes, ${bytes.length - HEADER_BYTES} follow`);
  }
  const { method, cls } = splitType(bytes.readUInt16BE(0));
  const transactionId = Buffer.from(bytes.subarray(8, 20));
  const attributes: StunAttribute[] = [];
  let integrity: DecodedMessage['integrity'];
  let fingerprint: number | undefined;
  let ignoredAfterIntegrity = 0;
  let offset = HEADER_BYTES;
  while (offset < bytes.length) {
    if (offset + 4 > bytes.length) throw new StunDecodeError('TRUNCATED_ATTRIBUTE', `attribute header at byte ${offset} is cut off`);
    const code = bytes.readUInt16BE(offset);
    const len = bytes.readUInt16BE(offset + 2);
    const padded = len + ((4 - (len % 4)) % 4);
    if (offset + 4 + padded > bytes.length) {
      throw new StunDecodeError('TRUNCATED_ATTRIBUTE', `attribute 0x${code.toString(16).padStart(4, '0')} at byte ${offset} runs past the end`);
    }
    const value = bytes.subarray(offset + 4, offset + 4 + len);
    if (code === ATTR_CODES.FINGERPRINT) {
      if (offset + 4 + padded !== bytes.length) throw new StunDecodeError('FINGERPRINT_NOT_LAST', 'an attribute follows FINGERPRINT');
      if (len !== 4) throw new StunDecodeError('BAD_ATTRIBUTE', `FINGERPRINT: ${len} bytes, 4 expected`);
      // The CRC covers everything before it, with the header length as sent (which counts FINGERPRINT).
      const expected = (crc32(bytes.subarray(0, offset)) ^ FINGERPRINT_XOR) >>> 0;
      fingerprint = value.readUInt32BE(0);
      if (fingerprint !== expected) throw new StunDecodeError('FINGERPRINT_MISMATCH', 'FINGERPRINT does not match the message');
    } else if (integrity) {
      ignoredAfterIntegrity++;
    } else if (code === ATTR_CODES['MESSAGE-INTEGRITY']) {
      if (len !== 20) throw new StunDecodeError('BAD_ATTRIBUTE', `MESSAGE-INTEGRITY: ${len} bytes, 20 expected`);
      integrity = { offset, hmac: Buffer.from(value) };
    } else {
      attributes.push(decodeValue(code, value, transactionId));
    }
    offset += 4 + padded;
  }
  return {
    message: { method, cls, transactionId, attributes },
    ...(integrity ? { integrity } : {}),
    ...(fingerprint !== undefined ? { fingerprint } : {}),
    ignoredAfterIntegrity,
    raw: bytes,
  };
}

/** Whether the message's MESSAGE-INTEGRITY was made with this key (false when it has none). */
export function verifyIntegrity(decoded: DecodedMessage, key: Buffer): boolean {
  if (!decoded.integrity) return false;
  const covered = Buffer.from(decoded.raw.subarray(0, decoded.integrity.offset));
  covered.writeUInt16BE(decoded.integrity.offset - HEADER_BYTES + 24, 2);
  const hmac = createHmac('sha1', key).update(covered).digest();
  return timingSafeEqual(hmac, decoded.integrity.hmac);
}

// --- reading attributes ----------------------------------------------------------------------------

/** The value type of each modelled attribute. */
export type AttributeValues = { [K in AddressAttributeName]: TransportAddress } & { [K in StringAttributeName]: string } & {
  'ERROR-CODE': { code: number; reason: string };
  LIFETIME: number;
  'REQUESTED-TRANSPORT': number;
  'UNKNOWN-ATTRIBUTES': number[];
  DATA: Buffer;
};

/** The value of the first attribute of this type, if any. */
export function attributeValue<K extends keyof AttributeValues>(message: StunMessage, type: K): AttributeValues[K] | undefined {
  const found = message.attributes.find((a) => a.type === type) as { value: AttributeValues[K] } | undefined;
  return found?.value;
}

/** ERROR-CODE with the reason cleaned of the trailing NUL some servers send (coturn 4.6's "Wrong nonce\0"). */
export function errorOf(message: StunMessage): { code: number; reason: string } | undefined {
  const e = attributeValue(message, 'ERROR-CODE');
  return e ? { code: e.code, reason: e.reason.replace(/\0+$/, '').trim() } : undefined;
}

export function methodName(method: number): string {
  const found = Object.entries(METHOD).find(([, v]) => v === method);
  return found ? found[0] : `0x${method.toString(16).padStart(3, '0')}`;
}
