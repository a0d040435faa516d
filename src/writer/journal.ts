/**
 * The write journal (`.aksfleet/journal.json`): the renames and deletes of one write, its commit
 * point. The folder it lives in is committed with the repository, so a journal found there is
 * untrusted input until proven otherwise:
 *
 * - it must carry an HMAC-SHA256, under a key only this user's aksfleet holds (see
 *   journal-key.ts), of the output root's absolute path and the ops: a journal planted by a pull
 *   request, copied from another root or another machine, or edited, is refused;
 * - every op must be one this version writes: `rename` from `.aksfleet/staging/<n>` (or the staged
 *   manifest) to a clean path inside the root, `delete` of a clean path inside the root (never the
 *   writer's own state), checked in full before any op runs.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { InputError } from '../errors.js';
import { MANIFEST_PATH, STAGING_DIR, pathProblem } from './manifest.js';

/** One step of a write. */
export type Op =
  | { readonly op: 'rename'; readonly from: string; readonly to: string }
  | { readonly op: 'delete'; readonly path: string };

/** The staged copy of the manifest, renamed last. */
export const STAGED_MANIFEST = `${STAGING_DIR}/manifest.json`;
const STAGED_FILE = new RegExp(`^${STAGING_DIR.replace('.', '\\.')}/(0|[1-9][0-9]{0,8})$`);

/** The signed payload: the root it was written for and its ops, in a fixed serialisation. */
function payload(root: string, ops: readonly Op[]): string {
  return JSON.stringify({
    version: 1,
    root,
    ops: ops.map((o) => (o.op === 'rename' ? { op: o.op, from: o.from, to: o.to } : { op: o.op, path: o.path })),
  });
}

function mac(key: Uint8Array, root: string, ops: readonly Op[]): string {
  return createHmac('sha256', key).update(payload(root, ops)).digest('hex');
}

/** The journal file's text for a write of `ops` into `root` (absolute). */
export function serializeJournal(key: Uint8Array, root: string, ops: readonly Op[]): string {
  return `${JSON.stringify({ version: 1, ops, mac: mac(key, root, ops) })}\n`;
}

/** Why an op is not one this version could have written, or undefined when it is. */
export function opProblem(op: unknown): string | undefined {
  if (typeof op !== 'object' || op === null || Array.isArray(op)) return 'not an object';
  const o = op as Record<string, unknown>;
  const keys = Object.keys(o).sort().join(',');
  const clean = (p: unknown, what: string): string | undefined => {
    if (typeof p !== 'string') return `${what} is not a string`;
    const why = pathProblem(p);
    return why === undefined ? undefined : `${what} ${JSON.stringify(p)}: ${why}`;
  };
  if (o.op === 'delete') {
    if (keys !== 'op,path') return `unexpected fields (${keys})`;
    return clean(o.path, 'path');
  }
  if (o.op === 'rename') {
    if (keys !== 'from,op,to') return `unexpected fields (${keys})`;
    if (o.from === STAGED_MANIFEST)
      return o.to === MANIFEST_PATH ? undefined : `the staged manifest may only go to ${MANIFEST_PATH}`;
    if (typeof o.from !== 'string' || !STAGED_FILE.test(o.from))
      return `'from' is not a staged file (${STAGING_DIR}/<n>)`;
    return clean(o.to, 'to');
  }
  return `unknown op ${JSON.stringify(o.op)}`;
}

/**
 * Reads a journal found in `root` (absolute): its ops when it was written by this user's aksfleet
 * for this root and every op is valid, else an InputError (exit 2) that says why and what to do.
 * Nothing is carried out here.
 */
export function parseJournal(text: string, file: string, key: Uint8Array, root: string): Op[] {
  const refuse = (why: string) =>
    new InputError(
      `refusing to replay the write journal: ${why}. ` +
        `aksfleet only completes a write that it interrupted itself, on this machine, in this folder; ` +
        `a journal that came with the repository (a pull request can plant one) is never run. ` +
        `Delete the file (and remove it from git) after checking what it asked for.`,
      { pos: { file } },
    );
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw refuse('it is not valid JSON');
  }
  const j = raw as { version?: unknown; ops?: unknown; mac?: unknown };
  if (typeof j !== 'object' || j === null || j.version !== 1 || !Array.isArray(j.ops))
    throw refuse('it is not a journal this version writes (version 1 with an ops list)');
  const problems = j.ops.flatMap((op, i) => {
    const p = opProblem(op);
    return p === undefined ? [] : [`ops[${i}] ${JSON.stringify(op)}: ${p}`];
  });
  if (problems.length > 0)
    throw refuse(
      `it asks for what aksfleet never does: ${problems.slice(0, 5).join('; ')}` +
        `${problems.length > 5 ? `; and ${problems.length - 5} more` : ''}`,
    );
  const ops = j.ops as Op[];
  const want = Buffer.from(mac(key, root, ops), 'hex');
  const got = typeof j.mac === 'string' && /^[0-9a-f]{64}$/.test(j.mac) ? Buffer.from(j.mac, 'hex') : undefined;
  if (!got || !timingSafeEqual(got, want))
    throw refuse(
      'it was not written by an interrupted aksfleet run of this user for this folder (its signature does not match)',
    );
  return ops;
}
