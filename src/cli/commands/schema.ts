import { notYet } from './not-yet.js';

export default notYet('schema', 'print the JSON Schema of fleet.yaml', 'aksfleet schema', 'the foundation issue', {});
