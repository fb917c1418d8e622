// config.js read without running it: the shapes docker-jitsi-meet's web container generates (system-config.js
// then settings-config.js, custom-config.js appended), jitsi-meet's own object-literal config.js, comments,
// and hostile input (huge, unterminated, deeply nested, no websocket key).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MAX_SCAN_CHARS, scanConfigJs, settingString } from '../../src/parse/config-js.js';
import { envValues, renderConfigJs } from '../harness/jitsi.js';

const value = (text: string, key: string) => scanConfigJs(text).settings[key]?.value;

describe('config.js as docker-jitsi-meet generates it', () => {
  test('the seed .env: WebSocket, BOSH and hosts with the SSI variables left for nginx', () => {
    const text = renderConfigJs(envValues('PUBLIC_URL=https://meet.xfoss.com\nENABLE_XMPP_WEBSOCKET=1\n'));
    const scan = scanConfigJs(text);
    assert.equal(scan.isJitsiConfig, true);
    assert.equal(scan.unprocessedSsi, true);
    assert.deepEqual(scan.problems, []);
    assert.equal(settingString(scan, 'websocket'), 'wss://meet.xfoss.com/xmpp-websocket');
    assert.equal(settingString(scan, 'bosh'), 'https://meet.xfoss.com/http-bind');
    assert.equal(settingString(scan, 'hosts.domain'), 'meet.jitsi');
    assert.equal(settingString(scan, 'hosts.muc'), 'muc.meet.jitsi');
    assert.equal(scan.settings['p2p.enabled']?.value, true);
    assert.equal(scan.settings['bridgeChannel.preferSctp']?.value, true);
    const ws = scan.settings.websocket;
    assert.equal(ws?.expression, "'wss://meet.xfoss.com/' + subdir + 'xmpp-websocket'");
    assert.equal(text.split('\n')[(ws?.line ?? 0) - 1].slice((ws?.column ?? 0) - 1, (ws?.column ?? 0) + 5), "'wss:/");
  });

  test('after nginx SSI (subdir and subdomain empty)', () => {
    const text = renderConfigJs(envValues('PUBLIC_URL=https://meet.example.com:8443/\n')).replace(/<!--# echo var="sub(dir|domain)" default="" -->/g, '');
    const scan = scanConfigJs(text);
    assert.equal(scan.unprocessedSsi, false);
    assert.equal(settingString(scan, 'websocket'), 'wss://meet.example.com:8443/xmpp-websocket');
    assert.equal(settingString(scan, 'hosts.muc'), 'muc.meet.jitsi');
  });

  test('PUBLIC_URL unset gives localhost:8443; http:// stays in the URL', () => {
    assert.equal(value(renderConfigJs({}), 'websocket'), 'wss://localhost:8443/xmpp-websocket');
    assert.equal(value(renderConfigJs({ PUBLIC_URL: 'http://meet.example.com' }), 'websocket'), 'wss://http://meet.example.com/xmpp-websocket');
  });

  test('ENABLE_SUBDOMAINS off, BOSH_RELATIVE, auth with guests', () => {
    const scan = scanConfigJs(
      renderConfigJs({
        PUBLIC_URL: 'https://m.example.com',
        ENABLE_SUBDOMAINS: 'false',
        BOSH_RELATIVE: 'true',
        ENABLE_AUTH: '1',
        ENABLE_GUESTS: '1',
        XMPP_DOMAIN: 'x.test',
      }),
    );
    assert.equal(settingString(scan, 'bosh'), '/http-bind');
    assert.equal(settingString(scan, 'hosts.muc'), 'muc.meet.jitsi');
    assert.equal(settingString(scan, 'hosts.anonymousdomain'), 'guest.meet.jitsi');
    assert.equal(settingString(scan, 'hosts.authdomain'), 'x.test');
    assert.equal(settingString(scan, 'websocket'), 'wss://m.example.com/xmpp-websocket');
  });

  test('no websocket key when ENABLE_XMPP_WEBSOCKET=0', () => {
    const scan = scanConfigJs(renderConfigJs({ PUBLIC_URL: 'https://m.example.com', ENABLE_XMPP_WEBSOCKET: '0' }));
    assert.equal(scan.settings.websocket, undefined);
    assert.equal(scan.isJitsiConfig, true);
  });

  test('custom-config.js appended afterwards wins; delete and undefined remove a key', () => {
    const base = renderConfigJs({ PUBLIC_URL: 'https://m.example.com' });
    assert.equal(value(`${base}\nconfig.websocket = 'wss://other.example.com/xmpp-websocket';\n`, 'websocket'), 'wss://other.example.com/xmpp-websocket');
    assert.equal(scanConfigJs(`${base}\ndelete config.websocket;\n`).settings.websocket, undefined);
    assert.equal(scanConfigJs(`${base}\nconfig.websocket = undefined;\n`).settings.websocket, undefined);
    // A new hosts object replaces every hosts.* set before.
    const hosts = scanConfigJs(`${base}\nconfig.hosts = { domain: 'a.test' };\n`);
    assert.equal(settingString(hosts, 'hosts.domain'), 'a.test');
    assert.equal(hosts.settings['hosts.muc'], undefined);
  });
});

describe("jitsi-meet's own config.js and other shapes", () => {
  test('object literal with nested hosts, comments, trailing commas and functions', () => {
    const text = `/* eslint-disable */
// config.websocket = 'wss://commented.example/';
var config = {
    hosts: {
        // XMPP domain.
        domain: 'jitsi-meet.example.com',
        muc: 'conference.' + 'jitsi-meet.example.com', // a comment
    },
    bosh: '//jitsi-meet.example.com/http-bind',
    // websocket: 'wss://commented.example/xmpp-websocket',
    websocket: "wss://jitsi-meet.example.com/xmpp-websocket",
    p2p: { enabled: false, stunServers: [ { urls: 'stun:meet-jit-si-turnrelay.jitsi.net:443' } ] },
    filter: function (x) { return x.replace(/['"]/g, ''); },
    re: /"/,
    preferBosh: false,
};
/* config.bosh = 'https://block.example/' */
`;
    const scan = scanConfigJs(text);
    assert.equal(scan.isJitsiConfig, true);
    assert.deepEqual(scan.problems, []);
    assert.equal(settingString(scan, 'hosts.domain'), 'jitsi-meet.example.com');
    assert.equal(settingString(scan, 'hosts.muc'), 'conference.jitsi-meet.example.com');
    assert.equal(settingString(scan, 'bosh'), '//jitsi-meet.example.com/http-bind');
    assert.equal(settingString(scan, 'websocket'), 'wss://jitsi-meet.example.com/xmpp-websocket');
    assert.equal(scan.settings['p2p.enabled']?.value, false);
    assert.equal(scan.settings.preferBosh?.value, false);
  });

  test('escapes, template literals, bracket access, statements without semicolons', () => {
    const text =
      "config.hosts = {}\nconfig['websocket'] = `wss://a.example/xmpp-websocket`\nconfig.hosts.domain = 'me\\u0065t.jitsi'\nconfig.bosh = 'https://a.example/' + \"http-bind\"\n";
    const scan = scanConfigJs(text);
    assert.equal(settingString(scan, 'websocket'), 'wss://a.example/xmpp-websocket');
    assert.equal(settingString(scan, 'hosts.domain'), 'meet.jitsi');
    assert.equal(settingString(scan, 'bosh'), 'https://a.example/http-bind');
  });

  test('values computed in the browser stay unresolved, with the names they use', () => {
    const scan = scanConfigJs(
      "var config = {};\nconfig.hosts = {};\nconfig.websocket = 'wss://' + window.location.host + '/xmpp-websocket';\nconfig.bosh = base + '/http-bind';\n",
    );
    assert.equal(scan.settings.websocket?.value, undefined);
    assert.deepEqual(scan.settings.websocket?.unresolved, ['window.location.host']);
    assert.deepEqual(scan.settings.bosh?.unresolved, ['base']);
  });

  test('assignments inside functions and if blocks are not taken as the value', () => {
    const scan = scanConfigJs(
      "var config = {};\nconfig.websocket = 'wss://a.example/xmpp-websocket';\nif (location.hostname === 'b') { config.websocket = 'wss://b.example/'; }\nfunction f() { config.websocket = 'wss://c.example/'; }\n",
    );
    assert.equal(settingString(scan, 'websocket'), 'wss://a.example/xmpp-websocket');
  });

  test('not a config.js: an HTML page, JSON, empty', () => {
    assert.equal(scanConfigJs('<!DOCTYPE html><html><body>Welcome to nginx!</body></html>').isJitsiConfig, false);
    assert.equal(scanConfigJs('{"websocket": "wss://x/"}').isJitsiConfig, false);
    assert.deepEqual(scanConfigJs('').settings, {});
  });
});

describe('hostile config.js', () => {
  test('unterminated string, comment and template literal: reported, the rest still read', () => {
    const s = scanConfigJs(
      "var config = {};\nconfig.hosts = {};\nconfig.bosh = 'https://a.example/http-bind;\nconfig.websocket = 'wss://a.example/xmpp-websocket';\n",
    );
    assert.match(s.problems.join(), /unterminated string at line 3/);
    assert.equal(settingString(s, 'websocket'), 'wss://a.example/xmpp-websocket');
    assert.match(scanConfigJs("config.websocket = 'x'; /* never closed").problems.join(), /unterminated \/\* comment/);
    assert.match(scanConfigJs('config.websocket = `never closed').problems.join(), /unterminated template literal/);
  });

  test('a huge file is cut at MAX_SCAN_CHARS and read quickly', () => {
    const huge = `config.hosts = {};\nconfig.websocket = 'wss://a.example/xmpp-websocket';\nvar pad = '${'x'.repeat(MAX_SCAN_CHARS + 1000)}';\n`;
    const started = performance.now();
    const s = scanConfigJs(huge);
    assert.ok(performance.now() - started < 2000, 'took too long');
    assert.equal(s.scanned, MAX_SCAN_CHARS);
    assert.match(s.problems.join(), /only the first/);
    assert.equal(settingString(s, 'websocket'), 'wss://a.example/xmpp-websocket');
  });

  test('many statements, deep nesting and stray brackets end (and the last assignment wins)', () => {
    const many = scanConfigJs(`${"config.websocket = 'wss://a/';".repeat(50_000)}config.websocket = 'wss://last/';`);
    assert.equal(settingString(many, 'websocket'), 'wss://last/');
    assert.deepEqual(scanConfigJs(`config.x = ${'{'.repeat(20_000)}`).settings, {});
    assert.deepEqual(scanConfigJs(`config.hosts = ${'{a:'.repeat(20_000)}`).settings, {});
    const stray = scanConfigJs("}}) ] { a: ) ; config.websocket = 'wss://ok/'; {{ ;");
    assert.equal(settingString(stray, 'websocket'), 'wss://ok/');
  });

  test('only the watched keys are kept', () => {
    const s = scanConfigJs("var config = {};\nconfig.hosts = {};\nconfig.a = 'x';\nconfig.evil = 'y';\nconfig.websocket = 'wss://a/';\n");
    assert.deepEqual(Object.keys(s.settings), ['websocket']);
  });
});
