/**
 * Gatekeeper as an AdmissionEngine (src/admission/types.ts): ConstraintTemplates and Constraints
 * in, one result per violation out. Every Constraint whose `spec.match` selects a resource runs
 * its template (CEL when the template has a K8sNativeValidation variant, else Rego) on the review
 * of the resource; each violation is a result (`fail`/`warn` by enforcement action, see
 * constraint.ts), no violation is a `pass`, and what cannot be decided (an evaluation error, a
 * cap, `external_data`, a namespaceSelector without its Namespace) is an `error`, never a pass.
 */
import type {
  AdmissionContext,
  AdmissionEngine,
  PolicyDocument,
  PolicyLoadError,
  PolicyResult,
  ResourceRef,
} from '../types.js';
import { evaluateCel } from './cel-eval.js';
import { compileExpansion, expandResource, expands, isExpansionTemplate, type CompiledExpansion } from './expansion.js';
import { compileConstraint, isConstraint, type CompiledConstraint } from './constraint.js';
import { inventoryOf } from './inventory.js';
import { constraintMatches, isNamespace } from './match.js';
import { evaluateRego } from './rego-eval.js';
import { isAdmissionReview, reviewOfAdmissionReview, reviewOfObject, type Review } from './review.js';
import { compileTemplate, isConstraintTemplate, type CompiledTemplate } from './template.js';

export interface CompiledGatekeeper {
  readonly templates: ReadonlyMap<string, CompiledTemplate>;
  readonly constraints: readonly CompiledConstraint[];
  /** ExpansionTemplates: workloads are also judged as the Pods they create (expansion.ts). */
  readonly expansions: readonly CompiledExpansion[];
  /** data.inventory and the Namespaces as read, per list of evaluated resources (built once per list). */
  readonly inventories: WeakMap<readonly Record<string, unknown>[], Synced>;
}

export interface GatekeeperOptions {
  /** Evaluation steps per template and object (Rego). */
  readonly maxSteps?: number;
  /** Wall clock per template and object (ms); the context's timeoutMs wins when set. */
  readonly timeoutMs?: number;
  /** The operation of a plain object's review when the context names none (default CREATE; gator leaves it empty). */
  readonly operation?: string;
}

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** Compiles templates first (constraints name them by kind), then constraints, in input order. */
export function compileGatekeeper(docs: readonly PolicyDocument[]): {
  compiled: CompiledGatekeeper;
  errors: PolicyLoadError[];
} {
  const templates = new Map<string, CompiledTemplate>();
  const failedKinds = new Set<string>();
  const errors: PolicyLoadError[] = [];
  for (const d of docs) {
    if (!isConstraintTemplate(d.object)) continue;
    const r = compileTemplate(d);
    errors.push(...r.errors);
    if (r.template) {
      if (templates.has(r.template.kind))
        errors.push({
          file: d.file,
          ...(d.line !== undefined ? { line: d.line } : {}),
          policy: r.template.name,
          message: `a second ConstraintTemplate defines kind ${r.template.kind}; the first one is used`,
        });
      else templates.set(r.template.kind, r.template);
    } else {
      const spec = isObj(d.object.spec) ? d.object.spec : {};
      const kind =
        isObj(spec.crd) && isObj(spec.crd.spec) && isObj(spec.crd.spec.names) ? spec.crd.spec.names.kind : undefined;
      if (typeof kind === 'string') failedKinds.add(kind);
    }
  }
  const constraints: CompiledConstraint[] = [];
  for (const d of docs) {
    if (!isConstraint(d.object)) continue;
    const r = compileConstraint(d, templates, failedKinds);
    errors.push(...r.errors);
    if (r.constraint) constraints.push(r.constraint);
  }
  const expansions: CompiledExpansion[] = [];
  for (const d of docs) {
    if (!isExpansionTemplate(d.object)) continue;
    const r = compileExpansion(d);
    errors.push(...r.errors);
    if (r.expansion) expansions.push(r.expansion);
  }
  return { compiled: { templates, constraints, expansions, inventories: new WeakMap() }, errors };
}

function refOf(o: Record<string, unknown>): ResourceRef {
  const md = isObj(o.metadata) ? o.metadata : {};
  return {
    apiVersion: String(o.apiVersion ?? ''),
    kind: String(o.kind ?? ''),
    ...(typeof md.namespace === 'string' && md.namespace ? { namespace: md.namespace } : {}),
    name: String(md.name ?? ''),
  };
}

/** What Gatekeeper would have synced from the evaluated resources. */
interface Synced {
  readonly inventory: Record<string, unknown>;
  /** Namespaces by name, as read (the context's may carry the Kyverno CLI's defaults). */
  readonly namespaces: ReadonlyMap<string, Record<string, unknown>>;
}

function inventoryFor(c: CompiledGatekeeper, ctx: AdmissionContext): Synced {
  let synced = c.inventories.get(ctx.resources);
  if (!synced) {
    const plain = ctx.resources
      .map((r) => (isAdmissionReview(r) ? reviewOfAdmissionReview(r)?.object : r))
      .filter(isObj);
    const namespaces = new Map<string, Record<string, unknown>>();
    for (const r of plain) {
      const md = isObj(r.metadata) ? r.metadata : {};
      if (isNamespace(r) && typeof md.name === 'string') namespaces.set(md.name, r);
    }
    synced = { inventory: inventoryOf(plain), namespaces };
    c.inventories.set(ctx.resources, synced);
  }
  return synced;
}

