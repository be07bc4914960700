// The three browser engines the page tests open pages in, each from Debian's packages
// (scripts/setup.sh --browser), never a browser a tool downloads:
//   chromium  Blink and V8: /usr/bin/chromium, driven by playwright-core (tests/helpers/browser.mjs)
//   firefox   Gecko and SpiderMonkey: /usr/bin/firefox-esr, driven by puppeteer-core over WebDriver BiDi
//   webkit    WebKit and JavaScriptCore, Safari's engine: WebKitGTK's MiniBrowser, driven through
//             WebKitWebDriver by selenium-webdriver, on a virtual X display (Xvfb). Its network
//             stack is libsoup's, not Safari's: what it does below `fetch` says nothing of Safari
// Each engine gives tabs with one small interface (goto, evaluate, waitFor, close), so a test
// says what a page must do once and runs it in all three. What a page printed or threw is read
// from the page itself (pageProblemsScript, put in by the server that serves it), the same way in
// every engine.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import { launchChromium, launchTwice } from './browser.mjs';

const require = createRequire(import.meta.url);

export const ENGINES = ['chromium', 'firefox', 'webkit'];
const FIREFOX = '/usr/bin/firefox-esr';
const WEBKIT_DRIVER = '/usr/bin/WebKitWebDriver';
// (libwebkit2gtk-4.1-0 puts it under the machine's multiarch folder: x86_64-linux-gnu, aarch64-…)
const minibrowser = () =>
  readdirSync('/usr/lib')
    .map((arch) => `/usr/lib/${arch}/webkit2gtk-4.1/MiniBrowser`)
    .find((f) => existsSync(f)) ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
// a launch or a new tab that takes longer fails the test instead of hanging it
const START_MS = 60000;

/** Put first in a served page's HTML: keeps what the page's code printed (console.*), threw
 * (uncaught errors, unhandled rejections) and failed to load (a script, an image) in
 * `window.__pageProblems`, and console.log's arguments in `window.__pageLogs`. Classic and inline,
 * so it runs before any module. */
export const pageProblemsScript = `<script>(() => {
  const problems = (window.__pageProblems = []), logs = (window.__pageLogs = []);
  for (const type of ['log', 'info', 'warn', 'error', 'debug', 'trace']) {
    const original = console[type];
    console[type] = (...args) => {
      problems.push('console.' + type + ': ' + args.map((a) => { try { return typeof a === 'string' ? a : JSON.stringify(a); } catch { return String(a); } }).join(' '));
      if (type === 'log') logs.push(args);
      return original.apply(console, args);
    };
  }
  addEventListener('error', (e) => problems.push(e instanceof ErrorEvent ? 'page error: ' + e.message : 'failed to load: ' + (e.target && (e.target.src || e.target.href))), true);
  addEventListener('unhandledrejection', (e) => problems.push('unhandled rejection: ' + String(e.reason) + (e.reason && e.reason.stack ? ' ' + e.reason.stack : '')));
})();</script>`;

