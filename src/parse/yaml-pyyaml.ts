// The first error PyYAML's yaml.safe_load raises on a text, with PyYAML's own wording and marks: a port of
// PyYAML 6.0's reader check (unacceptable characters, read in 4096-character chunks as from a file), its
// scanner and parser, and the composer's document and anchor checks. Synapse reads homeserver.yaml with
// exactly this code, so an admin can compare what we say with Synapse's traceback word for word.
//
// It only finds errors: values still come from the `yaml` package (src/parse/yaml.ts). Not ported: the
// constructor's errors (unknown tags, unhashable keys, bad merges), which come after a clean parse.
//
// Positions are code point indexes, as PyYAML counts (`line`/`column` are PyYAML's, 0-based, as in its
// Mark); `codePointOffsets` turns them into UTF-16 offsets for the rest of matrixdoc.

export interface PyYamlMark {
  /** Code point index into the text. */
  index: number;
  /** 0-based, as PyYAML counts them (a lone \r, \x85, \u2028 and \u2029 also break lines; a BOM has no column). */
  line: number;
  column: number;
}

export interface PyYamlError {
  /** PyYAML's exception class. */
  error: 'ReaderError' | 'ScannerError' | 'ParserError' | 'ComposerError';
  /** "while scanning a quoted scalar": the construct PyYAML was reading, or undefined. */
  context?: string;
  /** Where that construct starts (PyYAML's context_mark); undefined when PyYAML gives none. */
  contextMark?: PyYamlMark;
  /** "found unexpected end of stream": what went wrong. */
  problem: string;
  /** Where PyYAML gave up (problem_mark; for a ReaderError, the character's position). */
  problemMark: PyYamlMark;
  /**
   * The innermost '[' or '{' still open where PyYAML gave up, when PyYAML's own marks do not name it: an
   * unclosed `[ {` at the end of the file is "while parsing a flow node ... expected the node content" at
   * the end of the stream, for both marks.
   */
  unclosedFlow?: { indicator: '[' | '{'; mark: PyYamlMark };
}

/** Where an admin should look first: the start of the unclosed construct, else where PyYAML gave up. */
export function primaryMark(e: PyYamlError): PyYamlMark {
  if (e.unclosedFlow) return e.unclosedFlow.mark;
  if (!e.contextMark) return e.problemMark;
  // These contexts name an enclosing block, the whole document or the first of two anchors: the mistake
  // is at the problem mark (the misindented line, the second document, the second anchor).
  if (/^while parsing a block (?:collection|mapping)$|^expected a single document|^found duplicate anchor/.test(e.context ?? '')) return e.problemMark;
  return e.contextMark;
}

class Failure {
  constructor(readonly error: PyYamlError) {}
}

// Code points.
const NUL = 0;
const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
const NEL = 0x85;
const LS = 0x2028;
const PS = 0x2029;
const BOM = 0xfeff;
const c = (s: string) => s.charCodeAt(0);

const isBreak = (ch: number) => ch === LF || ch === CR || ch === NEL || ch === LS || ch === PS;
const isBreakz = (ch: number) => ch === NUL || isBreak(ch);
const isBlankz = (ch: number) => ch === SPACE || ch === TAB || isBreakz(ch);
/** '\0 \r\n\x85\u2028\u2029': blank-or-break without the tab. */
const isSpaceBreakz = (ch: number) => ch === SPACE || isBreakz(ch);
const isDigit = (ch: number) => ch >= 48 && ch <= 57;
const isWordChar = (ch: number) => isDigit(ch) || (ch >= 65 && ch <= 90) || (ch >= 97 && ch <= 122) || ch === c('-') || ch === c('_');
const isHex = (ch: number) => isDigit(ch) || (ch >= 65 && ch <= 70) || (ch >= 97 && ch <= 102);
const inSet = (set: string) => {
  const codes = new Set([...set].map((x) => x.codePointAt(0) as number));
  return (ch: number) => codes.has(ch);
};
const isUriChar = inSet("-;/?:@&=+$,_.!~*'()[]%");
const isAnchorEnd = inSet('?:,]}%@`');
const isPlainFlowStop = inSet(',?[]{}');
const isPlainFlowAfterColon = inSet(',[]{}');
const isNotPlainStart = inSet('-?:,[]{}#&*!|>\'"%@`');
const isPrintable = (ch: number) =>
  ch === TAB ||
  ch === LF ||
  ch === CR ||
  (ch >= 0x20 && ch <= 0x7e) ||
  ch === NEL ||
  (ch >= 0xa0 && ch <= 0xd7ff) ||
  (ch >= 0xe000 && ch <= 0xfffd) ||
  (ch >= 0x10000 && ch <= 0x10ffff);

/** Python's repr() of one character, as PyYAML's messages print it ('\n', '\x00', "'"...). */
export function pyRepr(ch: number): string {
  if (ch === c("'")) return `"'"`;
  if (ch === c('\\')) return "'\\\\'";
  if (ch === TAB) return "'\\t'";
  if (ch === LF) return "'\\n'";
  if (ch === CR) return "'\\r'";
  const s = String.fromCodePoint(ch);
  if (ch === SPACE || !/[\p{C}\p{Z}]/u.test(s)) return `'${s}'`;
  if (ch < 0x100) return `'\\x${ch.toString(16).padStart(2, '0')}'`;
  if (ch < 0x10000) return `'\\u${ch.toString(16).padStart(4, '0')}'`;
  return `'\\U${ch.toString(16).padStart(8, '0')}'`;
}

enum T {
  StreamStart,
  StreamEnd,
  Directive,
  DocumentStart,
  DocumentEnd,
  BlockSequenceStart,
  BlockMappingStart,
  BlockEnd,
  FlowSequenceStart,
  FlowMappingStart,
  FlowSequenceEnd,
  FlowMappingEnd,
  Key,
  Value,
  BlockEntry,
  FlowEntry,
  Alias,
  Anchor,
  Tag,
  Scalar,
}

/** PyYAML's token ids, as its parser errors print them. */
const TOKEN_ID: Record<T, string> = {
  [T.StreamStart]: '<stream start>',
  [T.StreamEnd]: '<stream end>',
  [T.Directive]: '<directive>',
  [T.DocumentStart]: '<document start>',
  [T.DocumentEnd]: '<document end>',
  [T.BlockSequenceStart]: '<block sequence start>',
  [T.BlockMappingStart]: '<block mapping start>',
  [T.BlockEnd]: '<block end>',
  [T.FlowSequenceStart]: '[',
  [T.FlowMappingStart]: '{',
  [T.FlowSequenceEnd]: ']',
  [T.FlowMappingEnd]: '}',
  [T.Key]: '?',
  [T.Value]: ':',
  [T.BlockEntry]: '-',
  [T.FlowEntry]: ',',
  [T.Alias]: '<alias>',
  [T.Anchor]: '<anchor>',
  [T.Tag]: '<tag>',
  [T.Scalar]: '<scalar>',
};

interface Token {
  type: T;
  start: PyYamlMark;
  end: PyYamlMark;
  /** Alias and anchor names, a directive's name, a tag's handle. */
  value?: string;
  /** A YAML directive's major version; a TAG directive's handle is `value2`. */
  major?: number;
  value2?: string;
}

