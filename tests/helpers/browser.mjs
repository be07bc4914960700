// Debian's Chromium (/usr/bin/chromium, installed by scripts/setup.sh --browser), driven by
// playwright-core: the one place the browser tests launch it. Never lets Playwright download a
// browser, and never lets a stuck browser hang a run.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

// as root Chromium needs --no-sandbox; the rest keep a machine with no outside network from
// retrying background connections
export const CHROME_ARGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

/** `launch()`, and once more if it fails. On a loaded 2-core machine a launch has once taken over
 * 30 s: the launchers allow 60 (Playwright and puppeteer kill a browser whose launch timed out). A
 * browser that will not start at all still fails the run, after the second try. */
export async function launchTwice(launch) {
  try {
    return await launch();
  } catch {
    return launch();
  }
}

/** Launches Chromium; `close()` gives it 10 s, then kills it. */
export async function launchChromium() {
  const { chromium } = require('playwright-core');
  // Playwright's Browser does not hand out its process: a switch Chromium ignores marks this
  // launch's processes, so a browser whose close() hangs can be killed (it once kept the page
  // server's keep-alive connections open, and with them the whole test run, for minutes)
  const marker = `--glassix-test-run=${randomUUID()}`;
  const browser = await launchTwice(() => chromium.launch({ executablePath: '/usr/bin/chromium', args: [...CHROME_ARGS, marker], timeout: 60000 }));
  return {
    browser,
    async close() {
      const closed = browser.close().then(() => true, () => false);
      const done = await Promise.race([closed, new Promise((r) => setTimeout(() => r(false), 10000).unref())]);
      if (!done) spawnSync('pkill', ['-KILL', '-f', marker]);
    },
  };
}
