// Facts about the Jitsi Videobridge in docker-jitsi-meet (jitsi/docker-jitsi-meet at 2e6b31d; jitsi/ice4j;
// the Jitsi handbook's "Running behind NAT or on a LAN environment"), address classification, and the
// rule that decides whether matrixdoc runs on the Jitsi host. Pure: shared by the jitsi-jvb check and the
// jitsiHost probe.

import { BlockList, isIP } from 'node:net';

/**
 * JVB_ADVERTISE_IPS: a comma-separated list, each `ip` or `ip#port` (`#` because IPv6 has colons), rendered
 * into ice4j `static-mappings` (public-address, optional public-port) with local-address = the
 * container's own address (jvb/rootfs/defaults/jvb.conf; jvb/rootfs/etc/s6-overlay/scripts/config).
 * ice4j builds a TransportAddress from public-address, so a host name is resolved once, inside the
 * container, when the bridge starts (ice4j StaticMappingCandidateHarvester, HarvestConfig).
 */
export interface AdvertiseEntry {
  text: string;
  address: string;
  port?: string;
  family: 0 | 4 | 6;
}

export function parseAdvertiseIps(value: string | undefined): AdvertiseEntry[] {
  if (!value) return [];
  // sprig's `splitList "," | compact`: empty items are dropped, nothing is trimmed.
  return value
    .split(',')
    .filter((s) => s !== '')
    .map((text) => {
      const hash = text.indexOf('#');
      const address = hash >= 0 ? text.slice(0, hash) : text;
      const port = hash >= 0 ? text.slice(hash + 1) : undefined;
      return { text, address, ...(port !== undefined ? { port } : {}), family: isIP(address) as 0 | 4 | 6 };
    });
}

export type AddressKind = 'public' | 'private' | 'shared' | 'loopback' | 'link-local' | 'unspecified' | 'multicast' | 'docker-bridge' | 'documentation';

const blocks: [AddressKind, string, number, 'ipv4' | 'ipv6'][] = [
  ['unspecified', '0.0.0.0', 8, 'ipv4'],
  ['loopback', '127.0.0.0', 8, 'ipv4'],
  // Docker's default bridge (docker0) is 172.17.0.0/16; user-defined compose networks take 172.18-31.x,
  // which is ordinary RFC 1918 space too, so only the default bridge is recognised without host evidence.
  ['docker-bridge', '172.17.0.0', 16, 'ipv4'],
  ['private', '10.0.0.0', 8, 'ipv4'],
  ['private', '172.16.0.0', 12, 'ipv4'],
  ['private', '192.168.0.0', 16, 'ipv4'],
  ['shared', '100.64.0.0', 10, 'ipv4'],
  ['link-local', '169.254.0.0', 16, 'ipv4'],
  ['documentation', '192.0.2.0', 24, 'ipv4'],
  ['documentation', '198.51.100.0', 24, 'ipv4'],
  ['documentation', '203.0.113.0', 24, 'ipv4'],
  ['multicast', '224.0.0.0', 4, 'ipv4'],
  ['unspecified', '240.0.0.0', 4, 'ipv4'],
  ['unspecified', '::', 128, 'ipv6'],
  ['loopback', '::1', 128, 'ipv6'],
  ['private', 'fc00::', 7, 'ipv6'],
  ['link-local', 'fe80::', 10, 'ipv6'],
  ['multicast', 'ff00::', 8, 'ipv6'],
  ['documentation', '2001:db8::', 32, 'ipv6'],
];
const lists = new Map<AddressKind, BlockList>();
for (const [kind, net, prefix, type] of blocks) {
  const list = lists.get(kind) ?? new BlockList();
  list.addSubnet(net, prefix, type);
  lists.set(kind, list);
}

/** What kind of address this is, for reachability: only `public` ones are reachable from the internet. */
export function classifyAddress(address: string): AddressKind | undefined {
  let family = isIP(address);
  if (!family) return undefined;
  let a = address.split('%')[0]; // an IPv6 zone (fe80::1%eth0) names the interface, not the address
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) {
    a = mapped[1];
    family = 4;
  }
  const type = family === 4 ? 'ipv4' : 'ipv6';
  for (const [kind] of blocks) if (lists.get(kind)?.check(a, type)) return kind;
  return 'public';
}

export const isReachableKind = (kind: AddressKind | undefined) => kind === 'public';
/** Addresses users on a LAN can reach: RFC 1918/ULA, CGNAT space. */
export const isPrivateKind = (kind: AddressKind | undefined) => kind === 'private' || kind === 'shared' || kind === 'docker-bridge';

