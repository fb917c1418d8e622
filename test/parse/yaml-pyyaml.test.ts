// Syntax errors as PyYAML reports them (src/parse/yaml-pyyaml.ts, seen through parseYaml): each case was
// checked against PyYAML 6.0.3's yaml.safe_load. Its context and problem are the strings Synapse's
// traceback prints; its context mark is where the unclosed construct starts, its problem mark where PyYAML
// gave up (often the end of the file); matrixdoc's position (`span`) is the first for an unclosed construct.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { InputError } from '../../src/engine/errors.js';
import { readProfile } from '../../src/engine/inputs.js';
import { formatPyYamlError, parseYaml, pyyamlError, unclosedConstruct } from '../../src/parse/yaml.js';
import { pyRepr } from '../../src/parse/yaml-pyyaml.js';

type Mark = [line: number, column: number];

interface Case {
  name: string;
  text: string;
  context?: string;
  contextMark?: Mark;
  problem: string;
  problemMark: Mark;
  /** What parseYaml reports first (YamlProblem.span). */
  primary: Mark;
}

const QUOTED = 'while scanning a quoted scalar';
const EOS = 'found unexpected end of stream';

const unclosed: Case[] = [
  {
    name: 'a double-quoted scalar (line 1 of a 2-line file; it was reported at 3:1, the end)',
    text: 'server_name: "example.com\nreport_stats: false\n',
    context: QUOTED,
    contextMark: [1, 14],
    problem: EOS,
    problemMark: [3, 1],
    primary: [1, 14],
  },
  { name: 'a single-quoted scalar', text: "a: 'x\nb: 1\n", context: QUOTED, contextMark: [1, 4], problem: EOS, problemMark: [3, 1], primary: [1, 4] },
  {
    name: 'a quote opened on the last line, with no line break after it (5:1 in a 4-line file)',
    text: 'a: 1\nb: 2\nc: 3\nd: 4\n"',
    context: QUOTED,
    contextMark: [5, 1],
    problem: EOS,
    problemMark: [5, 2],
    primary: [5, 1],
  },
  {
    name: 'a quote at the very end of a one-line file',
    text: 'a: "x',
    context: QUOTED,
    contextMark: [1, 4],
    problem: EOS,
    problemMark: [1, 6],
    primary: [1, 4],
  },
  {
    name: 'a quoted scalar running into a document separator',
    text: 'a: "x\n---\n',
    context: QUOTED,
    contextMark: [1, 4],
    problem: 'found unexpected document separator',
    problemMark: [2, 1],
    primary: [1, 4],
  },
  {
    name: 'a flow sequence at the end of the file',
    text: 'a: [1, 2\n',
    context: 'while parsing a flow sequence',
    contextMark: [1, 4],
    problem: "expected ',' or ']', but got '<stream end>'",
    problemMark: [2, 1],
    primary: [1, 4],
  },
  {
    name: 'a flow sequence followed by the next key (the MXD-HS-002 example)',
    text: "listeners:\n  - port: 8008\n    bind_addresses: ['::1', '127.0.0.1'\nreport_stats: false\n",
    context: 'while parsing a flow sequence',
    contextMark: [3, 21],
    problem: "expected ',' or ']', but got '<scalar>'",
    problemMark: [4, 1],
    primary: [3, 21],
  },
  {
    name: 'a flow sequence whose next line reads as part of it',
    text: 'a: [1, 2\nb: 3\n',
    context: 'while parsing a flow sequence',
    contextMark: [1, 4],
    problem: "expected ',' or ']', but got ':'",
    problemMark: [2, 2],
    primary: [1, 4],
  },
  {
    name: 'a flow mapping',
    text: 'a: {b: 1\n',
    context: 'while parsing a flow mapping',
    contextMark: [1, 4],
    problem: "expected ',' or '}', but got '<stream end>'",
    problemMark: [2, 1],
    primary: [1, 4],
  },
  {
    name: 'a flow mapping nested in a flow sequence: the inner one',
    text: 'a: [1, {b: 2\n',
    context: 'while parsing a flow mapping',
    contextMark: [1, 8],
    problem: "expected ',' or '}', but got '<stream end>'",
    problemMark: [2, 1],
    primary: [1, 8],
  },
  {
    // PyYAML's own marks are both the end of the stream here: matrixdoc points at the innermost open '{'.
    name: '`[ {` opened on line 3 and never closed (it was reported at 4:1, the end)',
    text: 'a: 1\nb: 2\nc: [ {\n',
    context: 'while parsing a flow node',
    contextMark: [4, 1],
    problem: "expected the node content, but found '<stream end>'",
    problemMark: [4, 1],
    primary: [3, 6],
  },
  {
    name: 'a block scalar header',
    text: 'a: |x\n',
    context: 'while scanning a block scalar',
    contextMark: [1, 4],
    problem: "expected chomping or indentation indicators, but found 'x'",
    problemMark: [1, 5],
    primary: [1, 4],
  },
  {
    name: 'a block scalar indentation indicator of 0',
    text: 'a: |0\n',
    context: 'while scanning a block scalar',
    contextMark: [1, 4],
    problem: 'expected indentation indicator in the range 1-9, but found 0',
    problemMark: [1, 5],
    primary: [1, 4],
  },
  {
    name: 'an anchor with no name',
    text: 'a: &\n',
    context: 'while scanning an anchor',
    contextMark: [1, 4],
    problem: "expected alphabetic or numeric character, but found '\\n'",
    problemMark: [1, 5],
    primary: [1, 4],
  },
  {
    name: 'an alias at the very end',
    text: 'a: *',
    context: 'while scanning an alias',
    contextMark: [1, 4],
    problem: "expected alphabetic or numeric character, but found '\\x00'",
    problemMark: [1, 5],
    primary: [1, 4],
  },
  {
    name: 'a verbatim tag',
    text: 'a: !<x\n',
    context: 'while parsing a tag',
    contextMark: [1, 4],
    problem: "expected '>', but found '\\n'",
    problemMark: [1, 7],
    primary: [1, 4],
  },
  {
    name: 'a key with no colon',
    text: 'a: 1\nb\nc: 2\n',
    context: 'while scanning a simple key',
    contextMark: [2, 1],
    problem: "could not find expected ':'",
    problemMark: [3, 1],
    primary: [2, 1],
  },
  {
    name: 'an unknown escape in a double-quoted scalar',
    text: 'a: "\\q"\n',
    context: 'while scanning a double-quoted scalar',
    contextMark: [1, 4],
    problem: "found unknown escape character 'q'",
    problemMark: [1, 6],
    primary: [1, 4],
  },
];

