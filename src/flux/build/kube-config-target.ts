/**
 * The other cluster a Flux Kustomization or HelmRelease applies to with `spec.kubeConfig`
 * (kustomize-controller and helm-controller: `secretRef` to a kubeconfig Secret, or since Flux
 * 2.6 `configMapRef` for cloud provider auth), named `namespace/name` of that reference in the
 * object's namespace; undefined when it applies to this cluster.
 */
import { isPlainObject, type KObject } from '../../resources/resource.js';

export function kubeConfigTarget(o: KObject): string | undefined {
  const spec = isPlainObject(o.spec) ? o.spec : undefined;
  const kc = spec?.kubeConfig;
  if (kc === undefined || kc === null) return undefined;
  const ref = isPlainObject(kc)
    ? isPlainObject(kc.secretRef)
      ? kc.secretRef
      : isPlainObject(kc.configMapRef)
        ? kc.configMapRef
        : undefined
    : undefined;
  const name = typeof ref?.name === 'string' && ref.name !== '' ? ref.name : 'kubeconfig';
  return `${o.metadata?.namespace || 'default'}/${name}`;
}
