/**
 * What each kind of name in the fleet spec may be, from the rules of the system that owns it.
 * Every function returns why a value is not such a name, or undefined when it is; the schema
 * (schema.ts) and the cross-field rules (rules.ts) turn that into `file:line:col: field: message`.
 *
 * Sources: git `check-ref-format` (refs.c check_refname_component, and `--branch`), GitHub's
 * owner and repository name rules, Azure DevOps naming restrictions, Azure resource naming rules,
 * Kubernetes `IsDNS1123Label`/`IsDNS1123Subdomain`/`IsValidLabelValue`.
 */

/**
 * Characters no spec string may hold: C0 and C1 controls, DEL, line and paragraph separators,
 * and the bidirectional formatting characters that make text read differently from what it is
 * (Trojan Source). `\n` and `\t` are allowed only where a field says so (a PEM key).
 */
export const CONTROL_CHARACTERS =
  /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/u;

/** How a character is shown in a message: `U+000A`. */
function codePoint(c: string): string {
  return `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Why `s` holds a control or bidi character (the first one, named), or undefined. */
export function controlCharacterProblem(s: string, allow: RegExp = /$^/): string | undefined {
  for (const c of s) {
    if (CONTROL_CHARACTERS.test(c) && !allow.test(c))
      return (
        `contains the control character ${codePoint(c)}; ` +
        `names and values in fleet.yaml are one line of visible text`
      );
  }
  return undefined;
}

/** A git branch name as `git check-ref-format --branch` accepts it (refs/heads/<name>). */
export function gitBranchProblem(name: string): string | undefined {
  if (name === '') return 'a branch name cannot be empty';
  if (name.startsWith('-')) return "a branch name cannot start with '-'";
  if (name === 'HEAD') return "'HEAD' is not a branch name";
  return gitRefProblem(`refs/heads/${name}`);
}

/** A full ref name as `git check-ref-format` accepts it. */
export function gitRefProblem(ref: string): string | undefined {
  if (ref === '@') return "'@' is not a valid ref name";
  if (ref.endsWith('.')) return "a ref name cannot end with '.'";
  for (const comp of ref.split('/')) {
    if (comp === '') return "a ref name cannot start or end with '/' or hold '//'";
    if (comp.startsWith('.')) return "no part of a ref name (between '/') can start with '.'";
    if (comp.endsWith('.lock')) return "no part of a ref name (between '/') can end with '.lock'";
  }
  if (ref.includes('..')) return "a ref name cannot hold '..'";
  if (ref.includes('@{')) return "a ref name cannot hold '@{'";
  for (const c of ref) {
    const code = c.codePointAt(0)!;
    if (code < 0x20 || code === 0x7f) return `a ref name cannot hold the control character ${codePoint(c)}`;
    if (' ~^:?*[\\'.includes(c))
      return `a ref name cannot hold ${c === ' ' ? 'a space' : `'${c}'`} (git check-ref-format)`;
  }
  return undefined;
}

/** A GitHub user or organization name: 1-39 letters, digits and single hyphens, not at either end. */
export function githubOwnerProblem(s: string): string | undefined {
  return /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/.test(s)
    ? undefined
    : 'a GitHub owner is 1-39 letters, digits and single hyphens, starting and ending with a letter or digit';
}

/** A GitHub repository name: 1-100 letters, digits, '.', '-' and '_', not '.' or '..'. */
export function githubRepositoryProblem(s: string): string | undefined {
  if (s === '.' || s === '..') return `'${s}' is not a repository name`;
  return /^[A-Za-z0-9._-]{1,100}$/.test(s)
    ? undefined
    : "a GitHub repository name is 1-100 letters, digits, '.', '-' and '_'";
}

/** An Azure DevOps organization: 1-50 letters, digits and '-', starting and ending with a letter or digit. */
export function azureDevOpsOrganizationProblem(s: string): string | undefined {
  return /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,48}[A-Za-z0-9])?$/.test(s)
    ? undefined
    : "an Azure DevOps organization is 1-50 letters, digits and '-', starting and ending with a letter or digit";
}

const DEVOPS_RESERVED = new RegExp(
  `^(${[
    'AUX|COM[1-9]|COM10|CON|DefaultCollection|LPT[1-9]|NUL|PRN|SERVER|SignalR|Web|WEB',
    'App_Browsers|App_code|App_Data|App_GlobalResources|App_LocalResources|App_Themes|App_WebResources',
    String.raw`bin|web\.config`,
  ].join('|')})$`,
);

/** An Azure DevOps project or repository name (naming restrictions: 1-64 characters, no special characters). */
export function azureDevOpsNameProblem(s: string, what: 'project' | 'repository'): string | undefined {
  if (s.length < 1 || s.length > 64) return `an Azure DevOps ${what} name is 1-64 characters`;
  const bad = [...s].find((c) => `\\/:*?"'<>;#$\`{},+=[]|%&`.includes(c));
  if (bad) return `an Azure DevOps ${what} name cannot hold '${bad}'`;
  if (s.startsWith('_') || s.startsWith('.') || s.endsWith('.'))
    return `an Azure DevOps ${what} name cannot start with '_' or '.', nor end with '.'`;
  if (DEVOPS_RESERVED.test(s)) return `'${s}' is a reserved name in Azure DevOps`;
  return controlCharacterProblem(s);
}

