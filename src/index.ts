/**
 * aksfleet as a library: the same functions the CLI commands call, in the order data flows
 * (spec -> model -> generators -> resources -> build -> checks -> diff/promotion -> day-2 -> console).
 *
 * ```ts
 * import { loadFleet, generateAll, writeGenerated, DiskRepoFs, buildCluster, checkRepository } from 'aksfleet';
 * const fleet = loadFleet('fleet.yaml');
 * writeGenerated('.', generateAll(fleet));
 * const build = buildCluster(new DiskRepoFs('.'), { cluster: 'aks-prod' });
 * const { findings } = checkRepository(new DiskRepoFs('.'));
 * ```
 * @packageDocumentation
 */

// Errors (exit codes: UsageError/InputError 2, ConflictError 1, InternalError 3).
export { AksfleetError, UsageError, InputError, ConflictError, InternalError, type SourcePos } from './errors.js';
// One vocabulary for problems and places (docs/architecture.md, One vocabulary).
export {
  formatLocation,
  findingDiagnostic,
  SEVERITIES,
  type Diagnostic,
  type SourceLocation,
  type RelatedLocation,
} from './diagnostic.js';
export { formatFieldPath, parseFieldPath, pointerSegments, type FieldPath } from './field-path.js';

// The fleet spec: types, validation with file:line:col errors, JSON Schema, docs.
export { parseFleet, loadFleet, validateFleet, formatPath } from './spec/load.js';
export {
  fleetJsonSchema,
  FleetDocument,
  type Fleet,
  type FleetInput,
  type Environment,
  type Cluster,
  type NodePool,
  type Tenant,
  type App,
  type Slo,
  type WorkloadIdentity,
} from './spec/schema.js';
export { exampleFleetText } from './spec/example.js';
export { fleetSpecMarkdown } from './spec/docs.js';

// Facts derived from the spec.
export * as model from './model/public.js';
export { aksVersions, supportedMinors, isSupported, latestPatch } from './facts/aks-versions.js';

// Generators (pure: fleet -> files) and the one writer.
export { generateAll, generators, type GeneratedFile } from './generators/index.js';
export { writeGenerated, type WriteOptions, type WriteResult } from './writer/index.js';

// Resources and repository views.
export { resourceId, type KObject, type Resource, type ResourceId, type Origin } from './resources/resource.js';
export { DiskRepoFs, MemoryRepoFs, type RepoFs } from './repo/repo-fs.js';
export { RecordingRepoFs } from './repo/recording-fs.js';
export { GitRepoFs } from './git/git-repo-fs.js';
export { parseYamlDocuments, type ParsedDoc } from './yaml/parse.js';
export { toYaml, toYamlStream } from './yaml/emit.js';

// One session per run: the memos every build of the run shares, engine options, diagnostics.
export { createSession, type Session, type SessionOptions, type SessionDiagnostic } from './session/session.js';
export { withRenderSettings, mergeRenderSettings, type RenderSettings } from './session/render-settings.js';

// The build engine: kustomize in-process, and what Flux applies to a cluster.
export { buildKustomization, type KustomizeOptions } from './kustomize/index.js';
export {
  buildCluster,
  allResources,
  envsubst,
  redactObject,
  redactResources,
  type BuildClusterOptions,
  type ClusterBuild,
  type KustomizationBuild,
  type BuildIssue,
  HELMRELEASE_STAGES,
  type HelmReleaseBuild,
  type HelmReleaseStatus,
  type HelmBuildOptions,
} from './flux/index.js';
export { openChartStore, type ChartStore } from './helm/sources/index.js';
export { discoverClusters, type ClusterEntry } from './discovery/clusters.js';

// The pull-request gate.
export {
  checkRepository,
  rules,
  runChecks,
  type Finding,
  type Rule,
  type Severity,
  type CheckResult,
} from './checks/index.js';

// Rendered diffs and promotion between environment branches.
export { diffObjectSets, diffValues, type ObjectSetDiff, type FieldChange } from './diff/object-diff.js';
export { diffFleet, type ClusterRenderer } from './diff/fleet-diff.js';
export { fluxRenderer } from './diff/cluster-renderer.js';
export {
  renderText as renderDiffText,
  renderMarkdown as renderDiffMarkdown,
  renderJson as renderDiffJson,
  type FleetDiff,
} from './diff/render.js';
export { runPromotion, type Promotion, type PromotionOptions } from './promote/promotion.js';

// Day-2: upgrades, blue/green, backups.
export {
  planUpgrade,
  simulate,
  stateFromSpec,
  parseStateFile,
  renderAzScript,
  renderFleet,
} from './day2/upgrade/index.js';

// The web console.
export { startConsole, type ConsoleServerOptions } from './ui/server.js';
export { buildConsoleModel, type ModelInputs } from './ui/build-model.js';

// The CLI itself (for embedding): returns the exit code.
export { main } from './cli/main.js';
