import { notYet } from './not-yet.js';

export default notYet('backup plan', 'Velero schedules and a restore playbook', 'aksfleet backup plan [repo] [-f fleet.yaml]', 'the day-2 issue', { file: { type: 'string', short: 'f' } });
