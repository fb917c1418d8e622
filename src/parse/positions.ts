// Source positions shared by the config parsers: every value of a parsed file can be traced back to
// file:line:column, keyed by its JSON Pointer (RFC 6901), e.g. `/database/args/password`.

export interface Span {
  /** 1-based. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** 0-based character offsets into the text. */
  offset: number;
  endOffset: number;
}

export interface NodePosition {
  key?: Span;
  value: Span;
}

export type PositionMap = Record<string, NodePosition>;

export function pointer(path: readonly (string | number)[]): string {
  return path.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** Offset -> 1-based line/column, by binary search over line starts. */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }

  position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo] + 1 };
  }

  span(offset: number, endOffset: number): Span {
    const a = this.position(offset);
    const b = this.position(endOffset);
    return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column, offset, endOffset };
  }

  /** The text of a 1-based line, without its line break. */
  lineText(line: number): string {
    const start = this.starts[line - 1] ?? this.text.length;
    const next = this.starts[line];
    return this.text.slice(start, next === undefined ? undefined : next - 1).replace(/\r$/, '');
  }

  get lineCount(): number {
    return this.starts.length;
  }
}
