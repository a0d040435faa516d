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
 * them once. Verdicts (an engine's results for one object) are kept by content in the run and,
 * with `AdmissionSetup.verdicts` (`check`'s content store), between runs: keys, units and what
 * is never kept are src/admission/verdict-cache.ts's.
 */
import { createHash } from 'node:crypto';
import { admissionEngines } from '../../admission/engines.js';
import {
  KYVERNO_FILTERED_ENGINES,
  clusterResourceFilters,
  resourceFilterMatcher,
} from '../../admission/kyverno/resource-filters.js';
import type {
  AdmissionContext,
  AdmissionEngine,
  PolicyDocument,
  PolicyLoadError,
  PolicyResult,
} from '../../admission/types.js';
import { resourceId, type Resource } from '../../resources/resource.js';
import { policyRuleId } from '../policy-ids.js';
import { policyResultDiagnostic } from '../../admission/diagnostic.js';
import type { AdmissionSetup, CheckContext, ClusterRule, Reporter } from '../types.js';
import {
  VerdictCache,
  objectDigest,
  unitCacheability,
  unitKey,
  verdictKey,
  verdictUnits,
} from '../../admission/verdict-cache.js';

/** The id of the admission rule itself (turn it off in .aksfleet.yaml: `admission: off`). */
export const ADMISSION_RULE_ID = 'admission';
/**
 * The time backstop per policy and resource, as the engines apply it (src/work-budget.ts: running
 * time, not wall time; each engine's step or cost budget decides first).
 */
export const ADMISSION_TIMEOUT_MS = 2000;
/** At most this many objects are listed as related locations of a "not evaluable offline" finding. */
const MAX_RELATED = 10;

/** Messages of `error` results that say the engine needs what is not in the repository. */
const NOT_EVALUABLE =
  /not evaluable offline|cannot be evaluated offline|needs a cluster|not supported offline|Unknown variable: (http|resource|imagedata|globalcontext|globalContext|image)\b/i;

export function isNotEvaluable(r: PolicyResult): boolean {
  return r.result === 'error' && NOT_EVALUABLE.test(r.message ?? '');
}

/** Documents compiled and evaluated together (src/admission/verdict-cache.ts `verdictUnits`). */
interface Unit {
  readonly compiled: unknown;
  /** Set when the unit's verdicts may be kept in the run: the unit's part of their keys. */
  readonly key?: string;
  /** The verdicts may be kept between runs too. */
  readonly persist: boolean;
}

interface Compiled {
  readonly engine: AdmissionEngine;
  readonly compiled: unknown;
  readonly errors: readonly PolicyLoadError[];
  /** Lower-case kinds (and plural resource names) the documents can match; undefined: any object. */
  readonly kinds?: ReadonlySet<string>;
  /** What is evaluated, in order: the whole set, or (Kyverno) each policy alone; their results concatenated. */
  readonly units: readonly Unit[];
}

function digest(s: string): string {
  return createHash('sha1').update(s).digest('base64');
}

/** Kyverno rewrites Pod rules for these controllers (autogen); a Pod kind admits them too. */
const POD_CONTROLLERS = [
  'deployment',
  'statefulset',
  'daemonset',
  'job',
  'cronjob',
  'replicaset',
  'replicationcontroller',
];

const asObj = (v: unknown): Record<string, unknown> | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
const asArr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/**
 * The kinds a set of policy documents can match, read from their match blocks, as a superset
 * (every `/`-separated part of a Kyverno kind; Pod adds its controllers; a VAP's resources by
 * name); undefined when any document could match anything (a wildcard, a kind it does not
 * know), so that the filter never leaves out an object a policy would judge. Objects of other
 * kinds skip the engine: most of a cluster (Services, ConfigMaps...) meets no policy.
 */
export function matchableKinds(docs: readonly PolicyDocument[]): Set<string> | undefined {
  const out = new Set<string>();
  const kind = (k: unknown): boolean => {
    if (typeof k !== 'string' || /[*?]/.test(k) || k === '') return false;
    for (const part of k.split('/')) {
      const l = part.toLowerCase();
      out.add(l);
      if (l === 'pod') for (const c of POD_CONTROLLERS) out.add(c);
    }
    return true;
  };
  const resourcesOf = (block: unknown): boolean => {
    const b = asObj(block);
    if (!b) return true;
    const lists = [
      asObj(b.resources),
      ...asArr(b.any).map((x) => asObj(asObj(x)?.resources)),
      ...asArr(b.all).map((x) => asObj(asObj(x)?.resources)),
    ].filter((x) => x !== undefined);
    if (lists.length === 0) return false;
    return lists.every((r) => asArr(r!.kinds).length > 0 && asArr(r!.kinds).every(kind));
  };
  const resourceRules = (spec: Record<string, unknown> | undefined): boolean => {
    const rules = asArr(asObj(spec?.matchConstraints)?.resourceRules);
    if (rules.length === 0) return false;
    return rules.every((r) => {
      const names = asArr(asObj(r)?.resources);
      return (
        names.length > 0 &&
        names.every((n) => typeof n === 'string' && !n.includes('*') && (out.add(n.split('/')[0]!.toLowerCase()), true))
      );
    });
  };
  for (const d of docs) {
    const o = d.object;
    const api = typeof o.apiVersion === 'string' ? o.apiVersion : '';
    const spec = asObj(o.spec);
    if (api.startsWith('kyverno.io/') && (o.kind === 'ClusterPolicy' || o.kind === 'Policy')) {
      const rules = asArr(spec?.rules);
      if (!rules.every((r) => resourcesOf(asObj(r)?.match))) return undefined;
    } else if (api.startsWith('kyverno.io/') && o.kind === 'PolicyException') {
      // an exception only exempts objects from what its policies match
    } else if (
      (api.startsWith('admissionregistration.k8s.io/') && o.kind === 'ValidatingAdmissionPolicy') ||
      (api.startsWith('policies.kyverno.io/') && o.kind === 'ValidatingPolicy')
    ) {
      if (!resourceRules(spec)) return undefined;
    } else if (api.startsWith('admissionregistration.k8s.io/') && o.kind === 'ValidatingAdmissionPolicyBinding') {
      // a binding only narrows its policy's match
    } else return undefined;
  }
  return out;
}

/** Could a policy with these kinds judge this object? (kind, or its plural resource name). */
function mayMatch(kinds: ReadonlySet<string> | undefined, kind: string): boolean {
  if (!kinds) return true;
  const k = kind.toLowerCase();
  return (
    kinds.has(k) || kinds.has(`${k}s`) || kinds.has(`${k}es`) || (k.endsWith('y') && kinds.has(`${k.slice(0, -1)}ies`))
  );
}

/** The policy documents of a cluster: its rendered policy-like objects, then `--policies`, by engine. */
export function policyDocuments(
  resources: readonly Resource[],
  extra: readonly PolicyDocument[],
  engines: readonly AdmissionEngine[],
): Map<AdmissionEngine, PolicyDocument[]> {
  const out = new Map<AdmissionEngine, PolicyDocument[]>();
  const add = (d: PolicyDocument) => {
    const e = engines.find((x) => x.accepts(d.object));
    if (e) (out.get(e) ?? out.set(e, []).get(e)!).push(d);
  };
  for (const r of resources) {
    if (!r.object.kind) continue;
    add({
      object: r.object as Record<string, unknown>,
      file: r.origin?.file ?? '',
      ...(r.origin?.line ? { line: r.origin.line } : {}),
    });
  }
  for (const d of extra) add(d);
  return out;
}

/**
 * Compiles each engine's documents, once per distinct content in `cache`; with a cache or `store`
 * (verdicts kept between runs), into the units whose verdicts are keyed.
 */
export function compileAll(
  byEngine: ReadonlyMap<AdmissionEngine, PolicyDocument[]>,
  engines: readonly AdmissionEngine[],
  cache: Map<string, unknown> | undefined,
  store = false,
): Compiled[] {
  const out: Compiled[] = [];
  for (const engine of engines) {
    const docs = byEngine.get(engine);
    if (!docs?.length) continue;
    const key = cache ? `${engine.name}\u0000${digest(JSON.stringify(docs))}` : '';
    const hit = cache?.get(key) as Compiled | undefined;
    const keyed = cache !== undefined || store;
    if (hit && hit.engine === engine) {
      out.push(hit);
      continue;
    }
    let c: Compiled;
    try {
      const r = engine.compile(docs);
      const kinds = matchableKinds(docs);
      c = {
        engine,
        compiled: r.compiled,
        errors: r.errors,
        ...(kinds ? { kinds } : {}),
        units: keyed ? units(engine, docs, r.compiled) : [{ compiled: r.compiled, persist: false }],
      };
    } catch (e) {
      // An engine must not throw for policy faults; if one does, its policies are reported, not lost.
      c = {
        engine,
        compiled: undefined,
        errors: [
          {
            file: docs[0]!.file,
            ...(docs[0]!.line ? { line: docs[0]!.line } : {}),
            message: `${engine.name} could not compile the policies: ${(e as Error).message}`,
          },
        ],
        units: [],
      };
    }
    cache?.set(key, c);
    out.push(c);
  }
  return out;
}

/**
 * The units of an engine's documents, each with the key part of its verdicts when they may be kept
 * (the whole set is one unit, compiled once, unless the engine's policies judge alone).
 */
function units(engine: AdmissionEngine, docs: readonly PolicyDocument[], whole: unknown): Unit[] {
  const parts = verdictUnits(engine.name, docs);
  return parts.map((part) => {
    const how = unitCacheability(part);
    const compiled = parts.length === 1 ? whole : engine.compile(part).compiled;
    return { compiled, persist: how.persist, ...(how.memo ? { key: unitKey(engine.name, part) } : {}) };
  });
}

function policyOf(ctx: CheckContext, source: PolicyResult['source']): Resource | undefined {
  if (!source) return undefined;
  return ctx.resources.find((r) => r.origin?.file === source.file && r.origin?.line === source.line);
}

/** Namespaces of the cluster by name (for namespaceSelector). */
function namespacesOf(resources: readonly Resource[]): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const r of resources)
    if (r.object.kind === 'Namespace' && r.object.metadata?.name)
      out.set(r.object.metadata.name, r.object as Record<string, unknown>);
  return out;
}

