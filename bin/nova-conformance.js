#!/usr/bin/env node
// Thin launcher: lets Node load the TypeScript sources directly, then hands over to lib/cli.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../lib/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