/** Interface names of container networking (Docker, CNI, libvirt). */
export const CONTAINER_INTERFACE = /^(docker\d*|br-[0-9a-f]+|veth|cni|flannel|cali|virbr|podman|lxc|lxd)/;

export interface InterfaceAddress {
  name: string;
  address: string;
  family: 4 | 6;
  internal: boolean;
}

export interface HostEvidence {
  /** The .env was read from this machine's disk during this run (not replayed from a capture). */
  envIsLocal: boolean;
  publicHost?: string;
  /** PUBLIC_URL's host resolved through matrixdoc's resolver (DNS, --resolve, --dns-server); not --connect-to. */
  resolvedAddresses: string[];
  interfaces: InterfaceAddress[];
  /** A docker compose file beside the .env that runs a jvb service. */
  composeRunsJvb: boolean;
}

export interface HostRole {
  /** PUBLIC_URL's host resolves to an address of this machine: the Jitsi host itself. */
  onHost: boolean;
  /** This machine runs the compose project beside the .env, with only private addresses, and PUBLIC_URL resolves to a public address it does not hold. */
  behindNat: boolean;
  /** The local addresses that matched PUBLIC_URL's host. */
  matched: string[];
  /** This machine's own IPv4 addresses, not loopback nor a container bridge's (all private when behind NAT); absent in older captures. */
  hostAddresses?: string[];
  /** PUBLIC_URL's addresses as compared with this machine's (lower case, IPv4-mapped IPv6 unwrapped); absent in older captures. */
  resolved?: string[];
  /** The rule that decided, in English words (evidence; checks build their messages from the fields above). */
  why: string;
}

/** This machine's own IPv4 addresses that the NAT rule considers: not loopback, not a container bridge's. */
export function hostAddressesOf(interfaces: InterfaceAddress[]): string[] {
  return interfaces
    .filter((i) => !i.internal && classifyAddress(i.address) !== 'loopback' && i.family === 4 && !CONTAINER_INTERFACE.test(i.name))
    .map((i) => i.address);
}

/**
 * The rule (docs/codes/MXD-JVB-004.md): matrixdoc only claims to run on the Jitsi host when the .env is
 * local and PUBLIC_URL's host resolves to a non-loopback address one of this machine's interfaces holds
 * (a loopback answer is a test redirection, not evidence). "Behind NAT" additionally needs the compose
 * file that runs the jvb service beside the .env, so a copy of someone else's .env is never judged
 * against this machine's interfaces.
 */
export function hostRole(e: HostEvidence): HostRole {
  const nonLoopback = e.interfaces.filter((i) => !i.internal && classifyAddress(i.address) !== 'loopback');
  const localSet = new Set(nonLoopback.map((i) => normalise(i.address)));
  const resolved = e.resolvedAddresses.map(normalise);
  const matched = resolved.filter((a) => localSet.has(a) && classifyAddress(a) !== 'loopback');
  const hostIps = hostAddressesOf(e.interfaces);
  const facts = { hostAddresses: hostIps, resolved };
  if (!e.envIsLocal) return { onHost: false, behindNat: false, matched: [], ...facts, why: 'the .env was not read on this machine' };
  if (matched.length)
    return { onHost: true, behindNat: false, matched, ...facts, why: `${e.publicHost} resolves to ${matched.join(', ')}, an address of this machine` };
  const allPublic = resolved.length > 0 && resolved.every((a) => isReachableKind(classifyAddress(a)));
  if (e.composeRunsJvb && allPublic && hostIps.length > 0 && hostIps.every((a) => isPrivateKind(classifyAddress(a)))) {
    return {
      onHost: false,
      behindNat: true,
      matched: [],
      ...facts,
      why: `the compose project beside the .env runs the jvb here, this machine has only private addresses (${hostIps.join(', ')}) and ${e.publicHost} resolves to ${resolved.join(', ')}`,
    };
  }
  return {
    onHost: false,
    behindNat: false,
    matched: [],
    ...facts,
    why: resolved.length
      ? `${e.publicHost} resolves to ${resolved.join(', ')}, not an address of this machine`
      : `${e.publicHost ?? 'PUBLIC_URL'} did not resolve`,
  };
}

function normalise(address: string): string {
  return address.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1').toLowerCase();
}

/** The bridge's health endpoint (jvb/rootfs/usr/local/bin/healthcheck.sh; published on 127.0.0.1 by docker-compose.yml). 200 means healthy. */
export function healthUrl(colibriPort: string | undefined): string {
  return `http://127.0.0.1:${colibriPort || '8080'}/about/health`;
}
