// @ts-check
// The aksfleet console: a small single-page app over the read-only JSON API of `aksfleet ui`.
// No framework, no CDN: every asset ships with the package. Views are routed by the URL hash.

const main = /** @type {HTMLElement} */ (document.getElementById('main'));
const cache = new Map();

/** @param {string} path */
async function api(path) {
  if (cache.has(path)) return cache.get(path);
  const res = await fetch(path, { headers: { accept: 'application/json' } });
  const body = await res.json();
  if (!res.ok) throw new Error(body.error || `HTTP ${res.status}`);
  cache.set(path, body);
  return body;
}

/** Escapes text for HTML. @param {unknown} s */
function esc(s) {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}
const enc = encodeURIComponent;

/** @param {string} html @param {string} title */
function render(html, title) {
  main.innerHTML = html;
  document.title = `${title} · aksfleet`;
  main.focus({ preventScroll: true });
}

function sevBadges(/** @type {{error:number,warning:number,info:number}} */ f) {
  const parts = [];
  for (const s of /** @type {const} */ (['error', 'warning', 'info'])) {
    if (f[s]) parts.push(`<span class="badge sev-${s}" aria-label="${f[s]} ${s} findings">${f[s]} ${s}${f[s] === 1 || s === 'info' ? '' : 's'}</span>`);
  }
  return parts.length ? parts.join('') : '<span class="badge status-ok">no findings</span>';
}

async function overview() {
  const o = await api('/api/fleet');
  const byName = new Map(o.clusters.map((/** @type {any} */ c) => [c.name, c]));
  const envs = o.environments
    .map((/** @type {any} */ e) => {
      const cards = e.clusters
        .map((/** @type {string} */ n) => {
          const c = /** @type {any} */ (byName.get(n));
          if (!c) return '';
          const pools = c.pools.map((/** @type {any} */ p) => `${esc(p.name)} (${esc(p.mode)}, ${p.min !== undefined ? `${p.min}–${p.max}` : p.count} × ${esc(p.vmSize)})`).join('<br>');
          return `<a class="card" href="#/cluster/${enc(c.name)}" data-cluster="${esc(c.name)}" aria-label="Cluster ${esc(c.name)}">
            <h3>${esc(c.name)}</h3>
            <dl class="kv"><dt>Kubernetes</dt><dd>${esc(c.kubernetesVersion ?? '—')}</dd><dt>Region</dt><dd>${esc(c.location ?? '—')}</dd><dt>Path</dt><dd><code>${esc(c.path)}</code></dd><dt>Flux</dt><dd>${c.kustomizationCount} Kustomizations, ${c.objectCount} objects</dd><dt>Pools</dt><dd>${pools || '—'}</dd></dl>
            <div class="badges">${sevBadges(c.findings)}${c.errors.length ? `<span class="badge status-error">build errors</span>` : ''}</div></a>`;
        })
        .join('');
      const commit = e.lastCommit ? `<div class="branch">last commit <code>${esc(e.lastCommit.sha.slice(0, 7))}</code> ${esc(e.lastCommit.subject)} <span class="muted">(${esc(e.lastCommit.date)})</span></div>` : '';
      return `<section class="env" aria-label="Environment ${esc(e.name)}"><h2>${esc(e.name)}</h2><div class="branch">${e.branch ? `branch <code>${esc(e.branch)}</code>` : ''}</div>${commit}${cards || '<p class="empty">no clusters</p>'}</section>`;
    })
    .join('');
  render(`<h1>Fleet ${esc(o.fleet)}</h1><div class="envs">${envs}</div>`, 'Fleet');
}

