// The triage rules: what users, browsers and servers write when a known problem happens, in English and
// Chinese, mapped to its likely cause, the checks that confirm it and the pages that explain it. Pure
// data: adding a rule is adding an entry here and a test with real-looking text (docs/triage.md).
//
// Patterns are matched line by line, case-insensitively. Keep them to the fixed part of a message
// (no timestamps, addresses or user names, use lookarounds for context): a rule's score counts the
// distinct texts it matched, so a log that repeats one error 500 times counts it once.

export interface TriageRule {
  /** Stable id (kebab-case), used in --json and as the anchor of its section in docs/triage.md. */
  id: string;
  /** What users or logs show, one line (docs/triage.md's table, the "no known signature" answer). */
  symptom: string;
  /** The likely cause, one line. */
  title: string;
  /** How much one distinct match counts; rare, exact error strings weigh more than vague complaints. */
  weight: number;
  /** What is recognised: exact error strings, log lines, and how users describe the symptom (English and Chinese). */
  patterns: RegExp[];
  /** Check ids that confirm or rule out the cause (`matrixdoc triage --run`); some may not exist yet. */
  checks: string[];
  /** Finding codes of the cause (each has a page in docs/codes/); empty when its check's codes are not written yet. */
  codes: string[];
  /** Messages of those codes that are about something else (`CODE:messageId`): they never confirm this cause. */
  notConfirmedBy?: string[];
  /** Why this text points at this cause. */
  explanation: string;
  /** What to do first. */
  firstStep: string;
}

/** Lines of an access log (nginx, or Synapse's own) with this HTTP status. */
const status = (code: number) => [
  new RegExp(`(?<=HTTP/[\\d.]+" )${code}\\b`, 'i'),
  new RegExp(`(?<=\\d+B )${code}(?= "(?:GET|POST|PUT|DELETE|OPTIONS) )`, 'i'),
];