interface SimpleKey {
  tokenNumber: number;
  required: boolean;
  index: number;
  line: number;
  mark: PyYamlMark;
}

/** PyYAML's Reader (text read from a file in 4096-character chunks, each checked when it is read) and Scanner. */
class Scanner {
  private readonly cp: Int32Array;
  private readonly n: number;
  // Reader.
  private index = 0;
  private line = 0;
  private column = 0;
  private readPos = 0;
  private loaded = 0;
  private eof = false;
  private nulAppended = false;
  private rawNone = true;
  // Scanner.
  private done = false;
  private flowLevel = 0;
  private tokens: Token[] = [];
  private head = 0;
  private tokensTaken = 0;
  private indent = -1;
  private readonly indents: number[] = [];
  private allowSimpleKey = true;
  private readonly possibleSimpleKeys = new Map<number, SimpleKey>();
  /** Marks of the '[' and '{' still open, innermost last. */
  readonly openFlows: { indicator: '[' | '{'; mark: PyYamlMark }[] = [];

  constructor(cp: Int32Array) {
    this.cp = cp;
    this.n = cp.length;
    // Reader.determine_encoding, for a text stream.
    while (!this.eof && (this.rawNone || this.readPos - this.loaded < 2)) this.updateRaw();
    this.update(1);
    const mark = this.mark();
    this.tokens.push({ type: T.StreamStart, start: mark, end: mark });
  }

  // --- Reader -----------------------------------------------------------------------------------------

  private updateRaw(): void {
    const size = Math.min(4096, this.n - this.readPos);
    this.readPos += size;
    this.rawNone = false;
    if (size === 0) this.eof = true;
  }

  private bufferEnd(): number {
    return this.loaded + (this.nulAppended ? 1 : 0);
  }

  private update(length: number): void {
    if (this.rawNone) return;
    while (this.bufferEnd() - this.index < length) {
      if (!this.eof) this.updateRaw();
      for (let i = this.loaded; i < this.readPos; i++) {
        if (!isPrintable(this.cp[i])) {
          const code = this.cp[i].toString(16).padStart(4, '0');
          const at = this.markAt(i);
          throw new Failure({ error: 'ReaderError', problem: `unacceptable character #x${code}: special characters are not allowed`, problemMark: at });
        }
      }
      this.loaded = this.readPos;
      if (this.eof) {
        this.nulAppended = true;
        this.rawNone = true;
        break;
      }
    }
  }

  /** The line and column of an index not yet reached (a ReaderError's position), counted as forward() does. */
  private markAt(index: number): PyYamlMark {
    let line = this.line;
    let column = this.column;
    for (let i = this.index; i < index; i++) {
      const ch = this.cp[i];
      if (ch === LF || ch === NEL || ch === LS || ch === PS || (ch === CR && this.cp[i + 1] !== LF)) {
        line++;
        column = 0;
      } else if (ch !== BOM) column++;
    }
    return { index, line, column };
  }

  private peek(k = 0): number {
    if (this.index + k >= this.bufferEnd()) this.update(k + 1);
    const at = this.index + k;
    return at < this.n ? this.cp[at] : NUL;
  }

  /** prefix(length) === s, for ASCII s. */
  private prefixIs(s: string): boolean {
    if (this.index + s.length >= this.bufferEnd()) this.update(s.length);
    for (let i = 0; i < s.length; i++) {
      const at = this.index + i;
      if ((at < this.n ? this.cp[at] : NUL) !== s.charCodeAt(i)) return false;
    }
    return true;
  }

  private prefix(length: number): string {
    if (this.index + length >= this.bufferEnd()) this.update(length);
    let s = '';
    for (let i = 0; i < length && this.index + i < this.n; i++) s += String.fromCodePoint(this.cp[this.index + i]);
    return s;
  }

  private forward(length = 1): void {
    if (this.index + length + 1 >= this.bufferEnd()) this.update(length + 1);
    while (length) {
      const ch = this.index < this.n ? this.cp[this.index] : NUL;
      this.index++;
      const next = this.index < this.n ? this.cp[this.index] : NUL;
      if (ch === LF || ch === NEL || ch === LS || ch === PS || (ch === CR && next !== LF)) {
        this.line++;
        this.column = 0;
      } else if (ch !== BOM) this.column++;
      length--;
    }
  }

  private mark(): PyYamlMark {
    return { index: this.index, line: this.line, column: this.column };
  }

  private fail(context: string | undefined, contextMark: PyYamlMark | undefined, problem: string, problemMark: PyYamlMark): never {
    throw new Failure({ error: 'ScannerError', ...(context === undefined ? {} : { context }), ...(contextMark ? { contextMark } : {}), problem, problemMark });
  }

  // --- Public -----------------------------------------------------------------------------------------

  /** Whether the next token is one of these types (up to four: no rest array on this hot path). */
  checkToken(a: T, b: T | -1 = -1, c: T | -1 = -1, d: T | -1 = -1): boolean {
    while (this.needMoreTokens()) this.fetchMoreTokens();
    if (this.head >= this.tokens.length) return false;
    const type = this.tokens[this.head].type;
    return type === a || type === b || type === c || type === d;
  }

  peekToken(): Token {
    while (this.needMoreTokens()) this.fetchMoreTokens();
    return this.tokens[this.head];
  }

  getToken(): Token {
    while (this.needMoreTokens()) this.fetchMoreTokens();
    this.tokensTaken++;
    const token = this.tokens[this.head++];
    if (this.head > 1024 && this.head * 2 > this.tokens.length) {
      this.tokens = this.tokens.slice(this.head);
      this.head = 0;
    }
    return token;
  }

  // --- Private ----------------------------------------------------------------------------------------

  private queued(): number {
    return this.tokens.length - this.head;
  }

  private needMoreTokens(): boolean {
    if (this.done) return false;
    if (this.head >= this.tokens.length) return true;
    this.staleSimpleKeys();
    return this.nextPossibleSimpleKey() === this.tokensTaken;
  }

  private fetchMoreTokens(): void {
    this.scanToNextToken();
    this.staleSimpleKeys();
    this.unwindIndent(this.column);
    const ch = this.peek();
    if (ch === NUL) this.fetchStreamEnd();
    else if (ch === c('%') && this.column === 0) this.fetchDirective();
    else if (ch === c('-') && this.checkDocumentIndicator('---')) this.fetchDocumentIndicator(T.DocumentStart);
    else if (ch === c('.') && this.checkDocumentIndicator('...')) this.fetchDocumentIndicator(T.DocumentEnd);
    else if (ch === c('[')) this.fetchFlowCollectionStart(T.FlowSequenceStart);
    else if (ch === c('{')) this.fetchFlowCollectionStart(T.FlowMappingStart);
    else if (ch === c(']')) this.fetchFlowCollectionEnd(T.FlowSequenceEnd);
    else if (ch === c('}')) this.fetchFlowCollectionEnd(T.FlowMappingEnd);
    else if (ch === c(',')) this.fetchFlowEntry();
    else if (ch === c('-') && isBlankz(this.peek(1))) this.fetchBlockEntry();
    else if (ch === c('?') && (this.flowLevel !== 0 || isBlankz(this.peek(1)))) this.fetchKey();
    else if (ch === c(':') && (this.flowLevel !== 0 || isBlankz(this.peek(1)))) this.fetchValue();
    else if (ch === c('*')) this.fetchAnchorOrAlias(T.Alias);
    else if (ch === c('&')) this.fetchAnchorOrAlias(T.Anchor);
    else if (ch === c('!')) this.fetchTag();
    else if ((ch === c('|') || ch === c('>')) && !this.flowLevel) this.fetchBlockScalar();
    else if (ch === c("'") || ch === c('"')) this.fetchFlowScalar(ch === c('"'));
    else if (this.checkPlain()) this.fetchPlain();
    else this.fail('while scanning for the next token', undefined, `found character ${pyRepr(ch)} that cannot start any token`, this.mark());
  }

