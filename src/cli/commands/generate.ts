import { notYet } from './not-yet.js';

export default notYet('generate', 'generate the Flux repo and cluster IaC from fleet.yaml', 'aksfleet generate [-f fleet.yaml] [-o dir] [--force] [--dry-run]', 'the foundation issue', { file: { type: 'string', short: 'f' }, output: { type: 'string', short: 'o' }, force: { type: 'boolean' }, 'dry-run': { type: 'boolean' } });
