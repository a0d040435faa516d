import type { CelRegistrar } from './types.js';
export function registerKyvernoX509(_env: CelRegistrar): void {}
