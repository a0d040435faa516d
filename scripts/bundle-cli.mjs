// Part of `npm run build` (after tsc): the CLI as a few ES module files in dist/bundle/ (esbuild,
// code splitting: each command's code loads only when it runs), because loading some 200 small
// module files (ours and the `yaml` library's) is a large part of a short command's time.
// bin/aksfleet runs dist/bundle/main.js; `--jobs` workers run dist/bundle/check-worker.js. The
// library entry (dist/index.js) is not bundled.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

rmSync('dist/bundle', { recursive: true, force: true });
await build({
  entryPoints: { main: 'dist/cli/main.js', 'check-worker': 'dist/parallel/check-worker.js' },
  outdir: 'dist/bundle',
  entryNames: '[name]',
  chunkNames: 'chunk-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['tsx', 'tsx/*'],
  // Bundled CommonJS dependencies call require() for Node's own modules.
  banner: {
    js:
      "import { createRequire as __aksfleetRequire } from 'node:module'; const require = " +
      '__aksfleetRequire(import.meta.url);',
  },
  legalComments: 'none',
  logLevel: 'warning',
});
console.error('bundle-cli: dist/bundle/main.js');
