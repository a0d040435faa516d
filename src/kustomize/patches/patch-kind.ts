/**
 * Which kind of patch a `patches[]` entry holds, as kustomize v5.7.1's PatchTransformer decides:
 * the text is read both as strategic-merge documents and as JSON 6902 operations; when both
 * readings work, at most one may hold something ("illegally qualifies as both an SM and JSON
 * patch" otherwise). v5.5.0 refused every text both readings accept (`null`, `[]`, comments only);
 * v5.7.1 (kubernetes-sigs/kustomize#5771) runs such a text as a JSON patch without operations,
 * and v5.8.1 (what we follow) as nothing at all, target or not (src/kustomize/transforms/patches.ts).
 */
import { InputError } from '../../errors.js';
import type { KObject } from '../../resources/resource.js';
import { parseGoYaml } from '../../yaml/go-yaml.js';
import { decodeJson6902 } from './json6902.js';
import { isJsonObject } from './json-value.js';

/** One strategic-merge patch document and where it starts. */
export interface SmpDocument {
  readonly patch: KObject;
  readonly line: number;
  readonly column: number;
}

type SmpRead = { ok: true; docs: SmpDocument[] } | { ok: false; error: InputError };

function readSmp(text: string, file: string): SmpRead {
  let docs;
  try {
    docs = parseGoYaml(text, file, { dialect: 'v3' });
  } catch (e) {
    if (e instanceof InputError) return { ok: false, error: e };
    throw e;
  }
  const out: SmpDocument[] = [];
  for (const d of docs) {
    // kustomize's reader yields nothing for an empty list document (so `[]` is both kinds of patch)
    if (Array.isArray(d.value) && d.value.length === 0) continue;
    const at = { file, line: d.line, column: d.column };
    if (!isJsonObject(d.value)) {
      const what = Array.isArray(d.value) ? 'a list' : `a ${typeof d.value}`;
      return {
        ok: false,
        error: new InputError(`a strategic merge patch document must be a map, found ${what}`, { pos: at }),
      };
    }
    // a single `kind: List` document stands for its items
    const kind = d.value.kind;
    const items =
      docs.length === 1 && typeof kind === 'string' && kind.endsWith('List') && Array.isArray(d.value.items)
        ? d.value.items
        : [d.value];
    for (const [i, item] of items.entries()) {
      const where = items.length > 1 || item !== d.value ? `items[${i}]` : undefined;
      const problem = resourceProblem(item);
      if (problem)
        return {
          ok: false,
          error: new InputError(`a strategic merge patch document ${problem}`, { pos: at, fieldPath: where }),
        };
      out.push({ patch: item as KObject, line: d.line, column: d.column });
    }
  }
  return { ok: true, docs: out };
}

/** kustomize's resource factory needs a kind and a name (apiVersion may be missing). */
function resourceProblem(v: unknown): string | undefined {
  if (!isJsonObject(v)) return 'must be a map';
  if (typeof v.kind !== 'string' || v.kind === '') return 'needs a kind';
  const md = v.metadata;
  if (!isJsonObject(md) || typeof md.name !== 'string' || md.name === '') return 'needs metadata.name';
  return undefined;
}

/** The strategic-merge documents of a patch file or inline patch, with their positions. */
export function readSmpDocuments(text: string, file: string): SmpDocument[] {
  const r = readSmp(text, file);
  if (!r.ok) throw r.error;
  return r.docs;
}

/** The strategic-merge documents of a patch file or inline patch (empty documents are skipped). */
export function splitSmpDocuments(text: string, file: string): KObject[] {
  return readSmpDocuments(text, file).map((d) => d.patch);
}

/**
 * `smp` or `json6902`. Pass the text as kustomize sees it: an inline `patch:` trimmed, a `path:`
 * file as read. A text that holds neither SM documents nor operations (empty, `null`, `~`, `[]`,
 * only comments, blanks or `---`) is `json6902` without operations (see parseJson6902): it changes
 * nothing (v5.7.1 still asked for a target; v5.8.1 does not). Throws InputError when the text is neither kind.
 */
export function classifyPatch(text: string, file: string): 'smp' | 'json6902' {
  // An empty file reads as no SM documents *and no SM patch at all*, so kustomize runs it as a
  // JSON patch without operations (which still needs a target).
  if (text === '') return 'json6902';
  const sm = readSmp(text, file);
  const js = decodeJson6902(text, file);
  if (sm.ok && js.ok) {
    // kustomize takes the SM reading when it holds documents, else the (empty) JSON one
    if (sm.docs.length > 0 && js.ops.length > 0) {
      throw new InputError('patch illegally qualifies as both a strategic merge patch and a JSON 6902 patch', {
        pos: { file },
      });
    }
    return sm.docs.length > 0 ? 'smp' : 'json6902';
  }
  if (sm.ok) return 'smp';
  if (js.ok) return 'json6902';
  throw new InputError(
    `unable to parse the patch as a strategic merge patch (${sm.error.message}) ` +
      `or as a JSON 6902 patch (${js.error.message})`,
    {
      pos: sm.error.pos ?? { file },
      cause: sm.error,
    },
  );
}
