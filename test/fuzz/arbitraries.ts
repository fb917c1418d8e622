// Generators the fuzz tests share: token soups that look like the files matrixdoc reads (YAML, nginx,
// .env, JSON, config.js, tickets and logs), with the characters parsers trip on (tabs, quotes, braces,
// escapes, CR, NUL, BOM, non-BMP and unpaired surrogates) and deep nesting. Structured soups find more
// than uniform random strings: they reach the states where a parser can loop or recurse.

import fc from 'fast-check';

/**
 * A fixed seed by default, so a test run (and CI) is reproducible; MATRIXDOC_FUZZ_SEED=<n> replays a
 * failure, MATRIXDOC_FUZZ_SEED=random explores new inputs (fast-check prints the seed of a failure).
 */
export const DEFAULT_FUZZ_SEED = 20261126;

export function fuzzParams<T>(numRuns: number): fc.Parameters<T> {
  const env = process.env.MATRIXDOC_FUZZ_SEED;
  if (env === 'random') return { numRuns };
  return { numRuns, seed: env ? Number(env) : DEFAULT_FUZZ_SEED };
}

/** Runs fn and fails when one call takes longer than `ms` (a parser that went quadratic or looped). */
export function timed<T>(what: string, ms: number, fn: () => T): T {
  const started = performance.now();
  const out = fn();
  const took = performance.now() - started;
  if (took > ms) throw new Error(`${what} took ${Math.round(took)} ms (bound ${ms} ms)`);
  return out;
}

/** Odd characters: control characters, CR, NUL, BOM, line/paragraph separators, a lone surrogate, emoji, CJK. */
export const oddChar = fc.constantFrom('\t', '\r', '\n', '\0', '\u000b', '\u000c', '\ufeff', '\u2028', '\u00a0', '\ud800', '😀', '同', 'é', '\\', '\u001b');

/** A short word of letters, digits and a few punctuation characters. */
export const word = fc.stringMatching(/^[A-Za-z0-9_.:/@$-]{1,12}$/);

/** Concatenates a list of fragments (optionally with separators between them). */
export function soup(fragment: fc.Arbitrary<string>, opts: { maxLength?: number; separator?: fc.Arbitrary<string> } = {}): fc.Arbitrary<string> {
  const sep = opts.separator ?? fc.constant('');
  // size 'max': lengths spread up to maxLength (fast-check's default keeps arrays to about ten items).
  return fc.array(fc.tuple(fragment, sep), { maxLength: opts.maxLength ?? 60, size: 'max' }).map((parts) => parts.map(([a, b]) => a + b).join(''));
}

/** Deep nesting: `open` n times, an inner text, `close` m times (m may differ from n: unbalanced on purpose). */
export function nested(open: string, close: string, inner: fc.Arbitrary<string> = word): fc.Arbitrary<string> {
  return fc
    .tuple(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 3000 }), inner)
    .map(([n, m, text]) => `${open.repeat(n)}${text}${close.repeat(m)}`);
}

// --- YAML ---------------------------------------------------------------------------------------------

export const yamlFragment = fc.oneof(
  { weight: 6, arbitrary: word },
  {
    weight: 3,
    arbitrary: fc.constantFrom(': ', ':', '- ', '-', '? ', ',', '[', ']', '{', '}', '#', ' # c', '&a ', '*a', '!!str ', '!!binary ', '<<: ', '---', '...'),
  },
  { weight: 3, arbitrary: fc.constantFrom('\n', '\n  ', '\n    ', '\n\t', '\t', ' \t ', '  ', '\r\n') },
  { weight: 2, arbitrary: fc.constantFrom('"', "'", '"a\\tb"', "'it''s'", '"\\u00e9"', '"\\x', '|', '|-', '>', '>+', '|2', '>-\n  folded\n\ttab') },
  { weight: 1, arbitrary: fc.constantFrom('yes', 'No', 'on', 'OFF', '~', 'null', '0x1F', '0o17', '1_000', '.inf', '2001-12-14t21:59:43.10-05:00', '=') },
  { weight: 1, arbitrary: oddChar },
);

/** A YAML-ish token soup (tabs, quotes, block scalars, flow collections, anchors, duplicated keys). */
export const yamlSoup = soup(yamlFragment, { maxLength: 300 });

/** A homeserver.yaml-like document: keys from a small set (so they repeat), nested maps and lists, tabs sometimes. */
export const yamlDocument = fc
  .array(
    fc.tuple(
      fc.constantFrom('server_name', 'listeners', 'database', 'args', 'port', 'turn_uris', 'modules', 'a', 'b', '"q"', "'s'", '1'),
      fc.constantFrom('', '  ', '    ', '\t', '  \t', ' '.repeat(1)),
      fc.oneof(word, fc.constantFrom('', '[a, b]', '{x: 1, x: 2}', '|', '"v"', "'v'", '- x', '&anchor v', '*anchor', 'yes', '"tab\there"')),
      fc.constantFrom('', ' # comment', '\t# tab comment'),
    ),
    { maxLength: 80, size: 'max' },
  )
  .map((lines) => lines.map(([k, indent, v, c]) => `${indent}${k}: ${v}${c}`).join('\n'));

// --- nginx --------------------------------------------------------------------------------------------

