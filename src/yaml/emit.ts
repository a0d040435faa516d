/**
 * Writing YAML deterministically. Generators build objects in a deliberate key order; this keeps
 * that order (or sorts, when asked), never folds long lines, and writes block style.
 */
import { Document, stringify, visit } from 'yaml';

export interface EmitOptions {
  /** Sort every map's keys (byte order). Default false: keep insertion order. */
  readonly sortKeys?: boolean;
  /**
   * Quote every string a YAML 1.1 reader would take for something else (`yes`, `on`, `y`, `~`,
   * `010`, `1_000`, `12:30`, `2024-01-01`, ...). Flux reads kustomization.yaml and re-reads built
   * objects with sigs.k8s.io/yaml (YAML 1.1). Default false.
   */
  readonly yaml11Safe?: boolean;
}

/** Plain scalars that YAML 1.1 resolves to bool, null, int, float or timestamp. */
const YAML11_NOT_A_STRING = new RegExp(
  `^(?:${[
    'y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF', // bool
    '~|null|Null|NULL', // null
    '[-+]?0b[01_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+', // int: 2, 8, 10, 16
    '[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+', // int: base 60
    String.raw`[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+]?[0-9]+)?`, // float
    String.raw`[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*`, // float: base 60
    String.raw`[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)`, // float: infinity, not a number
    String.raw`[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]|[ \t]+).*)?`, // timestamp
  ].join('|')})$`,
);

/** One value as a YAML document body (ends with a newline). */
export function toYaml(value: unknown, opts: EmitOptions = {}): string {
  const options = {
    sortMapEntries: opts.sortKeys ?? false,
    lineWidth: 0,
    minContentWidth: 0,
    indentSeq: false,
    aliasDuplicateObjects: false,
    version: '1.2',
    defaultKeyType: 'PLAIN',
    defaultStringType: 'PLAIN',
    doubleQuotedAsJSON: true,
  } as const;
  if (!opts.yaml11Safe) return stringify(value, options);
  const doc = new Document(value, options);
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && YAML11_NOT_A_STRING.test(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  return doc.toString(options);
}

/** Several values as a multi-document YAML stream, separated by `---`. */
export function toYamlStream(values: readonly unknown[], opts: EmitOptions = {}): string {
  return values.map((v) => toYaml(v, opts)).join('---\n');
}
