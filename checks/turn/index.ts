// turn: Synapse's TURN settings and the TURN server they point at. From the files: turn_uris that are
// not TURN URIs, missing credentials, a turn_user_lifetime written in seconds, too short or too long, guests allowed; with
// --coturn-config, the shared secret compared (never shown) and the relay's denied-peer-ip lines. Live:
// for every URI and address, whether STUN answers (UDP, TCP, TLS), the certificate of turns:, whether
// coturn accepts the credentials Synapse makes, the relayed address, and whether coturn grants
// permissions to internal addresses (an open relay). With --access-token, what /voip/turnServer hands out.

import { defineCheck } from '../../src/engine/define.js';
import type { Edit, FindingDraft, FindingLocation, FixDraft, MessageData } from '../../src/engine/types.js';
import type { CoturnConfigArtifact } from '../../src/probes/coturn-config.js';
import { INTERNAL_PEERS, type TurnArtifact, type TurnConfigArtifact, type TurnTarget, type VoipTurnServerArtifact } from '../../src/probes/turn.js';
import {
  CLIENT_REFRESH_MS,
  DEFAULT_LIFETIME,
  DEFAULT_RELAY_RANGE,
  LONG_LIFETIME_MS,
  parseRange,
  RECOMMENDED_DENIED_PEER_IP,
  rangeContains,
  SECONDS_SUSPICION_MS,
  securityBlock,
} from './coturn-facts.js';

const INTERNAL_RELAY = new Set(['private', 'shared', 'loopback', 'link-local', 'ula']);

/** The units of humanDuration, as phrase ids of MXD-TURN-003 (one and several). */
const DURATION_UNITS = {
  day: 'day',
  days: 'days',
  hour: 'hour',
  hours: 'hours',
  minute: 'minute',
  minutes: 'minutes',
  second: 'second',
  seconds: 'seconds',
  milliseconds: 'milliseconds',
} as const;

/** 86400000 -> {count: 1, unit: 'day'}, 86400 -> {count: 86.4, unit: 'seconds'}: the unit is a phrase id of MXD-TURN-003. */
export function durationParts(ms: number): { count: number; unit: keyof typeof DURATION_UNITS } {
  const units: [number, 'day' | 'hour' | 'minute' | 'second'][] = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1000, 'second'],
  ];
  for (const [size, name] of units) {
    // The largest unit that gives a whole number, or at least 10 of it: 86400 ms is "86.4 seconds".
    if (ms >= size && (ms % size === 0 || ms >= 10 * size)) {
      const n = Math.round((ms / size) * 10) / 10;
      return { count: n, unit: n === 1 ? name : `${name}s` };
    }
  }
  return { count: ms, unit: 'milliseconds' };
}

/** 86400000 -> "1 day", 86400 -> "86.4 seconds", 5400000 -> "90 minutes" (in English). */
export function humanDuration(ms: number): string {
  const { count, unit } = durationParts(ms);
  return `${count} ${DURATION_UNITS[unit]}`;
}

/** What coturn's config says about relaying to each internal peer (allowed-peer-ip wins over denied-peer-ip). */
export function coturnPeerVerdicts(coturn: CoturnConfigArtifact): { peer: string; kind: string; open: boolean; why: string }[] {
  const values = (name: string) => coturn.entries.filter((e) => e.name === name && e.value).map((e) => e.value as string);
  const has = (name: string) => coturn.entries.some((e) => e.name === name);
  const denied = values('denied-peer-ip').flatMap((r) => parseRange(r) ?? []);
  const allowed = values('allowed-peer-ip').flatMap((r) => parseRange(r) ?? []);
  const loopbackAllowed = has('allow-loopback-peers');
  const noMulticast = has('no-multicast-peers');
  return INTERNAL_PEERS.map(({ address, kind }) => {
    if (allowed.some((r) => rangeContains(r, address))) return { peer: address, kind, open: true, why: 'an allowed-peer-ip line includes it' };
    if (denied.some((r) => rangeContains(r, address))) return { peer: address, kind, open: false, why: 'denied-peer-ip' };
    if (kind === 'loopback')
      return loopbackAllowed
        ? { peer: address, kind, open: true, why: 'allow-loopback-peers' }
        : { peer: address, kind, open: false, why: 'loopback peers are refused by default' };
    if (kind === 'multicast')
      return noMulticast
        ? { peer: address, kind, open: false, why: 'no-multicast-peers' }
        : { peer: address, kind, open: true, why: 'no no-multicast-peers line' };
    return { peer: address, kind, open: true, why: 'no denied-peer-ip line covers it' };
  });
}

function coturnValue(coturn: CoturnConfigArtifact | undefined, name: string): string | undefined {
  return coturn?.entries.find((e) => e.name === name && e.value !== undefined)?.value;
}

/** The relay port range coturn uses; `file` is set when the range comes from coturn's file rather than its defaults. */
function relayRange(coturn: CoturnConfigArtifact | undefined): { range: [number, number]; from: string; file?: string } {
  const min = Number(coturnValue(coturn, 'min-port'));
  const max = Number(coturnValue(coturn, 'max-port'));
  const range: [number, number] = [
    Number.isInteger(min) && min > 0 ? min : DEFAULT_RELAY_RANGE[0],
    Number.isInteger(max) && max > 0 ? max : DEFAULT_RELAY_RANGE[1],
  ];
  const file = coturn && (coturnValue(coturn, 'min-port') || coturnValue(coturn, 'max-port')) ? coturn.file : undefined;
  const from = file ? `min-port/max-port in ${file}` : "coturn's default min-port/max-port";
  return { range, from, ...(file ? { file } : {}) };
}

function stunText(e: { code: number; reason: string } | undefined): { code: string; reason: string } {
  return e ? { code: String(e.code), reason: e.reason || '(no reason)' } : { code: '-', reason: '' };
}

function restartCoturn(): string {
  return 'systemctl restart coturn   # coturn reads turnserver.conf only at start';
}