// The context is an enclosing block, the first document or the first anchor: the mistake is at the problem mark.
const atProblem: Case[] = [
  {
    name: 'a misindented key (the context is the mapping that starts the file)',
    text: 'a:\n  b: 1\n c: 2\n',
    context: 'while parsing a block mapping',
    contextMark: [1, 1],
    problem: "expected <block end>, but found '<block mapping start>'",
    problemMark: [3, 2],
    primary: [3, 2],
  },
  {
    name: 'a line after a block scalar indented less than its key',
    text: 'a: |\n  x\n b: 1\n',
    context: 'while parsing a block mapping',
    contextMark: [1, 1],
    problem: "expected <block end>, but found '<block mapping start>'",
    problemMark: [3, 2],
    primary: [3, 2],
  },
  {
    name: 'a key after a top-level sequence',
    text: '- a\nb: 1\n',
    context: 'while parsing a block collection',
    contextMark: [1, 1],
    problem: "expected <block end>, but found '?'",
    problemMark: [2, 1],
    primary: [2, 1],
  },
  {
    name: 'two documents',
    text: 'a: 1\n---\nb: 2\n',
    context: 'expected a single document in the stream',
    contextMark: [1, 1],
    problem: 'but found another document',
    problemMark: [2, 1],
    primary: [2, 1],
  },
  {
    name: 'an anchor defined twice',
    text: 'a: &x 1\nb: &x 2\n',
    context: "found duplicate anchor 'x'; first occurrence",
    contextMark: [1, 4],
    problem: 'second occurrence',
    problemMark: [2, 4],
    primary: [2, 4],
  },
  { name: 'no context: a value after a value', text: 'a: b: c\n', problem: 'mapping values are not allowed here', problemMark: [1, 5], primary: [1, 5] },
  { name: 'no context: an undefined alias', text: 'a: *y\n', problem: "found undefined alias 'y'", problemMark: [1, 4], primary: [1, 4] },
  {
    name: 'no context mark: a character that starts no token',
    text: 'a: @x\n',
    context: 'while scanning for the next token',
    problem: "found character '@' that cannot start any token",
    problemMark: [1, 4],
    primary: [1, 4],
  },
  {
    name: "a control character (PyYAML's reader)",
    text: 'a: "\x01"\n',
    problem: 'unacceptable character #x0001: special characters are not allowed',
    problemMark: [1, 5],
    primary: [1, 5],
  },
];

