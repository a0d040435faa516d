/**
 * `aksfleet helm pull CHART`: a drop-in for `helm pull` over HTTP Helm repositories (`--repo`),
 * OCI registries (`oci://`) and chart archive URLs, in-process (src/helm/sources). Writes
 * `<chart>-<version>.tgz` into `-d DIR` (default `.`), or with `--untar` the chart folder.
 * Registry credentials: `--username`/`--password`, else the Docker config (`$DOCKER_CONFIG`,
 * `~/.docker/config.json`); they never appear in output. Unreachable or missing: exit 2.
 */
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { InputError, UsageError } from '../../errors.js';
import { loadArchiveFiles } from '../../helm/chart/index.js';
import { pullChart } from '../../helm/sources/index.js';
import type { Command } from '../command.js';

const str = (v: unknown): string | undefined => (v === undefined ? undefined : String(v));

function writeAtomic(path: string, data: Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

const command: Command = {
  usage:
    'aksfleet helm pull CHART [--repo URL] [--version V] [--devel] [-d DIR] [--untar] [--untardir DIR] ' +
    '[--plain-http] [--username U] [--password P]',
  options: {
    repo: { type: 'string' },
    version: { type: 'string' },
    devel: { type: 'boolean' },
    destination: { type: 'string', short: 'd' },
    untar: { type: 'boolean' },
    untardir: { type: 'string' },
    'plain-http': { type: 'boolean' },
    username: { type: 'string' },
    password: { type: 'string' },
  },
  async run({ io, args, flags }) {
    if (args.length !== 1) throw new UsageError(`"helm pull" requires 1 argument (CHART)\nUsage: ${command.usage}`);
    const d = await pullChart({
      chart: args[0]!,
      repo: str(flags.repo),
      version: str(flags.version),
      devel: flags.devel === true,
      plainHttp: flags['plain-http'] === true,
      username: str(flags.username),
      password: str(flags.password),
      env: io.env,
    });
    const dest = resolve(io.cwd, str(flags.destination) ?? '.');
    if (d.manifestDigest) io.err(`Pulled: ${d.ref}\nDigest: ${d.manifestDigest}\n`);
    if (flags.untar !== true) {
      writeAtomic(join(dest, d.fileName), d.archive);
      return 0;
    }
    const into = join(resolve(dest, str(flags.untardir) ?? '.'), d.name);
    if (existsSync(into))
      throw new InputError(`failed to untar: a file or directory with the name ${into} already exists`);
    // The archive was checked on download (caps, no entry outside the chart): its files, chart-relative.
    for (const f of loadArchiveFiles(d.archive, d.fileName)) writeAtomic(join(into, ...f.name.split('/')), f.data);
    return 0;
  },
};

export default command;
