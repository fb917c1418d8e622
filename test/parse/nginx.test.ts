// nginx configuration parsing: the directive tree with positions, quoting, comments, `${var}`, the
// problems a missing `;` or `}` leaves, and the helpers checks use to find what nginx serves.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { child, findAll, matchLocation, type NginxDirective, parseNginx, serverNameMatches, servers } from '../../src/parse/nginx.js';

const FILE = '/etc/nginx/sites-enabled/example.com.conf';

/** name(args) for a directive tree, nested blocks in braces, for compact assertions. */
const shape = (ds: NginxDirective[]): string[] => ds.map((d) => `${d.name}(${d.args.join('|')})${d.block ? `{${shape(d.block).join(' ')}}` : ''}`);

describe('parseNginx tree', () => {
  const text = `# main config
http {
    upstream synapse { server 127.0.0.1:8008; }
    server {
        listen 443 ssl http2; # trailing comment
        server_name example.com www.example.com;
        location / {
            proxy_pass http://synapse;
        }
    }
}
`;
  const p = parseNginx(text, FILE);

  test('nested blocks', () => {
    assert.deepEqual(p.problems, []);
    assert.equal(p.file, FILE);
    assert.deepEqual(shape(p.directives), [
      'http(){upstream(synapse){server(127.0.0.1:8008)} server(){listen(443|ssl|http2) server_name(example.com|www.example.com) location(/){proxy_pass(http://synapse)}}}',
    ]);
  });

  test('every directive has its file, line, column and extent', () => {
    const listen = findAll(p.directives, 'listen')[0];
    assert.deepEqual([listen.file, listen.line, listen.column], [FILE, 5, 9]);
    assert.equal(text.slice(listen.start, listen.end), 'listen 443 ssl http2;');
    const location = findAll(p.directives, 'location')[0];
    assert.equal(text.slice(location.start, location.end), 'location / {\n            proxy_pass http://synapse;\n        }');
  });

  test('findAll searches depth first; child looks one level down', () => {
    assert.deepEqual(
      findAll(p.directives, 'server').map((d) => [d.line, d.args.join(' ')]),
      [
        [3, '127.0.0.1:8008'],
        [4, ''],
      ],
    );
    const http = p.directives[0];
    assert.equal(child(http.block, 'server')?.line, 4);
    assert.equal(child(http.block, 'listen'), undefined);
    assert.equal(child(undefined, 'listen'), undefined);
  });
});

describe('parseNginx tokens', () => {
  test('double and single quotes with escapes', () => {
    const p = parseNginx(
      `return 200 '{"m.homeserver": {"base_url": "https://matrix.example.com"}}';\nadd_header X "a \\"b\\" \\'c\\' \\\\ d";\nset $s 'it\\'s';\nset $t "tab\\tline\\n";\n`,
      FILE,
    );
    assert.deepEqual(p.problems, []);
    assert.deepEqual(
      p.directives.map((d) => d.args),
      [
        ['200', '{"m.homeserver": {"base_url": "https://matrix.example.com"}}'],
        ['X', 'a "b" \'c\' \\ d'],
        ['$s', "it's"],
        ['$t', 'tab\tline\n'],
      ],
    );
  });

  test('unknown escapes are kept, in quotes and in bare words', () => {
    const p = parseNginx('location ~ "\\.php$" { }\nlocation ~ \\.png$ { }\n', FILE);
    assert.deepEqual(
      p.directives.map((d) => d.args[1]),
      ['\\.php$', '\\.png$'],
    );
  });

  test('comments: whole lines, after directives, and # inside a word is not a comment', () => {
    const p = parseNginx('# one\nlisten 80; # two\n  # three\nreturn 301 https://$host$request_uri#frag;\n', FILE);
    assert.deepEqual(shape(p.directives), ['listen(80)', 'return(301|https://$host$request_uri#frag)']);
  });

  // nginx's own ${var} syntax, written with \x24 so that no string here looks like a forgotten template literal.
  test('\x24{var} braces belong to the word', () => {
    const p = parseNginx('server {\n  add_header X-Upstream \x24{upstream_addr}-\x24{scheme};\n  root /srv/\x24{host}/www;\n}\n', FILE);
    assert.deepEqual(p.problems, []);
    assert.deepEqual(shape(p.directives), ['server(){add_header(X-Upstream|\x24{upstream_addr}-\x24{scheme}) root(/srv/\x24{host}/www)}']);
    assert.equal(p.directives[0].block?.[0].args[1], '$' + '{upstream_addr}-$' + '{scheme}');
  });

  test('CRLF and tabs are whitespace', () => {
    const p = parseNginx('server {\r\n\tlisten\t443 ssl;\r\n}\r\n', FILE);
    assert.deepEqual(shape(p.directives), ['server(){listen(443|ssl)}']);
    assert.deepEqual([p.directives[0].block?.[0].line, p.directives[0].block?.[0].column], [2, 2]);
  });
});

