/**
 * Test support for the function library until the template engine (src/gotemplate) is merged:
 * a tiny evaluator for one template action made of function calls, pipelines, parentheses and
 * literals (`{{ list 1 "a" | toJson }}`), converting untyped constants to parameter types as
 * text/template does, and the batch runner for the helm-engine oracle.
 */
import { spawnSync } from 'node:child_process';
import { GoError, GoInt, GoPanic, goFunc, isGoFunc, isGoStruct, type GoFunc, type GoValue } from '../../gotemplate/value.js';
import { formatV } from './go-fmt.js';

type Node = { lit: GoValue; untyped?: 'int' | 'float' | 'string' | 'bool' } | { call: string; args: Node[] } | { pipe: Node[] } | { of: Node; field: string; args: Node[] };

function tokenize(src: string): string[] {
  const re = /\s*("(?:[^"\\]|\\.)*"|`[^`]*`|'(?:[^'\\]|\\.)'|\(|\)|\||[^\s()|]+)/gy;
  const out: string[] = [];
  let m: RegExpExecArray | null;
  while ((m = re.exec(src)) !== null) out.push(m[1]!);
  return out;
}

function parsePipe(toks: string[], at: { i: number }): Node {
  const cmds: Node[] = [];
  for (;;) {
    const args: Node[] = [];
    while (at.i < toks.length && toks[at.i] !== '|' && toks[at.i] !== ')') {
      const t = toks[at.i++]!;
      if (t === '(') {
        let node = parsePipe(toks, at);
        at.i++;
        while (toks[at.i]?.startsWith('.')) {
          for (const f of toks[at.i++]!.slice(1).split('.')) node = { of: node, field: f, args: [] };
        }
        args.push(node);
      } else args.push(parseTerm(t));
    }
    const [head, ...rest] = args;
    if (head && 'call' in head && head.args.length === 0) cmds.push({ call: head.call, args: rest });
    else if (head && 'field' in head && rest.length > 0) cmds.push({ ...head, args: rest });
    else cmds.push(head ?? { lit: null });
    if (toks[at.i] !== '|') break;
    at.i++;
  }
  return cmds.length === 1 ? cmds[0]! : { pipe: cmds };
}

function parseTerm(t: string): Node {
  if (t.startsWith('"')) return { lit: JSON.parse(t.replace(/\\x([0-9a-fA-F]{2})/g, '\\u00$1')) as string, untyped: 'string' };
  if (t.startsWith('`')) return { lit: t.slice(1, -1), untyped: 'string' };
  if (t === 'true' || t === 'false') return { lit: t === 'true', untyped: 'bool' };
  if (t === 'nil') return { lit: null };
  if (/^-?(0x[0-9a-fA-F]+|\d+)$/.test(t)) return { lit: new GoInt(BigInt(t)), untyped: 'int' };
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) return { lit: Number(t), untyped: 'float' };
  return { call: t, args: [] };
}

const INTS = new Set(['int', 'int8', 'int16', 'int32', 'int64', 'uint', 'uint8', 'uint16', 'uint32', 'uint64']);

/** text/template's conversion of an argument to a parameter type (the subset funcs need). */
function convert(fn: string, v: GoValue, untyped: string | undefined, type: string): GoValue {
  const bad = (): never => {
    throw new GoError(`wrong type for value; expected ${type}; got ${v === null ? '<nil>' : formatType(v)}`);
  };
  if (type === 'interface{}') return untyped === 'int' ? v : v;
  if (untyped === 'int' && INTS.has(type)) return new GoInt((v as GoInt).value, type as GoInt['kind']);
  if (untyped === 'int' && type === 'float64') return Number((v as GoInt).value);
  if (untyped === 'float' && type === 'float64') return v;
  if (untyped === 'float' && INTS.has(type)) {
    if (!Number.isInteger(v)) throw new GoError(`${fn}: ${formatV(v)} overflows ${type}`);
    return new GoInt(BigInt(v as number), type as GoInt['kind']);
  }
  if (type === 'string') return typeof v === 'string' ? v : bad();
  if (type === 'bool') return typeof v === 'boolean' ? v : bad();
  if (type === 'float64') return typeof v === 'number' ? v : bad();
  if (INTS.has(type)) return v instanceof GoInt && v.kind === type ? v : bad();
  if (type.startsWith('map[')) return v === null || (typeof v === 'object' && !Array.isArray(v)) ? v : bad();
  if (type.startsWith('[]')) return v === null || Array.isArray(v) ? v : bad();
  return v;
}
function formatType(v: GoValue): string {
  if (v instanceof GoInt) return v.kind;
  if (typeof v === 'number') return 'float64';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return '[]interface {}';
  return 'map[string]interface {}';
}

