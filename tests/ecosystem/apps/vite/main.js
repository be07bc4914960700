// Vite, zero config: the package's `browser` export, which finds its .wasm through
// new URL(…, import.meta.url); Vite emits the file.
import GlassixClient, { GlassixError } from 'glassix-wasm';
import { inPage } from '../scenario.mjs';

inPage(GlassixClient, GlassixError);
