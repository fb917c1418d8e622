// jitsi-websocket: docker-jitsi-meet's .env as its containers read it (PUBLIC_URL, the ports, the
// redirect, XMPP domains, service passwords, switches), then, live, what the browser gets: config.js
// read without running it (its WebSocket and BOSH URLs must point at PUBLIC_URL's host: the seed's
// "You have been disconnected"), and an XMPP stream over the WebSocket (RFC 7395) up to the features.

import path from 'node:path';
import { defineCheck } from '../../src/engine/define.js';
import type { FindingDraft, FixDraft, MessageData } from '../../src/engine/types.js';
import { settingString } from '../../src/parse/config-js.js';
import type { JitsiEnvArtifact, NginxConfigArtifact } from '../../src/probes/config-files.js';
import { type JitsiComposeArtifact, type JitsiWebArtifact, releaseOf, type WebSocketAttempt } from '../../src/probes/jitsi.js';
import { servedAt, serverFor } from '../shared/nginx-wellknown.js';
import {
  BOOLEAN_VARIABLES,
  canonicalPublicUrl,
  colibriSupport,
  DEFAULTS,
  expectedUrls,
  hostKey,
  imageVersion,
  JitsiSettings,
  NEWEST_KNOWN_STABLE,
  OPTIONAL_PASSWORDS,
  PASSWORD_MESSAGES,
  publicUrlDomain,
  publicUrlOf,
  REQUIRED_PASSWORDS,
  urlPort,
} from './jitsi-facts.js';

const DOMAIN = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** `cd <dir> && docker compose up -d --force-recreate web`: the web container regenerates config.js at every start. */
export function recreateWeb(file: string): string {
  return `cd ${path.dirname(file)} && docker compose up -d --force-recreate web`;
}

function recreateAll(file: string): string {
  return `cd ${path.dirname(file)} && docker compose up -d`;
}

