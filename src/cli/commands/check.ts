import { notYet } from './not-yet.js';

export default notYet('check', 'the pull-request gate: render every cluster and run every rule', 'aksfleet check [repo] [--path P | --cluster NAME] [--format text|json|sarif|junit|markdown] [--fail-on error|warning|info] [--list-rules]', 'the check issue', { path: { type: 'string' }, cluster: { type: 'string' }, format: { type: 'string' }, 'fail-on': { type: 'string' }, 'list-rules': { type: 'boolean' } });
