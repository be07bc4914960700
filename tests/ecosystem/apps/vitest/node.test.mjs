// Vitest's default (node) environment: `import` by the bare name, as an app's own tests do. The
// runner passes the scenario's input in GLASSIX_SCENARIO and reads the result from GLASSIX_RESULT.
import { test } from 'vitest';
import { writeFileSync } from 'node:fs';
import GlassixClient, { GlassixError } from 'glassix-wasm';
import { scenario } from '../scenario.mjs';

test('the scenario, in the node environment', async () => {
  const result = await scenario(GlassixClient, GlassixError, JSON.parse(process.env.GLASSIX_SCENARIO));
  writeFileSync(process.env.GLASSIX_RESULT, JSON.stringify({ ...result, entry: import.meta.resolve('glassix-wasm') }));
});