  // Simple keys.

  // The possible simple keys are in the order they were saved (a level's key is deleted before its next
  // one is set, as in PyYAML's dict), which is the order of their token numbers and indexes: the first is
  // the nearest, and once one is not stale none after it is. So deep flow nesting stays linear.

  private nextPossibleSimpleKey(): number | undefined {
    if (this.possibleSimpleKeys.size === 0) return undefined;
    return this.possibleSimpleKeys.values().next().value?.tokenNumber;
  }

  private staleSimpleKeys(): void {
    if (this.possibleSimpleKeys.size === 0) return;
    for (const [level, key] of this.possibleSimpleKeys) {
      if (key.line === this.line && this.index - key.index <= 1024) return;
      if (key.required) this.fail('while scanning a simple key', key.mark, "could not find expected ':'", this.mark());
      this.possibleSimpleKeys.delete(level);
    }
  }

  private saveSimpleKey(): void {
    const required = !this.flowLevel && this.indent === this.column;
    if (this.allowSimpleKey) {
      this.removeSimpleKey();
      const tokenNumber = this.tokensTaken + this.queued();
      this.possibleSimpleKeys.set(this.flowLevel, { tokenNumber, required, index: this.index, line: this.line, mark: this.mark() });
    }
  }

  private removeSimpleKey(): void {
    const key = this.possibleSimpleKeys.get(this.flowLevel);
    if (key) {
      if (key.required) this.fail('while scanning a simple key', key.mark, "could not find expected ':'", this.mark());
      this.possibleSimpleKeys.delete(this.flowLevel);
    }
  }

  // Indentation.

  private unwindIndent(column: number): void {
    if (this.flowLevel) return;
    while (this.indent > column) {
      const mark = this.mark();
      this.indent = this.indents.pop() as number;
      this.tokens.push({ type: T.BlockEnd, start: mark, end: mark });
    }
  }

  private addIndent(column: number): boolean {
    if (this.indent < column) {
      this.indents.push(this.indent);
      this.indent = column;
      return true;
    }
    return false;
  }

  // Fetchers.

  private simpleToken(type: T): void {
    const start = this.mark();
    this.forward();
    this.tokens.push({ type, start, end: this.mark() });
  }

  private fetchStreamEnd(): void {
    this.unwindIndent(-1);
    this.removeSimpleKey();
    this.allowSimpleKey = false;
    this.possibleSimpleKeys.clear();
    const mark = this.mark();
    this.tokens.push({ type: T.StreamEnd, start: mark, end: mark });
    this.done = true;
  }

  private fetchDirective(): void {
    this.unwindIndent(-1);
    this.removeSimpleKey();
    this.allowSimpleKey = false;
    this.tokens.push(this.scanDirective());
  }

  private checkDocumentIndicator(s: string): boolean {
    return this.column === 0 && this.prefixIs(s) && isBlankz(this.peek(3));
  }

  private fetchDocumentIndicator(type: T): void {
    this.unwindIndent(-1);
    this.removeSimpleKey();
    this.allowSimpleKey = false;
    const start = this.mark();
    this.forward(3);
    this.tokens.push({ type, start, end: this.mark() });
  }

  private fetchFlowCollectionStart(type: T): void {
    this.saveSimpleKey();
    this.flowLevel++;
    this.allowSimpleKey = true;
    this.openFlows.push({ indicator: type === T.FlowSequenceStart ? '[' : '{', mark: this.mark() });
    this.simpleToken(type);
  }

  private fetchFlowCollectionEnd(type: T): void {
    this.removeSimpleKey();
    // PyYAML lets the flow level go negative on a stray ']' (the parser then reports it).
    this.flowLevel--;
    this.openFlows.pop();
    this.allowSimpleKey = false;
    this.simpleToken(type);
  }

  private fetchFlowEntry(): void {
    this.allowSimpleKey = true;
    this.removeSimpleKey();
    this.simpleToken(T.FlowEntry);
  }

  private fetchBlockEntry(): void {
    if (!this.flowLevel) {
      if (!this.allowSimpleKey) this.fail(undefined, undefined, 'sequence entries are not allowed here', this.mark());
      if (this.addIndent(this.column)) {
        const mark = this.mark();
        this.tokens.push({ type: T.BlockSequenceStart, start: mark, end: mark });
      }
    }
    this.allowSimpleKey = true;
    this.removeSimpleKey();
    this.simpleToken(T.BlockEntry);
  }

  private fetchKey(): void {
    if (!this.flowLevel) {
      if (!this.allowSimpleKey) this.fail(undefined, undefined, 'mapping keys are not allowed here', this.mark());
      if (this.addIndent(this.column)) {
        const mark = this.mark();
        this.tokens.push({ type: T.BlockMappingStart, start: mark, end: mark });
      }
    }
    this.allowSimpleKey = !this.flowLevel;
    this.removeSimpleKey();
    this.simpleToken(T.Key);
  }

  private fetchValue(): void {
    const key = this.possibleSimpleKeys.get(this.flowLevel);
    if (key) {
      this.possibleSimpleKeys.delete(this.flowLevel);
      const at = this.head + key.tokenNumber - this.tokensTaken;
      this.tokens.splice(at, 0, { type: T.Key, start: key.mark, end: key.mark });
      if (!this.flowLevel && this.addIndent(key.mark.column)) {
        this.tokens.splice(at, 0, { type: T.BlockMappingStart, start: key.mark, end: key.mark });
      }
      this.allowSimpleKey = false;
    } else {
      if (!this.flowLevel && !this.allowSimpleKey) this.fail(undefined, undefined, 'mapping values are not allowed here', this.mark());
      if (!this.flowLevel && this.addIndent(this.column)) {
        const mark = this.mark();
        this.tokens.push({ type: T.BlockMappingStart, start: mark, end: mark });
      }
      this.allowSimpleKey = !this.flowLevel;
      this.removeSimpleKey();
    }
    this.simpleToken(T.Value);
  }

  private fetchAnchorOrAlias(type: T.Alias | T.Anchor): void {
    this.saveSimpleKey();
    this.allowSimpleKey = false;
    this.tokens.push(this.scanAnchor(type));
  }

