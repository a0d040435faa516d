/**
 * Helm's rewording of Go template errors (pkg/engine/engine.go cleanupParseError and
 * reformatExecErrorMsg): a parse error becomes `parse error at (FILE:LINE): MESSAGE`; an
 * execution error from `fail`/`required` becomes `execution error at (FILE:LINE:COL): MESSAGE`;
 * other execution errors become a trace, one `template:line:col` / `executing "x" at <y>:` /
 * message group per nested `include`, as Helm prints them.
 */

export const WARN_START = 'HELM_ERR_START';
export const WARN_END = 'HELM_ERR_END';

/** Wraps a `fail`/`required` message so the error rewording finds it. */
export function warnWrap(s: string): string {
  return `${WARN_START}${s}${WARN_END}`;
}

function splitN(s: string, sep: string, n: number): string[] {
  const out: string[] = [];
  let rest = s;
  while (out.length < n - 1) {
    const i = rest.indexOf(sep);
    if (i < 0) break;
    out.push(rest.slice(0, i));
    rest = rest.slice(i + sep.length);
  }
  out.push(rest);
  return out;
}

/** Helm's cleanupParseError. */
export function cleanupParseError(filename: string, message: string): string {
  const tokens = message.split(': ');
  if (tokens.length === 1) return `parse error in (${filename}): ${message}`;
  return `parse error at (${tokens[1]}): ${tokens[tokens.length - 1]}`;
}

interface Traceable {
  readonly location: string;
  readonly message: string;
  readonly executedFunction: string;
}

function traceString(t: Traceable): string {
  let s = '';
  if (t.location !== '') s += `${t.location}\n  `;
  if (t.executedFunction !== '') s += `${t.executedFunction}\n    `;
  if (t.message !== '') s += `${t.message}\n`;
  return s;
}

function cutAtTemplate(msg: string): string {
  const cut = msg.indexOf(' template:');
  return cut !== -1 ? msg.slice(0, cut) : msg;
}

function parseTraceable(s: string): Traceable | undefined {
  const prefix = 'template: ';
  if (!s.startsWith(prefix)) return undefined;
  const remainder = s.slice(prefix.length);
  if (remainder.startsWith('no template ')) return { location: '', message: s, executedFunction: '' };
  const ex = remainder.indexOf(': executing ');
  if (ex !== -1) {
    const templateName = remainder.slice(0, ex);
    const after = remainder.slice(ex + ': executing '.length);
    if (after.length > 0 && after[0] === '"') {
      const endQuote = after.indexOf('"', 1);
      if (endQuote !== -1) {
        const functionName = after.slice(1, endQuote);
        const afterFunc = after.slice(endQuote + 1);
        if (afterFunc.startsWith(' at <')) {
          const afterAt = afterFunc.slice(' at <'.length);
          const gt = afterAt.indexOf('>: ');
          if (gt !== -1) {
            return {
              location: templateName,
              message: cutAtTemplate(afterAt.slice(gt + 3)),
              executedFunction: `executing "${functionName}" at <${afterAt.slice(0, gt)}>:`,
            };
          }
        }
      }
    }
  }
  const sep = remainder.lastIndexOf(': ');
  if (sep !== -1)
    return {
      location: remainder.slice(0, sep),
      message: cutAtTemplate(remainder.slice(sep + 2)),
      executedFunction: '',
    };
  return undefined;
}

/**
 * The chain Go's errors.Unwrap walks for a template execution error: each `error calling NAME: `
 * wraps the called function's error (text/template uses %w there).
 */
function errorChain(message: string): string[] {
  const chain: string[] = [];
  let cur: string | undefined = message;
  while (cur !== undefined) {
    chain.push(cur, cur);
    const m: RegExpExecArray | null = /: error calling [^:\s]+: /.exec(cur);
    cur = m ? cur.slice(m.index + m[0].length) : undefined;
  }
  return chain;
}

/** Helm's reformatExecErrorMsg for an execution error of template `filename`. */
export function reformatExecError(filename: string, message: string): string {
  const tokens = splitN(message, ': ', 3);
  if (tokens.length !== 3) return `execution error in (${filename}): ${message}`;
  const start = tokens[2]!.indexOf(WARN_START);
  const end = tokens[2]!.lastIndexOf(WARN_END);
  if (start !== -1 && end > start)
    return `execution error at (${tokens[1]}): ${tokens[2]!.slice(start + WARN_START.length, end)}`;
  const locations: Traceable[] = [];
  for (const level of errorChain(message)) {
    const tr = parseTraceable(level);
    if (!tr) return message;
    const last = locations[locations.length - 1];
    if (
      !last ||
      last.location !== tr.location ||
      last.message !== tr.message ||
      last.executedFunction !== tr.executedFunction
    )
      locations.push(tr);
  }
  return locations.map(traceString).join('').trim();
}
