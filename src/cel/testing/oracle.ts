/**
 * Test helpers: run batches of CEL cases through the cel oracle (cel-go with the Kubernetes
 * environment) and through our engine, in the same tagged form, and compare them.
 */
import { spawnSync } from 'node:child_process';
import { isDeepStrictEqual } from 'node:util';
import { compileCel } from '../program.js';
import { tagged } from './tagged.js';

/** The oracle as test/oracles/index.ts gives it (imported by URL: test/ is outside tsconfig's rootDir). */
export interface OracleHandle {
  readonly path: string;
  readonly skip: false | string;
}

/** `oracle(name)` of test/oracles/index.ts. */
export async function loadOracle(name: string): Promise<OracleHandle> {
  const url = new URL('../../../test/oracles/index.ts', import.meta.url).href;
  const mod = (await import(url)) as { oracle(n: string): OracleHandle };
  return mod.oracle(name);
}

/** One case: an expression and its variables (JSON-shaped). */
export interface CelCase {
  readonly expr: string;
  readonly vars?: Record<string, unknown>;
}

/** What one side said: a tagged value, or an error in a phase. */
export type CelOutcome =
  | { value: unknown; type?: string; cost?: number }
  | { error: string; phase: string; cost?: number };

/** Runs the cases through the oracle binary (one process for all). */
export function runOracle(bin: string, cases: readonly CelCase[]): CelOutcome[] {
  const input = JSON.stringify({ cases: cases.map((c) => ({ expr: c.expr, vars: c.vars ?? {} })) });
  const r = spawnSync(bin, [], { input, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 10 * 60_000 });
  if (r.status !== 0) throw new Error(`cel oracle failed (${r.status}): ${r.stderr}`);
  return (JSON.parse(r.stdout) as { results: CelOutcome[] }).results;
}

/** Runs one case through our engine, with the variables declared as the oracle declares them. */
export function runOurs(c: CelCase): CelOutcome {
  let program;
  try {
    program = compileCel(c.expr, { variables: Object.keys(c.vars ?? {}) });
  } catch (e) {
    return { error: (e as Error).message, phase: 'compile' };
  }
  try {
    const r = program.evaluateCel(c.vars ?? {});
    return { value: tagged(r.value), cost: r.cost };
  } catch (e) {
    return { error: (e as Error).message, phase: 'eval' };
  }
}

/** Agreement: same value, or both an error (compile and eval errors count as the same outcome). */
export function agree(ours: CelOutcome, theirs: CelOutcome): boolean {
  if ('error' in theirs || 'error' in ours) return 'error' in theirs && 'error' in ours;
  return isDeepStrictEqual(ours.value, theirs.value);
}

/** A one-line description of an outcome for failure lists. */
export function describe(o: CelOutcome): string {
  return 'error' in o ? `${o.phase} error: ${o.error.split('\n')[0]}` : JSON.stringify(o.value);
}
