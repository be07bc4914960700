// The one scenario every ecosystem target runs, whatever imported the package: a real
// tickets.create + tickets.get (and the same get through client.request) against the runner's
// sandbox on 127.0.0.1, and a 404 that must
// arrive as the package's own GlassixError class. Each app passes in the GlassixClient and
// GlassixError it imported its own way; tests/ecosystem/run.mjs checks the result and what
// crossed the wire.

const MISSING = 999999999; // no such ticket in the sandbox

/** `options` are the client's (baseUrl plus credentials or getAccessToken); `subject` is the
 * runner's nonce, which must come back from the API. */
export async function scenario(GlassixClient, GlassixError, { subject, ...options }) {
  const client = new GlassixClient(options);
  const created = await client.tickets.create({
    field1: subject,
    participants: [{ type: 'Client', protocolType: 'Mail', name: 'Dana Levi', identifier: 'dana@example.com' }],
  });
  const ticket = await client.tickets.get(created.id);
  // the same ticket through the escape hatch (README, Other endpoints)
  // (with a Host copied from another request: the client sends the API's host; Bun sent a copied one)
  const raw = await client.request('GET', `/tickets/get/${created.id}`, { headers: { host: 'app.example' } });
  // (awaited from a function of its own: the error's stack is this code's, `at async
  // getMissing`, not the wasm's, where the engine keeps async frames)
  async function getMissing() {
    return await client.tickets.get(MISSING);
  }
  let error;
  try {
    await getMissing();
  } catch (e) {
    error = e;
  }
  return {
    id: ticket.id,
    subject: ticket.field1,
    rawSubject: raw.field1,
    state: ticket.state,
    error: { glassixError: error instanceof GlassixError, name: error?.name, kind: error?.kind, code: error?.code, wasmFrames: /wasm:\/\/|wasm-function\[/.test(String(error?.stack)), awaiter: /\bgetMissing\b/.test(String(error?.stack)) },
  };
}

/** The package's own sandbox (glassix-wasm/sandbox) started inside the runtime under test, with
 * generated tickets, and glassix-wasm/export reading them all through the client: the subpaths
 * resolve and run there too, with their dependencies as npm installed them. */
export async function packagedSandbox({ startSandbox, exportTickets, GlassixClient, tickets = 30 }) {
  const range = { since: '2026-01-01T00:00:00Z', until: '2026-03-01T00:00:00Z' };
  const sandbox = await startSandbox({ port: 0, generateTickets: { count: tickets, ...range } });
  try {
    const client = new GlassixClient({ ...sandbox.credentials, baseUrl: sandbox.baseUrl });
    const tags = await client.tenants.getTags();
    const chunks = [];
    const out = { write: (chunk, callback) => (chunks.push(chunk), callback()) };
    const done = await exportTickets({ client, ...range, out });
    const lines = new TextDecoder().decode(new Uint8Array(chunks.flatMap((c) => [...c]))).split('\n').filter(Boolean);
    return {
      tags: tags.length,
      exported: { reported: done.ticketsWritten, lines: lines.length, ids: new Set(lines.map((l) => JSON.parse(l).id)).size },
      requests: sandbox.requests.slice(0, 2).map((r) => `${r.method} ${r.path}`),
    };
  } finally {
    await sandbox.close();
  }
}

/** For the browser pages: reads the sandbox's URL and the nonce from the page's query, gets its
 * token from the page's own server (a browser never holds the secret), runs the scenario and
 * writes the result into #result as JSON. `extra` is added to the result. */
export async function inPage(GlassixClient, GlassixError, extra = {}) {
  const params = new URLSearchParams(location.search);
  const out = document.getElementById('result');
  try {
    const result = await scenario(GlassixClient, GlassixError, {
      subject: params.get('subject'),
      baseUrl: params.get('api'),
      getAccessToken: async () => (await fetch('/my-server/glassix-token')).text(),
    });
    out.textContent = JSON.stringify({ ...result, ...extra });
  } catch (e) {
    out.textContent = JSON.stringify({ failed: String(e && e.stack ? e.stack : e) });
  }
  out.dataset.done = 'true';
}
