/** The whole command surface, in the order `aksfleet --help` lists it. */
import type { Command } from '../command.js';
import init from './init.js';
import generate from './generate.js';
import schema from './schema.js';
import kustomize from './kustomize.js';
import build from './build.js';
import check from './check.js';
import diff from './diff.js';
import promote from './promote.js';
import upgradePlan from './upgrade-plan.js';
import upgradeBluegreen from './upgrade-bluegreen.js';
import backupPlan from './backup-plan.js';
import backupVerify from './backup-verify.js';
import ui from './ui.js';
import demo from './demo.js';

export const commands: readonly Command[] = [
  init, generate, schema, kustomize, build, check, diff, promote,
  upgradePlan, upgradeBluegreen, backupPlan, backupVerify, ui, demo,
];