  private fetchTag(): void {
    this.saveSimpleKey();
    this.allowSimpleKey = false;
    this.tokens.push(this.scanTag());
  }

  private fetchBlockScalar(): void {
    this.allowSimpleKey = true;
    this.removeSimpleKey();
    this.tokens.push(this.scanBlockScalar());
  }

  private fetchFlowScalar(double: boolean): void {
    this.saveSimpleKey();
    this.allowSimpleKey = false;
    this.tokens.push(this.scanFlowScalar(double));
  }

  private fetchPlain(): void {
    this.saveSimpleKey();
    this.allowSimpleKey = false;
    this.tokens.push(this.scanPlain());
  }

  private checkPlain(): boolean {
    const ch = this.peek();
    return (!isBlankz(ch) && !isNotPlainStart(ch)) || (!isBlankz(this.peek(1)) && (ch === c('-') || (!this.flowLevel && (ch === c('?') || ch === c(':')))));
  }

  // Scanners.

  private scanToNextToken(): void {
    if (this.index === 0 && this.peek() === BOM) this.forward();
    for (;;) {
      while (this.peek() === SPACE) this.forward();
      if (this.peek() === c('#')) while (!isBreakz(this.peek())) this.forward();
      if (this.scanLineBreak()) {
        if (!this.flowLevel) this.allowSimpleKey = true;
      } else return;
    }
  }

  private skipSpaces(): void {
    while (this.peek() === SPACE) this.forward();
  }

  private scanDirective(): Token {
    const start = this.mark();
    this.forward();
    const name = this.scanDirectiveName(start);
    const token: Token = { type: T.Directive, start, end: start, value: name };
    if (name === 'YAML') {
      this.skipSpaces();
      const major = this.scanYamlDirectiveNumber(start);
      if (this.peek() !== c('.')) this.fail('while scanning a directive', start, `expected a digit or '.', but found ${pyRepr(this.peek())}`, this.mark());
      this.forward();
      this.scanYamlDirectiveNumber(start);
      if (!isSpaceBreakz(this.peek())) this.fail('while scanning a directive', start, `expected a digit or ' ', but found ${pyRepr(this.peek())}`, this.mark());
      token.major = major;
    } else if (name === 'TAG') {
      this.skipSpaces();
      const handle = this.scanTagHandle('directive', start);
      if (this.peek() !== SPACE) this.fail('while scanning a directive', start, `expected ' ', but found ${pyRepr(this.peek())}`, this.mark());
      this.skipSpaces();
      this.scanTagUri('directive', start);
      if (!isSpaceBreakz(this.peek())) this.fail('while scanning a directive', start, `expected ' ', but found ${pyRepr(this.peek())}`, this.mark());
      token.value2 = handle;
    } else {
      while (!isBreakz(this.peek())) this.forward();
    }
    token.end = this.mark();
    // scan_directive_ignored_line
    this.skipSpaces();
    if (this.peek() === c('#')) while (!isBreakz(this.peek())) this.forward();
    if (!isBreakz(this.peek()))
      this.fail('while scanning a directive', start, `expected a comment or a line break, but found ${pyRepr(this.peek())}`, this.mark());
    this.scanLineBreak();
    return token;
  }

  private scanDirectiveName(start: PyYamlMark): string {
    let length = 0;
    while (isWordChar(this.peek(length))) length++;
    if (!length)
      this.fail('while scanning a directive', start, `expected alphabetic or numeric character, but found ${pyRepr(this.peek(length))}`, this.mark());
    const value = this.prefix(length);
    this.forward(length);
    if (!isSpaceBreakz(this.peek()))
      this.fail('while scanning a directive', start, `expected alphabetic or numeric character, but found ${pyRepr(this.peek())}`, this.mark());
    return value;
  }

  private scanYamlDirectiveNumber(start: PyYamlMark): number {
    const ch = this.peek();
    if (!isDigit(ch)) this.fail('while scanning a directive', start, `expected a digit, but found ${pyRepr(ch)}`, this.mark());
    let length = 0;
    while (isDigit(this.peek(length))) length++;
    const value = Number(this.prefix(length));
    this.forward(length);
    return value;
  }

  private scanAnchor(type: T.Alias | T.Anchor): Token {
    const start = this.mark();
    const name = type === T.Alias ? 'alias' : 'anchor';
    this.forward();
    let length = 0;
    while (isWordChar(this.peek(length))) length++;
    if (!length) this.fail(`while scanning an ${name}`, start, `expected alphabetic or numeric character, but found ${pyRepr(this.peek(length))}`, this.mark());
    const value = this.prefix(length);
    this.forward(length);
    const ch = this.peek();
    if (!isBlankz(ch) && !isAnchorEnd(ch))
      this.fail(`while scanning an ${name}`, start, `expected alphabetic or numeric character, but found ${pyRepr(ch)}`, this.mark());
    return { type, start, end: this.mark(), value };
  }

  private scanTag(): Token {
    const start = this.mark();
    let ch = this.peek(1);
    let handle: string | undefined;
    if (ch === c('<')) {
      this.forward(2);
      this.scanTagUri('tag', start);
      if (this.peek() !== c('>')) this.fail('while parsing a tag', start, `expected '>', but found ${pyRepr(this.peek())}`, this.mark());
      this.forward();
    } else if (isBlankz(ch)) {
      this.forward();
    } else {
      let length = 1;
      let useHandle = false;
      while (!isSpaceBreakz(ch)) {
        if (ch === c('!')) {
          useHandle = true;
          break;
        }
        length++;
        ch = this.peek(length);
      }
      if (useHandle) handle = this.scanTagHandle('tag', start);
      else {
        handle = '!';
        this.forward();
      }
      this.scanTagUri('tag', start);
    }
    if (!isSpaceBreakz(this.peek())) this.fail('while scanning a tag', start, `expected ' ', but found ${pyRepr(this.peek())}`, this.mark());
    return { type: T.Tag, start, end: this.mark(), ...(handle === undefined ? {} : { value: handle }) };
  }

  private scanTagHandle(name: string, start: PyYamlMark): string {
    let ch = this.peek();
    if (ch !== c('!')) this.fail(`while scanning a ${name}`, start, `expected '!', but found ${pyRepr(ch)}`, this.mark());
    let length = 1;
    ch = this.peek(length);
    if (ch !== SPACE) {
      while (isWordChar(ch)) {
        length++;
        ch = this.peek(length);
      }
      if (ch !== c('!')) {
        this.forward(length);
        this.fail(`while scanning a ${name}`, start, `expected '!', but found ${pyRepr(ch)}`, this.mark());
      }
      length++;
    }
    const value = this.prefix(length);
    this.forward(length);
    return value;
  }

  private scanTagUri(name: string, start: PyYamlMark): void {
    let chunks = 0;
    let length = 0;
    let ch = this.peek(length);
    while (isWordChar(ch) || isUriChar(ch)) {
      if (ch === c('%')) {
        if (length) chunks++;
        this.forward(length);
        length = 0;
        this.scanUriEscapes(name, start);
        chunks++;
      } else length++;
      ch = this.peek(length);
    }
    if (length) {
      chunks++;
      this.forward(length);
    }
    if (!chunks) this.fail(`while parsing a ${name}`, start, `expected URI, but found ${pyRepr(ch)}`, this.mark());
  }

