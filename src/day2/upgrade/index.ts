/** The fleet upgrade planner's public API: read state -> plan (pure) -> render. */
export { planUpgrade, planCluster, resolveTarget, blockers, type PlanInput } from './planner.js';
export { simulate, type Violation } from './simulate.js';
export { parseStateFile, stateFromSpec, clusterFromManagedCluster } from './state.js';
export { readLiveState } from './live.js';
export { drainBlockers } from './pdb.js';
export { surgeNodes } from './surge.js';
export { loadUpgradeRules, parseUpgradeRules } from './rules.js';
export { renderMarkdown } from './render-markdown.js';
export { renderAzScript, azCommand, shq } from './render-az.js';
export { renderFleet, FLEET_API_VERSION } from './render-fleet.js';
export type * from './types.js';
