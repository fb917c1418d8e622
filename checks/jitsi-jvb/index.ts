// jitsi-jvb: the videobridge's media addresses. JVB_ADVERTISE_IPS must name addresses every participant
// can reach: calls of two go peer-to-peer and work anyway, calls of three or more send all media through
// the bridge and stay silent when it advertises the wrong address (the seed's "no audio with three").
// UDP to the media port is not probed (the bridge drops STUN for no live conference, so silence proves
// nothing); on the Jitsi host the bridge's health endpoint is read instead.

import { isIP } from 'node:net';
import path from 'node:path';
import { defineCheck } from '../../src/engine/define.js';
import type { FindingDraft, FixDraft } from '../../src/engine/types.js';
import type { JitsiEnvArtifact } from '../../src/probes/config-files.js';
import type { JitsiHostArtifact } from '../../src/probes/jitsi.js';
import { JitsiSettings, publicUrlOf } from '../jitsi-websocket/jitsi-facts.js';
import { type AdvertiseEntry, CONTAINER_INTERFACE, classifyAddress, hostAddressesOf, isPrivateKind, isReachableKind, parseAdvertiseIps } from './jvb-facts.js';

const SYMPTOM_STEPS = (file: string) => [`cd ${path.dirname(file)} && docker compose up -d --force-recreate jvb`];

/** The fix summaries of the codes whose fix drops one bad JVB_ADVERTISE_IPS entry (MXD-JVB-002, -003, -004). */
const WITHOUT_ENTRY_FIXES = {
  remove: "Remove '{{entry}}' from {{source}}.",
  replace: "Replace '{{entry}}' with the address participants reach (the LAN address, plus the public one for people outside).",
  replaceWith: "Replace '{{entry}}' with the address participants reach: JVB_ADVERTISE_IPS={{suggestion}} ({{@basis}}).",
};

/** Why the replacement address was chosen (MXD-JVB-002, -003, -004 `replaceWith`). */
const REPLACE_PHRASES = {
  publicUrl: "PUBLIC_URL's address",
  hostAndPublicUrl: "this host's LAN address and PUBLIC_URL's public address",
  hostInterfaces: "this host's LAN address",
};