  private scanUriEscapes(name: string, start: PyYamlMark): void {
    const bytes: number[] = [];
    const mark = this.mark();
    while (this.peek() === c('%')) {
      this.forward();
      for (let k = 0; k < 2; k++) {
        if (!isHex(this.peek(k))) {
          this.fail(`while scanning a ${name}`, start, `expected URI escape sequence of 2 hexadecimal numbers, but found ${pyRepr(this.peek(k))}`, this.mark());
        }
      }
      bytes.push(Number.parseInt(this.prefix(2), 16));
      this.forward(2);
    }
    const problem = utf8Problem(bytes);
    if (problem) this.fail(`while scanning a ${name}`, start, problem, mark);
  }

  /** Literal or folded alike: only where it ends matters here, not its value. */
  private scanBlockScalar(): Token {
    const start = this.mark();
    this.forward();
    // scan_block_scalar_indicators
    let increment: number | undefined;
    let ch = this.peek();
    const zeroIndent = () => this.fail('while scanning a block scalar', start, 'expected indentation indicator in the range 1-9, but found 0', this.mark());
    if (ch === c('+') || ch === c('-')) {
      this.forward();
      ch = this.peek();
      if (isDigit(ch)) {
        increment = ch - 48;
        if (increment === 0) zeroIndent();
        this.forward();
      }
    } else if (isDigit(ch)) {
      increment = ch - 48;
      if (increment === 0) zeroIndent();
      this.forward();
      ch = this.peek();
      if (ch === c('+') || ch === c('-')) this.forward();
    }
    ch = this.peek();
    if (!isSpaceBreakz(ch))
      this.fail('while scanning a block scalar', start, `expected chomping or indentation indicators, but found ${pyRepr(ch)}`, this.mark());
    // scan_block_scalar_ignored_line
    this.skipSpaces();
    if (this.peek() === c('#')) while (!isBreakz(this.peek())) this.forward();
    ch = this.peek();
    if (!isBreakz(ch)) this.fail('while scanning a block scalar', start, `expected a comment or a line break, but found ${pyRepr(ch)}`, this.mark());
    this.scanLineBreak();

    const minIndent = Math.max(1, this.indent + 1);
    let indent: number;
    let end = this.mark();
    if (increment === undefined) {
      // scan_block_scalar_indentation
      let maxIndent = 0;
      while (this.peek() === SPACE || isBreak(this.peek())) {
        if (this.peek() !== SPACE) {
          this.scanLineBreak();
          end = this.mark();
        } else {
          this.forward();
          if (this.column > maxIndent) maxIndent = this.column;
        }
      }
      indent = Math.max(minIndent, maxIndent);
    } else {
      indent = minIndent + increment - 1;
      end = this.scanBlockScalarBreaks(indent) ?? end;
    }
    while (this.column === indent && this.peek() !== NUL) {
      while (!isBreakz(this.peek())) this.forward();
      this.scanLineBreak();
      end = this.scanBlockScalarBreaks(indent) ?? end;
      if (!(this.column === indent && this.peek() !== NUL)) break;
    }
    return { type: T.Scalar, start, end };
  }

  /** scan_block_scalar_breaks: the end mark. */
  private scanBlockScalarBreaks(indent: number): PyYamlMark {
    let end = this.mark();
    while (this.column < indent && this.peek() === SPACE) this.forward();
    while (isBreak(this.peek())) {
      this.scanLineBreak();
      end = this.mark();
      while (this.column < indent && this.peek() === SPACE) this.forward();
    }
    return end;
  }

  private scanFlowScalar(double: boolean): Token {
    const start = this.mark();
    const quote = this.peek();
    this.forward();
    this.scanFlowScalarNonSpaces(double, start);
    while (this.peek() !== quote) {
      this.scanFlowScalarSpaces(start);
      this.scanFlowScalarNonSpaces(double, start);
    }
    this.forward();
    return { type: T.Scalar, start, end: this.mark() };
  }

  private scanFlowScalarNonSpaces(double: boolean, start: PyYamlMark): void {
    for (;;) {
      for (;;) {
        const ch = this.peek();
        if (ch === c("'") || ch === c('"') || ch === c('\\') || isBlankz(ch)) break;
        this.forward();
      }
      const ch = this.peek();
      if (!double && ch === c("'") && this.peek(1) === c("'")) this.forward(2);
      else if ((double && ch === c("'")) || (!double && (ch === c('"') || ch === c('\\')))) this.forward();
      else if (double && ch === c('\\')) {
        this.forward();
        const e = this.peek();
        if (ESCAPE_REPLACEMENTS.has(e)) this.forward();
        else if (ESCAPE_CODES.has(e)) {
          const length = ESCAPE_CODES.get(e) as number;
          this.forward();
          for (let k = 0; k < length; k++) {
            if (!isHex(this.peek(k))) {
              this.fail(
                'while scanning a double-quoted scalar',
                start,
                `expected escape sequence of ${length} hexadecimal numbers, but found ${pyRepr(this.peek(k))}`,
                this.mark(),
              );
            }
          }
          // chr(code) raises ValueError (not a YAMLError, so no context) past U+10FFFF: Synapse stops all the same.
          if (Number.parseInt(this.prefix(length), 16) > 0x10ffff) this.fail(undefined, undefined, 'chr() arg not in range(0x110000)', this.mark());
          this.forward(length);
        } else if (isBreak(e)) {
          this.scanLineBreak();
          this.scanFlowScalarBreaks(start);
        } else this.fail('while scanning a double-quoted scalar', start, `found unknown escape character ${pyRepr(e)}`, this.mark());
      } else return;
    }
  }

  private scanFlowScalarSpaces(start: PyYamlMark): void {
    while (this.peek() === SPACE || this.peek() === TAB) this.forward();
    const ch = this.peek();
    if (ch === NUL) this.fail('while scanning a quoted scalar', start, 'found unexpected end of stream', this.mark());
    else if (isBreak(ch)) {
      this.scanLineBreak();
      this.scanFlowScalarBreaks(start);
    }
  }

  private scanFlowScalarBreaks(start: PyYamlMark): void {
    for (;;) {
      if ((this.prefixIs('---') || this.prefixIs('...')) && isBlankz(this.peek(3))) {
        this.fail('while scanning a quoted scalar', start, 'found unexpected document separator', this.mark());
      }
      while (this.peek() === SPACE || this.peek() === TAB) this.forward();
      if (isBreak(this.peek())) this.scanLineBreak();
      else return;
    }
  }

  private scanPlain(): Token {
    const start = this.mark();
    let end = start;
    const indent = this.indent + 1;
    for (;;) {
      let length = 0;
      if (this.peek() === c('#')) break;
      for (;;) {
        const ch = this.peek(length);
        if (
          isBlankz(ch) ||
          (ch === c(':') && (isBlankz(this.peek(length + 1)) || (this.flowLevel !== 0 && isPlainFlowAfterColon(this.peek(length + 1))))) ||
          (this.flowLevel !== 0 && isPlainFlowStop(ch))
        ) {
          break;
        }
        length++;
      }
      if (length === 0) break;
      this.allowSimpleKey = false;
      this.forward(length);
      end = this.mark();
      const spaces = this.scanPlainSpaces();
      if (!spaces || this.peek() === c('#') || (!this.flowLevel && this.column < indent)) break;
    }
    return { type: T.Scalar, start, end };
  }

