/**
 * The built-in Kubernetes kinds' schemas of one Kubernetes minor (data/k8s-schemas/v1.NN.json.gz,
 * made by scripts/k8s-schemas.mjs from the PyPI package kubernetes-validate: the OpenAPI of that
 * release as JSON Schema 2020-12, every object closed, as the API server's strict field
 * validation and `kubeconform -strict` are). One ajv instance per minor: the definitions a kind
 * refers to are compiled once and shared by every kind of that minor.
 */
import type { Ajv } from 'ajv';
import type { ContentStore } from '../content-store.js';
import { ajvVersion, storedValidator } from './stored-validator.js';
import { createRequire } from 'node:module';
import { readdirSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import { aksVersions, compareVersions } from '../facts/aks-versions.js';
import { dataFile, inCliBundle } from '../package-root.js';

export interface K8sMinorSchemas {
  /** Where the data came from (package, version, digest, folder). */
  readonly source: string;
  /** `1.35` */
  readonly kubernetesMinor: string;
  /** `apps/v1 Deployment` -> definition name. */
  readonly kinds: Readonly<Record<string, string>>;
  readonly defs: Readonly<Record<string, unknown>>;
}

/** Which minor's schemas judge a cluster of `k8sVersion`, and whether they are its own. */
export interface MinorChoice {
  readonly minor: string;
  readonly exact: boolean;
  readonly note?: string;
}

const DATA_DIR = 'k8s-schemas';

/** The minors data/k8s-schemas holds, ascending (`1.29` ... `1.37`). */
export function schemaMinors(): string[] {
  // The package's data folder does not change while it runs: listed once (a lookup per object
  // listed it again, 14% of check's CPU at 100 clusters).
  minorsListed ??= readdirSync(dataFile(DATA_DIR))
    .map((f) => /^v(1\.\d+)\.json\.gz$/.exec(f)?.[1])
    .filter((m): m is string => m !== undefined)
    .sort(compareVersions);
  return [...minorsListed];
}
let minorsListed: string[] | undefined;

/**
 * The minor a cluster is judged by when nothing names one: the newest minor of
 * data/aks-versions.json that data/k8s-schemas holds (the newest AKS offers).
 */
export function defaultMinor(): string {
  const have = new Set(schemaMinors());
  const aks = aksVersions()
    .versions.map((v) => v.minor)
    .filter((m) => have.has(m));
  const m = aks.at(-1) ?? [...have].at(-1);
  if (!m) throw new Error(`data/${DATA_DIR} holds no schemas`);
  return m;
}

/**
 * The Kubernetes minor a cluster that names none is judged at, on `today` (`YYYY-MM-DD`): the
 * newest minor AKS has made GA by then (data/aks-versions.json) that data/k8s-schemas holds, as a
 * new AKS cluster created that day would get at most; `defaultMinor()` when none is GA yet.
 */
export function assumedMinor(today: string): string {
  const have = new Set(schemaMinors());
  const ga = aksVersions()
    .versions.filter((v) => v.ga <= today && have.has(v.minor))
    .map((v) => v.minor);
  return ga.at(-1) ?? defaultMinor();
}

/**
 * The minor whose schemas judge `k8sVersion` (`1.33.5`, `v1.33`, `1.33`; undefined: the default).
 * Outside the data's range, the nearest minor stands in (`exact: false`, with a note).
 */
export function chooseMinor(k8sVersion: string | undefined): MinorChoice {
  if (k8sVersion === undefined) return { minor: defaultMinor(), exact: true };
  const m = /^v?(1\.\d+)(?:\.\d+)?(?:[-+].*)?$/.exec(k8sVersion.trim());
  const minors = schemaMinors();
  if (!m) {
    const d = defaultMinor();
    return {
      minor: d,
      exact: false,
      note: `'${k8sVersion}' is not a Kubernetes version; the schemas of ${d} stand in`,
    };
  }
  const want = m[1]!;
  if (minors.includes(want)) return { minor: want, exact: true };
  const first = minors[0]!;
  const last = minors.at(-1)!;
  const near = compareVersions(want, first) < 0 ? first : last;
  return {
    minor: near,
    exact: false,
    note: `no schemas of Kubernetes ${want} here (data/${DATA_DIR} holds ${first}-${last}); those of ${near} stand in`,
  };
}

interface Loaded {
  readonly data: K8sMinorSchemas;
  /** Made on the first validator asked for (listing kinds needs none: HelmRelease capabilities). */
  ajv?: Ajv2020;
  readonly validators: Map<string, ValidateFunction>;
}

/** Per minor: its data and ajv instance (constant data, read and compiled once). */
const loaded = new Map<string, Loaded>();

function load(minor: string): Loaded {
  let l = loaded.get(minor);
  if (!l) {
    const data = JSON.parse(
      gunzipSync(readFileSync(dataFile(`${DATA_DIR}/v${minor}.json.gz`))).toString('utf8'),
    ) as K8sMinorSchemas;
    l = { data, validators: new Map() };
    loaded.set(minor, l);
  }
  return l;
}

/**
 * ajv's 2020-12 class, its modules evaluated on first use (a build that validates nothing, as
 * `aksfleet build`, never loads them). In the CLI bundle, `require` is esbuild's and loads the
 * bundled ajv; elsewhere (ES modules) node's.
 */
function ajv2020(): typeof Ajv2020 {
  const mod = (inCliBundle() ? require('ajv/dist/2020.js') : createRequire(import.meta.url)('ajv/dist/2020.js')) as {
    Ajv2020: typeof Ajv2020;
  };
  return mod.Ajv2020;
}

/** The minor's ajv, with its definitions added (made once per minor). */
function ajvOf(minor: string): Ajv2020 {
  const l = load(minor);
  if (!l.ajv) {
    // verbose: errors carry their schema, for the known fields of an unknown one (did-you-mean).
    // Each definition compiled once as its own function, without codegen optimization: compiling
    // 8 common kinds took 0.75 s instead of 2.7 s (validation speed about the same; same verdicts).
    // The definitions are not checked against the JSON Schema meta-schema on every load (0.5 s):
    // k8s-openapi.test.ts checks every minor's definitions against it once.
    const Ajv = ajv2020();
    const ajv = new Ajv({
      strict: false,
      allErrors: true,
      validateFormats: false,
      verbose: true,
      inlineRefs: false,
      code: { optimize: false, source: true },
      validateSchema: false,
    });
    ajv.addSchema({ $id: `k8s-${minor}`, $defs: l.data.defs });
    l.ajv = ajv;
  }
  return l.ajv;
}

/** The data of one minor (for tests and the kubeconform schema folder). */
export function minorSchemas(minor: string): K8sMinorSchemas {
  return load(minor).data;
}

/** Whether `minor`'s OpenAPI has this apiVersion and kind. */
export function hasKind(minor: string, apiVersion: string, kind: string): boolean {
  return Object.hasOwn(load(minor).data.kinds, `${apiVersion} ${kind}`);
}

/**
 * The compiled validator of a kind of `minor` (undefined: the minor has no such kind); with a
 * `store`, kept there between runs as standalone code (src/schemas/stored-validator.ts).
 */
export function kindValidator(
  minor: string,
  apiVersion: string,
  kind: string,
  store?: ContentStore,
): ValidateFunction | undefined {
  const l = load(minor);
  const key = `${apiVersion} ${kind}`;
  const def = Object.hasOwn(l.data.kinds, key) ? l.data.kinds[key] : undefined;
  if (def === undefined) return undefined;
  let fn = l.validators.get(key);
  if (!fn) {
    const compile = (): ValidateFunction => {
      const f = ajvOf(minor).getSchema(`k8s-${minor}#/$defs/${def}`);
      if (!f) throw new Error(`data/${DATA_DIR}/v${minor}.json.gz: no definition ${def}`);
      return f;
    };
    // The minor's data file is in the engine digest the store mixes into every key.
    fn = store
      ? storedValidator(store, ['ajv k8s-openapi 1', ajvVersion(), minor, def].join('\0'), () => ({
          ajv: ajvOf(minor) as unknown as Ajv,
          fn: compile(),
        }))
      : compile();
    l.validators.set(key, fn);
  }
  return fn;
}
