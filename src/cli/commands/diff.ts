import { notYet } from './not-yet.js';

export default notYet('diff', 'what Flux would change between two git refs', 'aksfleet diff [repo] --base REF [--head REF] [--cluster NAME | --path P] [--format text|markdown|json]', 'the promotion issue', { base: { type: 'string' }, head: { type: 'string' }, cluster: { type: 'string' }, path: { type: 'string' }, format: { type: 'string' } });
