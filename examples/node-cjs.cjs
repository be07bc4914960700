// CommonJS: `require('glassix-wasm')` is the class itself (as glassix-js's default export was).
// Runs against the bundled sandbox, so it needs no credentials.
const GlassixClient = require('glassix-wasm');
const { startSandbox } = require('glassix-wasm/sandbox');

async function main() {
  const sandbox = await startSandbox();
  try {
    const client = new GlassixClient({ ...sandbox.credentials, baseUrl: sandbox.baseUrl });
    const users = await client.users.getAll();
    console.log(`users: ${users.map((u) => u.UserName).join(', ')}`);
    try {
      await client.tickets.get(999999999);
    } catch (err) {
      // glassix-js code checks err.code; err.kind tells what went wrong
      if (!(err instanceof GlassixClient.GlassixError)) throw err;
      console.log(`tickets.get(999999999): ${err.code} ${err.kind} "${err.message}"`);
    }
  } finally {
    await sandbox.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
