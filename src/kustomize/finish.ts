/**
 * The last step of a build (kustomize RemoveBuildAnnotations + buildMetadata): annotations of
 * every resource that has any are rewritten as strings (kustomize goes through a
 * map[string]string), maps emptied by removing build annotations disappear, and
 * `buildMetadata: [originAnnotations, managedByLabel]` are applied.
 */
import { posix } from 'node:path';
import { InputError } from '../errors.js';
import type { Resource } from '../resources/resource.js';
import { isPlainObject } from '../resources/resource.js';
import { byteCompare } from '../yaml/go-yaml.js';
import type { KRes, PluginRef } from './resmap.js';

/**
 * What kustomize v5.8.1 writes, as `kustomize build` v5.8.1 prints it: since v5.7 kustomize reads
 * its version from the Go build info (kubernetes-sigs/kustomize#5846); v5.7.1 (and kubectl 1.35.2)
 * wrote `kustomize-v5.7.1`, v5.5.0, as go-installed and inside kubectl 1.32, `kustomize-(devel)`.
 */
export const MANAGED_BY_VALUE = 'kustomize-v5.8.1';

function pluginLines(p: PluginRef, indent: string): string {
  let s = `${indent}apiVersion: builtin\n${indent}kind: ${p.kind}\n`;
  if (p.name) s += `${indent}name: ${p.name}\n`;
  if (p.namespace) s += `${indent}namespace: ${p.namespace}\n`;
  return s;
}

/** Characters go-yaml v2's reader refuses in the JSON kustomize feeds it ("control characters are not allowed"). */
const REJECTED = /[\u007f-\u0084\u0086-\u009f\ufffe\uffff]/;
const HAS_NEL = /\u0085/;

/**
 * A raw NEL (U+0085) in a string survives Go's JSON encoding unescaped and go-yaml v2 then folds
 * it, as a line break inside a double-quoted scalar, into a space (or newlines for several).
 * Verified with kubectl kustomize: "nel\u0085here" comes out as "nel here".
 */
function foldNel(s: string): string {
  return s.replace(/[ \t]*\u0085(?:[ \t]*\u0085)*[ \t]*/g, (run) => {
    const n = (run.match(/\u0085/g) ?? []).length;
    return n === 1 ? ' ' : '\n'.repeat(n - 1);
  });
}

/** Any character REJECTED or HAS_NEL looks at (one test that most strings pass). */
const SPECIAL = /[\u007f-\u009f\ufffe\uffff]/;

/** A field path, built only when an error names it: the steps from the object's root. */
interface Loc {
  readonly up: Loc | undefined;
  readonly key: string | number;
}

function pathOf(at: Loc | undefined, key?: string | number): string {
  const keys: (string | number)[] = key === undefined ? [] : [key];
  for (let l = at; l; l = l.up) keys.unshift(l.key);
  let path = '';
  for (const k of keys) path = typeof k === 'number' ? `${path}[${k}]` : path ? `${path}.${k}` : k;
  return path;
}

/** A string value as the round trip leaves it (`at`, `key`: where it is, for the error). */
function finalString(v: string, at: Loc | undefined, key: string | number | undefined, where: () => string): string {
  if (!SPECIAL.test(v)) return v;
  if (REJECTED.test(v)) {
    throw new InputError(
      `${where()}: the value at '${pathOf(at, key)}' contains a control character (DEL, ` +
        `C1 control or U+FFFE/U+FFFF); kustomize fails on it ("control characters are not allowed")`,
      { fieldPath: pathOf(at, key) },
    );
  }
  return HAS_NEL.test(v) ? foldNel(v) : v;
}

/**
 * Applies kustomize's final JSON -> YAML round trip effects on strings; refuses what it refuses.
 * `at` is where `v` is (undefined: the object itself).
 */
function finalStrings(v: unknown, at: Loc | undefined, where: () => string): unknown {
  if (typeof v === 'string') return finalString(v, at?.up, at?.key, where);
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const e = v[i];
      v[i] =
        typeof e === 'string'
          ? finalString(e, at, i, where)
          : e !== null && typeof e === 'object'
            ? finalStrings(e, { up: at, key: i }, where)
            : e;
    }
    return v;
  }
  if (isPlainObject(v)) {
    for (const k of Object.keys(v)) {
      const e = v[k];
      const val =
        typeof e === 'string'
          ? finalString(e, at, k, where)
          : e !== null && typeof e === 'object'
            ? finalStrings(e, { up: at, key: k }, where)
            : e;
      if (!SPECIAL.test(k)) {
        v[k] = val;
        continue;
      }
      if (REJECTED.test(k))
        throw new InputError(`${where()}: the key '${k}' contains a control character; kustomize fails on it`, {
          fieldPath: pathOf(at),
        });
      if (HAS_NEL.test(k)) {
        const nk = foldNel(k);
        delete v[k];
        v[nk] = val;
      } else v[k] = val;
    }
    return v;
  }
  return v;
}

export function finishResources(list: KRes[], buildMetadata: readonly string[], root: string): Resource[] {
  return list.map((r) => {
    const meta = r.obj.metadata;
    if (buildMetadata.includes('originAnnotations') && r.origin.file) {
      const ann = (r.meta().annotations ??= {}) as Record<string, unknown>;
      const rel = posix.relative(root || '.', r.origin.file);
      ann['config.kubernetes.io/origin'] = r.generatedBy
        ? `configuredIn: ${rel}\nconfiguredBy:\n${pluginLines(r.generatedBy, '  ')}`
        : `path: ${rel}\n`;
    }
    if (buildMetadata.includes('transformerAnnotations') && r.transformations.length > 0) {
      const ann = (r.meta().annotations ??= {}) as Record<string, unknown>;
      ann['alpha.config.kubernetes.io/transformations'] = r.transformations
        .map(
          (t) =>
            `- configuredIn: ${posix.relative(root || '.', t.configuredIn)}\n` +
            `  configuredBy:\n${pluginLines(t, '    ')}`,
        )
        .join('');
    }
    if (buildMetadata.includes('managedByLabel')) {
      const labels = (r.meta().labels ??= {}) as Record<string, unknown>;
      labels['app.kubernetes.io/managed-by'] = MANAGED_BY_VALUE;
    }
    const m = r.obj.metadata ?? meta;
    if (m && isPlainObject(m.annotations)) {
      const a = m.annotations as Record<string, unknown>;
      const keys = Object.keys(a);
      if (keys.length > 0) {
        const out: Record<string, string> = {};
        for (const k of keys.sort(byteCompare)) {
          const v = a[k];
          out[k] = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
        }
        m.annotations = out;
      } else if (r.buildAnnotated) {
        delete m.annotations;
      }
    } else if (m && 'annotations' in m && r.buildAnnotated) {
      delete m.annotations;
    }
    try {
      finalStrings(r.obj, undefined, () => `${r.gvk.kind}/${r.name}`);
    } catch (e) {
      if (e instanceof InputError && r.origin.file)
        throw new InputError(e.message, { pos: { file: r.origin.file, line: r.origin.line }, fieldPath: e.fieldPath });
      throw e;
    }
    return { object: r.obj, origin: r.origin };
  });
}
