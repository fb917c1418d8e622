// jitsi-jvb: every code and message it declares; JVB_ADVERTISE_IPS unset (private PUBLIC_URL, NAT), invalid,
// a Docker bridge, not this host's, only private; DOCKER_HOST_ADDRESS; the media port note; the health
// endpoint on the Jitsi host; and the rule that decides whether matrixdoc runs on the Jitsi host.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import check from '../../checks/jitsi-jvb/index.js';
import { classifyAddress, type HostEvidence, hostAddressesOf, hostRole, type InterfaceAddress, parseAdvertiseIps } from '../../checks/jitsi-jvb/jvb-facts.js';
import type { CheckResult } from '../../src/engine/types.js';
import type { HttpSummary, JitsiHostArtifact } from '../../src/probes/jitsi.js';
import { SEED } from '../helpers/cli.js';
import { Coverage, codes, jitsiArtifact, judge, one } from '../helpers/judge.js';

const ENV_FILE = '/root/docker-jitsi-meet/.env';
const SEED_ENV = readFileSync(`${SEED}/jitsi/.env`, 'utf8');
const coverage = new Coverage(check);
/** A public address for tests (never contacted: checks are pure). */
const PUBLIC_IP = '93.184.216.34';

function env(lines: Record<string, string | undefined> = {}): string {
  const base: Record<string, string | undefined> = {
    PUBLIC_URL: 'https://meet.example.com',
    HTTPS_PORT: '443',
    JICOFO_AUTH_PASSWORD: 'a1',
    JVB_AUTH_PASSWORD: 'b2',
    ...lines,
  };
  return `${Object.entries(base)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n')}\n`;
}

const LO: InterfaceAddress = { name: 'lo', address: '127.0.0.1', family: 4, internal: true };
const ETH = (address: string): InterfaceAddress => ({ name: 'eth0', address, family: 4, internal: false });
const DOCKER: InterfaceAddress = { name: 'docker0', address: '172.17.0.1', family: 4, internal: false };
const BRIDGE: InterfaceAddress = { name: 'br-3f2a1b9c8d7e', address: '172.18.0.1', family: 4, internal: false };

/** jitsiHost as the probe returns it. */
function host(resolved: string[], interfaces: InterfaceAddress[], over: Partial<JitsiHostArtifact> & { composeRunsJvb?: boolean } = {}): JitsiHostArtifact {
  const { composeRunsJvb = false, ...rest } = over;
  const role = hostRole({ envIsLocal: true, publicHost: 'meet.example.com', resolvedAddresses: resolved, interfaces, composeRunsJvb });
  return {
    envFile: ENV_FILE,
    publicHost: 'meet.example.com',
    resolution: { addresses: resolved, via: 'dns' },
    interfaces,
    ...(composeRunsJvb ? { compose: { file: '/root/docker-jitsi-meet/docker-compose.yml', runsJvb: true } } : {}),
    role,
    ...rest,
  };
}

async function run(text: string, jitsiHost?: JitsiHostArtifact | Record<string, unknown>): Promise<CheckResult> {
  return coverage.record(await judge(check, { jitsiEnv: jitsiArtifact(text, ENV_FILE), ...(jitsiHost ? { jitsiHost } : {}) }));
}

/** Codes without the media-port note every run carries. */
const main = (r: CheckResult) => codes(r).filter((c) => c !== 'MXD-JVB-007:udp');

describe('jitsi-jvb: status', () => {
  test('the seed .env offline: 10.11.2.32 is a valid address; only the media-port note', async () => {
    const r = await run(SEED_ENV);
    assert.equal(r.status, 'pass');
    assert.deepEqual(codes(r), ['MXD-JVB-007:udp']);
    const f = one(r, 'MXD-JVB-007', 'udp');
    assert.equal(f.severity, 'info');
    assert.match(f.message, /silently drops STUN requests that belong to no live conference, so silence would prove nothing/);
  });

  test('the seed on its LAN: PUBLIC_URL resolves to the advertised private address, which this host holds; healthy bridge', async () => {
    const health = {
      url: 'http://127.0.0.1:8080/about/health',
      exchange: { ok: true, url: '', finalUrl: '', status: 200, headers: {}, bodyBytes: 0, truncated: false, redirects: [], durationMs: 2, bodyExcerpt: '' },
    };
    const r = await run(SEED_ENV, host(['10.11.2.32'], [LO, ETH('10.11.2.32'), DOCKER], { health }));
    assert.deepEqual(main(r), []);
    assert.equal(r.status, 'pass');
  });

  test('skip without a .env; a failed host probe leaves the static rules', async () => {
    const skipped = await judge(check, { jitsiEnv: { status: 'skipped', reason: 'no docker-jitsi-meet .env given (--jitsi-env)', durationMs: 0 } });
    assert.equal(skipped.status, 'skip');
    const r = await run(env({ JVB_ADVERTISE_IPS: '172.17.0.1' }), { status: 'error', error: { code: 'DNS_TIMEOUT', message: 'no answer' }, durationMs: 0 });
    assert.equal(r.status, 'error');
    assert.deepEqual(main(r), ['MXD-JVB-003:bridge']);
  });
});

