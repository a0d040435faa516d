/**
 * Every CEL expression of the shared policy corpus (../shared/policies: Kyverno ClusterPolicy
 * `validate.cel` and `celPreconditions` in kyverno-cel, ValidatingPolicy in kyverno-vpol, the
 * Gatekeeper library's K8sNativeValidation code), evaluated on the resources of its own tests by
 * our engine and by the cel oracle. Variables are evaluated in order (by our engine; each variable
 * is itself a compared case) and handed to both sides as JSON. Prints N/M agree; asserts the list
 * of disagreements.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { compileCel, fromCel } from './index.js';
import { agree, describe, loadOracle, runOracle, runOurs, type CelCase } from './testing/oracle.js';

const root = join(process.env.AKSFLEET_ROOT ?? process.cwd(), '..', 'shared', 'policies');
const VARS = ['object', 'oldObject', 'request', 'params', 'namespaceObject', 'variables', 'authorizer'];
/** Resources per policy folder (bounds the run). */
const PER_FOLDER = 6;

type Obj = Record<string, unknown>;
interface Source {
  readonly id: string;
  readonly variables: readonly { name: string; expression: string }[];
  readonly expressions: readonly { field: string; expression: string }[];
  readonly resources: readonly Obj[];
  readonly params: unknown;
  readonly extraVariables?: (object: Obj, params: unknown) => Record<string, unknown>;
}

function docs(file: string): Obj[] {
  try {
    return parseAllDocuments(readFileSync(file, 'utf8'))
      .map((d) => d.toJS() as Obj)
      .filter((d) => d && typeof d === 'object');
  } catch {
    return [];
  }
}
const arr = (x: unknown): Obj[] => (Array.isArray(x) ? (x as Obj[]) : []);
const str = (x: unknown): x is string => typeof x === 'string' && x.trim() !== '';

function kyvernoResources(dir: string): Obj[] {
  const t = docs(join(dir, 'kyverno-test.yaml'))[0] as { resources?: string[] } | undefined;
  return (t?.resources ?? []).flatMap((r) => docs(join(dir, r))).slice(0, PER_FOLDER);
}

function sources(): Source[] {
  const out: Source[] = [];
  for (const group of ['kyverno-cel', 'kyverno-vpol']) {
    for (const name of readdirSync(join(root, group)).sort()) {
      const dir = join(root, group, name);
      const resources = kyvernoResources(dir);
      for (const p of docs(join(dir, 'policy.yaml'))) {
        const spec = (p.spec ?? {}) as Obj;
        if (group === 'kyverno-vpol') {
          out.push({
            id: `${group}/${name}`,
            variables: arr(spec.variables)
              .filter((v) => str(v.expression))
              .map((v) => ({ name: String(v.name), expression: String(v.expression) })),
            expressions: [
              ...arr(spec.matchConditions).map((m, i) => ({
                field: `matchConditions[${i}]`,
                expression: m.expression,
              })),
              ...arr(spec.validations).flatMap((v, i) => [
                { field: `validations[${i}]`, expression: v.expression },
                { field: `validations[${i}].messageExpression`, expression: v.messageExpression },
              ]),
            ].filter((e): e is { field: string; expression: string } => str(e.expression)),
            resources,
            params: null,
          });
          continue;
        }
        for (const rule of arr(spec.rules)) {
          const cel = ((rule.validate as Obj | undefined)?.cel ?? {}) as Obj;
          out.push({
            id: `${group}/${name}/${String(rule.name)}`,
            variables: arr(cel.variables)
              .filter((v) => str(v.expression))
              .map((v) => ({ name: String(v.name), expression: String(v.expression) })),
            expressions: [
              ...arr(rule.celPreconditions).map((m, i) => ({
                field: `celPreconditions[${i}]`,
                expression: m.expression,
              })),
              ...arr(cel.expressions).flatMap((v, i) => [
                { field: `expressions[${i}]`, expression: v.expression },
                { field: `expressions[${i}].messageExpression`, expression: v.messageExpression },
              ]),
            ].filter((e): e is { field: string; expression: string } => str(e.expression)),
            resources,
            params: null,
          });
        }
      }
    }
  }
  for (const name of readdirSync(join(root, 'gatekeeper')).sort()) {
    const dir = join(root, 'gatekeeper', name);
    const template = docs(join(dir, 'template.yaml'))[0];
    const code = arr(arr((template?.spec as Obj | undefined)?.targets)[0]?.code).find(
      (c) => c.engine === 'K8sNativeValidation',
    );
    if (!code) continue;
    const src = (code.source ?? {}) as Obj;
    const samples = join(dir, 'samples');
    for (const sample of existsSync(samples) ? readdirSync(samples).sort() : []) {
      const sdir = join(samples, sample);
      if (!statSync(sdir).isDirectory()) continue;
      const constraint = docs(join(sdir, 'constraint.yaml'))[0];
      const params = ((constraint?.spec as Obj | undefined)?.parameters ?? null) as unknown;
      const resources = readdirSync(sdir)
        .filter((f) => f.startsWith('example'))
        .sort()
        .flatMap((f) => docs(join(sdir, f)))
        .slice(0, PER_FOLDER);
      out.push({
        id: `gatekeeper/${name}/${sample}`,
        variables: arr(src.variables)
          .filter((v) => str(v.expression))
          .map((v) => ({ name: String(v.name), expression: String(v.expression) })),
        expressions: [
          ...arr(src.matchConditions).map((m, i) => ({ field: `matchConditions[${i}]`, expression: m.expression })),
          ...arr(src.validations).flatMap((v, i) => [
            { field: `validations[${i}]`, expression: v.expression },
            { field: `validations[${i}].messageExpression`, expression: v.messageExpression },
          ]),
        ].filter((e): e is { field: string; expression: string } => str(e.expression)),
        resources,
        params,
        // What Gatekeeper's K8sNativeValidation driver adds: variables.params and variables.anyObject.
        extraVariables: (object, p) => ({ params: p, anyObject: object }),
      });
    }
  }
  return out;
}

