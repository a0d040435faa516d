/**
 * The model `aksfleet ui --watch` serves, swapped whole: requests get the last complete model
 * while the next is computed (never part of one), and `/api/revision` tells the page which one it
 * is, whether a recompute is under way, and why the last one failed (the input error and where),
 * in which case the model served is the last good one, marked stale.
 */
import type { SourceLocation } from '../diagnostic.js';
import type { ConsoleModel } from './model.js';

/** What `/api/revision` answers. */
export interface ConsoleRevision {
  /** Whether the console recomputes its model after a save (`aksfleet ui --watch`). */
  readonly watching: boolean;
  /** Number of the model served: 1 for the first, one more for each model published after it (0: none yet). */
  readonly revision: number;
  /** When the model served was published (ISO 8601, UTC). */
  readonly updatedAt?: string;
  /** `checking`: a recompute is under way (the model served is the last complete one). */
  readonly state: 'ready' | 'checking';
  /** The last recompute failed: the model served is older than the files on disk. */
  readonly stale: boolean;
  /** Why the last recompute failed, with where when the input error says. */
  readonly error?: { readonly message: string; readonly location?: SourceLocation };
  /** The last recompute that published a model: clusters checked again, of how many, and its time. */
  readonly last?: { readonly checked: number; readonly total: number; readonly ms: number };
}

export class LiveModel {
  private model: ConsoleModel | undefined;
  private info: ConsoleRevision;

  constructor(watching: boolean) {
    this.info = { watching, revision: 0, state: 'checking', stale: false };
  }

  /** The last complete model; throws before the first one (the server answers 503). */
  current(): ConsoleModel {
    if (!this.model) throw new ModelNotReady();
    return this.model;
  }

  revision(): ConsoleRevision {
    return this.info;
  }

  /** A recompute starts: the model served stays the last complete one. */
  checking(): void {
    this.info = { ...this.info, state: 'checking' };
  }

  /** A complete model replaces the one served, in one assignment. */
  publish(model: ConsoleModel, last?: ConsoleRevision['last'], now = new Date()): void {
    this.model = model;
    const { error: _error, ...rest } = this.info;
    this.info = {
      ...rest,
      revision: this.info.revision + 1,
      updatedAt: now.toISOString(),
      state: 'ready',
      stale: false,
      ...(last ? { last } : {}),
    };
  }

  /** A recompute failed: the model served stays (stale when there is one), the error is told. */
  fail(message: string, location?: SourceLocation): void {
    this.info = {
      ...this.info,
      state: 'ready',
      stale: this.model !== undefined,
      error: { message, ...(location ? { location } : {}) },
    };
  }
}

/** A request before the first model is complete. */
export class ModelNotReady extends Error {
  constructor() {
    super('the console is computing its first model: try again in a moment');
  }
}