  /** scan_plain_spaces: whether it returned a non-empty list of chunks. */
  private scanPlainSpaces(): boolean {
    let length = 0;
    while (this.peek(length) === SPACE) length++;
    this.forward(length);
    const ch = this.peek();
    if (isBreak(ch)) {
      this.scanLineBreak();
      this.allowSimpleKey = true;
      const separator = () => (this.prefixIs('---') || this.prefixIs('...')) && isBlankz(this.peek(3));
      if (separator()) return false;
      while (this.peek() === SPACE || isBreak(this.peek())) {
        if (this.peek() === SPACE) this.forward();
        else {
          this.scanLineBreak();
          if (separator()) return false;
        }
      }
      return true; // a line break always leaves at least one chunk (' ' or the breaks)
    }
    return length > 0;
  }

  private scanLineBreak(): boolean {
    const ch = this.peek();
    if (ch === CR || ch === LF || ch === NEL) {
      if (ch === CR && this.peek(1) === LF) this.forward(2);
      else this.forward();
      return true;
    }
    if (ch === LS || ch === PS) {
      this.forward();
      return true;
    }
    return false;
  }
}

const ESCAPE_REPLACEMENTS = new Set([...'0abt\tnvfre "\\/N_LP'].map((x) => x.charCodeAt(0)));
const ESCAPE_CODES = new Map([
  [c('x'), 2],
  [c('u'), 4],
  [c('U'), 8],
]);

/** Python's UnicodeDecodeError text for bytes that are not UTF-8 (a %-escape in a tag), or undefined. */
function utf8Problem(bytes: number[]): string | undefined {
  const fail = (from: number, to: number, reason: string) =>
    to - from === 1
      ? `'utf-8' codec can't decode byte 0x${bytes[from].toString(16).padStart(2, '0')} in position ${from}: ${reason}`
      : `'utf-8' codec can't decode bytes in position ${from}-${to - 1}: ${reason}`;
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return fail(i, i + 1, 'invalid start byte');
    for (let k = 1; k <= need; k++) {
      if (i + k >= bytes.length) return fail(i, bytes.length, 'unexpected end of data');
      const next = bytes[i + k];
      const [min, max] = k === 1 ? [lo, hi] : [0x80, 0xbf];
      if (next < min || next > max) return fail(i, i + k, 'invalid continuation byte');
    }
    i += need + 1;
  }
  return undefined;
}

enum S {
  ImplicitDocumentStart,
  DocumentStart,
  DocumentEnd,
  DocumentContent,
  BlockNode,
  BlockNodeOrIndentlessSequence,
  FlowNode,
  BlockSequenceFirstEntry,
  BlockSequenceEntry,
  IndentlessSequenceEntry,
  BlockMappingFirstKey,
  BlockMappingKey,
  BlockMappingValue,
  FlowSequenceFirstEntry,
  FlowSequenceEntry,
  FlowSequenceEntryMappingKey,
  FlowSequenceEntryMappingValue,
  FlowSequenceEntryMappingEnd,
  FlowMappingFirstKey,
  FlowMappingKey,
  FlowMappingValue,
  FlowMappingEmptyValue,
  End,
}

enum E {
  StreamStart,
  StreamEnd,
  DocumentStart,
  DocumentEnd,
  Alias,
  Scalar,
  SequenceStart,
  SequenceEnd,
  MappingStart,
  MappingEnd,
}

interface Event {
  type: E;
  start: PyYamlMark;
  anchor?: string;
}

/** PyYAML's Parser: a state machine over the scanner's tokens (no recursion, so deep nesting is fine). */
class Parser {
  private state: S = S.ImplicitDocumentStart;
  private readonly states: S[] = [];
  private readonly marks: PyYamlMark[] = [];
  private tagHandles = new Set(['!', '!!']);
  private started = false;

  constructor(private readonly scanner: Scanner) {}

  private fail(context: string | undefined, contextMark: PyYamlMark | undefined, problem: string, problemMark: PyYamlMark): never {
    throw new Failure({ error: 'ParserError', ...(context === undefined ? {} : { context }), ...(contextMark ? { contextMark } : {}), problem, problemMark });
  }

  /** The next event, or undefined after the stream end. */
  next(): Event | undefined {
    if (!this.started) {
      this.started = true;
      const token = this.scanner.getToken();
      return { type: E.StreamStart, start: token.start };
    }
    return this.step();
  }

  private pop(): S {
    return this.states.pop() as S;
  }

