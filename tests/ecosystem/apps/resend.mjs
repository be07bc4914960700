// How often a runtime's own fetch sends a request again when the keep-alive connection it reused
// is reset before any answer (README, Retries): the client makes one attempt (`maxRetries: 0`),
// and the runner's server counts what arrives. argv: the server's API root, then `fresh` for
// the README's way round it in Deno (a connection per request). Prints `{ get, post }`: each
// call's outcome.
import GlassixClient from 'glassix-wasm';

const [base, how] = process.argv.slice(2);
const options = { baseUrl: base, accessToken: 't', maxRetries: 0 };
if (how === 'fresh') {
  // (README, Retries: in Deno, no idle connection is kept, so none is reused)
  const httpClient = Deno.createHttpClient({ poolMaxIdlePerHost: 0 });
  options.fetch = (request) => fetch(request, { client: httpClient });
}
const client = new GlassixClient(options);
const outcome = (p) => p.then(() => 'ok', (e) => e.kind);
const result = {};
// (each after a call that leaves a connection to reuse)
await client.tickets.get(1);
result.get = await outcome(client.tickets.get(2));
await client.tickets.get(3);
result.post = await outcome(client.protocols.send({ text: 'x', protocolType: 'SMS', to: '+972500000000', from: '+972500000001' }));
console.log(JSON.stringify(result));
