/**
 * Reading data/aks-upgrade-rules.json (the AKS skew, support and auto-upgrade facts the planner
 * applies). Reading is I/O; the planner receives the parsed rules as an input.
 */
import { readFileSync } from 'node:fs';
import { InputError } from '../../errors.js';
import { dataFile } from '../../package-root.js';
import type { UpgradeRules } from './types.js';

/** Checks the shape of parsed rules data; throws InputError naming the field. */
export function parseUpgradeRules(raw: unknown, file = 'data/aks-upgrade-rules.json'): UpgradeRules {
  const r = raw as UpgradeRules;
  const bad = (fieldPath: string, what: string) => new InputError(`expected ${what}`, { pos: { file }, fieldPath });
  if (typeof r !== 'object' || r === null) throw bad('(document)', 'a JSON object');
  if (typeof r.controlPlane?.maxMinorsPerUpgrade !== 'number')
    throw bad('controlPlane.maxMinorsPerUpgrade', 'a number');
  const skew = r.nodePools?.maxMinorsBehindControlPlane;
  if (
    !Array.isArray(skew) ||
    skew.length === 0 ||
    skew.some((e) => typeof e?.minors !== 'number' || !/^\d+\.\d+$/.test(String(e?.controlPlaneFrom)))
  )
    throw bad('nodePools.maxMinorsBehindControlPlane', 'a non-empty list of {controlPlaneFrom: "1.28", minors: 3}');
  if (typeof r.support?.communityMinors !== 'number' || typeof r.support?.platformSupportMinors !== 'number')
    throw bad('support', '{communityMinors, platformSupportMinors} numbers');
  if (
    !Array.isArray(r.autoUpgrade?.channelsBlockingControlPlaneOnly) ||
    typeof r.autoUpgrade?.disabledChannel !== 'string'
  )
    throw bad('autoUpgrade', '{channelsBlockingControlPlaneOnly: [...], disabledChannel}');
  if (typeof r.surge?.defaultMaxSurge !== 'string') throw bad('surge.defaultMaxSurge', 'a string like "10%"');
  return r;
}

let cached: UpgradeRules | undefined;

/** The shipped rules file, read once. */
export function loadUpgradeRules(): UpgradeRules {
  if (!cached) cached = parseUpgradeRules(JSON.parse(readFileSync(dataFile('aks-upgrade-rules.json'), 'utf8')));
  return cached;
}
