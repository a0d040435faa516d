/**
 * The repository's own admission policies in the gate: every object Flux would apply to a cluster
 * is admitted, in apply order, through the policy-like documents of that cluster's render (Kyverno
 * ClusterPolicy/Policy, Kyverno ValidatingPolicy, ValidatingAdmissionPolicy + bindings and their
 * param objects, and whatever engine `admissionEngines()` lists, Gatekeeper once merged) plus the
 * documents of `check --policies`. Findings carry the rule id `policy:<policy>/<rule>`:
 *
 * - a `fail` of an enforcing policy (Kyverno Enforce, VAP Deny) is an error, any other `fail` or a
 *   `warn` a warning, with the policy's own message, at the object's file and line, the policy as
 *   a related location;
 * - an `error` result is an error finding naming the policy (it could not be evaluated: a
 *   timeout, a fault of the policy), except what cannot be decided offline (`verifyImages`,
 *   `apiCall` context, cluster state): one info finding per policy rule and cluster, at the
 *   policy, "not evaluable offline", with the objects concerned as related locations;
 * - a policy that does not load (PolicyLoadError) is an error finding at the policy's file and
 *   line; the other policies still run.
 *
 * Compiling is the costly part: each engine's documents compile once per distinct content in the
 * run (`AdmissionSetup.cache`, the session's), so 100 clusters sharing platform/policies compile
 * them once.
 */
import { admissionEngines } from '../../admission/engines.js';
import type { AdmissionContext, AdmissionEngine, PolicyDocument, PolicyLoadError, PolicyResult } from '../../admission/types.js';
import { resourceId, type Resource } from '../../resources/resource.js';
import { policyRuleId } from '../policy-ids.js';
import type { AdmissionSetup, CheckContext, ClusterRule, RelatedLocation, Reporter } from '../types.js';

/** The id of the admission rule itself (turn it off in .aksfleet.yaml: `admission: off`). */
export const ADMISSION_RULE_ID = 'admission';
/** Wall-clock cap per policy and resource, as the engines apply it. */
export const ADMISSION_TIMEOUT_MS = 2000;
/** At most this many objects are listed as related locations of a "not evaluable offline" finding. */
const MAX_RELATED = 10;

/** Messages of `error` results that say the engine needs what is not in the repository. */
const NOT_EVALUABLE = /not evaluable offline|cannot be evaluated offline|needs a cluster|not supported offline/i;

export function isNotEvaluable(r: PolicyResult): boolean {
  return r.result === 'error' && NOT_EVALUABLE.test(r.message ?? '');
}

interface Compiled {
  readonly engine: AdmissionEngine;
  readonly compiled: unknown;
  readonly errors: readonly PolicyLoadError[];
}

/** The policy documents of a cluster: its rendered policy-like objects, then `--policies`, by engine. */
export function policyDocuments(resources: readonly Resource[], extra: readonly PolicyDocument[], engines: readonly AdmissionEngine[]): Map<AdmissionEngine, PolicyDocument[]> {
  const out = new Map<AdmissionEngine, PolicyDocument[]>();
  const add = (d: PolicyDocument) => {
    const e = engines.find((x) => x.accepts(d.object));
    if (e) (out.get(e) ?? out.set(e, []).get(e)!).push(d);
  };
  for (const r of resources) {
    if (!r.object.kind) continue;
    add({ object: r.object as Record<string, unknown>, file: r.origin?.file ?? '', ...(r.origin?.line ? { line: r.origin.line } : {}) });
  }
  for (const d of extra) add(d);
  return out;
}

/** Compiles each engine's documents, once per distinct content in `cache`. */
export function compileAll(byEngine: ReadonlyMap<AdmissionEngine, PolicyDocument[]>, engines: readonly AdmissionEngine[], cache: Map<string, unknown> | undefined): Compiled[] {
  const out: Compiled[] = [];
  for (const engine of engines) {
    const docs = byEngine.get(engine);
    if (!docs?.length) continue;
    const key = cache ? `${engine.name}\u0000${JSON.stringify(docs)}` : '';
    const hit = cache?.get(key) as Compiled | undefined;
    if (hit && hit.engine === engine) {
      out.push(hit);
      continue;
    }
    let c: Compiled;
    try {
      const r = engine.compile(docs);
      c = { engine, compiled: r.compiled, errors: r.errors };
    } catch (e) {
      // An engine must not throw for policy faults; if one does, its policies are reported, not lost.
      c = { engine, compiled: undefined, errors: [{ file: docs[0]!.file, ...(docs[0]!.line ? { line: docs[0]!.line } : {}), message: `${engine.name} could not compile the policies: ${(e as Error).message}` }] };
    }
    cache?.set(key, c);
    out.push(c);
  }
  return out;
}

function policyOf(ctx: CheckContext, source: PolicyResult['source']): Resource | undefined {
  if (!source) return undefined;
  return ctx.resources.find((r) => r.origin?.file === source.file && r.origin?.line === source.line);
}

function relatedPolicy(r: PolicyResult): RelatedLocation[] {
  return r.source?.file ? [{ file: r.source.file, ...(r.source.line ? { line: r.source.line } : {}), message: `policy ${r.policy}, rule ${r.rule}` }] : [];
}

