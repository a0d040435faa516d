// A static HTTP server for a local Helm chart repository (index.yaml and packaged charts) on
// 127.0.0.1, in its own process so that a synchronously spawned flate can reach it. Prints the
// port on its first line of stdout. Usage: node helm-repo-server.mjs DIR
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join, normalize } from 'node:path';

const root = process.argv[2];
const server = createServer(async (req, res) => {
  const rel = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^\/+/, '');
  if (rel.startsWith('..') || rel.includes('\0')) return void res.writeHead(403).end();
  try {
    const body = await readFile(join(root, rel));
    res.writeHead(200, { 'content-type': rel.endsWith('.yaml') ? 'application/x-yaml' : 'application/gzip' }).end(body);
  } catch {
    res.writeHead(404).end();
  }
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
