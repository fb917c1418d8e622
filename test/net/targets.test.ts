// The network redirection flags (--resolve, --connect-to) and the --allow-targets guard, as pure functions.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InputError } from '../../src/engine/errors.js';
import { cidrContains, isAllowed, parseAllowTargets, parseCidr, parseConnectTo, parseResolve } from '../../src/net/targets.js';

/** Asserts that fn throws an InputError whose message matches. */
function inputError(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof InputError, `expected an InputError, got ${String(error)}`);
    assert.match(error.message, message);
    return true;
  });
}

describe('parseResolve', () => {
  test('host:port:address', () => {
    assert.deepEqual(parseResolve('matrix.example.test:443:127.0.0.1'), { host: 'matrix.example.test', port: 443, addresses: ['127.0.0.1'] });
  });

  test('the host is lower-cased; several addresses, IPv4 and IPv6', () => {
    assert.deepEqual(parseResolve('Matrix.Example.TEST:8448:127.0.0.1,[::1]'), {
      host: 'matrix.example.test',
      port: 8448,
      addresses: ['127.0.0.1', '::1'],
    });
  });

  test('IPv6 addresses in brackets, alone or in a list', () => {
    assert.deepEqual(parseResolve('h.test:443:[::1]').addresses, ['::1']);
    assert.deepEqual(parseResolve('h.test:443:[::1],[fe80::1]').addresses, ['::1', 'fe80::1']);
    assert.deepEqual(parseResolve('h.test:443:[::ffff:127.0.0.1]').addresses, ['::ffff:127.0.0.1']);
  });

  test('IPv6 addresses without brackets, as curl accepts them', () => {
    assert.deepEqual(parseResolve('h.test:443:::1').addresses, ['::1']);
    assert.deepEqual(parseResolve('h.test:443:127.0.0.1,::1').addresses, ['127.0.0.1', '::1']);
  });

  test('a bracketed IPv6 host', () => {
    assert.deepEqual(parseResolve('[::1]:443:127.0.0.1'), { host: '::1', port: 443, addresses: ['127.0.0.1'] });
  });

  test('`*` and an empty port match any port', () => {
    assert.equal(parseResolve('h.test:*:127.0.0.1').port, undefined);
    assert.equal(parseResolve('h.test::127.0.0.1').port, undefined);
  });

  test('errors are InputErrors that quote the value and say what was expected', () => {
    inputError(() => parseResolve('example.com:443'), /^--resolve example\.com:443: expected host:port:address \(for example/);
    inputError(() => parseResolve('example.com'), /expected host:port:address/);
    inputError(() => parseResolve(':443:127.0.0.1'), /expected host:port:address/);
    inputError(() => parseResolve('h.test:443:'), /expected host:port:address/);
    inputError(() => parseResolve('h.test:443:matrix.example.test'), /'matrix\.example\.test' is not an IP address/);
    inputError(() => parseResolve('h.test:443:127.0.0.1,'), /'' is not an IP address/);
    inputError(() => parseResolve('h.test:443:300.1.1.1'), /'300\.1\.1\.1' is not an IP address/);
    inputError(() => parseResolve('h.test:443:[::1]:80'), /is not an IP address/);
    inputError(() => parseResolve('h.test:0:127.0.0.1'), /'0' is not a port \(1-65535\)/);
    inputError(() => parseResolve('h.test:65536:127.0.0.1'), /'65536' is not a port/);
    inputError(() => parseResolve('h.test:https:127.0.0.1'), /'https' is not a port/);
    inputError(() => parseResolve('h.test:-1:127.0.0.1'), /'-1' is not a port/);
  });
});

describe('parseConnectTo', () => {
  test('host1:port1:host2:port2', () => {
    assert.deepEqual(parseConnectTo('matrix.example.test:443:127.0.0.1:8443'), {
      host: 'matrix.example.test',
      port: 443,
      toHost: '127.0.0.1',
      toPort: 8443,
    });
  });

  test('empty fields: any host or port on the left, unchanged on the right', () => {
    assert.deepEqual(parseConnectTo('::127.0.0.1:3389'), { host: undefined, port: undefined, toHost: '127.0.0.1', toPort: 3389 });
    assert.deepEqual(parseConnectTo('h.test:443::8443'), { host: 'h.test', port: 443, toHost: undefined, toPort: 8443 });
    assert.deepEqual(parseConnectTo('h.test:443:127.0.0.2:'), { host: 'h.test', port: 443, toHost: '127.0.0.2', toPort: undefined });
  });

  test('`*` as the source port matches any port', () => {
    assert.equal(parseConnectTo('h.test:*:127.0.0.1:8443').port, undefined);
  });

  test('IPv6 hosts in brackets on either side; the source host is lower-cased', () => {
    assert.deepEqual(parseConnectTo('[::1]:443:[::1]:8443'), { host: '::1', port: 443, toHost: '::1', toPort: 8443 });
    assert.deepEqual(parseConnectTo('[2001:DB8::1]:443:127.0.0.1:8443').host, '2001:db8::1');
    assert.equal(parseConnectTo('H.Test:443:127.0.0.1:1').host, 'h.test');
  });

  test('errors are InputErrors that quote the value and say what was expected', () => {
    inputError(() => parseConnectTo('a:443:b'), /^--connect-to a:443:b: expected host1:port1:host2:port2 \(for example/);
    inputError(() => parseConnectTo('a:443:b:1:2'), /expected host1:port1:host2:port2/);
    inputError(() => parseConnectTo('a:443:::1:8443'), /expected host1:port1:host2:port2/);
    inputError(() => parseConnectTo('a:x:b:1'), /^--connect-to a:x:b:1: 'x' is not a port \(1-65535\)/);
    inputError(() => parseConnectTo('a:443:b:0'), /'0' is not a port/);
    inputError(() => parseConnectTo('a:443:b:70000'), /'70000' is not a port/);
    inputError(() => parseConnectTo('a:443:b:*'), /'\*' is not a port/);
  });
});

describe('parseCidr', () => {
  test('IPv4 ranges and single addresses', () => {
    assert.deepEqual(parseCidr('10.0.0.0/8'), { text: '10.0.0.0/8', family: 4, bits: 0x0a000000n, prefix: 8 });
    assert.deepEqual(parseCidr('127.0.0.1'), { text: '127.0.0.1', family: 4, bits: 0x7f000001n, prefix: 32 });
    assert.deepEqual(parseCidr(' 0.0.0.0/0 '), { text: '0.0.0.0/0', family: 4, bits: 0n, prefix: 0 });
  });

  test('IPv6 ranges and single addresses', () => {
    assert.deepEqual(parseCidr('::1'), { text: '::1', family: 6, bits: 1n, prefix: 128 });
    assert.deepEqual(parseCidr('::/0'), { text: '::/0', family: 6, bits: 0n, prefix: 0 });
    assert.equal(parseCidr('fd00::/8').bits, 0xfdn << 120n);
    assert.equal(parseCidr('2001:db8::/32').bits, 0x20010db8n << 96n);
    assert.equal(parseCidr('1:2:3:4:5:6:7:8').bits, 0x0001000200030004000500060007_0008n);
  });

  test('an IPv4-mapped IPv6 range is the IPv4 range', () => {
    const c = parseCidr('::ffff:10.0.0.0/104');
    assert.equal(c.family, 4);
    assert.equal(c.prefix, 8);
    assert.equal(c.bits, 0x0a000000n);
  });

  test('errors are InputErrors naming the flag and the bad value', () => {
    inputError(() => parseCidr('300.1.1.1/8'), /^--allow-targets: '300\.1\.1\.1\/8' is not an IP address or CIDR range/);
    inputError(() => parseCidr('matrix.example.test'), /is not an IP address or CIDR range/);
    inputError(() => parseCidr('10.0.0.0/8/16'), /'10\.0\.0\.0\/8\/16' is not an IP address or CIDR range/);
    inputError(() => parseCidr('10.0.0.0/33'), /^--allow-targets: '10\.0\.0\.0\/33' has an invalid prefix length/);
    inputError(() => parseCidr('::1/129'), /has an invalid prefix length/);
    inputError(() => parseCidr('10.0.0.0/'), /has an invalid prefix length/);
    inputError(() => parseCidr('10.0.0.0/-1'), /has an invalid prefix length/);
    inputError(() => parseCidr('10.0.0.0/8.5'), /has an invalid prefix length/);
    inputError(() => parseCidr('10.0.0.0/0x8'), /has an invalid prefix length/);
  });
});

describe('cidrContains', () => {
  test('IPv4 /8 and /32', () => {
    const net8 = parseCidr('127.0.0.0/8');
    assert.equal(cidrContains(net8, '127.0.0.1'), true);
    assert.equal(cidrContains(net8, '127.255.255.255'), true);
    assert.equal(cidrContains(net8, '128.0.0.0'), false);
    assert.equal(cidrContains(net8, '126.255.255.255'), false);
    const host = parseCidr('127.0.0.2/32');
    assert.equal(cidrContains(host, '127.0.0.2'), true);
    assert.equal(cidrContains(host, '127.0.0.1'), false);
    assert.equal(cidrContains(host, '127.0.0.3'), false);
  });

  test('host bits in the range do not matter', () => {
    assert.equal(cidrContains(parseCidr('127.0.0.1/8'), '127.9.9.9'), true);
  });

  test('prefix 0 contains every address of its family, and only those', () => {
    assert.equal(cidrContains(parseCidr('0.0.0.0/0'), '192.0.2.1'), true);
    assert.equal(cidrContains(parseCidr('0.0.0.0/0'), '::1'), false);
    assert.equal(cidrContains(parseCidr('::/0'), '2001:db8::1'), true);
    assert.equal(cidrContains(parseCidr('::/0'), '10.0.0.1'), false);
  });

  test('IPv6 /128 and /8', () => {
    const one = parseCidr('::1/128');
    assert.equal(cidrContains(one, '::1'), true);
    assert.equal(cidrContains(one, '0:0:0:0:0:0:0:1'), true);
    assert.equal(cidrContains(one, '::2'), false);
    assert.equal(cidrContains(one, '::'), false);
    const fd = parseCidr('fd00::/8');
    assert.equal(cidrContains(fd, 'fd12:3456::1'), true);
    assert.equal(cidrContains(fd, 'fc00::1'), false);
  });

  test('IPv6 zone ids are ignored', () => {
    assert.equal(cidrContains(parseCidr('fe80::/10'), 'fe80::1%eth0'), true);
  });

  test('IPv4-mapped IPv6 addresses are judged as their IPv4 address', () => {
    const net8 = parseCidr('127.0.0.0/8');
    assert.equal(cidrContains(net8, '::ffff:127.0.0.1'), true);
    assert.equal(cidrContains(net8, '::ffff:7f00:1'), true);
    assert.equal(cidrContains(net8, '::FFFF:127.0.0.1'), true);
    assert.equal(cidrContains(net8, '::ffff:192.0.2.1'), false);
    // ...and never as IPv6: ::/0 does not sneak an IPv4 address in, ::1/128 is not 127.0.0.1.
    assert.equal(cidrContains(parseCidr('::/0'), '::ffff:192.0.2.1'), false);
    assert.equal(cidrContains(parseCidr('::1/128'), '::ffff:127.0.0.1'), false);
  });

  test('an IPv4-mapped range matches IPv4 and mapped addresses', () => {
    const mapped = parseCidr('::ffff:127.0.0.0/104');
    assert.equal(cidrContains(mapped, '127.0.0.1'), true);
    assert.equal(cidrContains(mapped, '::ffff:127.0.0.1'), true);
    assert.equal(cidrContains(mapped, '10.0.0.1'), false);
  });

  test('an IPv4-compatible address (::127.0.0.1) is IPv6, not IPv4', () => {
    assert.equal(cidrContains(parseCidr('127.0.0.0/8'), '::127.0.0.1'), false);
  });

  test('a name is never contained', () => {
    assert.equal(cidrContains(parseCidr('0.0.0.0/0'), 'localhost'), false);
    assert.equal(cidrContains(parseCidr('::/0'), 'matrix.example.test'), false);
  });
});

describe('parseAllowTargets and isAllowed', () => {
  test('`loopback` is 127.0.0.0/8 and ::1/128', () => {
    const allow = parseAllowTargets('loopback');
    assert.deepEqual(
      allow.map((c) => c.text),
      ['127.0.0.0/8', '::1/128'],
    );
    for (const a of ['127.0.0.1', '127.0.0.2', '127.255.0.1', '::1', '::ffff:127.0.0.1']) assert.equal(isAllowed(allow, a), true, a);
    for (const a of ['10.0.0.1', '192.0.2.1', '0.0.0.0', '::', '::2', 'fe80::1', '2001:db8::1', '::ffff:192.0.2.1', 'localhost']) {
      assert.equal(isAllowed(allow, a), false, a);
    }
  });

  test('a comma-separated list, spaces and empty items ignored, `loopback` mixed in', () => {
    const allow = parseAllowTargets(' 10.0.0.0/8 , ,192.168.1.5, loopback');
    assert.deepEqual(
      allow.map((c) => c.text),
      ['10.0.0.0/8', '192.168.1.5', '127.0.0.0/8', '::1/128'],
    );
    assert.equal(isAllowed(allow, '10.1.2.3'), true);
    assert.equal(isAllowed(allow, '192.168.1.5'), true);
    assert.equal(isAllowed(allow, '192.168.1.6'), false);
    assert.equal(isAllowed(allow, '::1'), true);
  });

  test('IPv6 ranges in the list', () => {
    const allow = parseAllowTargets('::1/128,fd00::/8');
    assert.equal(isAllowed(allow, '::1'), true);
    assert.equal(isAllowed(allow, 'fd00::53'), true);
    assert.equal(isAllowed(allow, '127.0.0.1'), false);
  });

  test('no allow-list allows everything; an empty one nothing', () => {
    assert.equal(isAllowed(undefined, '192.0.2.1'), true);
    assert.equal(isAllowed([], '127.0.0.1'), false);
  });

  test('errors are InputErrors', () => {
    inputError(() => parseAllowTargets(''), /^--allow-targets: give at least one range/);
    inputError(() => parseAllowTargets(' , '), /give at least one range/);
    inputError(() => parseAllowTargets('loopback,LAN'), /'LAN' is not an IP address or CIDR range/);
    inputError(() => parseAllowTargets('127.0.0.0/8,10.0.0.0/40'), /'10\.0\.0\.0\/40' has an invalid prefix length/);
  });
});
