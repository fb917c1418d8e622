// homeserver.yaml parsing: positions by JSON Pointer, the tabs PyYAML rejects (each case checked against
// PyYAML 6.0.3: the first tab listed is where PyYAML reports its error), YAML 1.1 types, problems, indentUnit.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { pointer } from '../../src/parse/positions.js';
import { findRejectedTabs, parseYaml } from '../../src/parse/yaml.js';

/** [line, column, inIndent] of each tab problem. */
const tabs = (text: string) =>
  parseYaml(text)
    .problems.filter((p) => p.kind === 'tab')
    .map((p) => [p.span.line, p.span.column, p.inIndent]);

describe('parseYaml positions', () => {
  const text = `server_name: "example.com"
listeners:
  - port: 8008
    resources:
      - names: [client, federation]
database:
  args:
    user: synapse
empty:
"a/b~c": 1
`;
  const parsed = parseYaml(text);

  test('the value', () => {
    assert.deepEqual(parsed.value, {
      server_name: 'example.com',
      listeners: [{ port: 8008, resources: [{ names: ['client', 'federation'] }] }],
      database: { args: { user: 'synapse' } },
      empty: null,
      'a/b~c': 1,
    });
    assert.deepEqual(parsed.problems, []);
  });

  test('every value has a position keyed by its JSON Pointer', () => {
    assert.deepEqual(Object.keys(parsed.positions).sort(), [
      '',
      '/a~1b~0c',
      '/database',
      '/database/args',
      '/database/args/user',
      '/empty',
      '/listeners',
      '/listeners/0',
      '/listeners/0/port',
      '/listeners/0/resources',
      '/listeners/0/resources/0',
      '/listeners/0/resources/0/names',
      '/listeners/0/resources/0/names/0',
      '/listeners/0/resources/0/names/1',
      '/server_name',
    ]);
  });

  test('values and keys point at their text', () => {
    const name = parsed.positions['/server_name'];
    assert.deepEqual(name.key, { line: 1, column: 1, endLine: 1, endColumn: 12, offset: 0, endOffset: 11 });
    assert.deepEqual([name.value.line, name.value.column, name.value.endColumn], [1, 14, 27]);
    assert.equal(text.slice(name.value.offset, name.value.endOffset), '"example.com"');

    const port = parsed.positions['/listeners/0/port'];
    assert.deepEqual([port.key?.line, port.key?.column, port.value.line, port.value.column], [3, 5, 3, 11]);

    const federation = parsed.positions['/listeners/0/resources/0/names/1'];
    assert.equal(federation.key, undefined);
    assert.deepEqual([federation.value.line, federation.value.column], [5, 25]);
    assert.equal(text.slice(federation.value.offset, federation.value.endOffset), 'federation');

    assert.deepEqual([parsed.positions['/database/args/user'].value.line, parsed.positions['/database/args/user'].value.column], [8, 11]);
  });

  test('a key with no value: an empty value span right after the colon', () => {
    const empty = parsed.positions['/empty'];
    assert.deepEqual([empty.key?.line, empty.key?.column], [9, 1]);
    assert.deepEqual([empty.value.line, empty.value.column, empty.value.offset === empty.value.endOffset], [9, 7, true]);
  });

  test('pointer escapes ~ and /', () => {
    assert.equal(pointer(['a/b~c', 0, 'x']), '/a~1b~0c/0/x');
    assert.equal(pointer([]), '');
    assert.deepEqual(parsed.positions['/a~1b~0c'].key?.line, 10);
  });

  test('CRLF line endings keep lines and columns', () => {
    const crlf = parseYaml('a: 1\r\nb:\r\n  c: two\r\n');
    assert.deepEqual(crlf.value, { a: 1, b: { c: 'two' } });
    assert.deepEqual([crlf.positions['/b/c'].value.line, crlf.positions['/b/c'].value.column], [3, 6]);
    assert.deepEqual(tabs('a: 1\r\n\tb: 2\r\n'), [[2, 1, true]]);
  });
});

