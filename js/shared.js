// Shared by the package entries: scripts/build.mjs pastes this file into pkg/index.cjs (Node)
// and pkg/browser.mjs (browsers, bundlers), so both expose the very same classes and helpers.

/** Every failure of a GlassixClient call. `code` and `status` are the HTTP status (glassix-js
 * users check `err.code`); `kind` says what went wrong. */
class GlassixError extends Error {
  constructor(message, fields) {
    const f = fields || {};
    super(message, f.cause === undefined ? undefined : { cause: f.cause });
    this.name = 'GlassixError';
    this.kind = f.kind || 'http';
    this.code = f.status;
    this.status = f.status;
    this.body = f.body;
    if (f.retryAfter !== undefined) this.retryAfter = f.retryAfter;
  }
}

function finish(wasm) {
  wasm.__setErrorClass(GlassixError);
  wasm.TicketIterator.prototype[Symbol.asyncIterator] = function () {
    return this;
  };
  // glassix-js's methods were closures: `const { get } = client.tickets` worked. Each method is
  // bound to its group on first access, so detached calls keep working here too.
  for (const group of ['Tickets', 'Users', 'Tenants', 'Contacts', 'CannedReplies', 'InteractiveDocuments', 'Protocols', 'PhoneCalls', 'Files', 'Webhooks']) {
    const proto = wasm[group].prototype;
    for (const name of Object.getOwnPropertyNames(proto)) {
      const method = proto[name];
      if (name === 'constructor' || name === 'free' || name.startsWith('__') || typeof method !== 'function') continue;
      Object.defineProperty(proto, name, {
        configurable: true,
        get() {
          const bound = method.bind(this);
          Object.defineProperty(this, name, { value: bound, configurable: true });
          return bound;
        },
      });
    }
  }
  const GlassixClient = wasm.GlassixClient;
  const api = {
    GlassixClient,
    default: GlassixClient,
    GlassixError,
    formatDate: wasm.formatDate,
    verifyWebhook: wasm.verifyWebhook,
    parseWebhook: wasm.parseWebhook,
  };
  for (const name of Object.keys(api)) {
    Object.defineProperty(GlassixClient, name, { value: api[name], enumerable: true });
  }
  return GlassixClient;
}