/** In order: when two causes score the same, the earlier rule ranks first, so specific rules come before generic ones. */
export const RULES: TriageRule[] = [
  {
    id: 'public-baseurl',
    symptom: 'Element "Syncing forever…" / "If you\'ve joined lots of rooms, this might take a while" after login (一直同步, 同步中)',
    title: "Synapse's public_baseurl (or Element's base_url) sends clients to a URL that is not this homeserver",
    weight: 3,
    patterns: [
      /syncing\W{0,5}forever/i,
      /stuck (?:on|at|in) ["'“]?syncing/i,
      /(?:endless(?:ly)?|infinite(?:ly)?|keeps?|forever) ["'“]?syncing/i,
      /If you['’]ve joined lots of rooms,? this might take a while/i,
      /一直(?:在)?同步/,
      /同步中/,
      /卡在(?:了)?["“]?同步/,
      /加入了(?:很多|大量)(?:的)?房间/,
    ],
    checks: ['public-baseurl', 'element-config', 'homeserver-config'],
    codes: ['MXD-PB-001', 'MXD-PB-003', 'MXD-PB-005', 'MXD-PB-007', 'MXD-HS-010', 'MXD-EL-006', 'MXD-EL-007'],
    explanation:
      'After login, Synapse\'s /login answer carries public_baseurl as the homeserver URL (when it is set) and Element switches to it; if that URL is wrong, or Element\'s base_url is not the homeserver, the first /sync never succeeds and Element shows "Syncing…" forever (matrix-org/synapse#9264).',
    firstStep:
      'Compare public_baseurl in homeserver.yaml with the URL users reach Synapse at (e.g. https://matrix.example.com/): fix it or remove it, restart Synapse, then log out and in again in Element.',
  },
  {
    id: 'ldap-bind',
    symptom: 'LDAP logins fail: "Invalid credentials (49)", LDAPBindError, AD data 52e, LDAP search returned no results',
    title: 'The LDAP module cannot bind or find users: wrong bind_dn/bind_password, login mode, or search filter',
    weight: 3,
    patterns: [
      /Invalid credentials \(49\)/i,
      /\binvalidCredentials\b/,
      /LDAPInvalidCredentialsResult/,
      /LDAPBindError/,
      /ldap3\.core\.exceptions\.LDAP(?!Socket|StartTLS|SessionTerminated)\w+/,
      /AcceptSecurityContext error, data (?:52e|775|533|532|701|773)/i,
      /LDAP search returned (?:no results|too many)/i,
      /Error during LDAP authentication/i,
      /LDAP enabled but missing required config values/i,
      /Either bind_password or bind_password_file must be set/i,
      /3PID LDAP login\/register attempted but LDAP search mode not enabled/i,
      /\bLDAP\b.{0,40}\b(?:login|log in|bind|auth\w*)\b.{0,20}\b(?:fail\w*|error|denied)/i,
      /(?:LDAP|域账号|AD ?账号|域用户).{0,20}(?:登录|登陆|认证|绑定).{0,10}(?:失败|不了|错误|不上)/i,
      /(?:登录|登陆|认证)(?:失败|不了).{0,20}(?:LDAP|域账号|域用户)/i,
    ],
    checks: ['ldap'],
    codes: ['MXD-LDAP-001', 'MXD-LDAP-003', 'MXD-LDAP-004', 'MXD-LDAP-008', 'MXD-LDAP-010', 'MXD-LDAP-012'],
    explanation:
      'matrix-synapse-ldap3 binds as bind_dn (search mode) and searches for the user, or builds <uid>=<login>,<base> and binds as that (simple mode, which never works for Active Directory sAMAccountName). "Invalid credentials (49)" (AD: data 52e) means the DN or password it bound with is wrong.',
    firstStep:
      'Test the service account as the module does: ldapwhoami -x -H <uri> -D "<bind_dn>" -W; then `matrixdoc check --only ldap --ldap-test-user <login>` (password via MATRIXDOC_LDAP_TEST_PASSWORD).',
  },
  {
    id: 'ldap-unreachable',
    symptom: 'LDAP logins fail: LDAPSocketOpenError, "Can\'t contact LDAP server", TLS errors',
    title: 'Synapse cannot connect to the LDAP server (address, port, firewall, or TLS)',
    weight: 3,
    patterns: [
      /LDAPSocketOpenError/,
      /LDAPSocketReceiveError|LDAPSocketSendError/,
      /LDAPSessionTerminatedByServerError/,
      /LDAPStartTLSError/,
      /socket connection error while opening/i,
      /invalid server address/i,
      /Can't contact LDAP server/i,
      /certificate verify failed.{0,80}(?:ldap|:636)/i,
      /(?:ldaps?:\/\/|:636).{0,80}certificate verify failed/i,
      /(?:连不上|无法连接|连接不上)\s*(?:到)?\s*(?:LDAP|域控|AD)/i,
      /(?:LDAP|域控).{0,10}(?:连不上|连接超时|无法连接)/i,
    ],
    checks: ['ldap'],
    codes: ['MXD-LDAP-006', 'MXD-LDAP-007'],
    explanation:
      'ldap3 raises LDAPSocketOpenError when the uri in the module config does not answer (wrong host or port, firewall), and TLS errors when start_tls or ldaps:// meets a certificate Synapse does not trust.',
    firstStep: 'From the Synapse host: nc -vz <ldap host> 389 (or 636), then `matrixdoc check --only ldap`.',
  },
  {
    id: 'rate-limit',
    symptom: 'Logins refused: M_LIMIT_EXCEEDED, 429 Too Many Requests, retry_after_ms, "There was a problem communicating with homeserver" (无法登录)',
    title: 'Logins refused with 429 M_LIMIT_EXCEEDED: Synapse sees every user as the proxy (x_forwarded missing), so all share one login rate limit',
    weight: 3,
    patterns: [
      /M_LIMIT_EXCEEDED/,
      /\bretry_after_ms\b/i,
      /\b(?:429 )?Too Many Requests\b/i,
      /SynapseError: 429\b/i,
      ...status(429),
      /There was a problem communicating with (?:the )?homeserver/i,
      /\brate[- ]?limit(?:ed|ing)?\b/i,
      /can(?:no|')t (?:log ?in|sign ?in)|unable to (?:log ?in|sign ?in)|login (?:fails|failed|failure)/i,
      /无法登[录陆]/,
      /登[录陆](?:失败|不了|不上)/,
      /请求(?:过于|太)频繁/,
      /频率限制|限流|限速/,
    ],
    checks: ['rate-limits', 'reverse-proxy'],
    codes: ['MXD-RL-001', 'MXD-RL-008', 'MXD-RL-010', 'MXD-RP-003'],
    explanation:
      'Behind nginx without x_forwarded: true on its listener, Synapse sees every client as 127.0.0.1/::1, so rc_login.address (5 logins, then one every ~333 s) is one bucket for everybody: after a few logins all users get 429 M_LIMIT_EXCEEDED, which Element shows as "There was a problem communicating with homeserver". Raising rc_messages_per_second does not touch login limits.',
    firstStep:
      'Set x_forwarded: true on the listener nginx proxies to and make nginx send proxy_set_header X-Forwarded-For $remote_addr; restart Synapse (matrixdoc fix can write the listener change).',
  },
  {
    id: 'homeserver-unreachable',
    symptom: 'Element: "There was a problem communicating with homeserver", "Cannot reach homeserver", CORS or net::ERR_ errors in the console',
    title: 'Element cannot reach the homeserver: wrong base_url, CORS, TLS or the proxy does not forward /_matrix',
    weight: 2,
    patterns: [
      /There was a problem communicating with (?:the )?homeserver/i,
      /Cannot reach homeserver/i,
      /Unable to connect to Homeserver/i,
      /Homeserver URL does not appear to be a valid Matrix homeserver/i,
      /blocked by CORS policy/i,
      /No ['‘"]Access-Control-Allow-Origin['’"] header/i,
      /net::ERR_[A-Z_]+/,
      /TypeError: Failed to fetch/,
      /与主服务器通[讯信]时出现问题/,
      /(?:无法|不能)连接(?:到)?(?:主)?服务器/,
      /连不上(?:主)?服务器/,
    ],
    checks: ['element-config', 'public-baseurl', 'well-known', 'reverse-proxy'],
    codes: ['MXD-EL-004', 'MXD-EL-011', 'MXD-PB-001', 'MXD-PB-005', 'MXD-PB-006', 'MXD-WK-008', 'MXD-WK-012', 'MXD-RP-005'],
    explanation:
      'Element shows these when its requests to the homeserver fail: the base_url in config.json or the client well-known does not answer /_matrix/client/versions, the answer lacks CORS headers, the certificate is not trusted, or nginx does not pass /_matrix to Synapse. Element shows the same text for 429 rate limiting.',
    firstStep:
      "Open <base_url>/_matrix/client/versions from the user's browser (base_url from Element's config.json): it must return JSON with Access-Control-Allow-Origin: *.",
  },
  {
    id: 'jitsi-public-url',
    symptom: 'Jitsi: "You have been disconnected", "The WebSocket connection could not be established", the second person drops (连接会断开)',
    title: 'Jitsi\'s PUBLIC_URL is not the address users open, so the XMPP WebSocket fails ("You have been disconnected")',
    weight: 3,
    patterns: [
      /You have been disconnected/i,
      /The WebSocket connection could not be established or was disconnected/i,
      /wss:\/\/localhost(?::\d+)?\/xmpp-websocket/i,
      /WebSocket connection to ['"]?wss?:\/\/[^'"\s]{1,200}\/(?:xmpp-websocket|colibri-ws)/i,
      /xmpp-websocket\S{0,200} (?:failed|error|closed)/i,
      /Websocket closed une\w{0,4}ctedly/i,
      /Channel closed: 1006/i,
      /second (?:person|participant|user)(?: who)? (?:joins|joined|enters|comes in)/i,
      /连接(?:会|就|已|被)?断开/,
      /断开(?:了)?连接/,
      /第二个人(?:进入|加入|进来)/,
      /只能有一个人/,
    ],
    checks: ['jitsi-websocket', 'element-config'],
    codes: [
      'MXD-JWS-001',
      'MXD-JWS-002',
      'MXD-JWS-004',
      'MXD-JWS-009',
      'MXD-JWS-010',
      'MXD-JWS-012',
      'MXD-JWS-013',
      'MXD-JWS-014',
      'MXD-JWS-016',
      'MXD-EL-008',
    ],
    explanation:
      'docker-jitsi-meet writes PUBLIC_URL into config.js as the XMPP WebSocket (wss://<PUBLIC_URL host>/xmpp-websocket) and BOSH address. If it is not exactly what users type (scheme, host, non-standard port), the browser loads the page but the WebSocket fails: "You have been disconnected", often when the second participant joins.',
    firstStep:
      "Set PUBLIC_URL in docker-jitsi-meet's .env to the exact URL users open (with the port if not 443), then `docker compose up -d --force-recreate`; check that wss://<host>/xmpp-websocket upgrades.",
  },
  {
    id: 'jitsi-xmpp-auth',
    symptom:
      'Jitsi: meetings never start ("Waiting for the host"/conference failed); jicofo, jvb or prosody logs show SASL not-authorized, host-unknown or "password must be set" (会议无法开始)',
    title: "Jitsi's own services cannot sign in to prosody: an empty or changed service password, or XMPP domains that do not match",
    weight: 4,
    patterns: [
      /FATAL ERROR: (?:Jicofo|JVB|Jigasi|Jibri recorder) (?:auth )?password (?:and auth password )?must be set/i,
      /SASLError using [\w-]+: not-authorized/i,
      /SASLErrorException.{0,120}not-authorized/i,
      /Authentication failed for (?:focus|jvb|jigasi|jibri|recorder)@auth\./i,
      /<host-unknown\b/i,
      /\bhost-unknown\b.{0,80}\b(?:xmpp|stream|prosody)\b/i,
      /(?:jicofo|jvb|videobridge).{0,80}(?:not-authorized|authentication failed)/i,
      /(?:jicofo|jvb|prosody).{0,40}(?:密码|认证|鉴权).{0,20}(?:失败|错误|为空|不能为空)/i,
      /会议(?:一直)?无法(?:开始|启动)/,
    ],
    checks: ['jitsi-websocket'],
    codes: ['MXD-JWS-004', 'MXD-JWS-005', 'MXD-JWS-014', 'MXD-JWS-015'],
    explanation:
      'jicofo and the videobridge log in to prosody with the passwords in docker-jitsi-meet\'s .env (JICOFO_AUTH_PASSWORD, JVB_AUTH_PASSWORD). Empty ones stop the containers ("FATAL ERROR: … password must be set"); ones changed after the first start no longer match prosody\'s stored accounts (SASL not-authorized); an XMPP domain that differs between the services makes prosody answer host-unknown. Either way no conference can start.',
    firstStep:
      'Run gen-passwords.sh in the docker-jitsi-meet folder (or set the passwords in .env), delete the old config volume (~/.jitsi-meet-cfg) so prosody takes the new accounts, then `docker compose up -d --force-recreate`.',
  },
  {
    id: 'jitsi-jvb',
    symptom: 'Jitsi: no audio or video once three or more people join (超过 3 人没有声音)',
    title: 'The Jitsi videobridge advertises an address clients cannot reach (JVB_ADVERTISE_IPS, UDP 10000): no audio or video with 3+ participants',
    weight: 3,
    patterns: [
      /\bno (?:audio|video|sound|media)\b.{0,80}\b(?:three|3|third|more than (?:two|2)|3\+)\b/i,
      /\b(?:three|3|third|more than (?:two|2)|3\+)(?: or more)? (?:participants?|people|persons|users|attendees)\b.{0,80}\bno (?:audio|video|sound|media)\b/i,
      /videobridgeNotAvailable/i,
      /ICE state changed .{0,60}new=Failed/i,
      /(?:不|没有|未)(?:指定|设置|配置)\s*`?JVB_ADVERTISE_IPS/i,
      /(?:without|missing|no|unset|not set|empty)\s+`?JVB_ADVERTISE_IPS/i,
      /(?:超过|多于|大于|三|3)\s*(?:个)?人.{0,20}(?:没有?|无)(?:声音|画面|视频|音频)/,
      /(?:没有?|无)(?:声音|画面|视频|音频).{0,20}(?:超过|多于|三|3)\s*(?:个)?人/,
      /第三个人(?:进入|加入|进来)/,
      /(?:会议|开会).{0,20}(?:没有?|无)(?:声音|画面|视频|音频)/,
      /\b(?:meeting|conference)s?\b.{0,60}\bno (?:audio|video|sound)\b/i,
    ],
    checks: ['jitsi-jvb'],
    codes: ['MXD-JVB-001', 'MXD-JVB-002', 'MXD-JVB-003', 'MXD-JVB-004', 'MXD-JVB-005', 'MXD-JVB-008'],
    explanation:
      'Two-person Jitsi calls are peer-to-peer; from three participants on, media goes through the JVB on UDP 10000. If the JVB advertises only its Docker-internal address (JVB_ADVERTISE_IPS unset, or STUN finds the wrong one) or UDP 10000 is blocked, ICE to the bridge fails and nobody hears anybody.',
    firstStep:
      "Set JVB_ADVERTISE_IPS in docker-jitsi-meet's .env to the host's address users reach (LAN IP, or LAN,public for split horizon), open UDP 10000, and recreate the jvb container.",
  },
  {
    id: 'yaml-syntax',
    symptom: 'Synapse will not start: PyYAML "found character \'\\t\' that cannot start any token", indentation errors (缩进, tab)',
    title: 'homeserver.yaml is not valid YAML for Synapse: a tab, or wrong indentation',
    weight: 3,
    patterns: [
      /found character .{1,4} that cannot start any token/i,
      /while scanning for the next token/i,
      /yaml\.(?:scanner\.ScannerError|parser\.ParserError|composer\.ComposerError)/,
      /mapping values are not allowed here/i,
      /did not find expected key/i,
      /expected <block end>, but found/i,
      /while parsing a block mapping/i,
      /\btabs?\b.{0,40}(?:indent|缩进)/i,
      /(?:indent\w*|缩进).{0,40}\btabs?\b/i,
      /缩进(?:错误|不对|有误|问题)/,
      /制表符/,
    ],
    checks: ['homeserver-config'],
    codes: ['MXD-HS-001', 'MXD-HS-002', 'MXD-HS-011'],
    explanation:
      'Synapse reads homeserver.yaml with PyYAML, which rejects a tab anywhere between tokens ("found character \'\\t\' that cannot start any token") and stops with a traceback; a mis-indented key is silently read as another setting.',
    firstStep:
      "Find the tabs: grep -nP '\\t' homeserver.yaml; replace them with spaces (4 per level is conventional), then `matrixdoc check --only homeserver-config`.",
  },
  {
    id: 'synapse-config-error',
    symptom: 'Synapse will not start: ConfigError, report_stats or server_name missing',
    title: 'Synapse refuses its configuration: a missing or invalid setting',
    weight: 3,
    patterns: [
      /Please opt in or out of reporting homeserver usage statistics/i,
      /Missing mandatory `?server_name`? config option/i,
      /Error in configuration at '/i,
      /synapse\.config\._base\.ConfigError/,
      /\bConfigError: /,
      /Invalid scheme '[^']{0,40}': only https and http are supported/i,
      /public_baseurl cannot contain query parameters/i,
      /is empty or doesn't parse into a key-value map/i,
      /synapse (?:won't|will not|does not|doesn't|fails to|failed to|can't|cannot) start/i,
      /synapse.{0,20}(?:启动不了|无法启动|启动失败|起不来)/i,
    ],
    checks: ['homeserver-config'],
    codes: ['MXD-HS-004', 'MXD-HS-005', 'MXD-HS-006', 'MXD-HS-008', 'MXD-HS-009', 'MXD-HS-010'],
    explanation:
      'Synapse validates homeserver.yaml at start and exits on a ConfigError: report_stats and server_name are mandatory, values must have the right type, removed options are refused, public_baseurl must be an http(s) URL without query.',
    firstStep:
      'Run `matrixdoc check --only homeserver-config` on the homeserver.yaml Synapse reads (and its conf.d files); Synapse itself can validate with `python -m synapse.config -c homeserver.yaml`.',
  },
  {
    id: 'upload-too-large',
    symptom: 'Uploads fail: 413 Request Entity Too Large, M_TOO_LARGE (请求实体过大)',
    title: "nginx refuses uploads above client_max_body_size (413 Request Entity Too Large), below Synapse's max_upload_size",
    weight: 3,
    patterns: [
      /\b(?:413 )?Request Entity Too Large\b/i,
      /\b413\b.{0,20}(?:Payload|Content) Too Large/i,
      /client intended to send too large body/i,
      /M_TOO_LARGE/,
      ...status(413),
      /exceeds this homeserver['’]s size limit for uploads/i,
      /请求实体过大/,
      /(?:文件|图片|视频|附件)(?:太|过)大/,
      /上传.{0,15}(?:失败|不了|出错)/,
    ],
    checks: ['reverse-proxy', 'homeserver-config'],
    codes: ['MXD-RP-002'],
    explanation:
      "nginx's default client_max_body_size is 1m: any larger upload is refused by nginx with 413 before Synapse (max_upload_size, default 50M) sees it.",
    firstStep:
      "Set client_max_body_size to Synapse's max_upload_size (e.g. 50M) in the nginx location that proxies /_matrix, then nginx -t && systemctl reload nginx.",
  },
  {
    id: 'federation-signature',
    symptom: 'Federation 401s: "Signature verification failed", "Failed to find any key to satisfy", M_UNAUTHORIZED',
    title: 'Federation requests fail their signature check (401): nginx rewrites the URI (a path after the port in proxy_pass), or the server keys are wrong',
    weight: 3,
    patterns: [
      /Signature verification failed/i,
      /Failed to find any key to satisfy/i,
      /Invalid signature for server/i,
      /M_UNAUTHORIZED.{0,200}(?:federation|signature|X-Matrix|origin)/i,
      /(?:federation|X-Matrix).{0,200}M_UNAUTHORIZED/i,
      /Missing Authorization headers/i,
      /(?<="(?:GET|PUT|POST) \/_matrix\/(?:federation|key)\/\S{0,300} HTTP\/[\d.]+" )401\b/,
      /(?<=\d+B )401(?= "(?:GET|PUT|POST) \/_matrix\/(?:federation|key)\/)/,
      /签名验证失败/,
      /联邦.{0,15}(?:签名|401|未授权)/,
    ],
    checks: ['federation', 'reverse-proxy'],
    codes: ['MXD-RP-001', 'MXD-FED-012', 'MXD-FED-013', 'MXD-FED-014', 'MXD-FED-015', 'MXD-FED-016'],
    explanation:
      "Every federation request is signed over its exact URI. A path after the port in nginx's proxy_pass (even a single /) makes nginx decode and normalise the URI, so Synapse computes a different signature and answers 401; other servers also reject this server when its /_matrix/key/v2/server answer is not validly self-signed for its name.",
    firstStep:
      'Make every proxy_pass to Synapse end at the port (proxy_pass http://localhost:8008;), reload nginx, then run `matrixdoc check --only federation` online.',
  },
  {
    id: 'federation-unreachable',
    symptom: 'Cannot join or talk to rooms on other servers; federation tester failures',
    title: 'Other homeservers cannot reach this one: delegation (well-known/SRV), port 8448, DNS or the certificate',
    weight: 2,
    patterns: [
      /Failed to connect to remote server/i,
      /Failed to send request: /i,
      /DNSLookupError/,
      /NotRetryingDestination|Not retrying server/i,
      /No known servers/i,
      /federationtester\.matrix\.org|federation tester/i,
      /can(?:no|')t (?:join|reach) (?:rooms? on )?(?:other|remote|external) (?:servers?|homeservers?)/i,
      /联邦.{0,15}(?:不通|失败|连不上|无法)/,
      /(?:无法|不能)加入(?:其他|外部|别的)服务器(?:的|上的)?房间/,
      /(?:无法|不能).{0,6}(?:和|与)(?:其他|外部)服务器(?:通信|联通|互通)/,
    ],
    checks: ['federation', 'well-known', 'reverse-proxy'],
    codes: [
      'MXD-FED-002',
      'MXD-FED-006',
      'MXD-FED-007',
      'MXD-FED-008',
      'MXD-FED-009',
      'MXD-FED-011',
      'MXD-WK-002',
      'MXD-WK-005',
      'MXD-WK-011',
      'MXD-RP-006',
      'MXD-RP-007',
    ],
    explanation:
      'Other servers find this one through https://<server_name>/.well-known/matrix/server, then SRV records, then port 8448, and need a certificate valid for the name the spec requires at that step; any broken link makes joins and invites across servers fail.',
    firstStep: 'Run `matrixdoc check --only federation,well-known --server-name <server_name>` from outside the network (or use federationtester.matrix.org).',
  },
  {
    id: 'turn-credentials',
    symptom: 'Calls fail: coturn "check_stun_auth: Cannot find credentials", 401 Unauthorized; Element "Call failed due to misconfigured server"',
    title: 'coturn rejects the TURN credentials Synapse hands out (turn_shared_secret differs from static-auth-secret, or they expire)',
    weight: 3,
    patterns: [
      /check_stun_auth: Cannot find credentials/i,
      /Cannot find credentials of user/i,
      /incoming packet \w+ processed, error 401/i,
      /error 401: Unauthorized/i,
      /\b401 Unauthorized\b.{0,60}(?:turn|coturn|allocat)/i,
      /TURN (?:server )?credentials? (?:rejected|invalid|expired)/i,
      /Call failed due to misconfigured server/i,
      /configure a TURN server/i,
      /TURN.{0,20}(?:认证|鉴权|凭据|密码).{0,10}(?:失败|错误)/i,
      /(?:认证|鉴权)失败.{0,20}TURN/i,
    ],
    checks: ['turn'],
    codes: ['MXD-TURN-002', 'MXD-TURN-003', 'MXD-TURN-009', 'MXD-TURN-010', 'MXD-TURN-014'],
    // A lifetime that is too long is a security warning, not a reason for credentials to be rejected.
    notConfirmedBy: ['MXD-TURN-003:long'],
    explanation:
      "Synapse's /voip/turnServer computes a TURN username and password from turn_shared_secret (HMAC-SHA1, expiry = now + turn_user_lifetime); coturn accepts them only with use-auth-secret and the same static-auth-secret, before the expiry. A bare turn_user_lifetime of 86400 means 86.4 seconds.",
    firstStep:
      'Compare turn_shared_secret in homeserver.yaml with static-auth-secret in turnserver.conf (coturn needs use-auth-secret), and write turn_user_lifetime with a unit (1h or 86400000).',
  },
  {
    id: 'turn-unreachable',
    symptom: 'Calls never connect or have no audio: ICE failed, coturn 403 Forbidden IP (通话失败)',
    title: 'Calls cannot connect (ICE failed): the TURN server is unreachable, refuses the relay, or relays to an unreachable address',
    weight: 2,
    patterns: [
      /\bICE failed\b/i,
      /\bICE (?:connection )?(?:state )?(?:changed to |is |= ?)?["']?failed\b/i,
      /iceConnectionState.{0,20}failed/i,
      /\bICE (?:connection )?(?:state )?disconnected\b/i,
      /\b(?:403:? )?Forbidden IP\b/i,
      /incoming packet \w+ processed, error 403/i,
      /call (?:is )?(?:stuck|hangs?|keeps?) (?:on |at |in )?["“]?(?:connecting|calling)/i,
      /\b(?:one|1)[- ]way audio\b/i,
      /\bno (?:audio|sound)\b/i,
      /单向(?:声音|音频|语音)/,
      /没有声音/,
      /通话.{0,10}(?:失败|连不上|无法接通|一直(?:在)?连接)/,
      /呼叫失败/,
    ],
    checks: ['turn'],
    codes: ['MXD-TURN-001', 'MXD-TURN-005', 'MXD-TURN-006', 'MXD-TURN-007', 'MXD-TURN-008', 'MXD-TURN-011', 'MXD-TURN-013'],
    explanation:
      'When two clients cannot reach each other directly they relay through TURN: if the TURN host does not resolve or answer (UDP/TCP 3478, TLS 5349, relay ports 49152-65535), or coturn denies the peer (403 Forbidden IP from denied-peer-ip) or relays from a private address, ICE fails and the call never connects or has no audio.',
    firstStep:
      "Check that turn_uris names a host clients resolve, that 3478 (UDP and TCP) and the relay port range are open, and that coturn's external-ip / allowed-peer-ip fit the network; then `matrixdoc check --only turn`.",
  },
  {
    id: 'database-locale',
    symptom: 'Synapse will not start: "Database has incorrect collation of … Should be \'C\'", wrong encoding',
    title: "Synapse's PostgreSQL database has the wrong locale or encoding (collation/ctype must be C, encoding UTF8)",
    weight: 3,
    patterns: [
      /Database has incorrect (?:collation|ctype) of/i,
      /Database has incorrect encoding/i,
      /Database is incorrectly configured/i,
      /'(?:COLLATE|CTYPE)' is set to/i,
      /Should be 'C'/,
      /allow_unsafe_locale/,
      /IncorrectDatabaseSetup/,
      /数据库.{0,20}(?:排序规则|collat\w*|ctype|locale|区域设置|字符集|编码)/i,
      /(?:排序规则|区域设置).{0,20}(?:不对|错误|不正确|不匹配)/,
    ],
    checks: ['database'],
    codes: ['MXD-DB-002', 'MXD-DB-008', 'MXD-DB-009'],
    explanation:
      "Synapse refuses a database whose LC_COLLATE or LC_CTYPE is not exactly 'C' (C.UTF-8 and en_US.UTF-8 fail too) or whose encoding is not UTF8. allow_unsafe_locale belongs directly under database:, not under args:.",
    firstStep:
      "Create the database as Synapse's docs say: createdb --encoding=UTF8 --locale=C --template=template0 --owner=synapse synapse (and move the data), or set database.allow_unsafe_locale: true knowing the risk.",
  },
  {
    id: 'database-connection',
    symptom: 'Synapse will not start: PostgreSQL connection refused, password authentication failed, database does not exist',
    title: 'Synapse cannot use its PostgreSQL database: unreachable, wrong password, missing database or role, too old, or too few connections',
    weight: 3,
    patterns: [
      /could not connect to server/i,
      /connection to server at .{0,100} failed/i,
      /password authentication failed for user/i,
      /FATAL:\s+(?:database|role) "[^"]{0,64}" does not exist/i,
      /no pg_hba\.conf entry for/i,
      /Synapse requires PostgreSQL \d+ or above/i,
      /psycopg2\.OperationalError/,
      /remaining connection slots are reserved|too many clients already/i,
      /invalid dsn: invalid connection option/i,
      /permission denied for (?:schema|table|database|relation) /i,
      /数据库.{0,10}(?:连不上|连接失败|无法连接|密码错误)/,
    ],
    checks: ['database'],
    codes: ['MXD-DB-002', 'MXD-DB-004', 'MXD-DB-005', 'MXD-DB-006', 'MXD-DB-007', 'MXD-DB-010', 'MXD-DB-011'],
    explanation:
      "Synapse connects with the database.args of homeserver.yaml (passed to psycopg2): host, port, user, password and dbname must match a role and database PostgreSQL accepts from Synapse's address (pg_hba.conf), PostgreSQL must be 14 or newer, and max_connections must cover cp_max.",
    firstStep: 'Connect as Synapse would: psql "host=<host> user=<user> dbname=<dbname>" from the Synapse host, then `matrixdoc check --only database`.',
  },
  {
    id: 'element-config-invalid',
    symptom: 'Element: "Invalid configuration: no default server specified", "Your Element is misconfigured"',
    title: "Element Web's config.json is invalid or names no usable homeserver",
    weight: 3,
    patterns: [
      /Invalid configuration: /i,
      /Your \S{1,40} is misconfigured/i,
      /configuration contains invalid JSON/i,
      /Invalid base_url for m\.homeserver/i,
      /Ask your \S{1,40} admin to check your config/i,
      /Element.{0,10}配置.{0,10}(?:有误|错误|无效)/i,
    ],
    checks: ['element-config'],
    codes: ['MXD-EL-001', 'MXD-EL-002', 'MXD-EL-003', 'MXD-EL-004', 'MXD-EL-010'],
    explanation:
      'Element reads config.json (or config.<host>.json first) at start: invalid JSON, no default_server_config, conflicting default_hs_url/default_server_name, or a base_url that is not an absolute URL stop it before the login page.',
    firstStep:
      'Run `matrixdoc check --only element-config --element-config <the config.json nginx serves>` (check config.<hostname>.json too: Element loads it first).',
  },
  {
    id: 'bad-gateway',
    symptom: '502 Bad Gateway / 504 Gateway Timeout from nginx; "connect() failed (111: Connection refused) while connecting to upstream"',
    title: "nginx cannot reach Synapse (502/504): Synapse is down, or proxy_pass does not match Synapse's listener",
    weight: 2,
    patterns: [
      /502 Bad Gateway/i,
      /504 Gateway Time-?out/i,
      /connect\(\) failed \(111: Connection refused\) while connecting to upstream/i,
      /upstream timed out \(110/i,
      /no live upstreams/i,
      /upstream prematurely closed connection/i,
      ...status(502),
      ...status(504),
      /网关错误/,
    ],
    checks: ['reverse-proxy'],
    codes: ['MXD-RP-005'],
    explanation:
      'nginx answers 502 when nothing listens where proxy_pass points (Synapse stopped, crashed at start, or listens on another port or address: localhost may be ::1 while Synapse binds 127.0.0.1) and 504 when Synapse does not answer in time.',
    firstStep:
      "Is Synapse running (systemctl status matrix-synapse, or synctl)? Compare proxy_pass with the listeners' port and bind_addresses in homeserver.yaml; read nginx's error.log.",
  },
];