describe('parseYaml tabs, as PyYAML rejects them', () => {
  const rejected: [string, string, (string | number | boolean)[][]][] = [
    ['indentation', 'a:\n\tb: 1\n', [[2, 1, true]]],
    ['spaces then a tab in the indentation', 'a:\n  b:\n  \tc: 1\n', [[3, 3, true]]],
    ['after `key:`', 'a:\t1\n', [[1, 3, false]]],
    ['before a comment', 'a: 1\t# c\n', [[1, 5, false]]],
    ['trailing', 'a: 1\t\n', [[1, 5, false]]],
    ['a tab-only line', 'a: 1\n\t\nb: 2\n', [[2, 1, true]]],
    ['in a flow list', 'a: [1,\t2]\n', [[1, 7, false]]],
    ['in a flow map', 'a: {b: 1,\tc: 2}\n', [[1, 10, false]]],
    ['indenting a flow list continuation', 'a: [x,\n\ty]\n', [[2, 1, true]]],
    ['inside a plain scalar', 'a: x\ty\n', [[1, 5, false]]],
    ['in a wrapped plain scalar', 'a: x\n  y\tz\n', [[2, 4, false]]],
    ['indenting a plain scalar continuation', 'a: x\n \ty\n', [[2, 2, true]]],
    ['after a sequence dash', 'a:\n  -\t1\n', [[2, 4, false]]],
    ['before the colon', 'a\t: 1\n', [[1, 2, false]]],
    ['after ---', '---\t\na: 1\n', [[1, 4, false]]],
    ['indenting a key after a block scalar', 'a: |\n  x\n\tb: 1\n', [[3, 1, true]]],
    ['a tab-only line inside a block scalar', 'a: |\n  x\n\t\n  y\n', [[3, 1, true]]],
    ['before the block indentation', 'a: |\n  x\n \t\n', [[3, 2, true]]],
    ['before a nested block indentation', 'a:\n  b: |\n \tx\n', [[3, 2, true]]],
    [
      'several on one line',
      '\ta:\t1\t# c\n',
      [
        [1, 1, true],
        [1, 4, false],
        [1, 6, false],
      ],
    ],
  ];
  for (const [name, text, expected] of rejected) {
    test(`rejected: ${name}`, () => assert.deepEqual(tabs(text), expected));
  }

  const accepted: [string, string][] = [
    ['in double quotes', 'a: "x\ty"\n'],
    ['in single quotes', "a: 'x\ty'\n"],
    ['in a wrapped double-quoted string after the indentation', 'a: "x\n  \t y"\n'],
    ['before the line break inside quotes', 'a: "x \t\n  y"\n'],
    ['in a comment', 'a: 1 # c\td\n'],
    ['in a comment line', '# c\td\na: 1\n'],
    ['in block scalar content', 'a: |\n  x\ty\n  \tz\nb: 1\n'],
    ['in folded scalar content', 'a: >-\n  x\ty\nb: 1\n'],
    ['on a blank block scalar line after the indentation', 'a: |\n  x\n  \t\n'],
    ['a block scalar with an indentation indicator', 'a: |2\n  \tx\n'],
    ['a block scalar in a sequence', '- |\n \tx\n'],
    ['a nested block scalar in a sequence', 'a:\n  - |\n   \tx\n'],
  ];
  for (const [name, text] of accepted) {
    test(`accepted: ${name}`, () => {
      assert.deepEqual(tabs(text), []);
      assert.deepEqual(parseYaml(text).problems, []);
    });
  }

  test('block scalar content keeps its tabs', () => {
    assert.deepEqual(parseYaml('a: |\n  x\ty\n  \tz\nb: 1\n').value, { a: 'x\ty\n\tz\n', b: 1 });
  });

  test('findRejectedTabs gives offsets', () => {
    assert.deepEqual(findRejectedTabs('a:\n\tb: 1\t# c\n'), [
      { offset: 3, inIndent: true },
      { offset: 8, inIndent: false },
    ]);
    assert.deepEqual(findRejectedTabs('a: "\t"\n'), []);
  });

  test('a tab problem names its line and does not stop the value from being read', () => {
    const p = parseYaml('a: 1\t# c\nb: 2\n');
    assert.equal(p.problems[0].kind, 'tab');
    assert.equal(p.problems[0].lineText, 'a: 1\t# c');
    assert.equal(p.problems[0].message, 'tab character where YAML allows only spaces');
    assert.deepEqual(p.value, { a: 1, b: 2 });
  });
});

