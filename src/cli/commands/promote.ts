import { notYet } from './not-yet.js';

export default notYet('promote', 'open a promotion branch from one environment to the next', 'aksfleet promote <from-env> <to-env> [repo] [--push]', 'the promotion issue', { push: { type: 'boolean' } });
