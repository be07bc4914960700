// Preloaded (node --import) into each README block's process: requests the block sends to
// https://<workspace>.glassix.com go to the bundled sandbox instead, so the README's code runs
// exactly as written, without credentials or network.
const target = new URL(process.env.GLASSIX_SANDBOX_ORIGIN);
const realFetch = globalThis.fetch;
globalThis.fetch = async function (input, init) {
  const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
  if (!url.hostname.endsWith('.glassix.com')) return realFetch(input, init);
  url.protocol = target.protocol;
  url.host = target.host;
  if (!(input instanceof Request)) return realFetch(url, init);
  // the client hands fetch one Request: the same request, to the sandbox
  const body = input.method === 'GET' || input.method === 'HEAD' ? undefined : await input.arrayBuffer();
  return realFetch(url, { method: input.method, headers: input.headers, body, signal: input.signal, redirect: input.redirect });
};
