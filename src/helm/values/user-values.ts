/**
 * The user's values as `helm template` assembles them (pkg/cli/values Options.MergeValues): every
 * `-f` file merged in order, then every `--set-json`, `--set`, `--set-string`, in that order
 * (whatever order they were typed in).
 */
import { readFileSync } from 'node:fs';
import { InputError } from '../../errors.js';
import type { GoMap } from '../../gotemplate/value.js';
import { isTable } from './copy.js';
import { loadValuesText, mergeMaps } from './load-values.js';
import { parseSetInto, parseSetJsonInto, parseSetStringInto } from './strvals.js';

/** The value flags of `helm template` / `helm install`. */
export interface ValueOptions {
  /** `-f/--values` files, in order (a path; `-` is not supported). */
  readonly valueFiles?: readonly string[];
  readonly values?: readonly string[];
  readonly stringValues?: readonly string[];
  readonly jsonValues?: readonly string[];
  /** Reads a values file (default: from disk). */
  readonly readFile?: (path: string) => string;
}

/** Merges the user's values as Helm does. Throws InputError with Helm's messages. */
export function mergeUserValues(opts: ValueOptions): GoMap {
  const read = opts.readFile ?? ((p: string) => readFileSync(p, 'utf8'));
  let base: GoMap = {};
  for (const file of opts.valueFiles ?? []) {
    let raw: string;
    try {
      raw = read(file);
    } catch {
      throw new InputError(`open ${file}: no such file or directory`);
    }
    base = mergeMaps(base, loadValuesText(raw, file, `failed to parse ${file}`));
  }
  for (const value of opts.jsonValues ?? []) {
    const trimmed = value.trim();
    if (trimmed.length > 0 && trimmed[0] === '{') {
      let m: unknown;
      try {
        m = JSON.parse(trimmed);
      } catch {
        throw new InputError(`failed parsing --set-json data JSON: ${value}`);
      }
      if (!isTable(m as GoMap) && m !== null) throw new InputError(`failed parsing --set-json data JSON: ${value}`);
      base = mergeMaps(base, (m as GoMap | null) ?? {});
    } else {
      try {
        parseSetJsonInto(value, base);
      } catch {
        throw new InputError(`failed parsing --set-json data ${value}`);
      }
    }
  }
  for (const value of opts.values ?? []) {
    try {
      parseSetInto(value, base);
    } catch (e) {
      throw new InputError(`failed parsing --set data: ${(e as Error).message}`);
    }
  }
  for (const value of opts.stringValues ?? []) {
    try {
      parseSetStringInto(value, base);
    } catch (e) {
      throw new InputError(`failed parsing --set-string data: ${(e as Error).message}`);
    }
  }
  return base;
}
