/**
 * One policy on one resource, as `kyverno apply` runs it: the request context (operation,
 * object, oldObject for UPDATE/DELETE, namespace, images, user info, values), autogen, then per rule:
 * match/exclude, values, context entries, preconditions, mutation (applied to the resource for the
 * rules after it) or validation. Each applicable rule gives one result; rules that do not match give
 * none, as in Kyverno.
 */
import type { AdmissionContext, PolicyResult, ResourceRef } from '../../types.js';
import { computeRules } from '../autogen/autogen.js';
import { ruleMatches, type RequestInfo } from '../match/match.js';
import { gvkOf } from '../match/kind.js';
import { mutateResource } from '../mutate/mutate.js';
import { isMap } from '../pattern/go-values.js';
import { EvalContext, splitDotted } from '../variables/context.js';
import { evaluateConditions } from './conditions.js';
import { loadContextEntries, type EntryEnvironment } from './context-entries.js';
import { imageInfos, verifyImagesTargets } from './images.js';
import { failureActionOf, type KyvernoPolicy } from './policy.js';
import { validatePodSecurity } from '../pss/evaluate.js';
import { validateCel } from './validate-cel.js';
import { serviceAccountOf } from './service-account.js';
import { validateRule, type RuleResponse } from './validate-rule.js';
import { subresourceOf, valuesFor, type ValuesFile } from './values.js';
import { WorkBudget, type EngineClock } from '../../../work-budget.js';

/** A `validate.cel` evaluator (from src/admission/cel-policies when present). */
export type CelRuleEvaluator = (
  rule: Record<string, unknown>,
  resource: Record<string, unknown>,
  ctx: EvalContext,
) => RuleResponse;

export interface EvaluateOptions {
  readonly cel?: CelRuleEvaluator;
  readonly requestInfo?: RequestInfo;
  /**
   * The time backstop per policy and resource, ms of running time (src/work-budget.ts); the
   * context's applies when unset. @default 5000
   */
  readonly timeoutMs?: number;
  /** Steps per policy and resource (a rule, a validation: 1; a foreach element: 10). @default MAX_STEPS */
  readonly maxSteps?: number;
  /** The backstop's clocks (tests). @default threadClock */
  readonly clock?: EngineClock;
}

/**
 * Steps per policy and resource: each rule and validation is one, each foreach element
 * FOREACH_ELEMENT_STEPS (validate-rule.ts; its context is a copy-on-write fork, so its cost does not
 * grow with the list). The deterministic cap: a healthy policy takes tens of steps, a foreach over
 * 100 containers 1,000; 100,000 (a foreach over 10,000 elements) takes about 0.15-0.3 s of CPU, far
 * below the time backstop (2 s of wall time, then 2 s of CPU in check). Kyverno itself has none
 * (its webhook's timeoutSeconds bounds a request).
 */
export const MAX_STEPS = 100_000;

class DeadlineError extends Error {}

/** The check a rule runs at each step: throws DeadlineError naming the cap passed (a resource limit). */
function budgetCheck(opts: EvaluateOptions, ctx: AdmissionContext): (steps?: number) => void {
  const timeoutMs = opts.timeoutMs ?? ctx.timeoutMs ?? 5000;
  const maxSteps = opts.maxSteps ?? MAX_STEPS;
  const clock = opts.clock ?? ctx.clock;
  const budget = new WorkBudget({ maxSteps, timeoutMs, sampleEvery: 1, ...(clock ? { clock } : {}) });
  return (steps = 1) => {
    const passed = budget.step(steps);
    if (passed === 'steps')
      throw new DeadlineError(`evaluation exceeded ${maxSteps} steps (a resource limit, not a policy verdict)`);
    if (passed === 'time')
      throw new DeadlineError(
        `evaluation exceeded ${timeoutMs} ms of CPU time (a resource limit, not a policy verdict)`,
      );
  };
}

function refOf(r: Record<string, unknown>): ResourceRef {
  const meta = isMap(r.metadata) ? r.metadata : {};
  const ns = typeof meta.namespace === 'string' && meta.namespace !== '' ? meta.namespace : undefined;
  return {
    apiVersion: String(r.apiVersion ?? ''),
    kind: String(r.kind ?? ''),
    ...(ns ? { namespace: ns } : {}),
    name: String(meta.name ?? meta.generateName ?? ''),
  };
}

function labelsOfNamespace(ctx: AdmissionContext, ns: string): Record<string, string> {
  const n = ctx.namespaces.get(ns);
  const meta = n && isMap(n.metadata) ? n.metadata : {};
  const out: Record<string, string> = {};
  if (isMap(meta.labels)) for (const [k, v] of Object.entries(meta.labels)) if (typeof v === 'string') out[k] = v;
  return out;
}

