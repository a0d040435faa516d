/**
 * Why the console could not listen, as a usage error (exit 2) that names the port or the host:
 * a port in use, a port the user may not bind, an address that is not this machine's. Other
 * failures stay what they are (internal errors).
 */
import { UsageError } from '../errors.js';

export function listenError(e: unknown, host: string, port: number): unknown {
  const code = (e as { code?: unknown } | undefined)?.code;
  const at = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  switch (code) {
    case 'EADDRINUSE':
      return new UsageError(
        `--port ${port}: ${at} is already in use (another aksfleet ui or another program); choose another ` +
          `port with --port N, or --port 0 for any free one`,
      );
    case 'EACCES':
      return new UsageError(
        `--port ${port}: not allowed to listen on ${at} (ports below 1024 need privileges); choose another ` +
          `port with --port N`,
      );
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new UsageError(`--host ${host}: cannot listen on ${at}: the address is not one of this machine's`);
    default:
      return e;
  }
}
