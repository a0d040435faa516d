/**
 * Azure facts as data: built-in role IDs (data/azure/roles.json) and the API version pinned
 * for each resource type (data/azure/api-versions.json). Code reads them; updating them
 * needs no code change.
 */
import { readFileSync } from 'node:fs';
import { dataFile } from '../package-root.js';

interface RolesFile {
  readonly source: string;
  readonly roles: Readonly<Record<string, string>>;
}
interface ApiVersionsFile {
  readonly source: string;
  readonly types: Readonly<Record<string, string>>;
}

let roles: RolesFile | undefined;
let apis: ApiVersionsFile | undefined;

export function rolesData(): RolesFile {
  return (roles ??= JSON.parse(readFileSync(dataFile('azure/roles.json'), 'utf8')) as RolesFile);
}

export function apiVersionsData(): ApiVersionsFile {
  return (apis ??= JSON.parse(readFileSync(dataFile('azure/api-versions.json'), 'utf8')) as ApiVersionsFile);
}

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** The role definition GUID of a built-in role name (or a GUID given as is). Throws on unknown names. */
export function roleId(nameOrId: string): string {
  if (GUID.test(nameOrId)) return nameOrId.toLowerCase();
  const id = rolesData().roles[nameOrId];
  if (id) return id;
  const lower = nameOrId.toLowerCase();
  const close = Object.keys(rolesData().roles).filter(
    (k) => k.toLowerCase() === lower || k.toLowerCase().includes(lower) || lower.includes(k.toLowerCase()),
  );
  throw new Error(
    `unknown role ` +
      `'${nameOrId}'${close.length ? `; did you mean ${close.map((c) => `'${c}'`).join(', ')}?` : ''} ` +
      `(built-in roles known to aksfleet are in data/azure/roles.json; a role definition GUID is accepted ` +
      `too)`,
  );
}

/** The pinned API version of a resource type. Throws when the type is not in the data file. */
export function apiVersion(type: string): string {
  const v = apiVersionsData().types[type];
  if (!v) throw new Error(`no API version pinned for ${type} in data/azure/api-versions.json`);
  return v;
}

export function hasApiVersion(type: string): boolean {
  return apiVersionsData().types[type] !== undefined;
}

/** Where a role is granted: a resource (type + name), or a whole resource group. */
export interface ScopeRef {
  /** Omitted: the deployment's subscription. */
  readonly subscriptionId?: string;
  readonly resourceGroup: string;
  /** `Microsoft.Storage/storageAccounts`; omitted for a resource group scope. */
  readonly type?: string;
  /** `stappdata` (child types: `acct/default/container`). */
  readonly name?: string;
}

/** Parses an Azure resource ID (or resource group ID) into a scope; undefined when malformed. */
export function parseScopeId(id: string): ScopeRef | undefined {
  const m =
    /^\/subscriptions\/([0-9a-fA-F-]{36})\/resourceGroups\/([-\w._()]+)(?:\/providers\/([A-Za-z0-9.]+)\/(.+))?$/.exec(
      id,
    );
  if (!m) return undefined;
  const [, sub, rg, ns, rest] = m;
  if (!ns) return { subscriptionId: sub!, resourceGroup: rg! };
  const segs = rest!.split('/');
  if (segs.length % 2 !== 0 || segs.some((s) => s === '')) return undefined;
  const types: string[] = [];
  const names: string[] = [];
  for (let i = 0; i < segs.length; i += 2) {
    types.push(segs[i]!);
    names.push(segs[i + 1]!);
  }
  return { subscriptionId: sub!, resourceGroup: rg!, type: `${ns}/${types.join('/')}`, name: names.join('/') };
}