  private step(): Event | undefined {
    const sc = this.scanner;
    switch (this.state) {
      case S.End:
        return undefined;
      case S.ImplicitDocumentStart:
        if (!sc.checkToken(T.Directive, T.DocumentStart, T.StreamEnd)) {
          this.tagHandles = new Set(['!', '!!']);
          const token = sc.peekToken();
          this.states.push(S.DocumentEnd);
          this.state = S.BlockNode;
          return { type: E.DocumentStart, start: token.start };
        }
        return this.documentStart();
      case S.DocumentStart:
        return this.documentStart();
      case S.DocumentEnd: {
        const token = sc.peekToken();
        if (sc.checkToken(T.DocumentEnd)) sc.getToken();
        this.state = S.DocumentStart;
        return { type: E.DocumentEnd, start: token.start };
      }
      case S.DocumentContent:
        if (sc.checkToken(T.Directive, T.DocumentStart, T.DocumentEnd, T.StreamEnd)) {
          this.state = this.pop();
          return { type: E.Scalar, start: sc.peekToken().start };
        }
        return this.node(true, false);
      case S.BlockNode:
        return this.node(true, false);
      case S.BlockNodeOrIndentlessSequence:
        return this.node(true, true);
      case S.FlowNode:
        return this.node(false, false);
      case S.BlockSequenceFirstEntry:
        this.marks.push(sc.getToken().start);
        return this.blockSequenceEntry();
      case S.BlockSequenceEntry:
        return this.blockSequenceEntry();
      case S.IndentlessSequenceEntry: {
        if (sc.checkToken(T.BlockEntry)) {
          const token = sc.getToken();
          if (!sc.checkToken(T.BlockEntry, T.Key, T.Value, T.BlockEnd)) {
            this.states.push(S.IndentlessSequenceEntry);
            return this.node(true, false);
          }
          this.state = S.IndentlessSequenceEntry;
          return { type: E.Scalar, start: token.end };
        }
        const token = sc.peekToken();
        this.state = this.pop();
        return { type: E.SequenceEnd, start: token.start };
      }
      case S.BlockMappingFirstKey:
        this.marks.push(sc.getToken().start);
        return this.blockMappingKey();
      case S.BlockMappingKey:
        return this.blockMappingKey();
      case S.BlockMappingValue: {
        if (sc.checkToken(T.Value)) {
          const token = sc.getToken();
          if (!sc.checkToken(T.Key, T.Value, T.BlockEnd)) {
            this.states.push(S.BlockMappingKey);
            return this.node(true, true);
          }
          this.state = S.BlockMappingKey;
          return { type: E.Scalar, start: token.end };
        }
        this.state = S.BlockMappingKey;
        return { type: E.Scalar, start: sc.peekToken().start };
      }
      case S.FlowSequenceFirstEntry:
        this.marks.push(sc.getToken().start);
        return this.flowSequenceEntry(true);
      case S.FlowSequenceEntry:
        return this.flowSequenceEntry(false);
      case S.FlowSequenceEntryMappingKey: {
        const token = sc.getToken();
        if (!sc.checkToken(T.Value, T.FlowEntry, T.FlowSequenceEnd)) {
          this.states.push(S.FlowSequenceEntryMappingValue);
          return this.node(false, false);
        }
        this.state = S.FlowSequenceEntryMappingValue;
        return { type: E.Scalar, start: token.end };
      }
      case S.FlowSequenceEntryMappingValue: {
        if (sc.checkToken(T.Value)) {
          const token = sc.getToken();
          if (!sc.checkToken(T.FlowEntry, T.FlowSequenceEnd)) {
            this.states.push(S.FlowSequenceEntryMappingEnd);
            return this.node(false, false);
          }
          this.state = S.FlowSequenceEntryMappingEnd;
          return { type: E.Scalar, start: token.end };
        }
        this.state = S.FlowSequenceEntryMappingEnd;
        return { type: E.Scalar, start: sc.peekToken().start };
      }
      case S.FlowSequenceEntryMappingEnd:
        this.state = S.FlowSequenceEntry;
        return { type: E.MappingEnd, start: sc.peekToken().start };
      case S.FlowMappingFirstKey:
        this.marks.push(sc.getToken().start);
        return this.flowMappingKey(true);
      case S.FlowMappingKey:
        return this.flowMappingKey(false);
      case S.FlowMappingValue: {
        if (sc.checkToken(T.Value)) {
          const token = sc.getToken();
          if (!sc.checkToken(T.FlowEntry, T.FlowMappingEnd)) {
            this.states.push(S.FlowMappingKey);
            return this.node(false, false);
          }
          this.state = S.FlowMappingKey;
          return { type: E.Scalar, start: token.end };
        }
        this.state = S.FlowMappingKey;
        return { type: E.Scalar, start: sc.peekToken().start };
      }
      case S.FlowMappingEmptyValue:
        this.state = S.FlowMappingKey;
        return { type: E.Scalar, start: sc.peekToken().start };
    }
  }

  private documentStart(): Event {
    const sc = this.scanner;
    while (sc.checkToken(T.DocumentEnd)) sc.getToken();
    if (!sc.checkToken(T.StreamEnd)) {
      const start = sc.peekToken().start;
      this.processDirectives();
      if (!sc.checkToken(T.DocumentStart))
        this.fail(undefined, undefined, `expected '<document start>', but found '${TOKEN_ID[sc.peekToken().type]}'`, sc.peekToken().start);
      sc.getToken();
      this.states.push(S.DocumentEnd);
      this.state = S.DocumentContent;
      return { type: E.DocumentStart, start };
    }
    const token = sc.getToken();
    this.state = S.End;
    return { type: E.StreamEnd, start: token.start };
  }

  private processDirectives(): void {
    const sc = this.scanner;
    let version = false;
    const handles = new Set<string>();
    while (sc.checkToken(T.Directive)) {
      const token = sc.getToken();
      if (token.value === 'YAML') {
        if (version) this.fail(undefined, undefined, 'found duplicate YAML directive', token.start);
        if (token.major !== 1) this.fail(undefined, undefined, 'found incompatible YAML document (version 1.* is required)', token.start);
        version = true;
      } else if (token.value === 'TAG') {
        const handle = token.value2 as string;
        if (handles.has(handle)) this.fail(undefined, undefined, `duplicate tag handle ${pyStr(handle)}`, token.start);
        handles.add(handle);
      }
    }
    this.tagHandles = new Set([...handles, '!', '!!']);
  }

  private node(block: boolean, indentlessSequence: boolean): Event {
    const sc = this.scanner;
    if (sc.checkToken(T.Alias)) {
      const token = sc.getToken();
      this.state = this.pop();
      return { type: E.Alias, start: token.start, ...(token.value === undefined ? {} : { anchor: token.value }) };
    }
    let anchor: string | undefined;
    let tag = false;
    let handle: string | undefined;
    let start: PyYamlMark | undefined;
    let tagMark: PyYamlMark | undefined;
    if (sc.checkToken(T.Anchor)) {
      const token = sc.getToken();
      start = token.start;
      anchor = token.value;
      if (sc.checkToken(T.Tag)) {
        const t = sc.getToken();
        tagMark = t.start;
        tag = true;
        handle = t.value;
      }
    } else if (sc.checkToken(T.Tag)) {
      const t = sc.getToken();
      start = tagMark = t.start;
      tag = true;
      handle = t.value;
      if (sc.checkToken(T.Anchor)) anchor = sc.getToken().value;
    }
    if (tag && handle !== undefined && !this.tagHandles.has(handle)) {
      this.fail('while parsing a node', start, `found undefined tag handle ${pyStr(handle)}`, tagMark as PyYamlMark);
    }
    if (start === undefined) start = sc.peekToken().start;
    const withAnchor = anchor === undefined ? {} : { anchor };
    if (indentlessSequence && sc.checkToken(T.BlockEntry)) {
      this.state = S.IndentlessSequenceEntry;
      return { type: E.SequenceStart, start, ...withAnchor };
    }
    if (sc.checkToken(T.Scalar)) {
      sc.getToken();
      this.state = this.pop();
      return { type: E.Scalar, start, ...withAnchor };
    }
    if (sc.checkToken(T.FlowSequenceStart)) {
      this.state = S.FlowSequenceFirstEntry;
      return { type: E.SequenceStart, start, ...withAnchor };
    }
    if (sc.checkToken(T.FlowMappingStart)) {
      this.state = S.FlowMappingFirstKey;
      return { type: E.MappingStart, start, ...withAnchor };
    }
    if (block && sc.checkToken(T.BlockSequenceStart)) {
      this.state = S.BlockSequenceFirstEntry;
      return { type: E.SequenceStart, start, ...withAnchor };
    }
    if (block && sc.checkToken(T.BlockMappingStart)) {
      this.state = S.BlockMappingFirstKey;
      return { type: E.MappingStart, start, ...withAnchor };
    }
    if (anchor !== undefined || tag) {
      this.state = this.pop();
      return { type: E.Scalar, start, ...withAnchor };
    }
    const token = sc.peekToken();
    this.fail(`while parsing a ${block ? 'block' : 'flow'} node`, start, `expected the node content, but found '${TOKEN_ID[token.type]}'`, token.start);
  }

