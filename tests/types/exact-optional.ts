// Type test, compiled with exactOptionalPropertyTypes (scripts/typecheck.mjs): an optional key
// given as `undefined` is what the runtime takes for a key not given, so a project that passes
// its own optional values through must type-check without spreading them in conditionally.

import GlassixClient, { GlassixError } from 'glassix-wasm';
import type { ClientOptions, ConsumeOptions, RequestOptions, TicketsResource } from 'glassix-wasm';
import { startSandbox } from 'glassix-wasm/sandbox';
import { exportTickets } from 'glassix-wasm/export';
import { createRedisStore } from 'glassix-wasm/redis';

interface Config {
  timeout?: number;
  maxRetries?: number;
  domain?: string;
  signal?: AbortSignal;
  latencyMs?: number;
  role?: 'ReadOnly';
}
declare const cfg: Config;

export async function passThrough(): Promise<void> {
  const options: ClientOptions = { workspace: 'acme', accessToken: 't', timeout: cfg.timeout, maxRetries: cfg.maxRetries, domain: cfg.domain };
  const client = new GlassixClient(options);
  const o: RequestOptions = { signal: cfg.signal, timeout: cfg.timeout };
  const ticket = await client.tickets.get(1, o);
  await client.tickets.send(ticket.id, { text: 'hi', html: cfg.domain });
  await client.tickets.setOwner(ticket.id, { nextOwnerUserName: 'a@acme.com', keepCurrentOwnerInConversation: undefined });
  await client.users.add([{ userName: 'b@acme.com' }], { userType: 'AGENT', role: cfg.role });
  await client.webhooks.getEvents({ deleteEvents: undefined });
  const consume: ConsumeOptions = { signal: cfg.signal, intervalMs: cfg.timeout, onError: undefined };
  void consume;
  void new GlassixError('m', { kind: undefined, status: undefined });
  const sb = await startSandbox({ port: undefined, faults: { latencyMs: cfg.latencyMs } });
  sb.setFaults({ latencyMs: cfg.latencyMs });
  await exportTickets({ client, since: '2025-01-01', out: 'x.ndjson', until: undefined, signal: cfg.signal });
  createRedisStore({ evalSha: async () => null, eval: async () => null, isOpen: true }, { prefix: 'p', commandTimeout: cfg.timeout });
  await sb.close();
}

// required keys stay required, and a value of the wrong type is still refused
// @ts-expect-error accessToken must be a string when it is the only credential
new GlassixClient({ workspace: 'acme', accessToken: undefined });
// @ts-expect-error nextState is required
void ((t: TicketsResource) => t.setState(1, { nextState: undefined }));
// @ts-expect-error timeout is a number
void ({ timeout: '5' } satisfies RequestOptions);