describe('JVB_ADVERTISE_IPS not set (MXD-JVB-001)', () => {
  test('PUBLIC_URL resolves to a private address: the LAN case of the seed', async () => {
    const text = env();
    const r = await run(text, host(['10.11.2.32'], [LO]));
    assert.deepEqual(main(r), ['MXD-JVB-001:privateHost']);
    const f = one(r, 'MXD-JVB-001');
    assert.equal(f.severity, 'error');
    assert.deepEqual(f.data, { host: 'meet.example.com', addresses: '10.11.2.32' });
    assert.match(
      f.message,
      /Calls of two work \(peer-to-peer\), but with three or more participants all media goes through the bridge and nobody hears anyone/,
    );
    assert.deepEqual(f.fix?.edits, [
      { kind: 'env-set', file: ENV_FILE, name: 'JVB_ADVERTISE_IPS', value: '10.11.2.32', expectSha256: jitsiArtifact(text).sha256 },
    ]);
  });

  test('an IP literal in PUBLIC_URL is judged offline too', async () => {
    const r = await run(env({ PUBLIC_URL: 'https://192.168.1.20:8443', HTTPS_PORT: '8443' }));
    assert.equal(one(r, 'MXD-JVB-001', 'privateHost').data.addresses, '192.168.1.20');
  });

  test('behind NAT: the compose project runs the jvb here, only private interfaces, a public PUBLIC_URL', async () => {
    const r = await run(env(), host([PUBLIC_IP], [LO, ETH('192.168.1.20'), DOCKER], { composeRunsJvb: true }));
    const f = one(r, 'MXD-JVB-001', 'nat');
    // The rule's facts are data; its words are the message's.
    assert.deepEqual(f.data, { hostAddresses: '192.168.1.20', host: 'meet.example.com', resolved: PUBLIC_IP });
    assert.match(
      f.message,
      /sits behind NAT \(the compose project beside the \.env runs the jvb here, this machine has only private addresses \(192\.168\.1\.20\) and meet\.example\.com resolves to 93\.184\.216\.34\): the bridge/,
    );
    assert.ok(f.message.includes(`(${String(f.evidence.rule)})`), 'the message shows the rule the probe recorded');
    assert.deepEqual(f.fix?.edits[0], {
      kind: 'env-set',
      file: ENV_FILE,
      name: 'JVB_ADVERTISE_IPS',
      value: `192.168.1.20,${PUBLIC_IP}`,
      expectSha256: jitsiArtifact(env()).sha256,
    });
  });

  test('not claimed: public PUBLIC_URL and no compose file (a copied .env), public interface, loopback answers', async () => {
    assert.deepEqual(main(await run(env(), host([PUBLIC_IP], [LO, ETH('192.168.1.20')]))), []);
    assert.deepEqual(main(await run(env(), host([PUBLIC_IP], [LO, ETH(PUBLIC_IP)]))), []);
    assert.deepEqual(main(await run(env(), host(['127.0.0.1'], [LO]))), []);
    assert.deepEqual(main(await run(env())), []);
  });
});

