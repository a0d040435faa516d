/**
 * The generated resource bodies against the Bicep type index itself (Azure/bicep-types-az,
 * generated/<rp>/<provider>/<version>/types.json: what the Bicep compiler validates against).
 * Every `type@apiVersion` must exist there, and every literal property we write must be a
 * known, writable property of that type with a value of the right kind (AKS enums are open strings in the index);
 * values that are expressions are not checked. The index is not in the repo: point
 * AKSFLEET_BICEP_TYPES_AZ at a checkout (a work tree, or a bare git directory); without it the
 * test is skipped.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { BicepExpr, type BicepFile, type BicepObject, type BicepValue, type ResourceDecl } from '../../src/bicep/index.js';
import { parseFleet } from '../../src/spec/load.js';
import { aksModuleFile, aksParamValues } from '../../src/generators/infra/aks.js';
import { identityModuleFile } from '../../src/generators/infra/identity.js';
import { acrModuleFile, backupStorageModuleFile, keyVaultModuleFile } from '../../src/generators/infra/acr-keyvault.js';
import { monitoringModuleFile } from '../../src/generators/infra/monitoring.js';
import { fluxModuleFile, clusterKustomizations, fluxKustomizations } from '../../src/generators/infra/flux.js';
import { mainFile, mainOutputs, roleGroups, rolesModuleFile } from '../../src/generators/infra/main.js';
import { clusterPlan } from '../../src/generators/infra/plan.js';
import { FLEET_TEXTS } from './fixtures.js';

const ROOT = process.env.AKSFLEET_BICEP_TYPES_AZ;
const skip = !ROOT ? 'AKSFLEET_BICEP_TYPES_AZ is not set (a checkout of Azure/bicep-types-az)' : !existsSync(ROOT) ? `${ROOT} does not exist` : false;

type TypeNode = { $type: string; [k: string]: unknown };
type Ref = { $ref: string };

/** All types.json files of the index, read lazily, with a resource name -> (file, body ref) map. */
class TypeIndex {
  private files = new Map<string, TypeNode[]>();
  readonly resources = new Map<string, { file: string; body: Ref }>();
  private readonly bare: boolean;
  constructor(private readonly root: string) {
    this.bare = !existsSync(join(root, 'generated'));
    const all = this.bare
      ? execFileSync('git', ['--git-dir', root, 'ls-tree', '-r', '--name-only', 'HEAD', 'generated'], { encoding: 'utf8', maxBuffer: 64 << 20 }).split('\n')
      : this.walk('generated');
    this.candidates = all.filter((p) => p.endsWith('/types.json'));
  }
  private candidates: string[];
  private walk(dir: string): string[] {
    const out: string[] = [];
    for (const n of readdirSync(join(this.root, dir))) {
      const p = `${dir}/${n}`;
      if (statSync(join(this.root, p)).isDirectory()) out.push(...this.walk(p));
      else out.push(p);
    }
    return out;
  }
  file(path: string): TypeNode[] {
    let f = this.files.get(path);
    if (!f) {
      const text = this.bare ? execFileSync('git', ['--git-dir', this.root, 'show', `HEAD:${path}`], { encoding: 'utf8', maxBuffer: 256 << 20 }) : readFileSync(join(this.root, path), 'utf8');
      f = JSON.parse(text) as TypeNode[];
      this.files.set(path, f);
      f.forEach((t) => {
        if (t.$type === 'ResourceType') this.resources.set(String(t.name).toLowerCase(), { file: path, body: t.body as Ref });
      });
    }
    return f;
  }
  /** Loads the files of a provider/version and finds `type@version`. */
  resource(typeAtVersion: string): { file: string; body: Ref } | undefined {
    const [type, version] = typeAtVersion.split('@') as [string, string];
    const provider = type.split('/')[0]!.toLowerCase();
    for (const p of this.candidates.filter((c) => c.toLowerCase().includes(`/${provider}/${version}/types.json`))) this.file(p);
    return this.resources.get(typeAtVersion.toLowerCase());
  }
  resolve(file: string, ref: Ref): { file: string; node: TypeNode } {
    const [f, idx] = ref.$ref.split('#/') as [string, string];
    const target = f ? join(file, '..', f).replace(/\\/g, '/') : file;
    return { file: target, node: this.file(target)[Number(idx)]! };
  }
}

const FLAG_REQUIRED = 1;
const FLAG_READONLY = 2;
/** Bicep language keys of a resource body (not part of the type). */
const LANGUAGE_KEYS = new Set(['parent', 'scope', 'dependsOn']);

