// How often a runtime's own fetch sends a request again when the keep-alive connection it reused
// is reset before any answer (README, Retries): the client makes one attempt (`maxRetries: 0`),
// and the runner's server counts what arrives. argv: the server's API root, then `fresh` for
// the README's way round it in Deno (a connection per request). Prints `{ get, post, put }`:
// each call's outcome.
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
await client.tickets.get(4);
// (a PUT the client never sends twice: it copies the ticket)
result.put = await outcome(client.tickets.setDepartment(5, { departmentId: '6f1b6b3e-1b2a-4c3d-9e8f-0a1b2c3d4e5f' }));
console.log(JSON.stringify(result));
