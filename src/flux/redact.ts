/**
 * Masking of secret values in build output (what `flux build` does for SOPS data, extended to
 * every Secret): `data` values become base64 of the mask (so the object stays valid for schema
 * checks), `stringData` values become the mask, SOPS-encrypted values (`ENC[...]`) anywhere
 * become the mask and the `sops` metadata block is removed. Keys stay, so reviewers still see
 * which keys exist. Pure: returns a copy, never mutates its input.
 */
import { cloneJson, isPlainObject, type KObject, type Resource } from '../resources/resource.js';

export const SECRET_MASK = '**REDACTED**';
export const SECRET_MASK_BASE64 = Buffer.from(SECRET_MASK).toString('base64');

const SOPS_VALUE = /^ENC\[[A-Z0-9_]+,data:/;

function isCoreSecret(o: KObject): boolean {
  return o.kind === 'Secret' && (o.apiVersion === undefined || o.apiVersion === 'v1');
}

/** Whether the object carries SOPS metadata (`sops:` with a `mac: ENC[...]`). */
export function isSopsEncrypted(o: KObject): boolean {
  const s = (o as Record<string, unknown>).sops;
  return isPlainObject(s) && typeof s.mac === 'string' && s.mac.startsWith('ENC[');
}

/** Whether redaction would change the object. */
export function needsRedaction(o: KObject): boolean {
  return isCoreSecret(o) || isSopsEncrypted(o) || hasSopsValue(o);
}

/** The object with secret values masked (the same object when nothing needs masking). */
export function redactObject(o: KObject): KObject {
  if (!needsRedaction(o)) return o;
  const c = cloneJson(o) as Record<string, unknown>;
  if (isSopsEncrypted(c as KObject)) delete c.sops;
  maskSopsValues(c);
  if (isCoreSecret(c as KObject)) {
    if (isPlainObject(c.data)) for (const k of Object.keys(c.data)) c.data[k] = SECRET_MASK_BASE64;
    if (isPlainObject(c.stringData)) for (const k of Object.keys(c.stringData)) c.stringData[k] = SECRET_MASK;
  }
  return c as KObject;
}

/** Resources with secret values masked; origins kept. */
export function redactResources(rs: readonly Resource[]): Resource[] {
  return rs.map((r) => (needsRedaction(r.object) ? { ...r, object: redactObject(r.object) } : r));
}

function hasSopsValue(v: unknown): boolean {
  if (typeof v === 'string') return SOPS_VALUE.test(v);
  if (Array.isArray(v)) return v.some(hasSopsValue);
  if (isPlainObject(v)) return Object.values(v).some(hasSopsValue);
  return false;
}

function maskSopsValues(v: Record<string, unknown> | unknown[]): void {
  const entries: [string | number, unknown][] = Array.isArray(v) ? v.map((x, i) => [i, x]) : Object.entries(v);
  for (const [k, x] of entries) {
    if (typeof x === 'string' && SOPS_VALUE.test(x)) (v as Record<string | number, unknown>)[k] = SECRET_MASK;
    else if (Array.isArray(x) || isPlainObject(x)) maskSopsValues(x);
  }
}

/**
 * A kustomization (as built) with `secretGenerator[].literals` values masked: the keys stay,
 * so a reviewer sees which literals exist. Files and env files are paths, not values.
 */
export function redactKustomization(k: Record<string, unknown>): Record<string, unknown> {
  const gens = k.secretGenerator;
  if (!Array.isArray(gens)) return k;
  const c = cloneJson(k);
  for (const g of c.secretGenerator as unknown[]) {
    if (!isPlainObject(g) || !Array.isArray(g.literals)) continue;
    g.literals = g.literals.map((l) => {
      if (typeof l !== 'string') return SECRET_MASK;
      const eq = l.indexOf('=');
      return eq >= 0 ? `${l.slice(0, eq + 1)}${SECRET_MASK}` : SECRET_MASK;
    });
  }
  return c;
}
