/**
 * `replacements:` (kustomize ReplacementTransformer, api/filters/replacement, v5.8.1 semantics):
 * copy a value from one source field, or the static `sourceValue` (new in v5.7.0,
 * kubernetes-sigs/kustomize#5630; v5.5.0 refused the field), to target fields. The source is
 * selected by exact match on its current and previous ids; targets (select and reject) by
 * regexes since v5.8 (v5.7.1 matched them exactly too); label and annotation selectors;
 * `options.delimiter/index` pick or replace a part; `options.create` creates missing target
 * fields; since v5.8 a target path may run into a JSON or YAML text (replacement-structured.ts).
 */
import { InputError } from '../../errors.js';
import { isPlainObject } from '../../resources/resource.js';
import { parseGoYaml } from '../../yaml/go-yaml.js';
import { resolveV3 } from '../../yaml/go-resolve.js';
import { idFieldRegexes } from '../patches/index.js';
import { effectiveNamespace, type KRes, type ResId, type ResMap } from '../resmap.js';
import { labelSelectorMatches } from '../select.js';
import type { Transformer } from './context.js';
import { match, splitFieldPath, type Place } from './field-path.js';
import { reachesThroughText, setInStructuredData } from './replacement-structured.js';

interface Sel {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
  annotationSelector?: string;
  fieldPath?: string;
  options?: Opts;
}
interface Opts {
  delimiter?: string;
  index?: number;
  create?: boolean;
}
interface Target {
  select?: Sel;
  reject?: Sel[];
  fieldPaths?: string[];
  options?: Opts;
}
interface Replacement {
  source?: Sel;
  sourceValue?: string;
  targets?: Target[];
}

function idSelectedBy(id: ResId, sel: Sel): boolean {
  if (sel.name && sel.name !== id.name) return false;
  if (sel.namespace) {
    const selId: ResId = {
      gvk: { group: sel.group ?? '', version: sel.version ?? '', kind: sel.kind ?? '' },
      name: '',
      namespace: sel.namespace,
    };
    if (effectiveNamespace(selId) !== effectiveNamespace(id)) return false;
  }
  if (sel.group && sel.group !== id.gvk.group) return false;
  if (sel.version && sel.version !== id.gvk.version) return false;
  if (sel.kind && sel.kind !== id.gvk.kind) return false;
  return true;
}

/**
 * kustomize v5.8's target selection (types.TargetSelectorRegex, kubernetes-sigs/kustomize#5863):
 * group, version, kind, name and namespace are anchored RE2 regexes matched against an id as
 * written; an empty one matches anything. Unlike the source's exact match, the namespace is not
 * defaulted: `namespace: default` no longer selects an object written without one.
 */
function compileIdSelector(sel: Sel, where: string, file: string): (id: ResId) => boolean {
  const { group, version, kind, name, namespace } = idFieldRegexes(sel, (field, p, e) => {
    throw new InputError(
      `${where}: error creating target selector: invalid regex ${JSON.stringify(p)} in ${field}: ${e.message}`,
      { pos: { file }, cause: e },
    );
  });
  return (id) =>
    (!group || group.test(id.gvk.group)) &&
    (!version || version.test(id.gvk.version)) &&
    (!kind || kind.test(id.gvk.kind)) &&
    (!name || name.test(id.name)) &&
    (!namespace || namespace.test(id.namespace));
}

function allIds(r: KRes): ResId[] {
  return [r.curId(), ...r.prevIdsNow()];
}

function annoLabelMatch(r: KRes, s: Sel): boolean {
  if (s.annotationSelector && !labelSelectorMatches(s.annotationSelector, r.annotations())) return false;
  if (s.labelSelector && !labelSelectorMatches(s.labelSelector, r.labels())) return false;
  return true;
}

function isEmptyId(s: Sel): boolean {
  return !s.group && !s.version && !s.kind && !s.name && !s.namespace;
}

function scalarText(v: unknown): string {
  if (v === null || v === undefined) return '';
  return String(v);
}

/** The YAML tag kyaml's node holds for an existing scalar target (an integral number reads as !!int). */
function targetTag(target: unknown): 'int' | 'float' | 'bool' | 'null' | 'str' {
  if (target === null) return 'null';
  if (typeof target === 'number') return Number.isInteger(target) ? 'int' : 'float';
  if (typeof target === 'boolean') return 'bool';
  return 'str';
}

