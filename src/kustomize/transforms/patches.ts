/**
 * `patchesStrategicMerge:`, `patches:` and `patchesJson6902:` (kustomize
 * PatchStrategicMergeTransformer, PatchTransformer, PatchJson6902Transformer). The merge and
 * JSON-patch algorithms live in ../patches/ (through ../patch-engine.ts); this file decides
 * which resources each patch applies to and keeps kind/name/namespace as kustomize does.
 */
import { InputError } from '../../errors.js';
import type { KObject } from '../../resources/resource.js';
import { isPlainObject } from '../../resources/resource.js';
import type { PatchArgs, Selector } from '../kustomization.js';
import { patchEngine } from '../patch-engine.js';
import { objectsFromText } from '../read-resources.js';
import { parseGoYaml } from '../../yaml/go-yaml.js';
import { gvkEquals, idEquals, idString, KRes, type ResId, type ResMap } from '../resmap.js';
import { selectResources } from '../select.js';
import { classifyPatch } from '../patches/index.js';
import type { LevelContext, Transformer } from './context.js';

interface LoadedPatch {
  readonly text: string;
  /** Where it came from, for messages: a file path or `inline patch`. */
  readonly source: string;
  readonly file: string;
}

function loadPatchText(args: PatchArgs, ctx: LevelContext, where: string): LoadedPatch {
  const patch = (args.patch ?? '').trim();
  if (patch === '' && !args.path)
    throw new InputError(`${where}: must specify one of patch and path`, { pos: { file: ctx.file } });
  if (patch !== '' && args.path)
    throw new InputError(`${where}: patch and path can't be set at the same time`, { pos: { file: ctx.file } });
  if (patch !== '') return { text: patch, source: `${ctx.file} (${where}, inline patch)`, file: ctx.file };
  const { rel, text } = ctx.loader.loadText(args.path!, `${where}.path`);
  return { text, source: rel, file: rel };
}

function patchDocs(p: LoadedPatch): KRes[] {
  return objectsFromText(p.text, p.file).map(({ obj, line }) => new KRes(obj, { file: p.file, line }));
}

/** resWrangler.ApplySmPatch + Resource.ApplySmPatch: merge, then restore kind/name/namespace. */
function applySmpTo(m: ResMap, target: KRes, patch: KRes, source: string): void {
  const n = target.name;
  const ns = target.namespace;
  const k = target.obj.kind;
  const p = structuredClone(patch.obj);
  if (typeof target.obj.apiVersion === 'string') p.apiVersion = target.obj.apiVersion;
  else delete p.apiVersion;
  if (patch.allowNameChange || patch.allowKindChange) target.storePreviousId();
  let out: KObject | null;
  try {
    out = patchEngine().applyStrategicMerge(target.obj, p);
  } catch (e) {
    if (e instanceof InputError)
      throw new InputError(`${e.message} (patch ${source} on ${idString(target.curId())})`, {
        pos: e.pos ?? { file: patch.origin.file, line: patch.origin.line },
        fieldPath: e.fieldPath,
      });
    throw e;
  }
  if (out === null || (isPlainObject(out) && Object.keys(out).length === 0)) {
    m.list = m.list.filter((x) => x !== target);
    return;
  }
  target.obj = out;
  if (!patch.allowKindChange) target.obj.kind = k;
  if (!patch.allowNameChange) target.setName(n);
  target.setNamespace(ns);
}

function getById(m: ResMap, id: ResId, source: string, patch: KRes): KRes {
  const found = m.byAnyId(id);
  if (found.length === 1) return found[0]!;
  throw new InputError(
    `${found.length > 1 ? 'multiple matches' : 'no matches'} for Id ${idString(id)}; ` +
      `failed to find unique target for patch ${idString(id)} (from ${source})`,
    { pos: { file: patch.origin.file, line: patch.origin.line } },
  );
}

function select(m: ResMap, sel: Selector, file: string): KRes[] {
  return selectResources(m.list, sel, file);
}

type Classified = { kind: 'smp'; docs: KRes[] } | { kind: 'json'; ops: unknown[] };

/** A patch text is SMP (YAML maps) or JSON 6902 (a list of operations); both or neither is an error. */
/** Whether every document of a patch text is empty (`{}`, `[]`, null): kustomize's reader yields no patch for it. */
function onlyEmptyDocuments(p: LoadedPatch): boolean {
  try {
    return parseGoYaml(p.text, p.file).every(
      (d) => d.value === null || (typeof d.value === 'object' && Object.keys(d.value as object).length === 0),
    );
  } catch {
    return false;
  }
}

function classify(p: LoadedPatch): Classified {
  if (onlyEmptyDocuments(p)) return { kind: 'json', ops: [] };
  if (classifyPatch(p.text, p.file) === 'json6902')
    return { kind: 'json', ops: patchEngine().parseJson6902(p.text, p.file) };
  let docs: KRes[];
  try {
    docs = patchDocs(p);
  } catch (e) {
    if (e instanceof InputError) {
      throw new InputError(`unable to parse SM or JSON patch from ${p.source}: ${e.message}`, {
        pos: e.pos,
        fieldPath: e.fieldPath,
      });
    }
    throw e;
  }
  return { kind: 'smp', docs };
}

