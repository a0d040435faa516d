/**
 * The console's model kept between saves (`aksfleet ui --watch`): the check is a WatchCheck
 * (src/checks/watch-check.ts), so a save checks again only the clusters whose inputs have another
 * answer now; the view of each cluster checked again is made from what was kept of its new build
 * (`builtCluster`, as soon as it is built: no render outlives its cluster's check), the others are
 * kept. The model is the one `buildConsoleModel` gives for the repository as it is now (the watch
 * test compares them); where the kept check cannot tell the clusters apart (it checked everything
 * and kept nothing), the model is made the one-shot way.
 */
import { createHash } from 'node:crypto';
import { DiskRepoFs } from '../repo/repo-fs.js';
import { WatchCheck } from '../checks/watch-check.js';
import type { Fingerprint } from '../incremental/watch-inputs.js';
import { createSession, type Session } from '../session/session.js';
import { renderInputs, renderSettingsOf } from '../session/render-settings.js';
import { gitRaw } from '../git/git.js';
import {
  assembleModel,
  buildConsoleModel,
  builtCluster,
  keptStore,
  clusterEntries,
  clusterView,
  consoleFindings,
  type BuiltCluster,
  type ClusterView,
  type ModelInputs,
} from './build-model.js';
import type { ConsoleModel, ConsolePromotion } from './model.js';
import { KeptObjects } from './kept-object.js';

export interface WatchModelRun {
  readonly model: ConsoleModel;
  /** Paths of the clusters checked (and their views made) again in this run. */
  readonly checked: readonly string[];
  /** Clusters of the repository now. */
  readonly total: number;
}

export class ConsoleWatchModel {
  private readonly check = new WatchCheck();
  /** cluster path -> its view, while its check is kept. */
  private readonly views = new Map<string, ClusterView>();
  /** The objects of the kept views, one copy of each (what the views made again share with the others). */
  private readonly objects = new KeptObjects();
  private promotions: { key: string; value: ConsolePromotion[] } | undefined;

  /** The model of the repository as it is now; throws what the check throws (an input error: nothing kept changes). */
  run(inp: ModelInputs, fingerprint?: Fingerprint): WatchModelRun {
    const disk = new DiskRepoFs(inp.root);
    const session = inp.session ?? createSession();
    const built = new Map<string, BuiltCluster>();
    const { vars } = renderInputs(session);
    const store = keptStore(this.objects);
    const run = this.check.run(disk, {
      ...inp.check,
      session,
      ...(fingerprint ? { fingerprint } : {}),
      onClusterBuild: (c, build) =>
        built.set(c.path, builtCluster(disk, c, build, this.check.filesRead(c.path), vars, store)),
    });
    const inputs = { ...inp, ...(inp.promotions ? { promotions: this.keptPromotions(inp.promotions) } : {}) };
    const paths = run.result.clusters.map((c) => c.path);
    if (this.check.keptClusters === 0 && paths.length > 0) {
      // The kept check gave up on telling clusters apart: nothing kept, the model made afresh.
      this.views.clear();
      this.objects.retain([]);
      return { model: buildConsoleModel(inputs), checked: run.checked, total: new Set(paths).size };
    }
    const findings = consoleFindings(run.result.findings);
    // The clusters discovered now: those checked again with their build, the others by their kept view.
    const discovered = new Map<string, { name: string; path: string; build?: BuiltCluster }>();
    for (const c of run.result.clusters) {
      const b = built.get(c.path);
      discovered.set(
        c.path,
        b ? { ...b, build: b } : { name: this.views.get(c.path)?.cluster.name ?? c.name, path: c.path },
      );
    }
    const views: ClusterView[] = [];
    for (const e of clusterEntries([...discovered.values()], inp.fleet)) {
      const kept = e.r && !e.r.build ? this.views.get(e.path) : undefined;
      if (e.r && !e.r.build && !kept) {
        // Not checked again and no view kept (cannot happen while the check keeps clusters): afresh.
        this.views.clear();
        this.objects.retain([]);
        return { model: buildConsoleModel(inputs), checked: run.checked, total: discovered.size };
      }
      views.push(kept ?? clusterView({ name: e.name, path: e.path, r: e.r?.build }, inp.fleet, findings));
    }
    this.views.clear();
    for (const v of views) if (v.planned) this.views.set(v.cluster.path, v);
    this.objects.retain([...this.views.values()].flatMap((v) => [...v.objects.values()]));
    return { model: assembleModel(inputs, session, findings, views), checked: run.checked, total: discovered.size };
  }

  /** The promotion previews, made again only when the fleet, the render settings or a git ref changed. */
  private keptPromotions(make: NonNullable<ModelInputs['promotions']>): NonNullable<ModelInputs['promotions']> {
    return (root, fleet, session: Session) => {
      const refs = gitRaw(root, ['for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads', 'refs/remotes']);
      const settings = { ...renderSettingsOf(session), unfetched: undefined };
      const key = createHash('sha256')
        .update(JSON.stringify([fleet, settings, refs.stdout]))
        .digest('hex');
      if (this.promotions?.key !== key) this.promotions = { key, value: make(root, fleet, session) };
      return this.promotions.value;
    };
  }
}