/** Layered layout of the Kustomization graph: layer = longest dependsOn chain. */
function graphSvg(/** @type {any[]} */ ks, /** @type {string} */ cluster, /** @type {string|undefined} */ selected) {
  const ids = new Set(ks.map((k) => k.id));
  const layer = new Map();
  const depth = (/** @type {string} */ id, /** @type {Set<string>} */ seen) => {
    if (layer.has(id)) return layer.get(id);
    if (seen.has(id)) return 0;
    seen.add(id);
    const k = ks.find((x) => x.id === id);
    const preds = k ? [...k.dependsOn, ...(k.parent ? [k.parent] : [])].filter((/** @type {string} */ x) => ids.has(x)) : [];
    const d = Math.max(0, ...preds.map((/** @type {string} */ x) => depth(x, seen) + 1));
    layer.set(id, d);
    return d;
  };
  ks.forEach((k) => depth(k.id, new Set()));
  const cols = new Map();
  for (const k of ks) {
    const l = layer.get(k.id);
    if (!cols.has(l)) cols.set(l, []);
    cols.get(l).push(k);
  }
  const W = 210, H = 54, GX = 70, GY = 18, P = 16;
  const pos = new Map();
  let maxRows = 0;
  for (const [l, list] of cols) {
    list.forEach((/** @type {any} */ k, /** @type {number} */ i) => pos.set(k.id, { x: P + l * (W + GX), y: P + i * (H + GY) }));
    maxRows = Math.max(maxRows, list.length);
  }
  const width = P * 2 + cols.size * W + (cols.size - 1) * GX;
  const height = P * 2 + maxRows * H + (maxRows - 1) * GY;
  const edges = ks
    .flatMap((k) => k.dependsOn.filter((/** @type {string} */ d) => pos.has(d)).map((/** @type {string} */ d) => [pos.get(d), pos.get(k.id)]))
    .map(([a, b]) => `<path class="edge" d="M${a.x + W},${a.y + H / 2} C${a.x + W + GX / 2},${a.y + H / 2} ${b.x - GX / 2},${b.y + H / 2} ${b.x},${b.y + H / 2}"/>`)
    .join('') +
    ks
      .filter((k) => k.parent && pos.has(k.parent))
      .map((k) => [pos.get(k.parent), pos.get(k.id)])
      .map(([a, b]) => `<path class="edge parent" d="M${a.x + W},${a.y + H / 2} C${a.x + W + GX / 2},${a.y + H / 2} ${b.x - GX / 2},${b.y + H / 2} ${b.x},${b.y + H / 2}"/>`)
      .join('');
  const nodes = ks
    .map((k) => {
      const p = pos.get(k.id);
      const href = `#/cluster/${enc(cluster)}/ks/${enc(k.namespace)}/${enc(k.name)}`;
      return `<a href="${href}" class="node status-${k.status}${k.id === selected ? ' selected' : ''}" data-ks="${esc(k.id)}" aria-label="Kustomization ${esc(k.namespace)}/${esc(k.name)}: ${k.objectCount} objects, ${esc(k.status)}">
        <rect x="${p.x}" y="${p.y}" width="${W}" height="${H}"></rect>
        <text x="${p.x + 10}" y="${p.y + 21}">${esc(k.name)}</text>
        <text class="sub" x="${p.x + 10}" y="${p.y + 40}">${k.objectCount} objects · ${esc(k.status)}</text></a>`;
    })
    .join('');
  const legend = `<p class="muted legend">solid arrow: dependsOn · dashed arrow: defined by (parent)</p>`;
  return legend + `<svg class="graph" role="img" aria-label="Flux Kustomization dependency graph of ${esc(cluster)}" viewBox="0 0 ${width} ${height}" width="${width}">
    <defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#8c959f"/></marker></defs>
    ${edges}${nodes}</svg>`;
}

/** The HelmReleases of a Kustomization (or the cluster path), each with the objects its chart installs. */
function helmReleasesHtml(/** @type {any[]} */ hrs, /** @type {string} */ objectBase) {
  return hrs
    .map((h) => {
      const chart = h.chart ? `${h.chart.name}${h.chart.version ? `@${h.chart.version}` : ''}` : 'chart not found';
      const rows = h.objects
        .map((/** @type {any} */ o) => `<tr><td><a href="${objectBase}${enc(o.id)}" data-object="${esc(o.id)}" data-helm-release="${esc(h.id)}">${esc(o.id)}</a></td><td>${o.template ? `<code>${esc(o.template)}</code>` : ''}</td></tr>`)
        .join('');
      return `<section class="helm-release" aria-label="${esc(h.id)}"><h3>${esc(h.id)} <span class="muted">${esc(chart)} · <span class="status-${h.status === 'rendered' ? 'ok' : h.status === 'failed' ? 'error' : 'warning'}">${esc(h.status)}</span></span></h3>
        ${h.problems.length ? `<pre class="${h.status === 'failed' ? 'danger' : 'muted'}">${esc(h.problems.join('\n'))}</pre>` : ''}
        ${h.objects.length ? `<table aria-label="Chart objects of ${esc(h.id)}"><thead><tr><th>Object</th><th>Template</th></tr></thead><tbody>${rows}</tbody></table>` : ''}</section>`;
    })
    .join('');
}

