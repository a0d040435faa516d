/**
 * The render engines (src/flux/render-engines.ts: Helm, Go templates) as a dependency of the
 * build, loaded only when a build needs them. A build given none that reaches a chart to load or
 * a ResourceSet to render throws `RenderEnginesNotLoaded` (never a partial result): the caller
 * loads them (`loadRenderEngines`, an `import()`) and builds again, the memoised stages answering
 * from the first pass. `buildCluster` from src/flux (the library entry) gives them by default.
 */
import type { RenderEngines } from '../render-engines.js';

export type { RenderEngines } from '../render-engines.js';

/** A build needed the render engines and was given none (caught by the caller, which loads them). */
export class RenderEnginesNotLoaded extends Error {
  constructor(what: string) {
    super(`the render engines are not loaded (needed for ${what})`);
    this.name = 'RenderEnginesNotLoaded';
  }
}

/** The engines given, else RenderEnginesNotLoaded for `what` needs them. */
export function needEngines(engines: RenderEngines | undefined, what: string): RenderEngines {
  if (!engines) throw new RenderEnginesNotLoaded(what);
  return engines;
}

/** The render engines, loaded (once per process: node keeps the module). */
export async function loadRenderEngines(): Promise<RenderEngines> {
  return (await import('../render-engines.js')).RENDER_ENGINES;
}
