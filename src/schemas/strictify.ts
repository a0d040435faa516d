/**
 * A CRD's structural schema made strict (unknown fields rejected, as the API server's strict
 * field validation does) and ajv-compatible: objects with `properties` are closed unless
 * `x-kubernetes-preserve-unknown-fields`; an `x-kubernetes-embedded-resource` object also
 * accepts apiVersion, kind and metadata; `x-kubernetes-int-or-string` is an integer or a string;
 * `nullable` adds null to the type.
 */
export function strictify(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(strictify);
  if (s === null || typeof s !== 'object') return s;
  const o: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(s as Record<string, unknown>)) {
    if (k === 'properties' && val && typeof val === 'object') {
      o[k] = Object.fromEntries(Object.entries(val as Record<string, unknown>).map(([pk, pv]) => [pk, strictify(pv)]));
    } else o[k] = strictify(val);
  }
  if (o['x-kubernetes-int-or-string'] === true) {
    delete o.type;
    o.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  if (o['x-kubernetes-embedded-resource'] === true && o.properties && typeof o.properties === 'object') {
    const p = o.properties as Record<string, unknown>;
    o.properties = { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, ...p };
  }
  if (o.properties && o.additionalProperties === undefined && o['x-kubernetes-preserve-unknown-fields'] !== true)
    o.additionalProperties = false;
  if (o.nullable === true && typeof o.type === 'string') {
    o.type = [o.type, 'null'];
    delete o.nullable;
  }
  return o;
}
