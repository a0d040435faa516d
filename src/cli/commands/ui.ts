import { notYet } from './not-yet.js';

export default notYet('ui', 'serve the web console on 127.0.0.1', 'aksfleet ui [repo] [--port N] [--host ADDR]', 'the console issue', { port: { type: 'string' }, host: { type: 'string' } });
