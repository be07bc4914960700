// The README's fetch-style webhook handler (Webhooks, "In a framework": Bun, Deno) in the
// runtime's own server: `verifyWebhook(await request.arrayBuffer(), request.headers, secret)`,
// with the runtime's Request and Headers. Two deliveries signed as Glassix signs them (the
// sandbox's scheme, by node:crypto), the second's body changed on the way. Prints
// `[[verified, events], …]`.
import { verifyWebhook, parseWebhook } from 'glassix-wasm';
import crypto from 'node:crypto';

const secret = 'webhook-secret';
const sign = (data) => `sha1=${crypto.createHmac('sha1', secret).update(data).digest('hex')}`;
const results = [];
async function handler(request) {
  const body = await request.arrayBuffer();
  const verified = verifyWebhook(body, request.headers, secret);
  results.push([verified, verified ? parseWebhook(body).length : null]);
  return new Response(null, { status: 200 });
}
const server = globalThis.Bun
  ? Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: handler })
  : Deno.serve({ port: 0, hostname: '127.0.0.1', onListen() {} }, handler);
const port = server.port ?? server.addr.port;
const raw = JSON.stringify({ _event: 'NEW_TICKET', ticketId: 1, text: 'שלום' });
const date = new Date().toUTCString();
const headers = { 'content-type': 'application/json', 'X-Hub-Signature': sign(raw), 'X-Glassix-Auth-Date': date, 'X-Glassix-Auth-Signature': sign(date) };
for (const body of [raw, raw.replace('1', '2')]) await fetch(`http://127.0.0.1:${port}/glassix`, { method: 'POST', body, headers });
console.log(JSON.stringify(results));
await (globalThis.Bun ? server.stop(true) : server.shutdown());
