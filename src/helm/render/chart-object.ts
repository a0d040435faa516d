/**
 * `.Chart` as Helm's engine builds it: not a struct but a map of Metadata's Go field names
 * (MetadataAsMap: `Name`, `Version`, `AppVersion`, `Maintainers` as a list of maps...) plus
 * `IsRoot`. Nil slices become empty lists, nested structs maps, as Helm's structToMap does.
 */
import { typedMap, type GoMap, type GoValue } from '../../gotemplate/value.js';
import type { Dependency, Metadata } from '../chart/types.js';

function dependencyMap(d: Dependency): GoMap {
  return {
    Name: d.name,
    Version: d.version,
    Repository: d.repository,
    Condition: d.condition,
    Tags: [...d.tags],
    Enabled: d.enabled,
    ImportValues: [...(d.importValues as GoValue[])],
    Alias: d.alias,
  };
}

/** Helm's MetadataAsMap (with `IsRoot`). */
export function chartObject(md: Metadata, isRoot: boolean): GoMap {
  return {
    Name: md.name,
    Home: md.home,
    Sources: [...(md.sources ?? [])],
    Version: md.version,
    Description: md.description,
    Keywords: [...(md.keywords ?? [])],
    Maintainers: (md.maintainers ?? []).map((m) => ({ Name: m.name, Email: m.email, URL: m.url })),
    Icon: md.icon,
    APIVersion: md.apiVersion,
    Condition: md.condition,
    Tags: md.tags,
    AppVersion: md.appVersion,
    Deprecated: md.deprecated,
    Annotations: typedMap({ ...(md.annotations ?? {}) }, 'string'),
    KubeVersion: md.kubeVersion,
    Dependencies: (md.dependencies ?? []).map(dependencyMap),
    Type: md.type,
    IsRoot: isRoot,
  };
}
