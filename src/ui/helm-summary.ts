/**
 * What `aksfleet ui` says on the terminal about the HelmReleases it could not render, so that a
 * console with charts missing is never taken for a complete one (the views list each HelmRelease
 * with its status and reason).
 */
import type { ConsoleModel } from './model.js';

/** One line per kind of unrendered HelmRelease (none when every HelmRelease rendered or there is none). */
export function helmSummaryLines(model: Pick<ConsoleModel, 'clusters'>): string[] {
  const counts = { failed: 0, 'chart-unavailable': 0, disabled: 0 };
  for (const c of model.clusters) {
    for (const h of [...c.helmReleases, ...c.kustomizations.flatMap((k) => k.helmReleases)]) {
      if (h.status in counts) counts[h.status as keyof typeof counts]++;
    }
  }
  const out: string[] = [];
  if (counts.failed)
    out.push(`warning: ${counts.failed} HelmRelease(s) failed to render: the console shows each with its error`);
  if (counts['chart-unavailable'])
    out.push(
      `warning: ${counts['chart-unavailable']} HelmRelease(s) not rendered, no chart for them offline: the ` +
        `console shows each with the reason (map their sources with --chart-source, or use --chart-cache)`,
    );
  if (counts.disabled) out.push(`info: --no-helm: ${counts.disabled} HelmRelease(s) not rendered`);
  return out;
}
