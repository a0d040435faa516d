import { locationPrefix } from '../../diagnostic.js';
import { InputError } from '../../errors.js';
import type { BuildIssue } from './types.js';

/** An issue from a thrown error; InputErrors keep their position (mapped to repo paths). */
export function issueFromError(
  e: unknown,
  toRepoPath: (f: string) => string,
  extra: Partial<BuildIssue> = {},
): BuildIssue[] {
  if (e instanceof InputError) {
    return [e, ...e.more].map((x) => ({
      message: x.message,
      file: x.pos?.file !== undefined ? toRepoPath(x.pos.file) : extra.file,
      line: x.pos?.line ?? (x.pos ? undefined : extra.line),
      column: x.pos?.column,
      fieldPath: x.fieldPath ?? extra.fieldPath,
      ...(extra.chain ? { chain: extra.chain } : {}),
      ...(extra.object ? { object: extra.object } : {}),
      ...(x.offline ? { offline: true as const } : {}),
    }));
  }
  // Anything else is a bug (exit 3 at the CLI boundary), not bad input.
  throw e;
}

/** `file:line:col: field: message (via a -> b)` */
export function formatIssue(i: BuildIssue): string {
  const loc = locationPrefix({ file: i.file, line: i.line, column: i.column });
  const field = i.fieldPath ? `${i.fieldPath}: ` : '';
  const obj = i.object ? `${i.object}: ` : '';
  const chain = i.chain?.length ? ` (Kustomization ${i.chain.join(' -> ')})` : '';
  return `${loc}${obj}${field}${i.message}${chain}`;
}