function check(ix: TypeIndex, file: string, ref: Ref, value: BicepValue | undefined, path: string, errors: string[], top = false): void {
  if (value === undefined || value instanceof BicepExpr) return;
  const { file: f, node } = ix.resolve(file, ref);
  switch (node.$type) {
    case 'AnyType':
      return;
    case 'StringType':
      if (typeof value !== 'string') errors.push(`${path}: expected a string, got ${JSON.stringify(value)}`);
      return;
    case 'IntegerType':
      if (typeof value !== 'number') errors.push(`${path}: expected an integer, got ${JSON.stringify(value)}`);
      return;
    case 'BooleanType':
      if (typeof value !== 'boolean') errors.push(`${path}: expected a bool, got ${JSON.stringify(value)}`);
      return;
    case 'StringLiteralType':
      if (value !== node.value) errors.push(`${path}: expected '${String(node.value)}', got ${JSON.stringify(value)}`);
      return;
    case 'UnionType': {
      const elements = node.elements as Ref[];
      const attempts = elements.map((e) => {
        const errs: string[] = [];
        check(ix, f, e, value, path, errs, top);
        return errs;
      });
      if (!attempts.some((a) => a.length === 0)) {
        const literals = elements.map((e) => ix.resolve(f, e).node).filter((n) => n.$type === 'StringLiteralType').map((n) => n.value);
        errors.push(literals.length ? `${path}: ${JSON.stringify(value)} is not one of ${literals.join(', ')}` : attempts.sort((a, b) => a.length - b.length)[0]![0]!);
      }
      return;
    }
    case 'ArrayType':
      if (!Array.isArray(value)) return void errors.push(`${path}: expected an array`);
      (value as BicepValue[]).forEach((v, i) => check(ix, f, node.itemType as Ref, v, `${path}[${i}]`, errors));
      return;
    case 'ObjectType':
    case 'DiscriminatedObjectType': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return void errors.push(`${path}: expected an object`);
      let props = (node.properties ?? node.baseProperties ?? {}) as Record<string, { type: Ref; flags: number }>;
      if (node.$type === 'DiscriminatedObjectType') {
        const d = String(node.discriminator);
        const dv = (value as BicepObject)[d];
        const el = typeof dv === 'string' ? (node.elements as Record<string, Ref>)[dv] : undefined;
        if (el) props = { ...props, ...((ix.resolve(f, el).node.properties ?? {}) as typeof props) };
        else return; // expression discriminator: cannot tell
      }
      const extra = node.additionalProperties as Ref | undefined;
      for (const [k, v] of Object.entries(value as BicepObject)) {
        if (top && LANGUAGE_KEYS.has(k)) continue;
        if (k.startsWith('\u0001')) continue; // expression key
        const p = props[k];
        if (p) {
          if (p.flags & FLAG_READONLY) errors.push(`${path}.${k}: read-only property`);
          check(ix, f, p.type, v, `${path}.${k}`, errors);
        } else if (extra) check(ix, f, extra, v, `${path}.${k}`, errors);
        else errors.push(`${path}.${k}: unknown property (known: ${Object.keys(props).join(', ')})`);
      }
      for (const [k, p] of Object.entries(props)) if (p.flags & FLAG_REQUIRED && !(k in (value as BicepObject))) errors.push(`${path}.${k}: required property missing`);
      return;
    }
    default:
      return;
  }
}

function resourcesOf(file: BicepFile): ResourceDecl[] {
  const out: ResourceDecl[] = [];
  const walk = (r: ResourceDecl) => {
    out.push(r);
    (r.children ?? []).forEach(walk);
  };
  file.declarations.forEach((d) => d.kind === 'resource' && walk(d));
  return out;
}

/** A property's type under a resource body: `properties.networkProfile` etc. */
function propRef(ix: TypeIndex, res: { file: string; body: Ref }, path: string[]): { file: string; ref: Ref } {
  let file = res.file;
  let ref = res.body;
  for (const seg of path) {
    const { file: f, node } = ix.resolve(file, ref);
    if (seg === '[]') ref = node.itemType as Ref;
    else ref = (node.properties as Record<string, { type: Ref }>)[seg]!.type;
    file = f;
  }
  return { file, ref };
}