async function clusterView(/** @type {string} */ name, /** @type {string|undefined} */ ksNs, /** @type {string|undefined} */ ksName, /** @type {string|undefined} */ objectId) {
  const c = await api(`/api/cluster?name=${enc(name)}`);
  const selected = ksName ? `Kustomization/${ksNs}/${ksName}` : undefined;
  const k = c.kustomizations.find((/** @type {any} */ x) => x.id === selected);
  let side = '<p class="muted">Select a Kustomization in the graph to see its objects.</p>';
  if (k) {
    const rows = k.objects
      .map((/** @type {any} */ o) => `<tr><td><a href="#/cluster/${enc(name)}/ks/${enc(k.namespace)}/${enc(k.name)}/obj/${enc(o.id)}" data-object="${esc(o.id)}">${esc(o.id)}</a></td><td>${o.file ? `<code>${esc(o.file)}${o.line ? `:${o.line}` : ''}</code>` : ''}</td></tr>`)
      .join('');
    side = `<h2>${esc(k.namespace)}/${esc(k.name)}</h2><dl class="kv"><dt>Path</dt><dd><code>${esc(k.path)}</code></dd><dt>Depends on</dt><dd>${k.dependsOn.map(esc).join(', ') || '—'}</dd><dt>Status</dt><dd class="status-${k.status}">${esc(k.status)}</dd></dl>
      ${k.errors.length ? `<pre class="danger">${esc(k.errors.join('\n'))}</pre>` : ''}
      <table aria-label="Objects of ${esc(k.name)}"><thead><tr><th>Object</th><th>Source</th></tr></thead><tbody>${rows || '<tr><td colspan="2" class="empty">no objects</td></tr>'}</tbody></table>
      ${helmReleasesHtml(k.helmReleases ?? [], `#/cluster/${enc(name)}/ks/${enc(k.namespace)}/${enc(k.name)}/obj/`)}`;
  } else if ((c.helmReleases ?? []).length) {
    side += `<h2>HelmReleases at ${esc(c.path)}</h2>${helmReleasesHtml(c.helmReleases, `#/object/${enc(name)}/`)}`;
  }
  let objectHtml = '';
  if (objectId) {
    const o = await api(`/api/object?cluster=${enc(name)}&id=${enc(objectId)}`);
    let src = '';
    if (o.file) {
      try {
        const s = await api(`/api/source?file=${enc(o.file)}`);
        const lines = String(s.text).split('\n');
        let end = lines.length;
        if (o.line) for (let i = o.line; i < lines.length; i++) if (/^---/.test(lines[i])) { end = i; break; }
        const body = lines
          .map((l, i) => `<span class="ln${o.line && i + 1 >= o.line && i < end ? ' hl' : ''}"><span class="no" aria-hidden="true">${i + 1}</span>${esc(l)}</span>`)
          .join(''); // each line is a block: a newline between them would show as an empty line
        src = `<h2>Source <code>${esc(o.file)}${o.line ? `:${o.line}` : ''}</code></h2><pre aria-label="Source file" class="source">${body}</pre>`;
      } catch {
        src = `<p class="muted">Source: <code>${esc(o.file)}</code></p>`;
      }
    }
    const by = o.helmRelease ? `<p class="muted">installed by ${esc(o.helmRelease)}${o.template ? ` from <code>${esc(o.template)}</code>` : ''}</p>` : '';
    objectHtml = `<section class="panel" aria-label="Object ${esc(o.id)}"><h2>${esc(o.id)}</h2>${by}<pre aria-label="Rendered YAML" id="object-yaml">${esc(o.yaml)}</pre>${src}</section>`;
  }
  render(
    `<h1>Cluster ${esc(c.name)} <span class="muted">${esc([c.environment, c.kubernetesVersion].filter(Boolean).join(' · '))}</span></h1>
    ${c.errors.length ? `<pre class="danger">${esc(c.errors.join('\n'))}</pre>` : ''}
    <div class="layout"><section class="panel" aria-label="Dependency graph">${c.kustomizations.length ? graphSvg(c.kustomizations, c.name, selected) : '<p class="empty">No Flux Kustomizations rendered.</p>'}</section>
    <section class="panel" aria-label="Kustomization details">${side}</section></div>${objectHtml}`,
    `Cluster ${c.name}`,
  );
}

