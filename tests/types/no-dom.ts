// Type test: the declarations must compile in a project with neither the DOM lib nor
// @types/node (lib: es2022 only). AbortSignal, FormData and fetch fall back to structural types.

import GlassixClient, { GlassixError } from 'glassix-wasm';
import type { AbortSignalLike, FetchLike, RequestOptions } from 'glassix-wasm';
import { startSandbox } from 'glassix-wasm/sandbox';
import { init } from 'glassix-wasm/init';

const fakeFetch: FetchLike = async (request) => {
  void request.url, request.method, request.headers.get('authorization'), request.signal.aborted;
  return { status: 200, type: 'basic', headers: { get: () => 'application/json' }, arrayBuffer: async () => new ArrayBuffer(0) };
};
declare const signal: AbortSignalLike;

export async function main(): Promise<void> {
  const client = new GlassixClient({ workspace: 'acme', accessToken: 't', fetch: fakeFetch });
  const o: RequestOptions = { signal, timeout: 1000 };
  try {
    const tickets = await client.tickets.list({ since: new Date(0), until: new Date() }, o);
    void tickets;
  } catch (err) {
    if (err instanceof GlassixError) void err.kind;
  }
  const sb = await startSandbox();
  await sb.close();
}

// glassix-wasm/init's declarations stand alone too (no URL, Response or WebAssembly types here)
export async function loadsWithoutDom(bytes: Uint8Array): Promise<void> {
  await init(bytes);
  await init('./glassix_wasm_bg.wasm');
  // @ts-expect-error a number is no source
  await init(42);
}
