import { notYet } from './not-yet.js';

export default notYet('backup verify', 'check that every namespace has a recent successful backup', 'aksfleet backup verify [--backups FILE | --live] [--max-age DAYS]', 'the day-2 issue', { backups: { type: 'string' }, live: { type: 'boolean' }, 'max-age': { type: 'string' } });
