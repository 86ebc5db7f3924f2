#!/usr/bin/env node
// `runledger` entry: registers the TypeScript loader (tsx) so the CLI runs from source in a checkout.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../native/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
