/** How serious a finding is: the one Severity of src/diagnostic.ts (config.ts and types.ts both need it). */
export { SEVERITIES, severityRank, type Severity } from '../diagnostic.js';
