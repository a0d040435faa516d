/**
 * Field paths, one module for their three encodings (issue #20, 5). Inside aksfleet a path is a
 * list of segments (`FieldPath`, what YAML positions and validators walk); in messages and in a
 * `SourceLocation` it is dotted (`spec.tenants[1].apps[0].name`); JSON Schema validators (ajv)
 * and JSON patches give JSON pointers (`/spec/tenants/1`). Convert at the edges, here.
 */

/** Segments: keys are strings, list indexes numbers. */
export type FieldPath = readonly (string | number)[];

/** `['spec', 'clusters', 0, 'name']` -> `spec.clusters[0].name`; the empty path is `(document)`. */
export function formatFieldPath(path: readonly (string | number | symbol)[]): string {
  let s = '';
  for (const seg of path) {
    if (typeof seg === 'number') s += `[${seg}]`;
    else s += s ? `.${String(seg)}` : String(seg);
  }
  return s || '(document)';
}

/**
 * `spec.tenants[1].apps[0].blueGreen` -> `['spec', 'tenants', 1, 'apps', 0, 'blueGreen']`: the inverse of
 * formatFieldPath for keys without `.`, `[` or `]`.
 */
export function parseFieldPath(dotted: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const m of dotted.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  return out;
}

/** One JSON pointer reference token unescaped (`~1` is `/`, `~0` is `~`, in that order: RFC 6901 §4). */
export function unescapePointerToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

/**
 * `/spec/a~1b/0` -> `['spec', 'a/b', '0']`; `` -> `[]`. Segments stay strings: a pointer does not say
 * which are list indexes.
 */
export function pointerSegments(pointer: string): string[] {
  return pointer.split('/').slice(1).map(unescapePointerToken);
}
