/**
 * `serviceAccountName` and `serviceAccountNamespace` as Kyverno 1.19 derives them from the request's
 * username (pkg/engine/context/context.go `AddServiceAccount`): it drops the first 22 bytes (the
 * length of `system:serviceaccount:`, without checking that they are that prefix), splits the rest
 * at ':' and, when there are two parts or more, takes the first as the namespace and the second as
 * the name; otherwise both are ''. Kyverno adds them only when the request has user info (always
 * in the admission controller; with `--userinfo` in `kyverno apply`): without it they are unknown keys.
 */
const SA_PREFIX_BYTES = Buffer.byteLength('system:serviceaccount:');

export function serviceAccountOf(username: string): { name: string; namespace: string } {
  const bytes = Buffer.from(username, 'utf8');
  const sa = bytes.length <= SA_PREFIX_BYTES ? '' : bytes.subarray(SA_PREFIX_BYTES).toString('utf8');
  const groups = sa.split(':');
  return groups.length >= 2 ? { name: groups[1]!, namespace: groups[0]! } : { name: '', namespace: '' };
}
