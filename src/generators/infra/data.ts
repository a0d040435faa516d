/** Azure facts as data (data/azure/*.json), read through src/model/azure-data.ts. */
export { apiVersion, apiVersionsData, hasApiVersion, parseScopeId, roleId, rolesData, type ScopeRef } from '../../model/azure-data.js';
