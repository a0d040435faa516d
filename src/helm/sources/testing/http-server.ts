/** A loopback HTTP server for the chart source tests: routes by path, records what it was asked. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface Seen {
  readonly path: string;
  readonly authorization?: string;
}

export interface TestServer {
  readonly port: number;
  readonly url: string;
  readonly seen: Seen[];
  close(): Promise<void>;
}

export type Route = (req: IncomingMessage, res: ServerResponse) => void;

/** TLS of a test server (PEM): its certificate and key; with `clientCa`, clients must show a certificate it signed. */
export interface ServerTls {
  readonly cert: string;
  readonly key: string;
  readonly clientCa?: string;
}

/** Serves `routes` (exact path, query ignored) on 127.0.0.1 (or `host`), 404 elsewhere; HTTPS with `tls`. */
export async function startServer(
  routes: Readonly<Record<string, Route>>,
  host = '127.0.0.1',
  tls?: ServerTls,
): Promise<TestServer> {
  const seen: Seen[] = [];
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? '/').replace(/\?.*$/, '');
    seen.push({ path, ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
    const r = routes[path];
    if (!r) {
      res.statusCode = 404;
      res.end('not found');
      return;
    }
    r(req, res);
  };
  const server: Server = tls
    ? (createTlsServer(
        {
          cert: tls.cert,
          key: tls.key,
          ...(tls.clientCa ? { ca: tls.clientCa, requestCert: true, rejectUnauthorized: true } : {}),
        },
        handler,
      ) as unknown as Server)
    : createServer(handler);
  await new Promise<void>((ok) => server.listen(0, host, ok));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `${tls ? 'https' : 'http'}://${host}:${port}`,
    seen,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

/** A route that answers 200 with the bytes. */
export function bytes(data: Uint8Array | string, type = 'application/octet-stream'): Route {
  return (_req, res) => {
    res.setHeader('Content-Type', type);
    res.end(data);
  };
}

/** A route that asks for Basic credentials `user:pass` before answering with `inner`. */
export function basic(user: string, pass: string, inner: Route): Route {
  const want = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
  return (req, res) => {
    if (req.headers.authorization !== want) {
      res.statusCode = 401;
      res.setHeader('WWW-Authenticate', 'Basic realm="charts"');
      res.end('unauthorized');
      return;
    }
    inner(req, res);
  };
}