export default defineCheck({
  id: 'jitsi-jvb',
  title: "Jitsi: the videobridge's media addresses",
  description:
    'Checks JVB_ADVERTISE_IPS (the addresses the videobridge offers participants for media) against PUBLIC_URL and, on the Jitsi host, its interfaces; reads the bridge health endpoint there.',
  requires: ['jitsiEnv'],
  uses: ['jitsiHost'],
  codes: [
    {
      code: 'MXD-JVB-001',
      severity: 'error',
      title: 'JVB_ADVERTISE_IPS is not set where it is needed',
      messages: {
        privateHost:
          'JVB_ADVERTISE_IPS is not set while {{host}} (PUBLIC_URL) resolves to the private address {{addresses}}: the videobridge offers only its container address and what STUN finds on the internet. Calls of two work (peer-to-peer), but with three or more participants all media goes through the bridge and nobody hears anyone.',
        nat: 'JVB_ADVERTISE_IPS is not set and this Jitsi host sits behind NAT (the compose project beside the .env runs the jvb here, this machine has only private addresses ({{hostAddresses}}) and {{host}} resolves to {{resolved}}): the bridge only learns its public address through STUN. Calls of two work (peer-to-peer); from three participants on, media goes through the bridge and stays silent when STUN fails.',
      },
      fixes: {
        privateHost: 'Advertise the address participants reach: JVB_ADVERTISE_IPS={{suggestion}} (add the public one too if people join from outside).',
        nat: 'Advertise both the LAN and the public address: JVB_ADVERTISE_IPS={{suggestion}}, and forward UDP {{port}} to this host.',
      },
    },
    {
      code: 'MXD-JVB-002',
      severity: 'error',
      title: 'Invalid JVB_ADVERTISE_IPS entry',
      messages: {
        invalid:
          "JVB_ADVERTISE_IPS entry '{{entry}}' is not an IP address (write ip or ip#port; IPv6 uses # because of its colons): the bridge cannot advertise it, so calls of three or more stay silent while calls of two (peer-to-peer) work.",
        badPort: "JVB_ADVERTISE_IPS entry '{{entry}}' has port '{{port}}', not a number from 1 to 65535: the videobridge's configuration does not load.",
        unusable:
          "JVB_ADVERTISE_IPS entry '{{entry}}' is a {{kind}} address no participant can send media to: calls of two work (peer-to-peer), three or more stay silent.",
        hostname:
          "JVB_ADVERTISE_IPS entry '{{entry}}' is a host name: the bridge resolves it once, inside its container, when it starts; if that gives another address (or Docker's DNS a private one), calls of three or more stay silent. Use the IP address.",
      },
      fixes: WITHOUT_ENTRY_FIXES,
      phrases: REPLACE_PHRASES,
    },
    {
      code: 'MXD-JVB-003',
      severity: 'error',
      title: 'A Docker bridge address is advertised',
      messages: {
        bridge:
          "JVB_ADVERTISE_IPS advertises {{address}}, an address of Docker's default bridge (172.17.0.0/16) that only this host can reach: calls of two work (peer-to-peer), three or more stay silent.",
        containerInterface:
          'JVB_ADVERTISE_IPS advertises {{address}}, the address of the container network interface {{interface}} on this host, which no participant can reach: calls of three or more stay silent.',
      },
      fixes: WITHOUT_ENTRY_FIXES,
      phrases: REPLACE_PHRASES,
    },
    {
      code: 'MXD-JVB-004',
      severity: 'warning',
      title: 'Advertised address belongs neither to this host nor to PUBLIC_URL',
      messages: {
        notLocal:
          'JVB_ADVERTISE_IPS advertises {{address}}, but this Jitsi host ({{host}} resolves to {{matched}}, an address of this machine) has no such interface and {{host}} resolves to {{resolved}}: if the address changed (DHCP, a new server), the bridge sends participants to the old one and calls of three or more stay silent while two (peer-to-peer) still work.',
        notLocalNat:
          'JVB_ADVERTISE_IPS advertises {{address}}, but this Jitsi host (the compose project beside the .env runs the jvb here, this machine has only private addresses ({{hostAddresses}}) and {{host}} resolves to {{resolved}}) has no such interface and {{host}} resolves to {{resolved}}: if the address changed (DHCP, a new server), the bridge sends participants to the old one and calls of three or more stay silent while two (peer-to-peer) still work.',
      },
      fixes: WITHOUT_ENTRY_FIXES,
      phrases: REPLACE_PHRASES,
    },
    {
      code: 'MXD-JVB-005',
      severity: 'warning',
      title: 'Only private addresses are advertised for a public Jitsi',
      messages: {
        privateOnly:
          'JVB_ADVERTISE_IPS lists only private addresses ({{addresses}}) while {{host}} (PUBLIC_URL) resolves to the public address {{resolved}}: participants outside your network join and see the page, but from three participants on they get no audio or video (two still work peer-to-peer). List the public address too: {{suggestion}}.',
      },
      fixes: {
        splitHorizon: 'Advertise the LAN and the public address (split horizon): JVB_ADVERTISE_IPS={{suggestion}}.',
      },
    },
    {
      code: 'MXD-JVB-006',
      severity: 'warning',
      title: 'DOCKER_HOST_ADDRESS is deprecated',
      messages: {
        deprecated:
          'DOCKER_HOST_ADDRESS={{value}} is deprecated: the jvb container copies it into JVB_ADVERTISE_IPS and logs "WARNING: DOCKER_HOST_ADDRESS is deprecated, migrate to JVB_ADVERTISE_IPS".',
        ignored: 'DOCKER_HOST_ADDRESS={{value}} is ignored because JVB_ADVERTISE_IPS is set; delete it.',
      },
      fixes: {
        delete: 'Delete DOCKER_HOST_ADDRESS.',
        rename: 'Rename it: JVB_ADVERTISE_IPS={{value}}.',
      },
    },
    {
      code: 'MXD-JVB-007',
      severity: 'info',
      title: 'The media port is not tested from here',
      messages: {
        udp: 'Media uses UDP port {{port}} (JVB_PORT): it must be open and forwarded to this host for calls of three or more. matrixdoc does not probe it: the bridge silently drops STUN requests that belong to no live conference, so silence would prove nothing.',
        invalidPort: "JVB_PORT '{{port}}' is not a port number (1-65535): the videobridge's media port is not configured.",
      },
      fixes: {
        invalidPort: 'Set JVB_PORT=10000 (the default) or another free UDP port, and open it.',
        udp: 'Open UDP {{port}} in every firewall and forward it to this host; test it during a real meeting of three.',
      },
    },
    {
      code: 'MXD-JVB-008',
      severity: 'error',
      title: 'The videobridge is not healthy',
      messages: {
        unhealthy: 'The videobridge health check {{url}} answered HTTP {{status}} ({{body}}): conferences with three or more participants fail.',
        unhealthyEmpty: 'The videobridge health check {{url}} answered HTTP {{status}} ({{@body}}): conferences with three or more participants fail.',
        unreachable:
          'Nothing answers the videobridge health check {{url}} on this Jitsi host ({{reason}}): the jvb container is not running, or JVB_COLIBRI_PORT is published elsewhere.',
      },
      fixes: {
        unreachable: 'Start the jvb container (its log tells why it stopped, e.g. "FATAL ERROR: JVB auth password must be set").',
        unhealthy: 'Read the bridge log for the failing health check, fix it, restart the jvb container.',
      },
      phrases: { empty: 'empty body' },
    },
  ],
  run(inputs): FindingDraft[] {
    const env = new JitsiSettings(inputs.get<JitsiEnvArtifact>('jitsiEnv'));
    const host = inputs.optional<JitsiHostArtifact>('jitsiHost');
    const findings: FindingDraft[] = [];
    const { file, sha256 } = env;
    const { url: publicUrl } = publicUrlOf(env);
    const publicHost = publicUrl?.hostname ?? '';
    // An IP literal in PUBLIC_URL needs no resolver (and is judged offline too).
    const literal = publicHost && isIP(publicHost.replace(/^\[|\]$/g, '')) ? [publicHost.replace(/^\[|\]$/g, '')] : [];
    const resolved = host?.resolution && 'addresses' in host.resolution ? host.resolution.addresses : literal;
    const resolvedReachable = resolved.filter((a) => isReachableKind(classifyAddress(a)));
    const resolvedPrivate = resolved.filter((a) => isPrivateKind(classifyAddress(a)));
    const role = host?.role;
    // Why this is the Jitsi host, from the rule's facts (captures made before the role carried them: from the artifact).
    const hostAddresses = (role?.hostAddresses ?? hostAddressesOf(host?.interfaces ?? [])).join(', ');
    const roleResolved = (role?.resolved ?? resolved).join(', ');

    const advertiseSetting = env.get('JVB_ADVERTISE_IPS');
    const legacy = env.get('DOCKER_HOST_ADDRESS');
    if (legacy.value !== undefined) {
      findings.push({
        code: 'MXD-JVB-006',
        messageId: advertiseSetting.value ? 'ignored' : 'deprecated',
        severity: advertiseSetting.value ? 'info' : 'warning',
        data: { value: legacy.value },
        location: env.location('DOCKER_HOST_ADDRESS'),
        evidence: { DOCKER_HOST_ADDRESS: legacy.value, JVB_ADVERTISE_IPS: advertiseSetting.value ?? '' },
        fix: {
          ...(advertiseSetting.value ? { summaryId: 'delete' } : { summaryId: 'rename', summaryData: { value: legacy.value } }),
          steps: [],
          edits: advertiseSetting.value
            ? [{ kind: 'env-unset', file, name: 'DOCKER_HOST_ADDRESS', expectSha256: sha256 }]
            : [
                { kind: 'env-set', file, name: 'JVB_ADVERTISE_IPS', value: legacy.value, expectSha256: sha256 },
                { kind: 'env-unset', file, name: 'DOCKER_HOST_ADDRESS', expectSha256: sha256 },
              ],
        },
      });
    }
    // jvb's config script copies DOCKER_HOST_ADDRESS when JVB_ADVERTISE_IPS is empty.
    const source = advertiseSetting.value ? 'JVB_ADVERTISE_IPS' : legacy.value ? 'DOCKER_HOST_ADDRESS' : undefined;
    const entries = parseAdvertiseIps(advertiseSetting.value ?? legacy.value);
    const loc = env.location(source ?? 'JVB_ADVERTISE_IPS');
    const suggestionFor = (list: string[]) => [...new Set(list)].join(',');
    const setIps = (value: string) => [{ kind: 'env-set' as const, file, name: 'JVB_ADVERTISE_IPS', value, expectSha256: sha256 }];
    const recreate = SYMPTOM_STEPS(file);

    if (entries.length === 0) {
      if (resolvedPrivate.length && !resolvedReachable.length) {
        const suggestion = suggestionFor(resolvedPrivate);
        findings.push({
          code: 'MXD-JVB-001',
          messageId: 'privateHost',
          data: { host: publicHost, addresses: resolvedPrivate.join(', ') },
          location: loc,
          evidence: {
            PUBLIC_URL: env.get('PUBLIC_URL').value as string,
            resolved,
            via: host?.resolution && 'via' in host.resolution ? host.resolution.via : '',
          },
          fix: {
            summaryId: 'privateHost',
            summaryData: { suggestion },
            steps: [`JVB_ADVERTISE_IPS=${suggestion}`, ...recreate],
            edits: setIps(suggestion),
          },
        });
      } else if (role?.behindNat) {
        const local = (host?.interfaces ?? []).filter((i) => !i.internal && i.family === 4 && !CONTAINER_INTERFACE.test(i.name)).map((i) => i.address);
        const suggestion = suggestionFor([...local, ...resolvedReachable]);
        findings.push({
          code: 'MXD-JVB-001',
          messageId: 'nat',
          data: { hostAddresses, host: publicHost, resolved: roleResolved },
          location: loc,
          evidence: { resolved, interfaces: local, rule: role.why },
          fix: {
            summaryId: 'nat',
            summaryData: { suggestion, port: String(env.value('JVB_PORT')) },
            steps: [`JVB_ADVERTISE_IPS=${suggestion}`, ...recreate],
            edits: setIps(suggestion),
          },
        });
      }
    }

    const localInterfaces = (host?.interfaces ?? []).filter((i) => !i.internal);
    const hostRunsJvb = Boolean(role?.onHost || role?.behindNat);
    const good: AdvertiseEntry[] = [];
    // The address to advertise instead of a bad entry when it is the only one: PUBLIC_URL's public addresses,
    // on the Jitsi host its LAN addresses too (split horizon), else the private address PUBLIC_URL resolves to.
    const lanAddresses = hostRunsJvb
      ? hostAddressesOf(host?.interfaces ?? []).filter((a) => isPrivateKind(classifyAddress(a)) && classifyAddress(a) !== 'docker-bridge')
      : [];
    const usablePrivate = resolvedPrivate.filter((a) => classifyAddress(a) !== 'docker-bridge');
    const replacement: { addresses: string[]; basis: keyof typeof REPLACE_PHRASES } | undefined =
      lanAddresses.length && resolvedReachable.length
        ? { addresses: [...lanAddresses, ...resolvedReachable], basis: 'hostAndPublicUrl' }
        : resolvedReachable.length
          ? { addresses: resolvedReachable, basis: 'publicUrl' }
          : lanAddresses.length
            ? { addresses: lanAddresses, basis: 'hostInterfaces' }
            : usablePrivate.length
              ? { addresses: usablePrivate, basis: 'publicUrl' }
              : undefined;
    const replacementFix = (e: AdvertiseEntry): FixDraft => {
      const suggestion = replacement ? suggestionFor(replacement.addresses.filter((a) => a.toLowerCase() !== e.address.toLowerCase())) : '';
      if (!replacement || !suggestion) {
        // Nothing known to put there: say how to find the address, and the line to write.
        return {
          summaryId: 'replace',
          summaryData: { entry: e.text },
          steps: [
            ...(publicHost ? [`dig +short ${publicHost}   # PUBLIC_URL's public address, if it points at this host`] : []),
            "ip -4 route get 1.1.1.1 | sed -n 's/.* src \\([0-9.]*\\).*/\\1/p'   # this host's LAN address (on the Jitsi host)",
            'JVB_ADVERTISE_IPS=<LAN address>,<public address>',
            ...(source === 'DOCKER_HOST_ADDRESS' ? ['Delete DOCKER_HOST_ADDRESS.'] : []),
            ...recreate,
          ],
          edits: [],
        };
      }
      return {
        summaryId: 'replaceWith',
        summaryData: { entry: e.text, suggestion, basis: replacement.basis },
        steps: [
          `JVB_ADVERTISE_IPS=${suggestion}   # ${env.where(source ?? 'JVB_ADVERTISE_IPS')}`,
          ...(source === 'DOCKER_HOST_ADDRESS' ? ['Delete DOCKER_HOST_ADDRESS.'] : []),
          ...recreate,
        ],
        edits: [
          ...setIps(suggestion),
          ...(source === 'DOCKER_HOST_ADDRESS' ? [{ kind: 'env-unset' as const, file, name: 'DOCKER_HOST_ADDRESS', expectSha256: sha256 }] : []),
        ],
      };
    };
    for (const e of entries) {
      const fixWithout = (): FixDraft => {
        const rest = entries.filter((x) => x !== e).map((x) => x.text);
        const value = rest.join(',');
        return value
          ? {
              summaryId: 'remove',
              summaryData: { entry: e.text, source: String(source) },
              steps: [`${source}=${value}`, ...recreate],
              edits: source === 'JVB_ADVERTISE_IPS' ? setIps(value) : [],
            }
          : replacementFix(e);
      };
      if (e.port !== undefined) {
        const p = Number(e.port);
        if (!/^\d+$/.test(e.port) || p < 1 || p > 65535) {
          findings.push({
            code: 'MXD-JVB-002',
            messageId: 'badPort',
            data: { entry: e.text, port: e.port },
            location: loc,
            evidence: { [source as string]: advertiseSetting.value ?? legacy.value ?? '' },
            fix: fixWithout(),
          });
          continue;
        }
      }
      if (!e.family) {
        const isHostname = /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$/.test(e.address) && !/^[\d.]+$/.test(e.address);
        findings.push({
          code: 'MXD-JVB-002',
          messageId: isHostname ? 'hostname' : 'invalid',
          ...(isHostname ? { severity: 'warning' as const } : {}),
          data: { entry: e.text },
          location: loc,
          evidence: {
            [source as string]: advertiseSetting.value ?? legacy.value ?? '',
            format: 'ip or ip#port, comma-separated (jvb/rootfs/defaults/jvb.conf static-mappings)',
          },
          fix: fixWithout(),
        });
        continue;
      }
      const kind = classifyAddress(e.address);
      if (kind === 'docker-bridge') {
        findings.push({
          code: 'MXD-JVB-003',
          messageId: 'bridge',
          data: { address: e.address },
          location: loc,
          evidence: { entry: e.text, range: '172.17.0.0/16 (docker0)' },
          fix: fixWithout(),
        });
        continue;
      }
      const iface = localInterfaces.find((i) => i.address.toLowerCase() === e.address.toLowerCase());
      if (hostRunsJvb && iface && CONTAINER_INTERFACE.test(iface.name)) {
        findings.push({
          code: 'MXD-JVB-003',
          messageId: 'containerInterface',
          data: { address: e.address, interface: iface.name },
          location: loc,
          evidence: { entry: e.text, interface: iface.name },
          fix: fixWithout(),
        });
        continue;
      }
      if (kind === 'loopback' || kind === 'unspecified' || kind === 'multicast' || kind === 'documentation' || kind === 'link-local') {
        findings.push({
          code: 'MXD-JVB-002',
          messageId: 'unusable',
          data: { entry: e.text, kind: kind as string },
          location: loc,
          evidence: { entry: e.text, kind: kind as string },
          fix: fixWithout(),
        });
        continue;
      }
      good.push(e);
      if (hostRunsJvb && !iface && !resolved.some((r) => r.toLowerCase() === e.address.toLowerCase())) {
        findings.push({
          code: 'MXD-JVB-004',
          messageId: role?.onHost ? 'notLocal' : 'notLocalNat',
          data: {
            address: e.address,
            host: publicHost,
            // The rule held: PUBLIC_URL resolved (on the host, to one of its addresses).
            resolved: resolved.length ? resolved.join(', ') : roleResolved,
            ...(role?.onHost ? { matched: role.matched.join(', ') } : { hostAddresses }),
          },
          location: loc,
          evidence: {
            entry: e.text,
            interfaces: localInterfaces.map((i) => `${i.name} ${i.address}`),
            resolved,
            rule: 'matrixdoc runs on the Jitsi host: the .env is local and PUBLIC_URL resolves to one of its addresses (or its compose project runs the jvb here behind NAT)',
          },
          fix: fixWithout(),
        });
      }
    }

    // Only private addresses advertised, while PUBLIC_URL is public: participants from outside get no media.
    if (good.length && good.every((e) => isPrivateKind(classifyAddress(e.address))) && resolvedReachable.length) {
      const suggestion = suggestionFor([...good.map((x) => x.text), ...resolvedReachable]);
      findings.push({
        code: 'MXD-JVB-005',
        messageId: 'privateOnly',
        data: { addresses: good.map((e) => e.address).join(', '), host: publicHost, resolved: resolvedReachable.join(', '), suggestion },
        location: loc,
        evidence: { [source as string]: advertiseSetting.value ?? legacy.value ?? '', resolved },
        fix: {
          summaryId: 'splitHorizon',
          summaryData: { suggestion },
          steps: [`JVB_ADVERTISE_IPS=${suggestion}`, ...recreate],
          edits: setIps(suggestion),
        },
      });
    }

    // The media port.
    const port = env.value('JVB_PORT') as string;
    const portNumber = Number(port);
    if (!/^\d+$/.test(port) || portNumber < 1 || portNumber > 65535) {
      findings.push({
        code: 'MXD-JVB-007',
        messageId: 'invalidPort',
        severity: 'error',
        data: { port },
        location: env.location('JVB_PORT'),
        evidence: { JVB_PORT: port },
        fix: {
          summaryId: 'invalidPort',
          steps: ['JVB_PORT=10000', ...recreate],
          edits: [{ kind: 'env-set', file, name: 'JVB_PORT', value: '10000', expectSha256: sha256 }],
        },
      });
    } else {
      findings.push({
        code: 'MXD-JVB-007',
        messageId: 'udp',
        data: { port: portNumber },
        location: env.location('JVB_PORT'),
        evidence: {
          JVB_PORT: port,
          why: 'ice4j drops STUN Binding requests whose username matches no live ICE session (AbstractUdpListener, SinglePortUdpHarvester)',
        },
        fix: {
          summaryId: 'udp',
          summaryData: { port: portNumber },
          steps: [`sudo ss -ulpn | grep ':${portNumber}'`, `sudo tcpdump -ni any udp port ${portNumber}   # during a meeting of three`],
          edits: [],
        },
      });
    }

    // The bridge's health, on the Jitsi host.
    const health = host?.health;
    if (health) {
      const x = health.exchange;
      const evidence = {
        url: health.url,
        ...(x.status ? { status: x.status } : {}),
        ...(x.error ? { error: x.error } : {}),
        body: x.bodyExcerpt.slice(0, 300),
        rule: role?.why ?? '',
      };
      const steps = [`curl -sS ${health.url}`, `cd ${path.dirname(file)} && docker compose ps jvb && docker compose logs --tail 50 jvb`];
      if (!x.ok) {
        findings.push({
          code: 'MXD-JVB-008',
          messageId: 'unreachable',
          data: { url: health.url, reason: `${x.error?.code}: ${x.error?.message}` },
          location: { url: health.url },
          evidence,
          fix: { summaryId: 'unreachable', steps, edits: [] },
        });
      } else if (x.status !== 200) {
        const body = x.bodyExcerpt.trim().slice(0, 120);
        findings.push({
          code: 'MXD-JVB-008',
          // What the bridge answered is data; an empty answer is a phrase.
          messageId: body ? 'unhealthy' : 'unhealthyEmpty',
          data: { url: health.url, status: x.status ?? 0, body: body || 'empty' },
          location: { url: health.url },
          evidence,
          fix: { summaryId: 'unhealthy', steps, edits: [] },
        });
      }
    }
    return findings;
  },
});
