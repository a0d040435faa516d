/**
 * Line diffs of multi-line strings (a ConfigMap's file, a post-render patch, a script): the
 * changed lines as unified hunks (`@@ -a,n +b,m @@`, ` ` context, `-` old, `+` new), as `diff -u`
 * shows them, so a one-line change in a 200-line field reads as one line, not the whole field
 * twice. Longest common subsequence over lines; very large inputs (over MAX_CELLS line pairs)
 * fall back to one hunk that replaces every line, which is still correct, only less tight.
 */

/** Line pairs the LCS table may hold (4M cells: a few MB, a few ms). */
const MAX_CELLS = 4_000_000;

export type LineOp = { readonly op: ' ' | '-' | '+'; readonly line: string };

/** Whether a changed string field is shown as hunks: either side spans several lines. */
export function isMultiLine(a: unknown, b: unknown): a is string {
  return typeof a === 'string' && typeof b === 'string' && (a.includes('\n') || b.includes('\n'));
}

function splitLines(s: string): string[] {
  const lines = s.split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** The edit script from `a` to `b`, line by line (common prefix and suffix first, LCS between). */
export function lineOps(a: string, b: string): LineOp[] {
  const x = splitLines(a);
  const y = splitLines(b);
  let pre = 0;
  while (pre < x.length && pre < y.length && x[pre] === y[pre]) pre++;
  let suf = 0;
  while (suf < x.length - pre && suf < y.length - pre && x[x.length - 1 - suf] === y[y.length - 1 - suf]) suf++;
  const xs = x.slice(pre, x.length - suf);
  const ys = y.slice(pre, y.length - suf);
  const mid: LineOp[] = [];
  if (xs.length * ys.length > MAX_CELLS) {
    for (const line of xs) mid.push({ op: '-', line });
    for (const line of ys) mid.push({ op: '+', line });
  } else {
    // lcs[i][j]: LCS length of xs[i..] and ys[j..]
    const w = ys.length + 1;
    const lcs = new Uint32Array((xs.length + 1) * w);
    for (let i = xs.length - 1; i >= 0; i--) {
      for (let j = ys.length - 1; j >= 0; j--) {
        lcs[i * w + j] =
          xs[i] === ys[j] ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < xs.length || j < ys.length) {
      if (i < xs.length && j < ys.length && xs[i] === ys[j]) {
        mid.push({ op: ' ', line: xs[i]! });
        i++;
        j++;
      } else if (j < ys.length && (i === xs.length || lcs[i * w + j + 1]! >= lcs[(i + 1) * w + j]!)) {
        mid.push({ op: '+', line: ys[j]! });
        j++;
      } else {
        mid.push({ op: '-', line: xs[i]! });
        i++;
      }
    }
    // `diff -u` shows removals before additions within a run of changes.
    for (let k = 0; k < mid.length; ) {
      if (mid[k]!.op === ' ') {
        k++;
        continue;
      }
      let e = k;
      while (e < mid.length && mid[e]!.op !== ' ') e++;
      const run = mid.slice(k, e);
      mid.splice(k, e - k, ...run.filter((o) => o.op === '-'), ...run.filter((o) => o.op === '+'));
      k = e;
    }
  }
  return [
    ...x.slice(0, pre).map((line) => ({ op: ' ' as const, line })),
    ...mid,
    ...x.slice(x.length - suf).map((line) => ({ op: ' ' as const, line })),
  ];
}

/** Unified hunks with `context` lines around each change. */
export function unifiedHunks(a: string, b: string, context = 3): string[] {
  const ops = lineOps(a, b);
  const changed = ops.map((o, k) => (o.op !== ' ' ? k : -1)).filter((k) => k >= 0);
  if (changed.length === 0) return [];
  // Group changes whose context windows touch.
  const groups: [number, number][] = [];
  for (const k of changed) {
    const last = groups[groups.length - 1];
    if (last && k - last[1] <= 2 * context + 1) last[1] = k;
    else groups.push([k, k]);
  }
  const out: string[] = [];
  // Line numbers before each op, on each side.
  const oldNo: number[] = [];
  const newNo: number[] = [];
  let o = 1;
  let n = 1;
  for (const op of ops) {
    oldNo.push(o);
    newNo.push(n);
    if (op.op !== '+') o++;
    if (op.op !== '-') n++;
  }
  for (const [first, last] of groups) {
    const s = Math.max(0, first - context);
    const e = Math.min(ops.length - 1, last + context);
    const slice = ops.slice(s, e + 1);
    const oldLen = slice.filter((x) => x.op !== '+').length;
    const newLen = slice.filter((x) => x.op !== '-').length;
    const oldStart = oldLen ? oldNo[s]! : oldNo[s]! - 1;
    const newStart = newLen ? newNo[s]! : newNo[s]! - 1;
    // As diff -u: a range of one line is its number alone.
    const range = (start: number, len: number) => (len === 1 ? `${start}` : `${start},${len}`);
    out.push(`@@ -${range(oldStart, oldLen)} +${range(newStart, newLen)} @@`);
    for (const x of slice) out.push(`${x.op}${x.line}`);
  }
  return out;
}
