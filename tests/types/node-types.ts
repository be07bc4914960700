// Type test: a Node project with @types/node and no DOM lib. Node's own globals must fit where
// the declarations take AbortSignal, FormData, fetch, headers and raw bodies.
// (Run by scripts/typecheck.mjs only when node_modules/@types/node exists.)

import http from 'node:http';
import GlassixClient, { GlassixError, parseWebhook, verifyWebhook } from 'glassix-wasm';
import type { FetchLike, RequestOptions } from 'glassix-wasm';
import { startSandbox } from 'glassix-wasm/sandbox';

// `await using` (TypeScript 5.2+; @types/node declares AsyncDisposable): the sandbox is closed at the end of the scope
export async function scoped(): Promise<string> {
  await using sb = await startSandbox();
  const disposable: AsyncDisposable = sb;
  void disposable;
  return sb.baseUrl;
}

export async function main(): Promise<void> {
  const sb = await startSandbox();
  const client = new GlassixClient({ baseUrl: sb.baseUrl, ...sb.credentials, fetch: globalThis.fetch });
  const ac = new AbortController();
  const o: RequestOptions = { signal: ac.signal };
  const o2: RequestOptions = { signal: AbortSignal.timeout(100) };
  // a signal-like object (a boolean aborted and an addEventListener), which the README allows,
  // fits beside Node's own AbortSignal
  const like = { aborted: false, addEventListener: (_type: 'abort', _listener: () => void) => {} };
  await client.tickets.get(1, { signal: like });
  // @ts-expect-error aborted must be a boolean
  void ({ signal: { aborted: 'no', addEventListener: () => {} } } satisfies RequestOptions);
  const wrapped: FetchLike = (request) => fetch(request);
  void wrapped;
  const form = new FormData();
  form.append('0', new Blob([Buffer.from('x')]), 'x.txt');
  await client.files.upload(form, o);
  await client.tickets.get(1, o2);
  // a webhook receiver on node:http: Buffer bodies and IncomingHttpHeaders
  http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      if (!verifyWebhook(raw, req.headers, sb.credentials.apiSecret)) {
        res.statusCode = 401;
        res.end();
        return;
      }
      for (const event of parseWebhook(raw)) void event.key;
      res.end();
    });
  });
  try {
    await client.webhooks.consume(async () => {}, { signal: ac.signal });
  } catch (err) {
    if (err instanceof GlassixError) void err.kind;
  }
  await sb.close();
}
