/**
 * The `model` namespace of the public API (src/index.ts): the facts derived from a fleet, from
 * the files that hold them. The spec's own facts (placement, platform identities) live in spec/
 * because its rules read them; the library keeps offering them under `model` as before.
 */
export * from './fleet-model.js';
export * from '../spec/placement.js';
export * from '../spec/identities.js';