function configMapsOf(resources: readonly Record<string, unknown>[]): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const r of resources) {
    if (r.kind !== 'ConfigMap' || !isMap(r.metadata)) continue;
    out.set(
      `${typeof r.metadata.namespace === 'string' && r.metadata.namespace ? r.metadata.namespace : 'default'}/${String(r.metadata.name)}`,
      r,
    );
  }
  return out;
}

/** The request context the CLI builds for one resource (NewPolicyContext + values). */
function requestContext(
  resource: Record<string, unknown>,
  operation: string,
  resourceValues: Record<string, unknown>,
  info: RequestInfo | undefined,
): EvalContext {
  const meta = isMap(resource.metadata) ? resource.metadata : {};
  const request: Record<string, unknown> = {};
  if (operation === 'DELETE') request.oldObject = structuredClone(resource);
  else request.object = structuredClone(resource);
  if (operation === 'UPDATE') request.oldObject = structuredClone(resource);
  request.namespace = typeof meta.namespace === 'string' ? meta.namespace : '';
  if (info) {
    // kyvernov2.RequestInfo as JSON: `roles` and `clusterRoles` are omitempty, and so are the
    // fields of `userInfo` (authentication/v1 UserInfo): an empty one is an unknown key.
    const user: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(info.userInfo ?? {}))
      if (v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0)) user[k] = v;
    request.userInfo = user;
    if ((info.roles ?? []).length > 0) request.roles = info.roles;
    if ((info.clusterRoles ?? []).length > 0) request.clusterRoles = info.clusterRoles;
  }
  request.operation = operation;
  const data: Record<string, unknown> = { request };
  const images = imageInfos(resource);
  if (images) data.images = JSON.parse(JSON.stringify(images));
  if (info) {
    // Only with user info, as NewPolicyContext: without it `kyverno apply` leaves them unset.
    const sa = serviceAccountOf(info.userInfo?.username ?? '');
    data.serviceAccountName = sa.name;
    data.serviceAccountNamespace = sa.namespace;
  }
  const ctx = new EvalContext(data);
  for (const [k, v] of Object.entries(resourceValues)) ctx.addVariable(k, v);
  return ctx;
}

const hasValidate = (rule: Record<string, unknown>): boolean =>
  isMap(rule.validate) &&
  Object.keys(rule.validate).some(
    (k) => !['message', 'failureAction', 'failureActionOverrides', 'allowExistingViolations'].includes(k),
  );

/** What a rule's validate holds that this engine handles itself (pattern, anyPattern, deny, foreach). */
function validateKind(
  rule: Record<string, unknown>,
): 'resource' | 'cel' | 'podSecurity' | 'manifests' | 'assert' | 'none' {
  const v = isMap(rule.validate) ? rule.validate : {};
  if (isMap(v.assert)) return 'assert';
  if (v.manifests !== undefined) return 'manifests';
  if (v.podSecurity !== undefined) return 'podSecurity';
  if (v.cel !== undefined) return 'cel';
  if (hasValidate(rule)) return 'resource';
  return 'none';
}

/** A result's message with why context entries it read were left unset (never silent). */
const withUnsetNote = (message: string, unset: readonly string[]): string =>
  unset.length === 0 ? message : `${message} (${[...new Set(unset)].join('; ')})`;