export default defineCheck({
  id: 'turn',
  title: 'TURN (coturn) for calls',
  description:
    "Synapse's TURN settings, the coturn they point at (STUN, credentials, certificate, relayed address) and whether it relays into internal networks.",
  requires: ['homeserverConfig', 'turnConfig'],
  uses: ['turn', 'coturnConfig', 'voipTurnServer'],
  codes: [
    {
      code: 'MXD-TURN-001',
      severity: 'error',
      title: 'TURN URI is not valid',
      messages: {
        invalid: "turn_uris[{{index}}] '{{uri}}' is not a usable TURN URI: {{reason}}; clients cannot use it.",
        stun: "turn_uris[{{index}}] '{{uri}}' is a STUN URI: a {{scheme}}: URI only finds the public address; it gives no relay, so clients behind strict NATs still cannot connect calls.",
        dtls: "turn_uris[{{index}}] '{{uri}}': {{@reason}}; clients skip it (write turns:HOST:5349?transport=tcp).",
      },
      fixes: {
        dtls: 'Use turns:{{host}}:{{port}}?transport=tcp.',
        format: 'Write each entry as turn:HOST[:PORT]?transport=udp|tcp or turns:HOST[:PORT]?transport=tcp (RFC 7065).',
      },
      phrases: { dtls: 'turns: with transport=udp means DTLS, which browsers and Element do not use' },
    },
    {
      code: 'MXD-TURN-002',
      severity: 'error',
      title: 'No usable TURN credentials',
      messages: {
        none: 'turn_uris is set, but neither turn_shared_secret nor both turn_username and turn_password are; Synapse answers /voip/turnServer with {} and clients get no TURN server.',
        bothSecrets:
          'Both turn_shared_secret and turn_shared_secret_path are set; Synapse refuses to start ("You have configured both `turn_shared_secret` and `turn_shared_secret_path`. These are mutually incompatible.").',
        secretFile: 'turn_shared_secret_path names {{path}}, which cannot be read ({{error}}); Synapse cannot start with it.',
      },
      fixes: {
        bothSecrets: 'Keep only one: delete turn_shared_secret_path, or move the secret into that file and delete turn_shared_secret.',
        secretFile: "Create the file with the secret (coturn's static-auth-secret), readable by the user Synapse runs as.",
        none: "Set turn_shared_secret to coturn's static-auth-secret (with use-auth-secret in turnserver.conf).",
      },
    },
    {
      code: 'MXD-TURN-003',
      severity: 'warning',
      title: 'turn_user_lifetime too short (or written in seconds) or too long',
      messages: {
        seconds:
          'turn_user_lifetime is {{value}}, which Synapse reads as {{ms}} milliseconds ({{count}} {{@unit}}): a number without a unit is milliseconds. The TURN credentials expire before clients such as Element fetch new ones (every 10 minutes), so calls placed in between get no relay.',
        short:
          'turn_user_lifetime is {{value}} ({{count}} {{@unit}}): the TURN credentials Synapse hands out expire before clients such as Element fetch new ones (every 10 minutes), so calls placed in between get no relay.',
        long: 'turn_user_lifetime is {{value}} ({{count}} {{@unit}}): every TURN username and password Synapse hands out stays valid that long, and coturn cannot revoke them (it checks only the shared secret and the expiry in the username). Credentials that leak (from a client’s logs, a shared device, an account logged out or deactivated) let anyone relay traffic through your TURN server for {{count}} {{@unit}}. Synapse’s default is 1 hour; clients fetch new credentials before theirs expire.',
      },
      fixes: {
        seconds: 'Write the unit: turn_user_lifetime: {{value}} if you meant {{seconds}} seconds, or "1d" (Synapse\'s docs use 86400000 ms = 1 day).',
        default:
          'Set turn_user_lifetime: "{{value}}", Synapse\'s default: long enough for clients to fetch new credentials in time, short enough that leaked ones soon expire.',
      },
      phrases: { ...DURATION_UNITS },
    },
    {
      code: 'MXD-TURN-004',
      severity: 'info',
      title: 'Guests can get TURN credentials',
      messages: { guests: 'turn_allow_guests is {{@how}}: guest accounts can get TURN credentials too.' },
      fixes: {
        guests: 'If guests have no business placing calls, set turn_allow_guests: false.',
      },
      phrases: { set: 'true', unset: 'not set (the default is true)' },
    },
    {
      code: 'MXD-TURN-005',
      severity: 'error',
      title: 'TURN host does not resolve',
      messages: { resolve: '{{host}} (from {{uri}}) does not resolve ({{error}}); clients cannot reach the TURN server.' },
      fixes: {
        resolve: 'Publish an A (and AAAA, if coturn listens on IPv6) record for {{host}}, or correct the host name in turn_uris.',
      },
    },
    {
      code: 'MXD-TURN-006',
      severity: 'error',
      title: 'No answer from the TURN server over UDP',
      messages: {
        timeout:
          '{{address}} port {{port}} gave no answer over UDP ({{uri}}): {{attempts}} STUN requests in {{ms}} ms. A firewall drops the packets, or coturn does not listen there.',
        unreachable: '{{address}} port {{port}} answers UDP with ICMP port unreachable ({{uri}}): nothing listens on that UDP port.',
      },
      fixes: {
        openUdpFile:
          "Open UDP {{port}} and the relay ports {{range}} (min-port/max-port in {{coturnFile}}) on the TURN server's firewall (and cloud security group), and check coturn listens on UDP {{port}}.",
        openUdpDefault:
          "Open UDP {{port}} and the relay ports {{range}} (coturn's default min-port/max-port) on the TURN server's firewall (and cloud security group), and check coturn listens on UDP {{port}}.",
      },
    },
    {
      code: 'MXD-TURN-007',
      severity: 'error',
      title: 'TURN over TCP or TLS fails',
      messages: {
        refused: '{{address}} port {{port}} refuses TCP connections ({{uri}}): nothing listens there, or a firewall rejects them.',
        timeout: '{{address}} port {{port}} accepted no TCP connection within {{ms}} ms ({{uri}}): a firewall drops it, or the host is down.',
        noAnswer: '{{address}} port {{port}} accepts the connection but gives no STUN answer ({{uri}}): {{error}}.',
        failed: 'Connecting to {{address}} port {{port}} failed ({{uri}}): {{error}}.',
      },
      fixes: {
        acceptTcp: 'Make coturn accept TCP on port {{port}} (listening-port, no no-tcp) and allow TCP {{port}} in the firewall.',
        acceptTls: 'Make coturn accept TLS on port {{port}} (tls-listening-port, cert, pkey, no no-tls) and allow TCP {{port}} in the firewall.',
      },
    },
    {
      code: 'MXD-TURN-008',
      severity: 'error',
      title: 'TLS certificate problem on a turns: URI',
      messages: {
        untrusted: 'The certificate of {{host}} at {{address}} port {{port}} is not trusted ({{uri}}): {{detail}}. Clients refuse the TLS connection.',
        name: 'The certificate at {{address}} port {{port}} is not valid for {{host}} ({{uri}}): {{detail}}.',
        expired: 'The certificate of {{host}} at {{address}} port {{port}} expired on {{validTo}} ({{uri}}).',
        handshake: 'The TLS handshake with {{address}} port {{port}} failed ({{uri}}): {{detail}}.',
      },
      fixes: {
        handshake: 'Give coturn a certificate for {{host}} (cert= and pkey=) and make sure tls-listening-port is {{port}} and no-tls is not set.',
        certificate: 'Serve a certificate for {{host}} from a public CA with its full chain (cert=fullchain.pem, pkey=privkey.pem), then restart coturn.',
      },
    },
    {
      code: 'MXD-TURN-009',
      severity: 'error',
      title: 'TURN credentials rejected',
      messages: {
        secretMismatch:
          'turn_shared_secret in homeserver.yaml differs from every static-auth-secret in {{coturnFile}} (compared without showing either): coturn rejects every credential Synapse hands out.',
        noUseAuthSecret:
          '{{coturnFile}} has no use-auth-secret line: coturn does not accept the time-limited credentials Synapse makes from turn_shared_secret.',
        rejected:
          '{{address}} port {{port}} rejects the credentials Synapse makes from turn_shared_secret ({{uri}}: {{code}} {{reason}}): its static-auth-secret differs from turn_shared_secret, or it lacks use-auth-secret.',
        staticRejected: "{{address}} port {{port}} rejects turn_username '{{username}}' with turn_password ({{uri}}: {{code}} {{reason}}).",
        voipRejected: 'The credentials /voip/turnServer hands out are rejected by {{address}} port {{port}} ({{uri}}: {{code}} {{reason}}).',
      },
      fixes: {
        noUseAuthSecret: 'Add use-auth-secret and static-auth-secret (the value of turn_shared_secret) to {{coturnFile}}, then restart coturn.',
        secretMismatch: 'Use the same secret in both places: turn_shared_secret in homeserver.yaml and static-auth-secret in {{coturnFile}}; restart both.',
        voipRejected:
          "The homeserver hands out credentials coturn does not accept: make Synapse's turn_shared_secret equal coturn's static-auth-secret and restart Synapse.",
        staticRejected: "Create the user in coturn for its realm (turnadmin), or switch both sides to the shared secret (Synapse's recommended setup).",
        rejected:
          "Set coturn's static-auth-secret to the value of turn_shared_secret and make sure use-auth-secret is there; restart coturn. (--coturn-config compares them for you.)",
      },
    },
    {
      code: 'MXD-TURN-010',
      severity: 'warning',
      title: 'TURN realm differs',
      messages: {
        mismatch:
          "{{address}} port {{port}} announces realm '{{live}}', but {{coturnFile}} sets realm={{configured}}: coturn does not run with that file, so what matrixdoc read there may not apply.",
        inconsistent:
          'The TURN servers announce different realms ({{realms}}); credentials stored per realm (turn_username/turn_password) work on only some of them.',
      },
      fixes: {
        mismatch: 'Find the configuration coturn really runs with (its -c argument, /etc/default/coturn), and point --coturn-config at it.',
        inconsistent: 'Give every coturn instance the same realm= (conventionally the server name).',
      },
    },
    {
      code: 'MXD-TURN-011',
      severity: 'error',
      title: 'TURN allocation refused',
      messages: {
        quota: '{{address}} port {{port}} refuses the allocation with 486 Allocation Quota Reached ({{uri}}): the user-quota or total-quota is used up.',
        capacity:
          '{{address}} port {{port}} refuses the allocation with 508 Insufficient Capacity ({{uri}}): no relay port is free between min-port and max-port.',
        refused: '{{address}} port {{port}} refuses the allocation ({{uri}}: {{code}} {{reason}}).',
        noChallenge:
          '{{address}} port {{port}} does not answer Allocate with the 401 challenge (REALM and NONCE) of a TURN server ({{uri}}: {{detail}}); clients cannot authenticate.',
        noChallengeUnexplained:
          '{{address}} port {{port}} does not answer Allocate with the 401 challenge (REALM and NONCE) of a TURN server ({{uri}}: {{@detail}}); clients cannot authenticate.',
        integrity:
          '{{address}} port {{port}} answered the authenticated Allocate {{@how}} ({{uri}}): clients discard such answers as if they never came (RFC 8489 §9.2.5), so they get no relay.',
      },
      fixes: {
        quota: "Raise user-quota / total-quota in turnserver.conf (Synapse's guide: user-quota=12, total-quota=1200).",
        capacity: 'Widen the relay port range (now {{range}}) and open it in the firewall.',
        refused: "Read coturn's log for the refused allocation (add `verbose` to turnserver.conf).",
        integrity: 'Make sure this port is a TURN server that signs its answers (coturn does); a proxy or middlebox that rewrites STUN breaks them.',
        noChallenge: 'Make sure this port is coturn (not another STUN-only server) and that it has an authentication mode (use-auth-secret for Synapse).',
      },
      phrases: {
        noAnswer: 'no answer to Allocate',
        absent: 'without MESSAGE-INTEGRITY',
        invalid: 'with a MESSAGE-INTEGRITY that does not match the credentials',
      },
    },
    {
      code: 'MXD-TURN-012',
      severity: 'error',
      title: 'TURN server relays into internal networks',
      messages: {
        open: 'coturn grants relay permissions to internal addresses ({{peers}}) via {{uris}}: anyone with TURN credentials can use it to reach services on its networks, cloud metadata included.',
        noAuth: '{{address}} port {{port}} allocates a relay without any credentials ({{uri}}): anyone on the internet can use it as an open relay.',
        config: '{{coturnFile}} lets the relay reach internal addresses ({{peers}}).',
      },
      fixes: {
        noAuth: 'Require credentials: use-auth-secret with static-auth-secret (and remove no-auth), then restart coturn.',
        denyPeers: "Add the denied-peer-ip lines of Synapse's coturn guide and no-multicast-peers to {{coturnFile}}, then restart coturn.",
        denyPeersLoopback:
          "Add the denied-peer-ip lines of Synapse's coturn guide and no-multicast-peers to {{coturnFile}}, delete allow-loopback-peers (line {{line}}), then restart coturn.",
      },
    },
    {
      code: 'MXD-TURN-013',
      severity: 'warning',
      title: 'Relayed address is private',
      messages: {
        private:
          'The relay allocated via {{uri}} is {{relayed}}, a {{kind}} address, while clients reach the server at the public {{address}}: remote clients cannot send media to it.',
      },
      fixes: {
        externalIp:
          'Tell coturn its public address: external-ip={{address}}/{{relayed}} in turnserver.conf, forward the relay ports {{range}}/udp 1:1, restart coturn.',
      },
    },
    {
      code: 'MXD-TURN-014',
      severity: 'error',
      title: 'The homeserver hands out other TURN settings',
      messages: {
        empty: '{{url}} answers {}: the running homeserver has no TURN configured, although homeserver.yaml sets turn_uris.',
        uris: '{{url}} hands out {{live}}, but homeserver.yaml has {{configured}}: Synapse runs with another configuration.',
        urisNone: '{{url}} hands out {{@live}}, but homeserver.yaml has {{configured}}: Synapse runs with another configuration.',
        request: '{{url}} could not be read ({{detail}}), so what the homeserver hands out was not checked.',
      },
      fixes: {
        request: 'Give --access-token a valid access token of any user (Element: Settings, Help & About, Access Token).',
        empty: 'Restart Synapse so it reads homeserver.yaml again (and check it runs with this file and its secret).',
        uris: 'Restart Synapse after editing homeserver.yaml.',
      },
      phrases: { none: '(none)' },
    },
    {
      code: 'MXD-TURN-015',
      severity: 'info',
      title: 'TURN relay works',
      messages: {
        ok: '{{uri}} at {{address}}: relay {{relayed}} allocated (STUN round trip {{rtt}} ms), internal peers refused: {{refused}}.',
        okNoPeers: '{{uri}} at {{address}}: relay {{relayed}} allocated (STUN round trip {{rtt}} ms), internal peers refused: {{@refused}}.',
      },
      phrases: { none: 'none', notAsked: 'not asked' },
    },
  ],
  run(inputs): FindingDraft[] {
    const cfg = inputs.get<TurnConfigArtifact>('turnConfig');
    const live = inputs.optional<TurnArtifact>('turn');
    const coturn = inputs.optional<CoturnConfigArtifact>('coturnConfig');
    const voip = inputs.optional<VoipTurnServerArtifact>('voipTurnServer');
    const findings: FindingDraft[] = [];
    const urisPlace = cfg.places.turn_uris;
    const uriLocation = (t: TurnTarget): FindingLocation =>
      t.source === 'homeserver.yaml' ? (cfg.uris.find((u) => u.index === t.uriIndex)?.location ?? urisPlace?.location ?? {}) : { url: voip?.url };
    const { range, from: rangeFrom, file: rangeFile } = relayRange(coturn);

    // --- the files ---------------------------------------------------------------------------------
    for (const entry of cfg.uris) {
      if (!entry.problem) continue;
      const host = entry.uri?.host ?? 'turn.example.com';
      const { kind } = entry.problem;
      // Why a stun: or DTLS entry is no use is the check's to say (the scheme is data, the rest words);
      // an invalid entry's reason comes from the URI parser with the offending part.
      const why: MessageData =
        kind === 'stun'
          ? { scheme: (/^([A-Za-z][A-Za-z0-9+.-]*):/.exec(entry.text)?.[1] ?? 'stun').toLowerCase() }
          : { reason: kind === 'dtls' ? 'dtls' : entry.problem.reason };
      findings.push({
        code: 'MXD-TURN-001',
        messageId: kind,
        ...(kind !== 'invalid' ? { severity: 'warning' as const } : {}),
        data: { index: entry.index, uri: entry.text, ...why },
        location: entry.location,
        evidence: { uri: entry.text, reason: entry.problem.reason },
        fix: {
          ...(entry.problem.kind === 'dtls' ? { summaryId: 'dtls', summaryData: { host, port: entry.uri?.port ?? 5349 } } : { summaryId: 'format' }),
          steps: ['turn_uris:', `  - "turn:${host}?transport=udp"`, `  - "turn:${host}?transport=tcp"`, `  - "turns:${host}:5349?transport=tcp"`],
          edits: [],
        },
      });
    }

    if (cfg.bothSecrets) {
      const p = cfg.places.turn_shared_secret_path;
      findings.push({
        code: 'MXD-TURN-002',
        messageId: 'bothSecrets',
        location: p?.location ?? urisPlace?.location,
        evidence: { keys: ['turn_shared_secret', 'turn_shared_secret_path'] },
        fix: {
          summaryId: 'bothSecrets',
          steps: [],
          edits: p ? [{ kind: 'yaml-delete', file: p.file, path: ['turn_shared_secret_path'], expectSha256: p.sha256 }] : [],
        },
      });
    } else if (cfg.secretPath?.error) {
      findings.push({
        code: 'MXD-TURN-002',
        messageId: 'secretFile',
        data: { path: cfg.secretPath.path, error: cfg.secretPath.error.message },
        location: cfg.places.turn_shared_secret_path?.location,
        evidence: { turn_shared_secret_path: cfg.secretPath.path, error: cfg.secretPath.error },
        fix: {
          summaryId: 'secretFile',
          steps: [`ls -l ${cfg.secretPath.path}`, `chown matrix-synapse ${cfg.secretPath.path} && chmod 600 ${cfg.secretPath.path}`],
          edits: [],
        },
      });
    } else if (cfg.credentials.kind === 'none') {
      findings.push({
        code: 'MXD-TURN-002',
        messageId: 'none',
        location: urisPlace?.location,
        evidence: { turn_username: cfg.username ?? null, turn_password: cfg.password ? 'set' : 'not set', turn_shared_secret: 'not set' },
        fix: {
          summaryId: 'none',
          steps: ['turn_shared_secret: "<the static-auth-secret from /etc/turnserver.conf>"', 'systemctl restart matrix-synapse'],
          edits: [],
        },
      });
    }

    const lifetime = cfg.lifetime;
    if (lifetime.set && lifetime.ms !== undefined) {
      const ms = lifetime.ms;
      const p = cfg.places.turn_user_lifetime;
      const value = String(lifetime.raw);
      const setTo = (v: string): Edit[] => (p ? [{ kind: 'yaml-set', file: p.file, path: ['turn_user_lifetime'], value: v, expectSha256: p.sha256 }] : []);
      const toDefault: FixDraft = {
        summaryId: 'default',
        summaryData: { value: DEFAULT_LIFETIME },
        steps: [`turn_user_lifetime: "${DEFAULT_LIFETIME}"`, 'systemctl restart matrix-synapse'],
        edits: setTo(DEFAULT_LIFETIME),
      };
      const evidence = { turn_user_lifetime: lifetime.raw ?? null, milliseconds: ms, credentials: cfg.credentials.kind };
      // A static turn_username/turn_password never expires: the lifetime is then only the ttl clients are told.
      const expiring = cfg.credentials.kind !== 'static';
      if (lifetime.bare && ms < SECONDS_SUSPICION_MS) {
        // Read as seconds, is the value one to keep? Else (still too short, or now too long) the default.
        const asSeconds = ms * 1000;
        const keep = asSeconds >= CLIENT_REFRESH_MS && asSeconds <= LONG_LIFETIME_MS;
        const suggestion = `${ms}s`;
        findings.push({
          code: 'MXD-TURN-003',
          messageId: 'seconds',
          data: { value, ms, ...durationParts(ms) },
          location: p?.location,
          evidence,
          fix: keep
            ? {
                summaryId: 'seconds',
                summaryData: { value: `"${suggestion}"`, seconds: ms },
                steps: [`turn_user_lifetime: "${suggestion}"`, 'systemctl restart matrix-synapse'],
                edits: setTo(suggestion),
              }
            : toDefault,
        });
      } else if (expiring && ms < CLIENT_REFRESH_MS) {
        findings.push({ code: 'MXD-TURN-003', messageId: 'short', data: { value, ...durationParts(ms) }, location: p?.location, evidence, fix: toDefault });
      } else if (expiring && ms > LONG_LIFETIME_MS) {
        findings.push({ code: 'MXD-TURN-003', messageId: 'long', data: { value, ...durationParts(ms) }, location: p?.location, evidence, fix: toDefault });
      }
    }

    if (cfg.allowGuests.value) {
      const p = cfg.places.turn_allow_guests;
      findings.push({
        code: 'MXD-TURN-004',
        messageId: 'guests',
        data: { how: cfg.allowGuests.set ? 'set' : 'unset' },
        location: p?.location ?? urisPlace?.location,
        evidence: { turn_allow_guests: cfg.allowGuests.set ? true : '(default true)' },
        fix: {
          summaryId: 'guests',
          steps: ['turn_allow_guests: false'],
          edits: [
            {
              kind: 'yaml-set',
              file: p?.file ?? urisPlace?.file ?? '',
              path: ['turn_allow_guests'],
              value: false,
              ...(p?.sha256 || urisPlace?.sha256 ? { expectSha256: p?.sha256 ?? urisPlace?.sha256 } : {}),
            } as Edit,
          ],
        },
      });
    }

    // --- coturn's file: the shared secret, offline too -------------------------------------------------
    const targets = live?.targets ?? [];
    const liveAllocated = targets.some((t) => t.source === 'homeserver.yaml' && t.allocate?.ok && !t.allocate.withoutCredentials);
    let secretExplained = false;
    if (coturn && cfg.credentials.kind === 'shared-secret' && !liveAllocated) {
      const useAuthSecret = coturn.entries.some((e) => e.name === 'use-auth-secret');
      const rejections = targets.filter((t) => t.allocate?.stunError && [401, 441].includes(t.allocate.stunError.code)).map((t) => `${t.uri} @ ${t.address}`);
      if (!useAuthSecret) {
        secretExplained = true;
        findings.push({
          code: 'MXD-TURN-009',
          messageId: 'noUseAuthSecret',
          data: { coturnFile: coturn.file },
          location: { file: coturn.file },
          evidence: { coturnFile: coturn.file, liveRejections: rejections },
          fix: {
            summaryId: 'noUseAuthSecret',
            summaryData: { coturnFile: coturn.file },
            steps: ['use-auth-secret', 'static-auth-secret=<the value of turn_shared_secret in homeserver.yaml>', restartCoturn()],
            edits: [],
          },
        });
      } else if (coturn.staticAuthSecret.length > 0 && cfg.sharedSecret && !coturn.staticAuthSecret.includes(cfg.sharedSecret)) {
        secretExplained = true;
        findings.push({
          code: 'MXD-TURN-009',
          messageId: 'secretMismatch',
          data: { coturnFile: coturn.file },
          location: cfg.places.turn_shared_secret?.location ?? cfg.places.turn_shared_secret_path?.location,
          evidence: {
            coturnFile: coturn.file,
            staticAuthSecretLines: coturn.entries.filter((e) => e.name === 'static-auth-secret').map((e) => e.line),
            liveRejections: rejections,
          },
          fix: {
            summaryId: 'secretMismatch',
            summaryData: { coturnFile: coturn.file },
            steps: [
              'openssl rand -hex 32   # a new secret, if you want one',
              `${coturn.file}: static-auth-secret=<secret>`,
              'homeserver.yaml: turn_shared_secret: "<secret>"',
              restartCoturn(),
              'systemctl restart matrix-synapse',
            ],
            edits: [],
          },
        });
      }
    }

    // --- live --------------------------------------------------------------------------------------------
    const configUris = new Set(cfg.uris.map((u) => u.text));
    const reported005 = new Set<string>();
    for (const t of targets) {
      // A URI /voip/turnServer also lists was tested from homeserver.yaml: only the credentials differ.
      const credentialsOnly = t.source === 'voip' && configUris.has(t.uri);
      const location = uriLocation(t);
      const base = { uri: t.uri, address: t.address ?? t.host, port: t.port, host: t.host };
      const evidence = { target: t };
      if (!t.resolve.ok) {
        if (credentialsOnly || reported005.has(t.uri)) continue;
        reported005.add(t.uri);
        findings.push({
          code: 'MXD-TURN-005',
          messageId: 'resolve',
          data: { host: t.host, uri: t.uri, error: `${t.resolve.error?.code}: ${t.resolve.error?.message}` },
          location,
          evidence,
          fix: {
            summaryId: 'resolve',
            summaryData: { host: t.host },
            steps: [`dig +short A ${t.host}`, `dig +short AAAA ${t.host}`],
            edits: [],
          },
        });
        continue;
      }
      // Transport: UDP answers, TCP connects, TLS certificate.
      if (t.connect && !t.connect.ok) {
        if (credentialsOnly) continue;
        const e = t.connect.error;
        const code = e?.code ?? 'UNKNOWN';
        if (t.transport === 'tls' && /^TLS_/.test(code)) {
          findings.push(tlsFinding('handshake', t, base, e?.message ?? code, location));
        } else {
          const messageId = code === 'CONN_REFUSED' ? 'refused' : code === 'TIMEOUT' ? 'timeout' : 'failed';
          findings.push({
            code: 'MXD-TURN-007',
            messageId,
            data: { ...base, ms: t.connect.durationMs, error: `${code}: ${e?.message ?? ''}` },
            location,
            evidence,
            fix: tcpFix(t),
          });
        }
        continue;
      }
      if (t.connect?.tls && !credentialsOnly) {
        const tls = t.connect.tls;
        if (!tls.authorized) {
          const expired = /expired/i.test(tls.authorizationError ?? '');
          findings.push(tlsFinding(expired ? 'expired' : 'untrusted', t, base, tls.authorizationError ?? 'not trusted', location, tls.validTo));
        }
        if (tls.nameError) findings.push(tlsFinding('name', t, base, tls.nameError, location));
      }
      const answered = (x: TurnTarget['binding']) => !!x && (x.ok || !!x.stunError);
      if (!answered(t.binding) && !answered(t.challenge)) {
        if (credentialsOnly) continue;
        const failure = t.challenge?.failure ?? t.binding?.failure;
        if (t.transport === 'udp') {
          const unreachable = failure?.code === 'PORT_UNREACHABLE';
          findings.push({
            code: 'MXD-TURN-006',
            messageId: unreachable ? 'unreachable' : 'timeout',
            data: { ...base, attempts: failure?.attempts ?? 0, ms: failure?.elapsedMs ?? 0 },
            location,
            evidence: { ...evidence, relayRange: range, relayRangeFrom: rangeFrom },
            fix: udpFix(t, range, rangeFile),
          });
        } else {
          findings.push({
            code: 'MXD-TURN-007',
            messageId: 'noAnswer',
            data: { ...base, error: `${failure?.code ?? 'NO_ANSWER'}: ${failure?.message ?? ''}` },
            location,
            evidence,
            fix: tcpFix(t),
          });
        }
        continue;
      }
      const ch = t.challenge;
      if (!ch || (!ch.ok && ch.authRequired !== false)) {
        // What the server said (its STUN error, or the transport failure) is data; no answer at all is a phrase.
        const detail = ch?.stunError ? `${ch.stunError.code} ${ch.stunError.reason}` : ch?.failure ? `${ch.failure.code}: ${ch.failure.message}` : undefined;
        findings.push({
          code: 'MXD-TURN-011',
          messageId: detail === undefined ? 'noChallengeUnexplained' : 'noChallenge',
          data: { ...base, detail: detail ?? 'noAnswer' },
          location,
          evidence,
          fix: {
            summaryId: 'noChallenge',
            steps: ['ss -ulpn; ss -tlpn   # which process owns the port', 'use-auth-secret', 'static-auth-secret=<turn_shared_secret>'],
            edits: [],
          },
        });
        continue;
      }
      const a = t.allocate;
      if (!a || a.skipped) continue;
      if (a.ok && a.withoutCredentials) {
        findings.push({
          code: 'MXD-TURN-012',
          messageId: 'noAuth',
          data: base,
          location,
          evidence,
          fix: {
            summaryId: 'noAuth',
            steps: ['# turnserver.conf', 'use-auth-secret', 'static-auth-secret=<turn_shared_secret>', '# delete any no-auth line', restartCoturn()],
            edits: [],
          },
        });
        continue;
      }
      if (!a.ok) {
        const e = a.stunError;
        const { code, reason } = e ? stunText(e) : { code: a.failure?.code ?? 'NO_ANSWER', reason: a.failure?.message ?? '' };
        if (e && (e.code === 401 || e.code === 441)) {
          if (t.source === 'voip') {
            findings.push({
              code: 'MXD-TURN-009',
              messageId: 'voipRejected',
              data: { ...base, code, reason },
              location,
              evidence,
              fix: {
                summaryId: 'voipRejected',
                steps: ['systemctl restart matrix-synapse'],
                edits: [],
              },
            });
          } else if (cfg.credentials.kind === 'static') {
            findings.push({
              code: 'MXD-TURN-009',
              messageId: 'staticRejected',
              data: { ...base, code, reason, username: cfg.username ?? '' },
              location: cfg.places.turn_username?.location ?? location,
              evidence,
              fix: {
                summaryId: 'staticRejected',
                steps: [
                  `turnadmin -a -u ${cfg.username ?? '<user>'} -r <realm> -p <turn_password>`,
                  'or: use-auth-secret + static-auth-secret in coturn, turn_shared_secret in Synapse',
                ],
                edits: [],
              },
            });
          } else if (!secretExplained) {
            findings.push({
              code: 'MXD-TURN-009',
              messageId: 'rejected',
              data: { ...base, code, reason },
              location: cfg.places.turn_shared_secret?.location ?? cfg.places.turn_shared_secret_path?.location ?? location,
              evidence: { ...evidence, usernameFormat: '<expiry unix seconds>:<user id>', expiresAt: live?.expiresAt ?? null },
              fix: {
                summaryId: 'rejected',
                steps: [
                  'grep -nE "^(use-auth-secret|static-auth-secret|realm)" /etc/turnserver.conf',
                  restartCoturn(),
                  'date -u   # coturn rejects usernames whose timestamp is already past: check both clocks',
                ],
                edits: [],
              },
            });
          }
          continue;
        }
        const messageId = e?.code === 486 ? 'quota' : e?.code === 508 ? 'capacity' : 'refused';
        findings.push({
          code: 'MXD-TURN-011',
          messageId,
          data: { ...base, code, reason },
          location,
          evidence,
          fix:
            messageId === 'quota'
              ? {
                  summaryId: 'quota',
                  steps: ['user-quota=12', 'total-quota=1200', restartCoturn()],
                  edits: [],
                }
              : messageId === 'capacity'
                ? {
                    summaryId: 'capacity',
                    summaryData: { range: `${range[0]}-${range[1]}` },
                    steps: ['min-port=49152', 'max-port=65535', restartCoturn()],
                    edits: [],
                  }
                : {
                    summaryId: 'refused',
                    steps: ['journalctl -u coturn -n 100'],
                    edits: [],
                  },
        });
        continue;
      }
      // Allocated, but clients would not believe it: a success to an authenticated request must carry a
      // MESSAGE-INTEGRITY made with the same key (the probe records 'valid' for coturn).
      if (a.responseIntegrity === 'absent' || a.responseIntegrity === 'invalid') {
        findings.push({
          code: 'MXD-TURN-011',
          messageId: 'integrity',
          data: { ...base, how: a.responseIntegrity },
          location,
          evidence,
          fix: {
            summaryId: 'integrity',
            steps: ['ss -ulpn; ss -tlpn   # which process owns the port', 'journalctl -u coturn -n 100'],
            edits: [],
          },
        });
        continue;
      }
      // Allocated.
      if (!credentialsOnly && a.relayed && a.relayedKind && INTERNAL_RELAY.has(a.relayedKind) && t.addressKind === 'public') {
        findings.push({
          code: 'MXD-TURN-013',
          messageId: 'private',
          data: { uri: t.uri, relayed: `${a.relayed.address}:${a.relayed.port}`, kind: a.relayedKind, address: t.address ?? t.host },
          location,
          evidence,
          fix: {
            summaryId: 'externalIp',
            summaryData: { address: String(t.address), relayed: a.relayed.address, range: `${range[0]}-${range[1]}` },
            steps: [`external-ip=${t.address}/${a.relayed.address}`, restartCoturn()],
            edits: [],
          },
        });
      }
      const refused = (t.permissions ?? []).filter((p) => p.tested && !p.granted).map((p) => p.peer);
      findings.push({
        code: 'MXD-TURN-015',
        messageId: refused.length ? 'ok' : 'okNoPeers',
        data: {
          uri: t.uri,
          address: t.address ?? t.host,
          relayed: a.relayed ? `${a.relayed.address}:${a.relayed.port}` : '?',
          rtt: t.binding?.rttMs ?? t.challenge?.rttMs ?? 0,
          // The peers refused are data; that none was refused, or none asked for, is a phrase.
          refused: refused.length ? refused.join(', ') : t.permissions ? 'none' : 'notAsked',
        },
        location,
        evidence: { target: t },
      });
    }

    // Open relay: permissions granted to internal peers, over every target that allocated.
    const granted = targets.filter((t) => t.permissions?.some((p) => p.granted));
    const peers = [...new Set(granted.flatMap((t) => (t.permissions ?? []).filter((p) => p.granted).map((p) => `${p.peer} (${p.kind})`)))];
    const testedLive = targets.some((t) => t.permissions?.some((p) => p.tested));
    const configVerdicts = coturn ? coturnPeerVerdicts(coturn) : [];
    const fileGaps = configVerdicts.filter((v) => v.open);
    if (peers.length) {
      findings.push({
        code: 'MXD-TURN-012',
        messageId: 'open',
        data: { peers: peers.join(', '), uris: [...new Set(granted.map((t) => `${t.uri} @ ${t.address}`))].join(', ') },
        location: uriLocation(granted[0]),
        evidence: {
          granted: granted.map((t) => ({ uri: t.uri, address: t.address, permissions: t.permissions })),
          ...(coturn ? { coturnFile: coturn.file, fileVerdicts: configVerdicts } : {}),
        },
        fix: openRelayFix(
          coturn,
          fileGaps.map((v) => v.peer),
        ),
      });
    } else if (coturn && !testedLive && fileGaps.length) {
      findings.push({
        code: 'MXD-TURN-012',
        messageId: 'config',
        data: { coturnFile: coturn.file, peers: fileGaps.map((v) => `${v.peer} (${v.kind}: ${v.why})`).join(', ') },
        location: { file: coturn.file },
        evidence: { coturnFile: coturn.file, verdicts: configVerdicts },
        fix: openRelayFix(
          coturn,
          fileGaps.map((v) => v.peer),
        ),
      });
    }

    // Realms: what the servers announce, against coturn's file and each other.
    const realms = new Map<string, TurnTarget[]>();
    for (const t of targets) if (t.challenge?.realm !== undefined) realms.set(t.challenge.realm, [...(realms.get(t.challenge.realm) ?? []), t]);
    const fileRealm = coturnValue(coturn, 'realm');
    const realmLine = coturn?.entries.find((e) => e.name === 'realm')?.line;
    if (coturn && fileRealm !== undefined) {
      for (const [realm, ts] of realms) {
        if (realm === fileRealm) continue;
        const t = ts[0];
        findings.push({
          code: 'MXD-TURN-010',
          messageId: 'mismatch',
          data: { address: t.address ?? t.host, port: t.port, live: realm, configured: fileRealm, coturnFile: coturn.file },
          location: { file: coturn.file, ...(realmLine !== undefined ? { line: realmLine } : {}) },
          evidence: { announced: realm, file: fileRealm, targets: ts.map((x) => `${x.uri} @ ${x.address}`) },
          fix: {
            summaryId: 'mismatch',
            steps: ['ps -o args= -C turnserver', 'systemctl cat coturn'],
            edits: [],
          },
        });
      }
    }
    if (realms.size > 1) {
      findings.push({
        code: 'MXD-TURN-010',
        messageId: 'inconsistent',
        data: { realms: [...realms.keys()].map((r) => `'${r}'`).join(', ') },
        location: urisPlace?.location,
        evidence: Object.fromEntries([...realms].map(([r, ts]) => [r, ts.map((t) => `${t.uri} @ ${t.address}`)])),
        fix: {
          summaryId: 'inconsistent',
          steps: ['realm=<server_name>', restartCoturn()],
          edits: [],
        },
      });
    }

    // What the running homeserver hands out.
    if (voip) {
      const configured = cfg.uris.map((u) => u.text);
      if (!voip.ok || voip.status !== 200) {
        findings.push({
          code: 'MXD-TURN-014',
          messageId: 'request',
          severity: 'warning',
          data: {
            url: voip.url,
            detail: voip.error
              ? `${voip.error.code}: ${voip.error.message}`
              : `HTTP ${voip.status}${voip.errcode ? ` ${voip.errcode}` : ''}${voip.errorText ? `: ${voip.errorText}` : ''}`,
          },
          location: { url: voip.url },
          evidence: { voip: { ...voip, password: undefined } },
          fix: {
            summaryId: 'request',
            steps: [],
            edits: [],
          },
        });
      } else if (voip.empty) {
        findings.push({
          code: 'MXD-TURN-014',
          messageId: 'empty',
          data: { url: voip.url },
          location: { url: voip.url },
          evidence: { voip: { url: voip.url, status: voip.status, body: '{}' }, turn_uris: configured },
          fix: {
            summaryId: 'empty',
            steps: ['systemctl restart matrix-synapse', 'ps -o args= -C python3 | grep synapse   # which -c files it runs with'],
            edits: [],
          },
        });
      } else if (voip.uris && JSON.stringify([...voip.uris].sort()) !== JSON.stringify([...configured].sort())) {
        findings.push({
          code: 'MXD-TURN-014',
          messageId: voip.uris.length ? 'uris' : 'urisNone',
          severity: 'warning',
          data: { url: voip.url, live: voip.uris.length ? voip.uris.join(', ') : 'none', configured: configured.join(', ') },
          location: { url: voip.url },
          evidence: { live: voip.uris, configured },
          fix: { summaryId: 'uris', steps: ['systemctl restart matrix-synapse'], edits: [] },
        });
      }
    }
    return findings;
  },
});

