// Debian's Chromium (/usr/bin/chromium, installed by scripts/setup.sh --browser), driven by
// playwright-core: the one place the browser tests launch it. Never lets Playwright download a
// browser, and never lets a stuck browser hang a run.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

// as root Chromium needs --no-sandbox; the rest keep a machine with no outside network from
// retrying background connections
export const CHROME_ARGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

/** Launches Chromium; `close()` gives it 10 s, then kills it. */
export async function launchChromium() {
  const { chromium } = require('playwright-core');
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROME_ARGS, timeout: 30000 });
  return {
    browser,
    async close() {
      const closed = browser.close().then(() => true, () => false);
      const done = await Promise.race([closed, new Promise((r) => setTimeout(() => r(false), 10000).unref())]);
      if (!done) browser.process?.()?.kill('SIGKILL');
    },
  };
}