async function findingsView() {
  const all = await api('/api/findings');
  const clusters = [...new Set(all.map((/** @type {any} */ f) => f.cluster).filter(Boolean))];
  const rules = [...new Set(all.map((/** @type {any} */ f) => f.rule))].sort();
  render(
    `<h1>Findings <span class="muted" id="count"></span></h1>
    <div class="filters" role="search">
      <label>Severity<select id="f-sev"><option value="">all</option><option>error</option><option>warning</option><option>info</option></select></label>
      <label>Cluster<select id="f-cluster"><option value="">all</option>${clusters.map((c) => `<option>${esc(c)}</option>`).join('')}</select></label>
      <label>Rule<select id="f-rule"><option value="">all</option>${rules.map((r) => `<option>${esc(r)}</option>`).join('')}</select></label>
      <label>Text<input id="f-text" type="search" placeholder="filter…"></label>
    </div>
    <table aria-label="Findings"><thead><tr><th>Severity</th><th>Rule</th><th>Cluster</th><th>Object</th><th>Where</th><th>Message</th></tr></thead><tbody id="f-rows"></tbody></table>`,
    'Findings',
  );
  const $ = (/** @type {string} */ id) => /** @type {HTMLInputElement} */ (document.getElementById(id));
  const update = () => {
    const sev = $('f-sev').value, cl = $('f-cluster').value, rule = $('f-rule').value, text = $('f-text').value.toLowerCase();
    const rows = all.filter((/** @type {any} */ f) => (!sev || f.severity === sev) && (!cl || f.cluster === cl) && (!rule || f.rule === rule) && (!text || JSON.stringify(f).toLowerCase().includes(text)));
    $('count').textContent = `(${rows.length} of ${all.length})`;
    /** @type {HTMLElement} */ ($('f-rows')).innerHTML =
      rows
        .map((/** @type {any} */ f) => {
          const obj = f.resource && f.cluster ? `<a href="#/object/${enc(f.cluster)}/${enc(f.resource)}">${esc(f.resource)}</a>` : esc(f.resource ?? '');
          return `<tr><td class="sev-${f.severity}">${esc(f.severity)}</td><td><code>${esc(f.rule)}</code></td><td>${esc(f.cluster ?? '')}</td><td>${obj}</td><td>${f.file ? `<code>${esc(f.file)}${f.line ? `:${f.line}` : ''}</code>` : ''}</td><td>${esc(f.message)}${f.hint ? `<div class="muted">${esc(f.hint)}</div>` : ''}</td></tr>`;
        })
        .join('') || '<tr><td colspan="6" class="empty">no findings</td></tr>';
  };
  for (const id of ['f-sev', 'f-cluster', 'f-rule', 'f-text']) $(id).addEventListener('input', update);
  update();
}

async function objectRedirect(/** @type {string} */ cluster, /** @type {string} */ id) {
  const c = await api(`/api/cluster?name=${enc(cluster)}`);
  const has = (/** @type {any} */ x) => x.objects.some((/** @type {any} */ o) => o.id === id) || (x.helmReleases ?? []).some((/** @type {any} */ h) => h.objects.some((/** @type {any} */ o) => o.id === id));
  const k = c.kustomizations.find(has);
  if (k) location.hash = `#/cluster/${enc(cluster)}/ks/${enc(k.namespace)}/${enc(k.name)}/obj/${enc(id)}`;
  else await clusterView(cluster, undefined, undefined, id);
}

