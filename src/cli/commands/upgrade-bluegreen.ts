import { notYet } from './not-yet.js';

export default notYet('upgrade bluegreen', 'blue/green node pool replacement as reviewable steps', 'aksfleet upgrade bluegreen <cluster> <pool> [-f fleet.yaml] [--apply]', 'the day-2 issue', { file: { type: 'string', short: 'f' }, apply: { type: 'boolean' } });
