// Type test: the ES-module shape (a .mts file is an ES module in any project).

import GlassixClient, * as glassix from 'glassix-wasm';
import { GlassixClient as Named, GlassixError } from 'glassix-wasm';
import sandboxDefault, { startSandbox } from 'glassix-wasm/sandbox';
import exportDefault, { exportTickets } from 'glassix-wasm/export';
import redisDefault, { createRedisStore } from 'glassix-wasm/redis';
import wasmUrl from 'glassix-wasm/wasm';
import wasmModule from 'glassix-wasm/wasm?module';
import { init } from 'glassix-wasm/init';

type Equal<X, Y> = (<T>() => T extends X ? 1 : 2) extends <T>() => T extends Y ? 1 : 2 ? true : false;
function assert<T extends true>(): T | void {}

assert<Equal<typeof Named, typeof GlassixClient>>();
assert<Equal<typeof glassix.default, typeof GlassixClient>>();
assert<Equal<typeof glassix.GlassixError, typeof GlassixError>>();
// the statics exist on the ES-module default export too
assert<Equal<typeof GlassixClient.GlassixError, typeof GlassixError>>();
assert<Equal<typeof sandboxDefault.startSandbox, typeof startSandbox>>();
assert<Equal<typeof exportDefault.exportTickets, typeof exportTickets>>();
assert<Equal<typeof redisDefault.createRedisStore, typeof createRedisStore>>();
// what a bundler's file loader gives for the .wasm: its URL, also under node16/nodenext
assert<Equal<typeof wasmUrl, string>>();
// what a `?module` import gives on an Edge runtime (Next.js, Vercel): a compiled module init() takes
export const ready: Promise<void> = init(wasmModule);

export async function main(): Promise<void> {
  const client = new Named({ workspace: 'acme', getAccessToken: async () => 'token' });
  const t: glassix.Ticket = await client.tickets.get('42');
  void t;
  const sb = await sandboxDefault.startSandbox({ seed: { departments: [{ name: 'Support' }] } });
  await sb.close();
}

// init() takes the .wasm's URL, a Response, its bytes or a module, and nothing else
export async function loads(bytes: Uint8Array, module: WebAssembly.Module): Promise<void> {
  await init(wasmUrl);
  await init(new URL(wasmUrl, 'https://example.com/'));
  await init(new Response('not the wasm'));
  await init(bytes);
  await init(module);
  await init();
  // @ts-expect-error a number is no source
  await init(42);
}