export const patchesStrategicMergeTransformer: Transformer = {
  field: 'patchesStrategicMerge',
  plugin: 'PatchStrategicMergeTransformer',
  instances: (k) => ((k.patchesStrategicMerge?.length ?? 0) > 0 ? 1 : 0),
  run(m, ctx) {
    const entries = ctx.k.patchesStrategicMerge ?? [];
    const loaded: { doc: KRes; source: string }[] = [];
    entries.forEach((entry, i) => {
      const where = `patchesStrategicMerge[${i}]`;
      let inline: KRes[] | undefined;
      if (entry.includes('\n') || /^\s*[{[]/.test(entry) || /:\s/.test(entry)) {
        try {
          inline = objectsFromText(entry, ctx.file).map(
            ({ obj }) => new KRes(obj, { file: ctx.file, line: ctx.lineOf(['patchesStrategicMerge', i]) }),
          );
        } catch {
          inline = undefined;
        }
      }
      if (inline && inline.length > 0) {
        for (const d of inline) loaded.push({ doc: d, source: `${ctx.file} (${where})` });
        return;
      }
      const { rel, text } = ctx.loader.loadText(entry, where);
      const docs = patchDocs({ text, source: rel, file: rel });
      for (const d of docs) loaded.push({ doc: d, source: rel });
    });
    if (entries.length > 0 && loaded.length === 0) {
      throw new InputError(`patch appears to be empty; files=${JSON.stringify(entries)}`, { pos: { file: ctx.file } });
    }
    for (const { doc, source } of loaded) {
      const target = getById(m, doc.orgId(), source, doc);
      applySmpTo(m, target, doc, source);
    }
  },
};

export const patchesTransformer: Transformer = {
  field: 'patches',
  plugin: 'PatchTransformer',
  instances: (k) => k.patches?.length ?? 0,
  run(m, ctx) {
    (ctx.k.patches ?? []).forEach((args, i) => {
      const where = `patches[${i}]`;
      const p = loadPatchText(args, ctx, where);
      const c = classify(p);
      if (c.kind === 'smp') {
        for (const d of c.docs) {
          d.allowNameChange = args.options?.allowNameChange === true;
          d.allowKindChange = args.options?.allowKindChange === true;
        }
        if (args.target) {
          if (c.docs.length > 1) {
            throw new InputError(
              `Multiple Strategic-Merge Patches in one \`patches\` entry ` +
                `is not allowed to set \`patches.target\` field: ${p.source}`,
              {
                pos: { file: ctx.file, line: ctx.lineOf(['patches', i]) },
                fieldPath: where,
              },
            );
          }
          const patch = c.docs[0];
          if (!patch) return;
          const selected = select(m, args.target, ctx.file);
          for (const r of selected) {
            const pc = patch.clone();
            pc.obj.kind = patch.obj.kind;
            applySmpTo(m, r, pc, p.source);
          }
        } else {
          for (const d of c.docs) applySmpTo(m, getById(m, d.orgId(), p.source, d), d, p.source);
        }
      } else {
        // kustomize v5.8.1 runs a text that holds no document (empty, `null`, `[]`, `{}`, comments
        // only) as nothing at all: no target needed, none selected (v5.7.1 ran it as a JSON patch
        // without operations, which needed a target; PatchTransformer.Transform checks jsonPatches != nil)
        if (c.ops.length === 0) return;
        if (!args.target) {
          throw new InputError(`must specify a target for JSON patch ${p.source}`, {
            pos: { file: ctx.file, line: ctx.lineOf(['patches', i]) },
            fieldPath: where,
          });
        }
        for (const r of select(m, args.target, ctx.file)) {
          r.storePreviousId();
          applyJson(r, c.ops, p.source);
        }
      }
    });
  },
};

function applyJson(r: KRes, ops: unknown[], source: string): void {
  try {
    r.obj = patchEngine().applyJson6902(r.obj, ops, source);
  } catch (e) {
    if (e instanceof InputError) {
      throw new InputError(`${e.message} (JSON patch ${source} on ${idString(r.curId())})`, {
        pos: e.pos ?? { file: source },
        fieldPath: e.fieldPath,
      });
    }
    throw e;
  }
}

export const patchesJson6902Transformer: Transformer = {
  field: 'patchesJson6902',
  plugin: 'PatchJson6902Transformer',
  instances: (k) => k.patchesJson6902?.length ?? 0,
  run(m, ctx) {
    (ctx.k.patchesJson6902 ?? []).forEach((args, i) => {
      const where = `patchesJson6902[${i}]`;
      if (!args.target)
        throw new InputError(`${where}: must specify the target field in patchesJson6902`, { pos: { file: ctx.file } });
      const p = loadPatchText(args, ctx, where);
      const ops = patchEngine().parseJson6902(p.text, p.file);
      for (const r of select(m, args.target, ctx.file)) applyJson(r, ops, p.source);
    });
  },
};

void gvkEquals;
void idEquals;
