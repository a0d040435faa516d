#!/usr/bin/env node
/**
 * Makes data/ecosystem-crds/<project>.json.gz from the real CustomResourceDefinitions of Flux,
 * cert-manager, Gateway API, the Prometheus operator and the Flux Operator, at the versions
 * aksfleet pins (PINS below; data/ecosystem-crds/README.md says why each). Build-time only: Go
 * (`go mod download -json MODULE@VERSION`) fetches each module from the Go module proxy; the
 * product reads the committed data files and never runs Go.
 *
 * A pin the module proxy does not serve (`git`) is read from a local clone of its repository at
 * the tag named: `--git owner/name=DIR` (e.g. a `git clone --bare`); the file records the commit.
 *
 * Kept of each CRD: group, kind, scope and, per version, name, served, storage, deprecated and
 * its `openAPIV3Schema` without `description` keywords (a property named `description` kept) and
 * with `properties.status` reduced to an object of any content (status is written by the
 * controller, not by users; the API server does not judge it on create).
 * Each `pattern` is a Go RE2 regexp (the API server matches with Go's regexp): it is written as the
 * JS pattern of the same meaning (src/kustomize/patches/re2.ts, used with the `u` flag, as ajv
 * does), the published one kept beside it as `x-go-pattern` where the two differ (e.g. `(?i)`,
 * which JS has no syntax for, in Prometheus operator patterns).
 * Compact JSON, gzip level 9, keys in the CRD's order, CRDs sorted by group and kind: deterministic.
 *
 * Usage: node --import tsx scripts/ecosystem-crds.mjs [--git owner/name=DIR]... [PROJECT...]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { parseAllDocuments } from 'yaml';
import { translateRe2 } from '../src/kustomize/patches/re2.ts';

/**
 * What each project's file is made of. `module`: a Go module and version (its zip carries the
 * repository's files); `git`: owner/name and tag, for versions the module proxy does not serve.
 * `dirs`: folders whose *.yaml files are CRDs.
 */
export const PINS = {
  // Flux 2.9.5 (github.com/fluxcd/flux2/v2 v2.9.5 manifests/bases: the controller releases it installs).
  flux: [
    { module: 'github.com/fluxcd/source-controller', version: 'v1.9.5', dirs: ['config/crd/bases'] },
    { module: 'github.com/fluxcd/kustomize-controller', version: 'v1.9.5', dirs: ['config/crd/bases'] },
    { module: 'github.com/fluxcd/helm-controller', version: 'v1.6.4', dirs: ['config/crd/bases'] },
    // Flux 2.9.5 installs v1.9.4, v1.2.5, v1.2.5 and v2.2.4; the module proxy serves none of these
    // modules, and the newest tags of the 2.9 line in their repositories are these.
    { git: 'fluxcd/notification-controller', version: 'v1.9.3', dirs: ['config/crd/bases'], wanted: 'v1.9.4' },
    { git: 'fluxcd/image-reflector-controller', version: 'v1.2.0', dirs: ['config/crd/bases'], wanted: 'v1.2.5' },
    { git: 'fluxcd/image-automation-controller', version: 'v1.2.1', dirs: ['config/crd/bases'], wanted: 'v1.2.5' },
    { git: 'fluxcd/source-watcher', version: 'v2.2.1', dirs: ['config/crd/bases'], wanted: 'v2.2.4' },
  ],
  // The add-ons: the newest release the module proxy serves, not the example fleet's older pins
  // (cert-manager v1.16.2, gateway-api 1.2.0, kube-prometheus-stack 65.1.1): within a served
  // version CRD fields are only added, so objects written for the older releases pass, and
  // objects of repositories on current releases (cert-manager `acme.profile`, new receiver fields
  // of AlertmanagerConfig) are not refused for fields their cluster accepts.
  'cert-manager': [{ module: 'github.com/cert-manager/cert-manager', version: 'v1.21.2', dirs: ['deploy/crds'] }],
  // The experimental channel: a superset of the standard one's kinds and fields.
  'gateway-api': [{ module: 'sigs.k8s.io/gateway-api', version: 'v1.6.3', dirs: ['config/crd/experimental'] }],
  // The operator of kube-prometheus-stack 88.5.3 (shared/charts' copy: appVersion v0.93.1).
  'prometheus-operator': [
    {
      module: 'github.com/prometheus-operator/prometheus-operator',
      version: 'v0.93.1',
      dirs: ['example/prometheus-operator-crd'],
    },
  ],
  // FluxInstance, ResourceSet, ResourceSetInputProvider, FluxReport.
  // (its go.mod needs Go 1.27: the go command takes that toolchain from the module proxy).
  'flux-operator': [
    {
      module: 'github.com/controlplaneio-fluxcd/flux-operator',
      version: 'v0.59.0',
      dirs: ['config/crd/bases'],
      toolchain: 'go1.27.3',
    },
  ],
};

