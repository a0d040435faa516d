/**
 * kustomize v5.8's replacements into structured data (api/filters/replacement
 * `setValueInStructuredData`, kyaml `PathMatcher.handleStructuredDataInScalar`): a target field
 * path that runs through a scalar whose text parses as YAML (a JSON or YAML document kept in a
 * ConfigMap key or an annotation) continues inside that document, and the text is written again:
 * - the text starts with `{` or `[`: as Go's `json.Marshal` writes it (keys sorted, `<>&` escaped),
 *   indented by two spaces (`json.MarshalIndent`) when the text held a newline and two spaces;
 * - otherwise: as kyaml's encoder writes the document, trimmed. We write such YAML only when our
 *   emitter prints the unmodified document as it was written (block style, sorted keys, no
 *   comments) and the replacement creates no key; any other YAML text is refused with an error
 *   (kustomize keeps comments, key order and styles, which our values do not hold).
 * The first scalar on the path decides, as in kustomize (only the first place it reaches).
 */
import { InputError } from '../../errors.js';
import { isPlainObject } from '../../resources/resource.js';
import { toGoYaml } from '../../yaml/go-emit.js';
import { goJsonMarshal, goJsonNumber, goJsonString, byteCompare, parseGoYaml } from '../../yaml/go-yaml.js';
import { match, type Place } from './field-path.js';

/** Writes a value at a place inside the document; false when kustomize's write does not decode (a tag clash). */
export type Assign = (place: Place) => boolean;

export type StructuredOutcome = 'not-structured' | 'written' | 'failed';

/**
 * Go's `json.Marshal(v)` (no indent) or `json.MarshalIndent(v, "", "  ")` of plain data: keys
 * sorted byte-wise, `<>&` and U+2028/2029 escaped, empty collections inline.
 */
function goJson(v: unknown, indent: string | undefined): string {
  const inner = indent === undefined ? undefined : indent + '  ';
  const nl = (pad: string | undefined) => (pad === undefined ? '' : '\n' + pad);
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return '[' + v.map((x) => nl(inner) + goJson(x, inner)).join(',') + nl(indent) + ']';
  }
  if (isPlainObject(v)) {
    const keys = Object.keys(v).sort(byteCompare);
    if (keys.length === 0) return '{}';
    return (
      '{' +
      keys
        .map((k) => `${nl(inner)}${goJsonString(k)}:${inner === undefined ? '' : ' '}${goJson(v[k], inner)}`)
        .join(',') +
      nl(indent) +
      '}'
    );
  }
  if (typeof v === 'number') return goJsonNumber(v);
  if (typeof v === 'string') return goJsonString(v);
  return goJsonMarshal(v);
}

/** Go's `json.MarshalIndent(v, "", "  ")`. */
export function goJsonIndent(v: unknown): string {
  return goJson(v, '');
}

/** The document a scalar's text holds (yaml.Unmarshal into a node: the first document), or undefined. */
function parseDocument(text: string): { value: unknown } | undefined {
  try {
    const docs = parseGoYaml(text, 'structured data');
    return docs.length > 0 ? { value: docs[0]!.value } : undefined;
  } catch {
    return undefined;
  }
}

/** The first scalar the path runs through before its last element (kustomize's yaml.Lookup of each prefix). */
function firstScalarOnPath(root: unknown, segs: readonly string[]): { at: number; place: Place } | undefined {
  for (let i = 1; i < segs.length; i++) {
    const place = match(root, segs.slice(0, i), undefined)[0];
    if (!place) continue;
    const v = place.get();
    if (v === undefined || (v !== null && typeof v === 'object')) continue;
    if (typeof v !== 'string' || parseDocument(v)) return { at: i, place };
  }
  return undefined;
}

/**
 * Tries the target path as structured data: `written` when it landed inside a document (the text
 * rewritten), `failed` when the path runs through such a text but kustomize's write fails there
 * (the caller then takes the ordinary path), `not-structured` when no scalar is on the path.
 */
export function setInStructuredData(
  root: unknown,
  segs: readonly string[],
  create: 'map' | 'seq' | 'scalar' | undefined,
  assign: Assign,
  where: string,
  file: string,
): StructuredOutcome {
  const found = firstScalarOnPath(root, segs);
  if (!found) return 'not-structured';
  const text = found.place.get();
  if (typeof text !== 'string') return 'failed';
  const doc = parseDocument(text);
  if (!doc || doc.value === null || typeof doc.value !== 'object') return 'failed';
  const json = /^[{[]/.test(text.trim());
  const field = segs.slice(0, found.at).join('.');
  const rest = segs.slice(found.at);
  const places = match(doc.value, rest, json ? create : undefined);
  if (places.length === 0 && !json && create && match(structuredClone(doc.value), rest, create).length > 0) {
    throw new InputError(
      `${where}: the replacement creates a field inside the YAML text of field "${field}"; ` +
        `kustomize v5.8 appends it after the others, which aksfleet does not reproduce`,
      { pos: { file } },
    );
  }
  if (places.length === 0) return 'failed';
  if (!json && toGoYaml(doc.value).trim() !== text.trim()) {
    throw new InputError(
      `${where}: the replacement writes inside the YAML text of field "${field}", ` +
        `which kustomize v5.8 rewrites keeping its comments, key order and styles; ` +
        `aksfleet does not reproduce that for this text (only sorted, block-style YAML without comments)`,
      { pos: { file } },
    );
  }
  for (const pl of places) {
    if (assign(pl)) continue;
    if (json) return 'failed';
    throw new InputError(
      `${where}: the value does not fit the type of its target inside the YAML text of field "${field}" ` +
        `(kustomize v5.8 would write it with an explicit tag such as !!int); aksfleet refuses it`,
      { pos: { file } },
    );
  }
  const out = json
    ? goJson(doc.value, text.includes('\n') && text.includes('  ') ? '' : undefined)
    : toGoYaml(doc.value).trim();
  found.place.set(out);
  return 'written';
}

/**
 * Whether the ordinary path reaches a place once it may also run into parsed scalar texts (kyaml v0.21's PathMatcher,
 * which then writes into a copy: nothing changes).
 */
export function reachesThroughText(
  root: unknown,
  segs: readonly string[],
  create: 'map' | 'seq' | 'scalar' | undefined,
): boolean {
  for (let i = 1; i < segs.length; i++) {
    for (const pl of match(root, segs.slice(0, i), undefined)) {
      const v = pl.get();
      if (typeof v !== 'string') continue;
      const doc = parseDocument(v);
      if (
        doc &&
        doc.value !== null &&
        typeof doc.value === 'object' &&
        match(structuredClone(doc.value), segs.slice(i), create).length > 0
      )
        return true;
    }
  }
  return false;
}
