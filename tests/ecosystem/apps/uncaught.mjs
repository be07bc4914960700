// An app that leaves a GlassixError uncaught, as a script with top-level `await` does: what the
// runtime prints for it (tests/ecosystem/run.mjs, `uncaught`). argv: `options` (bad constructor
// options) or `call` (a call refused before any request, awaited at the top level).
import GlassixClient from 'glassix-wasm';

if (process.argv[2] === 'options') new GlassixClient({ workspace: 'acme', apiKey: 'k', apiSecret: 's', userName: 5 });
else await new GlassixClient({ workspace: 'acme', apiKey: 'k', apiSecret: 's', userName: 'u' }).tickets.get(0);
