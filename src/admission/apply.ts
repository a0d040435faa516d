/**
 * `policy apply` as a library: read policy files and resource files (files or folders of YAML),
 * hand each policy-like document to the engine that accepts it, evaluate every resource against
 * every compiled policy, and return results in a deterministic order (resources in input order,
 * then engines, policies and rules in input order). Nothing here prints.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../errors.js';
import { parseYamlDocuments } from '../yaml/parse.js';
import { admissionEngines } from './engines.js';
import type { AdmissionContext, AdmissionEngine, PolicyDocument, PolicyLoadError, PolicyResult } from './types.js';

export interface LoadedDoc {
  readonly object: Record<string, unknown>;
  readonly file: string;
  readonly line: number;
  /** Position of a field path inside the document (YAML documents only). */
  readonly posOf?: (path: readonly (string | number)[]) => { line: number; column: number };
  /** The text of the file (shared by its documents). */
  readonly sourceText?: string;
}

const YAML_EXT = /\.(ya?ml|json)$/i;
const MAX_FILE_BYTES = 16 * 1024 * 1024;

/** The YAML/JSON files a path names: itself, or every such file under a folder (sorted). */
export function yamlFiles(p: string): string[] {
  const st = statSync(p);
  if (!st.isDirectory()) return [p];
  const out: string[] = [];
  for (const name of readdirSync(p).sort()) {
    if (name.startsWith('.')) continue;
    const child = path.join(p, name);
    if (statSync(child).isDirectory()) out.push(...yamlFiles(child));
    else if (YAML_EXT.test(name)) out.push(child);
  }
  return out;
}

/** Every object document of a file (`List` items expanded). Throws InputError on bad YAML. */
export function readDocs(file: string, display = file): LoadedDoc[] {
  const st = statSync(file);
  if (st.size > MAX_FILE_BYTES)
    throw new InputError(`file is larger than ${MAX_FILE_BYTES} bytes`, { pos: { file: display } });
  const text = readFileSync(file, 'utf8');
  const out: LoadedDoc[] = [];
  for (const d of parseYamlDocuments(text, display, { version: '1.1' })) {
    const v = d.value;
    if (!v || typeof v !== 'object' || Array.isArray(v)) continue;
    const o = v as Record<string, unknown>;
    if (typeof o.kind === 'string' && o.kind.endsWith('List') && Array.isArray(o.items)) {
      for (const item of o.items)
        if (item && typeof item === 'object' && !Array.isArray(item))
          out.push({ object: item as Record<string, unknown>, file: display, line: d.line });
    } else out.push({ object: o, file: display, line: d.line, posOf: (p) => d.posOf(p), sourceText: text });
  }
  return out;
}

export interface ApplyInput {
  readonly policies: readonly LoadedDoc[];
  readonly resources: readonly LoadedDoc[];
  /** Kyverno CLI Values (`--values-file`). */
  readonly values?: Record<string, unknown>;
  readonly operation?: AdmissionContext['operation'];
  /** Engines to use (default: the registry). */
  readonly engines?: readonly AdmissionEngine[];
}

export interface ApplyOutput {
  readonly results: PolicyResult[];
  readonly errors: PolicyLoadError[];
  /** Policy-file documents no engine accepts (kind and where). */
  readonly ignored: { readonly kind: string; readonly file: string; readonly line: number }[];
}

/**
 * The namespaces known to the evaluation: the values file's Namespace objects (`namespaces`), the
 * Namespace resources, then the values file's namespaceSelector labels.
 */
export function namespacesOf(
  resources: readonly Record<string, unknown>[],
  values: Record<string, unknown> | undefined,
): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  const given = values && Array.isArray(values.namespaces) ? (values.namespaces as unknown[]) : [];
  for (const r of [...given, ...resources]) {
    if (!r || typeof r !== 'object') continue;
    const o = r as Record<string, unknown>;
    const meta = o.metadata as Record<string, unknown> | undefined;
    if (o.kind === 'Namespace' && meta && typeof meta.name === 'string') out.set(meta.name, o);
  }
  const sel = values && Array.isArray(values.namespaceSelector) ? values.namespaceSelector : [];
  for (const s of sel) {
    if (!s || typeof s !== 'object') continue;
    const { name, labels } = s as { name?: unknown; labels?: unknown };
    if (typeof name !== 'string') continue;
    const existing = out.get(name);
    const meta = (existing?.metadata ?? {}) as Record<string, unknown>;
    out.set(name, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { ...meta, name, labels: { ...((meta.labels as object) ?? {}), ...((labels as object) ?? {}) } },
    });
  }
  return out;
}

/**
 * The Kyverno CLI reads every resource without a namespace as being in `default`, cluster-scoped
 * kinds included (cmd/cli/kubectl-kyverno/resource.YamlToUnstructured); so do we, for the same results.
 */
export function withDefaultNamespace(o: Record<string, unknown>): Record<string, unknown> {
  const meta =
    o.metadata && typeof o.metadata === 'object' && !Array.isArray(o.metadata)
      ? (o.metadata as Record<string, unknown>)
      : {};
  if (typeof meta.namespace === 'string' && meta.namespace !== '') return o;
  return { ...o, metadata: { ...meta, namespace: 'default' } };
}

/** Runs every policy over every resource. */
export function applyPolicies(input: ApplyInput): ApplyOutput {
  const engines = input.engines ?? admissionEngines();
  const byEngine = new Map<AdmissionEngine, PolicyDocument[]>();
  const ignored: ApplyOutput['ignored'] = [];
  for (const d of input.policies) {
    const engine = engines.find((e) => e.accepts(d.object));
    if (!engine) {
      ignored.push({ kind: String(d.object.kind ?? '?'), file: d.file, line: d.line });
      continue;
    }
    const list = byEngine.get(engine) ?? [];
    list.push({
      object: d.object,
      file: d.file,
      line: d.line,
      ...(d.posOf ? { posOf: d.posOf } : {}),
      ...(d.sourceText !== undefined ? { sourceText: d.sourceText } : {}),
    });
    byEngine.set(engine, list);
  }
  const errors: PolicyLoadError[] = [];
  const compiled: { engine: AdmissionEngine; compiled: unknown }[] = [];
  for (const engine of engines) {
    const docs = byEngine.get(engine);
    if (!docs) continue;
    const c = engine.compile(docs);
    errors.push(...c.errors);
    compiled.push({ engine, compiled: c.compiled });
  }
  const raw = input.resources.map((r) => r.object);
  const objects = raw.map(withDefaultNamespace);
  const ctx: AdmissionContext = {
    namespaces: namespacesOf(objects, input.values),
    resources: objects,
    values: input.values,
    operation: input.operation,
  };
  const rawCtx: AdmissionContext = { ...ctx, resources: raw };
  const results: PolicyResult[] = [];
  objects.forEach((r, i) => {
    for (const { engine, compiled: c } of compiled)
      results.push(
        ...(engine.keepsMissingNamespace ? engine.evaluate(c, raw[i]!, rawCtx) : engine.evaluate(c, r, ctx)),
      );
  });
  return { results, errors, ignored };
}