export default defineCheck({
  id: 'jitsi-websocket',
  title: 'Jitsi: PUBLIC_URL, config.js and the XMPP WebSocket',
  description:
    "Reads docker-jitsi-meet's .env as its containers do, then fetches config.js from PUBLIC_URL and opens the XMPP WebSocket the way a browser joining a meeting does.",
  requires: ['jitsiEnv'],
  uses: ['jitsiWeb', 'nginxConfig', 'jitsiCompose'],
  codes: [
    {
      code: 'MXD-JWS-001',
      severity: 'error',
      title: 'PUBLIC_URL is not an https URL',
      messages: {
        unset:
          'PUBLIC_URL is not set: docker-jitsi-meet writes wss://localhost:8443/xmpp-websocket into config.js, so every browser looks for Jitsi on its own machine and shows "You have been disconnected".',
        notHttps:
          "PUBLIC_URL '{{value}}' is not an https URL: docker-jitsi-meet only strips an https:// prefix, so config.js gets the WebSocket URL {{websocket}}, which no browser can open.",
        invalid: "PUBLIC_URL '{{value}}' is not a usable URL ({{@detail}}); config.js gets WebSocket and BOSH URLs no browser can open.",
        invalidScheme: "PUBLIC_URL '{{value}}' is not a usable URL (scheme {{scheme}}); config.js gets WebSocket and BOSH URLs no browser can open.",
        invalidVariable:
          // biome-ignore lint/suspicious/noTemplateCurlyInString: the message shows the variable as the .env writes it
          "PUBLIC_URL '{{value}}' is not a usable URL (${{{variable}}} is not defined above it in the file); config.js gets WebSocket and BOSH URLs no browser can open.",
      },
      fixes: {
        setPublicUrl: 'Set PUBLIC_URL to the https URL users open, with the port if it is not 443 (e.g. {{suggestion}}), then recreate the containers.',
      },
      phrases: { notAbsolute: 'not an absolute URL' },
    },
    {
      code: 'MXD-JWS-002',
      severity: 'error',
      title: "PUBLIC_URL's port differs from HTTPS_PORT",
      messages: {
        mismatch:
          'PUBLIC_URL {{publicUrl}} sends browsers to port {{publicPort}}, but the web container is published on HTTPS_PORT {{httpsPort}}: config.js points the XMPP WebSocket at port {{publicPort}}, where Jitsi does not answer ("You have been disconnected").',
        mismatchDefault:
          'PUBLIC_URL {{publicUrl}} sends browsers to port {{publicPort}}, but HTTPS_PORT is not set, so the web container is published on {{httpsPort}} (the value env.example sets): config.js points the XMPP WebSocket at a port where Jitsi does not answer.',
      },
      fixes: {
        publicPort:
          'Make PUBLIC_URL carry the port users really reach ({{suggested}}), or publish the web container on {{publicPort}} (HTTPS_PORT={{publicPort}}) if nothing else uses it; then recreate the containers.',
      },
    },
    {
      code: 'MXD-JWS-003',
      severity: 'warning',
      title: 'The HTTP redirect leads to a dead address',
      messages: {
        nonStandardPort:
          "ENABLE_HTTP_REDIRECT makes http://{{host}}:{{httpPort}}/ answer with a redirect to https://{{host}}/ (nginx's $host drops the port), but Jitsi listens on HTTPS_PORT {{httpsPort}}: users who type the http address land on port 443, where Jitsi does not answer.",
        behindProxy:
          'ENABLE_HTTP_REDIRECT is on while DISABLE_HTTPS=1: the reverse proxy in front sends plain HTTP to the web container, which redirects it to https:// again, so browsers loop ("ERR_TOO_MANY_REDIRECTS") instead of loading Jitsi.',
      },
      fixes: {
        behindProxy: 'Behind a reverse proxy, set ENABLE_HTTP_REDIRECT=0 (the proxy does the redirect) and recreate the web container.',
        nonStandardPort:
          'Set ENABLE_HTTP_REDIRECT=0 (users then type {{publicUrl}}), or publish HTTPS on 443 (HTTPS_PORT=443); then recreate the web container.',
      },
    },
    {
      code: 'MXD-JWS-004',
      severity: 'error',
      title: 'XMPP domains do not fit together',
      messages: {
        mucDomain:
          'config.js makes browsers join rooms at {{configMuc}} (the first label of XMPP_MUC_DOMAIN followed by XMPP_DOMAIN, because ENABLE_SUBDOMAINS is on), but prosody serves the rooms at XMPP_MUC_DOMAIN {{mucDomain}}: nobody can join a meeting.',
        invalidDomain: "{{name}} '{{value}}' is not a domain name; prosody, jicofo and the browsers cannot use it.",
      },
      fixes: {
        invalidDomain: 'Use a domain name such as the default {{default}}; it is internal to the Docker network.',
        mucDomain: 'Set XMPP_MUC_DOMAIN={{muc}} (the MUC component must be <prefix>.XMPP_DOMAIN), then recreate the containers.',
      },
    },
    {
      code: 'MXD-JWS-005',
      severity: 'error',
      title: 'Service password is empty',
      messages: {
        required:
          'Empty service password(s): {{names}}. The prosody, jicofo and jvb containers stop at start ("{{fatal}}"), so there is no XMPP server and no meeting at all.',
        optional: 'Empty password(s) of optional services: {{names}}. Only Jigasi and Jibri (jigasi.yml, jibri.yml) need them; they refuse to start without.',
      },
      fixes: {
        required: "Generate strong passwords with docker-jitsi-meet's gen-passwords.sh (it fills all six), then recreate the containers.",
        optional: 'Only if you run Jigasi or Jibri: run ./gen-passwords.sh before starting them.',
      },
    },
    {
      code: 'MXD-JWS-006',
      severity: 'info',
      title: 'Setting that docker-jitsi-meet ignores',
      messages: {
        colibriRemoved:
          'ENABLE_COLIBRI_WEBSOCKET={{value}} has no effect: JITSI_IMAGE_VERSION {{release}} has no colibri WebSockets (removed in stable-11146); the bridge channel always uses SCTP.',
        colibriRemovedMoving:
          "ENABLE_COLIBRI_WEBSOCKET={{value}} has no effect: JITSI_IMAGE_VERSION '{{release}}' ({{newest}} or newer) has no colibri WebSockets (removed in stable-11146); the bridge channel always uses SCTP.",
        colibriRemovedPinned:
          'ENABLE_COLIBRI_WEBSOCKET={{value}} has no effect: JITSI_IMAGE_VERSION is not set, so the containers run {{release}}, the release {{composeFile}} pins (line {{line}}), which has no colibri WebSockets (removed in stable-11146); the bridge channel always uses SCTP.',
        authOff: '{{names}} set, but ENABLE_AUTH is off: prosody lets everyone start meetings anonymously and ignores them.',
      },
      fixes: {
        colibriRemoved: 'Delete the line; it has no effect on this release.',
        authOff:
          'To require a login for starting meetings, set ENABLE_AUTH=1 (guests then join with ENABLE_GUESTS=1) and recreate the containers; otherwise delete these lines.',
      },
    },
    {
      code: 'MXD-JWS-007',
      severity: 'error',
      title: 'Switch that docker-jitsi-meet cannot read',
      messages: {
        notBool:
          "{{name}}='{{value}}' is not a boolean docker-jitsi-meet can read: its templates use Go's strconv.ParseBool (1, t, true, 0, f, false...), which fails on it, and the container's configuration is not written.",
      },
      fixes: {
        notBool: 'Write {{name}}=1 or {{name}}=0.',
      },
    },
    {
      code: 'MXD-JWS-008',
      severity: 'info',
      title: 'XMPP over WebSocket is turned off',
      messages: {
        disabled:
          'ENABLE_XMPP_WEBSOCKET is off: browsers talk to prosody over BOSH (/http-bind, long polling), which is slower and costs more connections; matrixdoc does not test a WebSocket.',
      },
      fixes: {
        disabled: 'Set ENABLE_XMPP_WEBSOCKET=1 (the default) and recreate the web and prosody containers.',
      },
    },
    {
      code: 'MXD-JWS-009',
      severity: 'error',
      title: 'config.js cannot be fetched from PUBLIC_URL',
      messages: {
        unreachable: 'Browsers load {{url}} first, and it failed ({{reason}}): the meeting page cannot start.',
        status: 'Browsers load {{url}} first, and it answered HTTP {{status}} instead of the Jitsi configuration.',
        notJitsi:
          '{{url}} answered 200 but is not a Jitsi Meet config.js (no `var config` or `config.hosts`): PUBLIC_URL does not reach the Jitsi web container.',
      },
      fixes: {
        reach: 'Make {{publicUrl}} reach the Jitsi web container (DNS, the published HTTPS_PORT, the certificate, any reverse proxy in front).',
        notJitsi: "Make {{publicUrl}} serve the Jitsi web container (location = /config.js of docker-jitsi-meet's meet.conf).",
      },
    },
    {
      code: 'MXD-JWS-010',
      severity: 'error',
      title: 'config.js sends browsers to another host',
      messages: {
        websocket:
          'config.js at {{url}} tells browsers to open the XMPP WebSocket at {{websocket}}, not on PUBLIC_URL\'s host {{publicHost}}: the page loads, then "You have been disconnected", and a second participant drops. The web container was created with another PUBLIC_URL.',
        bosh: 'config.js at {{url}} sends BOSH to {{bosh}}, not to PUBLIC_URL\'s host {{publicHost}}: browsers that fall back to BOSH cannot connect ("You have been disconnected").',
      },
      fixes: {
        websocket: 'Recreate the web container so it writes config.js from PUBLIC_URL={{publicUrl}} (check that this is the URL users open).',
        bosh: 'Recreate the web container so it writes config.js from PUBLIC_URL={{publicUrl}}.',
      },
    },
    {
      code: 'MXD-JWS-011',
      severity: 'warning',
      title: 'The running config.js does not match the .env',
      messages: {
        domain: "config.js has hosts.domain '{{running}}' but the .env sets XMPP_DOMAIN '{{env}}': the web container was not recreated after the .env changed.",
        websocketMissing:
          'The .env enables ENABLE_XMPP_WEBSOCKET but config.js has no config.websocket: browsers fall back to BOSH. The web container was not recreated after the .env changed, or custom-config.js removes it.',
        websocketExtra:
          'The .env turns ENABLE_XMPP_WEBSOCKET off but config.js still has config.websocket {{websocket}}: the web container was not recreated after the .env changed.',
      },
      fixes: {
        domain: 'Recreate the containers so they use the .env again.',
        websocketMissing: 'Recreate the web container (and check custom-config.js for a line that removes config.websocket).',
        websocketExtra: 'Recreate the web container so config.js follows the .env.',
      },
    },
    {
      code: 'MXD-JWS-012',
      severity: 'error',
      title: 'The XMPP WebSocket cannot be reached',
      messages: {
        dns: 'The XMPP WebSocket {{url}} cannot be reached: {{host}} does not resolve ({{code}}). Browsers cannot join meetings.',
        tcp: 'The XMPP WebSocket {{url}} cannot be reached: the connection to {{host}} failed ({{code}}: {{detail}}).',
        tls: 'The XMPP WebSocket {{url}} cannot be reached: TLS failed ({{code}}: {{detail}}); browsers refuse the certificate.',
        timeout: 'The XMPP WebSocket {{url}} did not answer the upgrade within {{waitedMs}} ms.',
      },
      fixes: {
        dns: "Publish a DNS record for {{host}} that users' browsers can resolve.",
        tls: 'Serve a certificate for {{host}} from a CA browsers trust (e.g. ENABLE_LETSENCRYPT=1 or your own in ~/.jitsi-meet-cfg/web/keys).',
        timeout: 'Check that the web container (or the proxy in front) answers on this port and that no firewall drops the traffic.',
        tcp: 'Make {{host}} accept connections: the web container must be up and published on that port (HTTPS_PORT), or the reverse proxy must listen there.',
      },
    },
    {
      code: 'MXD-JWS-013',
      severity: 'error',
      title: 'The WebSocket upgrade is refused',
      messages: {
        notFound:
          '{{url}} answered HTTP 404: the web server has no /xmpp-websocket location (ENABLE_XMPP_WEBSOCKET was off when the web container was created, or a reverse proxy in front does not pass it on).',
        notFoundProsody:
          '{{url}} reached prosody, which answered HTTP 404: its WebSocket module is not loaded (ENABLE_XMPP_WEBSOCKET was off when the prosody container was created).',
        badGateway:
          '{{url}} answered HTTP {{status}}: nginx cannot reach prosody behind it (the prosody container is down, or XMPP_BOSH_URL_BASE points nowhere).',
        subprotocol:
          '{{url}} did not accept the xmpp subprotocol ({{@detail}}): prosody answers 501 when the Sec-WebSocket-Protocol: xmpp header does not reach it, and a server that does not echo it is not prosody.',
        subprotocolOther:
          "{{url}} did not accept the xmpp subprotocol (answered with '{{subprotocol}}'): prosody answers 501 when the Sec-WebSocket-Protocol: xmpp header does not reach it, and a server that does not echo it is not prosody.",
        noUpgrade:
          '{{url}} answered with prosody\'s "It works!" page instead of switching protocols: the proxy does not pass the Upgrade and Connection headers (proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection "upgrade").',
        status: '{{url}} answered HTTP {{status}} instead of 101 Switching Protocols.',
      },
      fixes: {
        notFoundProsody: 'Set ENABLE_XMPP_WEBSOCKET=1 and recreate the prosody and web containers.',
        notFound: 'Set ENABLE_XMPP_WEBSOCKET=1 and recreate the web container; behind a reverse proxy, forward /xmpp-websocket to it with the Upgrade headers.',
        badGateway: 'Start prosody (docker compose up -d prosody; its log says why it stopped, e.g. an empty password), and check XMPP_BOSH_URL_BASE.',
        passHeader: 'Pass the Sec-WebSocket-Protocol header through every proxy in front of prosody.',
        noUpgrade: 'In the proxy in front: proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection "upgrade";',
        status: 'Route /xmpp-websocket to the Jitsi web container (which proxies it to prosody).',
        subprotocol: 'Point /xmpp-websocket at prosody (XMPP_BOSH_URL_BASE) and pass the Sec-WebSocket-Protocol header through.',
      },
      phrases: { http501: 'HTTP 501', none: 'no subprotocol in the answer' },
    },
    {
      code: 'MXD-JWS-014',
      severity: 'error',
      title: 'No XMPP stream over the WebSocket',
      messages: {
        silent: '{{url}} switched to WebSocket but sent nothing within {{waitedMs}} ms after our <open/> to {{domain}}.',
        junk: '{{url}} switched to WebSocket and sent {{count}} frame(s), but no XMPP <open/> within {{waitedMs}} ms after ours to {{domain}} (first: {{first}}): what answers there is not prosody.',
        tooLarge:
          '{{url}} sent a WebSocket message larger than {{limit}}, which matrixdoc refuses (prosody sends a few KiB at most): what answers there is not prosody, or it is broken.',
        closed:
          '{{url}} answered 101 Switching Protocols, then closed the connection ({{detail}}) before any XMPP frame: typically a proxy that passes the 101 on without forwarding the Upgrade and Connection headers (proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection "upgrade").',
        closedUnexplained:
          '{{url}} answered 101 Switching Protocols, then closed the connection ({{@detail}}) before any XMPP frame: typically a proxy that passes the 101 on without forwarding the Upgrade and Connection headers (proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection "upgrade").',
        hostUnknown:
          'Prosody answered host-unknown for {{domain}} ({{text}}): config.js\'s hosts.domain is not an XMPP domain prosody serves; browsers get "You have been disconnected".',
        streamError: 'Prosody closed the stream with {{condition}} ({{text}}).',
        noFeatures: 'Prosody opened the stream for {{domain}} but sent no stream features within {{waitedMs}} ms; browsers cannot log in.',
      },
      fixes: {
        tooLarge: 'Check what /xmpp-websocket is proxied to: it must be prosody (XMPP_BOSH_URL_BASE).',
        closed: 'In the proxy in front of prosody: proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection "upgrade";',
        junk: 'Check what /xmpp-websocket is proxied to: prosody answers an <open/> with its own <open/> at once.',
        silent: 'Check what /xmpp-websocket is proxied to: prosody answers an <open/> at once.',
        hostUnknown: "Make config.js's hosts.domain the XMPP_DOMAIN prosody serves (default meet.jitsi), then recreate the containers.",
        prosodyLog: 'Read the prosody log for the reason.',
      },
      phrases: { noCloseFrame: 'no close frame' },
    },
    {
      code: 'MXD-JWS-015',
      severity: 'info',
      title: 'How users sign in to the XMPP server',
      messages: {
        anonymous: 'The XMPP WebSocket works: prosody serves {{domain}} and offers {{mechanisms}}, so anyone with the link can join (anonymous login).',
        login: 'The XMPP WebSocket works: prosody serves {{domain}} with {{mechanisms}} and no ANONYMOUS, so users must log in to join.',
        loginGuests:
          'The XMPP WebSocket works: prosody serves {{domain}} with {{mechanisms}} and no ANONYMOUS; users log in, and guests join through hosts.anonymousdomain {{guestDomain}} once a user is there.',
        authMismatch:
          'Prosody serves {{domain}} with {{mechanisms}} and no ANONYMOUS, although the .env leaves ENABLE_AUTH off: the running prosody was not created from this .env, and guests cannot join.',
        loginNoMechanism: 'The XMPP WebSocket works: prosody serves {{domain}} with {{@mechanisms}} and no ANONYMOUS, so users must log in to join.',
        loginGuestsNoMechanism:
          'The XMPP WebSocket works: prosody serves {{domain}} with {{@mechanisms}} and no ANONYMOUS; users log in, and guests join through hosts.anonymousdomain {{guestDomain}} once a user is there.',
        authMismatchNoMechanism:
          'Prosody serves {{domain}} with {{@mechanisms}} and no ANONYMOUS, although the .env leaves ENABLE_AUTH off: the running prosody was not created from this .env, and guests cannot join.',
      },
      fixes: {
        anonymous: 'Nothing to do. To require a login for starting meetings, set ENABLE_AUTH=1.',
        authMismatch: 'Recreate the containers so prosody follows this .env (or set ENABLE_AUTH=1 if logins are intended).',
        loginGuests: 'Nothing to do.',
        login: 'Nothing to do. To let guests join once a user is in the meeting, set ENABLE_GUESTS=1.',
      },
      phrases: { none: 'no SASL mechanism' },
    },
    {
      code: 'MXD-JWS-016',
      severity: 'error',
      title: 'The colibri WebSocket does not answer',
      messages: {
        unreachable: '{{url}} failed ({{reason}}): on {{release}} with ENABLE_COLIBRI_WEBSOCKET on, browsers open the bridge channel there.',
        badGateway:
          '{{url}} answered HTTP {{status}}: nginx cannot reach the videobridge (jvb container down, or its colibri WebSocket port 9090 unreachable); the bridge channel breaks once a third participant joins.',
        notFound: '{{url}} answered HTTP 404: the web container has no /colibri-ws/ location although ENABLE_COLIBRI_WEBSOCKET is on for {{release}}.',
      },
      fixes: {
        colibri:
          'Make the jvb container reachable from the web container on its colibri WebSocket port (9090), or turn ENABLE_COLIBRI_WEBSOCKET off (SCTP bridge channel).',
      },
    },
  ],
  run(inputs): FindingDraft[] {
    const env = new JitsiSettings(inputs.get<JitsiEnvArtifact>('jitsiEnv'));
    const nginx = inputs.optional<NginxConfigArtifact>('nginxConfig');
    const web = inputs.optional<JitsiWebArtifact>('jitsiWeb');
    const findings: FindingDraft[] = [];
    const { file, sha256 } = env;
    const setFix = (summaryId: string, summaryData: MessageData, steps: string[], name?: string, value?: string): FixDraft => ({
      summaryId,
      summaryData,
      steps,
      edits: name !== undefined && value !== undefined ? [{ kind: 'env-set', file, name, value, expectSha256: sha256 }] : [],
    });

    // Switches docker-jitsi-meet cannot parse.
    for (const name of BOOLEAN_VARIABLES) {
      const b = env.bool(name);
      if (b.invalid === undefined) continue;
      const fixed = /^(yes|on|y|enabled?)$/i.test(b.invalid) ? '1' : /^(no|off|n|disabled?)$/i.test(b.invalid) ? '0' : undefined;
      findings.push({
        code: 'MXD-JWS-007',
        messageId: 'notBool',
        data: { name, value: b.invalid },
        location: env.location(name),
        evidence: { [name]: b.invalid, accepted: '1 t T TRUE true True 0 f F FALSE false False' },
        fix: setFix('notBool', { name }, [`${name}=${fixed ?? '1'}   # ${env.where(name)}`, recreateAll(file)], fixed ? name : undefined, fixed),
      });
    }

    // PUBLIC_URL.
    const publicSetting = env.get('PUBLIC_URL');
    const { url: publicUrl, problem } = publicUrlOf(env);
    if (problem) {
      const value = publicSetting.value ?? '';
      // Why it is invalid: a variable without a value, another scheme (data), or not a URL at all (a phrase).
      const [messageId, data]: [string, MessageData] =
        problem === 'unset'
          ? ['unset', {}]
          : problem === 'notHttps'
            ? ['notHttps', { value, websocket: `wss://${publicUrlDomain(value)}/xmpp-websocket` }]
            : publicSetting.unresolved.length > 0
              ? ['invalidVariable', { value, variable: publicSetting.unresolved[0] }]
              : publicUrl
                ? ['invalidScheme', { value, scheme: publicUrl.protocol }]
                : ['invalid', { value, detail: 'notAbsolute' }];
      const hostGuess = publicUrl?.host || (value.replace(/^[a-z]+:\/\//i, '').split('/')[0] ?? '');
      const suggestion = hostGuess && !hostGuess.includes('$') ? `https://${hostGuess}` : 'https://meet.example.com';
      findings.push({
        code: 'MXD-JWS-001',
        messageId,
        data,
        location: env.location('PUBLIC_URL'),
        evidence: {
          PUBLIC_URL: value,
          configJsWebsocket: `wss://${publicUrlDomain(publicSetting.value)}/xmpp-websocket`,
          ...(publicSetting.unresolved.length ? { undefinedVariables: publicSetting.unresolved } : {}),
        },
        fix: setFix(
          'setPublicUrl',
          { suggestion },
          [`PUBLIC_URL=${suggestion}   # ${env.where('PUBLIC_URL')}`, recreateAll(file)],
          problem === 'notHttps' ? 'PUBLIC_URL' : undefined,
          problem === 'notHttps' ? suggestion : undefined,
        ),
      });
    }

    const disableHttps = env.bool('DISABLE_HTTPS').value;
    const httpsPortSetting = env.get('HTTPS_PORT');
    const httpsPort = Number(httpsPortSetting.effective);
    const proxyFor = (host: string, port: number) => {
      if (!nginx) return undefined;
      const server = serverFor(nginx, host, port);
      if (!server?.listen.some((l) => l.port === port)) return undefined;
      const served = servedAt(nginx, host, '/xmpp-websocket', port) ?? servedAt(nginx, host, '/', port);
      return served?.kind === 'proxy' ? served : undefined;
    };

    if (publicUrl && !problem) {
      const publicPort = urlPort(publicUrl);
      const proxy = proxyFor(publicUrl.hostname, publicPort);
      // The comparison only holds when users reach the web container directly. A reverse proxy in front is
      // declared by DISABLE_HTTPS=1 (the handbook's reverse-proxy setup) or by an nginx server block for
      // PUBLIC_URL's host and port that proxies (given with --nginx-config).
      if (!disableHttps && !proxy && Number.isInteger(httpsPort) && httpsPort !== publicPort) {
        const withPort = new URL(publicUrl.href);
        withPort.port = String(httpsPort);
        const suggested = canonicalPublicUrl(withPort);
        findings.push({
          code: 'MXD-JWS-002',
          messageId: httpsPortSetting.defaulted ? 'mismatchDefault' : 'mismatch',
          data: { publicUrl: publicSetting.value as string, publicPort, httpsPort },
          location: env.location('PUBLIC_URL'),
          evidence: {
            PUBLIC_URL: publicSetting.value as string,
            HTTPS_PORT: httpsPortSetting.value ?? `${DEFAULTS.HTTPS_PORT.value} (not set; ${DEFAULTS.HTTPS_PORT.source})`,
            publicUrlAt: env.where('PUBLIC_URL'),
            httpsPortAt: env.where('HTTPS_PORT'),
            configJsWebsocket: `wss://${publicUrlDomain(publicSetting.value)}/xmpp-websocket`,
          },
          fix: setFix(
            'publicPort',
            { suggested, publicPort },
            [`PUBLIC_URL=${suggested}   # ${env.where('PUBLIC_URL')}`, `# or: HTTPS_PORT=${publicPort}   # ${env.where('HTTPS_PORT')}`, recreateAll(file)],
            'PUBLIC_URL',
            suggested,
          ),
        });
      }
    }

    // The HTTP -> HTTPS redirect.
    const redirect = env.bool('ENABLE_HTTP_REDIRECT');
    if (redirect.value) {
      const host = publicUrl?.hostname ?? 'localhost';
      const httpPort = env.value('HTTP_PORT') as string;
      if (disableHttps) {
        findings.push({
          code: 'MXD-JWS-003',
          messageId: 'behindProxy',
          location: env.location('ENABLE_HTTP_REDIRECT'),
          evidence: { ENABLE_HTTP_REDIRECT: env.get('ENABLE_HTTP_REDIRECT').value as string, DISABLE_HTTPS: env.get('DISABLE_HTTPS').value as string },
          fix: setFix('behindProxy', {}, [`ENABLE_HTTP_REDIRECT=0   # ${env.where('ENABLE_HTTP_REDIRECT')}`, recreateWeb(file)], 'ENABLE_HTTP_REDIRECT', '0'),
        });
      } else if (publicUrl && Number.isInteger(httpsPort) && httpsPort !== 443 && !proxyFor(host, 443)) {
        findings.push({
          code: 'MXD-JWS-003',
          messageId: 'nonStandardPort',
          data: { host, httpPort, httpsPort },
          location: env.location('ENABLE_HTTP_REDIRECT'),
          evidence: {
            ENABLE_HTTP_REDIRECT: env.get('ENABLE_HTTP_REDIRECT').value as string,
            HTTPS_PORT: httpsPortSetting.effective as string,
            HTTP_PORT: httpPort,
            nginx: 'return 301 https://$host$request_uri; (web/rootfs/defaults/default)',
          },
          fix: setFix(
            'nonStandardPort',
            { publicUrl: canonicalPublicUrl(publicUrl) },
            [`ENABLE_HTTP_REDIRECT=0   # ${env.where('ENABLE_HTTP_REDIRECT')}`, recreateWeb(file)],
            'ENABLE_HTTP_REDIRECT',
            '0',
          ),
        });
      }
    }

    // XMPP domains.
    for (const name of ['XMPP_DOMAIN', 'XMPP_MUC_DOMAIN', 'XMPP_AUTH_DOMAIN', 'XMPP_GUEST_DOMAIN', 'XMPP_INTERNAL_MUC_DOMAIN']) {
      const s = env.get(name);
      if (s.value === undefined || DOMAIN.test(s.value)) continue;
      findings.push({
        code: 'MXD-JWS-004',
        messageId: 'invalidDomain',
        data: { name, value: s.value },
        location: env.location(name),
        evidence: { [name]: s.value, default: DEFAULTS[name]?.value ?? '' },
        fix: setFix('invalidDomain', { default: String(DEFAULTS[name]?.value) }, [`${name}=${DEFAULTS[name]?.value}`, recreateAll(file)]),
      });
    }
    const expected = expectedUrls(env);
    const mucDomain = env.value('XMPP_MUC_DOMAIN') as string;
    if (
      env.bool('ENABLE_SUBDOMAINS', true).value &&
      expected.muc.toLowerCase() !== mucDomain.toLowerCase() &&
      DOMAIN.test(mucDomain) &&
      DOMAIN.test(expected.domain)
    ) {
      const name = env.isSet('XMPP_MUC_DOMAIN') ? 'XMPP_MUC_DOMAIN' : 'XMPP_DOMAIN';
      findings.push({
        code: 'MXD-JWS-004',
        messageId: 'mucDomain',
        data: { configMuc: expected.muc, mucDomain },
        location: env.location(name),
        evidence: {
          XMPP_DOMAIN: expected.domain,
          XMPP_MUC_DOMAIN: mucDomain,
          configJsMuc: `'${mucDomain.split('.')[0]}.' + subdomain + '${expected.domain}'`,
          prosody: `Component "${mucDomain}" "muc"`,
        },
        fix: setFix('mucDomain', { muc: expected.muc }, [`XMPP_MUC_DOMAIN=${expected.muc}`, recreateAll(file)], 'XMPP_MUC_DOMAIN', expected.muc),
      });
    }

    // Service passwords (never shown: only their names).
    const emptyRequired = REQUIRED_PASSWORDS.filter((n) => !env.isSet(n));
    if (emptyRequired.length) {
      findings.push({
        code: 'MXD-JWS-005',
        messageId: 'required',
        data: { names: emptyRequired.join(', '), fatal: PASSWORD_MESSAGES[emptyRequired[0]] },
        location: env.location(emptyRequired[0]),
        evidence: { empty: emptyRequired, at: emptyRequired.map((n) => env.where(n)) },
        fix: {
          summaryId: 'required',
          steps: [`cd ${path.dirname(file)} && ./gen-passwords.sh`, recreateAll(file)],
          edits: [],
        },
      });
    }
    const emptyOptional = OPTIONAL_PASSWORDS.filter((n) => !env.isSet(n));
    if (emptyOptional.length) {
      findings.push({
        code: 'MXD-JWS-005',
        messageId: 'optional',
        severity: 'info',
        data: { names: emptyOptional.join(', ') },
        location: env.location(emptyOptional[0]),
        evidence: { empty: emptyOptional },
        fix: {
          summaryId: 'optional',
          steps: [`cd ${path.dirname(file)} && ./gen-passwords.sh`],
          edits: [],
        },
      });
    }

    // Settings without effect.
    const colibri = env.get('ENABLE_COLIBRI_WEBSOCKET');
    // The release: JITSI_IMAGE_VERSION, else what the compose file beside the .env pins (docker compose's default).
    const compose = inputs.optional<JitsiComposeArtifact>('jitsiCompose');
    const release = releaseOf(env, compose);
    const version = imageVersion(release?.version);
    if (colibri.value !== undefined && colibriSupport(version) === 'removed') {
      // A moving tag (stable, latest) is at least the newest stable matrixdoc knows.
      const pinned = release?.from === 'compose' && !version?.moving && compose?.webImage;
      findings.push({
        code: 'MXD-JWS-006',
        messageId: version?.moving ? 'colibriRemovedMoving' : pinned ? 'colibriRemovedPinned' : 'colibriRemoved',
        data: {
          value: colibri.value,
          release: version?.text ?? '',
          ...(version?.moving ? { newest: NEWEST_KNOWN_STABLE } : {}),
          ...(pinned && compose ? { composeFile: compose.file, line: pinned.line } : {}),
        },
        location: env.location('ENABLE_COLIBRI_WEBSOCKET'),
        evidence: {
          ENABLE_COLIBRI_WEBSOCKET: colibri.value,
          JITSI_IMAGE_VERSION: version?.text ?? '',
          ...(release ? { release: `${release.version} (${release.from === 'env' ? '.env' : 'compose file'}, ${release.where})` } : {}),
          removedIn: 'stable-11146 (jitsi/docker-jitsi-meet#2285)',
        },
        fix: {
          summaryId: 'colibriRemoved',
          steps: [],
          edits: [{ kind: 'env-unset', file, name: 'ENABLE_COLIBRI_WEBSOCKET', expectSha256: sha256 }],
        },
      });
    }
    if (!env.bool('ENABLE_AUTH').value) {
      const ignored = ['ENABLE_GUESTS', 'AUTH_TYPE'].filter((n) => env.isSet(n));
      if (ignored.length) {
        findings.push({
          code: 'MXD-JWS-006',
          messageId: 'authOff',
          data: { names: ignored.join(', ') },
          location: env.location(ignored[0]),
          evidence: Object.fromEntries(ignored.map((n) => [n, env.get(n).value as string])),
          fix: {
            summaryId: 'authOff',
            steps: [`ENABLE_AUTH=1`, recreateAll(file)],
            edits: [],
          },
        });
      }
    }
    const websocketOn = env.bool('ENABLE_XMPP_WEBSOCKET', true).value;
    if (!websocketOn && env.bool('ENABLE_XMPP_WEBSOCKET', true).invalid === undefined) {
      findings.push({
        code: 'MXD-JWS-008',
        messageId: 'disabled',
        location: env.location('ENABLE_XMPP_WEBSOCKET'),
        evidence: { ENABLE_XMPP_WEBSOCKET: env.get('ENABLE_XMPP_WEBSOCKET').value as string },
        fix: setFix('disabled', {}, ['ENABLE_XMPP_WEBSOCKET=1', recreateAll(file)], 'ENABLE_XMPP_WEBSOCKET', '1'),
      });
    }

    if (!web || !publicUrl || problem) return findings;
    findings.push(...live(web, env, publicUrl, websocketOn));
    return findings;
  },
});

function live(web: JitsiWebArtifact, env: JitsiSettings, publicUrl: URL, websocketOn: boolean): FindingDraft[] {
  const findings: FindingDraft[] = [];
  const { file, sha256 } = env;
  const { configJs } = web;
  const x = configJs.exchange;
  const publicHost = hostKey(publicUrl);
  const canonical = canonicalPublicUrl(publicUrl);
  const envValue = env.get('PUBLIC_URL').value as string;
  const recreateFix = (summaryId: string): FixDraft => ({
    summaryId,
    summaryData: { publicUrl: canonical },
    steps: [`PUBLIC_URL=${canonical}   # ${env.where('PUBLIC_URL')}`, recreateWeb(file)],
    edits: envValue !== canonical ? [{ kind: 'env-set', file, name: 'PUBLIC_URL', value: canonical, expectSha256: sha256 }] : [],
  });

  if (!x.ok || x.status !== 200) {
    const reason = x.error ? `${x.error.code}: ${x.error.message}` : `HTTP ${x.status}`;
    findings.push({
      code: 'MXD-JWS-009',
      messageId: x.error ? 'unreachable' : 'status',
      data: x.error ? { url: configJs.url, reason } : { url: configJs.url, status: x.status ?? 0 },
      location: { url: configJs.url },
      evidence: {
        url: configJs.url,
        ...(x.address ? { address: x.address } : {}),
        ...(x.status ? { status: x.status } : {}),
        ...(x.error ? { error: x.error } : {}),
        ...(x.bodyExcerpt ? { body: x.bodyExcerpt.slice(0, 500) } : {}),
        ...(x.redirects.length ? { redirects: x.redirects } : {}),
      },
      fix: {
        summaryId: 'reach',
        summaryData: { publicUrl: canonical },
        steps: [`curl -sS ${configJs.url} | head`],
        edits: [],
      },
    });
  } else if (configJs.scan && !configJs.scan.isJitsiConfig) {
    findings.push({
      code: 'MXD-JWS-009',
      messageId: 'notJitsi',
      data: { url: configJs.url },
      location: { url: configJs.url },
      evidence: {
        url: configJs.url,
        ...(x.address ? { address: x.address } : {}),
        body: x.bodyExcerpt.slice(0, 500),
        contentType: x.headers['content-type'] ?? '',
      },
      fix: {
        summaryId: 'notJitsi',
        summaryData: { publicUrl: canonical },
        steps: [`curl -sS ${configJs.url} | head`],
        edits: [],
      },
    });
  }

  const scan = configJs.scan?.isJitsiConfig ? configJs.scan : undefined;
  const configured = settingString(scan, 'websocket');
  const attemptFor = (url: string | undefined) => (url ? web.websockets.find((w) => w.url === url) : undefined);
  let analysed: WebSocketAttempt | undefined;
  if (scan) {
    const ws = scan.settings.websocket;
    let wsUrl: URL | undefined;
    try {
      wsUrl = configured ? new URL(configured) : undefined;
    } catch {
      wsUrl = undefined;
    }
    if (configured && (!wsUrl || hostKey(wsUrl) !== publicHost)) {
      const attempt = attemptFor(configured);
      findings.push({
        code: 'MXD-JWS-010',
        messageId: 'websocket',
        data: { url: configJs.url, websocket: configured, publicHost },
        location: { url: configJs.url, line: ws?.line, column: ws?.column },
        evidence: {
          configJs: `${configJs.url}:${ws?.line}: config.websocket = ${ws?.expression}`,
          websocket: configured,
          PUBLIC_URL: envValue,
          envLine: env.where('PUBLIC_URL'),
          ...(attempt ? { browsersGet: describeAttempt(attempt) } : {}),
        },
        fix: recreateFix('websocket'),
      });
    } else if (configured) analysed = attemptFor(configured);
    const bosh = settingString(scan, 'bosh');
    if (bosh) {
      let boshUrl: URL | undefined;
      try {
        boshUrl = new URL(bosh, web.publicUrl);
      } catch {
        boshUrl = undefined;
      }
      if (!boshUrl || hostKey(boshUrl) !== publicHost) {
        const b = scan.settings.bosh;
        findings.push({
          code: 'MXD-JWS-010',
          messageId: 'bosh',
          data: { url: configJs.url, bosh, publicHost },
          location: { url: configJs.url, line: b?.line, column: b?.column },
          evidence: { configJs: `${configJs.url}:${b?.line}: config.bosh = ${b?.expression}`, PUBLIC_URL: envValue, envLine: env.where('PUBLIC_URL') },
          fix: recreateFix('bosh'),
        });
      }
    }
    const domain = settingString(scan, 'hosts.domain');
    const envDomain = env.value('XMPP_DOMAIN') as string;
    if (domain && domain.toLowerCase() !== envDomain.toLowerCase()) {
      findings.push({
        code: 'MXD-JWS-011',
        messageId: 'domain',
        data: { running: domain, env: envDomain },
        location: env.location('XMPP_DOMAIN'),
        evidence: { configJs: `config.hosts.domain = ${scan.settings['hosts.domain']?.expression}`, XMPP_DOMAIN: envDomain },
        fix: { summaryId: 'domain', steps: [recreateAll(file)], edits: [] },
      });
    }
    if (websocketOn && !scan.settings.websocket) {
      findings.push({
        code: 'MXD-JWS-011',
        messageId: 'websocketMissing',
        location: { url: configJs.url },
        evidence: { url: configJs.url, ENABLE_XMPP_WEBSOCKET: env.get('ENABLE_XMPP_WEBSOCKET').value ?? `${DEFAULTS.ENABLE_XMPP_WEBSOCKET.value} (default)` },
        fix: {
          summaryId: 'websocketMissing',
          steps: [recreateWeb(file)],
          edits: [],
        },
      });
    } else if (!websocketOn && configured) {
      findings.push({
        code: 'MXD-JWS-011',
        messageId: 'websocketExtra',
        data: { websocket: configured },
        location: { url: configJs.url, line: ws?.line, column: ws?.column },
        evidence: { url: configJs.url, websocket: configured, ENABLE_XMPP_WEBSOCKET: env.get('ENABLE_XMPP_WEBSOCKET').value as string },
        fix: { summaryId: 'websocketExtra', steps: [recreateWeb(file)], edits: [] },
      });
    }
  }
  // The attempt that tells whether PUBLIC_URL's WebSocket works: the one browsers use when it is on PUBLIC_URL's
  // host, else the URL this .env generates.
  analysed ??= web.websockets.find((w) => w.sources.includes('PUBLIC_URL'));
  if (analysed) findings.push(...judgeAttempt(analysed, env));

  if (web.colibri) {
    const c = web.colibri.exchange;
    const release = web.release?.version ?? (env.value('JITSI_IMAGE_VERSION') as string);
    const evidence = {
      url: web.colibri.url,
      ...(web.release ? { release: `${web.release.version} (${web.release.from === 'env' ? '.env' : 'compose file'}, ${web.release.where})` } : {}),
      ...(c.status ? { status: c.status } : {}),
      ...(c.error ? { error: c.error } : {}),
      body: c.bodyExcerpt.slice(0, 300),
    };
    const fix: FixDraft = {
      summaryId: 'colibri',
      steps: [`curl -si ${web.colibri.url}`, recreateAll(file)],
      edits: [],
    };
    if (!c.ok) {
      findings.push({
        code: 'MXD-JWS-016',
        messageId: 'unreachable',
        data: { url: web.colibri.url, reason: `${c.error?.code}: ${c.error?.message}`, release },
        location: { url: web.colibri.url },
        evidence,
        fix,
      });
    } else if (c.status === 502 || c.status === 503 || c.status === 504) {
      findings.push({
        code: 'MXD-JWS-016',
        messageId: 'badGateway',
        data: { url: web.colibri.url, status: c.status },
        location: { url: web.colibri.url },
        evidence,
        fix,
      });
    } else if (c.status === 404 && !/jetty/i.test(c.bodyExcerpt)) {
      findings.push({ code: 'MXD-JWS-016', messageId: 'notFound', data: { url: web.colibri.url, release }, location: { url: web.colibri.url }, evidence, fix });
    }
  }
  return findings;
}

/** A one-line account of an attempt, for evidence. */
export function describeAttempt(a: WebSocketAttempt): string {
  switch (a.outcome) {
    case 'features':
      return `XMPP stream up (${(a.mechanisms ?? []).join(', ') || 'no SASL mechanisms'})`;
    case 'http':
      return `HTTP ${a.http?.status ?? '?'}`;
    case 'refused':
      return 'not contacted (outside --allow-targets)';
    default:
      return a.error ? `${a.outcome}: ${a.error.code}: ${a.error.message}` : a.outcome;
  }
}

function judgeAttempt(a: WebSocketAttempt, env: JitsiSettings): FindingDraft[] {
  const file = env.file;
  let host = '';
  try {
    host = new URL(a.url).host;
  } catch {
    host = a.url;
  }
  const evidence: Record<string, unknown> = {
    url: a.url,
    xmppDomain: a.xmppDomain,
    ...(a.address ? { address: a.address } : {}),
    ...(a.error ? { error: a.error } : {}),
    ...(a.http ? { status: a.http.status, server: a.http.headers.server ?? '', body: a.http.bodyExcerpt.slice(0, 300) } : {}),
    ...(a.subprotocol !== undefined ? { subprotocol: a.subprotocol } : {}),
    ...(a.frames.length ? { frames: a.frames } : {}),
    ...(a.tls ? { tls: { authorized: a.tls.authorized, authorizationError: a.tls.authorizationError, subject: a.tls.subject, issuer: a.tls.issuer } } : {}),
    waitedMs: a.waitedMs,
  };
  const loc = { url: a.url };
  const curl = `curl -si -H 'Connection: Upgrade' -H 'Upgrade: websocket' -H 'Sec-WebSocket-Version: 13' -H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' -H 'Sec-WebSocket-Protocol: xmpp' ${a.url.replace(/^ws/, 'http')}`;
  /** One finding whose fix is the summary `summaryId` of the code's `fixes` (filled from `summaryData`) with `steps`. */
  const one = (
    code: string,
    messageId: string,
    data: FindingDraft['data'],
    summaryId: string,
    steps: string[] = [curl],
    summaryData?: MessageData,
  ): FindingDraft[] => [{ code, messageId, data, location: loc, evidence, fix: { summaryId, ...(summaryData ? { summaryData } : {}), steps, edits: [] } }];
  if (a.error?.code === 'WS_TOO_LARGE') return one('MXD-JWS-014', 'tooLarge', { url: a.url, limit: '1 MiB' }, 'tooLarge');
  switch (a.outcome) {
    case 'network': {
      const code = a.error?.code ?? 'UNKNOWN';
      const detail = a.error?.message ?? '';
      if (code.startsWith('DNS_')) return one('MXD-JWS-012', 'dns', { url: a.url, host, code }, 'dns', [`dig +short ${host}`], { host });
      if (code.startsWith('TLS_'))
        return one(
          'MXD-JWS-012',
          'tls',
          { url: a.url, code, detail },
          'tls',
          [`openssl s_client -connect ${host} -servername ${host.replace(/:\d+$/, '')} </dev/null`],
          { host },
        );
      if (code === 'TIMEOUT') return one('MXD-JWS-012', 'timeout', { url: a.url, waitedMs: a.waitedMs }, 'timeout');
      return one('MXD-JWS-012', 'tcp', { url: a.url, host, code, detail }, 'tcp', [`cd ${path.dirname(file)} && docker compose ps web`], { host });
    }
    case 'http': {
      const status = a.http?.status ?? 0;
      if (status === 404 && /Whatever you were looking for is not here/.test(a.http?.bodyExcerpt ?? ''))
        return one('MXD-JWS-013', 'notFoundProsody', { url: a.url }, 'notFoundProsody', [
          `ENABLE_XMPP_WEBSOCKET=1   # ${env.where('ENABLE_XMPP_WEBSOCKET')}`,
          recreateAll(file),
        ]);
      if (status === 404)
        return one('MXD-JWS-013', 'notFound', { url: a.url }, 'notFound', [
          `ENABLE_XMPP_WEBSOCKET=1   # ${env.where('ENABLE_XMPP_WEBSOCKET')}`,
          recreateWeb(file),
        ]);
      if (status === 502 || status === 503 || status === 504)
        return one('MXD-JWS-013', 'badGateway', { url: a.url, status }, 'badGateway', [
          `cd ${path.dirname(file)} && docker compose ps prosody && docker compose logs --tail 50 prosody`,
        ]);
      if (status === 501) return one('MXD-JWS-013', 'subprotocol', { url: a.url, detail: 'http501' }, 'passHeader');
      if (status === 200 && /Prosody WebSocket endpoint|It works! Now point your WebSocket client/.test(a.http?.bodyExcerpt ?? ''))
        return one('MXD-JWS-013', 'noUpgrade', { url: a.url }, 'noUpgrade');
      return one('MXD-JWS-013', 'status', { url: a.url, status }, 'status');
    }
    case 'subprotocol':
      return a.subprotocol
        ? one('MXD-JWS-013', 'subprotocolOther', { url: a.url, subprotocol: a.subprotocol }, 'subprotocol')
        : one('MXD-JWS-013', 'subprotocol', { url: a.url, detail: 'none' }, 'subprotocol');
    case 'closed':
      // How it closed (the close code, or the error) is data; nothing to say is a phrase.
      return a.error
        ? one('MXD-JWS-014', 'closed', { url: a.url, detail: a.error.message }, 'closed')
        : one('MXD-JWS-014', 'closedUnexplained', { url: a.url, detail: 'noCloseFrame' }, 'closed');
    case 'silent':
      if (a.frames.length)
        return one(
          'MXD-JWS-014',
          'junk',
          { url: a.url, count: a.frames.length, waitedMs: a.waitedMs, domain: a.xmppDomain, first: JSON.stringify(a.frames[0].slice(0, 80)) },
          'junk',
        );
      return one('MXD-JWS-014', 'silent', { url: a.url, waitedMs: a.waitedMs, domain: a.xmppDomain }, 'silent');
    case 'stream-error': {
      const condition = a.streamError?.condition ?? 'unknown';
      const text = a.streamError?.text ?? condition;
      if (condition === 'host-unknown') return one('MXD-JWS-014', 'hostUnknown', { domain: a.xmppDomain, text }, 'hostUnknown', [recreateAll(file)]);
      return one('MXD-JWS-014', 'streamError', { condition, text }, 'prosodyLog', [`cd ${path.dirname(file)} && docker compose logs --tail 50 prosody`]);
    }
    case 'no-features':
      return one('MXD-JWS-014', 'noFeatures', { url: a.url, domain: a.xmppDomain, waitedMs: a.waitedMs }, 'prosodyLog', [
        `cd ${path.dirname(file)} && docker compose logs --tail 50 prosody`,
      ]);
    case 'features': {
      const mechanisms = a.mechanisms ?? [];
      // The mechanisms offered are data; that there is none is a phrase (messages ending in NoMechanism).
      const data = { domain: a.xmppDomain, mechanisms: mechanisms.length ? mechanisms.join(', ') : 'none' };
      const variant = (messageId: string) => (mechanisms.length ? messageId : `${messageId}NoMechanism`);
      if (mechanisms.includes('ANONYMOUS')) return one('MXD-JWS-015', 'anonymous', data, 'anonymous', []);
      if (!env.bool('ENABLE_AUTH').value) {
        return [
          {
            code: 'MXD-JWS-015',
            messageId: variant('authMismatch'),
            severity: 'warning',
            data,
            location: loc,
            evidence,
            fix: {
              summaryId: 'authMismatch',
              steps: [recreateAll(file)],
              edits: [],
            },
          },
        ];
      }
      if (env.bool('ENABLE_GUESTS').value) {
        const guestDomain = env.value('XMPP_GUEST_DOMAIN') as string;
        return one('MXD-JWS-015', variant('loginGuests'), { ...data, guestDomain }, 'loginGuests', []);
      }
      return one('MXD-JWS-015', variant('login'), data, 'login', []);
    }
    default:
      return [];
  }
}