/**
 * An existing scalar target keeps its tag and takes the new text (kyaml copies only the Value);
 * go-yaml then decodes the text under that tag: a string target takes any text, a number or
 * boolean only a text of its kind (an int also into a float), a null only an empty text.
 * Otherwise kustomize fails: `cannot decode !!str `abc` as a !!int` (and so do we).
 */
function coerce(target: unknown, text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  const tag = targetTag(target);
  if (tag === 'str') return { ok: true, value: text };
  const r = resolveV3(text, `!!${tag}`);
  if (r.kind === tag || (tag === 'float' && r.kind === 'int')) return { ok: true, value: r.value };
  return { ok: false, error: `cannot decode !!${r.kind} \`${text}\` as a !!${tag}` };
}

/**
 * The value a replacement copies: the source field's value, or its `sourceValue` as text. kyaml
 * holds a sourceValue as an untagged scalar node, so where it lands as a node of its own (see
 * `untyped`) it reads as a plain YAML scalar would (`"42"` as 42).
 */
function replacementValue(
  m: ResMap,
  r: Replacement,
  where: string,
  file: string,
): { value: unknown; untyped: boolean } {
  if (r.sourceValue !== undefined && r.source)
    throw new InputError(`${where}: value and resource selectors are mutually exclusive`, { pos: { file } });
  if (r.sourceValue !== undefined) return { value: r.sourceValue, untyped: true };
  const src = r.source!;
  const matches = m.list.filter((x) => allIds(x).some((id) => idSelectedBy(id, src)));
  if (matches.length > 1)
    throw new InputError(`${where}: multiple matches for selector ${JSON.stringify(src)}`, { pos: { file } });
  if (matches.length === 0)
    throw new InputError(`${where}: nothing selected by ${JSON.stringify(src)}`, { pos: { file } });
  const fp = src.fieldPath || 'metadata.name';
  const found = match(matches[0]!.obj, splitFieldPath(fp), undefined);
  const value = found[0]?.get();
  if (
    found.length === 0 ||
    value === undefined ||
    value === null ||
    (typeof value === 'object' && Object.keys(value).length === 0)
  ) {
    throw new InputError(`${where}: fieldPath \`${fp}\` is missing for replacement source`, { pos: { file } });
  }
  if (!src.options?.delimiter) return { value, untyped: false };
  if (typeof value === 'object')
    throw new InputError(`${where}: delimiter option can only be used with scalar nodes`, { pos: { file } });
  const parts = scalarText(value).split(src.options.delimiter);
  const idx = src.options.index ?? 0;
  if (idx >= parts.length || idx < 0)
    throw new InputError(`${where}: options.index ${idx} is out of bounds for value ${scalarText(value)}`, {
      pos: { file },
    });
  return { value: parts[idx], untyped: false };
}

/** An untagged scalar node as kustomize prints it: the plain-scalar reading of its text (go-yaml v3). */
function untypedScalar(text: string): unknown {
  return resolveV3(text, '').value;
}

export function applyReplacements(m: ResMap, reps: Replacement[], file: string): void {
  for (const [ri, r] of reps.entries()) {
    const where = `replacements[${ri}]`;
    if ((r.sourceValue === undefined && !r.source) || !r.targets) {
      throw new InputError(`${where}: replacements must specify a source and at least one target`, { pos: { file } });
    }
    const { value, untyped } = replacementValue(m, r, where, file);
    for (const [ti, t] of r.targets.entries()) {
      if (!t.select)
        throw new InputError(`${where}.targets[${ti}]: target must specify resources to select`, { pos: { file } });
      const fps = t.fieldPaths && t.fieldPaths.length > 0 ? t.fieldPaths : ['metadata.name'];
      const selects = compileIdSelector(t.select, `${where}.targets[${ti}].select`, file);
      const rejects = (t.reject ?? [])
        .filter((rj) => !isEmptyId(rj))
        .map((rj, i) => compileIdSelector(rj, `${where}.targets[${ti}].reject[${i}]`, file));
      for (const res of [...m.list]) {
        if (!annoLabelMatch(res, t.select)) continue;
        if ((t.reject ?? []).some((rj) => (rj.annotationSelector || rj.labelSelector) && annoLabelMatch(res, rj)))
          continue;
        const ids = allIds(res);
        if (rejects.some((rj) => ids.some(rj)) || !ids.some(selects)) continue;
        for (const p of fps) copyValueToTarget(res, p, t, value, untyped, `${where}.targets[${ti}]`, file);
      }
    }
  }
}

