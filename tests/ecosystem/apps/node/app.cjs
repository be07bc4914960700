// Node, CommonJS: require() by the package's bare name from the folder the tarball is installed in.
const GlassixClient = require('glassix-wasm');
const { startSandbox } = require('glassix-wasm/sandbox');
const { exportTickets } = require('glassix-wasm/export');

import('../scenario.mjs')
  .then(async ({ scenario, packagedSandbox }) => {
    const result = await scenario(GlassixClient, GlassixClient.GlassixError, JSON.parse(process.argv[2]));
    result.entry = require.resolve('glassix-wasm');
    result.packagedSandbox = await packagedSandbox({ startSandbox, exportTickets, GlassixClient });
    process.stdout.write(JSON.stringify(result));
  })
  .catch((e) => {
    console.error(e);
    process.exit(1);
  });
