/**
 * Debian's `docker-registry` (the CNCF distribution registry, /usr/bin/docker-registry) on a free
 * loopback port, with filesystem storage in a temp folder and, when asked, Basic auth from an
 * htpasswd file (bcrypt hashes made by the system's libcrypt through python3 ctypes). No systemd:
 * the test starts the process and kills it (by its own pid) when done.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REGISTRY_BIN = '/usr/bin/docker-registry';

/** For `test(..., { skip })`: false when the registry can run here. In CI a missing one fails instead. */
export function registrySkip(): false | string {
  if (existsSync(REGISTRY_BIN)) return false;
  if (process.env.CI === 'true') return false;
  return `${REGISTRY_BIN} is not installed (apt-get install docker-registry)`;
}

export interface Registry {
  readonly port: number;
  /** `127.0.0.1:PORT` */
  readonly host: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((ok) => s.listen(0, '127.0.0.1', ok));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((ok) => s.close(() => ok()));
  return port;
}

/** A bcrypt hash of `password` (libcrypt's `$2b$`, which the registry's Go bcrypt accepts). */
export function bcryptHash(password: string): string {
  const py = [
    'import ctypes, sys',
    "lc = ctypes.CDLL('libcrypt.so.1')",
    'lc.crypt_gensalt.restype = ctypes.c_char_p',
    'lc.crypt_gensalt.argtypes = [ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p, ctypes.c_int]',
    'lc.crypt.restype = ctypes.c_char_p',
    'lc.crypt.argtypes = [ctypes.c_char_p, ctypes.c_char_p]',
    "salt = lc.crypt_gensalt(b'$2b$', 5, None, 0)",
    'sys.stdout.write(lc.crypt(sys.stdin.buffer.read(), salt).decode())',
  ].join('\n');
  const r = spawnSync('python3', ['-c', py], { input: password, encoding: 'utf8' });
  if (r.status !== 0 || !r.stdout.startsWith('$2')) throw new Error(`bcrypt through libcrypt failed: ${r.stderr}`);
  return r.stdout;
}

/** Bearer token auth: the registry trusts tokens signed by the key of `rootCertPath`. */
export interface TokenAuth {
  readonly realm: string;
  readonly service: string;
  readonly issuer: string;
  readonly rootCertPath: string;
}

/** HTTPS: the server's certificate and key (PEM files), and the CAs whose client certificates it requires. */
export interface RegistryTls {
  readonly certificate: string;
  readonly key: string;
  readonly clientCas?: readonly string[];
}

/** A self-signed certificate for 127.0.0.1 (openssl), in DIR: for clients that skip verification. */
export function selfSignedTls(dir: string): RegistryTls {
  const certificate = join(dir, 'registry.crt');
  const key = join(dir, 'registry.key');
  const r = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      certificate,
    ],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`openssl req failed: ${r.stderr}`);
  return { certificate, key };
}

/** Whether something listens on 127.0.0.1:port. */
function listening(port: number): Promise<boolean> {
  return new Promise((ok) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      ok(true);
    });
    s.once('error', () => ok(false));
  });
}

/**
 * Starts a registry; `auth` turns on htpasswd Basic auth for one user, `token` the Bearer token
 * flow, `tls` HTTPS (with client certificates when `clientCas` are given).
 */
export async function startRegistry(
  auth?: { user: string; password: string },
  token?: TokenAuth,
  tls?: RegistryTls,
): Promise<Registry> {
  const dir = mkdtempSync(join(tmpdir(), 'aksfleet-registry-'));
  const port = await freePort();
  const lines = [
    'version: 0.1',
    'log:',
    '  level: error',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${join(dir, 'data')}`,
    'http:',
    `  addr: 127.0.0.1:${port}`,
  ];
  if (auth) {
    writeFileSync(join(dir, 'htpasswd'), `${auth.user}:${bcryptHash(auth.password)}\n`);
    lines.push('auth:', '  htpasswd:', '    realm: aksfleet-test', `    path: ${join(dir, 'htpasswd')}`);
  }
  if (token) {
    lines.push(
      'auth:',
      '  token:',
      `    realm: ${token.realm}`,
      `    service: ${token.service}`,
      `    issuer: ${token.issuer}`,
      `    rootcertbundle: ${token.rootCertPath}`,
    );
  }
  if (tls) {
    lines.push('  tls:', `    certificate: ${tls.certificate}`, `    key: ${tls.key}`);
    if (tls.clientCas?.length) lines.push('    clientcas:', ...tls.clientCas.map((c) => `      - ${c}`));
  }
  writeFileSync(join(dir, 'config.yml'), `${lines.join('\n')}\n`);
  const child: ChildProcess = spawn(REGISTRY_BIN, ['serve', join(dir, 'config.yml')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) {
      const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`docker-registry exited: ${stderr}`);
    }
    if (tls) {
      if (await listening(port)) break;
    } else {
      try {
        const r = await fetch(`http://127.0.0.1:${port}/v2/`);
        if (r.status === 200 || r.status === 401) break;
      } catch {
        // not up yet
      }
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`docker-registry did not start: ${stderr}`);
    }
    await new Promise((ok) => setTimeout(ok, 100));
  }
  return { port, host: `127.0.0.1:${port}`, stop };
}
