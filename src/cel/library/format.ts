/**
 * The Kubernetes format library (k8s.io/apiserver/pkg/cel/library/format.go): named formats
 * (`format.dns1123Label()`, `format.named("uri")`) whose `validate(s)` is an empty optional
 * when `s` is valid, else the validation messages of k8s.io/apimachinery.
 */
import { Optional } from '../values.js';
import { re2 } from './regex.js';
import { parseRequestURI } from './url.js';
import { namespaced, type CelRegistrar } from './types.js';

/** A named format. */
export class Format {
  readonly celType = 'kubernetes.NamedFormat';
  constructor(
    readonly name: string,
    readonly validate: (s: string) => string[],
  ) {}
  toString(): string {
    return this.name;
  }
}

const LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const SUBDOMAIN = `${LABEL}(\\.${LABEL})*`;
const DNS1035 = '[a-z]([-a-z0-9]*[a-z0-9])?';
const KEY = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const VALUE = `(${KEY})?`;
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', " +
  'and must start and end with an alphanumeric character';
const SUBDOMAIN_MSG =
  'a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, ' +
  "'-' or '.', and must start and end with an alphanumeric character";
const DNS1035_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', " +
  'start with an alphabetic character, and end with an alphanumeric character';
const KEY_MSG =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const VALUE_MSG =
  'a valid label must be an empty string or consist of alphanumeric characters, ' +
  "'-', '_' or '.', and must start and end with an alphanumeric character";

const full =
  (re: string) =>
  (s: string): boolean =>
    re2(`^${re}$`).matcher(s).find();
const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

function regexError(msg: string, re: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${re}')`;
  return `${msg} (e.g. ${examples.map((e) => `'${e}', `).join(' or ')}regex used for validation is '${re}')`;
}

function dns1123Label(s: string): string[] {
  const errs: string[] = [];
  if (bytes(s) > 63) errs.push('must be no more than 63 characters');
  if (!full(LABEL)(s))
    errs.push(full(SUBDOMAIN)(s) ? 'must not contain dots' : regexError(LABEL_MSG, LABEL, 'my-name', '123-abc'));
  return errs;
}

function dns1123Subdomain(s: string, unit = 'characters'): string[] {
  const errs: string[] = [];
  if (bytes(s) > 253) errs.push(`must be no more than 253 ${unit}`);
  if (!full(SUBDOMAIN)(s)) errs.push(regexError(SUBDOMAIN_MSG, SUBDOMAIN, 'example.com'));
  return errs;
}

function dns1035Label(s: string): string[] {
  const errs: string[] = [];
  if (bytes(s) > 63) errs.push('must be no more than 63 characters');
  if (!full(DNS1035)(s)) errs.push(regexError(DNS1035_MSG, DNS1035, 'my-name', 'abc-123'));
  return errs;
}

function qualifiedName(s: string): string[] {
  const errs: string[] = [];
  const parts = s.split('/');
  let name: string;
  if (parts.length === 1) name = parts[0];
  else if (parts.length === 2) {
    name = parts[1];
    if (parts[0] === '') errs.push('prefix part must be non-empty');
    else errs.push(...dns1123Subdomain(parts[0], 'bytes').map((m) => `prefix part ${m}`));
  } else {
    return [
      `a valid label key ${regexError(KEY_MSG, KEY, 'MyName', 'my.name', '123-abc')} ` +
        `with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (bytes(name) > 63) errs.push('name part must be no more than 63 bytes');
  if (!full(KEY)(name)) errs.push(`name part ${regexError(KEY_MSG, KEY, 'MyName', 'my.name', '123-abc')}`);
  return errs;
}

function labelValue(s: string): string[] {
  const errs: string[] = [];
  if (bytes(s) > 63) errs.push('must be no more than 63 bytes');
  if (!full(VALUE)(s)) errs.push(regexError(VALUE_MSG, VALUE, 'MyValue', 'my_value', '12345'));
  return errs;
}

const maskTrailingDash = (s: string): string => (s.length > 1 && s.endsWith('-') ? `${s.slice(0, -2)}a` : s);

/** A real calendar date YYYY-MM-DD. */
function validDate(s: string): boolean {
  const [y, m, d] = s.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

const UUID = '^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$';

/** The formats by their CEL names (format.go ConstantFormats). */
export const FORMATS: ReadonlyMap<string, Format> = new Map([
  ['dns1123Label', new Format('DNS1123Label', dns1123Label)],
  ['dns1123Subdomain', new Format('DNS1123Subdomain', (s) => dns1123Subdomain(s))],
  ['dns1035Label', new Format('DNS1035Label', dns1035Label)],
  ['qualifiedName', new Format('QualifiedName', qualifiedName)],
  ['dns1123LabelPrefix', new Format('DNS1123LabelPrefix', (s) => dns1123Label(maskTrailingDash(s)))],
  ['dns1123SubdomainPrefix', new Format('DNS1123SubdomainPrefix', (s) => dns1123Subdomain(maskTrailingDash(s)))],
  ['dns1035LabelPrefix', new Format('DNS1035LabelPrefix', (s) => dns1035Label(maskTrailingDash(s)))],
  ['labelValue', new Format('LabelValue', labelValue)],
  [
    'uri',
    new Format('URI', (s) => {
      const r = parseRequestURI(s);
      return r.error ? [r.error] : [];
    }),
  ],
  [
    'uuid',
    new Format('uuid', (s) => (re2(UUID).matcher(s.toLowerCase()).find() ? [] : ['does not match the UUID format'])),
  ],
  [
    'byte',
    new Format('byte', (s) => (/^[A-Za-z0-9+/]*={0,2}$/.test(s) && s.length % 4 === 0 ? [] : ['invalid base64'])),
  ],
  ['date', new Format('date', (s) => (/^\d{4}-\d{2}-\d{2}$/.test(s) && validDate(s) ? [] : ['invalid date']))],
  [
    'datetime',
    new Format('datetime', (s) =>
      /^\d{4}-\d{2}-\d{2}[Tt ]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(s) &&
      validDate(s.slice(0, 10))
        ? []
        : ['invalid datetime'],
    ),
  ],
]);

export function registerFormat(env: CelRegistrar): void {
  const F = 'kubernetes.NamedFormat';
  env.registerType(F, Format);
  for (const [name, f] of FORMATS) namespaced(env, `format.${name}`, [], F, () => f);
  namespaced(env, 'format.named', ['string'], `optional<${F}>`, (name: string) => {
    const f = FORMATS.get(name);
    return f ? Optional.of(f) : Optional.none();
  });
  env.registerOperator(`${F} == ${F}`, (a: Format, b: Format) => a.name === b.name);
  env.registerFunction(`${F}.validate(string): optional<list<string>>`, (f: Format, s: string) => {
    const errs = f.validate(s);
    return errs.length ? Optional.of(errs) : Optional.none();
  });
}
