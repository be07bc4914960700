// Jest's default (node) environment: require() by the bare name gets the Node entry. The runner
// passes the scenario's input in GLASSIX_SCENARIO and reads the result from GLASSIX_RESULT;
// scenario.cjs is apps/scenario.mjs, bundled to CommonJS by the runner (Jest cannot import it).
const { writeFileSync } = require('node:fs');
const GlassixClient = require('glassix-wasm');
const { scenario } = require('./scenario.cjs');

test('the scenario, in the node environment', async () => {
  const result = await scenario(GlassixClient, GlassixClient.GlassixError, JSON.parse(process.env.GLASSIX_SCENARIO));
  writeFileSync(process.env.GLASSIX_RESULT, JSON.stringify({ ...result, entry: require.resolve('glassix-wasm') }));
});
