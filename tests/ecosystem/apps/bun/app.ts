// Bun: the package by its bare name, from the folder the tarball is installed in.
import GlassixClient, { GlassixError } from 'glassix-wasm';
import { scenario } from '../scenario.mjs';

const result = await scenario(GlassixClient, GlassixError, JSON.parse(process.argv[2]));
console.log(JSON.stringify({ ...result, entry: Bun.resolveSync('glassix-wasm', import.meta.dir) }));
