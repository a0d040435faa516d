/**
 * The content stores of one run of a command that renders (check, build, diff, check --watch):
 * opened unless `--no-cache` (src/incremental/build-cache-dir.ts `openContentStores`, and the
 * admission verdicts beside them here), finished once at the end. What they did is an info
 * diagnostic of the session; a corrupt entry (not trusted, made again) is said on stderr as
 * `note: ...`, never silent.
 */
import { join } from 'node:path';
import { DiskContentStore } from '../content-store.js';
import { engineDigest } from '../flux/build/build-cache.js';
import { openContentStores, type OpenStores } from '../incremental/build-cache-dir.js';
import type { Session } from '../session/session.js';
import type { Io } from './command.js';

/** The size bound of the admission verdict store (src/admission/verdict-cache.ts), least recently used out first. */
export const VERDICT_STORE_MAX_BYTES = 128 * 2 ** 20;

/** The stores of a run: chart renders, compiled validators and admission verdicts. */
export interface RunStores extends OpenStores {
  readonly verdicts: DiskContentStore;
}

/** The stores of the repository at `root`, or undefined with `--no-cache` or when they have no place. */
export function openRunStores(
  root: string,
  io: Pick<Io, 'env'>,
  flags: Readonly<Record<string, unknown>>,
): RunStores | undefined {
  const stores = flags['no-cache'] === true ? undefined : openContentStores(root, io.env);
  if (!stores) return undefined;
  const verdicts = new DiskContentStore(join(stores.dir, 'verdicts'), {
    salt: engineDigest(),
    maxBytes: VERDICT_STORE_MAX_BYTES,
  });
  return {
    ...stores,
    verdicts,
    finish: () => {
      const [summary, ...notes] = stores.finish();
      verdicts.finish();
      const v = verdicts.stats;
      const evicted = v.evicted ? `, ${v.evicted} evicted` : '';
      return [
        `${summary}; admission verdicts ${v.hits} read, ${v.written} written${evicted}`,
        ...notes,
        ...verdicts.notes,
      ];
    },
  };
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
