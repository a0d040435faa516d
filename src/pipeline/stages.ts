/**
 * Pipelines as ordered lists of named stages (kustomize's transformer list, OPA's compiler
 * stages): the list is the code that runs, and what the docs, the timings and `--explain` read.
 * A stage reads and updates the pipeline's state; returning 'stop' ends the pipeline. This
 * module knows no engine: the Flux build (src/flux/build/stages.ts) is one such list, the
 * HelmRelease render and policy admission are meant to be others.
 */

/** One named step of a pipeline over a state of type S. */
export interface Stage<S> {
  /** Short and stable (`kustomize-build`): the key of its timings and of the docs. */
  readonly name: string;
  /** What it does, in one line (docs/architecture.md lists them). */
  readonly does: string;
  // biome-ignore lint/suspicious/noConfusingVoidType: a stage that returns nothing goes on; only 'stop' ends the list
  run(state: S): void | 'stop';
}

/** Time spent per stage, summed over every run (a session keeps one: bench and `--explain` read it). */
export class StageTimings {
  private readonly byStage = new Map<string, { runs: number; ms: number }>();

  add(stage: string, ms: number): void {
    const t = this.byStage.get(stage) ?? { runs: 0, ms: 0 };
    t.runs++;
    t.ms += ms;
    this.byStage.set(stage, t);
  }

  /** Every stage that ran, in the order each first ran, with its runs and total milliseconds. */
  list(): { stage: string; runs: number; ms: number }[] {
    return [...this.byStage].map(([stage, t]) => ({ stage, runs: t.runs, ms: Math.round(t.ms * 10) / 10 }));
  }
}

/**
 * Runs the stages in order over `state` until one returns 'stop'; with `timings`, each stage's
 * time is added under `prefix + name`; with `observe`, it is called after each stage that ran
 * (`--explain` reads the state there: field-trace.ts). Returns whether every stage ran.
 */
export function runStages<S>(
  stages: readonly Stage<S>[],
  state: S,
  timings?: StageTimings,
  prefix = '',
  observe?: (stage: string, state: S) => void,
): boolean {
  for (const stage of stages) {
    const t0 = timings ? performance.now() : 0;
    const go = stage.run(state);
    if (timings) timings.add(prefix + stage.name, performance.now() - t0);
    observe?.(stage.name, state);
    if (go === 'stop') return false;
  }
  return true;
}