/** Namespaces of the cluster by name (for namespaceSelector). */
function namespacesOf(resources: readonly Resource[]): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const r of resources) if (r.object.kind === 'Namespace' && r.object.metadata?.name) out.set(r.object.metadata.name, r.object as Record<string, unknown>);
  return out;
}

/** Runs every object of the cluster through its policies and reports (see the file comment). */
export function admitCluster(ctx: CheckContext, report: Reporter, setup: AdmissionSetup): void {
  const byEngine = policyDocuments(ctx.resources, setup.extraPolicies, setup.engines);
  if (byEngine.size === 0) return;
  const compiled = compileAll(byEngine, setup.engines, setup.cache);
  for (const { errors } of compiled) {
    for (const e of errors) {
      report({
        ruleId: policyRuleId(e.policy ?? '(unnamed)', e.rule ?? 'load'),
        severity: 'error',
        file: e.file,
        ...(e.line ? { line: e.line } : {}),
        message: `policy ${e.policy ?? '(unnamed)'}${e.rule ? ` rule ${e.rule}` : ''} could not be loaded: ${e.message}${e.column ? ` (column ${e.column})` : ''}; its other rules and the other policies still run`,
        hint: 'Fix the policy so that the cluster would accept it.',
      });
    }
  }
  const objects = ctx.resources.map((r) => r.object as Record<string, unknown>);
  const actx: AdmissionContext = { namespaces: namespacesOf(ctx.resources), resources: objects, operation: 'CREATE', timeoutMs: ADMISSION_TIMEOUT_MS };
  const notEvaluable = new Map<string, { result: PolicyResult; objects: Resource[] }>();
  for (const res of ctx.resources) {
    if (!res.object.kind) continue;
    for (const c of compiled) {
      if (c.compiled === undefined) continue;
      let results: PolicyResult[];
      try {
        results = c.engine.evaluate(c.compiled, res.object as Record<string, unknown>, actx);
      } catch (e) {
        report({ ruleId: policyRuleId(c.engine.name, 'evaluate'), severity: 'error', resource: res, message: `the ${c.engine.name} policies could not be evaluated on this object: ${(e as Error).message}` });
        continue;
      }
      for (const r of results) {
        if (r.result === 'pass' || r.result === 'skip') continue;
        const ruleId = policyRuleId(r.policy, r.rule);
        if (isNotEvaluable(r)) {
          const k = `${ruleId}\u0000${r.source?.file ?? ''}\u0000${r.source?.line ?? ''}`;
          const e = notEvaluable.get(k) ?? notEvaluable.set(k, { result: r, objects: [] }).get(k)!;
          e.objects.push(res);
          continue;
        }
        if (r.result === 'error') {
          report({ ruleId, severity: 'error', resource: res, related: relatedPolicy(r), message: `policy ${r.policy} rule ${r.rule} could not be evaluated: ${r.message ?? 'error'}`, hint: 'Fix the policy (or the object) so that the policy can decide; the cluster would fail this request too.' });
          continue;
        }
        const enforcing = r.result === 'fail' && r.enforcing === true;
        report({
          ruleId,
          severity: enforcing ? 'error' : 'warning',
          resource: res,
          related: relatedPolicy(r),
          message: r.message || `refused by policy ${r.policy} rule ${r.rule}`,
          hint: enforcing ? `The cluster would refuse this object (policy ${r.policy} enforces). Change the object, or add an exception the policy honours.` : `Policy ${r.policy} would report this object (audit/warn).`,
        });
      }
    }
  }
  for (const [, { result: r, objects: objs }] of [...notEvaluable].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const policy = policyOf(ctx, r.source);
    const shown = objs.slice(0, MAX_RELATED);
    report({
      ruleId: policyRuleId(r.policy, r.rule),
      severity: 'info',
      ...(policy ? { resource: policy } : {}),
      ...(r.source?.file ? { file: r.source.file, line: r.source.line } : {}),
      message: `not evaluable offline: policy ${r.policy} rule ${r.rule} on ${objs.length} object(s) (${r.message ?? ''}); the cluster decides, this check does not pass them`,
      hint: 'Nothing to fix here; verify in a cluster (or supply the values with `aksfleet policy apply --values-file`).',
      related: shown.map((o) => ({ file: o.origin?.file ?? '', ...(o.origin?.line ? { line: o.origin.line } : {}), message: `not evaluated: ${resourceId(o.object)}`, resource: resourceId(o.object) })).filter((x) => x.file !== ''),
    });
  }
}

export const admission: ClusterRule = {
  id: ADMISSION_RULE_ID,
  scope: 'cluster',
  severity: 'error',
  category: 'policy',
  doc: "Every object Flux would apply is admitted through the repository's own admission policies (Kyverno ClusterPolicy/Policy, ValidatingPolicy, ValidatingAdmissionPolicy + bindings, from the cluster's render and `check --policies`). Findings are `policy:<policy>/<rule>`: Enforce/Deny fails are errors, Audit/Warn warnings, results that need a cluster (verifyImages, apiCall) info \"not evaluable offline\", bad policies errors at the policy.",
  hint: 'Change the object so that the policy admits it (the message is the policy\'s own).',
  check(ctx, report) {
    admitCluster(ctx, report, ctx.admission ?? { engines: admissionEngines(), extraPolicies: [] });
  },
};
