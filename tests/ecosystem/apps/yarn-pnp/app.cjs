// Yarn 4 with Plug'n'Play, its default: no node_modules, `yarn node` resolves the package from
// .pnp.cjs (inside Yarn's zip cache), and fs.promises hands back Yarn's own FileHandle. The
// scenario, then the packaged sandbox and the export, this time to a file (resumable: written,
// fsync'd and checkpointed page by page).
const { readFileSync } = require('node:fs');
const GlassixClient = require('glassix-wasm');
const { startSandbox } = require('glassix-wasm/sandbox');
const { exportTickets } = require('glassix-wasm/export');

import('../scenario.mjs')
  .then(async ({ scenario, packagedSandbox }) => {
    const result = await scenario(GlassixClient, GlassixClient.GlassixError, JSON.parse(process.argv[2]));
    result.entry = require.resolve('glassix-wasm');
    const toFile = async (options) => {
      const done = await exportTickets({ ...options, out: 'tickets.ndjson' });
      options.out.write(readFileSync('tickets.ndjson'), () => {});
      return done;
    };
    result.packagedSandbox = await packagedSandbox({ startSandbox, exportTickets: toFile, GlassixClient });
    process.stdout.write(JSON.stringify(result));
  })
  .catch((e) => {
    console.error(e);
    process.exit(1);
  });
