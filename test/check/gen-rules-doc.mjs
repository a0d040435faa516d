#!/usr/bin/env node
// Writes docs/rules.md from the check rule registry. Run: node --import tsx test/check/gen-rules-doc.mjs
import { writeFileSync } from 'node:fs';
const { rulesMarkdown } = await import('../../src/checks/docs.ts');
writeFileSync(new URL('../../docs/rules.md', import.meta.url), rulesMarkdown());
