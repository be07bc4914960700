// Preloaded (node --import) into each README block's process: requests the block sends to
// https://<workspace>.glassix.com go to the bundled sandbox instead, so the README's code runs
// exactly as written, without credentials or network.
const target = new URL(process.env.GLASSIX_SANDBOX_ORIGIN);
const realFetch = globalThis.fetch;
globalThis.fetch = function (input, init) {
  const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
  if (url.hostname.endsWith('.glassix.com')) {
    url.protocol = target.protocol;
    url.host = target.host;
    return realFetch(url, init);
  }
  return realFetch(input, init);
};