/** A result that may depend on time (an `error` that is not "not evaluable offline", e.g. a timeout) is not kept. */
const keepable = (results: readonly PolicyResult[]): boolean =>
  !results.some((r) => r.result === 'error' && !isNotEvaluable(r));

/**
 * The engine's results for one object, unit by unit, each reused when the same content comes
 * again in the run (100 clusters built from the same bases admit the same Deployment once) or was
 * judged by an earlier run (the store), when its unit may be kept (`Unit.key`).
 */
function evaluateKept(
  c: Compiled,
  object: Record<string, unknown>,
  actx: AdmissionContext,
  verdicts: VerdictCache,
  objectKey: () => string,
): PolicyResult[] {
  const one = (u: Unit): PolicyResult[] => {
    const run = () => c.engine.evaluate(u.compiled, object, actx);
    return u.key === undefined ? run() : verdicts.verdict(verdictKey(u.key, objectKey()), u.persist, run, keepable);
  };
  return c.units.length === 1 ? one(c.units[0]!) : c.units.flatMap(one);
}

/** Runs every object of the cluster through its policies and reports (see the file comment). */
export function admitCluster(ctx: CheckContext, report: Reporter, setup: AdmissionSetup): void {
  const byEngine = policyDocuments(ctx.resources, setup.extraPolicies, setup.engines);
  if (byEngine.size === 0) return;
  const compiled = compileAll(byEngine, setup.engines, setup.cache, setup.verdicts !== undefined);
  const verdicts = new VerdictCache(setup.cache, setup.verdicts);
  for (const { errors } of compiled) {
    for (const e of errors) {
      // Kyverno's CEL libraries that read the cluster or the network (http, resource, image data,
      // global context) are not available offline: such a policy is not evaluable, not bad.
      if (NOT_EVALUABLE.test(e.message)) {
        report({
          ruleId: policyRuleId(e.policy ?? '(unnamed)', e.rule ?? 'load'),
          severity: 'info',
          file: e.file,
          ...(e.line ? { line: e.line } : {}),
          message: `not evaluable offline: policy ${e.policy ?? '(unnamed)'}${e.rule ? ` rule ${e.rule}` : ''} uses what needs a cluster or the network (${e.message}); the cluster decides, this check does not pass it`,
          hint: 'Nothing to fix here; verify in a cluster.',
        });
        continue;
      }
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
  const actx: AdmissionContext = {
    namespaces: namespacesOf(ctx.resources),
    resources: objects,
    operation: 'CREATE',
    timeoutMs: ADMISSION_TIMEOUT_MS,
  };
  const notEvaluable = new Map<string, { result: PolicyResult; objects: Resource[] }>();
  // Kyverno's resourceFilters: requests the cluster's Kyverno lets through unevaluated (kube-system, Events, ...).
  const rf = clusterResourceFilters(objects);
  const filteredOut = resourceFilterMatcher(rf.filters);
  const filtered: { res: Resource; rules: string[] }[] = [];
  for (const res of ctx.resources) {
    if (!res.object.kind) continue;
    let isFiltered: boolean | undefined;
    let od: string | undefined;
    // The object's part of its verdicts' keys, made once for all its units and engines.
    const digestOf = () => (od ??= objectDigest(res.object as Record<string, unknown>, actx));
    for (const c of compiled) {
      if (c.compiled === undefined || !mayMatch(c.kinds, res.object.kind)) continue;
      const skipped =
        KYVERNO_FILTERED_ENGINES.has(c.engine.name) &&
        (isFiltered ??= filteredOut(res.object as Record<string, unknown>));
      let results: PolicyResult[];
      try {
        results = evaluateKept(c, res.object as Record<string, unknown>, actx, verdicts, digestOf);
      } catch (e) {
        if (skipped) continue;
        report({
          ruleId: policyRuleId(c.engine.name, 'evaluate'),
          severity: 'error',
          resource: res,
          message: `the ${c.engine.name} policies could not be evaluated on this object: ${(e as Error).message}`,
        });
        continue;
      }
      if (skipped) {
        // Not admitted through Kyverno in the cluster; said once below when a policy would object.
        const rules = results
          .filter((x) => x.result === 'fail' || x.result === 'warn' || x.result === 'error')
          .map((x) => policyRuleId(x.policy, x.rule || x.policy));
        if (rules.length > 0) filtered.push({ res, rules });
        continue;
      }
      for (const raw of results) {
        if (raw.result === 'pass' || raw.result === 'skip') continue;
        // An engine may leave the rule empty (a CEL policy's own error): the policy names it.
        const r = raw.rule ? raw : { ...raw, rule: raw.policy };
        const ruleId = policyRuleId(r.policy, r.rule);
        if (isNotEvaluable(r)) {
          const k = `${ruleId}\u0000${r.source?.file ?? ''}\u0000${r.source?.line ?? ''}`;
          const e = notEvaluable.get(k) ?? notEvaluable.set(k, { result: r, objects: [] }).get(k)!;
          e.objects.push(res);
          continue;
        }
        // The result as the one Diagnostic shape (src/admission/diagnostic.ts), placed at the object.
        const d = policyResultDiagnostic(r)!;
        report({
          ruleId,
          severity: d.severity,
          resource: res,
          related: d.related ?? [],
          message: d.message,
          ...(d.hint !== undefined ? { hint: d.hint } : {}),
        });
      }
    }
  }
  if (filtered.length > 0) {
    const shown = filtered.slice(0, MAX_RELATED);
    report({
      ruleId: policyRuleId('kyverno', 'resource-filters'),
      severity: 'info',
      message:
        `${filtered.length} object(s) that Kyverno policies would refuse or report are let through unevaluated ` +
        `by Kyverno's resourceFilters (${rf.from}), as the cluster does; not findings`,
      hint:
        "Nothing to fix; to have Kyverno judge them, change the resourceFilters of Kyverno's ConfigMap (Helm " +
        'value config.resourceFilters).',
      related: shown
        .map(({ res: o, rules }) => ({
          file: o.origin?.file ?? '',
          ...(o.origin?.line ? { line: o.origin.line } : {}),
          message: `not admitted (resourceFilters): ${resourceId(o.object)} (${[...new Set(rules)].join(', ')})`,
          resource: resourceId(o.object),
        }))
        .filter((x) => x.file !== ''),
    });
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
      hint:
        'Nothing to fix here; verify in a cluster (or supply the values with `aksfleet policy apply ' +
        '--values-file`).',
      related: shown
        .map((o) => ({
          file: o.origin?.file ?? '',
          ...(o.origin?.line ? { line: o.origin.line } : {}),
          message: `not evaluated: ${resourceId(o.object)}`,
          resource: resourceId(o.object),
        }))
        .filter((x) => x.file !== ''),
    });
  }
}

export const admission: ClusterRule = {
  id: ADMISSION_RULE_ID,
  scope: 'cluster',
  severity: 'error',
  category: 'policy',
  doc:
    "Every object Flux would apply is admitted through the repository's own admission policies (Kyverno " +
    "ClusterPolicy/Policy, ValidatingPolicy, ValidatingAdmissionPolicy + bindings, from the cluster's render " +
    'and `check --policies`). Findings are `policy:<policy>/<rule>`: Enforce/Deny fails are errors, Audit/Warn ' +
    'warnings, results that need a cluster (verifyImages, apiCall) info "not evaluable offline", bad policies ' +
    'errors at the policy.',
  hint: "Change the object so that the policy admits it (the message is the policy's own).",
  check(ctx, report) {
    admitCluster(ctx, report, ctx.admission ?? { engines: admissionEngines(), extraPolicies: [] });
  },
};