/** Writes the value at one place (options.delimiter/index applied); false when the target's type refuses the text. */
function writeAt(
  pl: Place,
  t: Target,
  value: unknown,
  untyped: boolean,
  where: string,
  file: string,
): { ok: true } | { ok: false; error: string } {
  const cur = pl.get();
  let v: unknown = structuredClone(value);
  if (t.options?.delimiter) {
    if (typeof cur === 'object' && cur !== null)
      throw new InputError(`${where}: delimiter option can only be used with scalar nodes`, { pos: { file } });
    const tv = scalarText(cur).split(t.options.delimiter);
    const idx = t.options.index ?? 0;
    const sv = scalarText(v);
    if (idx < 0) tv.unshift(sv);
    else if (idx >= tv.length) tv.push(sv);
    else tv[idx] = sv;
    v = tv.join(t.options.delimiter);
  }
  const scalar = v === null || typeof v !== 'object';
  // an existing scalar keeps its type (kyaml copies only the text); a field created for a
  // scalar is an untagged node, read back as a plain scalar (a source's "42" becomes 42)
  if ((cur === null || typeof cur !== 'object') && scalar && cur !== undefined) {
    const c = coerce(cur, scalarText(v));
    if (!c.ok) return c;
    pl.set(c.value);
  } else if (scalar && (cur === undefined || untyped)) pl.set(untypedScalar(scalarText(v)));
  else pl.set(v);
  return { ok: true };
}

/**
 * kustomize v5.8's copyValueToTarget for one field path: first as structured data (a path through
 * a JSON or YAML text, see replacement-structured.ts; there options.delimiter is not applied, as
 * in kustomize), else the ordinary path. A path that reaches nothing is an error, except where it
 * runs into such a text that kustomize then fails to write: kyaml writes into a parsed copy and
 * nothing changes (so nothing changes here either).
 */
function copyValueToTarget(
  res: KRes,
  p: string,
  t: Target,
  value: unknown,
  untyped: boolean,
  where: string,
  file: string,
): void {
  const createKind = t.options?.create
    ? Array.isArray(value)
      ? 'seq'
      : isPlainObject(value)
        ? 'map'
        : 'scalar'
    : undefined;
  const segs = splitFieldPath(p);
  const plain: Target = { ...t, options: t.options ? { ...t.options, delimiter: undefined } : undefined };
  const structured = setInStructuredData(
    res.obj,
    segs,
    createKind,
    (pl) => writeAt(pl, plain, value, untyped, where, file).ok,
    where,
    file,
  );
  if (structured === 'written') return;
  const places = match(res.obj, segs, createKind);
  if (places.length === 0) {
    if (structured === 'failed' && reachesThroughText(res.obj, segs, createKind)) return;
    throw new InputError(
      `${where}: unable to ${createKind ? 'find or create' : 'find'} ` +
        `field "${p}" in replacement target ${res.gvk.kind}/${res.name}`,
      { pos: { file } },
    );
  }
  for (const pl of places) {
    const w = writeAt(pl, t, value, untyped, where, file);
    if (!w.ok)
      throw new InputError(`${where}: field "${p}" of ${res.gvk.kind}/${res.name}: ${w.error}`, { pos: { file } });
  }
}

export const replacementsTransformer: Transformer = {
  field: 'replacements',
  plugin: 'ReplacementTransformer',
  instances: (k) => ((k.replacements?.length ?? 0) > 0 ? 1 : 0),
  run(m, ctx) {
    const all: Replacement[] = [];
    for (const [i, entry] of (ctx.k.replacements ?? []).entries()) {
      const e = entry as Replacement & { path?: string };
      if (e.path) {
        const { rel, text } = ctx.loader.loadText(e.path, `replacements[${i}].path`);
        for (const d of parseGoYaml(text, rel)) {
          if (Array.isArray(d.value)) all.push(...(d.value as Replacement[]));
          else if (isPlainObject(d.value)) all.push(d.value as Replacement);
        }
      } else all.push(e);
    }
    if (all.length > 0) applyReplacements(m, all, ctx.file);
  },
};
