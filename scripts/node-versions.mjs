// `npm test -- node-versions`: the Node test suite (the `node` step of scripts/test.mjs) again under
// Node 22, 24 and 26, the maintained lines beside the 20 that runs `npm test`, from the ecosystem cache
// (tests/ecosystem/run.mjs --which installs them from the npm registry once). Each Node ships its
// own undici, and what a test proves about fetch on one (errors, causes, aborts, redirects, what an
// error keeps) does not hold on the next by itself: Node 24's parser error lost the code that the
// credential scrubbing looked for.
// Node 18 (past its end of life, `engines` still allows it) gets the ecosystem's scenario only:
// the suite's browser test needs Playwright, which needs Node 20, and Node 18 itself warns when a
// README example appends a file to a FormData (`buffer.File is an experimental feature`).
//   node scripts/node-versions.mjs [node18|node20|node22|node24|node26…]   (default: node22 node24 node26)
import { execFileSync, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const versions = process.argv.slice(2).length ? process.argv.slice(2) : ['node22', 'node24', 'node26'];
const paths = execFileSync(process.execPath, [join(root, 'tests', 'ecosystem', 'run.mjs'), '--which', ...versions], { cwd: root, encoding: 'utf8' })
  .trim()
  .split('\n');
let failed = 0;
for (const [i, node] of paths.entries()) {
  const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  console.log(`\n== node-versions: ${versions[i]} (${version})`);
  // scripts/test.mjs's own `node` step, under this Node: first on PATH, so the step's `node` (and
  // every test that starts `node` by name) is this one
  const r = spawnSync(node, [join(root, 'scripts', 'test.mjs'), 'node'], { cwd: root, env: { ...process.env, PATH: `${dirname(node)}:${process.env.PATH}` }, stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    console.error(`== node-versions: the suite failed under ${version} (exit ${r.status ?? r.signal})`);
  }
}
process.exit(failed ? 1 : 0);