/** Resolves once something listens on 127.0.0.1:`port`, or rejects after `ms`. */
async function listening(port, ms) {
  const until = Date.now() + ms;
  for (;;) {
    const up = await new Promise((r) => {
      const s = net.connect(port, '127.0.0.1', () => (s.destroy(), r(true)));
      s.on('error', () => r(false));
    });
    if (up) return;
    if (Date.now() > until) throw new Error(`nothing listened on port ${port} within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const freePort = () =>
  new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });

/** Waits `ms` at most for `promise`; false if it did not settle in time. */
const within = (promise, ms) => Promise.race([promise.then(() => true, () => false), new Promise((r) => setTimeout(() => r(false), ms).unref())]);

/** `promise`, or a rejection saying what took longer than `ms`. */
function limited(promise, ms, what) {
  let timer;
  return Promise.race([promise, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms)))]).finally(() => clearTimeout(timer));
}

/** Processes started here that must not outlive this one, whatever ends it (a failed test, an
 * uncaught error, process.exit, a signal): ended at exit, synchronously. */
const owned = new Set();
const killOwned = () => {
  for (const child of owned) child.kill('SIGKILL');
};
process.on('exit', killOwned);
// a signal ends the process without 'exit': kill them, then let the signal do what it would have
// (once: the second time the handler is gone and the default applies)
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    killOwned();
    if (!process.listenerCount(signal)) process.kill(process.pid, signal);
  });
}
/** Ends `child` (SIGTERM: Xvfb then removes its lock file and socket), SIGKILL after 5 s. */
async function end(child) {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    if (!(await within(exited, 5000))) child.kill('SIGKILL');
  }
  owned.delete(child);
}

/** Polls `fn` in the page until it returns something truthy; fails after `timeout` ms with what
 * the page reported meanwhile. */
async function waitFor(tab, fn, timeout) {
  const until = Date.now() + timeout;
  for (;;) {
    const value = await tab.evaluate(fn).catch(() => undefined); // (a page still navigating)
    if (value) return value;
    if (Date.now() > until) throw new Error(`waited ${timeout} ms in ${tab.engine} for ${fn}; the page reported: ${(await tab.problems().catch(() => [])).join('; ') || 'nothing'}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A tab's common interface around the driver's own. */
function tab(engine, { goto, evaluate, close }) {
  const t = {
    engine,
    goto,
    /** Runs `fn(arg)` in the page (awaiting a promise it returns) and resolves with its result. */
    evaluate,
    waitFor: (fn, timeout = 20000) => waitFor(t, fn, timeout),
    /** What the page printed, threw or could not load, as pageProblemsScript kept it. */
    problems: () => evaluate(() => window.__pageProblems ?? ['the page has no pageProblemsScript']),
    /** console.log's arguments, one array per call. */
    logs: () => evaluate(() => window.__pageLogs ?? []),
    close,
  };
  return t;
}

/** Chromium, through playwright-core; a tab is a fresh browser context. */
async function chromium() {
  const { browser, close } = await launchChromium();
  return {
    name: 'chromium',
    version: browser.version(),
    async newTab() {
      const context = await browser.newContext();
      const page = await context.newPage();
      page.setDefaultTimeout(20000);
      return tab('chromium', {
        goto: (url) => page.goto(url).then(() => {}),
        evaluate: (fn, arg) => page.evaluate(fn, arg),
        close: () => context.close(),
      });
    },
    close,
  };
}

/** Firefox ESR, through puppeteer-core over WebDriver BiDi (no driver binary); a tab is a fresh
 * browser context. */
async function firefox() {
  const puppeteer = require('puppeteer-core');
  const browser = await launchTwice(() => puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX, headless: true, timeout: 60000, protocolTimeout: 60000 }));
  const version = (await browser.version()).replace(/^firefox\//i, '');
  return {
    name: 'firefox',
    version,
    async newTab() {
      const context = await browser.createBrowserContext();
      const page = await context.newPage();
      page.setDefaultTimeout(20000);
      page.setDefaultNavigationTimeout(20000);
      return tab('firefox', {
        goto: (url) => page.goto(url).then(() => {}),
        evaluate: (fn, arg) => page.evaluate(fn, arg),
        close: () => context.close(),
      });
    },
    async close() {
      const pid = browser.process()?.pid;
      if (!(await within(browser.close(), 10000)) && pid) spawnSync('kill', ['-KILL', String(pid)]);
    },
  };
}

/** WebKitGTK's MiniBrowser, through WebKitWebDriver (W3C WebDriver) and selenium-webdriver, on
 * an X display of its own (Xvfb picks a free one; MiniBrowser has no headless mode). A tab is a
 * WebDriver session, a MiniBrowser of its own; the driver allows one session at a time, so a new
 * tab waits for the previous one to close. */
async function webkit() {
  const { Builder } = require('selenium-webdriver');
  const started = [];
  const stop = () => Promise.all(started.reverse().map(end));
  try {
    const xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'ignore', 'ignore', 'pipe'] });
    owned.add(xvfb);
    started.push(xvfb);
    const display = await limited(
      new Promise((resolve, reject) => {
        let out = '';
        xvfb.stdio[3].on('data', (d) => (out += d) && out.includes('\n') && resolve(out.trim()));
        xvfb.once('exit', (code) => reject(new Error(`Xvfb exited (${code}) before it had a display`)));
        xvfb.once('error', reject);
      }),
      START_MS,
      'starting Xvfb',
    );
    // WebKitWebDriver on a free port; started again (the old one ended, with its browsers) when a
    // session would not start: a MiniBrowser session has once hung for over a minute on this
    // 2-core machine while every other engine's pages ran, and a driver with a session start
    // still pending may refuse the next one
    let port;
    let driver;
    const startDriver = async () => {
      if (driver) await end(driver);
      port = await freePort();
      driver = spawn(WEBKIT_DRIVER, [`--port=${port}`, '--host=127.0.0.1'], { stdio: 'ignore', env: { ...process.env, DISPLAY: `:${display}` } });
      owned.add(driver);
      started.push(driver);
      const d = driver;
      await Promise.race([
        listening(port, START_MS),
        new Promise((_, reject) => {
          d.once('exit', (code) => reject(new Error(`WebKitWebDriver exited (${code}) before it listened`)));
          d.once('error', reject); // (not installed: spawn's ENOENT)
        }),
      ]);
    };
    await startDriver();
    const attempt = () =>
      limited(
        new Builder()
          .usingServer(`http://127.0.0.1:${port}`)
          .withCapabilities({ browserName: 'MiniBrowser', 'webkitgtk:browserOptions': { binary: minibrowser(), args: ['--automation'] } })
          .build(),
        START_MS,
        'starting a MiniBrowser session',
      );
    // (twice at most, as the other engines' launches: a browser that will not start at all still
    // fails the run)
    const session = () => attempt().catch(() => startDriver().then(attempt));
    const first = await session();
    const version = (await first.getCapabilities()).get('browserVersion');
    await within(first.quit(), 10000);
    let open = Promise.resolve(); // the tab open now, settled once it is closed
    return {
      name: 'webkit',
      version,
      async newTab() {
        // (the next tab waits for this one, claimed before anything is awaited)
        const previous = open;
        let closed;
        open = new Promise((r) => (closed = r));
        let d;
        try {
          await limited(previous, START_MS, 'waiting for the previous tab to close');
          d = await session();
        } catch (e) {
          closed();
          throw e;
        }
        await d.manage().setTimeouts({ script: 20000, pageLoad: 20000 });
        return tab('webkit', {
          goto: (url) => d.get(url),
          // (WebDriver's Execute Script awaits a promise the script returns)
          evaluate: (fn, arg) => d.executeScript(`return (${fn})(arguments[0])`, arg),
          close: async () => {
            await within(d.quit(), 10000);
            closed();
          },
        });
      },
      // (the driver ends its browsers with it)
      close: stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Starts `name` (one of ENGINES): `{ name, version, newTab(), close() }`. */
export function launchEngine(name) {
  const launch = { chromium, firefox, webkit }[name];
  if (!launch) throw new Error(`no browser engine ${name} (${ENGINES.join(', ')})`);
  return launch();
}
