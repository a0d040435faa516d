/** Bicep: the file model (ast.ts), the one serializer (emit.ts), SDK -> ARM shape (arm.ts). */
export * from './ast.js';
export { emitBicep, emitBicepParam, emitValue } from './emit.js';
export { armBody, wireShape, WIRE_NAMES } from './arm.js';
