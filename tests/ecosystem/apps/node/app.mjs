// Node, ES modules: import by the package's bare name from the folder the tarball is installed in.
import GlassixClient, { GlassixError } from 'glassix-wasm';
import { startSandbox } from 'glassix-wasm/sandbox';
import { exportTickets } from 'glassix-wasm/export';
import { fileURLToPath } from 'node:url';
import { scenario, packagedSandbox } from '../scenario.mjs';

const result = await scenario(GlassixClient, GlassixError, JSON.parse(process.argv[2]));
result.entry = fileURLToPath(import.meta.resolve('glassix-wasm'));
result.packagedSandbox = await packagedSandbox({ startSandbox, exportTickets, GlassixClient });
process.stdout.write(JSON.stringify(result));
