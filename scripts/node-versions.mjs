// `npm test -- node-versions`: the Node test suite (tests/*.test.mjs, the `node` step) again under
// Node 22 and 24, the maintained lines beside the 20 that runs `npm test`, from the ecosystem cache
// (tests/ecosystem/run.mjs --which installs them from the npm registry once). The `node` step runs
// it under the Node that runs `npm test`; the ecosystem step runs only a scenario per version.
// Each Node ships its own undici, and what a test proves about fetch on one (errors, causes,
// aborts, redirects, what an error keeps) does not hold on the next by itself: Node 24's parser
// error lost the code that the credential scrubbing looked for.
// Node 18 (past its end of life, `engines` still allows it) gets the ecosystem's scenario only:
// the suite's browser test needs Playwright, which needs Node 20, and Node 18 itself warns when a
// README example appends a file to a FormData (`buffer.File is an experimental feature`).
//   node scripts/node-versions.mjs [node18|node20|node22|node24…]   (default: node22 node24)
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const versions = process.argv.slice(2).length ? process.argv.slice(2) : ['node22', 'node24'];
const tests = readdirSync(join(root, 'tests'))
  .filter((f) => f.endsWith('.test.mjs') || f.endsWith('.test.cjs'))
  .map((f) => join('tests', f));
const paths = execFileSync(process.execPath, [join(root, 'tests', 'ecosystem', 'run.mjs'), '--which', ...versions], { cwd: root, encoding: 'utf8' })
  .trim()
  .split('\n');
let failed = 0;
for (const [i, node] of paths.entries()) {
  const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  console.log(`\n== node-versions: ${versions[i]} (${version})`);
  // (first on PATH too: a test that starts `node` by name gets this one)
  const r = spawnSync(node, ['--test', ...tests], {
    cwd: root,
    env: { ...process.env, PATH: `${dirname(node)}:${process.env.PATH}` },
    stdio: 'inherit',
    timeout: 20 * 60 * 1000,
    killSignal: 'SIGKILL',
  });
  if (r.status !== 0) {
    failed++;
    console.error(`== node-versions: the suite failed under ${version} (exit ${r.status ?? r.signal})`);
  }
}
process.exit(failed ? 1 : 0);