/**
 * Evaluates every constraint that selects the resource, then (for a plain object) every
 * constraint that selects a resultant of an ExpansionTemplate that applies to it: those results
 * are the parent's, prefixed `[Implied by <template>]`, under the template's enforcement action
 * when it sets one.
 */
export function evaluateGatekeeper(
  c: CompiledGatekeeper,
  resource: Record<string, unknown>,
  ctx: AdmissionContext,
  opts: GatekeeperOptions = {},
): PolicyResult[] {
  const own = evaluateOne(c, resource, ctx, opts);
  if (c.expansions.length === 0 || isAdmissionReview(resource)) return own;
  const out = [...own];
  const parent = refOf(resource);
  for (const e of c.expansions) {
    if (!expands(e, resource)) continue;
    const child = expandResource(e, resource);
    if (!child) continue;
    for (const r of evaluateOne(c, child, ctx, opts)) {
      const implied = {
        ...r,
        resource: parent,
        ...(r.message !== undefined ? { message: `[Implied by ${e.name}] ${r.message}` } : {}),
      };
      out.push(overrideAction(implied, e.enforcementAction));
    }
  }
  return out;
}

/** A resultant's violation under the ExpansionTemplate's own enforcement action. */
function overrideAction(r: PolicyResult, action: string | undefined): PolicyResult {
  if (action === undefined || (r.result !== 'fail' && r.result !== 'warn')) return r;
  if (action === 'deny') return { ...r, result: 'fail', enforcing: true };
  const { enforcing: _drop, ...rest } = r;
  return { ...rest, result: 'warn' };
}

function evaluateOne(
  c: CompiledGatekeeper,
  resource: Record<string, unknown>,
  ctx: AdmissionContext,
  opts: GatekeeperOptions,
): PolicyResult[] {
  if (c.constraints.length === 0) return [];
  let review: Review;
  let subject: Record<string, unknown>;
  if (isAdmissionReview(resource)) {
    const r = reviewOfAdmissionReview(resource);
    if (!r) return [];
    review = r.review;
    subject = r.object;
  } else {
    subject = resource;
    review = reviewOfObject(resource, ctx.operation ?? opts.operation ?? 'CREATE', {});
  }
  const md = isObj(subject.metadata) ? subject.metadata : {};
  const nsName = typeof md.namespace === 'string' ? md.namespace : '';
  const namespace = nsName ? (inventoryFor(c, ctx).namespaces.get(nsName) ?? ctx.namespaces.get(nsName)) : undefined;
  const ref = refOf(subject);
  const timeoutMs = ctx.timeoutMs ?? opts.timeoutMs;
  const out: PolicyResult[] = [];
  for (const k of c.constraints) {
    const base = {
      policy: `${k.kind}/${k.name}`,
      rule: k.template.name,
      resource: ref,
      source: { file: k.file, ...(k.line !== undefined ? { line: k.line } : {}) },
    };
    const m = constraintMatches(k.match, { object: subject, ...(namespace ? { namespace } : {}) });
    if (m.error !== undefined) {
      out.push({ ...base, result: 'error', message: `constraint ${k.kind}/${k.name}: ${m.error}` });
      continue;
    }
    if (!m.matches) continue;
    if (k.action === 'none') {
      out.push({
        ...base,
        result: 'skip',
        message: 'scopedEnforcementActions do not act at admission (validation.gatekeeper.sh)',
      });
      continue;
    }
    let messages: string[];
    let errors: string[];
    if (k.template.engine === 'cel' && k.template.cel) {
      const spec = isObj(k.object.spec) ? k.object.spec : {};
      const o = evaluateCel(k.template.cel, review, k.object, spec.parameters ?? null, namespace ?? null, timeoutMs);
      messages = [...o.violations];
      errors = o.errors.map((e) => `template ${k.template.name}: ${e}`);
    } else if (k.template.rego) {
      const inventory = k.template.rego.usesInventory ? inventoryFor(c, ctx).inventory : {};
      const reviewWithNs = namespace ? { ...review, namespaceObject: namespace } : review;
      const o = evaluateRego(k.template.rego, k.template.name, reviewWithNs, k.parameters, inventory, {
        ...(timeoutMs !== undefined ? { timeoutMs } : {}),
        ...(opts.maxSteps !== undefined ? { maxSteps: opts.maxSteps } : {}),
      });
      messages = o.violations.map((v) => v.msg);
      errors = o.error ? [o.error] : [];
    } else {
      messages = [];
      errors = [`template ${k.template.name} has no code to run`];
    }
    for (const e of errors) out.push({ ...base, result: 'error', message: e });
    for (const msg of messages) {
      if (k.action === 'deny') out.push({ ...base, result: 'fail', message: msg, enforcing: true });
      else out.push({ ...base, result: 'warn', message: msg });
    }
    if (errors.length === 0 && messages.length === 0) out.push({ ...base, result: 'pass' });
  }
  return out;
}

/** The engine for `policy apply|test` and `check`. */
export function gatekeeperEngine(opts: GatekeeperOptions = {}): AdmissionEngine<CompiledGatekeeper> {
  return {
    name: 'gatekeeper',
    keepsMissingNamespace: true,
    accepts: (doc) => isConstraintTemplate(doc) || isConstraint(doc) || isExpansionTemplate(doc),
    compile: compileGatekeeper,
    evaluate: (c, resource, ctx) => evaluateGatekeeper(c, resource, ctx, opts),
  };
}
