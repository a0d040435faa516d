/**
 * The YAML round trip of Flux's postBuild substitution: the object is written as YAML
 * (kustomize's AsYAML: go-yaml v2 style: single quotes, literal blocks, every string that YAML
 * 1.1 would read as something else is quoted), envsubst runs on that text, and the result is
 * read back with go-yaml v2 (YAML 1.1: `yes`/`on`/`y` are booleans, `0755` is octal; timestamps
 * and base-60 numbers stay strings), so only text that envsubst inserted changes type.
 */
import { Document, parseAllDocuments, stringify, type Tags } from 'yaml';
import { fastParseGoYaml, type FastDoc, type FastResolver } from '../../yaml/fast-block.js';
import { schemaResolver } from '../../yaml/parse.js';

/** The object as the text envsubst sees. */
export function emitForSubstitution(obj: unknown): string {
  return stringify(obj, {
    version: '1.1',
    singleQuote: true,
    blockQuote: 'literal',
    lineWidth: 0,
    minContentWidth: 0,
    indentSeq: false,
    aliasDuplicateObjects: false,
    sortMapEntries: false,
  });
}

/** go-yaml v2's YAMLToJSON resolves neither timestamps nor sexagesimal numbers. */
/** Go's strconv.ParseInt(s, 0, 64), which go-yaml v2 uses, also reads `0o`, `0O`, `0X` and `0B` prefixes. */
const goPrefixedInt = (re: RegExp, radix: number) => ({
  identify: (v: unknown) => typeof v === 'number',
  default: true,
  tag: 'tag:yaml.org,2002:int',
  test: re,
  resolve: (s: string) => {
    const n = parseInt(s.replace(/^[-+]?0[a-zA-Z]/, '').replace(/_/g, ''), radix);
    return s.startsWith('-') ? -n : n;
  },
});
const GO_INTS = [
  goPrefixedInt(/^[-+]?0[oO][0-7_]+$/, 8),
  goPrefixedInt(/^[-+]?0X[0-9a-fA-F_]+$/, 16),
  goPrefixedInt(/^[-+]?0B[01_]+$/, 2),
];

const goYamlV2Tags = (tags: Tags): Tags =>
  [...tags, ...(GO_INTS as unknown as Tags)].filter((t) => {
    const tag = (t as { tag?: string }).tag;
    const testSrc = (t as { test?: RegExp }).test?.source ?? '';
    if (tag === 'tag:yaml.org,2002:timestamp') return false;
    if ((tag === 'tag:yaml.org,2002:int' || tag === 'tag:yaml.org,2002:float') && testSrc.includes('(?::'))
      return false;
    return true;
  });

export class Yaml11Error extends Error {}

const PARSE_OPTIONS = { version: '1.1', customTags: goYamlV2Tags, uniqueKeys: true, merge: true } as const;
let resolver: FastResolver | undefined;

/** Reads the substituted text back (YAML 1.1, go-yaml v2 typing). Throws Yaml11Error. */
export function parseYaml11Object(text: string): unknown {
  // The fast path: fast-block.ts with this schema's own scalar resolution; it declines anything
  // uncertain (and anything the library would refuse), and then the library reads the text.
  const fast = parseYaml11Fast(text);
  if (fast) return fast[0]?.index === 0 ? fast[0].value : null;
  return parseYaml11Full(text);
}

/** The fast reader alone: its documents, or undefined when it declines. */
export function parseYaml11Fast(text: string): readonly FastDoc[] | undefined {
  if (text.indexOf('\r') !== -1 || text.charCodeAt(0) === 0xfeff) return undefined;
  if (!resolver) {
    const doc = new Document(null, PARSE_OPTIONS);
    resolver = schemaResolver(doc.schema, doc.options);
  }
  return fastParseGoYaml(text, { dialect: 'v3', annotationsAsText: false, resolver });
}

/** The full reader (the npm yaml library). */
export function parseYaml11Full(text: string): unknown {
  const docs = parseAllDocuments(text, { ...PARSE_OPTIONS, prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [docs];
  const first = list[0];
  if (!first) return null;
  const err = first.errors[0];
  if (err) throw new Yaml11Error(err.message.split('\n')[0]!);
  return first.toJS({ maxAliasCount: 1000 });
}
