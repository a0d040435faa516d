/**
 * Kyverno's `user` library (github.com/kyverno/sdk extensions/cel/libs/user), for
 * ValidatingPolicy: `parseServiceAccount(username)` (also `user.parseServiceAccount`) gives a
 * `user.ServiceAccount` with fields `Name` and `Namespace`, both empty unless the username is
 * `system:serviceaccount:<namespace>:<name>`.
 */
import type { CelRegistrar } from './types.js';
import { namespaced } from './types.js';

export const SERVICE_ACCOUNT_TYPE = 'user.ServiceAccount';

/** A parsed service account username. */
export class ServiceAccount {
  constructor(
    readonly Name: string,
    readonly Namespace: string,
  ) {}
}

const PREFIX = 'system:serviceaccount:';

export function parseServiceAccount(username: string): ServiceAccount {
  if (!username.startsWith(PREFIX)) return new ServiceAccount('', '');
  const rest = username.slice(PREFIX.length);
  const sep = rest.indexOf(':');
  return sep === -1 ? new ServiceAccount('', '') : new ServiceAccount(rest.slice(sep + 1), rest.slice(0, sep));
}

export function registerKyvernoUser(env: CelRegistrar): void {
  env.registerType(SERVICE_ACCOUNT_TYPE, { ctor: ServiceAccount, fields: { Name: 'string', Namespace: 'string' } });
  env.registerFunction(`parseServiceAccount(string): ${SERVICE_ACCOUNT_TYPE}`, parseServiceAccount);
  namespaced(env, 'user.parseServiceAccount', ['string'], SERVICE_ACCOUNT_TYPE, parseServiceAccount);
}
