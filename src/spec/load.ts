/**
 * Reading fleet.yaml: YAML (with positions) -> schema validation -> cross-field rules.
 * Every problem is reported at once as `fleet.yaml:LINE:COL: field.path: message`.
 */
import { formatFieldPath } from '../field-path.js';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { closestWithin } from '../did-you-mean.js';
import { InputError } from '../errors.js';
import { parseYamlDocuments, type ParsedDoc } from '../yaml/parse.js';
import { FleetDocument, type Fleet } from './schema.js';
import { controlCharacterProblem } from './names.js';
import { checkSpecRules, type FieldPath } from './rules.js';

/** `spec.clusters[0].name`: the dotted encoding of src/field-path.ts (public API name). */
export const formatPath = formatFieldPath;

function issueMessage(issue: z.core.$ZodIssue, value: unknown): string {
  switch (issue.code) {
    case 'invalid_type': {
      const got =
        value === undefined
          ? 'nothing'
          : Array.isArray(value)
            ? 'a list'
            : value === null
              ? 'null'
              : typeof value === 'object'
                ? 'a map'
                : `${typeof value} ${JSON.stringify(value)}`;
      return value === undefined
        ? `required field is missing (expected ${issue.expected})`
        : `expected ${issue.expected}, got ${got}`;
    }
    case 'invalid_value': {
      const allowed = issue.values.map((v) => String(v)).join(', ');
      return `${JSON.stringify(value)} is not allowed; must be one of: ${allowed}`;
    }
    case 'unrecognized_keys':
      return `unknown field '${issue.keys[0]}'`;
    default:
      return value !== undefined && typeof value !== 'object'
        ? `${JSON.stringify(value)}: ${issue.message}`
        : issue.message;
  }
}

function getAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = root;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[seg];
  }
  return cur;
}

/** Fields whose value may span lines (a PEM key). */
const MULTI_LINE = new Set(['spec.imagePolicy.publicKey']);

/** Every string (value or key) of the raw document that holds a control or bidi character. */
function controlCharacters(raw: unknown): { path: FieldPath; key: boolean; text: string; problem: string }[] {
  const out: { path: FieldPath; key: boolean; text: string; problem: string }[] = [];
  const walk = (v: unknown, path: FieldPath, depth: number) => {
    if (depth > 64) return; // the schema refuses anything this deep
    if (typeof v === 'string') {
      const problem = controlCharacterProblem(v, MULTI_LINE.has(formatPath(path)) ? /[\n\r\t]/ : undefined);
      if (problem) out.push({ path, key: false, text: v, problem });
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, [...path, i], depth + 1));
    } else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        const problem = controlCharacterProblem(k);
        if (problem) out.push({ path: [...path, k], key: true, text: k, problem });
        walk(x, [...path, k], depth + 1);
      }
    }
  };
  walk(raw, [], 0);
  return out;
}

/** Validates an already-parsed fleet document. `doc` gives positions for messages. */
export function validateFleet(raw: unknown, file: string, doc?: ParsedDoc): Fleet {
  const errors: InputError[] = [];
  const at = (path: FieldPath, key = false) => (doc ? doc.posOf(path, { key }) : undefined);
  const controlled = new Set<string>();
  for (const c of controlCharacters(raw)) {
    controlled.add(formatPath(c.path));
    errors.push(
      new InputError(`${JSON.stringify(c.text)}: ${c.problem}`, {
        pos: { file, ...at(c.path, c.key) },
        fieldPath: formatPath(c.path),
      }),
    );
  }
  const res = FleetDocument.safeParse(raw);
  if (!res.success) {
    for (const issue of res.error.issues) {
      const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          const p = [...path, key];
          errors.push(
            new InputError(`unknown field '${key}'${suggest(key, issue, raw, path)}`, {
              pos: { file, ...at(p, true) },
              fieldPath: formatPath(p),
            }),
          );
        }
        continue;
      }
      if (controlled.has(formatPath(path))) continue; // one message per field: the control character
      errors.push(
        new InputError(issueMessage(issue, getAt(raw, path)), {
          pos: { file, ...at(path) },
          fieldPath: formatPath(path),
        }),
      );
    }
  } else {
    for (const p of checkSpecRules(res.data)) {
      errors.push(new InputError(p.message, { pos: { file, ...at(p.path) }, fieldPath: formatPath(p.path) }));
    }
  }
  if (errors.length > 0) {
    errors.sort((a, b) => (a.pos?.line ?? 0) - (b.pos?.line ?? 0) || (a.pos?.column ?? 0) - (b.pos?.column ?? 0));
    const [first, ...rest] = errors;
    throw new InputError(first!.message, { pos: first!.pos, fieldPath: first!.fieldPath, more: rest });
  }
  return res.data!;
}

function suggest(key: string, _issue: unknown, raw: unknown, path: FieldPath): string {
  // Offer the closest known field of the same object, if one is close (a typo).
  const known = knownKeysAt(path, raw);
  const best = closestWithin(key, known, 3);
  return best ? `; did you mean '${best}'?` : known.length ? `; allowed: ${known.join(', ')}` : '';
}

function knownKeysAt(path: FieldPath, _raw: unknown): string[] {
  let schema: z.ZodType = FleetDocument;
  for (const seg of path) {
    schema = unwrap(schema);
    if (schema instanceof z.ZodObject) schema = (schema.shape as Record<string, z.ZodType>)[String(seg)] ?? schema;
    else if (schema instanceof z.ZodArray) schema = schema.element as z.ZodType;
    else if (schema instanceof z.ZodRecord) schema = schema.valueType as z.ZodType;
  }
  schema = unwrap(schema);
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

function unwrap(s: z.ZodType): z.ZodType {
  let cur: z.ZodType = s;
  for (let i = 0; i < 10; i++) {
    if (cur instanceof z.ZodDefault || cur instanceof z.ZodOptional || cur instanceof z.ZodNullable)
      cur = cur.unwrap() as z.ZodType;
    else break;
  }
  return cur;
}

/** Parses and validates fleet YAML text. */
export function parseFleet(text: string, file = 'fleet.yaml'): Fleet {
  const docs = parseYamlDocuments(text, file);
  if (docs.length !== 1) {
    throw new InputError(
      docs.length === 0 ? 'the fleet file is empty' : `expected one YAML document, found ${docs.length}`,
      { pos: { file, line: 1 } },
    );
  }
  return validateFleet(docs[0]!.value, file, docs[0]);
}

/** Reads and validates a fleet file from disk. */
export function loadFleet(path: string): Fleet {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(
      code === 'ENOENT'
        ? `fleet file not found: ${path} (create one with 'aksfleet init <dir>')`
        : `cannot read ${path}: ${(e as Error).message}`,
      {
        pos: { file: path },
      },
    );
  }
  return parseFleet(text, path);
}
