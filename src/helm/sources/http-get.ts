/**
 * The one HTTP client of chart sources: GET with a size cap, a time cap, and redirects followed by
 * hand (at most 10) so that credentials never go to another host: the Authorization header is
 * sent to the origin it was meant for only, and dropped when a redirect leaves that origin (as
 * Helm does without `--pass-credentials`). A redirect from https to http is refused. Errors
 * name URLs without user info or query, and never hold credentials.
 */
import { redactUrl } from './source-url.js';

export interface HttpLimits {
  /** Cap on the response body (bytes). */
  readonly maxBytes: number;
  /** Cap on the whole request, headers and body (milliseconds). */
  readonly timeoutMs: number;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Uint8Array;
  /** The URL that answered (after redirects). */
  readonly url: string;
}

export class HttpError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface GetOptions extends HttpLimits {
  readonly headers?: Readonly<Record<string, string>>;
  /** `Authorization` value for `authOrigin` only. */
  readonly authorization?: string;
  readonly authOrigin?: string;
  /**
   * Send `authorization` to every origin a redirect or index points to (Flux `passCredentials`); never over plain HTTP
   * after HTTPS.
   */
  readonly passCredentials?: boolean;
  /** TLS material (PEM): a CA to trust, a client certificate and key; `insecureSkipVerify` turns verification off. */
  readonly tls?: TlsOptions;
}

export interface TlsOptions {
  readonly ca?: Uint8Array;
  readonly cert?: Uint8Array;
  readonly key?: Uint8Array;
  readonly insecureSkipVerify?: boolean;
}

const MAX_REDIRECTS = 10;

async function readCapped(res: Response, maxBytes: number, shown: string): Promise<Uint8Array> {
  const len = Number(res.headers.get('content-length') ?? '');
  if (Number.isFinite(len) && len > maxBytes)
    throw new HttpError(`${shown}: response of ${len} bytes is larger than the cap of ${maxBytes} bytes`);
  if (!res.body) return new Uint8Array();
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new HttpError(`${shown}: response is larger than the cap of ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** GET `url` (which may not hold user info: pass credentials as `authorization`). */
export async function httpGet(url: string, opts: GetOptions): Promise<HttpResponse> {
  const signal = AbortSignal.timeout(opts.timeoutMs);
  let current = new URL(url);
  const authOrigin = opts.authOrigin ?? current.origin;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const shown = redactUrl(current.toString());
    if (current.username || current.password)
      throw new HttpError(`${shown}: credentials in URLs are not sent; give them as options`);
    if (current.protocol !== 'https:' && current.protocol !== 'http:')
      throw new HttpError(`${shown}: unsupported scheme ${current.protocol}`);
    const headers: Record<string, string> = { 'User-Agent': 'aksfleet', ...(opts.headers ?? {}) };
    if (opts.authorization && (current.origin === authOrigin || opts.passCredentials === true))
      headers.Authorization = opts.authorization;
    let res: Response;
    try {
      res =
        opts.tls && current.protocol === 'https:'
          ? await tlsFetch(current, headers, opts.tls, signal)
          : await fetch(current, { headers, redirect: 'manual', signal });
    } catch (e) {
      const err = e as Error & { cause?: { code?: string; message?: string } };
      if (err.name === 'TimeoutError' || err.name === 'AbortError')
        throw new HttpError(`${shown}: timed out after ${opts.timeoutMs} ms`);
      const code = err.cause?.code ?? err.cause?.message ?? err.message;
      const hint =
        /SSL|TLS/.test(code) && current.protocol === 'https:'
          ? " (TLS handshake failed: if the server speaks plain HTTP, use --plain-http or the source's spec.insecure)"
          : /CERT|VERIFY|SELF_SIGNED/.test(code) && current.protocol === 'https:'
            ? " (the server's certificate could not be verified: a private CA goes in the caFile of the " +
              "source's --repository-config entry)"
            : '';
      throw new HttpError(`${shown}: ${code}${hint}`);
    }
    if (res.status >= 300 && res.status < 400 && res.headers.get('location')) {
      await res.body?.cancel().catch(() => undefined);
      const next = new URL(res.headers.get('location')!, current);
      if (current.protocol === 'https:' && next.protocol !== 'https:')
        throw new HttpError(`${shown}: refused a redirect from https to ${next.protocol}`);
      current = next;
      continue;
    }
    try {
      const body = await readCapped(res, opts.maxBytes, shown);
      return { status: res.status, headers: res.headers, body, url: current.toString() };
    } catch (e) {
      if (e instanceof HttpError) throw e;
      const err = e as Error;
      if (err.name === 'TimeoutError' || err.name === 'AbortError')
        throw new HttpError(`${shown}: timed out after ${opts.timeoutMs} ms`);
      throw new HttpError(`${shown}: ${err.message}`);
    }
  }
  throw new HttpError(`${redactUrl(url)}: more than ${MAX_REDIRECTS} redirects`);
}

/**
 * A GET over node:https with TLS material (the global fetch takes no CA or client certificate),
 * as a fetch Response (redirects not followed: the caller does, as for fetch).
 */
async function tlsFetch(
  url: URL,
  headers: Record<string, string>,
  tls: TlsOptions,
  signal: AbortSignal,
): Promise<Response> {
  // node:https (and tls) loaded when first used: a check that fetches nothing does not load them.
  const { request: httpsRequest } = await import('node:https');
  return new Promise<Response>((ok, fail) => {
    const req = httpsRequest(
      url,
      {
        headers,
        signal,
        ...(tls.ca ? { ca: Buffer.from(tls.ca) } : {}),
        ...(tls.cert ? { cert: Buffer.from(tls.cert) } : {}),
        ...(tls.key ? { key: Buffer.from(tls.key) } : {}),
        rejectUnauthorized: tls.insecureSkipVerify !== true,
      },
      (res) => {
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers))
          if (v !== undefined) h.set(k, Array.isArray(v) ? v.join(', ') : v);
        const body = new ReadableStream<Uint8Array>({
          start(c) {
            res.on('data', (d: Buffer) => c.enqueue(new Uint8Array(d)));
            res.on('end', () => c.close());
            res.on('error', (e) => c.error(e));
          },
          cancel() {
            res.destroy();
          },
        });
        const status = res.statusCode ?? 0;
        ok(new Response(status === 204 || status === 304 ? null : body, { status, headers: h }));
      },
    );
    req.on('error', (e) => fail(Object.assign(new Error(e.message), { name: e.name, cause: e })));
    req.end();
  });
}

/** A GET that must answer 200; other statuses become an HttpError with the status. */
export async function httpGetOk(url: string, opts: GetOptions): Promise<HttpResponse> {
  const r = await httpGet(url, opts);
  if (r.status !== 200) throw new HttpError(`${redactUrl(r.url)}: ${r.status} ${statusText(r.status)}`, r.status);
  return r;
}

function statusText(s: number): string {
  return s === 401
    ? 'Unauthorized'
    : s === 403
      ? 'Forbidden'
      : s === 404
        ? 'Not Found'
        : s >= 500
          ? 'Server Error'
          : 'unexpected status';
}
