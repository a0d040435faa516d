/**
 * How every test finds a real oracle (manifest.json, built by build.sh). One entry point:
 *
 *   const helm = oracle('helm-4.1');
 *   test('...', { skip: helm.skip }, () => { spawnSync(helm.path, [...]) });
 *
 * A missing oracle is built on first use when Go (or the npm package) is here. In CI (CI=true) an
 * oracle that cannot be had is an error, never a skip: `skip` is false and `path` throws.
 * The implementation is oracle.mjs, so that helpers under src/**\/testing/ can use it too.
 */
export {
  inCi,
  OFFLINE_PROXY_ENV,
  oracle,
  oracleBinary,
  oracleCacheDir,
  oracleDir,
  oracleManifest,
} from './oracle.mjs';
export type { Oracle, OracleSpec } from './oracle.mjs';