function tlsFinding(
  messageId: 'untrusted' | 'name' | 'expired' | 'handshake',
  t: TurnTarget,
  base: { uri: string; address: string; port: number; host: string },
  detail: string,
  location: FindingLocation,
  validTo?: string,
): FindingDraft {
  return {
    code: 'MXD-TURN-008',
    messageId,
    data: { ...base, detail, validTo: validTo ?? '' },
    location,
    evidence: { target: t },
    fix: {
      summaryId: messageId === 'handshake' ? 'handshake' : 'certificate',
      summaryData: messageId === 'handshake' ? { host: t.host, port: t.port } : { host: t.host },
      steps: [
        `cert=/etc/letsencrypt/live/${t.host}/fullchain.pem`,
        `pkey=/etc/letsencrypt/live/${t.host}/privkey.pem`,
        restartCoturn(),
        `openssl s_client -connect ${t.host}:${t.port} -servername ${t.host} </dev/null | openssl x509 -noout -subject -dates -ext subjectAltName`,
      ],
      edits: [],
    },
  };
}

function udpFix(t: TurnTarget, range: [number, number], rangeFile: string | undefined): FixDraft {
  return {
    summaryId: rangeFile ? 'openUdpFile' : 'openUdpDefault',
    summaryData: { port: t.port, range: `${range[0]}-${range[1]}`, ...(rangeFile ? { coturnFile: rangeFile } : {}) },
    steps: [
      `ufw allow ${t.port}/udp && ufw allow ${range[0]}:${range[1]}/udp`,
      `# or: iptables -A INPUT -p udp --dport ${t.port} -j ACCEPT; iptables -A INPUT -p udp --dport ${range[0]}:${range[1]} -j ACCEPT`,
      `ss -ulpn | grep ':${t.port} '   # coturn should own it (listening-port, listening-ip)`,
      'systemctl status coturn',
    ],
    edits: [] as Edit[],
  };
}

