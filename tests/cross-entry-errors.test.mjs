// A GlassixError made by another entry of the package (glassix-wasm/redis and a user's store
// import the main entry's class; a client may come from glassix-wasm/init) is kept as it is by
// the client's hooks, as the README promises ("Whatever acquire throws rejects the call,
// unchanged if it is a GlassixError"; "err instanceof GlassixError holds whichever entry made
// the error"): its kind was lost, the call rejecting as kind `network`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { GlassixError as MainError, startServer } from './helpers/server.mjs';

const init = await import('../pkg/init.mjs?cross-entry');
await init.init(readFileSync(new URL('../pkg/glassix_wasm_bg.wasm', import.meta.url)));
const mistake = () => new MainError('my store: set-up mistake', { kind: 'invalid_argument' });

test("glassix-wasm/init: a store's acquire, a store's token() and a rateLimit function that throw the main entry's GlassixError keep its kind", async () => {
  const s = await startServer();
  try {
    const store = (over) => ({ token: async (fetch) => fetch(), acquire: async () => undefined, ...over });
    const cases = [
      ['acquire', { accessToken: 't', store: store({ acquire: async () => { throw mistake(); } }) }],
      ['rateLimit', { accessToken: 't', rateLimit: async () => { throw mistake(); } }],
      ['token', { apiKey: 'k', apiSecret: 's', userName: 'u@x', store: store({ token: async () => { throw mistake(); } }) }],
    ];
    for (const [name, options] of cases) {
      const c = new init.GlassixClient({ baseUrl: s.base, ...options });
      const e = await c.users.getAll().then(() => null, (x) => x);
      assert.ok(e instanceof init.GlassixError, name);
      if (name === 'token') {
        assert.equal(e.kind, 'invalid_argument', name);
        assert.equal(e.cause?.message, 'my store: set-up mistake', name);
      } else {
        assert.equal(e.kind, 'invalid_argument', name);
        assert.equal(e.message, 'my store: set-up mistake', name);
      }
    }
    assert.equal(s.calls.length, 0);
  } finally {
    await s.close();
  }
});
