// Node, bundled into one file with the README's esbuild command (a Lambda-style deploy): the
// bundle holds the client; only the .wasm is copied beside it.
const GlassixClient = require('glassix-wasm');

import('../scenario.mjs')
  .then(async ({ scenario }) => {
    const result = await scenario(GlassixClient, GlassixClient.GlassixError, JSON.parse(process.argv[2]));
    process.stdout.write(JSON.stringify(result));
  })
  .catch((e) => {
    console.error(e);
    process.exit(1);
  });
