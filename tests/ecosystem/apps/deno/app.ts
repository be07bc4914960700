// Deno: the package by its bare name, from the node_modules folder the tarball is installed in
// (a package.json beside it makes Deno resolve from there).
import GlassixClient, { GlassixError } from 'glassix-wasm';
import { fileURLToPath } from 'node:url';
import { scenario } from '../scenario.mjs';

const result = await scenario(GlassixClient, GlassixError, JSON.parse(Deno.args[0]));
console.log(JSON.stringify({ ...result, entry: fileURLToPath(import.meta.resolve('glassix-wasm')) }));
