/**
 * Test helper: runs template cases through the gotemplate oracle (Go's own text/template, see
 * test/oracles/programs/gotemplate) and through this engine, with the same test-only functions.
 */
import { spawnSync } from 'node:child_process';
import { GoTemplateError } from '../contract.js';
import { nodeString } from '../node.js';
import { goBytes, quote } from '../strconv.js';
import { treeOf } from '../template.js';
import { sprintf, sprintln } from '../fmt.js';
import { newTemplateSet } from '../template.js';
import {
  GO_STRUCT,
  GoError,
  GoInt,
  GoPanic,
  type GoStruct,
  type GoValue,
  goFunc,
  typedMap,
  typedSlice,
} from '../value.js';

/** One case: templates parsed in order (the entry first), then the entry executed with data. */
export interface TemplateCase {
  readonly templates: Readonly<Record<string, string>>;
  /** Parse order; default: the keys of `templates`. The entry must come first. */
  readonly order?: readonly string[];
  readonly entry: string;
  readonly data?: unknown;
  readonly missingkey?: 'default' | 'zero' | 'error';
  readonly delims?: readonly [string, string];
  /** The template to execute, when not the entry (the entry is the root template, parsed first). */
  readonly run?: string;
  /** Names of extra functions (each `func(...any) (any, error)` returning nil), e.g. sprig's for parsing charts. */
  readonly funcs?: readonly string[];
  /** Only parse; the result is the entry's tree as Go's Root.String() prints it. */
  readonly parseOnly?: boolean;
}

/** What an execution produced: the output, or Go's error message. */
export type CaseResult = { readonly output: string } | { readonly error: string };

interface Oracle {
  readonly path: string;
  readonly skip: false | string;
}
// test/oracles is outside this package's rootDir: imported at run time (tsx runs the .ts).
const oracles = (await import(new URL('../../../test/oracles/index.ts', import.meta.url).href)) as {
  oracle(name: string): Oracle;
};
/** The gotemplate oracle (`.skip` for node:test, `.path` to run it). */
export const gotemplateOracle: Oracle = oracles.oracle('gotemplate');

/** Runs the cases through the Go oracle in one process. */
export function runOracle(cases: readonly TemplateCase[]): CaseResult[] {
  const input = JSON.stringify({ cases: cases.map((c) => ({ ...c, order: c.order ?? Object.keys(c.templates) })) });
  const r = spawnSync(gotemplateOracle.path, [], { input, encoding: 'utf8', maxBuffer: 1 << 30, timeout: 10 * 60_000 });
  if (r.status !== 0) throw new Error(`gotemplate oracle failed (${r.status}): ${r.stderr}`);
  return (JSON.parse(r.stdout) as { results: CaseResult[] }).results;
}