function changeLine(/** @type {any} */ c) {
  const s = (/** @type {unknown} */ v) => esc(typeof v === 'string' ? v : JSON.stringify(v));
  if (c.op === 'add') return `<span class="added">+ ${esc(c.path)}: ${s(c.to)}</span>`;
  if (c.op === 'remove') return `<span class="removed">- ${esc(c.path)}: ${s(c.from)}</span>`;
  return `~ ${esc(c.path)}: ${s(c.from)} → ${s(c.to)}`;
}

/** Whether an object-set diff changes nothing. */
function isEmptyDiff(/** @type {any} */ d) {
  return d.added.length + d.removed.length + d.changed.length === 0;
}

/** `N added, N changed, N removed` of an object-set diff. */
function diffCounts(/** @type {any} */ d) {
  return `${d.added.length} added, ${d.changed.length} changed, ${d.removed.length} removed`;
}

/** The list items of an object-set diff: dangers, images, then added, removed and changed objects. */
function diffLines(/** @type {any} */ d) {
  return [
    ...d.dangers.map((/** @type {any} */ x) => `<li class="danger">⚠ ${esc(x.id)}: ${esc(x.reason)}</li>`),
    ...d.images.map((/** @type {any} */ x) => `<li>image ${esc(x.id)} [${esc(x.container)}]: ${esc(x.from ?? '(new)')} → ${esc(x.to ?? '(removed)')}</li>`),
    ...d.added.map((/** @type {any} */ x) => `<li class="added">+ ${esc(x.id)}</li>`),
    ...d.removed.map((/** @type {any} */ x) => `<li class="removed">- ${esc(x.id)}</li>`),
    ...d.changed.map((/** @type {any} */ x) => `<li>~ ${esc(x.id)}<ul>${x.changes.map((/** @type {any} */ ch) => `<li><code>${changeLine(ch)}</code></li>`).join('')}</ul></li>`),
  ];
}

async function promotionView() {
  const ps = await api('/api/promotions');
  const html = ps
    .map((/** @type {any} */ p) => {
      if (p.status !== 'changes') return `<section class="panel"><h2>${esc(p.from)} → ${esc(p.to)}</h2><p class="muted">${esc(p.message ?? p.status)}</p></section>`;
      const clusters = p.diff.clusters
        .map((/** @type {any} */ c) => {
          if (c.errors.length) return `<h3>${esc(c.cluster)}</h3><pre class="danger">${esc(c.errors.join('\n'))}</pre>`;
          // What this cluster applies to other clusters (spec.kubeConfig), apart and not counted in it, as diff's text says it.
          const remote = (c.remote ?? [])
            .map((/** @type {any} */ x) => `<section class="remote" aria-label="${esc(`${c.cluster} → kubeConfig ${x.target}`)}"><h4>objects cluster ${esc(c.cluster)} applies to another cluster (kubeConfig ${esc(x.target)}), not counted above: <span class="muted">${isEmptyDiff(x.diff) ? 'no changes' : diffCounts(x.diff)}</span></h4>${isEmptyDiff(x.diff) ? '' : `<ul>${diffLines(x.diff).join('')}</ul>`}</section>`)
            .join('');
          if (!c.diff || isEmptyDiff(c.diff)) return `<h3>${esc(c.cluster)}</h3><p class="muted">no change${c.unchangedInputs ? ' (inputs unchanged)' : ''}</p>${remote}`;
          return `<h3>${esc(c.cluster)} <span class="muted">${diffCounts(c.diff)}</span></h3><ul>${diffLines(c.diff).join('')}</ul>${remote}`;
        })
        .join('');
      return `<section class="panel"><h2>${esc(p.from)} → ${esc(p.to)}</h2>${clusters}</section>`;
    })
    .join('');
  render(`<h1>Promotion</h1>${html || '<p class="empty">No environments to promote between.</p>'}`, 'Promotion');
}