interface Labeled extends CelCase {
  readonly label: string;
}

/** The cases of one source: its variables (in order, values from our engine) and expressions, per resource. */
function casesOf(s: Source): Labeled[] {
  const out: Labeled[] = [];
  for (const [ri, object] of s.resources.entries()) {
    const md = (object.metadata ?? {}) as Obj;
    const request = {
      operation: 'CREATE',
      name: md.name ?? '',
      namespace: md.namespace ?? '',
      userInfo: { username: '', groups: [] },
    };
    const variables: Record<string, unknown> = { ...(s.extraVariables?.(object, s.params) ?? {}) };
    const vars = (): Record<string, unknown> => ({
      object,
      oldObject: null,
      request,
      params: s.params,
      namespaceObject: null,
      variables: { ...variables },
    });
    for (const v of s.variables) {
      out.push({ label: `${s.id} #${ri} variables.${v.name}`, expr: v.expression, vars: vars() });
      try {
        variables[v.name] = fromCel(compileCel(v.expression, { variables: VARS }).evaluateCel(vars()).value);
      } catch {
        /* left out: both sides then see no such variable */
      }
    }
    for (const e of s.expressions) out.push({ label: `${s.id} #${ri} ${e.field}`, expr: e.expression, vars: vars() });
  }
  return out;
}

/** Disagreements we know of (labels): Kyverno-only libraries are compile errors on both sides. */
const KNOWN: string[] = [];

const cel = await loadOracle('cel');
const present = existsSync(join(root, 'kyverno-cases.tsv'));

test('policy corpus CEL expressions agree with cel-go', {
  skip: cel.skip || (present ? false : `${root} not found`),
}, () => {
  const all = sources().flatMap(casesOf);
  assert.ok(all.length > 1000, `only ${all.length} cases`);
  const theirs = runOracle(cel.path, all);
  const differ: string[] = [];
  let values = 0;
  const ratios: number[] = [];
  for (const [i, c] of all.entries()) {
    const ours = runOurs(c);
    const oc = ours.cost;
    const tc = theirs[i].cost;
    if (!('error' in ours) && !('error' in theirs[i]) && oc !== undefined && tc !== undefined && tc > 0)
      ratios.push(oc / tc);
    if (!agree(ours, theirs[i])) {
      differ.push(c.label);
      if (process.env.AKSFLEET_SHOW_DIFF)
        console.log(
          `${c.label}: ${c.expr.replace(/\s+/g, ' ').slice(0, 150)}  ours: ` +
            `${describe(ours).slice(0, 150)}  cel-go: ${describe(theirs[i]).slice(0, 150)}`,
        );
    } else if (!('error' in theirs[i])) values++;
  }
  const byGroup = (g: string): string => {
    const n = all.filter((c) => c.label.startsWith(g)).length;
    const d = differ.filter((l) => l.startsWith(g)).length;
    return `${g} ${n - d}/${n}`;
  };
  console.log(
    `policy corpus: ${all.length - differ.length}/${all.length} agree ` +
      `(${values} equal values, ${all.length - differ.length - values} both errors); ` +
      `${['kyverno-cel', 'kyverno-vpol', 'gatekeeper'].map(byGroup).join(', ')}`,
  );
  ratios.sort((a, b) => a - b);
  const within = ratios.filter((r) => r >= 0.5 && r <= 2).length;
  console.log(
    `runtime cost, ours/cel-go over ${ratios.length} evaluations: ` +
      `median ${ratios[Math.floor(ratios.length / 2)].toFixed(2)}, ` +
      `p10 ${ratios[Math.floor(ratios.length * 0.1)].toFixed(2)}, ` +
      `p90 ${ratios[Math.floor(ratios.length * 0.9)].toFixed(2)}, within 2x: ${within}/${ratios.length}`,
  );
  assert.deepEqual(differ, KNOWN);
});