const pair = (span: { line: number; column: number } | undefined): Mark | undefined => (span ? [span.line, span.column] : undefined);

function check(c: Case): void {
  const parsed = parseYaml(c.text);
  assert.equal(parsed.value, undefined, 'Synapse cannot read it: no value');
  const syntax = parsed.problems.filter((p) => p.kind === 'syntax');
  assert.equal(syntax.length, 1, 'PyYAML stops at its first error');
  const [p] = syntax;
  assert.deepEqual(
    { context: p.context, contextMark: pair(p.contextMark), problem: p.problem, problemMark: pair(p.problemMark), primary: pair(p.span) },
    { context: c.context, contextMark: c.contextMark, problem: c.problem, problemMark: c.problemMark, primary: c.primary },
  );
  assert.equal(p.lineText, c.text.split('\n')[c.primary[0] - 1]);
  // The message carries PyYAML's words and both marks, on one line.
  assert.ok(p.message.includes(c.problem), p.message);
  if (c.context) assert.ok(p.message.startsWith(c.context), p.message);
  assert.ok(p.message.includes(`(line ${c.problemMark[0]}, column ${c.problemMark[1]})`), p.message);
  assert.doesNotMatch(p.message, /\n/);
}

describe('PyYAML syntax errors: unclosed constructs, at the start of the construct', () => {
  for (const c of unclosed) test(c.name, () => check(c));
});

describe('PyYAML syntax errors: at the problem mark', () => {
  for (const c of atProblem) test(c.name, () => check(c));
});

describe('the one-line message', () => {
  test('context with its mark, then problem with its mark', () => {
    assert.equal(
      parseYaml('server_name: "example.com\nreport_stats: false\n').problems[0].message,
      'while scanning a quoted scalar (line 1, column 14): found unexpected end of stream (line 3, column 1)',
    );
    assert.equal(
      parseYaml('a: [1, {b: 2\n').problems[0].message,
      "while parsing a flow mapping (line 1, column 8): expected ',' or '}', but got '<stream end>' (line 2, column 1)",
    );
  });

  test('a context mark that is the problem mark is left out, as PyYAML prints it; an open bracket it does not name is added', () => {
    assert.equal(
      parseYaml('a: 1\nb: 2\nc: [ {\n').problems[0].message,
      "while parsing a flow node: expected the node content, but found '<stream end>' (line 4, column 1); the '{' at line 3, column 6 is not closed",
    );
  });

  test('no context', () => {
    assert.equal(parseYaml('a: b: c\n').problems[0].message, 'mapping values are not allowed here (line 1, column 5)');
    const e = pyyamlError('a: @x\n');
    assert.ok(e);
    assert.equal(formatPyYamlError(e), "while scanning for the next token: found character '@' that cannot start any token (line 1, column 4)");
  });

  test("columns as PyYAML counts them (code points) in the message; the span's are UTF-16, as everywhere in matrixdoc", () => {
    const [p] = parseYaml('\u{1F600}: "x').problems;
    assert.match(p.message, /^while scanning a quoted scalar \(line 1, column 4\)/);
    assert.deepEqual([p.span.line, p.span.column, p.span.offset], [1, 5, 4]);
  });
});

