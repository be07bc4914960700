// A Cloudflare Worker: imports the package by its bare name and calls the API from its fetch
// handler. Bundled by wrangler (deploy --dry-run), run by miniflare's workerd.
import GlassixClient, { GlassixError } from 'glassix-wasm';
import { scenario } from '../scenario.mjs';

/** Every string reachable from `v` (own properties, symbol keys and hidden ones included, the
 * cause chain, bytes read as text), for the runner to search for credentials. */
function reachable(v, out = [], seen = new Set(), depth = 0) {
  if (typeof v === 'string') out.push(v);
  else if (v instanceof Uint8Array || v instanceof ArrayBuffer) out.push(new TextDecoder().decode(v));
  else if (v && typeof v === 'object' && !seen.has(v) && depth < 12) {
    seen.add(v);
    if (v instanceof Error) out.push(String(v), String(v.stack));
    for (const k of Reflect.ownKeys(v)) {
      let x;
      try {
        x = v[k];
      } catch {}
      reachable(x, out, seen, depth + 1);
    }
  }
  return out;
}

// one client for every request, as the README advises for Workers: concurrent requests then
// wait on each other's calls (its maxConcurrency queue, its rate window)
let shared;

// a call made at module scope (workerd allows no timer there): a promise, as in every entry, not
// workerd's "Disallowed operation" thrown from the call, which would fail the Worker's start
let early;
try {
  const p = new GlassixClient({ baseUrl: 'http://127.0.0.1:9/api/v1.2', accessToken: 'module-scope-token' }).tickets.get('not a ticket');
  early = 'a promise';
  p.catch((e) => (early = `rejected: ${e instanceof GlassixError} ${e.kind}`));
} catch (e) {
  early = `threw: ${e && e.message}`;
}

export default {
  async fetch(request) {
    const input = await request.json();
    if (new URL(request.url).pathname === '/early') return new Response(early);
    if (new URL(request.url).pathname === '/shared') {
      shared ??= new GlassixClient({ baseUrl: input.baseUrl, apiKey: input.apiKey, apiSecret: input.apiSecret, userName: input.userName, maxConcurrency: 1, rateLimit: { requests: 2, perMs: 300 } });
      return Response.json({ users: (await shared.users.getAll()).length });
    }
    if (new URL(request.url).pathname === '/echo') {
      // a server that echoes the request into a Content-Length header: workerd's fetch quotes the
      // header's value in its error, and none of it may reach the GlassixError
      const { baseUrl, secrets } = input;
      const errors = [
        await new GlassixClient({ baseUrl, apiKey: secrets[0], apiSecret: secrets[1], userName: 'probe@example.com', maxRetries: 0 }).getToken().catch((e) => e),
        await new GlassixClient({ baseUrl, accessToken: secrets[2], maxRetries: 0 }).tickets.get(1).catch((e) => e),
      ];
      return Response.json({ kinds: errors.map((e) => e instanceof GlassixError && e.kind), causes: errors.map((e) => e.cause?.message), text: errors.flatMap((e) => reachable(e)) });
    }
    return Response.json(await scenario(GlassixClient, GlassixError, input));
  },
};
