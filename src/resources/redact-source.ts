/**
 * Masking secret values in source text (the console shows source files next to rendered
 * objects): values under `data`/`stringData` of Secrets and SOPS-encrypted values are replaced,
 * line structure kept so that line numbers still point at the right place.
 */
import { parseAllDocuments, isMap, isPair, isScalar, visit, type Node } from 'yaml';

export const SOURCE_MASK = '**REDACTED**';

function maskRange(text: string, start: number, end: number): string {
  // Keep newlines (and indentation after them) so every line keeps its number.
  const seg = text.slice(start, end);
  const masked = seg
    .split('\n')
    .map((line, i) => (i === 0 ? SOURCE_MASK : line.replace(/^(\s*)\S.*$/, `$1${SOURCE_MASK}`)))
    .join('\n');
  return text.slice(0, start) + masked + text.slice(end);
}

/** The text with Secret and SOPS values masked; a Secret file that does not parse is withheld. */
export function redactSourceText(text: string): string {
  if (!/kind:\s*["']?Secret\b|ENC\[|^\s*sops:/m.test(text)) return text;
  const ranges: [number, number][] = [];
  try {
    for (const doc of parseAllDocuments(text, { uniqueKeys: false })) {
      if (doc.errors.length) throw new Error('parse');
      const root = doc.contents as Node | null;
      if (!isMap(root)) continue;
      const kind = root.get('kind');
      if (kind === 'Secret') {
        for (const key of ['data', 'stringData']) {
          const m = root.get(key, true);
          if (isMap(m)) for (const p of m.items) if (isPair(p) && p.value && (p.value as Node).range) ranges.push([(p.value as Node).range![0], (p.value as Node).range![1]]);
        }
      }
      const sops = root.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === 'sops');
      if (sops && sops.value && (sops.value as Node).range) ranges.push([(sops.value as Node).range![0], (sops.value as Node).range![1]]);
      visit(root, {
        Scalar(_, node) {
          if (typeof node.value === 'string' && node.value.startsWith('ENC[') && node.range) ranges.push([node.range[0], node.range[1]]);
        },
      });
    }
  } catch {
    return '# (source withheld: it holds a Secret and does not parse, so its values cannot be masked)\n';
  }
  // Apply from the end so earlier offsets stay valid; skip ranges nested in one already masked.
  ranges.sort((a, b) => b[0] - a[0]);
  let out = text;
  let lastStart = Infinity;
  for (const [s, e] of ranges) {
    if (e > lastStart) continue;
    out = maskRange(out, s, e);
    lastStart = s;
  }
  return out;
}

/**
 * Masks `secretGenerator[].literals` values in a kustomization file and returns the files its
 * secretGenerator reads (`files`, `envs`, `env`), relative to the kustomization directory, so
 * that the caller withholds them.
 */
export function redactKustomizationText(text: string): { text: string; secretInputs: string[] } {
  const inputs: string[] = [];
  const ranges: [number, number][] = [];
  try {
    for (const doc of parseAllDocuments(text, { uniqueKeys: false })) {
      if (doc.errors.length) throw new Error('parse');
      const root = doc.contents as Node | null;
      if (!isMap(root)) continue;
      const gens = root.get('secretGenerator', true) as Node | undefined;
      if (!gens || !('items' in gens)) continue;
      for (const g of (gens as unknown as { items: Node[] }).items) {
        if (!isMap(g)) continue;
        const lits = g.get('literals', true) as Node | undefined;
        if (lits && 'items' in lits)
          for (const l of (lits as unknown as { items: Node[] }).items) {
            if (isScalar(l) && typeof l.value === 'string' && l.range) ranges.push([l.range[0], l.range[1]]);
          }
        for (const key of ['files', 'envs', 'env']) {
          const v = g.get(key, true) as Node | undefined;
          const items = v && 'items' in v ? (v as unknown as { items: Node[] }).items : v ? [v] : [];
          for (const it of items) if (isScalar(it) && typeof it.value === 'string') inputs.push(it.value.includes('=') ? it.value.slice(it.value.indexOf('=') + 1) : it.value);
        }
      }
    }
  } catch {
    return { text: /secretGenerator/.test(text) ? '# (source withheld: it has a secretGenerator and does not parse)\n' : text, secretInputs: inputs };
  }
  ranges.sort((a, b) => b[0] - a[0]);
  let out = text;
  for (const [s, e] of ranges) {
    const lit = out.slice(s, e);
    const eq = lit.indexOf('=');
    out = out.slice(0, s) + (eq >= 0 ? `${lit.slice(0, eq + 1)}${SOURCE_MASK}` : SOURCE_MASK) + out.slice(e);
  }
  return { text: out, secretInputs: inputs };
}
