// --synapse-log FILE: Synapse's log (homeserver.log), read from the end (at most MAX_LOG_BYTES), and the
// rate-limit rejections in it counted per client address. Two line kinds, as Synapse writes them with
// its default log format `%(asctime)s - %(name)s - %(lineno)d - %(levelname)s - %(request)s - %(message)s`:
//
//  synapse/http/server.py (return_json_error), one per refusal, with the limiter's name since the
//  LimitExceededError debug context:
//    ... - synapse.http.server - 124 - INFO - POST-42 - <SynapseRequest at 0x7f... method='POST'
//        uri='/_matrix/client/v3/login' clientproto='HTTP/1.0' site='8008'> SynapseError: 429 - Too Many Requests (rc_login.address)
//  synapse/http/site.py (_finished_processing), the access line, with the client address Synapse used
//  (the peer, or the left-most X-Forwarded-For with x_forwarded):
//    ... - synapse.access.http.8008 - 473 - INFO - POST-42 - 127.0.0.1 - 8008 - {None} Processed request:
//        0.502sec/0.001sec (0.002sec, 0.000sec) (0.000sec/0.000sec/0) 58B 429 "POST /_matrix/client/v3/login HTTP/1.0" "Mozilla/5.0 ..." [0 dbevts]
//
// The two are joined by the request ID (POST-42) to name the limiter of each refusal.

import { createHash } from 'node:crypto';
import { defineProbe } from '../engine/define.js';
import { ProbeError } from '../engine/errors.js';
import { openRegularFile } from './files.js';

/** At most this much of the log is read, from its end: the recent past is what explains today's lockout. */
export const MAX_LOG_BYTES = 16 * 1024 * 1024;
/** Addresses listed one by one in the evidence; the rest are counted together. */
const MAX_ADDRESSES = 20;
const MAX_SAMPLES = 3;

export interface AddressCount {
  address: string;
  count: number;
  /** Refusals by limiter name (from the SynapseError line); "unknown" when the log did not name it. */
  limiters: Record<string, number>;
  /** Refusals by request path (query strings dropped). */
  paths: Record<string, number>;
  first?: string;
  last?: string;
}

export interface SynapseLogSummary {
  lines: number;
  /** Access lines ("Processed request") seen: 0 means the access log is off (synapse.access.* below INFO). */
  accessLines: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  /** HTTP 429 answers in the access log. */
  rejections: number;
  byAddress: AddressCount[];
  /** Addresses beyond the first MAX_ADDRESSES, and their refusals. */
  otherAddresses: { addresses: number; count: number };
  byLimiter: Record<string, number>;
  /** "SynapseError: 429" lines with no access line (the access log is off, or the request is still running). */
  unattributed: number;
  /** "forwarded request lacks an x-forwarded-proto header": x_forwarded is on but the proxy sends no X-Forwarded-Proto. */
  missingProtoWarnings: number;
  /** A few of the refusals' access lines, as written. */
  samples: string[];
}

export interface SynapseLogArtifact extends SynapseLogSummary {
  file: string;
  size: number;
  bytesRead: number;
  /** Only the end of the file was read. */
  truncated: boolean;
  sha256: string;
}

const PREFIX = /^(\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:[,.]\d+)?)\s+-\s+(\S+)\s+-\s+\d+\s+-\s+[A-Z]+\s+-\s+(\S+)\s+-\s+(.*)$/;
const ACCESS = /(?:^|\s)(\S+) - (\S+) - \{([^}]*)\} Processed request: \S+ \([^)]*\) \([^)]*\) (\d+)B (\d{3})!? "([A-Z]+) (\S+) [^"]*"/;
const SYNAPSE_ERROR = /SynapseError: 429 - [^(]*?(?: \(([^)]+)\))?\s*$/;
const JOURNAL = /^(?:\S+ )*?\S+: \[([^\]]+)\] (.*)$/;
const MISSING_PROTO = 'forwarded request lacks an x-forwarded-proto header';

