/**
 * Constraint parameters against the template's `openAPIV3Schema` (the schema Gatekeeper puts
 * under the constraint CRD's `spec.parameters`): type, properties, additionalProperties, items,
 * required, enum, nullable, minimum/maximum, minItems/maxItems, pattern, the
 * `x-kubernetes-int-or-string` and `x-kubernetes-preserve-unknown-fields` extensions. Unknown
 * fields are not errors (the API server prunes them). One problem per line, with its field path.
 */

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function typeOk(type: string, v: unknown): boolean {
  const t = typeName(v);
  if (type === 'number') return t === 'number' || t === 'integer';
  return t === type;
}

/** The problems of `value` against `schema`, each `path: problem`. */
export function schemaProblems(schema: unknown, value: unknown, path = 'spec.parameters', depth = 0): string[] {
  if (!isObj(schema) || depth > 64) return [];
  if (value === null) return schema.nullable === true || schema.type === undefined ? [] : [`${path}: must not be null`];
  if (schema['x-kubernetes-int-or-string'] === true) {
    return typeof value === 'string' || Number.isInteger(value)
      ? []
      : [`${path}: must be an integer or a string, got ${typeName(value)}`];
  }
  const out: string[] = [];
  if (typeof schema.type === 'string' && !typeOk(schema.type, value))
    return [`${path}: must be of type ${schema.type}, got ${typeName(value)}`];
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
    out.push(`${path}: must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}`);
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum)
      out.push(`${path}: must be at least ${schema.minimum}`);
    if (typeof schema.maximum === 'number' && value > schema.maximum)
      out.push(`${path}: must be at most ${schema.maximum}`);
  }
  if (typeof value === 'string' && typeof schema.pattern === 'string') {
    try {
      if (!new RegExp(schema.pattern, 'u').test(value)) out.push(`${path}: must match ${schema.pattern}`);
    } catch {
      /* a pattern JavaScript cannot read is not the constraint's fault */
    }
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems)
      out.push(`${path}: must have at least ${schema.minItems} items`);
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems)
      out.push(`${path}: must have at most ${schema.maxItems} items`);
    if (isObj(schema.items))
      value.forEach((v, i) => out.push(...schemaProblems(schema.items, v, `${path}[${i}]`, depth + 1)));
  }
  if (isObj(value)) {
    const props = isObj(schema.properties) ? schema.properties : {};
    for (const r of Array.isArray(schema.required) ? schema.required : [])
      if (!(String(r) in value)) out.push(`${path}.${String(r)}: is required`);
    for (const [k, v] of Object.entries(value)) {
      if (k in props) out.push(...schemaProblems(props[k], v, `${path}.${k}`, depth + 1));
      else if (isObj(schema.additionalProperties))
        out.push(...schemaProblems(schema.additionalProperties, v, `${path}.${k}`, depth + 1));
    }
  }
  return out;
}
