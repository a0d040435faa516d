/**
 * The packed file list against the allow-list (packed-files.txt): every packed file allowed by a
 * line, every `required` line matched, and nothing that is a test, a test helper, a fixture or
 * bench, whatever the list says.
 */
export interface AllowLine {
  readonly glob: string;
  readonly required: boolean;
  readonly re: RegExp;
  readonly line: number;
}

/** `*` within a folder, `**\/` across folders (zero or more), everything else literal. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (glob.startsWith('**/', i)) {
      re += '(?:[^/]+/)*';
      i += 2;
    } else if (c === '*') re += '[^/]*';
    else re += c.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

export function parseAllowList(text: string): AllowLine[] {
  const out: AllowLine[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const m = /^(required\s+)?(\S+)$/.exec(line);
    if (!m) throw new Error(`packed-files.txt:${i + 1}: expected 'GLOB' or 'required GLOB', got '${line}'`);
    out.push({ glob: m[2]!, required: !!m[1], re: globToRegExp(m[2]!), line: i + 1 });
  });
  return out;
}

/** Never shipped: tests, test helpers, fixtures, bench, source maps, TypeScript sources. */
export const NEVER_PACKED =
  /(^|\/)(test|tests|fixtures|testing|bench|test-artifacts)\/|\.test\.|(^|\/)testing\.(js|d\.ts)$|\.map$|(^|\/)src\/|\.ts$(?<!\.d\.ts)/;

/** What is wrong with a packed file list: one line per problem, [] when it matches. */
export function checkPackedFiles(files: readonly string[], allow: readonly AllowLine[]): string[] {
  const problems: string[] = [];
  for (const f of [...files].sort()) {
    if (NEVER_PACKED.test(f)) problems.push(`${f}: a test, test helper, fixture or bench file is packed`);
    else if (!allow.some((a) => a.re.test(f))) problems.push(`${f}: packed, but no line of packed-files.txt allows it`);
  }
  for (const a of allow)
    if (a.required && !files.some((f) => a.re.test(f)))
      problems.push(`packed-files.txt:${a.line}: required '${a.glob}' is not packed`);
  return problems;
}
