// Simplified Chinese messages (简体中文). Keys: finding code, then messageId; placeholders as in English.
// Config keys, file names and the error strings Synapse, Element and PyYAML print stay in English (that is
// what the admin sees in logs and in the browser); only the explanation around them is translated.

import type { Catalog } from './index.js';

export const zhHans: Catalog = {
  // homeserver-config: Synapse homeserver.yaml
  'MXD-HS-001': {
    tabIndent: '第 {{line}} 行使用制表符缩进，Synapse 无法读取该文件（PyYAML 报错："found character \'\\t\' that cannot start any token"）。',
    tabBetween: '第 {{line}} 行第 {{column}} 列有制表符；PyYAML 不只在缩进中、在各记号之间也不允许出现制表符，因此 Synapse 无法读取该文件。',
    moreTabs: '另有 {{count}} 行含有制表符（行号：{{lines}}）。',
  },
  'MXD-HS-002': {
    syntax: 'YAML 语法错误：{{detail}}。',
  },
  'MXD-HS-003': {
    duplicate: "配置项 '{{key}}' 定义了不止一次；Synapse 只采用最后一处且不会给出任何提示，前面那段配置不会生效。",
  },
  'MXD-HS-004': {
    notMap: '该文件为空，或者不是键值映射（解析结果：{{found}}）；Synapse 会忽略它（日志："doesn\'t parse into a key-value map. IGNORING."）。',
  },
  'MXD-HS-005': {
    missing: '缺少 server_name；Synapse 拒绝启动（"Missing mandatory `server_name` config option."）。',
    invalid: "server_name '{{value}}' 不是有效的服务器名（格式应为 hostname[:port]，不能带 https:// 之类的协议头或路径）；Synapse 拒绝启动。",
    mismatch: "server_name 为 '{{value}}'，但传给 matrixdoc 的服务器名是 '{{expected}}'。",
  },
  'MXD-HS-006': {
    missing: '缺少 report_stats；虽然文档称其默认值为 false，但只要没有显式设为 true 或 false，Synapse 就会拒绝启动。',
  },
  'MXD-HS-007': {
    deprecated: "'{{key}}' 自 Synapse {{since}} 起已弃用，请改用 {{replacement}}。若新旧配置项同时存在：{{whenBoth}}。",
    ignored: "'{{key}}' 不起作用：配置中同时存在 {{ignoredWhen}}，Synapse 会忽略这个旧配置项。请把它的值移到 {{replacement}} 中，或删除这一行。",
  },
  'MXD-HS-008': {
    wrongType: '{{key}} 应为 {{expected}}，实际为 {{found}}；后果：{{consequence}}。',
    quotedBool: "{{key}} 是带引号的字符串 '{{value}}'，而不是布尔值；后果：{{consequence}}。",
    notOneOf: '{{key}} 的值为 {{found}}；Synapse 只接受以下取值：{{allowed}}。',
  },
  'MXD-HS-009': {
    fatal: '\'{{key}}\' 已在 Synapse {{since}} 中移除，现在会导致 Synapse 无法启动，报错："{{effect}}"',
    ignored: "'{{key}}' 已在 Synapse {{since}} 中移除，会被静默忽略（{{effect}}）。",
  },
  'MXD-HS-010': {
    scheme: 'public_baseurl \'{{value}}\' 必须以 https://（或 http://）开头；Synapse 拒绝启动（"Invalid scheme"）。',
    query: "public_baseurl '{{value}}' 带有查询参数或 # 片段；Synapse 拒绝启动。",
    invalid: "public_baseurl '{{value}}' 不是合法的 URL；Synapse 拒绝启动。",
    path: "public_baseurl '{{value}}' 中包含 /_matrix；它应当是客户端填写的基础 URL，不能带任何 API 路径。",
  },
  'MXD-HS-011': {
    misindented: "'{{key}}' 位于顶层，但它应当缩进到 {{section}} 之下；缩进错误的行会被 Synapse 静默忽略。",
  },

  // element-config: Element Web config.json
  'MXD-EL-001': {
    syntax: 'config.json 不是合法的 JSON：{{detail}}；Element 会显示 "Your Element configuration contains invalid JSON" 并且无法启动。',
    notObject: 'config.json 的顶层必须是一个 JSON 对象；否则 Element 无法使用它。',
  },
  'MXD-EL-002': {
    none: 'config.json 没有指定任何主服务器（default_server_config、default_server_name 或 default_hs_url）；Element 会显示 "Invalid configuration: no default server specified."',
  },
  'MXD-EL-003': {
    conflict:
      'default_hs_url 不能与 {{other}} 同时使用；Element 拒绝启动（"Invalid configuration: a default_hs_url can\'t be specified along with default_server_name or default_server_config"）。',
  },
  'MXD-EL-004': {
    missing: 'default_server_config 中没有 m.homeserver.base_url；Element 会报错 "Invalid homeserver discovery response"。',
    invalid: 'base_url \'{{value}}\' 不是完整的 http(s) 绝对 URL；Element 会报错 "Invalid base_url for m.homeserver"。',
  },
  'MXD-EL-005': {
    mismatch:
      "Element 的 m.homeserver.server_name 是 '{{element}}'，但 {{otherSource}} 给出的是 '{{other}}'；用户会看到错误的服务器名，登录时显示的用户 ID 也不对。",
  },
  'MXD-EL-006': {
    mismatch:
      'Element 的 base_url 是 {{element}}，但 Synapse 的 public_baseurl 是 {{publicBaseurl}}；登录后 Synapse 会通过登录响应中的 well_known 让 Element 改用 {{publicBaseurl}}，这正是 "Syncing forever"（一直卡在同步）的典型原因。',
  },
  'MXD-EL-007': {
    mismatch:
      'Element 的 base_url 是 {{element}}，但 https://{{host}}/.well-known/matrix/client（由 nginx 提供，{{where}}）给出的是 {{wellKnown}}；其他客户端以及用用户 ID 登录时，连接的 URL 会与 Element 不同。',
    invalidJson: 'nginx 为 https://{{host}}/.well-known/matrix/client（{{where}}）返回的响应体不是合法的 JSON：{{detail}}。',
  },
  'MXD-EL-008': {
    mismatch:
      "Element 的 jitsi.preferred_domain 是 '{{element}}'，但 Jitsi 的 PUBLIC_URL 主机名是 '{{jitsi}}'；Element 发起的视频通话会打开另一台 Jitsi 服务器。",
  },
  'MXD-EL-009': {
    shadowed: "'{{camel}}' 被忽略，因为同时设置了 '{{snake}}'：Element 读取 snake_case 写法的配置项，且不会合并两者，因此 {{lost}} 不会生效。",
    camel: "'{{camel}}' 是旧的 camelCase 写法；Element 会优先读取 '{{snake}}'，并且今后将不再支持 camelCase 配置项。请改名。",
    camelDefault: "'{{camel}}' 永远不会被读取：Element 内置的 '{{snake}}' 默认值总是优先于 camelCase 写法。请将其改名为 '{{snake}}'。",
    removed: "Element 已不再读取 '{{key}}'（{{why}}）。",
    deprecatedServer: '\'{{key}}\' 已弃用；Element 会给出警告 "DEPRECATED CONFIG OPTION"。请改用 default_server_config。',
  },
  'MXD-EL-010': {
    duplicate: "'{{key}}' 出现了两次；浏览器只保留最后一个，前一个不起作用。",
  },
  'MXD-EL-011': {
    unreachable: 'Element 在登录前会请求 {{url}}，但请求失败（{{reason}}）；用户会看到 "Cannot reach homeserver"。',
    notMatrix:
      'Element 在登录前会请求 {{url}}，得到 HTTP {{status}}，响应中却没有 versions 列表；Element 会提示 "Homeserver URL does not appear to be a valid Matrix homeserver"。',
  },
  'MXD-EL-012': {
    unknown:
      "{{key}} '{{value}}' 不是 Element 支持的语言（语言代码均为小写并用连字符分隔，例如 '{{suggestion}}'）；Element 会静默回退到英语，并在每个浏览器中记住这一选择。",
  },
  // federation: server discovery, TLS and keys, as other homeservers see them
  'MXD-FED-001': {
    ipLiteral: '服务器名是一个 IP 地址：其他服务器会连接 {{targets}}（第 {{step}} 步），并要求证书对 IP 地址 {{certificateName}} 有效，且不发送 SNI。',
    explicitPort:
      '服务器名带有显式端口：其他服务器会连接 {{targets}}（第 {{step}} 步），发送 Host: {{hostHeader}}，并要求证书对 {{certificateName}} 有效；不会查询 well-known 或 SRV 记录。',
    delegated:
      '通过 well-known 委托给 {{delegated}}（第 {{step}} 步）：其他服务器会连接 {{targets}}，发送 Host: {{hostHeader}}，并要求证书对 {{certificateName}} 有效。',
    srv: '没有可用的 well-known（{{why}}）；改用 {{srvName}}（第 {{step}} 步）：其他服务器会连接 {{targets}}，发送 Host: {{hostHeader}}，并要求证书对 {{certificateName}} 有效。',
    defaultPort: '没有可用的 well-known（{{why}}），也没有 SRV 记录：其他服务器会连接 {{targets}}（第 {{step}} 步），并要求证书对 {{certificateName}} 有效。',
  },
  'MXD-FED-002': {
    noAddress: '{{host}} 没有 A 或 AAAA 记录（{{reason}}）；按第 {{step}} 步，其他服务器必须连接 {{target}}，因此没有任何服务器能访问本服务器。',
    srvFailed: '{{name}} 的 DNS 查询失败（{{reason}}）；得到这一结果的服务器无法访问本服务器。',
    srvUnavailable: '{{name}} 的目标是 "."（RFC 2782："service not available"）；其他服务器会直接放弃，而不会再尝试 8448 端口。',
  },
  'MXD-FED-003': {
    deprecated: '只有已弃用的 SRV 记录 {{name}}（没有 {{fedName}}）；其他服务器目前仍会使用它，但它自 Matrix 1.8 起已弃用，今后可能不再被查询。',
  },
  'MXD-FED-004': {
    cname: 'SRV 记录 {{name}} 指向 {{target}}，而它是一个 CNAME（{{cname}} 的别名）；RFC 2782 要求 SRV 目标自身必须有 A/AAAA 记录，有些解析器不会跟随别名。',
  },
  'MXD-FED-005': {
    differs: 'https://{{host}}/.well-known/matrix/server 在不同地址上给出的答案不同：{{answers}}；其他服务器能否联邦取决于它们连到了哪个地址。',
  },
  'MXD-FED-006': {
    refused: '连接 {{address}} 的 {{port}} 端口（{{host}}）被拒绝：该端口上没有服务在监听，其他服务器无法访问本服务器。',
    timeout: '连接 {{address}} 的 {{port}} 端口（{{host}}）超时：很可能被防火墙丢弃，其他服务器无法访问本服务器。',
    unreachable: '{{address}} 的 {{port}} 端口（{{host}}）不可达（{{reason}}）：没有到该地址的路由。',
    handshake: '与 {{address}} 的 {{port}} 端口（{{host}}）进行 TLS 握手失败（{{reason}}）：该端口不支持 TLS（可能是明文 HTTP），或没有 {{name}} 的证书。',
    other: '连接 {{address}} 的 {{port}} 端口（{{host}}）失败（{{reason}}）。',
  },
  'MXD-FED-007': {
    untrusted:
      '{{address}} 的 {{port}} 端口上的证书不受信任（{{reason}}，签发者 {{issuer}}）；其他服务器会拒绝它：联邦需要由公共 CA 签发并带完整证书链的证书，自签名证书无效。',
  },
  'MXD-FED-008': {
    wrongName: '{{address}} 的 {{port}} 端口上的证书对 {{name}} 无效（它覆盖的是 {{names}}）；规范在此处要求 {{name}}，原因是：{{why}}（第 {{step}} 步）。',
  },
  'MXD-FED-009': {
    expired: '{{address}} 的 {{port}} 端口上的证书（{{name}}）已于 {{validTo}} 过期；其他服务器会拒绝它。',
    notYetValid: '{{address}} 的 {{port}} 端口上的证书（{{name}}）在 {{validFrom}} 之前无效；其他服务器会拒绝它（或者本机时钟有误）。',
    expiringSoon: '{{address}} 的 {{port}} 端口上的证书（{{name}}）将于 {{validTo}} 过期，还剩 {{days}} 天；尚未完成续期。',
  },
  'MXD-FED-010': {
    oldProtocol: '{{address}} 的 {{port}} 端口协商使用了 {{protocol}}；TLS 1.0 和 1.1 已弃用（RFC 8996），许多服务器会拒绝它们。',
    onlyOld: '{{address}} 的 {{port}} 端口只提供早于 TLS 1.2 的协议（{{reason}}）；当前的服务器会拒绝连接。',
  },
  'MXD-FED-011': {
    failed: '{{address}} 上的 {{url}} 请求失败（{{reason}}）；其他服务器无法与本服务器通信。',
    status: '{{address}} 上的 {{url}} 返回 HTTP {{status}}，而不是服务器版本；联邦请求到达不了 Synapse。',
    notMatrix: '{{address}} 上的 {{url}} 返回 HTTP 200，但没有服务器版本（{{excerpt}}）；响应联邦请求的不是 Synapse。',
  },
  'MXD-FED-012': {
    failed: '{{address}} 上的 {{url}} 请求失败（{{reason}}）；其他服务器无法获取签名密钥，因此会拒绝本服务器的所有事件。',
    status: '{{address}} 上的 {{url}} 返回 HTTP {{status}}；其他服务器无法获取签名密钥，因此会拒绝本服务器的所有事件。',
    notJson: '{{address}} 上的 {{url}} 不是 JSON（{{detail}}）；其他服务器无法读取签名密钥。',
    shape: '{{address}} 上的 {{url}} 不是有效的密钥响应：{{problems}}。',
  },
  'MXD-FED-013': {
    mismatch:
      "{{address}} 上的 {{url}} 声明 server_name 为 '{{got}}'，而不是 '{{expected}}'；该地址属于另一台主服务器，其他服务器会拒绝用它的密钥代表 {{expected}}。",
  },
  'MXD-FED-014': {
    expired: '{{address}} 上的密钥响应的 valid_until_ts 为 {{validUntil}}，已经过去；其他服务器不会再为新事件接受这些密钥。',
    soon: '{{address}} 上的密钥响应只在 {{validUntil}} 之前有效（{{minutes}} 分钟）；规范要求服务器不要发布一小时内就过期的密钥。',
  },
  'MXD-FED-015': {
    none: '{{address}} 上的密钥响应在 verify_keys 中没有 ed25519 密钥（{{keys}}）；其他服务器无法验证本服务器签名的任何内容。',
  },
  'MXD-FED-016': {
    missing: "{{address}} 上的密钥响应没有用其密钥 {{keyId}} 签名（缺少 signatures['{{serverName}}']['{{keyId}}']）；其他服务器会丢弃它。",
    invalid: '{{address}} 上的密钥响应中 {{keyId}} 的签名无效（{{reason}}：{{detail}}）；其他服务器会丢弃它。',
  },

  // reverse-proxy: nginx in front of Synapse
  'MXD-RP-001': {
    uri: 'proxy_pass {{value}} 在地址之后带有路径（{{uri}}）；nginx 会先改写并规范化请求 URI（解码 %xx 转义）再交给 Synapse，导致联邦请求的签名校验失败。Synapse 文档明确要求：端口之后不要加任何路径，哪怕只是一个 /。',
    regex:
      'proxy_pass {{value}} 位于正则表达式 location 中却带有路径（{{uri}}）；nginx 会拒绝整个配置（"proxy_pass" cannot have URI part in location given by regular expression），而且 Synapse 本来就不需要端口后的路径。',
  },
  'MXD-RP-002': {
    smaller:
      '{{host}} 上传文件（{{path}}）适用的 client_max_body_size 为 {{nginxSize}}，小于 Synapse 的 max_upload_size {{synapseSize}}；更大的文件会在到达 Synapse 之前被 nginx 以 413 Request Entity Too Large 拒绝。',
    nginxDefault:
      '{{host}} 上传文件（{{path}}）时没有任何 client_max_body_size 生效，因此使用 nginx 默认的 1m，远小于 Synapse 的 max_upload_size {{synapseSize}}；超过 1 MB 的文件都会失败，返回 413 Request Entity Too Large。',
  },
  'MXD-RP-003': {
    missingXff:
      '该 location 把 {{host}} 的 Matrix 流量转发给 Synapse，但没有设置 proxy_set_header X-Forwarded-For；Synapse 会把所有客户端都看成 nginx 自己的地址，于是按 IP 的限流（登录、注册）由所有用户共享，日志中也没有客户端地址。',
    missingProto:
      '该 location 把 {{host}} 的 Matrix 流量转发给 Synapse，但没有设置 proxy_set_header X-Forwarded-Proto；Synapse 无法得知客户端使用的是 https（只收到 X-Forwarded-For 时它会假定为 https）。',
    missingHost:
      '该 location 把 {{host}} 的 Matrix 流量转发给 Synapse，但没有设置 proxy_set_header Host，因此 nginx 发送的是上游地址（{{upstreamHost}}），而不是客户端使用的域名；Synapse 文档中设置的是 Host $host。',
    dropped:
      '该 location 有自己的 proxy_set_header 行，因此 nginx 会忽略 {{level}} 块中的所有 proxy_set_header，包括位于 {{hiddenAt}} 的 {{header}}；Synapse 收不到 {{header}}。',
  },
  'MXD-RP-004': {
    appended:
      'X-Forwarded-For 被设置为 $proxy_add_x_forwarded_for，它会保留客户端自己发送的 X-Forwarded-For 头并在末尾追加其地址；Synapse（x_forwarded: true 时）信任最左边的值，因此任何客户端都能自行决定 Synapse 记录的 IP 地址，并绕过按 IP 的限流。',
  },
  'MXD-RP-005': {
    matrix: '在 {{host}} 的 server 块中，{{paths}} 没有被转发给 Synapse；Matrix 客户端的这些请求都会出错。',
    synapseClient:
      '在 {{host}} 的 server 块中，/_synapse/client 没有被转发给 Synapse；Synapse 在该路径下提供的页面（单点登录、重置密码和邮件验证链接）都会失败。',
    noProxy: '没有任何 nginx server 块把 /_matrix 转发到 Synapse 的 HTTP 监听器（{{listeners}}）；通过这个 nginx 无法访问 Synapse。',
    wrongTarget: 'Matrix 流量被转发到 {{target}}，但 homeserver.yaml 中 Synapse 的 HTTP 监听器是 {{listeners}}；nginx 会返回 502 Bad Gateway。',
  },
  'MXD-RP-006': {
    port8448:
      '其他服务器会连接 {{host}}:8448 来访问 {{serverName}}（没有 /.well-known/matrix/server 委托到别处），但没有任何 nginx server 块监听 8448 并把 /_matrix/federation 转发给 Synapse；与 {{serverName}} 的联邦通信会失败。',
    explicitPort:
      'server_name {{serverName}} 指定了端口 {{port}}，因此其他服务器会连接 {{host}}:{{port}}，但没有任何监听 {{port}} 的 nginx server 块把 /_matrix/federation 转发给 Synapse；联邦通信会失败。',
    delegated:
      'https://{{serverName}}/.well-known/matrix/server让其他服务器连接 {{target}}，但没有任何监听端口 {{port}}、对应 {{host}} 的 nginx server 块把 /_matrix/federation 转发给 Synapse；与 {{serverName}} 的联邦通信会失败。',
  },
  'MXD-RP-007': {
    server:
      '{{serverName}} 的 server 块没有响应 /.well-known/matrix/server，{{serverName}}:8448 上也没有提供联邦服务；其他服务器找不到位于 {{matrixHost}} 的 Synapse（除非有 SRV 记录指向它），联邦通信会失败。',
    client: '{{serverName}} 的 server 块没有响应 /.well-known/matrix/client；以 @user:{{serverName}} 登录的客户端无法发现位于 {{baseUrl}} 的主服务器。',
    synapseDisabled: '{{serverName}} 上的 /.well-known/matrix/{{kind}} 被转发给 Synapse，但由于没有设置 {{setting}}，Synapse 会返回 404。',
    noServerBlock:
      '没有任何 nginx server 块在 443 端口上使用 server_name {{serverName}}；它的 /.well-known/matrix/server 和 /.well-known/matrix/client（委托到 {{matrixHost}}）必须由响应 https://{{serverName}}/ 的服务提供，离线检查无法看到这一部分。',
  },
  'MXD-RP-008': {
    exposed:
      '在 {{host}} 上，/_synapse/admin 被转发给 Synapse，nginx 中既没有 allow/deny 也没有任何认证；Synapse 文档不建议在没有充分理由的情况下把管理 API 暴露到互联网上。',
  },

  // well-known: the server name's .well-known/matrix files, live
  'MXD-WK-001': {
    server:
      'https://{{host}}/.well-known/matrix/server 返回 404：其他服务器无法得知 {{serverName}} 把联邦委托给了别的主机；联邦会退回到 {{host}} 的 SRV 记录和 8448 端口。',
    client:
      'https://{{host}}/.well-known/matrix/client 返回 404：客户端无法从 @alice:{{serverName}} 这样的用户 ID 找到主服务器，用户只能手动输入主服务器 URL（配置了 default_server_config 的 Element 不受影响）。',
  },
  'MXD-WK-002': {
    serverStatus:
      'https://{{host}}/.well-known/matrix/server 返回 HTTP {{status}}：除 200 以外的任何响应 Synapse 都视为无效，联邦会退回到 {{host}} 的 SRV 记录和 8448 端口。',
    clientStatus:
      'https://{{host}}/.well-known/matrix/client 返回 HTTP {{status}}：客户端会以错误结束服务发现（Element 显示 "Failed to get autodiscovery configuration from server"）。',
    serverNetwork: '无法获取 https://{{host}}/.well-known/matrix/server（{{reason}}）：联邦会退回到 {{host}} 的 SRV 记录和 8448 端口。',
    clientNetwork: '无法获取 https://{{host}}/.well-known/matrix/client（{{reason}}）：客户端无法发现 @alice:{{serverName}} 的主服务器。',
  },
  'MXD-WK-003': {
    server: 'https://{{host}}/.well-known/matrix/server 不是 JSON（{{detail}}）：Synapse 会忽略它，联邦会退回到 {{host}} 的 SRV 记录和 8448 端口。',
    client: 'https://{{host}}/.well-known/matrix/client 不是 JSON（{{detail}}）：客户端会中止服务发现（"Invalid JSON"）。',
  },
  'MXD-WK-004': {
    notObject: 'https://{{host}}/.well-known/matrix/{{file}} 是 JSON，但不是对象（{{found}}）；它必须是一个 JSON 对象。',
    noServer: 'https://{{host}}/.well-known/matrix/server 中没有 m.server：Synapse 会忽略该文件，联邦会退回到 {{host}} 的 SRV 记录和 8448 端口。',
    noHomeserver:
      'https://{{host}}/.well-known/matrix/client 中没有字符串类型的 m.homeserver.base_url：客户端会拒绝它（"Invalid homeserver discovery response"）。',
    identityNoBaseUrl:
      'https://{{host}}/.well-known/matrix/client 中有 m.identity_server，但没有字符串类型的 base_url：客户端会拒绝整个文件（"Invalid identity server discovery response"）。',
  },
  'MXD-WK-005': {
    invalid:
      'https://{{host}}/.well-known/matrix/server 中的 m.server {{value}} 不是 hostname[:port] 格式：Synapse 会忽略该文件，联邦会退回到 {{host}} 的 SRV 记录和 8448 端口。',
    scheme: "m.server '{{value}}' 是一个 URL；它必须是不带协议头和路径的 hostname[:port]，例如 '{{suggestion}}'。",
  },
  'MXD-WK-006': {
    invalid:
      'https://{{host}}/.well-known/matrix/client 中的 m.homeserver.base_url \'{{value}}\' 不是完整的 http(s) 绝对 URL：客户端会拒绝它（"Invalid base_url for m.homeserver"）。',
    identityInvalid: 'm.identity_server.base_url \'{{value}}\' 不是完整的 http(s) 绝对 URL：客户端会拒绝该文件（"Invalid base_url for m.identity_server"）。',
  },
  'MXD-WK-007': {
    server:
      'https://{{host}}/.well-known/matrix/server 的类型是 {{contentType}}，而不是 application/json；规范要求服务器无论类型如何都按 JSON 解析，但中间的工具和缓存未必如此。',
    client:
      'https://{{host}}/.well-known/matrix/client 的类型是 {{contentType}}，而不是规范要求的 application/json；Element 不管类型都会读取内容，但更严格的客户端可能拒绝它。',
  },
  'MXD-WK-008': {
    missing:
      'https://{{host}}/.well-known/matrix/client 没有 Access-Control-Allow-Origin 响应头：浏览器不允许 Element 或其他网页客户端读取它，因此在网页上以 @alice:{{serverName}} 登录会失败。',
    other: "https://{{host}}/.well-known/matrix/client 只允许来源 '{{value}}'：其他来源（例如 {{origin}}）上的网页客户端无法读取它；规范要求使用 '*'。",
  },
  'MXD-WK-009': {
    loop: 'https://{{host}}/.well-known/matrix/{{file}} 陷入重定向循环（{{chain}}）；谁都无法读取它。',
    tooMany: 'https://{{host}}/.well-known/matrix/{{file}} 重定向超过 {{max}} 次（{{chain}}）；谁都无法读取它。',
    toHttp: 'https://{{host}}/.well-known/matrix/{{file}} 重定向到了明文 http（{{target}}）：well-known 文件必须通过 https 提供，浏览器也会阻止这种降级。',
    clientRedirect:
      'https://{{host}}/.well-known/matrix/client 重定向到 {{target}}：Matrix v1.20 之前编写的客户端不会跟随重定向，浏览器还要求每一跳都带 CORS 头。请直接提供该文件。',
    serverOtherHost:
      'https://{{host}}/.well-known/matrix/server 重定向到 {{target}}；Synapse 会跟随重定向（规范也要求服务器这样做），所以能用，但直接提供该文件更简单。',
  },
  'MXD-WK-010': {
    server:
      'https://{{host}}/.well-known/matrix/server 超过 50 KiB（Synapse 的上限）：Synapse 会因文件过大而拒绝它，联邦会退回到 {{host}} 的 SRV 记录和 8448 端口。',
    client: 'https://{{host}}/.well-known/matrix/client 超过 50 KiB：每个客户端在登录前都要下载它；请只保留客户端需要的键。',
  },
  'MXD-WK-011': {
    unreachable: 'm.server 把联邦委托给 {{target}}，但无法访问 {{url}}（{{reason}}）：其他服务器无法连接到 {{serverName}}。',
    notFederation: 'm.server 把联邦委托给 {{target}}，但 {{url}} 返回 HTTP {{status}} 且没有服务器版本信息：那里没有提供联邦 API 的服务。',
    tls: 'm.server 把联邦委托给 {{target}}，但其证书对 {{name}} 无效（{{reason}}）：其他服务器会拒绝连接。',
  },
  'MXD-WK-012': {
    unreachable:
      '客户端 well-known 把客户端指向 {{baseUrl}}，但无法访问 {{url}}（{{reason}}）；客户端会报错 "Homeserver URL does not appear to be a valid Matrix homeserver"。',
    notMatrix:
      '客户端 well-known 把客户端指向 {{baseUrl}}，但 {{url}} 返回 HTTP {{status}} 且没有 versions 列表；客户端会报错 "Homeserver URL does not appear to be a valid Matrix homeserver"。',
  },
  'MXD-WK-013': {
    present: 'https://{{host}}/.well-known/matrix/support 列出了 {{contacts}} 个联系人（支持页面：{{supportPage}}）。',
    invalid: 'https://{{host}}/.well-known/matrix/support 不是有效的支持信息文件（{{detail}}）；客户端会忽略它。',
  },
  'MXD-WK-014': {
    invalid: '{{host}} 为 https://{{host}}/.well-known/matrix/{{file}} 提供的证书无效（{{reason}}）：其他服务器和浏览器都会拒绝读取该文件。',
  },

  // public-baseurl: Synapse's public_baseurl ("Syncing forever")
  'MXD-PB-001': {
    unreachable:
      'public_baseurl 为 {{publicBaseurl}}，但无法访问 {{url}}（{{reason}}）。Synapse 会在登录后立即让每个客户端改用 public_baseurl（登录响应中的 well_known），因此用户会一直卡在 "Syncing forever…" / "If you\'ve joined lots of rooms, this might take a while"。',
    notMatrix:
      'public_baseurl 为 {{publicBaseurl}}，但 {{url}} 返回 HTTP {{status}} 且没有 versions 列表：那不是 Synapse 的客户端 API。Synapse 会在登录后立即让每个客户端改用该地址，因此用户会一直卡在 "Syncing forever…" / "If you\'ve joined lots of rooms, this might take a while"。',
    otherServer:
      'public_baseurl {{publicBaseurl}} 与客户端 well-known 中的 {{wellKnown}} 指向不同的主服务器（{{difference}}）：客户端发现的是其中一个，登录后却被转到另一个。',
  },
  'MXD-PB-002': {
    http: 'public_baseurl {{publicBaseurl}} 使用明文 http：登录、SSO 重定向和邮件链接都会以未加密方式传输；请使用反向代理的 https URL。',
    mixedContent:
      'public_baseurl {{publicBaseurl}} 使用明文 http，而客户端使用的是 {{clientUrl}}：登录后 Synapse 会让 Element 改用 http URL，浏览器会将其作为混合内容拦截，用户会一直卡在 "Syncing forever…"。',
  },
  'MXD-PB-003': {
    live: 'public_baseurl 为 {{publicBaseurl}}，但 https://{{host}}/.well-known/matrix/client 给出的是 {{wellKnown}}：客户端先发现 {{wellKnown}}，登录后又被登录响应中的 well_known 转到 {{publicBaseurl}}。',
    nginx:
      'public_baseurl 为 {{publicBaseurl}}，但 nginx 为 {{host}} 提供的客户端 well-known（{{where}}）给出的是 {{wellKnown}}：客户端先发现 {{wellKnown}}，登录后又被登录响应中的 well_known 转到 {{publicBaseurl}}。',
  },
  'MXD-PB-004': {
    unset:
      '未设置 public_baseurl：Synapse 会在 SSO 重定向和邮件链接中使用 {{assumed}}，并且既不提供客户端 well-known，也不在登录响应中返回 well_known（客户端会继续使用登录时的 URL）。',
    unsetElsewhere:
      '未设置 public_baseurl，因此 Synapse 假定为 {{assumed}}，但客户端 API 实际位于 {{clientUrl}}：SSO 重定向、邮件链接和备用登录页面都会指向错误的主机。',
  },
  'MXD-PB-005': {
    internal:
      'public_baseurl {{publicBaseurl}} 指向 {{host}}，只有本机或其所在网络才能访问：登录后每个客户端都会被转到那里，用户会一直卡在 "Syncing forever…"。',
    notProxied:
      'public_baseurl {{publicBaseurl}} 指向 {{host}}，但给出的 nginx 配置中没有任何 server 块服务于该域名：用户在那里可能什么也访问不到，或者访问到别的网站。',
  },
  'MXD-PB-006': {
    publicBaseurl: '{{url}} 的响应没有 Access-Control-Allow-Origin 头：浏览器中的 Element 无法读取它，而登录后 Element 会被转到 public_baseurl。',
    login: '{{url}}（来自登录响应中的 well_known）的响应没有 Access-Control-Allow-Origin 头：登录后浏览器中的 Element 无法读取它。',
  },
  'MXD-PB-007': {
    unreachable:
      '以 {{user}} 在 {{baseUrl}} 登录时，返回的 well_known base_url 为 {{wellKnown}}，但无法访问 {{url}}（{{reason}}）：每个登录的客户端都会被转到那里，用户会一直卡在 "Syncing forever…" / "If you\'ve joined lots of rooms, this might take a while"。',
    notMatrix:
      '以 {{user}} 在 {{baseUrl}} 登录时，返回的 well_known base_url 为 {{wellKnown}}，而 {{url}} 返回 HTTP {{status}} 且没有 versions 列表：每个登录的客户端都会被转到那里，用户会一直卡在 "Syncing forever…"。',
    differs: '在 {{baseUrl}} 登录时返回的 well_known base_url 为 {{wellKnown}}：该地址可以访问，但客户端会被转到与其发现的地址不同的 URL；请让两者一致。',
    noWellKnown: '{{baseUrl}} 的登录响应中没有 well_known（只有显式设置了 public_baseurl，Synapse 才会添加它）：客户端会继续使用登录时的 URL。',
    loginFailed: '无法以 {{user}} 在 {{baseUrl}} 登录（{{reason}}），因此未检查登录响应中的 well_known。',
    logoutFailed: '无法注销 {{user}} 的测试登录（{{reason}}）：请在 Element 中（设置 → 会话）移除会话 "matrixdoc check (logged out right away)"。',
  },
};
