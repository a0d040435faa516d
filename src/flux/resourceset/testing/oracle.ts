/**
 * Runs the Flux Operator's own ResourceSet builder (`flux-operator build resourceset`, test/oracles
 * `flux-operator-0.59`) and our expansion on one case, and gives both sides in one shape.
 *
 * Compared: the objects, in order. The CLI sets commonMetadata before the owner labels and does
 * not normalise; the controller (what aksfleet follows) sets the owner labels first and
 * normalises: the cases never set an owner label through commonMetadata, and the oracle's
 * objects go through the same normalisation, so both orders give the same objects.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseGoYaml } from '../../../yaml/go-yaml.js';
import { toGoYamlStream } from '../../../yaml/go-emit.js';
import type { KObject } from '../../../resources/resource.js';
import { normalize } from '../../build/normalize.js';
import { expandResourceSet } from '../../with-engines.js';
import type { ResourceSetCase } from './cases.js';

export interface Side {
  /** The objects, or undefined when the side refused the ResourceSet. */
  readonly objects?: readonly KObject[];
  readonly error?: string;
}

export function runOracle(bin: string, c: ResourceSetCase): Side {
  const dir = mkdtempSync(join(tmpdir(), 'aksfleet-rset-'));
  try {
    writeFileSync(join(dir, 'rs.yaml'), toGoYamlStream([c.resourceSet]));
    const args = ['build', 'resourceset', '-f', join(dir, 'rs.yaml')];
    if (c.providers.length) {
      writeFileSync(join(dir, 'rsip.yaml'), toGoYamlStream(c.providers));
      args.push('--inputs-from-provider', join(dir, 'rsip.yaml'));
    }
    const r = spawnSync(bin, args, {
      encoding: 'utf8',
      env: { ...process.env, HOME: dir, KUBECONFIG: join(dir, 'none') },
    });
    if (r.status !== 0) {
      const error = (r.stderr || r.stdout).trim();
      // An expansion with no object is not an error of the build (the operator applies nothing).
      if (/no objects were generated/.test(error)) return { objects: [] };
      return { error };
    }
    return { objects: parseGoYaml(r.stdout, 'oracle', { dialect: 'v2' }).map((d) => normalize(d.value as KObject)) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function runOurs(c: ResourceSetCase): Side {
  const x = expandResourceSet(c.resourceSet, { file: 'rs.yaml' }, { providers: c.providers });
  if (x.status !== 'expanded') return { error: x.reason ?? x.status };
  return { objects: x.resources.map((r) => r.object) };
}
