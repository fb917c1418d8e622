// docker-jitsi-meet's .env parsing: comments, quotes, inline comments, export, empty values, the last
// assignment winning, and bad lines reported with their position.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseDotenv } from '../../src/parse/dotenv.js';

describe('parseDotenv', () => {
  test('plain assignments, comments and blank lines', () => {
    const p = parseDotenv('# Jitsi\n\nCONFIG=~/.jitsi-meet-cfg\nHTTP_PORT=8000\n   # indented comment\nTZ=UTC\n');
    assert.deepEqual(p.values, { CONFIG: '~/.jitsi-meet-cfg', HTTP_PORT: '8000', TZ: 'UTC' });
    assert.deepEqual(
      p.entries.map((e) => [e.name, e.line]),
      [
        ['CONFIG', 3],
        ['HTTP_PORT', 4],
        ['TZ', 6],
      ],
    );
    assert.deepEqual(p.problems, []);
  });

  test('non-ASCII comments (the seed file is commented in Chinese)', () => {
    const p = parseDotenv('# 指定 HTTP/HTTPS 端口\nHTTPS_PORT=443\n');
    assert.deepEqual(p.values, { HTTPS_PORT: '443' });
    assert.equal(p.entries[0].line, 2);
  });

  test('double quotes: escapes, and # is not a comment inside them', () => {
    const p = parseDotenv('A="one # two"  # a comment\nB="tab\\there\\nnew \\"quoted\\" \\\\ end"\n');
    assert.equal(p.values.A, 'one # two');
    assert.equal(p.values.B, 'tab\there\nnew "quoted" \\ end');
    assert.equal(p.entries[0].quote, '"');
  });

  test('single quotes are literal', () => {
    const p = parseDotenv("A='no \\n escapes # here'\n");
    assert.equal(p.values.A, 'no \\n escapes # here');
    assert.equal(p.entries[0].quote, "'");
  });

  test('inline comments after unquoted values need whitespace before #', () => {
    const p = parseDotenv('A=value # comment\nB=value\t# tab comment\nC=val#ue\nD=http://x/#frag\n');
    assert.deepEqual(p.values, { A: 'value', B: 'value', C: 'val#ue', D: 'http://x/#frag' });
  });

  test('export, spaces around =, leading indentation, trailing spaces', () => {
    const p = parseDotenv('export PUBLIC_URL=https://meet.example.com\nB = two\n   C=three\nD=four   \n');
    assert.deepEqual(p.values, { PUBLIC_URL: 'https://meet.example.com', B: 'two', C: 'three', D: 'four' });
  });

  test('empty values', () => {
    const p = parseDotenv('JICOFO_AUTH_PASSWORD=\nB=""\nC=\'\'\nD=   \n');
    assert.deepEqual(p.values, { JICOFO_AUTH_PASSWORD: '', B: '', C: '', D: '' });
    assert.equal(p.entries[0].quote, undefined);
    assert.deepEqual([p.entries[0].valueSpan.column, p.entries[0].valueSpan.endColumn], [22, 22]);
  });

  test('the last assignment wins; entries keep every one', () => {
    const p = parseDotenv('PUBLIC_URL=https://old.example.com\nPUBLIC_URL=https://meet.example.com\n');
    assert.equal(p.values.PUBLIC_URL, 'https://meet.example.com');
    assert.equal(p.entries.length, 2);
    assert.equal(p.entries.findLast((e) => e.name === 'PUBLIC_URL')?.line, 2);
  });

  test('a bare name takes its value from the environment: not set here', () => {
    const p = parseDotenv('TZ\nA=1\n');
    assert.deepEqual(p.values, { A: '1' });
    assert.deepEqual(p.problems, []);
  });

  test('value and line spans', () => {
    const text = 'A=1\nexport  PUBLIC_URL="https://meet.example.com" # c\n';
    const p = parseDotenv(text);
    const e = p.entries[1];
    assert.deepEqual([e.valueSpan.line, e.valueSpan.column, e.valueSpan.endColumn], [2, 20, 46]);
    assert.equal(text.slice(e.valueSpan.offset, e.valueSpan.endOffset), '"https://meet.example.com"');
    assert.equal(text.slice(e.lineSpan.offset, e.lineSpan.endOffset), 'export  PUBLIC_URL="https://meet.example.com" # c');
  });

  test('CRLF line endings', () => {
    const text = 'A=1\r\nB=two\r\n';
    const p = parseDotenv(text);
    assert.deepEqual(p.values, { A: '1', B: 'two' });
    assert.equal(text.slice(p.entries[1].valueSpan.offset, p.entries[1].valueSpan.endOffset), 'two');
  });

  test('bad lines are problems with their position, and parsing goes on', () => {
    const p = parseDotenv('A=1\nthis is not an assignment\n1X=bad\nB="unterminated\n  C-D.e=ok\nE=2\n');
    assert.deepEqual(p.values, { A: '1', 'C-D.e': 'ok', E: '2' });
    assert.deepEqual(
      p.problems.map((x) => [x.message, x.span.line, x.span.column]),
      [
        ["expected NAME=value, found 'this is not an assignment'", 2, 1],
        ["'1X' is not a valid variable name", 3, 1],
        ['unterminated double quote in B', 4, 3],
      ],
    );
  });
});
