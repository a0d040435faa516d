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