function evalNode(funcs: Record<string, GoFunc>, n: Node, piped?: { v: GoValue }): { v: GoValue; untyped?: string } {
  if ('lit' in n) return { v: n.lit, untyped: n.untyped };
  if ('pipe' in n) {
    let cur: { v: GoValue } | undefined;
    for (const c of n.pipe) cur = evalNode(funcs, c, cur);
    return cur!;
  }
  if ('field' in n) {
    const recv = evalNode(funcs, n.of).v;
    const m = isGoStruct(recv) ? recv.methods?.[n.field] : undefined;
    if (isGoStruct(recv) && !m && n.field in recv.fields) return { v: recv.fields[n.field] ?? null };
    if (!m) throw new GoError(`can't evaluate field ${n.field}`);
    const margs = n.args.map((a) => evalNode(funcs, a));
    if (piped) margs.push(piped);
    try {
      return { v: m.call(margs.map((a, i) => convert(n.field, a.v, a.untyped, m.params[i] ?? 'interface{}'))) };
    } catch (e) {
      if (e instanceof GoError || e instanceof GoPanic) throw new GoError(`error calling ${n.field}: ${e.message}`);
      throw e;
    }
  }
  const f = funcs[n.call] ?? BUILTINS[n.call];
  if (!f || !isGoFunc(f)) throw new GoError(`function "${n.call}" not defined`);
  const args = n.args.map((a) => evalNode(funcs, a));
  if (piped) args.push(piped);
  const want = f.params.length;
  if (f.variadic === undefined ? args.length !== want : args.length < want) {
    throw new GoError(`wrong number of args for ${n.call}: want ${f.variadic === undefined ? '' : 'at least '}${want} got ${args.length}`);
  }
  const conv = args.map((a, i) => convert(n.call, a.v, a.untyped, i < want ? f.params[i]! : f.variadic!));
  try {
    return { v: f.call(conv) };
  } catch (e) {
    if (e instanceof GoError || e instanceof GoPanic) throw new GoError(`error calling ${n.call}: ${e.message}`);
    throw e;
  }
}

/** The text/template builtins the cases use. */
const BUILTINS: Record<string, GoFunc> = {
  len: goFunc(['interface{}'], ['int'], ([v]) => {
    if (typeof v === 'string') return new GoInt(BigInt(Buffer.byteLength(v)));
    if (Array.isArray(v) || v instanceof Uint8Array) return new GoInt(BigInt(v.length));
    if (v !== null && typeof v === 'object' && !isGoStruct(v)) return new GoInt(BigInt(Object.keys(v).length));
    throw new GoError(`len of type ${formatType(v ?? null)}`);
  }),
};

/** text/template's printing of an action's value (fmt.Fprint, `<no value>` for nil). */
export function printValue(v: GoValue): string {
  if (v === null || v === undefined) return '<no value>';
  if (isGoStruct(v) && v.methods?.String) return String(v.methods.String.call([]));
  return formatV(v);
}

/** Renders `{{ expr }}` with `funcs`: the output as Helm would print it, or `{ error }`. */
export function evalAction(funcs: Record<string, GoFunc>, expr: string): { output: string } | { error: string } {
  try {
    const node = parsePipe(tokenize(expr), { i: 0 });
    return { output: printValue(evalNode(funcs, node).v).split('<no value>').join('') };
  } catch (e) {
    if (e instanceof GoError) return { error: e.message };
    throw e;
  }
}

/** One case for the helm-engine oracle. */
export interface OracleCase {
  readonly templates: Record<string, string>;
  readonly values?: Record<string, unknown>;
}
export type OracleResult = { output: Record<string, string> } | { error: string };

/** Renders cases with the helm-engine oracle binary, in one process. */
export function runOracle(bin: string, cases: readonly OracleCase[]): OracleResult[] {
  const r = spawnSync(bin, [], { input: JSON.stringify({ cases }), encoding: 'utf8', maxBuffer: 256 << 20, env: { ...process.env, TZ: 'UTC' } });
  if (r.status !== 0) throw new Error(`helm-engine failed: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { results: OracleResult[] }).results;
}
