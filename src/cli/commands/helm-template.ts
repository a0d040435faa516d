/**
 * `aksfleet helm template [NAME] CHART`: a drop-in for `helm template` (Helm v4.2) on a local chart
 * folder or `.tgz`, rendered in-process (src/helm). Same flags, same output; where helm fails,
 * the same reason (file, template, line) and exit code 2.
 */
import { UsageError } from '../../errors.js';
import { newTemplateSet } from '../../gotemplate/index.js';
import { defaultTemplateEngine, helmTemplate } from '../../helm/index.js';
import type { Command } from '../command.js';

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined ? [] : [String(v)]);
const flag = (v: unknown): boolean => v === true;

const command: Command = {
  usage:
    'aksfleet helm template [NAME] CHART [-n NAMESPACE] [-f VALUES]... [--set K=V]... [--set-string K=V]... ' +
    '[--set-json K=JSON]... ' +
    '[--kube-version V] [-a API_VERSION]... [--include-crds] [--skip-crds] [--skip-tests] [--no-hooks] ' +
    '[--skip-schema-validation] ' +
    '[-s TEMPLATE]... [--is-upgrade] [--name-template TPL] [--generate-name]',
  options: {
    namespace: { type: 'string', short: 'n' },
    values: { type: 'string', short: 'f', multiple: true },
    set: { type: 'string', multiple: true },
    'set-string': { type: 'string', multiple: true },
    'set-json': { type: 'string', multiple: true },
    'kube-version': { type: 'string' },
    'api-versions': { type: 'string', short: 'a', multiple: true },
    'include-crds': { type: 'boolean' },
    'skip-crds': { type: 'boolean' },
    'skip-tests': { type: 'boolean' },
    'no-hooks': { type: 'boolean' },
    'skip-schema-validation': { type: 'boolean' },
    'show-only': { type: 'string', short: 's', multiple: true },
    'is-upgrade': { type: 'boolean' },
    'name-template': { type: 'string' },
    'generate-name': { type: 'boolean', short: 'g' },
  },
  async run({ io, args, flags }) {
    if (args.length === 0)
      throw new UsageError(`"helm template" requires at least 1 argument\nUsage: ${command.usage}`);
    const engine = defaultTemplateEngine();
    const out = helmTemplate(
      {
        args,
        namespace: flags.namespace !== undefined ? String(flags.namespace) : 'default',
        valueFiles: list(flags.values),
        values: list(flags.set),
        stringValues: list(flags['set-string']),
        jsonValues: list(flags['set-json']),
        ...(flags['kube-version'] !== undefined ? { kubeVersion: String(flags['kube-version']) } : {}),
        // pflag StringSlice: each occurrence may hold several, comma-separated.
        apiVersions: list(flags['api-versions'])
          .flatMap((a) => a.split(','))
          .filter((a) => a !== ''),
        includeCrds: flag(flags['include-crds']),
        skipCrds: flag(flags['skip-crds']),
        skipTests: flag(flags['skip-tests']),
        noHooks: flag(flags['no-hooks']),
        skipSchemaValidation: flag(flags['skip-schema-validation']),
        showOnly: list(flags['show-only']),
        isUpgrade: flag(flags['is-upgrade']),
        ...(flags['name-template'] !== undefined ? { nameTemplate: String(flags['name-template']) } : {}),
        generateName: flag(flags['generate-name']),
        renderNameTemplate: (tpl) => {
          const set = newTemplateSet({ funcs: engine.funcs() });
          set.parse('name-template', tpl);
          return set.execute('name-template', null);
        },
        warn: (m) => io.err(`${m}\n`),
      },
      engine,
    );
    io.out(out);
    return 0;
  },
};

export default command;
