// @vitest-environment jsdom
// Vitest's jsdom environment: jsdom's globals (window, document) beside Node's fetch. The package
// is loaded as in the node environment; to the client it is a browser, so it is given a token
// (as a page is), not the secret.
import { test, expect } from 'vitest';
import { writeFileSync } from 'node:fs';
import GlassixClient, { GlassixError } from 'glassix-wasm';
import { scenario } from '../scenario.mjs';

test('the scenario, in the jsdom environment', async () => {
  expect(typeof window).toBe('object');
  const result = await scenario(GlassixClient, GlassixError, JSON.parse(process.env.GLASSIX_SCENARIO));
  writeFileSync(process.env.GLASSIX_RESULT, JSON.stringify({ ...result, entry: import.meta.resolve('glassix-wasm') }));
});
