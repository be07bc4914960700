// A Cloudflare Worker: imports the package by its bare name and calls the API from its fetch
// handler. Bundled by wrangler (deploy --dry-run), run by miniflare's workerd.
import GlassixClient, { GlassixError } from 'glassix-wasm';
import { scenario } from '../scenario.mjs';

export default {
  async fetch(request) {
    return Response.json(await scenario(GlassixClient, GlassixError, await request.json()));
  },
};
