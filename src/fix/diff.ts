// Unified diffs (as `diff -u` and `git apply` read them) between a file's text before and after its
// fixes, from a Myers shortest edit script over lines.

type Op = { kind: 'same' | 'del' | 'add'; line: string };

/** Myers' O((N+M)D) algorithm: the shortest sequence of line deletions and insertions. */
function editScript(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max;
  const v = new Int32Array(2 * max + 2);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(trace, a, b, offset, d);
    }
  }
  return [];
}

function backtrack(trace: Int32Array[], a: string[], b: string[], offset: number, dEnd: number): Op[] {
  const ops: Op[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = dEnd; d > 0; d--) {
    const v = trace[d];
    const k = x - y;
    const prevK = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? k + 1 : k - 1;
    const prevX = v[offset + prevK];
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      ops.push({ kind: 'same', line: a[x] });
    }
    if (x === prevX) ops.push({ kind: 'add', line: b[--y] });
    else ops.push({ kind: 'del', line: a[--x] });
  }
  while (x > 0 && y > 0) {
    ops.push({ kind: 'same', line: a[--x] });
    y--;
  }
  return ops.reverse();
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  else lines[lines.length - 1] += '\n\\ No newline at end of file';
  return lines;
}

/** A unified diff with `context` lines around each change; empty when the texts are equal. */
export function unifiedDiff(file: string, before: string, after: string, context = 3): string {
  if (before === after) return '';
  const a = splitLines(before);
  const b = splitLines(after);
  const ops = editScript(a, b);
  const out = [`--- ${file}`, `+++ ${file}`];
  // Positions of each op in a and b.
  let ai = 0;
  let bi = 0;
  const rows = ops.map((op) => {
    const row = { ...op, a: ai, b: bi };
    if (op.kind !== 'add') ai++;
    if (op.kind !== 'del') bi++;
    return row;
  });
  const changes = rows.flatMap((r, idx) => (r.kind === 'same' ? [] : [idx]));
  // Changes closer than 2 x context share a hunk.
  const groups: number[][] = [];
  for (const c of changes) {
    const g = groups[groups.length - 1];
    if (g && c - g[g.length - 1] <= context * 2 + 1) g.push(c);
    else groups.push([c]);
  }
  for (const g of groups) {
    const start = Math.max(0, g[0] - context);
    const end = Math.min(rows.length, g[g.length - 1] + context + 1);
    const hunk = rows.slice(start, end);
    const aCount = hunk.filter((r) => r.kind !== 'add').length;
    const bCount = hunk.filter((r) => r.kind !== 'del').length;
    const aStart = aCount ? rows[start].a + 1 : rows[start].a;
    const bStart = bCount ? rows[start].b + 1 : rows[start].b;
    out.push(`@@ -${aStart},${aCount} +${bStart},${bCount} @@`);
    for (const r of hunk) out.push(`${r.kind === 'same' ? ' ' : r.kind === 'del' ? '-' : '+'}${r.line}`);
  }
  return `${out.join('\n')}\n`;
}
