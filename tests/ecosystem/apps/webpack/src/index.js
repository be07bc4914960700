// webpack 5, zero config (src/index.js → dist/main.js): the package's `browser` export; webpack
// emits the .wasm that new URL(…, import.meta.url) names.
import GlassixClient, { GlassixError } from 'glassix-wasm';
import { inPage } from '../../scenario.mjs';

inPage(GlassixClient, GlassixError);