function tcpFix(t: TurnTarget): FixDraft {
  return {
    summaryId: t.transport === 'tls' ? 'acceptTls' : 'acceptTcp',
    summaryData: { port: t.port },
    steps: [
      `ss -tlpn | grep ':${t.port} '`,
      `ufw allow ${t.port}/tcp`,
      'grep -nE "^(listening-port|tls-listening-port|no-tcp|no-tls|listening-ip)" /etc/turnserver.conf',
    ],
    edits: [] as Edit[],
  };
}

function openRelayFix(coturn: CoturnConfigArtifact | undefined, openPeers: string[]): FixDraft {
  const loopback = coturn?.entries.find((e) => e.name === 'allow-loopback-peers');
  const coturnFile = coturn?.file ?? 'turnserver.conf';
  return {
    ...(loopback
      ? { summaryId: 'denyPeersLoopback', summaryData: { coturnFile, line: loopback.line } }
      : { summaryId: 'denyPeers', summaryData: { coturnFile } }),
    steps: [
      ...securityBlock(),
      ...(openPeers.length ? [`# reachable according to the file: ${openPeers.join(', ')}`] : []),
      `# keep only the ranges you need to relay to; allowed-peer-ip wins over denied-peer-ip (${RECOMMENDED_DENIED_PEER_IP.length} ranges above)`,
      restartCoturn(),
    ],
    edits: [] as Edit[],
  };
}