/** Evaluates the policy's rules on the resource; returns the results and the (mutated) resource. */
export function evaluatePolicy(
  policy: KyvernoPolicy,
  resource: Record<string, unknown>,
  ctx: AdmissionContext,
  opts: EvaluateOptions = {},
): { results: PolicyResult[]; resource: Record<string, unknown> } {
  const values = (ctx.values ?? {}) as ValuesFile;
  const ref = refOf(resource);
  const resourceValues = valuesFor(values, policy.name, ref.name);
  const operation = String(resourceValues['request.operation'] ?? ctx.operation ?? 'CREATE');
  resourceValues['request.operation'] = operation;
  const base = requestContext(resource, operation, resourceValues, opts.requestInfo);
  const requestObject = isMap(base.json.request)
    ? operation === 'DELETE'
      ? base.json.request.oldObject
      : base.json.request.object
    : undefined;
  let current = isMap(requestObject) ? requestObject : resource;
  const checkDeadline = budgetCheck(opts, ctx);
  const sub = subresourceOf(values, ref.apiVersion, ref.kind);
  const gvk = sub?.gvk ?? gvkOf(current);
  const results: PolicyResult[] = [];
  const entries: EntryEnvironment = { configMaps: configMapsOf(ctx.resources), supplied: new Set() };
  const namespaceLabels = labelsOfNamespace(ctx, ref.namespace ?? '');
  const subresource = sub?.subresource ?? '';
  const applyOne = policy.spec.applyRules === 'One';
  for (const rule of computeRules(policy.spec, policy.annotations, gvk.kind)) {
    const name = String(rule.name);
    const why = ruleMatches(rule, {
      resource: current,
      namespaceLabels,
      operation,
      subresource,
      gvk,
      requestInfo: opts.requestInfo,
      policyNamespace: policy.namespace,
    });
    if (why !== undefined) continue;
    const enforcing =
      (failureActionOf(isMap(rule.validate) ? rule.validate.failureAction : undefined) ?? policy.failureAction) ===
      'Enforce';
    const unset: string[] = [];
    const push = (r: RuleResponse): void => {
      results.push({
        policy: policy.name,
        rule: name,
        resource: ref,
        result: r.status,
        message: withUnsetNote(r.message, unset),
        ...(r.status === 'fail' && enforcing ? { enforcing: true } : {}),
        source: policy.source,
      });
    };
    const ruleValues = valuesFor(values, policy.name, ref.name, name);
    const rc = base.fork();
    rc.setPath(['request', operation === 'DELETE' ? 'oldObject' : 'object'], structuredClone(current));
    for (const [k, v] of Object.entries(ruleValues.rule)) rc.addVariable(k, v);
    const supplied = new Set(Object.keys(ruleValues.rule).map((k) => splitDotted(k)[0]!));
    for (const k of Object.keys(resourceValues)) supplied.add(splitDotted(k)[0]!);
    const env: EntryEnvironment = { ...entries, supplied, unset };
    try {
      checkDeadline();
      if (isMap(rule.mutate)) {
        try {
          loadContextEntries(rc, rule.context, env);
        } catch (e) {
          push({ status: 'error', message: `failed to load context: ${(e as Error).message}` });
          continue;
        }
        const pre = evaluateConditions(rc, rule.preconditions);
        if (!pre.result) {
          push({ status: 'skip', message: ['preconditions not met', pre.message].filter(Boolean).join('; ') });
          continue;
        }
        const m = mutateResource(rc, rule.mutate, current);
        current = m.resource;
        push({ status: m.status, message: m.message });
        continue;
      }
      if (Array.isArray(rule.verifyImages) || rule.verifyImages !== undefined) {
        // No image the rule names: no result, as Kyverno's image handlers give none.
        const images = operation === 'DELETE' ? [] : verifyImagesTargets(current, rule.verifyImages);
        if (images.length > 0)
          push({
            status: 'error',
            message:
              `verifyImages rules need an image registry and signatures: not evaluable offline ` +
              `(${[...new Set(images)].join(', ')})`,
          });
        continue;
      }
      if (isMap(rule.generate)) continue;
      const kind = validateKind(rule);
      if (kind === 'none') continue;
      try {
        loadContextEntries(rc, rule.context, env);
      } catch (e) {
        push({ status: 'error', message: `failed to load context: ${(e as Error).message}` });
        continue;
      }
      let pre;
      try {
        pre = evaluateConditions(rc, rule.preconditions);
      } catch (e) {
        push({ status: 'error', message: `failed to evaluate preconditions: ${(e as Error).message}` });
        continue;
      }
      if (!pre.result) {
        push({ status: 'skip', message: ['preconditions not met', pre.message].filter(Boolean).join('; ') });
        continue;
      }
      let r: RuleResponse | undefined;
      switch (kind) {
        case 'resource':
          r = validateRule(rc, { rule, entries: env, isDelete: operation === 'DELETE', checkDeadline });
          break;
        case 'cel':
          r = opts.cel
            ? opts.cel(rule, current, rc)
            : validateCel({
                rule,
                object: operation === 'DELETE' ? null : current,
                oldObject: operation === 'CREATE' ? null : current,
                operation,
                namespaceObject: ref.namespace ? (ctx.namespaces.get(ref.namespace) ?? null) : null,
                userInfo: opts.requestInfo?.userInfo,
                timeoutMs: opts.timeoutMs ?? ctx.timeoutMs,
                ...((opts.clock ?? ctx.clock) ? { clock: opts.clock ?? ctx.clock } : {}),
              });
          break;
        case 'podSecurity':
          r = validatePodSecurity((rule.validate as Record<string, unknown>).podSecurity, current, name);
          break;
        default:
          r = { status: 'error', message: `validate.${kind} is not evaluated by aksfleet's Kyverno engine` };
      }
      if (r) {
        if (rc.nondeterministic && r.status !== 'error')
          r = { status: r.status, message: `${r.message} (depends on the clock or randomness: not deterministic)` };
        push(r);
      }
    } catch (e) {
      if (e instanceof DeadlineError) push({ status: 'error', message: e.message });
      else push({ status: 'error', message: `rule evaluation failed: ${(e as Error).message}` });
    }
    if (applyOne && results.some((x) => x.rule === name && (x.result === 'pass' || x.result === 'fail'))) break;
  }
  return { results, resource: current };
}
