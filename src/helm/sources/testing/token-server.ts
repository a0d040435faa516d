/**
 * A Docker registry token service for tests (the Bearer challenge of the distribution registry's
 * `auth.token`): checks Basic credentials, answers `{ token }`, a JWT (RS256) signed with a key
 * made by openssl, carrying its certificate in `x5c`, granting the scopes asked for.
 */
import { execFileSync } from 'node:child_process';
import { createSign, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type TestServer } from './http-server.js';

export interface TokenServer {
  readonly server: TestServer;
  readonly realm: string;
  readonly service: string;
  readonly issuer: string;
  readonly rootCertPath: string;
  stop(): Promise<void>;
}

const b64url = (b: Buffer | string): string => Buffer.from(b).toString('base64url');

export async function startTokenServer(user: string, password: string): Promise<TokenServer> {
  const dir = mkdtempSync(join(tmpdir(), 'aksfleet-token-'));
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-subj',
      '/CN=aksfleet-test-token',
      '-days',
      '1',
    ],
    { stdio: 'ignore' },
  );
  const keyPem = readFileSync(key, 'utf8');
  const certB64 = readFileSync(cert, 'utf8')
    .replace(/-----[^-]+-----/g, '')
    .replace(/\s+/g, '');
  const service = 'aksfleet-test-registry';
  const issuer = 'aksfleet-test-issuer';
  const want = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const server = await startServer({
    '/token': (req, res) => {
      if (req.headers.authorization !== want) {
        res.statusCode = 401;
        res.end('{"errors":[{"code":"UNAUTHORIZED"}]}');
        return;
      }
      const url = new URL(req.url ?? '/', 'http://x');
      const access = url.searchParams.getAll('scope').flatMap((s) => {
        const m = /^repository:([^:]+):(.+)$/.exec(s);
        return m ? [{ type: 'repository', name: m[1], actions: m[2]!.split(',') }] : [];
      });
      const now = Math.floor(Date.now() / 1000);
      const header = { alg: 'RS256', typ: 'JWT', x5c: [certB64] };
      const claims = {
        iss: issuer,
        sub: user,
        aud: url.searchParams.get('service') ?? service,
        exp: now + 600,
        nbf: now - 10,
        iat: now,
        jti: randomUUID(),
        access,
      };
      const signing = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
      const sig = createSign('RSA-SHA256').update(signing).sign(keyPem);
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ token: `${signing}.${b64url(sig)}`, expires_in: 600 }));
    },
  });
  return {
    server,
    realm: `${server.url}/token`,
    service,
    issuer,
    rootCertPath: cert,
    stop: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