/** The test-only functions the oracle program also has (typed values from JSON data). */
export const testFuncs = {
  i64: goFunc(['float64'], ['int64'], ([f]) => new GoInt(BigInt.asIntN(64, BigInt(Math.trunc(f as number))), 'int64')),
  u8: goFunc(['float64'], ['uint8'], ([f]) => new GoInt(BigInt.asUintN(8, BigInt(Math.trunc(f as number))), 'uint8')),
  bytes: goFunc(['string'], ['[]uint8'], ([s]) => goBytes(s as string)),
  strs: goFunc([], ['[]string'], (args) => typedSlice([...args], 'string'), 'string'),
  fail: goFunc(['string'], ['string', 'error'], ([m]) => {
    throw new GoError(m as string);
  }),
  boom: goFunc(['string'], ['string'], ([m]) => {
    throw new GoPanic(m as string);
  }),
  add: goFunc([], ['int'], (args) => new GoInt(args.reduce<bigint>((s, x) => s + (x as GoInt).value, 0n)), 'int'),
  echo: goFunc(['interface{}'], ['interface{}'], ([a]) => a!),
  makemap: goFunc(
    [],
    ['map[string]string'],
    (args) => {
      if (args.length % 2 !== 0) throw new GoPanic('bad makemap');
      const m: Record<string, GoValue> = {};
      for (let i = 0; i < args.length; i += 2) m[args[i] as string] = args[i + 1]!;
      return typedMap(m, 'string');
    },
    'string',
  ),
  mapOfThree: goFunc([], ['interface{}'], () => typedMap({ three: new GoInt(3n) }, 'int')),
  oneArg: goFunc(['string'], ['string'], ([a]) => `oneArg=${a as string}`),
  twoArgs: goFunc(['string', 'string'], ['string'], ([a, b]) => `twoArgs=${a as string}${b as string}`),
  dddArg: goFunc(['int'], ['string'], ([a, ...b]) => sprintln([a!, typedSlice(b, 'string')]), 'string'),
  returnInt: goFunc([], ['int'], () => new GoInt(7n)),
  typeOf: goFunc(['interface{}'], ['string'], ([a]) => sprintf('%T', [a!])),
  zeroArgs: goFunc([], ['string'], () => 'zeroArgs'),
  valueString: goFunc(['string'], ['string'], () => 'value is ignored'),
  die: goFunc([], ['bool'], () => {
    throw new GoPanic('die');
  }),
  obj: goFunc(['string'], ['*main.Obj'], ([n]) => obj(n as string)),
  typed: goFunc(
    [],
    ['map[string]int'],
    (kv) => {
      const m: Record<string, GoValue> = {};
      for (let i = 0; i + 1 < kv.length; i += 2) m[String(kv[i])] = kv[i + 1]!;
      return typedMap(m, 'int');
    },
    'interface{}',
  ),
};

/** The oracle's *main.Obj as a GoStruct. */
function obj(name: string): GoStruct {
  return {
    [GO_STRUCT]: true,
    typeName: '*main.Obj',
    fields: { Name: name, Items: [new GoInt(1n), 'x'], Meta: { k: 'v' } },
    methods: {
      Upper: goFunc([], ['string'], () => name.toUpperCase()),
      Greet: goFunc(['string'], ['string'], ([s]) => `hello ${s as string} from ${name}`),
      Fail: goFunc([], ['string', 'error'], () => {
        throw new GoError(`failed ${name}`);
      }),
      Pair: goFunc(['int'], ['[]interface{}'], ([a, ...b]) => [a!, ...b], 'interface{}'),
    },
  };
}

/** Converts JSON data as Go's encoding/json decodes it into interface{} (numbers are float64). */
export function fromJson(v: unknown): GoValue {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) return v.map(fromJson);
  if (typeof v === 'object') {
    const m: Record<string, GoValue> = {};
    for (const [k, x] of Object.entries(v))
      Object.defineProperty(m, k, { value: fromJson(x), enumerable: true, writable: true, configurable: true });
    return m;
  }
  return v as GoValue;
}

/** Go's encoding/json writes each byte of invalid UTF-8 as U+FFFD: so do we, to compare. */
function asGoJson(s: string): string {
  return s.replace(/[\uDC80-\uDCFF]/gu, '\uFFFD');
}

/** Runs one case through this engine. */
export function runOurs(c: TemplateCase): CaseResult {
  try {
    const extra = Object.fromEntries(
      (c.funcs ?? []).map((n) => [n, goFunc([], ['interface{}', 'error'], () => null, 'interface{}')]),
    );
    const set = newTemplateSet({
      funcs: { ...testFuncs, ...extra },
      missingKey: c.missingkey ?? 'default',
      ...(c.delims ? { delims: c.delims } : {}),
    });
    for (const name of c.order ?? Object.keys(c.templates)) set.parse(name, c.templates[name]!);
    if (c.parseOnly) {
      const tree = treeOf(set, c.entry);
      if (!tree?.root) return { error: `no tree for ${quote(c.entry)}` };
      return { output: nodeString(tree.root) };
    }
    const data = c.data === undefined ? undefined : fromJson(JSON.parse(JSON.stringify(c.data)));
    return { output: asGoJson(set.execute(c.run ?? c.entry, data === null ? undefined : data)) };
  } catch (e) {
    if (e instanceof GoTemplateError) return { error: asGoJson(e.message) };
    throw e;
  }
}
