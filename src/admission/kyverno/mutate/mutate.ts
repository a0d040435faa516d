/**
 * Mutation rules, run before validation as `kyverno apply` does: `patchStrategicMerge` (with the
 * `(key)` condition and `+(key)` add-if-absent anchors), `patchesJson6902`, and `foreach` over a
 * list with either. Strategic merge and JSON 6902 reuse aksfleet's kustomize patch code.
 */
import { isDeepStrictEqual } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { applyJson6902, applyStrategicMerge } from '../../../kustomize/patches/index.js';
import type { KObject } from '../../../resources/resource.js';
import { isAddIfNotPresent, isCondition, parseAnchor } from '../anchor/anchor.js';
import { isMap } from '../pattern/go-values.js';
import { matchPattern } from '../validate/validate.js';
import type { EvalContext } from '../variables/context.js';
import { evaluateConditions } from '../engine/conditions.js';

export interface MutationOutcome {
  readonly status: 'pass' | 'skip' | 'error';
  readonly message: string;
  readonly resource: Record<string, unknown>;
}

const err = (e: unknown): string => (e instanceof Error ? e.message : String(e));

function hasAnchors(p: unknown): boolean {
  if (Array.isArray(p)) return p.some(hasAnchors);
  if (isMap(p)) return Object.entries(p).some(([k, v]) => parseAnchor(k) !== undefined || hasAnchors(v));
  return false;
}

/** Applies an anchored overlay; returns undefined when a condition anchor does not hold. */
function overlay(resource: unknown, patch: unknown): unknown {
  if (isMap(patch)) {
    const base = isMap(resource) ? { ...resource } : {};
    for (const [k, v] of Object.entries(patch)) {
      const a = parseAnchor(k);
      if (isCondition(a) && (!Object.hasOwn(base, a!.key) || matchPattern(base[a!.key], v).status !== 'pass'))
        return undefined;
    }
    for (const [k, v] of Object.entries(patch)) {
      const a = parseAnchor(k);
      if (isCondition(a)) continue;
      if (isAddIfNotPresent(a)) {
        if (!Object.hasOwn(base, a!.key)) base[a!.key] = stripAnchors(v);
        continue;
      }
      const key = a ? a.key : k;
      if (isMap(v) || Array.isArray(v)) {
        const r = overlay(base[key], v);
        if (r !== undefined) base[key] = r;
      } else base[key] = v;
    }
    return base;
  }
  if (Array.isArray(patch)) {
    if (Array.isArray(resource) && patch.length > 0 && patch.every(isMap) && hasAnchors(patch)) {
      return resource.map((el) => {
        let cur = el;
        for (const p of patch) {
          const r = overlay(cur, p);
          if (r !== undefined) cur = r;
        }
        return cur;
      });
    }
    return stripAnchors(patch);
  }
  return patch;
}

function stripAnchors(p: unknown): unknown {
  if (Array.isArray(p)) return p.map(stripAnchors);
  if (isMap(p))
    return Object.fromEntries(Object.entries(p).map(([k, v]) => [parseAnchor(k)?.key ?? k, stripAnchors(v)]));
  return p;
}

function strategicMerge(resource: Record<string, unknown>, patch: unknown): Record<string, unknown> | undefined {
  if (!isMap(patch)) throw new Error('patchStrategicMerge must be an object');
  if (hasAnchors(patch)) {
    const r = overlay(resource, patch);
    return r === undefined ? undefined : (r as Record<string, unknown>);
  }
  return (applyStrategicMerge(resource as unknown as KObject, patch as unknown as KObject) ??
    resource) as unknown as Record<string, unknown>;
}

function json6902(resource: Record<string, unknown>, text: unknown): Record<string, unknown> {
  const ops = typeof text === 'string' ? (parseYaml(text, { maxAliasCount: 100 }) as unknown) : text;
  if (!Array.isArray(ops)) throw new Error('patchesJson6902 must be a list of operations');
  return applyJson6902(resource as unknown as KObject, ops) as unknown as Record<string, unknown>;
}

/** Applies one mutate block to the resource held in the context (request.object). */
/** pkg/engine/handlers/mutation/common.go buildSuccessMessage: names the mutated object. */
export function successMessage(r: Record<string, unknown>): string {
  const meta = isMap(r.metadata) ? r.metadata : {};
  const name = typeof meta.name === 'string' ? meta.name : '';
  const ns = typeof meta.namespace === 'string' ? meta.namespace : '';
  const kind = typeof r.kind === 'string' ? r.kind : '';
  return ns === '' ? `mutated ${kind}/${name}` : `mutated ${kind}/${name} in namespace ${ns}`;
}

export function mutateResource(
  ctx: EvalContext,
  mutate: Record<string, unknown>,
  resource: Record<string, unknown>,
): MutationOutcome {
  try {
    let current = resource;
    let applied = false;
    if (mutate.patchStrategicMerge !== undefined) {
      const r = strategicMerge(current, ctx.substitute(mutate.patchStrategicMerge));
      if (r) {
        current = r;
        applied = true;
      }
    }
    if (mutate.patchesJson6902 !== undefined) {
      current = json6902(current, ctx.substitute(mutate.patchesJson6902));
      applied = true;
    }
    for (const fe of Array.isArray(mutate.foreach) ? mutate.foreach.filter(isMap) : []) {
      let list: unknown;
      try {
        list = ctx.query(String(fe.list ?? ''));
      } catch {
        continue;
      }
      const elements = Array.isArray(list) ? list : [list];
      for (const [i, el] of elements.entries()) {
        if (el === null || el === undefined) continue;
        const c = ctx.fork();
        c.setPath(['element'], el);
        c.setPath(['elementIndex'], i);
        c.setPath(['request', 'object'], current);
        if (!evaluateConditions(c, fe.preconditions).result) continue;
        if (fe.patchStrategicMerge !== undefined) {
          const r = strategicMerge(current, c.substitute(fe.patchStrategicMerge));
          if (r) {
            current = r;
            applied = true;
          }
        }
        if (fe.patchesJson6902 !== undefined) {
          current = json6902(current, c.substitute(fe.patchesJson6902));
          applied = true;
        }
      }
    }
    // Kyverno compares the patched object with the original: no change is a skip.
    return applied && !isDeepStrictEqual(current, resource)
      ? { status: 'pass', message: successMessage(current), resource: current }
      : { status: 'skip', message: 'no patches applied', resource };
  } catch (e) {
    return { status: 'error', message: `failed to mutate: ${err(e)}`, resource };
  }
}
