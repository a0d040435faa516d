/**
 * Writing YAML deterministically. Generators build objects in a deliberate key order; this keeps
 * that order (or sorts, when asked), never folds long lines, and writes block style.
 */
import { stringify } from 'yaml';

export interface EmitOptions {
  /** Sort every map's keys (byte order). Default false: keep insertion order. */
  readonly sortKeys?: boolean;
}

/** One value as a YAML document body (ends with a newline). */
export function toYaml(value: unknown, opts: EmitOptions = {}): string {
  return stringify(value, {
    sortMapEntries: opts.sortKeys ?? false,
    lineWidth: 0,
    minContentWidth: 0,
    indentSeq: false,
    aliasDuplicateObjects: false,
    version: '1.2',
    defaultKeyType: 'PLAIN',
    defaultStringType: 'PLAIN',
    doubleQuotedAsJSON: true,
  });
}

/** Several values as a multi-document YAML stream, separated by `---`. */
export function toYamlStream(values: readonly unknown[], opts: EmitOptions = {}): string {
  return values.map((v) => toYaml(v, opts)).join('---\n');
}