/** A clone URL Flux can use: https://, ssh:// or git@, printable, and none of the characters a URL never needs. */
export function gitUrlProblem(s: string): string | undefined {
  if (!/^(https:\/\/|ssh:\/\/|git@)/.test(s)) return 'must be an https://, ssh:// or git@ URL';
  const bad = [...s].find((c) => /[\s"'`$\\<>{}|^]/u.test(c) || CONTROL_CHARACTERS.test(c));
  return bad === undefined
    ? undefined
    : `a clone URL cannot hold ${/\s/u.test(bad) || CONTROL_CHARACTERS.test(bad) ? codePoint(bad) : `'${bad}'`}`;
}

/**
 * A Kubernetes label value: at most 63 characters of [A-Za-z0-9-_.], starting and ending alphanumeric (may be empty).
 */
export const LABEL_VALUE = /^(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

/** A DNS-1123 subdomain (Kubernetes object names, hostnames): at most 253 characters of dot-separated labels. */
export const DNS1123_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$/;

/** An IPv4 address in dotted decimal, each part 0-255 without leading zeros. */
export const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** An Azure VM size such as Standard_D4s_v5. */
export const VM_SIZE = /^[A-Za-z][A-Za-z0-9_]{1,63}$/;

/** An Azure storage account: 3-24 lower-case letters and digits. */
export const STORAGE_ACCOUNT = /^[a-z0-9]{3,24}$/;

/** A blob container: 3-63 lower-case letters, digits and single hyphens, starting and ending with a letter or digit. */
export const BLOB_CONTAINER = /^(?=.{3,63}$)[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9]))*$/;

/** A Key Vault secret name: 1-127 letters, digits and '-'. */
export const KEY_VAULT_SECRET = /^[0-9A-Za-z-]{1,127}$/;

/** A subnet resource ID. */
export const SUBNET_ID =
  /^\/subscriptions\/[0-9a-fA-F-]{36}\/resourceGroups\/[-\w._()]{1,90}\/providers\/Microsoft\.Network\/virtualNetworks\/[A-Za-z0-9][-\w.]{0,62}\/subnets\/[A-Za-z0-9][-\w.]{0,78}$/;

/** A virtual network resource ID (subscription, resource group and name captured). */
export const VNET_ID =
  /^\/subscriptions\/([0-9a-fA-F-]{36})\/resourceGroups\/([-\w._()]{1,90})\/providers\/Microsoft\.Network\/virtualNetworks\/([A-Za-z0-9][-\w.]{0,62})$/i;

/** A Kubernetes resource quantity as used for requests and limits (`100m`, `0.5`, `128Mi`, `1G`). */
export const QUANTITY = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+|[numkMGTPE]|[KMGTPE]i)?$/;

/** A cron schedule: five fields of digits, names, `*`, `/`, `,` and `-` (or a `@daily`-style macro). */
export const CRON =
  /^(?:@(?:yearly|annually|monthly|weekly|daily|midnight|hourly)|[0-9A-Za-z*/,?-]+(?: [0-9A-Za-z*/,?-]+){4})$/;

/** An e-mail address as ACME needs it: local part without spaces or quotes, a DNS domain. */
export const EMAIL =
  /^[A-Za-z0-9.!#%&*+/=?^_{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;
