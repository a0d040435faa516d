import { notYet } from './not-yet.js';

export default notYet('kustomize', 'drop-in for kubectl kustomize <dir>', 'aksfleet kustomize <dir> [--load-restrictor LoadRestrictionsRootOnly|LoadRestrictionsNone]', 'the build engine issue', { 'load-restrictor': { type: 'string' } });
