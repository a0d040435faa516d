/**
 * Helpers to build check contexts from inline YAML (tests, and users testing their own rules).
 */
import { MemoryRepoFs } from '../repo/repo-fs.js';
import type { KObject, Resource } from '../resources/resource.js';
import type { Fleet } from '../spec/schema.js';
import { parseYamlDocuments } from '../yaml/parse.js';
import { DEFAULT_CONFIG, type CheckConfig } from './config.js';
import type { CheckContext, InfraInfo, RenderedKustomization } from './types.js';

/** Resources from a multi-document YAML string, with origins in `file`. */
export function resourcesFromYaml(yaml: string, file = 'fixture.yaml'): Resource[] {
  return parseYamlDocuments(yaml, file).map((d) => ({ object: d.value as KObject, origin: { file, line: d.line } }));
}

export interface TestContextOptions {
  readonly cluster?: string;
  readonly clusterPath?: string;
  readonly production?: boolean;
  readonly fleet?: Fleet;
  readonly infra?: InfraInfo;
  readonly config?: Partial<CheckConfig>;
  /** Files of the repository, for rules that read it. */
  readonly files?: Record<string, string>;
  readonly kustomizations?: RenderedKustomization[];
}

export function contextFromYaml(yaml: string, opts: TestContextOptions = {}): CheckContext {
  const resources = resourcesFromYaml(yaml);
  const clusterPath = opts.clusterPath ?? 'clusters/test';
  return {
    cluster: opts.cluster ?? 'test',
    clusterPath,
    production: opts.production ?? false,
    kustomizations: opts.kustomizations ?? [{ id: 'flux-system/flux-system', path: clusterPath, resources }],
    resources,
    fleet: opts.fleet,
    infra: opts.infra,
    config: { ...DEFAULT_CONFIG, ...opts.config },
    fs: new MemoryRepoFs(opts.files ?? {}),
  };
}