/** Counts the rate-limit refusals of a Synapse log text. Pure, for the probe and its tests. */
export function summariseSynapseLog(text: string): SynapseLogSummary {
  const byAddress = new Map<string, AddressCount>();
  const byLimiter: Record<string, number> = {};
  /** Limiter named by a SynapseError line, waiting for its request's access line. */
  const pending = new Map<string, string>();
  const samples: string[] = [];
  let lines = 0;
  let accessLines = 0;
  let rejections = 0;
  let missingProtoWarnings = 0;
  let firstTimestamp: string | undefined;
  let lastTimestamp: string | undefined;
  for (const line of text.split('\n')) {
    if (!line) continue;
    lines++;
    const prefix = PREFIX.exec(line);
    const journal = prefix || !line.includes(': [') ? undefined : JOURNAL.exec(line);
    const timestamp = prefix?.[1];
    const requestId = prefix?.[3] ?? journal?.[1];
    const message = prefix?.[4] ?? journal?.[2] ?? line;
    if (timestamp) {
      firstTimestamp ??= timestamp;
      lastTimestamp = timestamp;
    }
    if (message.includes(MISSING_PROTO)) {
      missingProtoWarnings++;
      continue;
    }
    const err = message.includes('SynapseError: 429') ? SYNAPSE_ERROR.exec(message) : null;
    if (err) {
      pending.set(requestId ?? `?${lines}`, err[1] ?? 'unknown');
      continue;
    }
    if (!message.includes('Processed request:')) continue;
    const access = ACCESS.exec(message);
    if (!access) continue;
    accessLines++;
    if (access[5] !== '429') continue;
    rejections++;
    const address = access[1];
    const limiter = (requestId && pending.get(requestId)) || 'unknown';
    if (requestId) pending.delete(requestId);
    const path = access[7].split('?')[0];
    const entry = byAddress.get(address) ?? { address, count: 0, limiters: {}, paths: {} };
    entry.count++;
    entry.limiters[limiter] = (entry.limiters[limiter] ?? 0) + 1;
    entry.paths[path] = (entry.paths[path] ?? 0) + 1;
    if (timestamp) {
      entry.first ??= timestamp;
      entry.last = timestamp;
    }
    byAddress.set(address, entry);
    byLimiter[limiter] = (byLimiter[limiter] ?? 0) + 1;
    if (samples.length < MAX_SAMPLES) samples.push(line.length > 400 ? `${line.slice(0, 397)}...` : line);
  }
  const sorted = [...byAddress.values()].sort((a, b) => b.count - a.count || a.address.localeCompare(b.address));
  const rest = sorted.slice(MAX_ADDRESSES);
  for (const limiter of pending.values()) byLimiter[limiter] = (byLimiter[limiter] ?? 0) + 1;
  return {
    lines,
    accessLines,
    ...(firstTimestamp ? { firstTimestamp } : {}),
    ...(lastTimestamp ? { lastTimestamp } : {}),
    rejections,
    byAddress: sorted.slice(0, MAX_ADDRESSES),
    otherAddresses: { addresses: rest.length, count: rest.reduce((n, a) => n + a.count, 0) },
    byLimiter,
    unattributed: pending.size,
    missingProtoWarnings,
    samples,
  };
}

/** The last `maxBytes` of a file (from the first full line), bounded like the config readers, with the same error codes. */
export async function readLogTail(
  file: string,
  maxBytes = MAX_LOG_BYTES,
): Promise<{ text: string; size: number; bytesRead: number; truncated: boolean; sha256: string }> {
  let handle: Awaited<ReturnType<typeof openRegularFile>> | undefined;
  try {
    handle = await openRegularFile(file);
    const info = await handle.stat();
    const start = Math.max(0, info.size - maxBytes);
    const buffer = Buffer.alloc(Math.min(maxBytes, info.size));
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, start + length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    let bytes = buffer.subarray(0, length);
    if (bytes.subarray(0, 8192).includes(0)) {
      throw new ProbeError('FILE_BINARY', `--synapse-log ${file}: binary content (NUL bytes); give the plain log, not a compressed rotation (.gz)`, { file });
    }
    // Reading from the middle of the file: the first line is cut, drop it.
    if (start > 0) {
      const nl = bytes.indexOf(0x0a);
      bytes = nl < 0 ? bytes.subarray(bytes.length) : bytes.subarray(nl + 1);
    }
    return {
      // A log may hold bytes that are not UTF-8 (a client's user agent): replaced, not refused.
      text: new TextDecoder('utf-8').decode(bytes),
      size: info.size,
      bytesRead: length,
      truncated: start > 0,
      sha256: createHash('sha256').update(buffer.subarray(0, length)).digest('hex'),
    };
  } catch (error) {
    if (error instanceof ProbeError) throw error;
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') throw new ProbeError('FILE_NOT_FOUND', `--synapse-log ${file}: no such file`, { file });
    if (e.code === 'EACCES' || e.code === 'EPERM') {
      throw new ProbeError('FILE_UNREADABLE', `--synapse-log ${file}: permission denied (run as a user that can read it, e.g. with sudo)`, { file });
    }
    if (e.code === 'EISDIR') throw new ProbeError('FILE_IS_DIRECTORY', `--synapse-log ${file}: is a folder, expected a file`, { file });
    if (e.code === 'ENOTREG') throw new ProbeError('FILE_UNREADABLE', `--synapse-log ${file}: not a regular file (a FIFO, socket or device)`, { file });
    throw new ProbeError('FILE_UNREADABLE', `--synapse-log ${file}: ${e.message}`, { file });
  } finally {
    await handle?.close();
  }
}

export const synapseLogProbe = defineProbe<SynapseLogArtifact>({
  id: 'synapseLog',
  description: "Reads the end of Synapse's log (--synapse-log) and counts rate-limit refusals (429) per client address",
  network: false,
  // A local file, but up to 16 MiB of lines to scan.
  timeoutMs: 30_000,
  async run(ctx) {
    const file = ctx.inputs.synapseLog;
    if (!file) return { skip: 'no Synapse log given (--synapse-log, e.g. /var/log/matrix-synapse/homeserver.log)' };
    const tail = await readLogTail(file);
    return { file, size: tail.size, bytesRead: tail.bytesRead, truncated: tail.truncated, sha256: tail.sha256, ...summariseSynapseLog(tail.text) };
  },
});