describe('parseYaml YAML 1.1 types (as PyYAML resolves them)', () => {
  const value = (scalar: string) => (parseYaml(`k: ${scalar}\n`).value as { k: unknown }).k;

  for (const [scalar, expected] of [
    ['yes', true],
    ['Yes', true],
    ['YES', true],
    ['on', true],
    ['ON', true],
    ['true', true],
    ['True', true],
    ['no', false],
    ['No', false],
    ['off', false],
    ['Off', false],
    ['false', false],
    ['FALSE', false],
  ] as const) {
    test(`${scalar} is ${expected}`, () => assert.equal(value(scalar), expected));
  }

  for (const scalar of ['y', 'Y', 'n', 'N', 'tRUE', '"yes"', "'false'"]) {
    test(`${scalar} is a string`, () => assert.equal(typeof value(scalar), 'string'));
  }

  test('numbers: octal, hex, binary, underscores, sexagesimal', () => {
    assert.equal(value('017'), 15);
    assert.equal(value('0x1F'), 31);
    assert.equal(value('0b11'), 3);
    assert.equal(value('1_000'), 1000);
    assert.equal(value('1:30'), 90);
    assert.equal(value('0.5'), 0.5);
    assert.equal(value('~'), null);
    assert.equal(value('Null'), null);
  });

  test('a duplicate key keeps the last value, as PyYAML does, and is a problem', () => {
    const p = parseYaml('a: 1\nb: 2\na: 3\n');
    assert.deepEqual(p.value, { a: 3, b: 2 });
    assert.deepEqual(
      p.problems.map((x) => [x.kind, x.span.line, x.span.column, x.lineText]),
      [['duplicate-key', 3, 1, 'a: 3']],
    );
  });
});

describe('parseYaml syntax problems', () => {
  test('an unclosed flow list: a problem with its position, and no value', () => {
    const p = parseYaml('a: [1, 2\nb: 3\n');
    assert.equal(p.value, undefined);
    assert.ok(p.problems.length > 0);
    assert.ok(p.problems.every((x) => x.kind === 'syntax'));
    assert.equal(typeof p.problems[0].span.line, 'number');
    assert.doesNotMatch(p.problems[0].message, /\n/);
  });

  test("an unclosed quote: at the quote, in PyYAML's words, with where PyYAML gave up", () => {
    const p = parseYaml('a: "x\nb: 1\n');
    assert.equal(p.value, undefined);
    assert.deepEqual(
      p.problems.map((x) => [x.kind, x.message, x.span.line, x.span.column, x.lineText]),
      [['syntax', 'while scanning a quoted scalar (line 1, column 4): found unexpected end of stream (line 3, column 1)', 1, 4, 'a: "x']],
    );
  });

  test('two documents: at the second one (the context mark is the start of the first)', () => {
    const p = parseYaml('a: 1\n---\nb: 2\n');
    assert.equal(p.value, undefined);
    assert.deepEqual([p.problems[0].kind, p.problems[0].span.line, p.problems[0].lineText], ['syntax', 2, '---']);
    assert.equal(p.problems[0].message, 'expected a single document in the stream (line 1, column 1): but found another document (line 2, column 1)');
  });

  test('empty and comment-only files are null, not errors', () => {
    assert.deepEqual(parseYaml(''), { value: null, positions: {}, problems: [], indentUnit: 2 });
    assert.equal(parseYaml('# nothing\n').value, null);
  });

  test('aliases resolve', () => {
    assert.deepEqual(parseYaml('a: &x {b: 1}\nc: *x\n').value, { a: { b: 1 }, c: { b: 1 } });
  });
});

describe('parseYaml indentUnit', () => {
  test('2 spaces', () => assert.equal(parseYaml('a:\n  b:\n    c: 1\n  d: 2\n').indentUnit, 2));
  test('4 spaces', () => assert.equal(parseYaml('a:\n    b:\n        c: 1\n    d: 2\ne:\n    f: 1\n').indentUnit, 4));
  test('the most used step wins', () => assert.equal(parseYaml('a:\n    b: 1\nc:\n  d: 1\ne:\n  f: 1\n').indentUnit, 2));
  test('comments and blank lines do not count', () => assert.equal(parseYaml('a:\n        # deep comment\n\n    b: 1\n').indentUnit, 4));
  test('a flat file defaults to 2', () => assert.equal(parseYaml('a: 1\nb: 2\n').indentUnit, 2));
  test('the seed-style listeners list', () =>
    assert.equal(parseYaml('listeners:\n  - port: 8008\n    tls: false\n    resources:\n      - names: [client]\n').indentUnit, 2));
});

test('a merge key inside a complex mapping key does not throw (found by fuzzing)', () => {
  assert.doesNotThrow(() => parseYaml('[<<: ]: '));
  assert.doesNotThrow(() => parseYaml('? {<<: 1}\n: x\n'));
});