export const nginxFragment = fc.oneof(
  { weight: 5, arbitrary: word },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      'server ',
      'location ',
      'location = ',
      'location ^~ ',
      'location ~ ',
      'location ~* ',
      'listen 443 ssl;',
      'server_name example.com *.example.com .example.org ~^(www\\.)?ex\\d+\\.com$;',
      'proxy_pass http://127.0.0.1:8008;',
      'include ',
      'return 200 \'{"m.server": "x:443"}\';',
      'add_header X "y";',
      'if ($host = x) ',
      'upstream u ',
      'server 127.0.0.1:8008;',
    ),
  },
  { weight: 4, arbitrary: fc.constantFrom('{', '}', ';', ' ', '\n', '\t', '#', '# comment\n') },
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${ is what these inputs are about
  { weight: 2, arbitrary: fc.constantFrom('"', "'", '"a b"', "'c;d'", '\\', '\\"', '${var}', '${', '$host', '/_matrix', '/.well-known/matrix/', '~ ^/x') },
  { weight: 1, arbitrary: oddChar },
);

export const nginxSoup = soup(nginxFragment, { maxLength: 300 });

// --- .env ---------------------------------------------------------------------------------------------

export const envName = fc.constantFrom('PUBLIC_URL', 'XMPP_DOMAIN', 'JVB_ADVERTISE_IPS', 'A', 'a.b', '_x', '__proto__', 'constructor', '1BAD', 'has space', '');
export const envValue = fc.oneof(
  word,
  fc.constantFrom(
    '',
    '"',
    "'",
    '"quoted value"',
    "'single'",
    '"esc \\" \\n \\t \\\\"',
    '"unterminated',
    "'unterminated",
    'a #comment',
    'a#b',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${ is what these inputs are about
    '${VAR}',
    ' spaced ',
  ),
  fc.string({ maxLength: 20 }),
);
export const envSoup = fc
  .array(
    fc.tuple(
      fc.constantFrom('', 'export ', '  ', '#', '\t'),
      envName,
      fc.constantFrom('=', ' = ', '', '=='),
      envValue,
      fc.constantFrom('\n', '\r\n', '\r', ''),
    ),
    { maxLength: 80, size: 'max' },
  )
  .map((lines) => lines.map((parts) => parts.join('')).join(''));

// --- JSON ---------------------------------------------------------------------------------------------

export const jsonFragment = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('{', '}', '[', ']', ',', ':', ' ', '\n', '\t', '\r') },
  { weight: 4, arbitrary: fc.constantFrom('"a"', '"__proto__"', '"constructor"', '"m.server"', '""', '"\\u00e9"', '"\\ud800"', '"\\"', '"\\x"', '"tab\t"') },
  { weight: 3, arbitrary: fc.constantFrom('0', '-0', '1.5e3', '01', '1.', '.5', '-', '1e', 'true', 'false', 'null', 'nul', 'NaN', 'Infinity') },
  { weight: 1, arbitrary: fc.constantFrom('//', '/*', '*/', '\ufeff', "'", '\u2028') },
  { weight: 1, arbitrary: oddChar },
);
export const jsonSoup = soup(jsonFragment, { maxLength: 200 });

// --- config.js ----------------------------------------------------------------------------------------

export const configJsFragment = fc.oneof(
  { weight: 5, arbitrary: word },
  {
    weight: 5,
    arbitrary: fc.constantFrom(
      'var ',
      'config',
      'config.',
      'config.websocket',
      'config.hosts.domain',
      'config.hosts',
      'config.bosh',
      'config["hosts"]',
      'subdir',
      ' = ',
      '=',
      ' + ',
      ';',
      ',',
      '.',
      ':',
      '?',
      '=>',
      'function ',
      'if (',
      'return ',
      'delete ',
      'undefined',
      'null',
      'true',
      'window.location.host',
    ),
  },
  { weight: 4, arbitrary: fc.constantFrom('{', '}', '(', ')', '[', ']', ' ', '\n', '\t') },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      "'wss://meet.example.com/xmpp-websocket'",
      '"a\\"b"',
      "'\\u{1F600}'",
      "'\\x4'",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${ is what these inputs are about
      '`t ${x} t`',
      '`',
      '${',
      "'",
      '"',
      '/re[/]gex/gi',
      '/',
      '//',
      '/*',
      '*/',
      '<!--# echo var="subdir" default="" -->',
      '<!--',
      '-->',
      '1e+5',
      '.5',
      '0x1F',
    ),
  },
  { weight: 1, arbitrary: oddChar },
);
export const configJsSoup = soup(configJsFragment, { maxLength: 400 });

// --- tickets and logs (triage) --------------------------------------------------------------------------

export const ticketFragment = fc.oneof(
  { weight: 4, arbitrary: word },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      'Syncing forever',
      '一直在同步',
      'M_LIMIT_EXCEEDED',
      'Too Many Requests',
      'You have been disconnected',
      '"GET /_matrix/client/versions HTTP/1.1" 502',
      '10.0.0.1 - - [x] "POST /_matrix/client/v3/login HTTP/1.1" 429 ',
      'password: hunter2',
      '"password": "secret value"',
      'access_token=syt_abcdefghijklmnopqrstuvwx',
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abcdefghijk',
      'export TURN_SECRET=abc',
      'Failed to get autodiscovery configuration from server',
      'ICE failed',
      'certificate has expired',
      'Connection refused',
      '\u001b[31mERROR\u001b[0m',
    ),
  },
  { weight: 3, arbitrary: fc.constantFrom(' ', '\n', '\r\n', '\t', ':', '=', '"', "'", '<redacted:', '>', '…') },
  { weight: 1, arbitrary: oddChar },
);
export const ticketSoup = soup(ticketFragment, { maxLength: 400 });
