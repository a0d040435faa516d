/** Azure facts as data (data/azure/*.json), read through src/facts/azure-data.ts. */
export {
  apiVersion,
  apiVersionsData,
  hasApiVersion,
  parseScopeId,
  roleId,
  rolesData,
  type ScopeRef,
} from '../../facts/azure-data.js';