describe('invalid entries (MXD-JVB-002, MXD-JVB-003)', () => {
  test('a colon instead of #, an out-of-range port, a bad address, spaces', async () => {
    for (const entry of ['1.2.3.4:10000', '10.11.2.999', '10.0.0.1;10.0.0.2']) {
      assert.equal(one(await run(env({ JVB_ADVERTISE_IPS: entry })), 'MXD-JVB-002', 'invalid').data.entry, entry, entry);
    }
    // splitList does not trim: the space belongs to the address.
    assert.equal(one(await run(env({ JVB_ADVERTISE_IPS: '"10.0.0.1, 10.0.0.2"' })), 'MXD-JVB-002', 'invalid').data.entry, ' 10.0.0.2');
    for (const [entry, port] of [
      ['10.11.2.32#99999', '99999'],
      ['10.11.2.32#', ''],
      ['10.11.2.32#abc', 'abc'],
    ]) {
      assert.deepEqual(one(await run(env({ JVB_ADVERTISE_IPS: entry })), 'MXD-JVB-002', 'badPort').data, { entry, port }, entry);
    }
  });

  test('a host name is resolved once inside the container: a warning', async () => {
    const f = one(await run(env({ JVB_ADVERTISE_IPS: 'meet.example.com' })), 'MXD-JVB-002', 'hostname');
    assert.equal(f.severity, 'warning');
  });

  test('loopback, unspecified, link-local, multicast, documentation addresses', async () => {
    for (const [entry, kind] of [
      ['127.0.0.1', 'loopback'],
      ['0.0.0.0', 'unspecified'],
      ['169.254.10.1', 'link-local'],
      ['fe80::1%eth0', 'link-local'],
      ['239.1.1.1', 'multicast'],
      ['::1#10000', 'loopback'],
      ['2001:db8::1', 'documentation'],
    ]) {
      assert.deepEqual(one(await run(env({ JVB_ADVERTISE_IPS: entry })), 'MXD-JVB-002', 'unusable').data, { entry, kind }, entry);
    }
  });

  test('the Docker default bridge; the fix keeps the other entries', async () => {
    const text = env({ JVB_ADVERTISE_IPS: `172.17.0.1,${PUBLIC_IP}` });
    const r = await run(text);
    assert.deepEqual(main(r), ['MXD-JVB-003:bridge']);
    assert.deepEqual(one(r, 'MXD-JVB-003').fix?.edits, [
      { kind: 'env-set', file: ENV_FILE, name: 'JVB_ADVERTISE_IPS', value: PUBLIC_IP, expectSha256: jitsiArtifact(text).sha256 },
    ]);
    assert.match(one(r, 'MXD-JVB-003').message, /calls of two work \(peer-to-peer\), three or more stay silent/);
  });

  test("the only entry is bad (JVB_ADVERTISE_IPS=172.17.0.1): the fix sets PUBLIC_URL's public address", async () => {
    const text = env({ JVB_ADVERTISE_IPS: '172.17.0.1' });
    const r = await run(text, host([PUBLIC_IP], [LO]));
    const f = one(r, 'MXD-JVB-003', 'bridge');
    assert.equal(f.fix?.summary, `Replace '172.17.0.1' with the address participants reach: JVB_ADVERTISE_IPS=${PUBLIC_IP} (PUBLIC_URL's address).`);
    assert.match(f.fix?.steps[0] ?? '', new RegExp(`^JVB_ADVERTISE_IPS=${PUBLIC_IP.replace(/\./g, '\\.')}   # ${ENV_FILE}:\\d+$`));
    assert.deepEqual(f.fix?.edits, [
      { kind: 'env-set', file: ENV_FILE, name: 'JVB_ADVERTISE_IPS', value: PUBLIC_IP, expectSha256: jitsiArtifact(text).sha256 },
    ]);
  });

  test('the only entry is bad, on the Jitsi host behind NAT: the LAN address and the public one (split horizon)', async () => {
    const text = env({ JVB_ADVERTISE_IPS: '172.17.0.1' });
    const r = await run(text, host([PUBLIC_IP], [LO, ETH('192.168.1.20'), DOCKER], { composeRunsJvb: true }));
    const f = one(r, 'MXD-JVB-003', 'bridge');
    assert.equal(f.fix?.edits[0]?.kind === 'env-set' && f.fix.edits[0].value, `192.168.1.20,${PUBLIC_IP}`);
    assert.match(f.fix?.summary ?? '', /\(this host's LAN address and PUBLIC_URL's public address\)\.$/);
  });

  test('the only entry is bad on a LAN-only Jitsi host: its LAN address', async () => {
    const r = await run(env({ JVB_ADVERTISE_IPS: '127.0.0.1' }), host(['10.11.2.32'], [LO, ETH('10.11.2.32'), DOCKER]));
    const f = one(r, 'MXD-JVB-002', 'unusable');
    assert.match(f.fix?.summary ?? '', /JVB_ADVERTISE_IPS=10\.11\.2\.32 \(this host's LAN address\)\.$/);
  });

  test('the only entry is bad and no address is known (offline): the steps say how to find it, no edit', async () => {
    const r = await run(env({ JVB_ADVERTISE_IPS: '172.17.0.1' }));
    const f = one(r, 'MXD-JVB-003', 'bridge');
    assert.match(f.fix?.summary ?? '', /^Replace '172\.17\.0\.1' with the address participants reach \(the LAN address/);
    const steps = f.fix?.steps.join('\n') ?? '';
    assert.match(steps, /dig \+short meet\.example\.com/);
    assert.match(steps, /ip -4 route get/);
    assert.match(steps, /^JVB_ADVERTISE_IPS=<LAN address>,<public address>$/m);
    assert.deepEqual(f.fix?.edits, []);
  });

  test('the only (legacy) DOCKER_HOST_ADDRESS entry is bad: JVB_ADVERTISE_IPS set, DOCKER_HOST_ADDRESS deleted', async () => {
    const text = env({ DOCKER_HOST_ADDRESS: '172.17.0.1' });
    const r = await run(text, host([PUBLIC_IP], [LO]));
    const f = one(r, 'MXD-JVB-003', 'bridge');
    assert.deepEqual(
      f.fix?.edits.map((e) => `${e.kind} ${'name' in e ? e.name : ''}`),
      ['env-set JVB_ADVERTISE_IPS', 'env-unset DOCKER_HOST_ADDRESS'],
    );
  });

  test('on the Jitsi host, the address of a compose network interface', async () => {
    const r = await run(env({ JVB_ADVERTISE_IPS: '172.18.0.1' }), host([PUBLIC_IP], [LO, ETH(PUBLIC_IP), BRIDGE]));
    assert.deepEqual(one(r, 'MXD-JVB-003', 'containerInterface').data, { address: '172.18.0.1', interface: 'br-3f2a1b9c8d7e' });
  });

  test('valid lists: IPv4, ip#port, IPv6 with #port, empty items dropped', async () => {
    assert.deepEqual(main(await run(env({ JVB_ADVERTISE_IPS: `192.168.1.1,${PUBLIC_IP},192.168.178.1#12000,2a01:4f8::1#12000,` }))), []);
  });
});

describe('addresses on the Jitsi host (MXD-JVB-004, MXD-JVB-005)', () => {
  test("an address that is neither this host's nor PUBLIC_URL's (a changed DHCP lease)", async () => {
    const r = await run(env({ JVB_ADVERTISE_IPS: '10.11.2.32' }), host(['10.11.2.40'], [LO, ETH('10.11.2.40')]));
    const f = one(r, 'MXD-JVB-004', 'notLocal');
    assert.equal(f.severity, 'warning');
    assert.deepEqual(f.data, { address: '10.11.2.32', host: 'meet.example.com', resolved: '10.11.2.40', matched: '10.11.2.40' });
    assert.match(f.message, /this Jitsi host \(meet\.example\.com resolves to 10\.11\.2\.40, an address of this machine\) has no such interface/);
    assert.match(f.message, /calls of three or more stay silent while two \(peer-to-peer\) still work/);
  });

  test("MXD-JVB-004 notLocalNat: behind NAT, an address that is neither this host's nor PUBLIC_URL's", async () => {
    const r = await run(env({ JVB_ADVERTISE_IPS: `192.168.1.20,93.184.216.35` }), host([PUBLIC_IP], [LO, ETH('192.168.1.20')], { composeRunsJvb: true }));
    const f = one(r, 'MXD-JVB-004', 'notLocalNat');
    assert.deepEqual(f.data, { address: '93.184.216.35', host: 'meet.example.com', resolved: PUBLIC_IP, hostAddresses: '192.168.1.20' });
    const rule = String(one(await run(env(), host([PUBLIC_IP], [LO, ETH('192.168.1.20')], { composeRunsJvb: true })), 'MXD-JVB-001', 'nat').evidence.rule);
    assert.ok(f.message.includes(`but this Jitsi host (${rule}) has no such interface and meet.example.com resolves to ${PUBLIC_IP}:`), f.message);
  });

  test('a capture whose role predates hostAddresses/resolved: the facts come from the artifact', async () => {
    const current = host([PUBLIC_IP], [LO, ETH('192.168.1.20'), DOCKER], { composeRunsJvb: true });
    const { hostAddresses: _a, resolved: _r, ...oldRole } = current.role;
    const now = one(await run(env(), current), 'MXD-JVB-001', 'nat');
    const then = one(await run(env(), { ...current, role: oldRole }), 'MXD-JVB-001', 'nat');
    assert.deepEqual(then.data, now.data);
    assert.equal(then.message, now.message);
  });

  test("PUBLIC_URL's address counts even when no interface has it (NAT); no claim when this is not the Jitsi host", async () => {
    assert.deepEqual(
      main(await run(env({ JVB_ADVERTISE_IPS: `192.168.1.20,${PUBLIC_IP}` }), host([PUBLIC_IP], [LO, ETH('192.168.1.20')], { composeRunsJvb: true }))),
      [],
    );
    assert.deepEqual(main(await run(env({ JVB_ADVERTISE_IPS: '10.9.9.9' }), host(['10.11.2.40'], [LO, ETH('192.168.5.5')]))), []);
  });

  test('only private addresses while PUBLIC_URL is public: split horizon', async () => {
    const text = env({ JVB_ADVERTISE_IPS: '10.11.2.32' });
    const r = await run(text, host([PUBLIC_IP], [LO, ETH('10.11.2.32')], { composeRunsJvb: true }));
    assert.deepEqual(main(r), ['MXD-JVB-005:privateOnly']);
    const f = one(r, 'MXD-JVB-005');
    assert.equal(f.data.suggestion, `10.11.2.32,${PUBLIC_IP}`);
    assert.deepEqual(f.fix?.edits, [
      { kind: 'env-set', file: ENV_FILE, name: 'JVB_ADVERTISE_IPS', value: `10.11.2.32,${PUBLIC_IP}`, expectSha256: jitsiArtifact(text).sha256 },
    ]);
  });
});

describe('DOCKER_HOST_ADDRESS, the media port, the health endpoint (MXD-JVB-006..008)', () => {
  test('DOCKER_HOST_ADDRESS alone is still used (and judged), with a warning; beside JVB_ADVERTISE_IPS it is ignored', async () => {
    const text = env({ DOCKER_HOST_ADDRESS: '172.17.0.1' });
    const r = await run(text);
    assert.deepEqual(main(r), ['MXD-JVB-006:deprecated', 'MXD-JVB-003:bridge']);
    assert.match(one(r, 'MXD-JVB-006').message, /"WARNING: DOCKER_HOST_ADDRESS is deprecated, migrate to JVB_ADVERTISE_IPS"/);
    assert.equal(one(r, 'MXD-JVB-006').fix?.edits.length, 2);
    const both = one(await run(env({ DOCKER_HOST_ADDRESS: '10.0.0.1', JVB_ADVERTISE_IPS: '10.0.0.2' })), 'MXD-JVB-006', 'ignored');
    assert.equal(both.severity, 'info');
  });

  test('JVB_PORT: the note names it; an invalid one is an error', async () => {
    assert.equal(one(await run(env({ JVB_PORT: '12000' })), 'MXD-JVB-007', 'udp').data.port, 12000);
    const bad = one(await run(env({ JVB_PORT: '10000/udp' })), 'MXD-JVB-007', 'invalidPort');
    assert.equal(bad.severity, 'error');
    assert.equal(bad.data.port, '10000/udp');
  });

  test('on the Jitsi host: health answering 500, or nothing listening', async () => {
    const ex = (x: Partial<HttpSummary>): HttpSummary => ({
      ok: true,
      url: '',
      finalUrl: '',
      status: 200,
      headers: {},
      bodyBytes: 0,
      truncated: false,
      redirects: [],
      durationMs: 2,
      bodyExcerpt: '',
      ...x,
    });
    const onHost = (exchange: HttpSummary) =>
      host(['10.11.2.32'], [LO, ETH('10.11.2.32')], { health: { url: 'http://127.0.0.1:8080/about/health', exchange } });
    const sick = one(
      await run(env({ JVB_ADVERTISE_IPS: '10.11.2.32' }), onHost(ex({ status: 500, bodyExcerpt: 'Failed to connect to XMPP' }))),
      'MXD-JVB-008',
      'unhealthy',
    );
    assert.deepEqual(sick.data, { url: 'http://127.0.0.1:8080/about/health', status: 500, body: 'Failed to connect to XMPP' });
    const empty = one(await run(env({ JVB_ADVERTISE_IPS: '10.11.2.32' }), onHost(ex({ status: 503, bodyExcerpt: ' \n' }))), 'MXD-JVB-008', 'unhealthyEmpty');
    assert.equal(empty.data.body, 'empty');
    assert.match(empty.message, /answered HTTP 503 \(empty body\): conferences with three or more participants fail\.$/);
    assert.equal(empty.fix?.summary, sick.fix?.summary);
    const down = one(
      await run(
        env({ JVB_ADVERTISE_IPS: '10.11.2.32' }),
        onHost(ex({ ok: false, status: undefined, error: { code: 'CONN_REFUSED', message: 'connect ECONNREFUSED 127.0.0.1:8080' } })),
      ),
      'MXD-JVB-008',
      'unreachable',
    );
    assert.match(down.message, /CONN_REFUSED/);
  });
});

describe('facts: addresses, entries and the Jitsi-host rule', () => {
  test('address kinds', () => {
    const kinds = Object.fromEntries(
      [
        '10.1.1.1',
        '172.16.5.5',
        '172.17.0.2',
        '192.168.0.1',
        '100.64.0.1',
        '127.0.0.1',
        PUBLIC_IP,
        'fd00::1',
        'fe80::1',
        '::ffff:10.0.0.1',
        '2a01:4f8::1',
        'nope',
      ].map((a) => [a, classifyAddress(a)]),
    );
    assert.deepEqual(kinds, {
      '10.1.1.1': 'private',
      '172.16.5.5': 'private',
      '172.17.0.2': 'docker-bridge',
      '192.168.0.1': 'private',
      '100.64.0.1': 'shared',
      '127.0.0.1': 'loopback',
      [PUBLIC_IP]: 'public',
      'fd00::1': 'private',
      'fe80::1': 'link-local',
      '::ffff:10.0.0.1': 'private',
      '2a01:4f8::1': 'public',
      nope: undefined,
    });
  });

  test('entries as jvb.conf splits them', () => {
    assert.deepEqual(parseAdvertiseIps('1.2.3.4,,fe80::1#12000'), [
      { text: '1.2.3.4', address: '1.2.3.4', family: 4 },
      { text: 'fe80::1#12000', address: 'fe80::1', port: '12000', family: 6 },
    ]);
    assert.deepEqual(parseAdvertiseIps(undefined), []);
  });

  test('the rule: local .env, and PUBLIC_URL on a non-loopback local address (or the NAT case)', () => {
    const e: HostEvidence = {
      envIsLocal: true,
      publicHost: 'meet.example.com',
      resolvedAddresses: ['10.0.0.5'],
      interfaces: [LO, ETH('10.0.0.5')],
      composeRunsJvb: false,
    };
    assert.equal(hostRole(e).onHost, true);
    assert.deepEqual(hostRole(e), {
      onHost: true,
      behindNat: false,
      matched: ['10.0.0.5'],
      hostAddresses: ['10.0.0.5'],
      resolved: ['10.0.0.5'],
      why: 'meet.example.com resolves to 10.0.0.5, an address of this machine',
    });
    assert.deepEqual(hostAddressesOf([LO, ETH('10.0.0.5'), DOCKER, BRIDGE, { name: 'eth1', address: 'fe80::1', family: 6, internal: false }]), ['10.0.0.5']);
    assert.equal(hostRole({ ...e, envIsLocal: false }).onHost, false);
    assert.equal(hostRole({ ...e, resolvedAddresses: ['127.0.0.1'] }).onHost, false);
    assert.equal(hostRole({ ...e, resolvedAddresses: [PUBLIC_IP] }).behindNat, false);
    assert.equal(hostRole({ ...e, resolvedAddresses: [PUBLIC_IP], composeRunsJvb: true }).behindNat, true);
    assert.equal(
      hostRole({
        ...e,
        resolvedAddresses: [PUBLIC_IP],
        composeRunsJvb: true,
        interfaces: [LO, ETH('10.0.0.5'), { name: 'eth1', address: '198.51.99.1', family: 4, internal: false }],
      }).behindNat,
      false,
    );
  });
});

test('every code and messageId jitsi-jvb declares is produced by a test above', () => {
  assert.deepEqual(coverage.missing(), []);
});
