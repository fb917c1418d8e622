// Element's config.json parsing: strict JSON as browsers read it, with positions for keys and values,
// duplicate keys noted (the last wins), and errors that say where they are.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseJson } from '../../src/parse/json.js';

/** [message, line, column] of the error. */
const error = (text: string) => {
  const p = parseJson(text);
  assert.equal(p.value, undefined);
  assert.ok(p.error, 'expected an error');
  return [p.error.message, p.error.span.line, p.error.span.column];
};

describe('parseJson values and positions', () => {
  const text = '{\n  "a": 1,\n  "b": [true, null, "x"],\n  "c": {"d": -1.5e3, "e~/f": "\\u00e9"}\n}\n';
  const p = parseJson(text);

  test('the value', () => {
    assert.deepEqual(p.value, { a: 1, b: [true, null, 'x'], c: { d: -1500, 'e~/f': 'é' } });
    assert.equal(p.error, undefined);
    assert.deepEqual(p.duplicateKeys, []);
  });

  test('keys and values have spans', () => {
    assert.deepEqual(p.positions['/a'], {
      key: { line: 2, column: 3, endLine: 2, endColumn: 6, offset: 4, endOffset: 7 },
      value: { line: 2, column: 8, endLine: 2, endColumn: 9, offset: 9, endOffset: 10 },
    });
    assert.equal(text.slice(p.positions['/b'].value.offset, p.positions['/b'].value.endOffset), '[true, null, "x"]');
    assert.deepEqual([p.positions['/b/2'].value.line, p.positions['/b/2'].value.column], [3, 21]);
    assert.equal(p.positions['/b/2'].key, undefined);
    assert.deepEqual([p.positions['/c/d'].key?.column, p.positions['/c/d'].value.column], [9, 14]);
    assert.equal(text.slice(p.positions['/c/e~0~1f'].key?.offset, p.positions['/c/e~0~1f'].key?.endOffset), '"e~/f"');
  });

  test('the root spans the whole document', () => {
    assert.deepEqual(p.positions[''].value, { line: 1, column: 1, endLine: 5, endColumn: 2, offset: 0, endOffset: text.length - 1 });
  });

  test('escapes and surrogate pairs', () => {
    assert.deepEqual(parseJson('{"a": "\\"\\\\\\/\\b\\f\\n\\r\\t\\ud83d\\ude00"}').value, { a: '"\\/\b\f\n\r\t😀' });
  });

  test('a byte order mark is skipped', () => {
    const bom = parseJson('\ufeff{\n  "brand": "Element"\n}\n');
    assert.deepEqual(bom.value, { brand: 'Element' });
    assert.equal(bom.error, undefined);
    assert.deepEqual([bom.positions['/brand'].value.line, bom.positions['/brand'].value.column], [2, 12]);
  });

  test('scalars and arrays are values too', () => {
    assert.deepEqual(parseJson('[1, "a"]').value, [1, 'a']);
    assert.equal(parseJson(' "x" ').value, 'x');
    assert.equal(parseJson('null').value, null);
  });
});

describe('parseJson duplicate keys', () => {
  test('the last one wins and each later one is noted with its span', () => {
    const p = parseJson('{"a": 1, "a": 2, "b": {"a": 3, "a": 4}}');
    assert.deepEqual(p.value, { a: 2, b: { a: 4 } });
    assert.deepEqual(
      p.duplicateKeys.map((d) => [d.path, d.span.line, d.span.column, d.span.endColumn]),
      [
        ['/a', 1, 10, 13],
        ['/b/a', 1, 32, 35],
      ],
    );
    assert.equal(p.positions['/a'].value.column, 15);
  });

  test('three times: two notes', () => {
    assert.equal(parseJson('{"a": 1, "a": 2, "a": 3}').duplicateKeys.length, 2);
  });
});

describe('parseJson errors with line and column', () => {
  const cases: [string, string, (string | number)[]][] = [
    ['a trailing comma in an object', '{\n  "a": 1,\n}\n', ['trailing comma before }', 3, 1]],
    ['a trailing comma in a list', '{"a": [1, 2,]}', ['trailing comma before ]', 1, 13]],
    ['a line comment', '{\n  // the homeserver\n  "a": 1\n}', ['comments are not allowed in JSON', 2, 3]],
    ['a comment after a value', '{"a": 1, // c\n"b": 2}', ['comments are not allowed in JSON', 1, 10]],
    ['a block comment where a value goes', '{"a": /* one */ 1}', ['comments are not allowed in JSON', 1, 7]],
    ['a block comment before the end', '{"a": 1 /* c */}', ['comments are not allowed in JSON', 1, 9]],
    ['a missing comma', '{\n  "a": 1\n  "b": 2\n}', ["expected ',' or '}' but found '\"'", 3, 3]],
    ['a missing colon', '{"a" 1}', ["expected ':' after key \"a\" but found '1'", 1, 6]],
    ['an unquoted key', '{a: 1}', ['expected a "key" but found \'a\'', 1, 2]],
    ['single quotes', "{'a': 1}", ["expected a \"key\" but found '''", 1, 2]],
    ['a line break in a string', '{"a": "x\ny"}', ['line break inside a string (missing closing quote?)', 1, 9]],
    ['an unterminated string', '{"a": "x', ['unterminated string', 1, 7]],
    ['an invalid escape', '{"a": "\\x"}', ['invalid escape in string', 1, 8]],
    ['a control character', '"\u0001"', ['control character inside a string', 1, 2]],
    ['a bare word', '{"a": tru}', ["unexpected 't'", 1, 7]],
    ['a leading zero', '{"a": 01}', ["expected ',' or '}' but found '1'", 1, 8]],
    ['a missing closing brace', '{"a": 1', ["expected ',' or '}' but found end of file", 1, 8]],
    ['garbage after the value', '{"a": 1}\nx', ["unexpected 'x' after the end of the JSON value", 2, 1]],
    ['an empty file', '', ['the file is empty', 1, 1]],
    ['a blank file', '  \n', ['the file is empty', 2, 1]],
  ];
  for (const [name, text, expected] of cases) test(name, () => assert.deepEqual(error(text), expected));

  test('the positions read before the error are kept', () => {
    const p = parseJson('{"a": 1, "b": [1,]}');
    assert.ok(p.positions['/a']);
    assert.ok(p.error);
  });
});

describe('parseJson depth limit', () => {
  const nested = (n: number) => '['.repeat(n) + ']'.repeat(n);

  test('256 levels are fine', () => {
    assert.equal(parseJson(nested(256)).error, undefined);
  });

  test('257 levels are not', () => {
    assert.equal(parseJson(nested(257)).error?.message, 'nested deeper than 256 levels');
  });

  test('deeper nesting is an error, not a stack overflow', () => {
    assert.deepEqual(error(nested(300)), ['nested deeper than 256 levels', 1, 257]);
    assert.deepEqual(error(nested(100_000)), ['nested deeper than 256 levels', 1, 257]);
  });
});