async function upgradeView() {
  const u = await api('/api/upgrade');
  if (!u.available) {
    render(`<h1>Upgrade plan</h1><p class="empty">${esc(u.note ?? 'No plan.')}</p>`, 'Upgrades');
    return;
  }
  const steps = u.plan.steps ?? [];
  const rings = new Map();
  for (const s of steps) {
    const r = s.ring ?? 'fleet';
    if (!rings.has(r)) rings.set(r, []);
    rings.get(r).push(s);
  }
  const html = [...rings]
    .map(([ring, list]) => {
      const items = list
        .map((/** @type {any} */ s) => `<li class="${s.kind === 'gate' || s.kind === 'soak' ? 'gate' : ''}"><strong>${esc(s.cluster ?? '')}</strong> ${esc(s.kind)}${s.pool ? ` <code>${esc(s.pool)}</code>` : ''}${s.from || s.to ? `: ${esc(s.from ?? '')} → ${esc(s.to ?? '')}` : ''}${s.note ? ` <span class="muted">${esc(s.note)}</span>` : ''}</li>`)
        .join('');
      return `<section class="ring" aria-label="Ring ${esc(ring)}"><h2>Ring ${esc(ring)}</h2><ol class="steps">${items}</ol></section>`;
    })
    .join('');
  const warnings = (u.plan.warnings ?? u.plan.findings ?? []).map((/** @type {any} */ w) => `<li>${esc(typeof w === 'string' ? w : w.message ?? JSON.stringify(w))}</li>`).join('');
  render(`<h1>Upgrade plan ${u.plan.target ? `to ${esc(u.plan.target)}` : ''}</h1>${warnings ? `<section class="panel"><h2>Before the first step</h2><ul>${warnings}</ul></section>` : ''}<div class="timeline">${html}</div>`, 'Upgrades');
}

/** The clusters of an SLO: where the spec places it, each marked when its render has no PrometheusRule for it. */
function sloClusters(/** @type {any} */ s) {
  if (!s.renderedOn) return esc(s.clusters.join(', '));
  const all = [...new Set([...s.clusters, ...s.renderedOn])];
  return all
    .map((/** @type {string} */ c) => (s.renderedOn.includes(c) ? esc(c) : `<span class="sev-warning" title="its render has no PrometheusRule for this SLO">${esc(c)} (not rendered)</span>`))
    .join(', ');
}

async function slosView() {
  const slos = await api('/api/slos');
  const rows = slos
    .map(
      (/** @type {any} */ s) =>
        `<tr><td>${esc(s.tenant)}/${esc(s.app)}</td><td>${esc(s.name)}</td><td>${esc(s.kind)}</td><td>${esc(s.objective)}%</td><td>${esc(s.window)}</td><td>${sloClusters(s)}</td><td><ul>${s.alerts.map((/** @type {any} */ a) => `<li><code>${esc(a.name)}</code> <span class="badge sev-${a.severity === 'page' ? 'error' : 'warning'}">${esc(a.severity)}</span></li>`).join('')}</ul></td></tr>`,
    )
    .join('');
  render(`<h1>Service level objectives</h1><table aria-label="SLOs"><thead><tr><th>App</th><th>SLO</th><th>Kind</th><th>Objective</th><th>Window</th><th>Clusters</th><th>Alerts</th></tr></thead><tbody>${rows || '<tr><td colspan="7" class="empty">no SLOs</td></tr>'}</tbody></table>`, 'SLOs');
}

async function route() {
  const parts = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  const nav = parts[0] === '' || parts[0] === 'cluster' || parts[0] === 'object' ? 'overview' : parts[0];
  document.querySelectorAll('[data-nav]').forEach((a) => (a.getAttribute('data-nav') === nav ? a.setAttribute('aria-current', 'page') : a.removeAttribute('aria-current')));
  try {
    if (parts[0] === 'cluster' && parts[1]) await clusterView(parts[1], parts[3], parts[4], parts[5] === 'obj' ? parts.slice(6).join('/') : undefined);
    else if (parts[0] === 'object' && parts[1]) await objectRedirect(parts[1], parts.slice(2).join('/'));
    else if (parts[0] === 'findings') await findingsView();
    else if (parts[0] === 'promotion') await promotionView();
    else if (parts[0] === 'upgrade') await upgradeView();
    else if (parts[0] === 'slos') await slosView();
    else await overview();
  } catch (e) {
    render(`<h1>Error</h1><pre class="danger">${esc(/** @type {Error} */ (e).message)}</pre>`, 'Error');
  }
}

/** The fleet's name and root in the header. */
function fleetName() {
  api('/api/fleet')
    .then((o) => {
      const el = document.getElementById('fleet-name');
      if (el) el.textContent = `${o.fleet} · ${o.root}`;
    })
    .catch(() => {});
}

