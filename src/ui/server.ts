/**
 * The console's HTTP server: static assets shipped with the package (no CDN) and a read-only
 * JSON API over a ConsoleModel computed by the same library functions as the CLI.
 * Binds 127.0.0.1 unless told otherwise; refuses foreign Host/Origin headers; no endpoint takes
 * a file path (source files are served only when the build read them, by repo-relative path).
 * `/api/revision` says which model is served (`aksfleet ui --watch` swaps it after a save).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../package-root.js';
import { refuseReason, SECURITY_HEADERS } from './security.js';
import type { ConsoleModel } from './model.js';
import { ModelNotReady, type ConsoleRevision } from './live-model.js';
import { consoleObject } from './kept-object.js';

const ASSETS: Readonly<Record<string, string>> = {
  '/': 'index.html',
  '/index.html': 'index.html',
  '/app.js': 'app.js',
  '/app.css': 'app.css',
  '/favicon.svg': 'favicon.svg',
};
const TYPES: Readonly<Record<string, string>> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  json: 'application/json; charset=utf-8',
};

export const ASSET_DIR = join(PACKAGE_ROOT, 'ui');

export interface ConsoleServerOptions {
  /** The model, or where to get it when a request comes (`aksfleet ui` listens before it renders). */
  readonly model: ConsoleModel | (() => ConsoleModel);
  readonly host?: string;
  readonly port?: number;
  readonly allowedHosts?: readonly string[];
  readonly log?: (line: string) => void;
  /** Where the console's assets are: the installed package's ui/ (tests point it elsewhere). */
  readonly assetDir?: string;
  /** What `/api/revision` answers (`aksfleet ui --watch`: LiveModel); default: revision 1, not watching. */
  readonly revision?: () => ConsoleRevision;
}

/** `/api/revision` of a console that computes its model once. */
export const FIXED_REVISION: ConsoleRevision = { watching: false, revision: 1, state: 'ready', stale: false };

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function json(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, TYPES.json!, JSON.stringify(value));
}

/** Routes one API request against the model. Exported for tests. */
export function apiAnswer(model: ConsoleModel, url: URL): { status: number; body: unknown } {
  const p = url.pathname;
  const q = (k: string) => url.searchParams.get(k) ?? '';
  if (p === '/api/fleet') return { status: 200, body: model.overview };
  if (p === '/api/findings') return { status: 200, body: model.findings };
  if (p === '/api/promotions') return { status: 200, body: model.promotions };
  if (p === '/api/upgrade') return { status: 200, body: model.upgrade };
  if (p === '/api/slos') return { status: 200, body: model.slos };
  if (p === '/api/cluster') {
    const c = model.clusters.find((x) => x.name === q('name'));
    return c ? { status: 200, body: c } : { status: 404, body: { error: `no cluster '${q('name')}'` } };
  }
  if (p === '/api/object') {
    const o = model.objects.get(q('cluster'))?.get(q('id'));
    return o
      ? { status: 200, body: consoleObject(o) }
      : { status: 404, body: { error: `no object '${q('id')}' on cluster '${q('cluster')}'` } };
  }
  if (p === '/api/source') {
    // Only files the build read, by exact repo-relative path: no traversal is expressible.
    const file = q('file');
    const text = model.sources.get(file);
    return text !== undefined
      ? { status: 200, body: { file, text } }
      : { status: 404, body: { error: 'not a source file of this fleet' } };
  }
  return { status: 404, body: { error: 'not found' } };
}

export function handle(opts: ConsoleServerOptions, req: IncomingMessage, res: ServerResponse): void {
  const refused = refuseReason(req, { allowedHosts: opts.allowedHosts });
  if (refused) {
    opts.log?.(`refused: ${refused.reason}`);
    json(res, refused.status, { error: refused.reason });
    return;
  }
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://127.0.0.1');
  } catch {
    json(res, 400, { error: 'bad url' });
    return;
  }
  if (url.pathname === '/api/revision') {
    json(res, 200, opts.revision?.() ?? FIXED_REVISION);
    return;
  }
  if (url.pathname.startsWith('/api/')) {
    let model: ConsoleModel;
    try {
      // One model for the whole answer: a model published meanwhile serves the next request.
      model = typeof opts.model === 'function' ? opts.model() : opts.model;
    } catch (e) {
      if (!(e instanceof ModelNotReady)) throw e;
      json(res, 503, { error: e.message });
      return;
    }
    const a = apiAnswer(model, url);
    json(res, a.status, a.body);
    return;
  }
  const asset = ASSETS[url.pathname];
  if (!asset) {
    json(res, 404, { error: 'not found' });
    return;
  }
  const ext = asset.split('.').pop()!;
  let body: Buffer;
  try {
    body = readFileSync(join(opts.assetDir ?? ASSET_DIR, asset));
  } catch (e) {
    opts.log?.(`console asset ${asset}: ${(e as Error).message}`);
    json(res, 500, { error: missingAssetMessage(asset) });
    return;
  }
  send(res, 200, TYPES[ext] ?? 'application/octet-stream', body);
}

/** What the browser is told when an asset cannot be read: names the asset, never a path of the machine. */
export function missingAssetMessage(asset: string): string {
  return (
    `the console's file ui/${asset} is missing from this aksfleet installation; reinstall aksfleet (npm install` +
    ` --global aksfleet)`
  );
}

/** What the browser is told when a request fails unexpectedly; the details go to the terminal only. */
export const INTERNAL_ERROR_MESSAGE =
  'internal error in the aksfleet console: the terminal running aksfleet ui shows the details';

/** The request handler with its failures answered as a user message (never a stack or a machine path). */
export function safeHandle(opts: ConsoleServerOptions, req: IncomingMessage, res: ServerResponse): void {
  try {
    handle(opts, req, res);
  } catch (e) {
    opts.log?.(`${req.method ?? 'GET'} ${req.url ?? '/'}: ${(e as Error).message}`);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    json(res, 500, { error: INTERNAL_ERROR_MESSAGE });
  }
}

/** Starts the server; resolves with it once listening. */
export function startConsole(opts: ConsoleServerOptions): Promise<Server> {
  const server = createServer((req, res) => safeHandle(opts, req, res));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 7777, opts.host ?? '127.0.0.1', () => resolve(server));
  });
}
