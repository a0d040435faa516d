/**
 * The fleet spec's reference page (docs/fleet-spec.md), generated from the same schema that
 * validates fleet.yaml, so the docs cannot drift from the code. A test keeps the file current.
 */
import { fleetJsonSchema } from './schema.js';

type JS = Record<string, unknown>;

function typeOf(s: JS): string {
  if (Array.isArray(s.enum)) return s.enum.map((v) => `\`${String(v)}\``).join(' \\| ');
  if (s.const !== undefined) return `\`${String(s.const)}\``;
  if (Array.isArray(s.anyOf)) return (s.anyOf as JS[]).map(typeOf).join(' or ');
  if (s.type === 'array') return `list of ${typeOf((s.items ?? {}) as JS)}`;
  if (s.type === 'object' && s.additionalProperties && typeof s.additionalProperties === 'object' && !s.properties)
    return `map of ${typeOf(s.additionalProperties as JS)}`;
  return String(s.type ?? 'any');
}

function constraints(s: JS): string {
  const out: string[] = [];
  if (typeof s.pattern === 'string') out.push(`pattern \`${s.pattern}\``);
  if (typeof s.minimum === 'number' && s.minimum > -9007199254740991) out.push(`≥ ${s.minimum}`);
  if (typeof s.exclusiveMinimum === 'number') out.push(`> ${s.exclusiveMinimum}`);
  if (typeof s.maximum === 'number' && s.maximum < 9007199254740991) out.push(`≤ ${s.maximum}`);
  if (typeof s.exclusiveMaximum === 'number') out.push(`< ${s.exclusiveMaximum}`);
  if (typeof s.minItems === 'number') out.push(`at least ${s.minItems} item${s.minItems === 1 ? '' : 's'}`);
  if (typeof s.maxLength === 'number') out.push(`at most ${s.maxLength} characters`);
  return out.join(', ');
}

function objectOf(s: JS): JS | undefined {
  if (s.type === 'object' && s.properties) return s;
  if (s.type === 'array' && s.items && (s.items as JS).type === 'object' && (s.items as JS).properties)
    return s.items as JS;
  return undefined;
}

function rows(s: JS, path: string, out: string[], sections: [string, JS][]): void {
  const props = (s.properties ?? {}) as Record<string, JS>;
  const required = new Set((s.required ?? []) as string[]);
  for (const [k, v] of Object.entries(props)) {
    const p = path ? `${path}.${k}` : k;
    const child = objectOf(v);
    const isList = v.type === 'array';
    const def =
      v.default !== undefined && (typeof v.default !== 'object' || JSON.stringify(v.default).length < 40)
        ? `\`${JSON.stringify(v.default)}\``
        : v.default !== undefined
          ? '(see below)'
          : '';
    const desc = [String(v.description ?? ''), constraints(v)].filter(Boolean).join(' ');
    out.push(
      `| \`${p}\` | ${child ? (isList ? 'list of objects' : 'object') : typeOf(v)} ` +
        `| ${required.has(k) ? 'yes' : ''} | ${def} | ${desc.replace(/\|/g, '\\|')} |`,
    );
    if (child) sections.push([isList ? `${p}[]` : p, child]);
  }
}

export function fleetSpecMarkdown(): string {
  const schema = fleetJsonSchema() as JS;
  const out: string[] = [
    '# fleet.yaml reference',
    '',
    '<!-- Generated from src/spec/schema.ts by `npm run docs`. Do not edit by hand. -->',
    '',
    'The fleet spec (`apiVersion: aksfleet.dev/v1alpha1`, `kind: Fleet`). `aksfleet schema` prints the',
    'same definitions as JSON Schema; `aksfleet init <dir>` writes a commented example. Fields with a',
    'default may be left out. Cross-field rules (unique names, references between sections, Azure',
    'naming limits, autoscaler bounds, AKS-supported versions) are checked too; every problem is',
    'reported as `fleet.yaml:LINE:COL: field.path: message`.',
    '',
  ];
  const queue: [string, JS][] = [['', schema]];
  while (queue.length) {
    const [path, s] = queue.shift()!;
    const found: [string, JS][] = [];
    const table: string[] = [];
    rows(s, path, table, found);
    out.push(`## \`${path || '(top level)'}\``, '');
    if (s.description && path) out.push(String(s.description), '');
    out.push('| field | type | required | default | description |', '|---|---|---|---|---|', ...table, '');
    queue.push(...found);
  }
  return out.join('\n');
}
