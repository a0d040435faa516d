import { notYet } from './not-yet.js';

export default notYet('build', 'render what Flux would apply to a cluster', 'aksfleet build [repo] (--path P | --cluster NAME) [-o yaml|json] [--summary] [--vars FILE] [--source KIND/NS/NAME=PATH] [--allow-missing-vars] [--show-secrets]', 'the build engine issue', { path: { type: 'string' }, cluster: { type: 'string' }, output: { type: 'string', short: 'o' }, summary: { type: 'boolean' }, vars: { type: 'string' }, source: { type: 'string', multiple: true }, 'allow-missing-vars': { type: 'boolean' }, 'show-secrets': { type: 'boolean' } });
