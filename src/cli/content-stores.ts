/**
 * The content stores of one run of a command that renders (check, build, diff, check --watch):
 * opened unless `--no-cache` (src/incremental/build-cache-dir.ts `openContentStores`: chart renders,
 * compiled validators, admission verdicts), finished once at the end. What they did is an info
 * diagnostic of the session; a corrupt entry (not trusted, made again) is said on stderr as
 * `note: ...`, never silent.
 */
import { openContentStores, type OpenStores } from '../incremental/build-cache-dir.js';
import type { Session } from '../session/session.js';
import type { Io } from './command.js';

/** The stores of a run: chart renders, compiled validators and admission verdicts (`--jobs` workers open the same). */
export type RunStores = OpenStores;

/** The stores of the repository at `root`, or undefined with `--no-cache` or when they have no place. */
export function openRunStores(
  root: string,
  io: Pick<Io, 'env'>,
  flags: Readonly<Record<string, unknown>>,
): RunStores | undefined {
  return flags['no-cache'] === true ? undefined : openContentStores(root, io.env);
}

/** Says the notes of `stores` from the `from`-th on (corrupt entries); returns how many it has. */
export function sayStoreNotes(stores: RunStores, session: Session, err: (t: string) => void, from = 0): number {
  const notes = [...stores.renders.notes, ...stores.validators.notes, ...stores.verdicts.notes];
  for (const n of notes.slice(from)) {
    session.diagnostics.push({ severity: 'warning', code: 'content-store', message: n });
    err(`note: ${n}\n`);
  }
  return notes.length;
}

/** Ends the run's stores: evicts beyond their bounds, records what they did, says their notes from `from` on. */
export function finishRunStores(
  stores: RunStores | undefined,
  session: Session,
  err: (t: string) => void,
  from = 0,
): void {
  if (!stores) return;
  const [summary] = stores.finish();
  session.diagnostics.push({ severity: 'info', code: 'content-store', message: summary! });
  sayStoreNotes(stores, session, err, from);
}
