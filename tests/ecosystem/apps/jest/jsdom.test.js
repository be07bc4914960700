/** @jest-environment jsdom */
// Jest's jsdom environment: jsdom's globals on Node, and the `browser` export condition, so
// require() gets pkg/browser.cjs (the browser entry is an ES module, which Jest cannot require).
// jsdom has no fetch: whatwg-fetch, the polyfill such set-ups use, sends over jsdom's
// XMLHttpRequest, CORS and all, from http://localhost. In jsdom the client is in a browser, so it
// is given a token (as a page is), not the secret.
require('whatwg-fetch');
const { writeFileSync } = require('node:fs');
const GlassixClient = require('glassix-wasm');
const { scenario } = require('./scenario.cjs');

test('the scenario, in the jsdom environment', async () => {
  expect(typeof window).toBe('object');
  const result = await scenario(GlassixClient, GlassixClient.GlassixError, JSON.parse(process.env.GLASSIX_SCENARIO));
  writeFileSync(process.env.GLASSIX_RESULT, JSON.stringify({ ...result, entry: require.resolve('glassix-wasm') }));
});

// a webhook handler's test: the raw body as a Node Buffer, which is another realm's Uint8Array here
test('a webhook body as a Buffer verifies and parses', () => {
  const { createHmac } = require('node:crypto');
  const body = Buffer.from(JSON.stringify({ key: 'k1', changes: [{ _event: 'TICKET_STATE_CHANGE', ticketId: 1 }] }));
  const signature = `sha1=${createHmac('sha1', 'webhook-secret').update(body).digest('hex')}`;
  expect(body instanceof Uint8Array).toBe(false);
  expect(GlassixClient.verifyWebhook(body, { 'x-hub-signature': signature }, 'webhook-secret')).toBe(true);
  expect(GlassixClient.parseWebhook(body)).toHaveLength(1);
});