  private blockSequenceEntry(): Event {
    const sc = this.scanner;
    if (sc.checkToken(T.BlockEntry)) {
      const token = sc.getToken();
      if (!sc.checkToken(T.BlockEntry, T.BlockEnd)) {
        this.states.push(S.BlockSequenceEntry);
        return this.node(true, false);
      }
      this.state = S.BlockSequenceEntry;
      return { type: E.Scalar, start: token.end };
    }
    if (!sc.checkToken(T.BlockEnd)) {
      const token = sc.peekToken();
      this.fail(
        'while parsing a block collection',
        this.marks[this.marks.length - 1],
        `expected <block end>, but found '${TOKEN_ID[token.type]}'`,
        token.start,
      );
    }
    const token = sc.getToken();
    this.state = this.pop();
    this.marks.pop();
    return { type: E.SequenceEnd, start: token.start };
  }

  private blockMappingKey(): Event {
    const sc = this.scanner;
    if (sc.checkToken(T.Key)) {
      const token = sc.getToken();
      if (!sc.checkToken(T.Key, T.Value, T.BlockEnd)) {
        this.states.push(S.BlockMappingValue);
        return this.node(true, true);
      }
      this.state = S.BlockMappingValue;
      return { type: E.Scalar, start: token.end };
    }
    if (!sc.checkToken(T.BlockEnd)) {
      const token = sc.peekToken();
      this.fail('while parsing a block mapping', this.marks[this.marks.length - 1], `expected <block end>, but found '${TOKEN_ID[token.type]}'`, token.start);
    }
    const token = sc.getToken();
    this.state = this.pop();
    this.marks.pop();
    return { type: E.MappingEnd, start: token.start };
  }

  private flowSequenceEntry(first: boolean): Event {
    const sc = this.scanner;
    if (!sc.checkToken(T.FlowSequenceEnd)) {
      if (!first) {
        if (sc.checkToken(T.FlowEntry)) sc.getToken();
        else {
          const token = sc.peekToken();
          this.fail('while parsing a flow sequence', this.marks[this.marks.length - 1], `expected ',' or ']', but got '${TOKEN_ID[token.type]}'`, token.start);
        }
      }
      if (sc.checkToken(T.Key)) {
        const token = sc.peekToken();
        this.state = S.FlowSequenceEntryMappingKey;
        return { type: E.MappingStart, start: token.start };
      }
      if (!sc.checkToken(T.FlowSequenceEnd)) {
        this.states.push(S.FlowSequenceEntry);
        return this.node(false, false);
      }
    }
    const token = sc.getToken();
    this.state = this.pop();
    this.marks.pop();
    return { type: E.SequenceEnd, start: token.start };
  }

  private flowMappingKey(first: boolean): Event {
    const sc = this.scanner;
    if (!sc.checkToken(T.FlowMappingEnd)) {
      if (!first) {
        if (sc.checkToken(T.FlowEntry)) sc.getToken();
        else {
          const token = sc.peekToken();
          this.fail('while parsing a flow mapping', this.marks[this.marks.length - 1], `expected ',' or '}', but got '${TOKEN_ID[token.type]}'`, token.start);
        }
      }
      if (sc.checkToken(T.Key)) {
        const token = sc.getToken();
        if (!sc.checkToken(T.Value, T.FlowEntry, T.FlowMappingEnd)) {
          this.states.push(S.FlowMappingValue);
          return this.node(false, false);
        }
        this.state = S.FlowMappingValue;
        return { type: E.Scalar, start: token.end };
      }
      if (!sc.checkToken(T.FlowMappingEnd)) {
        this.states.push(S.FlowMappingEmptyValue);
        return this.node(false, false);
      }
    }
    const token = sc.getToken();
    this.state = this.pop();
    this.marks.pop();
    return { type: E.MappingEnd, start: token.start };
  }
}

/** Python's repr() of a str made of printable ASCII (tag handles). */
function pyStr(s: string): string {
  return s.includes("'") && !s.includes('"') ? `"${s}"` : `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * The error yaml.safe_load raises on `text` (read from a file, as Synapse does), or undefined when PyYAML
 * composes it: reader, scanner, parser and composer errors; not the constructor's.
 */
export function pyyamlError(text: string): PyYamlError | undefined {
  const cp = codePoints(text);
  let scanner: Scanner | undefined;
  try {
    scanner = new Scanner(cp);
    const parser = new Parser(scanner);
    // Composer.get_single_node, streamed: anchors per document, and a second document is an error.
    let documents = 0;
    let root: PyYamlMark | undefined;
    let awaitingRoot = false;
    const anchors = new Map<string, PyYamlMark>();
    for (let event = parser.next(); event; event = parser.next()) {
      switch (event.type) {
        case E.DocumentStart:
          documents++;
          if (documents === 2) {
            throw new Failure({
              error: 'ComposerError',
              context: 'expected a single document in the stream',
              contextMark: root as PyYamlMark,
              problem: 'but found another document',
              problemMark: event.start,
            });
          }
          awaitingRoot = true;
          break;
        case E.DocumentEnd:
          anchors.clear();
          break;
        case E.Alias:
          if (!anchors.has(event.anchor as string)) {
            throw new Failure({ error: 'ComposerError', problem: `found undefined alias ${pyStr(event.anchor as string)}`, problemMark: event.start });
          }
          break;
        case E.Scalar:
        case E.SequenceStart:
        case E.MappingStart:
          if (awaitingRoot) {
            root = event.start;
            awaitingRoot = false;
          }
          if (event.anchor !== undefined) {
            const first = anchors.get(event.anchor);
            if (first) {
              throw new Failure({
                error: 'ComposerError',
                context: `found duplicate anchor ${pyStr(event.anchor)}; first occurrence`,
                contextMark: first,
                problem: 'second occurrence',
                problemMark: event.start,
              });
            }
            anchors.set(event.anchor, event.start);
          }
          break;
        default:
          break;
      }
    }
    return undefined;
  } catch (error) {
    if (!(error instanceof Failure)) throw error;
    const e = error.error;
    const open = scanner?.openFlows.at(-1);
    // "expected the node content, but found '<stream end>'": both marks at the end; name the open '[' or '{'.
    if (open && e.problem.endsWith("found '<stream end>'") && e.contextMark?.index === e.problemMark.index) return { ...e, unclosedFlow: open };
    return e;
  }
}

/** The text's code points (a lone surrogate stays one code point, as PyYAML's reader then rejects it). */
function codePoints(text: string): Int32Array {
  const out = new Int32Array(text.length);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        out[n++] = (unit - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
        i++;
        continue;
      }
    }
    out[n++] = unit;
  }
  return out.subarray(0, n);
}

/** UTF-16 offsets of code point indexes into `text` (indexes in any order, up to its length). */
export function codePointOffsets(text: string, indexes: number[]): number[] {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const found = new Map<number, number>();
  let offset = 0;
  let index = 0;
  for (const wanted of sorted) {
    while (index < wanted && offset < text.length) {
      const code = text.charCodeAt(offset);
      offset += code >= 0xd800 && code <= 0xdbff && offset + 1 < text.length && (text.charCodeAt(offset + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
      index++;
    }
    found.set(wanted, offset);
  }
  return indexes.map((i) => found.get(i) as number);
}
