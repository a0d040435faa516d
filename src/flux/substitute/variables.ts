/**
 * The variables of a Flux Kustomization's postBuild (fluxcd/pkg kustomize_varsub.go
 * LoadVariables + SubstituteVariables): `substituteFrom` ConfigMaps and Secrets of the
 * Kustomization's namespace in list order (later wins; Secret data base64-decoded; `optional`
 * tolerates absence), then the inline `substitute` map over them all; `\n` removed from values.
 */
import { isPlainObject, type KObject } from '../../resources/resource.js';
import type { FluxPostBuild } from '../types.js';

/** Flux's check on variable names. */
export const VAR_NAME = /^[_A-Za-z][_A-Za-z0-9]*$/; // RE2 [[:alpha:]] is ASCII

/** How a substituteFrom reference resolved. */
export interface SubstituteFromResult {
  readonly ref: string;
  readonly index: number;
  readonly status: 'found' | 'optional-missing' | 'missing' | 'encrypted' | 'from-vars-file';
}

export interface VariablesResult {
  readonly vars: Map<string, string>;
  readonly refs: SubstituteFromResult[];
  /** Problems: bad names, bad references. */
  readonly problems: { message: string; fieldPath: string }[];
  /**
   * True when a required reference could not be resolved offline: the cluster would have
   * variables we do not know.
   */
  readonly unknownVars: boolean;
}

export interface VariableSources {
  /** Finds a ConfigMap or Secret the cluster would have (e.g. in the rendered build). */
  find(kind: 'ConfigMap' | 'Secret', namespace: string, name: string): KObject | undefined;
  /** Values for references that are not in the build (`--vars`), if given. */
  readonly varsFile?: Readonly<Record<string, string>>;
}

const strip = (v: string) => v.replace(/\n/g, '');

export function loadVariables(
  postBuild: FluxPostBuild | undefined,
  namespace: string,
  sources: VariableSources,
): VariablesResult {
  const vars = new Map<string, string>();
  const refs: SubstituteFromResult[] = [];
  const problems: { message: string; fieldPath: string }[] = [];
  let unknownVars = false;
  const from = postBuild?.substituteFrom;
  if (from !== undefined && from !== null && !Array.isArray(from)) {
    problems.push({ message: 'expected a list of {kind, name, optional}', fieldPath: 'spec.postBuild.substituteFrom' });
  }
  (Array.isArray(from) ? from : []).forEach((r, index) => {
    const at = `spec.postBuild.substituteFrom[${index}]`;
    if (!isPlainObject(r) || (r.kind !== 'ConfigMap' && r.kind !== 'Secret') || typeof r.name !== 'string') {
      problems.push({ message: 'expected {kind: ConfigMap|Secret, name, optional}', fieldPath: at });
      return;
    }
    const ref = `${r.kind}/${namespace}/${r.name}`;
    const obj = sources.find(r.kind, namespace, r.name);
    // A SOPS-encrypted Secret is decrypted in the cluster: its values are unknown offline.
    const encrypted = obj !== undefined && 'sops' in obj;
    if (obj && !encrypted) {
      refs.push({ ref, index, status: 'found' });
      for (const [k, v] of Object.entries(dataOf(obj))) vars.set(k, strip(v));
      return;
    }
    if (r.optional === true && !encrypted) {
      refs.push({ ref, index, status: 'optional-missing' });
      return;
    }
    if (sources.varsFile) {
      refs.push({ ref, index, status: 'from-vars-file' });
      for (const [k, v] of Object.entries(sources.varsFile)) vars.set(k, strip(v));
      return;
    }
    refs.push({ ref, index, status: encrypted ? 'encrypted' : 'missing' });
    unknownVars = true;
  });
  const inline = postBuild?.substitute;
  if (inline !== undefined && inline !== null) {
    if (!isPlainObject(inline))
      problems.push({ message: 'expected a map of strings', fieldPath: 'spec.postBuild.substitute' });
    else {
      for (const [k, v] of Object.entries(inline)) {
        if (typeof v !== 'string') {
          problems.push({
            message: `expected a string, got ${JSON.stringify(v)} (quote it: Flux's API field is map[string]string)`,
            fieldPath: `spec.postBuild.substitute.${k}`,
          });
          continue;
        }
        vars.set(k, strip(v));
      }
    }
  }
  for (const k of vars.keys()) {
    if (!VAR_NAME.test(k))
      problems.push({
        message: `'${k}' var name is invalid, must match '^[_[:alpha:]][_[:alpha:][:digit:]]*$'`,
        fieldPath: 'spec.postBuild',
      });
  }
  return { vars, refs, problems, unknownVars };
}

/** ConfigMap `data`, or Secret `data` (base64-decoded) plus `stringData`. */
export function dataOf(obj: KObject): Record<string, string> {
  const out: Record<string, string> = {};
  const data = obj.data;
  if (isPlainObject(data)) {
    for (const [k, v] of Object.entries(data)) {
      if (typeof v !== 'string') continue;
      out[k] = obj.kind === 'Secret' ? Buffer.from(v, 'base64').toString('utf8') : v;
    }
  }
  if (obj.kind === 'Secret' && isPlainObject(obj.stringData)) {
    for (const [k, v] of Object.entries(obj.stringData)) if (typeof v === 'string') out[k] = v;
  }
  return out;
}
