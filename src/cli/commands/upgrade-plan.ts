import { notYet } from './not-yet.js';

export default notYet('upgrade plan', 'plan fleet upgrades ring by ring', 'aksfleet upgrade plan [-f fleet.yaml] [--state FILE | --live] [--to VERSION] [--format markdown|json|az|fleet]', 'the day-2 issue', { file: { type: 'string', short: 'f' }, state: { type: 'string' }, live: { type: 'boolean' }, to: { type: 'string' }, format: { type: 'string' } });
