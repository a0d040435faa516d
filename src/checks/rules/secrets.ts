/** No secret material in Git: plain Secrets are refused, SOPS-encrypted ones are fine. */
import { isKind, obj } from '../k8s.js';
import type { ClusterRule } from '../types.js';

function encrypted(o: Record<string, unknown>, values: unknown[]): boolean {
  if (obj(o.sops)) return true;
  // A SOPS-encrypted dotenv or ini file of a secretGenerator: its metadata are `sops_*` keys
  // (sops_mac...), and kustomize-controller decrypts the file before the build.
  if ('sops_mac' in (obj(o.data) ?? {}) || 'sops_mac' in (obj(o.stringData) ?? {})) return true;
  return values.length > 0 && values.every((v) => typeof v === 'string' && /^ENC\[AES256_GCM,/.test(v));
}

export const noPlainSecret: ClusterRule = {
  id: 'no-plain-secret',
  scope: 'cluster',
  severity: 'error',
  category: 'ops',
  doc:
    'No Secret with data is committed in clear text (SOPS-encrypted Secrets and ones whose values are all Flux ' +
    '${VARIABLES} are fine). Values are never printed.',
  hint:
    'Keep the secret in Key Vault and mount it with the Secrets Store CSI driver (SecretProviderClass), or ' +
    'encrypt the file with SOPS.',
  check(ctx, report) {
    for (const r of ctx.resources) {
      if (!isKind(r.object, 'Secret', '')) continue;
      const data = obj(r.object.data) ?? {};
      const stringData = obj(r.object.stringData) ?? {};
      const values = [...Object.values(data), ...Object.values(stringData)];
      if (values.length === 0) continue;
      if (encrypted(r.object as Record<string, unknown>, values)) continue;
      if (
        Object.keys(data).length === 0 &&
        Object.values(stringData).every((v) => typeof v === 'string' && /^\$\{[^}]+\}$/.test(v.trim()))
      )
        continue;
      const keys = [...Object.keys(data), ...Object.keys(stringData)].sort();
      report({
        resource: r,
        message: `Secret holds ${keys.length} unencrypted value(s) in Git (keys: ${keys.join(', ')})`,
      });
    }
  },
};

export const secretRules: readonly ClusterRule[] = [noPlainSecret];
