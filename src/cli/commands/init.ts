import { notYet } from './not-yet.js';

export default notYet('init', 'write <dir>/fleet.yaml: the example fleet', 'aksfleet init <dir> [--force]', 'the foundation issue', { force: { type: 'boolean' } });
