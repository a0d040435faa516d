/** Kind selectors of `match.resources.kinds` (pkg/utils/kube.ParseKindSelector, pkg/utils/match.CheckKind). */
import { wildcardMatch } from '../wildcard/match.js';

const VERSION = /^(v\d((alpha|beta)\d)?|\*)$/;

/** group, version, kind, subresource of a selector such as `Pod`, `v1/Pod`, `apps/v1/Deployment`, `Pod/exec`. */
export function parseKindSelector(input: string): [string, string, string, string] {
  let parts = input.split('/');
  parts = [...parts.slice(0, -1), ...parts[parts.length - 1]!.split('.')];
  switch (parts.length) {
    case 1:
      return ['*', '*', parts[0]!, ''];
    case 2:
      if (parts[0] === '*' && parts[1] === '*') return ['*', '*', '*', '*'];
      if (parts[0] === '*' && parts[1]!.toLowerCase() === parts[1]) return ['*', '*', parts[0], parts[1]!];
      if (VERSION.test(parts[0]!)) return ['*', parts[0]!, parts[1]!, ''];
      return ['*', '*', parts[0]!, parts[1]!];
    case 3:
      if (VERSION.test(parts[0]!)) return ['*', parts[0]!, parts[1]!, parts[2]!];
      return [parts[0]!, parts[1]!, parts[2]!, ''];
    case 4:
      return [parts[0]!, parts[1]!, parts[2]!, parts[3]!];
    default:
      return ['', '', '', ''];
  }
}

export interface Gvk {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

/** The group/version/kind of a resource from its apiVersion and kind. */
export function gvkOf(resource: Record<string, unknown>): Gvk {
  const apiVersion = typeof resource.apiVersion === 'string' ? resource.apiVersion : '';
  const kind = typeof resource.kind === 'string' ? resource.kind : '';
  const i = apiVersion.lastIndexOf('/');
  return i < 0
    ? { group: '', version: apiVersion, kind }
    : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1), kind };
}

/** True when one of the selectors matches the resource kind (and subresource). */
export function checkKind(
  kinds: readonly string[],
  gvk: Gvk,
  subresource: string,
  allowEphemeralContainers: boolean,
): boolean {
  return kinds.some((k) => {
    const [group, version, kind, sub] = parseKindSelector(k);
    if (!(wildcardMatch(group, gvk.group) && wildcardMatch(version, gvk.version) && wildcardMatch(kind, gvk.kind)))
      return false;
    if (wildcardMatch(sub, subresource)) return true;
    return (
      allowEphemeralContainers &&
      gvk.group === '' &&
      gvk.version === 'v1' &&
      gvk.kind === 'Pod' &&
      subresource === 'ephemeralcontainers'
    );
  });
}

/** True when a kinds list names the kind (ContainsKind: group/version and subresource ignored). */
export function containsKind(list: readonly string[], kind: string): boolean {
  return list.some((e) => {
    const parts = e.split('/');
    let k: string;
    switch (parts.length) {
      case 1:
        k = e.replace('.', '/');
        break;
      case 2:
        k = parts[0] === '*' && parts[1] === '*' ? e : VERSION.test(parts[0]!) ? parts[1]!.replace('.', '/') : e;
        break;
      case 3:
        k = VERSION.test(parts[0]!) ? `${parts[1]}/${parts[2]}` : parts[2]!.replace('.', '/');
        break;
      case 4:
        k = `${parts[2]}/${parts[3]}`;
        break;
      default:
        k = '';
    }
    const sp = k.split('/');
    return (sp.length === 2 ? sp[0] : k) === kind;
  });
}
