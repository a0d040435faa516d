/**
 * The published CRDs of the ecosystem's kinds (Flux, cert-manager, Gateway API, Prometheus
 * operator, Flux Operator) at the versions aksfleet pins: data/ecosystem-crds/<project>.json.gz,
 * made by scripts/ecosystem-crds.mjs from the projects' Go modules (see that folder's README).
 * Pure functions over that data; validate.ts keeps what they return.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { dataFile } from '../package-root.js';

export interface EcosystemCrdVersion {
  readonly name: string;
  readonly served: boolean;
  readonly storage: boolean;
  readonly deprecated?: boolean;
  /** The version's openAPIV3Schema, without descriptions and status. */
  readonly schema: unknown;
}

export interface EcosystemCrd {
  readonly group: string;
  readonly kind: string;
  readonly plural: string;
  readonly scope: string;
  /** `module@version path` of the CRD file. */
  readonly from: string;
  readonly versions: readonly EcosystemCrdVersion[];
}

export interface EcosystemProject {
  /** `flux`, `cert-manager`, ... (the file's name). */
  readonly project: string;
  /** Each module or tag the file was made from, with its checksum or commit. */
  readonly sources: readonly string[];
  readonly crds: readonly EcosystemCrd[];
}

/** What judges one `apiVersion kind`: a served version of an ecosystem CRD. */
export interface EcosystemSchema {
  readonly project: string;
  readonly crd: EcosystemCrd;
  readonly version: EcosystemCrdVersion;
}

/** One group and kind of the data, with the versions its CRD serves. */
export interface EcosystemKind {
  readonly project: string;
  readonly crd: EcosystemCrd;
  readonly served: readonly string[];
}

export const ECOSYSTEM_DIR = 'ecosystem-crds';

/** Every project file of data/ecosystem-crds, in name order. */
export function readEcosystemProjects(): EcosystemProject[] {
  const dir = dataFile(ECOSYSTEM_DIR);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json.gz'))
    .sort()
    .map((f) => JSON.parse(gunzipSync(readFileSync(`${dir}/${f}`)).toString('utf8')) as EcosystemProject);
}

/** `apiVersion kind` -> the served CRD version that judges it; `group kind` -> the versions served. */
export function indexEcosystem(projects: readonly EcosystemProject[]): {
  schemas: Map<string, EcosystemSchema>;
  kinds: Map<string, EcosystemKind>;
} {
  const schemas = new Map<string, EcosystemSchema>();
  const kinds = new Map<string, EcosystemKind>();
  for (const p of projects) {
    for (const crd of p.crds) {
      const served = crd.versions.filter((v) => v.served);
      kinds.set(`${crd.group} ${crd.kind}`, { project: p.project, crd, served: served.map((v) => v.name) });
      for (const v of served)
        schemas.set(`${crd.group}/${v.name} ${crd.kind}`, { project: p.project, crd, version: v });
    }
  }
  return { schemas, kinds };
}