test('generated resource bodies and cluster values match the Bicep type index', { skip }, () => {
  const ix = new TypeIndex(ROOT!);
  const errors: string[] = [];
  let checked = 0;
  for (const [, text] of FLEET_TEXTS) {
    const fleet = parseFleet(text, 'fleet.yaml');
    const files: [string, BicepFile][] = [
      ['modules/aks.bicep', aksModuleFile()],
      ['modules/identity.bicep', identityModuleFile()],
      ['modules/acr.bicep', acrModuleFile()],
      ['modules/keyvault.bicep', keyVaultModuleFile()],
      ['modules/backup-storage.bicep', backupStorageModuleFile()],
      ['modules/monitoring.bicep', monitoringModuleFile()],
      ['modules/flux.bicep', fluxModuleFile()],
    ];
    for (const c of fleet.spec.clusters) {
      const plan = clusterPlan(fleet, c);
      files.push([`clusters/${c.name}/main.bicep`, mainFile(fleet, plan)]);
      roleGroups(plan).forEach((g, n) => files.push([`clusters/${c.name}/roles-${n}.bicep`, rolesModuleFile(plan, g)]));
    }
    for (const [name, file] of files) {
      for (const r of resourcesOf(file)) {
        const tv = `${r.type}@${r.apiVersion}`;
        const res = ix.resource(tv);
        if (!res) {
          errors.push(`${name}: ${tv} is not in the Bicep type index`);
          continue;
        }
        checked++;
        if (r.existing) continue;
        // A looped body is written per item: check it as an object.
        check(ix, res.file, res.body, r.body, `${name}:${r.symbol}`, errors, true);
      }
    }
    // Per-cluster values (main.bicepparam) at their place in the types.
    const mc = ix.resource('Microsoft.ContainerService/managedClusters@2025-10-01')!;
    const ap = ix.resource('Microsoft.ContainerService/managedClusters/agentPools@2025-10-01')!;
    const mt = ix.resource('Microsoft.ContainerService/managedClusters/maintenanceConfigurations@2025-10-01')!;
    const fc = ix.resource('Microsoft.KubernetesConfiguration/fluxConfigurations@2023-05-01')!;
    for (const c of fleet.spec.clusters) {
      const v = aksParamValues(c) as Record<string, BicepValue>;
      const at = (res: typeof mc, path: string[], value: BicepValue, what: string) => {
        const { file, ref } = propRef(ix, res, path);
        check(ix, file, ref, value, `${c.name}:${what}`, errors);
        checked++;
      };
      at(mc, ['properties', 'agentPoolProfiles', '[]'], v.systemPool!, 'systemPool');
      for (const k of ['networkProfile', 'apiServerAccessProfile', 'autoScalerProfile', 'autoUpgradeProfile', 'kubernetesVersion', 'supportPlan']) at(mc, ['properties', k], v[k]!, k);
      at(mc, ['sku', 'tier'], v.tier!, 'tier');
      for (const p of v.userPools as BicepObject[]) at(ap, ['properties'], p.properties!, `userPools.${String(p.name)}`);
      for (const m of v.maintenanceConfigurations as BicepObject[]) at(mt, ['properties'], m.properties!, `maintenance.${String(m.name)}`);
      const plan = clusterPlan(fleet, c);
      const k = fluxKustomizations(clusterKustomizations(fleet, c), c, mainOutputs(fleet, plan), fleet.spec.gitops.interval);
      at(fc, ['properties', 'kustomizations'], k.kustomizations, 'kustomizations');
    }
  }
  assert.deepEqual(errors, []);
  assert.ok(checked > 50, `checked ${checked}`);
});

test('the type check itself refuses unknown properties, read-only ones and values of the wrong kind', { skip }, () => {
  const ix = new TypeIndex(ROOT!);
  const mc = ix.resource('Microsoft.ContainerService/managedClusters@2025-10-01')!;
  const errors: string[] = [];
  check(ix, mc.file, mc.body, { name: 'x', location: 'uksouth', properties: { kubernetesVersion: '1.35.6', fqdn: 'x', oidcIssuerProfile: { enabled: 'yes' }, networkProfile: { maxEmptyBulkDelete: '10' }, autoScalerProfile: { scanInterval: '20s' } } }, 'mc', errors, true);
  assert.ok(errors.some((e) => /mc\.properties\.fqdn: read-only/.test(e)), errors.join('\n'));
  assert.ok(errors.some((e) => /oidcIssuerProfile\.enabled: expected a bool/.test(e)), errors.join('\n'));
  assert.ok(errors.some((e) => /networkProfile\.maxEmptyBulkDelete: unknown property/.test(e)), errors.join('\n'));
  assert.ok(errors.some((e) => /autoScalerProfile\.scanInterval: unknown property/.test(e)), 'the seed sketch\'s camelCase autoscaler keys are refused');
});
