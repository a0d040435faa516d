/**
 * Test support: rendering one-file charts with src/gotemplate and helmFuncMap the way Helm's
 * engine does (missingkey=zero, `<no value>` removed), and the batch runner for the helm-engine
 * oracle.
 */
import { spawnSync } from 'node:child_process';
import { newTemplateSet, type TemplateSet } from '../../gotemplate/index.js';
import type { GoValue } from '../../gotemplate/value.js';
import { helmFuncMap, type HelmFuncMapOptions } from './index.js';

/** The name the oracle gives a chart's template file (chart "oracle"). */
export const ORACLE_FILE = 'oracle/templates/t.yaml';

/** Renders `text` as Helm's engine renders one template file: its output, or Go's error message. */
export function renderHelm(
  text: string,
  values: GoValue = {},
  opts: HelmFuncMapOptions = {},
): { output: string } | { error: string } {
  let set: TemplateSet | undefined;
  const funcs = helmFuncMap({ ...opts, templates: () => set! });
  set = newTemplateSet({ funcs, missingKey: 'zero' });
  try {
    set.parse(ORACLE_FILE, text);
    return { output: set.execute(ORACLE_FILE, { Values: values }).split('<no value>').join('') };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/**
 * Renders a one-chart set of files (`templates/x.yaml` -> text) as Helm's engine does: every file
 * parsed into one set under `oracle/<path>`, every file not starting with `_` executed.
 */
export function renderChart(
  templates: Readonly<Record<string, string>>,
  values: GoValue = {},
  opts: HelmFuncMapOptions = {},
): { output: Record<string, string> } | { error: string } {
  let set: TemplateSet | undefined;
  const funcs = helmFuncMap({ ...opts, templates: () => set! });
  set = newTemplateSet({ funcs, missingKey: 'zero', limits: { maxExecDepth: 100000 } });
  const names = Object.keys(templates)
    .sort()
    .map((n) => `oracle/${n}`);
  try {
    for (const n of names) set.parse(n, templates[n.slice('oracle/'.length)]!);
    const output: Record<string, string> = {};
    for (const n of names) {
      if (n.slice(n.lastIndexOf('/') + 1).startsWith('_')) continue;
      output[n] = set
        .execute(n, { Values: values, Template: { Name: n, BasePath: 'oracle/templates' } })
        .split('<no value>')
        .join('');
    }
    return { output };
  } catch (e) {
    return { error: (e as Error).message };
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
  const r = spawnSync(bin, [], {
    input: JSON.stringify({ cases }),
    encoding: 'utf8',
    maxBuffer: 256 << 20,
    env: { ...process.env, TZ: 'UTC' },
  });
  if (r.status !== 0) throw new Error(`helm-engine failed: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { results: OracleResult[] }).results;
}
