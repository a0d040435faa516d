/**
 * Kyverno's `image` library (github.com/kyverno/sdk extensions/cel/libs/image): image references
 * parsed as go-containerregistry's name.ParseReference does (not strict: default registry
 * `index.docker.io`, `docker.io` its alias, implicit `library/` namespace there, default tag
 * `latest`). `parseImageReference(string)` (and the deprecated `image(string)`) give a
 * `kyverno.image`; `isImage(string)`; methods `registry()`, `repository()`, `identifier()`,
 * `identifierWithSeparator()`, `tag()`, `digest()`, `containsDigest()`.
 */
import { CelEvalError } from '../errors.js';
import type { CelRegistrar } from './types.js';

export const IMAGE_TYPE = 'kyverno.image';

const DEFAULT_REGISTRY = 'index.docker.io';
const DEFAULT_REGISTRY_ALIAS = 'docker.io';
const DEFAULT_TAG = 'latest';
const TAG_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789_-.ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const REPOSITORY_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789_-./';

/** A parsed reference: a tag (`kind: 'tag'`) or a digest reference. */
export class ImageReference {
  constructor(
    readonly kind: 'tag' | 'digest',
    readonly registry: string,
    /** The repository as written (without the implicit `library/`). */
    readonly repo: string,
    /** The tag (tag references) or the digest `sha256:...` (digest references). */
    readonly id: string,
    readonly original: string,
  ) {}

  /** Repository.RepositoryStr: `library/` added on the default registry for a one-part name. */
  get repository(): string {
    return !this.repo.includes('/') && this.registry === DEFAULT_REGISTRY ? `library/${this.repo}` : this.repo;
  }
}

class BadName extends Error {}

function checkElement(name: string, element: string, allowed: string, min: number, max: number): void {
  const runes = [...element];
  if (runes.length < min || runes.length > max)
    throw new BadName(`${name} must be between ${min} and ${max} characters in length: ${element}`);
  if (runes.some((r) => !allowed.includes(r)))
    throw new BadName(`${name} can only contain the characters \`${allowed}\`: ${element}`);
}

/** Go's url.Parse("//" + name).Host == name, for the characters an image reference can carry. */
function checkRegistry(name: string): void {
  const ok =
    !/[/?#@\s\\%]/.test(name) &&
    !/[\u0000-\u001f\u007f]/.test(name) &&
    (!name.includes('[') || /^\[[0-9a-fA-F:.]+\](:\d*)?$/.test(name)) &&
    !/:[^:\]]*[^0-9:\]][^:\]]*$/.test(name.replace(/^\[.*\]/, ''));
  if (!ok) throw new BadName(`registries must be valid RFC 3986 URI authorities: ${name}`);
}

function newRepository(name: string): { registry: string; repo: string } {
  if (name.length === 0) throw new BadName('a repository name must be specified');
  let registry = '';
  let repo = name;
  const slash = name.indexOf('/');
  if (slash !== -1) {
    const maybe = name.slice(0, slash);
    if (maybe === 'localhost' || /[.:]/.test(maybe)) {
      registry = maybe;
      repo = name.slice(slash + 1);
    }
  }
  checkElement('repository', repo, REPOSITORY_CHARS, 2, 255);
  checkRegistry(registry);
  if (registry === '') registry = DEFAULT_REGISTRY;
  if (registry === DEFAULT_REGISTRY_ALIAS) registry = DEFAULT_REGISTRY;
  return { registry, repo };
}

function newTag(name: string): ImageReference {
  let base = name;
  let tag = '';
  const parts = name.split(':');
  if (parts.length > 1 && !parts[parts.length - 1]!.includes('/')) {
    base = parts.slice(0, -1).join(':');
    tag = parts[parts.length - 1]!;
    if (tag === '') throw new BadName(`${name} must specify a tag name after the colon`);
  }
  if (tag !== '') checkElement('tag', tag, TAG_CHARS, 1, 128);
  const { registry, repo } = newRepository(base);
  return new ImageReference('tag', registry, repo, tag || DEFAULT_TAG, name);
}

function newDigest(name: string): ImageReference {
  const parts = name.split('@');
  if (parts.length !== 2)
    throw new BadName(`a digest must contain exactly one '@' separator (e.g. registry/repository@digest) saw: ${name}`);
  let base = parts[0]!;
  const dig = parts[1]!;
  if (!dig.startsWith('sha256:')) throw new BadName(`unsupported digest algorithm: ${dig}`);
  const hex = dig.slice('sha256:'.length);
  if (hex.length !== 64) throw new BadName('invalid checksum digest length');
  if (!/^[a-f0-9]{64}$/.test(hex)) throw new BadName('invalid checksum digest format');
  try {
    const t = newTag(base);
    base = `${t.registry}/${t.repository}`;
  } catch {
    // keep base as written
  }
  const { registry, repo } = newRepository(base);
  return new ImageReference('digest', registry, repo, dig, name);
}

/** name.ParseReference: a tag reference, else a digest reference, else an error. */
export function parseImageReference(s: string): ImageReference {
  try {
    return newTag(s);
  } catch {
    try {
      return newDigest(s);
    } catch {
      throw new CelEvalError(`could not parse reference: ${s}`);
    }
  }
}

export function isImage(s: string): boolean {
  try {
    parseImageReference(s);
    return true;
  } catch {
    return false;
  }
}

/** The tag of `repo:tag@digest` (go-containerregistry keeps only the digest): after the last `:` past the last `/`. */
function tagBeforeDigest(ref: string): string {
  const at = ref.indexOf('@');
  if (at === -1) return '';
  const before = ref.slice(0, at);
  const slash = before.lastIndexOf('/');
  const colon = before.lastIndexOf(':');
  return colon === -1 || colon < slash ? '' : before.slice(colon + 1);
}

export function imageTag(r: ImageReference): string {
  return r.kind === 'tag' ? r.id : tagBeforeDigest(r.original);
}

export function imageIdentifier(r: ImageReference): string {
  if (r.kind === 'digest') {
    const tag = tagBeforeDigest(r.original);
    if (tag !== '') return `${tag}@${r.id}`;
  }
  return r.id;
}

export function registerKyvernoImage(env: CelRegistrar): void {
  const T = IMAGE_TYPE;
  env.registerType(T, ImageReference);
  // Go's reflect.DeepEqual of the references: the same kind, parts and original text.
  env.registerOperator(
    `${T} == ${T}`,
    (a: ImageReference, b: ImageReference) =>
      a.kind === b.kind && a.registry === b.registry && a.repo === b.repo && a.id === b.id && a.original === b.original,
  );
  env.registerFunction(`parseImageReference(string): ${T}`, parseImageReference);
  env.registerFunction(`image(string): ${T}`, parseImageReference);
  env.registerFunction('isImage(string): bool', isImage);
  env.registerFunction(`${T}.containsDigest(): bool`, (r: ImageReference) => r.kind === 'digest' && r.id.length !== 0);
  env.registerFunction(`${T}.registry(): string`, (r: ImageReference) => r.registry);
  env.registerFunction(`${T}.repository(): string`, (r: ImageReference) => r.repository);
  env.registerFunction(`${T}.identifier(): string`, imageIdentifier);
  env.registerFunction(`${T}.identifierWithSeparator(): string`, (r: ImageReference) =>
    r.kind === 'digest' ? `@${r.id}` : `:${r.id}`,
  );
  env.registerFunction(`${T}.tag(): string`, imageTag);
  env.registerFunction(`${T}.digest(): string`, (r: ImageReference) => (r.kind === 'digest' ? r.id : ''));
}
