/**
 * The fleet spec's load (`loadRepoFleet`: fleet.yaml parsed and validated, infra/ read) kept in a
 * content store between runs. An entry is found by the digest of fleet.yaml (and, through the
 * store's salt, the engine digest: all of the package's code) and holds every question the load
 * asked of the repository with its answer; it is used only when every one of them gets the same
 * answer now, so it is keyed by every file the load read and is never stale. A load that fails
 * (bad input) is not kept: its errors come from the load itself, every time.
 */
import { deserialize, serialize } from 'node:v8';
import type { ContentStore } from '../content-store.js';
import type { RepoFs } from '../repo/repo-fs.js';
import { answerDigest, answerOf, type Question } from '../repo/recording-fs.js';
import { InputRecorder } from '../incremental/inputs.js';
import { FLEET_FILE, loadRepoFleet, type LoadedFleet } from './render.js';

/** What an entry holds: the load's questions with their answers, and its result (v8 serialised, base64). */
interface StoredFleetJson {
  readonly inputs: [string, string][];
  readonly value: string;
}

/** The store key of the load of a repository whose fleet.yaml has this content. */
export function storedFleetKey(fleetYaml: Uint8Array): string {
  return `fleet-spec 1\0${answerDigest(fleetYaml)}`;
}

/** `loadRepoFleet(fs)`, from `store` when every input it read has the same answer, else loaded and kept. */
export function loadRepoFleetStored(fs: RepoFs, store: ContentStore | undefined): LoadedFleet | undefined {
  if (store === undefined || !fs.isFile(FLEET_FILE)) return loadRepoFleet(fs);
  const key = storedFleetKey(fs.readBytes(FLEET_FILE));
  const hit = store.get(key);
  if (hit !== undefined) {
    const found = fromEntry(fs, hit);
    if (found !== undefined) return found.value;
  }
  const rec = new InputRecorder(fs);
  const value = loadRepoFleet(rec);
  if (value !== undefined) {
    const json: StoredFleetJson = { inputs: [...rec.questions], value: serialize(value).toString('base64') };
    store.put(key, JSON.stringify(json));
  }
  return value;
}

/** The stored result when every recorded question gets its recorded answer from `fs`. */
function fromEntry(fs: RepoFs, text: string): { value: LoadedFleet } | undefined {
  let json: StoredFleetJson;
  try {
    json = JSON.parse(text) as StoredFleetJson;
  } catch {
    return undefined;
  }
  if (!Array.isArray(json.inputs) || typeof json.value !== 'string') return undefined;
  for (const [q, a] of json.inputs) {
    const sep = q.indexOf('\0');
    if (answerOf(fs, q.slice(0, sep) as Question, q.slice(sep + 1)) !== a) return undefined;
  }
  return { value: deserialize(Buffer.from(json.value, 'base64')) as LoadedFleet };
}
