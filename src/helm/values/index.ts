/**
 * Helm values (pkg/chart/common/util, pkg/chart/v2/util/dependencies.go, pkg/strvals,
 * pkg/cli/values): coalescing, dependency processing, `--set` parsing, user values, schema.
 */
export { coalesceValues, mergeValues, coalesceTables, mergeTables, CoalesceError, type Warn } from './coalesce.js';
export { processDependencies, checkDependencies, tableAt } from './dependencies.js';
export { mergeUserValues, type ValueOptions } from './user-values.js';
export { parseSetInto, parseSetStringInto, parseSetJsonInto, typedVal, StrvalsError } from './strvals.js';
export { loadValuesText, mergeMaps } from './load-values.js';
export { validateValuesAgainstSchema } from './schema.js';
export { deepCopy, isTable } from './copy.js';