describe('parseNginx problems', () => {
  const problems = (text: string) => parseNginx(text, FILE).problems.map((x) => `${x.line}:${x.column} ${x.message}`);

  test("a missing ';' before '}'", () => {
    assert.deepEqual(problems('server {\n  location / {\n    root /srv/www\n  }\n}\n'), ["3:5 directive 'root' has no ending ';'"]);
  });

  test("a missing ';' at the end of the file", () => {
    assert.deepEqual(problems('worker_processes auto'), ["1:1 directive 'worker_processes' has no ending ';'"]);
  });

  test("a missing '}'", () => {
    assert.deepEqual(problems('server {\n  listen 443;\n  location / {\n    return 404;\n  }\n'), ["6:1 missing '}' at the end of the file"]);
    const found = problems('server {\n  listen 443;\n');
    assert.deepEqual(found, ["3:1 missing '}' at the end of the file", "1:1 block 'server' is not closed with '}'"]);
  });

  test("an extra '}' and a stray ';'", () => {
    assert.deepEqual(problems('listen 80;\n}\n;\n'), ["2:1 unexpected '}'", "3:1 unexpected ';'"]);
  });

  test('an unterminated quote', () => {
    assert.deepEqual(problems('return 200 \'{"a": 1};\n'), ['1:12 unterminated single-quoted string', "1:1 directive 'return' has no ending ';'"]);
  });

  test('the directives before a problem are kept', () => {
    const p = parseNginx('server {\n  server_name example.com;\n  location / {\n    root /srv/www\n  }\n}\n', FILE);
    assert.deepEqual(servers([p])[0].names, ['example.com']);
  });
});

describe('servers()', () => {
  const a = parseNginx(
    `upstream synapse { server 127.0.0.1:8008; }
server {
    listen 443 ssl;
    listen [::]:443 ssl;
    listen 8448 ssl default_server;
    server_name matrix.example.com;
}
`,
    '/etc/nginx/sites-enabled/matrix.conf',
  );
  const b = parseNginx(
    `http {
  server {
    listen 127.0.0.1;
    listen *:8080;
    listen [::1];
    server_name example.com .example.org;
    server_name www.example.com;
  }
  server { server_name _; }
}
`,
    '/etc/nginx/nginx.conf',
  );

  test('server blocks of every file, with names and listen ports; upstream servers are not blocks', () => {
    const all = servers([a, b]);
    assert.deepEqual(
      all.map((s) => [s.file, s.line, s.names, s.listen.map((l) => `${l.port}${l.ssl ? '+ssl' : ''}`)]),
      [
        ['/etc/nginx/sites-enabled/matrix.conf', 2, ['matrix.example.com'], ['443+ssl', '443+ssl', '8448+ssl']],
        ['/etc/nginx/nginx.conf', 2, ['example.com', '.example.org', 'www.example.com'], ['80', '8080', '80']],
        ['/etc/nginx/nginx.conf', 9, ['_'], []],
      ],
    );
    assert.equal(all[0].listen[2].raw, '8448 ssl default_server');
    assert.equal(all[0].directive.name, 'server');
  });
});

