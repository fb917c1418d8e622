// TURN URIs as RFC 7065 defines them and WebRTC clients read them:
//   turn[s]:host[:port][?transport=udp|tcp]
// Default ports 3478 (turn:) and 5349 (turns:); default transport UDP for turn:, TCP for turns:.

import { isIP } from 'node:net';

export interface TurnUri {
  text: string;
  secure: boolean;
  host: string;
  port: number;
  /** How the client reaches the server: udp, tcp, or tls (turns: over TCP). */
  transport: 'udp' | 'tcp' | 'tls';
}

export type TurnUriProblem =
  /** Not a TURN URI at all, or malformed. */
  | { kind: 'invalid'; reason: string }
  /** A stun: URI: usable for STUN, but it gives no relay. */
  | { kind: 'stun'; reason: string }
  /** turns: with transport=udp means DTLS, which browsers do not offer. */
  | { kind: 'dtls'; reason: string };

export interface ParsedTurnUri {
  uri?: TurnUri;
  problem?: TurnUriProblem;
}

const HOST = /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*\.?$/;

export function parseTurnUri(text: string): ParsedTurnUri {
  const invalid = (reason: string): ParsedTurnUri => ({ problem: { kind: 'invalid', reason } });
  if (text !== text.trim()) return invalid('it has spaces around it');
  const m = text.match(/^([A-Za-z][A-Za-z0-9+.-]*):(.*)$/s);
  if (!m) return invalid('it has no scheme (expected turn: or turns:)');
  const scheme = m[1].toLowerCase();
  let rest = m[2];
  if (scheme === 'stun' || scheme === 'stuns') {
    return { problem: { kind: 'stun', reason: `a ${scheme}: URI only finds the public address; it gives no relay` } };
  }
  if (scheme !== 'turn' && scheme !== 'turns') return invalid(`the scheme is '${m[1]}:', expected turn: or turns:`);
  if (rest.startsWith('//')) return invalid(`RFC 7065 URIs have no '//' after the scheme: write ${scheme}:${rest.slice(2)}`);
  let query = '';
  const q = rest.indexOf('?');
  if (q >= 0) {
    query = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  if (rest.includes('@')) return invalid('user names do not belong in the URI (Synapse hands out the credentials separately)');
  if (rest.includes('/')) return invalid('a TURN URI has no path');
  let host: string;
  let portText: string | undefined;
  const bracketed = rest.match(/^\[([^\]]+)\](?::(.*))?$/);
  if (bracketed) {
    host = bracketed[1];
    portText = bracketed[2];
    if (isIP(host) !== 6) return invalid(`'[${host}]' is not an IPv6 address`);
  } else {
    const parts = rest.split(':');
    if (parts.length > 2) return invalid('an IPv6 address must be written in brackets, e.g. turn:[2001:db8::1]:3478');
    host = parts[0];
    portText = parts[1];
    if (!host) return invalid('it has no host name');
    if (!isIP(host) && !HOST.test(host)) return invalid(`'${host}' is not a valid host name`);
  }
  let port = scheme === 'turns' ? 5349 : 3478;
  if (portText !== undefined) {
    if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) return invalid(`'${portText}' is not a port (1-65535)`);
    port = Number(portText);
  }
  let transport: 'udp' | 'tcp' | undefined;
  if (query) {
    for (const param of query.split('&')) {
      const [name, value = ''] = param.split('=');
      if (name !== 'transport') return invalid(`unknown parameter '${name}' (only ?transport=udp or ?transport=tcp)`);
      if (value !== 'udp' && value !== 'tcp') return invalid(`transport '${value}' is neither udp nor tcp`);
      transport = value;
    }
  }
  const secure = scheme === 'turns';
  const uri: TurnUri = { text, secure, host: host.toLowerCase().replace(/\.$/, ''), port, transport: secure ? 'tls' : (transport ?? 'udp') };
  if (secure && transport === 'udp')
    return { uri, problem: { kind: 'dtls', reason: 'turns: with transport=udp means DTLS, which browsers and Element do not use' } };
  return { uri };
}
