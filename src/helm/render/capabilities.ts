/**
 * `.Capabilities` as `helm template` fills it without a cluster (Helm's DefaultCapabilities,
 * `--kube-version`, `--api-versions`): KubeVersion (Version, Major, Minor; String and GitVersion
 * methods), APIVersions (client-go's scheme versions, then the user's; Has method) and HelmVersion.
 * The defaults are data (data/helm/capabilities.json, printed by the helm-4.2 oracle).
 */
import { readFileSync } from 'node:fs';
import { InputError } from '../../errors.js';
import { GO_STRUCT, goFunc, namedType, typedSlice, type GoStruct, type GoValue } from '../../gotemplate/value.js';
import { dataFile } from '../../package-root.js';

interface CapabilityDefaults {
  readonly kubeVersion: string;
  readonly apiVersions: readonly string[];
  readonly helmVersion: Readonly<Record<string, string>>;
}

let defaults: CapabilityDefaults | undefined;
function capabilityDefaults(): CapabilityDefaults {
  defaults ??= JSON.parse(readFileSync(dataFile('helm/capabilities.json'), 'utf8')) as CapabilityDefaults;
  return defaults;
}

/** A Kubernetes version as Helm holds it (common.KubeVersion). */
export interface KubeVersion {
  /** As given, with a leading `v` (GitVersion). */
  readonly version: string;
  /** `v` + the parsed version, what String() returns and constraints are checked against. */
  readonly normalized: string;
  readonly major: string;
  readonly minor: string;
}

/** Helm's ParseKubeVersion (k8s.io/apimachinery version.ParseGeneric underneath). */
export function parseKubeVersion(input: string): KubeVersion {
  const m = /^[\t\n\v\f\r ]*v?([0-9]+(?:\.[0-9]+)*)(.*)$/s.exec(input);
  const bad = (why: string): never => {
    throw new InputError(`invalid kube version '${input}': ${why}`);
  };
  if (!m) return bad(`could not parse "${input}" as version`);
  const comps = m[1]!.split('.');
  if (comps.length < 2) return bad(`illegal version string "${input}"`);
  if (comps[0]!.startsWith('0') && comps[0] !== '0')
    return bad(`illegal zero-prefixed version component "${comps[0]}" in "${input}"`);
  const nums = comps.map((c) => BigInt(c).toString());
  return {
    version: input.startsWith('v') ? input : `v${input}`,
    normalized: `v${nums.join('.')}`,
    major: nums[0]!,
    minor: nums[1]!,
  };
}

/** The default Kubernetes version of `helm template` (from client-go's version in the Helm build). */
export function defaultKubeVersion(): KubeVersion {
  return parseKubeVersion(capabilityDefaults().kubeVersion);
}

function struct(typeName: string, fields: Record<string, GoValue>, methods?: GoStruct['methods']): GoStruct {
  return { [GO_STRUCT]: true, typeName, fields, ...(methods ? { methods } : {}) };
}

/** The `.Capabilities` value. */
export function capabilitiesObject(kube: KubeVersion, extraApiVersions: readonly string[]): GoStruct {
  const d = capabilityDefaults();
  const apis = [...d.apiVersions, ...extraApiVersions];
  const kubeVersion = struct(
    'common.KubeVersion',
    { Version: kube.version, Major: kube.major, Minor: kube.minor },
    {
      String: goFunc([], ['string'], () => kube.normalized),
      GitVersion: goFunc([], ['string'], () => kube.version),
    },
  );
  // Go: `type VersionSet []string` with a Has method; range, index, len and toJson see the slice.
  const apiVersions = namedType(typedSlice([...apis], 'string'), 'common.VersionSet', {
    Has: goFunc(['string'], ['bool'], ([v]) => apis.includes(String(v))),
  });
  const helmVersion = struct('version.BuildInfo', { ...d.helmVersion });
  return struct('*common.Capabilities', {
    KubeVersion: kubeVersion,
    APIVersions: apiVersions,
    HelmVersion: helmVersion,
  });
}

/** The list behind `.Capabilities.APIVersions` (for toJson and range, which need the list itself). */
export function apiVersionList(extra: readonly string[]): string[] {
  return [...capabilityDefaults().apiVersions, ...extra];
}
