/**
 * The `--vars FILE` of `aksfleet build`: the values of substituteFrom ConfigMaps/Secrets that
 * exist only in the cluster. Either `KEY=VALUE` lines (`#` comments, blank lines, optional
 * `export `) or a YAML map of strings.
 */
import { InputError } from '../../errors.js';
import { parseYamlDocuments } from '../../yaml/parse.js';
import { isPlainObject } from '../../resources/resource.js';

export function parseVarsFile(text: string, file: string): Record<string, string> {
  const lines = text.split(/\r?\n/);
  const meaningful = lines.map((l, i) => ({ l: l.trim(), i })).filter(({ l }) => l !== '' && !l.startsWith('#'));
  const looksEnv = meaningful.length > 0 && meaningful.every(({ l }) => /^(export\s+)?[A-Za-z_][A-Za-z0-9_]*=/.test(l));
  const out: Record<string, string> = {};
  if (looksEnv) {
    for (const { l } of meaningful) {
      const s = l.replace(/^export\s+/, '');
      const eq = s.indexOf('=');
      let v = s.slice(eq + 1);
      if (v.length >= 2 && ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))))
        v = v.slice(1, -1);
      out[s.slice(0, eq)] = v;
    }
    return out;
  }
  const docs = parseYamlDocuments(text, file);
  const d = docs[0];
  if (!d) return out;
  if (!isPlainObject(d.value))
    throw new InputError('expected KEY=VALUE lines or a YAML map of variables', { pos: { file, line: d.line } });
  for (const [k, v] of Object.entries(d.value)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
    else {
      const p = d.posOf([k]);
      throw new InputError('expected a string value', { pos: { file, line: p.line, column: p.column }, fieldPath: k });
    }
  }
  return out;
}