describe('PyYAML errors and the rest of parseYaml', () => {
  test('tabs: reported as tabs, and the syntax error is what PyYAML says once they are spaces', () => {
    const p = parseYaml('a:\t"x\nb: 1\n');
    assert.deepEqual(
      p.problems.map((x) => [x.kind, x.span.line, x.span.column]),
      [
        ['tab', 1, 3],
        ['syntax', 1, 4],
      ],
    );
    assert.equal(p.problems[1].context, 'while scanning a quoted scalar');
    assert.equal(p.value, undefined);
  });

  test('a tab-only problem is not also a syntax error', () => {
    assert.deepEqual(
      parseYaml('a: 1\t# c\nb: 2\n').problems.map((x) => x.kind),
      ['tab'],
    );
  });

  test('files the `yaml` package reads but PyYAML does not: a syntax error, and no value', () => {
    for (const text of ['a: &x 1\nb: &x 2\n', 'a: "\x7f"\n', '%YAML 1.1\n%YAML 1.1\n---\na: 1\n']) {
      const p = parseYaml(text);
      assert.deepEqual(
        p.problems.map((x) => x.kind),
        ['syntax'],
        text,
      );
      assert.equal(p.value, undefined, text);
    }
  });

  test('valid files have no PyYAML error', () => {
    for (const text of ['', '# c\n', 'a: [1, {b: "x"}]\n', 'a: |\n  x\n  \tb\n', '? a\n: b\n', '&a [*a]', 'a: !!str 1\n', '%YAML 1.1\n---\na: 1\n...\n']) {
      assert.equal(pyyamlError(text), undefined, JSON.stringify(text));
    }
  });
});

describe('PyYAML reader: text checked 4096 characters at a time, as read from a file', () => {
  test('a control character PyYAML has not read yet comes after an earlier syntax error', () => {
    const e = pyyamlError(`a: b: c\n${'#'.repeat(9000)}\x01\n`);
    assert.equal(e?.problem, 'mapping values are not allowed here');
  });

  test('a control character in the first chunk comes first', () => {
    const e = pyyamlError(`a: 1\n${'#'.repeat(100)}\x01\nb: c: d\n`);
    assert.deepEqual([e?.error, e?.problem, e?.problemMark.index], ['ReaderError', 'unacceptable character #x0001: special characters are not allowed', 105]);
  });
});

describe('unclosedConstruct (for the one-line errors about profiles)', () => {
  test('the quote, bracket or brace that is not closed, with PyYAML context', () => {
    assert.deepEqual(unclosedConstruct('server-name: "example.com\noffline: true\n'), { context: 'while scanning a quoted scalar', offset: 13 });
    assert.deepEqual(unclosedConstruct('a: [1, {b: 2\n'), { context: 'while parsing a flow mapping', offset: 7 });
    assert.deepEqual(unclosedConstruct('a: 1\nb: 2\nc: [ {\n'), { context: 'while parsing a flow mapping', offset: 15 });
  });

  test('nothing when the text parses or the error is not about an unclosed construct', () => {
    assert.equal(unclosedConstruct('a: 1\n'), undefined);
    assert.equal(unclosedConstruct('a: b: c\n'), undefined);
    assert.equal(unclosedConstruct('a:\n  b: 1\n c: 2\n'), undefined);
  });
});

test("pyRepr prints characters as Python's repr() does", () => {
  assert.deepEqual([0, 9, 10, 13, 0x20, 0x27, 0x5c, 0x41, 0x85, 0x2028, 0xe9, 0x1f600, 0xe000].map(pyRepr), [
    "'\\x00'",
    "'\\t'",
    "'\\n'",
    "'\\r'",
    "' '",
    `"'"`,
    "'\\\\'",
    "'A'",
    "'\\x85'",
    "'\\u2028'",
    "'é'",
    "'\u{1F600}'",
    "'\\ue000'",
  ]);
});

test("a profile's one-line syntax error names where the unclosed quote or bracket opens", () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'matrixdoc-profile-'));
  const file = path.join(dir, 'matrixdoc.yaml');
  const oneLine = (text: string) => {
    writeFileSync(file, text);
    try {
      readProfile(file);
    } catch (error) {
      return (error as InputError).oneLine();
    }
    return 'read';
  };
  try {
    assert.equal(oneLine('server-name: "example.com\noffline: true\n'), `${file}:3:1: Missing closing "quote (while scanning a quoted scalar at ${file}:1:14)`);
    assert.match(oneLine('server-name: x\nhomeserver-config: [a, b\n'), new RegExp(`^${file}:3:1: .*\\(while parsing a flow sequence at ${file}:2:20\\)$`));
    assert.match(oneLine('a: 1\nserver-name: [ {\n'), new RegExp(`\\(while parsing a flow mapping at ${file}:2:16\\)$`));
    // Not about an unclosed construct: the message as it was.
    assert.equal(oneLine('server-name: a: b\n'), `${file}:1:14: Nested mappings are not allowed in compact mappings`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
