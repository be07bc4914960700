// The browser entry in a module service worker, which may not wait at its top level: the
// README says register() rejects; the runner checks that it still does.
import GlassixClient from '/node_modules/glassix-wasm/pkg/browser.mjs';

self.onmessage = (event) => event.source.postMessage(typeof GlassixClient);