// `aksfleet ui --watch`: the page asks /api/revision twice a second and shows the model of each new
// revision without a reload (the view, its filters and the scroll position kept); the header says
// when the model was made, "re-checking…" while the console computes the next one (or does not
// answer within 400 ms: it is busy computing), and a failed re-check's error above a stale view.
let shown = -1;
const live = /** @type {HTMLElement} */ (document.getElementById('live'));
const watchError = /** @type {HTMLElement} */ (document.getElementById('watch-error'));

/** `HH:MM:SS` of an ISO time, in the browser's time zone. @param {string|undefined} iso */
function clock(iso) {
  return iso ? new Date(iso).toLocaleTimeString([], { hour12: false }) : '';
}

/** The header's indicator and the error banner for a revision. @param {any} r */
function showRevision(r) {
  live.hidden = false;
  live.dataset.revision = String(r.revision);
  live.dataset.state = r.stale ? 'stale' : r.state;
  live.className = `live ${r.state === 'checking' ? 'checking' : r.stale ? 'stale' : ''}`;
  const last = r.last
    ? `revision ${r.revision}: ${r.last.checked} of ${r.last.total} cluster(s) re-checked in ${r.last.ms} ms`
    : '';
  live.title = last;
  live.textContent =
    r.state === 'checking'
      ? 're-checking…'
      : r.stale
        ? `stale: model of ${clock(r.updatedAt)}`
        : r.revision
          ? `updated at ${clock(r.updatedAt)}`
          : '';
  main.classList.toggle('stale', Boolean(r.stale));
  if (r.error) {
    const at = r.error.location ?? {};
    const where = at.file ? [at.file, at.line, at.column].filter((x) => x !== undefined).join(':') : '';
    const kept = r.revision
      ? `The page shows the last good model (updated at ${esc(clock(r.updatedAt))}), marked stale, until it is fixed.`
      : 'No model yet: fix the error and save.';
    const failed = `The re-check after the last save failed${where ? ` at <code>${esc(where)}</code>` : ''}.`;
    watchError.innerHTML = `<strong>${failed}</strong> ${kept}<pre>${esc(r.error.message)}</pre>`;
    watchError.hidden = false;
  } else {
    watchError.hidden = true;
    watchError.textContent = '';
  }
}

/** Shows the model of the revision served now, keeping the view's form values and scroll position. */
async function refresh() {
  const values = [...main.querySelectorAll('select[id], input[id]')].map((e) => [
    e.id,
    /** @type {HTMLInputElement} */ (e).value,
  ]);
  const y = window.scrollY;
  const focused = document.activeElement?.id;
  cache.clear();
  await route();
  for (const [id, v] of values) {
    const e = /** @type {HTMLInputElement|null} */ (document.getElementById(id));
    if (e && e.value !== v) {
      e.value = v;
      e.dispatchEvent(new Event('input'));
    }
  }
  // Typing in a filter goes on where it was.
  if (focused && focused !== 'main') document.getElementById(focused)?.focus({ preventScroll: true });
  window.scrollTo(0, y);
  fleetName();
}

async function poll() {
  const busy = setTimeout(() => showRevision({ ...JSON.parse(live.dataset.last ?? '{}'), state: 'checking' }), 400);
  try {
    const res = await fetch('/api/revision', { headers: { accept: 'application/json' } });
    const r = await res.json();
    clearTimeout(busy);
    live.dataset.last = JSON.stringify(r);
    showRevision(r);
    if (r.revision > 0 && r.revision !== shown) {
      shown = r.revision;
      await refresh();
    }
  } catch {
    clearTimeout(busy);
    live.hidden = false;
    live.className = 'live stale';
    live.dataset.state = 'unreachable';
    live.textContent = 'console not reachable';
  }
  setTimeout(poll, 500);
}

window.addEventListener('hashchange', route);
fleetName();
route();
fetch('/api/revision', { headers: { accept: 'application/json' } })
  .then((res) => res.json())
  .then((r) => {
    if (!r.watching) return;
    shown = r.revision;
    live.dataset.last = JSON.stringify(r);
    showRevision(r);
    setTimeout(poll, 500);
  })
  .catch(() => {});
