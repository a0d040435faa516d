import { notYet } from './not-yet.js';

export default notYet('demo', 'the example fleet end to end: init, generate, build, check (what npm start runs)', 'aksfleet demo [dir]', 'the foundation issue', {});