/** Drops `description` keywords and the schema of the top `status`; a property named `description` stays. */
export function strip(s, top = true) {
  if (Array.isArray(s)) return s.map((x) => strip(x, false));
  if (s === null || typeof s !== 'object') return s;
  const o = {};
  for (const k of Object.keys(s)) {
    if (k === 'description') continue;
    if (k === 'pattern' && typeof s[k] === 'string') {
      const js = translateRe2(s[k]);
      o[k] = js;
      if (js !== s[k]) o['x-go-pattern'] = s[k];
      continue;
    }
    if (k === 'properties' && s[k] && typeof s[k] === 'object') {
      o[k] = {};
      for (const p of Object.keys(s[k]))
        o[k][p] =
          top && p === 'status'
            ? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }
            : strip(s[k][p], false);
    } else o[k] = strip(s[k], false);
  }
  return o;
}

/** The compact form of one CRD document (null when the document is not a CRD). */
export function compactCrd(doc, from) {
  if (doc?.kind !== 'CustomResourceDefinition' || !doc.spec) return null;
  const { group, names, scope, versions } = doc.spec;
  return {
    group,
    kind: names.kind,
    plural: names.plural,
    scope,
    from,
    versions: versions.map((v) => ({
      name: v.name,
      served: v.served !== false,
      storage: v.storage === true,
      ...(v.deprecated ? { deprecated: true } : {}),
      schema: strip(v.schema?.openAPIV3Schema ?? {}),
    })),
  };
}

function goModDir(module, version, toolchain) {
  const env = { ...process.env, GOFLAGS: '-mod=mod', ...(toolchain ? { GOTOOLCHAIN: toolchain } : {}) };
  const out = JSON.parse(
    execFileSync('go', ['mod', 'download', '-json', `${module}@${version}`], { encoding: 'utf8', env }),
  );
  if (out.Error) throw new Error(`${module}@${version}: ${out.Error}`);
  return { dir: out.Dir, label: `Go module ${module}@${version} (sum ${out.Sum})`, short: `${module}@${version}` };
}

/** The CRD files of one pin: [{ path, text }] and a label naming where they came from. */
function readPin(pin, gitDirs) {
  if (pin.module) {
    const { dir, label, short } = goModDir(pin.module, pin.version, pin.toolchain);
    const files = pin.dirs.flatMap((d) =>
      readdirSync(join(dir, d))
        .filter((f) => /\.ya?ml$/.test(f) && f !== 'kustomization.yaml')
        .sort()
        .map((f) => ({ path: `${d}/${f}`, text: readFileSync(join(dir, d, f), 'utf8') })),
    );
    return { files, label, short };
  }
  const dir = gitDirs[pin.git];
  if (!dir)
    throw new Error(
      `${pin.git} ${pin.version}: not served by the Go module proxy; give a clone with --git ${pin.git}=DIR`,
    );
  const git = (...a) => execFileSync('git', ['-C', dir, ...a], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const commit = git('rev-parse', `${pin.version}^{commit}`).trim();
  const files = pin.dirs.flatMap((d) =>
    git('ls-tree', '--name-only', `${commit}:${d}`)
      .split('\n')
      .filter((f) => /\.ya?ml$/.test(f) && f !== 'kustomization.yaml')
      .sort()
      .map((f) => ({ path: `${d}/${f}`, text: git('show', `${commit}:${d}/${f}`) })),
  );
  return {
    files,
    short: `github.com/${pin.git}@${pin.version}`,
    label:
      `github.com/${pin.git} tag ${pin.version} (commit ` +
      `${commit})${pin.wanted ? `; Flux 2.9.5 installs ${pin.wanted}, not served by the Go module proxy` : ''}`,
  };
}

function main() {
  const args = process.argv.slice(2);
  const gitDirs = {};
  const projects = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--git') {
      const [name, dir] = String(args[++i]).split('=');
      gitDirs[name] = dir;
    } else projects.push(args[i]);
  }
  const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'data', 'ecosystem-crds');
  mkdirSync(out, { recursive: true });
  for (const project of projects.length ? projects : Object.keys(PINS)) {
    const pins = PINS[project];
    if (!pins) throw new Error(`unknown project ${project}; known: ${Object.keys(PINS).join(', ')}`);
    const crds = [];
    const sources = [];
    for (const pin of pins) {
      const { files, label, short } = readPin(pin, gitDirs);
      sources.push(label);
      for (const f of files) {
        for (const d of parseAllDocuments(f.text)) {
          const c = compactCrd(d.toJS(), `${short} ${f.path}`);
          if (c) crds.push(c);
        }
      }
    }
    crds.sort((a, b) => (a.group === b.group ? (a.kind < b.kind ? -1 : 1) : a.group < b.group ? -1 : 1));
    const data = { project, sources, crds };
    const file = join(out, `${project}.json.gz`);
    writeFileSync(file, gzipSync(JSON.stringify(data), { level: 9 }));
    const versions = crds.flatMap((c) =>
      c.versions.filter((v) => v.served).map((v) => `${c.group}/${v.name} ${c.kind}`),
    );
    console.log(`${file}: ${crds.length} CRDs, ${versions.length} served versions`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