describe('serverNameMatches', () => {
  const cases: [string, string, boolean][] = [
    ['example.com', 'example.com', true],
    ['example.com', 'EXAMPLE.com', true],
    ['example.com', 'www.example.com', false],
    ['*.example.com', 'matrix.example.com', true],
    ['*.example.com', 'a.b.example.com', true],
    ['*.example.com', 'example.com', false],
    ['.example.com', 'example.com', true],
    ['.example.com', 'matrix.example.com', true],
    ['.example.com', 'badexample.com', false],
    ['www.example.*', 'www.example.org', true],
    ['www.example.*', 'example.org', false],
    ['~^(www\\.)?example\\.com$', 'www.example.com', true],
    ['~^(www\\.)?example\\.com$', 'example.com', true],
    ['~^(www\\.)?example\\.com$', 'matrix.example.com', false],
    ['~^(unclosed', 'example.com', false],
    ['_', 'example.com', false],
  ];
  for (const [pattern, host, expected] of cases)
    test(`${pattern} ${expected ? 'matches' : 'does not match'} ${host}`, () => assert.equal(serverNameMatches(pattern, host), expected));
});

describe('matchLocation: nginx precedence', () => {
  const server = parseNginx(
    `server {
    location / { return 200 root; }
    location ~ \\.png$ { return 200 png; }
    location /static/ { return 200 static; }
    location ^~ /static/images/ { return 200 images; }
    location ~* \\.(jpg|PNG)$ { return 200 jpg; }
    location /exact/longer { return 200 longer; }
    location = /exact { return 200 exact; }
    location /exact { return 200 exact-prefix; }
    location @fallback { return 200 named; }
    location /api/ { return 200 api; }
    location ~ ^/api/v2 { return 200 api-v2; }
    location ~ ^/api/v2/special { return 200 never; }
    location = /.well-known/matrix/client { return 200 client; }
}
`,
    FILE,
  ).directives[0];
  const pick = (uri: string) => {
    const loc = matchLocation(server, uri);
    return loc ? child(loc.block, 'return')?.args[1] : undefined;
  };

  const cases: [string, string, string][] = [
    ['= wins over everything', '/exact', 'exact'],
    ['= needs the whole path; otherwise the prefix', '/exact/x', 'exact-prefix'],
    ['the longest prefix, not the first', '/exact/longer/x', 'longer'],
    ['^~ on the longest prefix stops before the regexes', '/static/images/a.png', 'images'],
    ['a plain longest prefix lets the regexes win', '/static/a.png', 'png'],
    ['regexes in file order: the first match wins', '/a.png', 'png'],
    ['~* is case-insensitive', '/A.JPG', 'jpg'],
    ['~ is case-sensitive', '/a.PNG', 'jpg'],
    ['a regex beats a shorter prefix', '/api/v2/special/x', 'api-v2'],
    ['the prefix when no regex matches', '/api/v1/x', 'api'],
    ['the well-known exact location', '/.well-known/matrix/client', 'client'],
    ['/ catches the rest', '/anything', 'root'],
  ];
  for (const [name, uri, expected] of cases) test(`${name}: ${uri} -> ${expected}`, () => assert.equal(pick(uri), expected));

  test('named locations are never picked; nothing matches without a / location', () => {
    const only = parseNginx('server { location @x { } location /a { } location ~ \\.b$ { } }', FILE).directives[0];
    assert.equal(matchLocation(only, '/c'), undefined);
    assert.equal(matchLocation(only, '/a/x')?.args[0], '/a');
  });

  test('an invalid regex never matches', () => {
    const bad = parseNginx('server { location ~ ^/(a { } location / { } }', FILE).directives[0];
    assert.equal(matchLocation(bad, '/a')?.args[0], '/');
  });
});
