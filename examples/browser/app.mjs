// A browser app never holds the API secret: it asks its own server for an access token
// (`getAccessToken`) and talks to the Glassix API directly with it.
import GlassixClient, { GlassixError } from 'glassix-wasm';

const params = new URLSearchParams(location.search);
const $ = (id) => document.getElementById(id);

const client = new GlassixClient({
  baseUrl: params.get('api') ?? 'https://acme.glassix.com',
  // your server's endpoint that returns a token issued with the secret it keeps
  getAccessToken: async () => (await fetch(params.get('tokenUrl') ?? '/glassix-token')).text(),
});

try {
  const created = await client.tickets.create({
    field1: 'Order #1042 arrived damaged',
    participants: [{ type: 'Client', protocolType: 'Mail', name: 'Dana Levi', identifier: 'dana@example.com' }],
  });
  const ticket = await client.tickets.get(created.id);
  $('ticket').innerHTML = '';
  for (const [k, v] of [['id', ticket.id], ['subject', ticket.field1], ['state', ticket.state]]) {
    $('ticket').insertAdjacentHTML('beforeend', `<dt>${k}</dt><dd data-field="${k}"></dd>`);
    $('ticket').lastElementChild.textContent = String(v);
  }
  for (const tag of await client.tenants.getTags()) {
    const li = document.createElement('li');
    li.textContent = tag.Name ?? tag.name;
    $('tags').append(li);
  }
  $('status').textContent = 'Connected';
  $('status').className = 'ok';
} catch (e) {
  $('status').textContent = e instanceof GlassixError ? `${e.kind} ${e.code ?? ''}: ${e.message}` : String(e);
  $('status').className = 'err';
}

// Handing the secret to a browser client is refused unless explicitly allowed.
try {
  new GlassixClient({ workspace: 'acme', apiKey: 'k', apiSecret: 'do-not-ship-me', userName: 'u@acme.com' });
  $('secret-check').textContent = 'apiSecret accepted (unsafe!)';
} catch (e) {
  $('secret-check').textContent = `apiSecret refused: ${e.kind}`;
}
