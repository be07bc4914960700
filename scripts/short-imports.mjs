// Renames the wasm's imports to short names and the wasm-bindgen glue's import object with them.
// wasm-bindgen names each import after its binding plus a 16-hex-digit hash
// (`__wbg_origin_391fe3d8dce5e36e`); 125 of them cost about 2 KB gzip (the hashes do not
// compress), once in the wasm's import section and once in the glue's import object. binaryen's
// --minify-imports only renames imports from the `env` module, so this does the same for ours.
// Module names are shortened too (`./glassix_wasm_bg.js`, repeated in each of the 125 import
// entries, and the snippet's 56-character path): they are only keys of the glue's import object.
// The types and the code stay as they are.

/** `bytes` (a wasm module) with its import and export sections rewritten: `onImport(module, name,
 * kind)` gives an import's new `[module, name]`; `onExport(name)` an export's new name, or null to
 * drop it. Every other section, and every descriptor, stays as it is. */
function rewriteNames(bytes, onImport, onExport = (name) => name) {
  const b = Buffer.from(bytes);
  // one reader over the module: `at.p` is where it reads next
  const at = { p: 8 };
  const leb = () => {
    let v = 0;
    for (let s = 0; ; s += 7) {
      const x = b[at.p++];
      v += (x & 0x7f) * 2 ** s;
      if (x < 0x80) return v;
    }
  };
  const encodeLeb = (n) => {
    const out = [];
    do {
      let x = n & 0x7f;
      n = Math.floor(n / 128);
      if (n) x |= 0x80;
      out.push(x);
    } while (n);
    return Buffer.from(out);
  };
  const str = (s) => Buffer.concat([encodeLeb(Buffer.byteLength(s)), Buffer.from(s)]);
  const readStr = () => {
    const n = leb();
    const s = b.subarray(at.p, at.p + n).toString();
    at.p += n;
    return s;
  };
  const out = [b.subarray(0, 8)];
  while (at.p < b.length) {
    const start = at.p;
    const id = b[at.p++];
    const size = leb();
    const end = at.p + size;
    const parts = [];
    let kept = 0;
    if (id === 7) {
      // the export section: (name, kind, index)*
      for (let i = leb(); i > 0; i--) {
        const name = readStr();
        const kind = b[at.p++];
        const index = leb();
        const to = onExport(name);
        if (to === null) continue;
        parts.push(str(to), Buffer.from([kind]), encodeLeb(index));
        kept++;
      }
    } else if (id === 2) {
      // the import section: (module, name, descriptor)*
      for (let i = leb(); i > 0; i--) {
        const module = readStr();
        const name = readStr();
        const descStart = at.p;
        const kind = b[at.p++];
        if (kind === 0) leb(); // function: type index
        else if (kind === 1) {
          at.p++; // reference type
          const flags = leb();
          leb();
          if (flags & 1) leb();
        } else if (kind === 2) {
          const flags = leb();
          leb();
          if (flags & 1) leb();
        } else if (kind === 3) at.p += 2; // value type, mutability
        else if (kind === 4) {
          at.p++;
          leb();
        } else throw new Error(`short-imports: unknown import kind ${kind}`);
        const [toModule, toName] = onImport(module, name, kind);
        parts.push(str(toModule), str(toName), b.subarray(descStart, at.p));
        kept++;
      }
    } else {
      at.p = end;
      out.push(b.subarray(start, end));
      continue;
    }
    at.p = end;
    const section = Buffer.concat([encodeLeb(kept), ...parts]);
    out.push(Buffer.from([id]), encodeLeb(section.length), section);
  }
  return Buffer.concat(out);
}

/** `bytes` (a wasm module) with its imports renamed, and the old → new map. */
export function shortenImports(bytes) {
  let helpers = 0; // wasm-bindgen's own exports renamed so far
  const map = new Map();
  const exports = new Map();
  const modules = new Map(); // module name -> its one-letter name (`a`, `b`…)
  const snippet = new Map(); // a JS snippet's (js/exchange.js) export -> its short name, in module `a`
  const renamed = rewriteNames(
    bytes,
    (module, name) => {
      // a JS snippet's imports join wasm-bindgen's own (module `a`, short names: `inlineSnippet`)
      if (module.startsWith('./snippets/')) {
        if (!snippet.has(name)) snippet.set(name, shortName(map.size + snippet.size));
        return ['a', snippet.get(name)];
      }
      if (!map.has(name)) map.set(name, shortName(map.size + snippet.size));
      if (!modules.has(module)) modules.set(module, String.fromCharCode(97 + modules.size));
      return [modules.get(module), map.get(name)];
    },
    // wasm-bindgen's own exports (closure invokers named after their whole Rust type with three
    // crate hashes, up to 334 characters, and its `__wbindgen_*` helpers) get short names; the two
    // `__abort_handler` / `__instance_terminated` globals, which no glue reads, are not exported
    (name) => {
      if (DROPPED.includes(name)) return null;
      if (OWN_EXPORT.test(name)) exports.set(name, `_${shortName(helpers++).slice(1)}`);
      // and so do the package's own (`call`, `core_new`, `formatDate`, …), `_A`, `_B`…: the glue
      // reads them only as `wasm.<name>` (its functions keep their names), and V8's stack traces
      // name a wasm function by its index, not its export; `memory` keeps its name (the
      // benchmarks find it by that name)
      else if (name !== 'memory') {
        if (exports.size - helpers === 26) throw new Error('short-imports: more than 26 exports of the package\'s own to rename');
        exports.set(name, `_${String.fromCharCode(65 + exports.size - helpers)}`);
      }
      return exports.get(name) ?? name;
    },
  );
  if ([...modules.values()].join('') !== 'a') throw new Error('short-imports: expected wasm-bindgen\'s one import module besides the snippet');
  return { bytes: renamed, map, exports, modules, snippet };
}

/** The glue with the JS snippet's functions (js/exchange.js, after `oneSnippetImport`: one
 * import of it) in wasm-bindgen's own import object under their short names (`snippet`, from
 * `shortenImports`) instead of the snippet module as an import object of its own: the bundle then
 * needs no namespace object for it (esbuild's getter-per-export helper), and the wasm's import
 * section no export names. The functions are the same ones. */
export function inlineSnippet(glue, snippet) {
  const key = /^\s*"\.\/snippets\/[^"]+": (import\d+),\n/gm;
  const found = glue.match(key) || [];
  if (found.length !== 1) throw new Error(`short-imports: expected one snippet key in the glue's import object, found ${found.length}`);
  const ns = found[0].match(/(import\d+),/)[1];
  const out = replaceOnce(glue.replace(key, ''), /\n {4}const import0 = \{\n {8}__proto__: null,\n/g, (head) => head + [...snippet].map(([name, to]) => `        ${to}: ${ns}.${name},\n`).join(''), "the glue's import object");
  if (new RegExp(`\\b${ns}\\b(?!\\.\\w)`).test(out.replace(new RegExp(`^(import \\* as ${ns} from|const ${ns} = require\\()[^\\n]*$`, 'm'), ''))) throw new Error(`short-imports: ${ns} is used otherwise than as the snippet's functions`);
  return out;
}

/** The glue with wasm-bindgen's internal property names shortened: a handle's `__wbg_ptr` (on
 * the `Core` and `Pager` objects, which the package holds privately), a closure's
 * `_wbg_cb_unref` and `Pager.__wrap`, each written several times in every entry. Only the glue
 * reads or writes them. */
export function shortProps(glue) {
  let out = glue;
  // (`p_`, not `_p`: the wasm's own exports are renamed `_a`…, `_A`…, read as `wasm._p`)
  for (const [from, to] of [['__wbg_ptr', 'p_'], ['_wbg_cb_unref', 'u_'], ['__wrap', 'w_']]) {
    const re = new RegExp(`\\.${from}\\b|\\bstatic ${from}\\(`, 'g');
    if (!re.test(out)) throw new Error(`short-imports: ${from} is not in the glue`);
    out = out.replace(re, (m) => m.replace(from, to));
    if (out.includes(from) || new RegExp(`\\.${to}\\b`).test(glue)) throw new Error(`short-imports: ${from} is in the glue otherwise than as a property, or ${to} already is`);
  }
  return out;
}

/** The glue's import object keyed by the wasm's short module names (after `oneSnippetImport`:
 * one key per module). Only the keys change: the glue still imports the snippet by its path. */
export function renameModules(glue, modules) {
  let out = glue;
  for (const [from, to] of modules) {
    const key = new RegExp(`^(\\s*)"${from.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}": (import\\d+),$`, 'gm');
    const found = (out.match(key) || []).length;
    if (found !== 1) throw new Error(`short-imports: expected one key "${from}" in the glue's import object, found ${found}`);
    out = out.replace(key, `$1"${to}": $2,`);
  }
  return out;
}

/** Exports the glue reads only as `wasm.<name>`: renamed (the public ones keep their names). */
const OWN_EXPORT = /^(wasm_bindgen_|__wbindgen_|__externref_|__wbg_)/;
const DROPPED = ['__abort_handler', '__instance_terminated'];

/** `a`…`z`, `A`…`Z`, then two letters: never a name the glue uses for anything else. */
function shortName(i) {
  const A = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  return i < A.length ? `$${A[i]}` : `$${A[Math.floor(i / A.length) - 1]}${A[i % A.length]}`;
}

/** The glue with every renamed import's name replaced, and every renamed export's `wasm.<name>`. */
export function renameInGlue(glue, map, exports) {
  let out = glue;
  for (const name of DROPPED) if (out.includes(name)) throw new Error(`short-imports: the glue reads ${name}, which is no longer exported`);
  for (const [from, to] of exports) {
    const re = new RegExp(`\\bwasm\\.${from}\\b`, 'g');
    if (!re.test(out)) throw new Error(`short-imports: wasm.${from} is not in the glue`);
    out = out.replace(re, `wasm.${to}`);
  }
  for (const [from, to] of map) {
    const re = new RegExp(`\\b${from.replace(/[$]/g, '\\$&')}\\b`, 'g');
    if (!re.test(out)) throw new Error(`short-imports: ${from} is not in the glue`);
    out = out.replace(re, to);
  }
  return out;
}

/** The glue without `free()` (and its `Symbol.dispose` alias) on the two classes it exports: the
 * package holds both privately (a client's `Core`, an iterator's `Pager`) and never frees them by
 * hand (their FinalizationRegistry does), so that code is dead weight in every entry. */
export function dropFree(glue) {
  const methods = /\n {4}__destroy_into_raw\(\) \{\n[^]*?\n {4}\}\n {4}free\(\) \{\n[^]*?\n {4}\}/g;
  const dispose = /\nif \(Symbol\.dispose\) \w+\.prototype\[Symbol\.dispose\] = \w+\.prototype\.free;/g;
  const out = glue.replace(methods, '').replace(dispose, '');
  const left = (glue.match(methods) || []).length === 2 && (glue.match(dispose) || []).length === 2;
  if (!left || /\bfree\(\)|__destroy_into_raw/.test(out)) throw new Error('short-imports: the glue\'s free() is not where dropFree expects it');
  return out;
}

/** The glue's `call` without its `_assertClass(handle, Core)`: only the package's facade calls
 * it, always with the client's own core (a private field), and users cannot reach `call`. The
 * check's code is bytes in every entry for a case that cannot happen. */
export function noAssertClass(glue) {
  const check = /\n {4}_assertClass\(handle, Core\);/g;
  const def = /\nfunction _assertClass\(instance, klass\) \{\n[^]*?\n\}\n/g;
  if ((glue.match(check) || []).length !== 1 || (glue.match(def) || []).length !== 1) throw new Error('short-imports: the glue\'s _assertClass is not where noAssertClass expects it');
  const out = glue.replace(check, '').replace(def, '\n');
  if (/_assertClass/.test(out)) throw new Error('short-imports: _assertClass is used elsewhere in the glue');
  return out;
}

/** The glue without its fallbacks for runtimes that have no `FinalizationRegistry`: every runtime
 * the package supports has one (Node 18+, browsers, Deno, Bun, workerd), and a fallback object
 * per registry is bytes in every entry. */
export function finalizationAlways(glue) {
  const fallback = /\(typeof FinalizationRegistry === 'undefined'\)\n\s*\? \{ register: \(\) => \{\}, unregister: \(\) => \{\} \}\n\s*: new FinalizationRegistry\(/g;
  const found = (glue.match(fallback) || []).length;
  if (found < 1 || found > 4) throw new Error(`short-imports: expected the glue's FinalizationRegistry fallbacks, found ${found}`);
  const out = glue.replace(fallback, 'new FinalizationRegistry(');
  if (/typeof FinalizationRegistry/.test(out)) throw new Error('short-imports: a FinalizationRegistry check is left in the glue');
  return out;
}

/** The glue without its `console.warn` calls: the library never logs. They are wasm-bindgen's
 * loader warnings (old-style init arguments, a `.wasm` served without `application/wasm` before
 * the slower fallback); the entries pass `{ module_or_path }` / `{ module }` and stream only a
 * response labelled `application/wasm`, and the fallback stays, silent. The build fails if the
 * glue logs anywhere else. */
export function noWarnings(glue) {
  const warn = /console\.warn\((?:"[^"\n]*"|'[^'\n]*')(?:, e)?\);?/g;
  const out = glue.replace(warn, '');
  if (/\bconsole\./.test(out)) throw new Error('short-imports: the glue logs where noWarnings does not expect it');
  return out;
}

/** The web glue's loader without what the entries already did: they fetch the `.wasm` (from
 * their own `new URL(…, import.meta.url)`, which bundlers follow) and check the response
 * themselves, so the glue's default URL, its fetch of a string/URL/Request and its `!ok` check
 * are dead code in every entry. They pass the source itself (a Response, bytes or a Module, never
 * a plain object), so the unwrapping of `{ module_or_path }` / `{ module }` is dead too; and each
 * entry starts the wasm once (the browser's and the Workers' at load, glassix-wasm/init's
 * `init()` through its own promise, made again only after a failed start), so the default
 * export's own once-only promise is: the export is the loader itself. The build fails if any of
 * them is not where this expects it (the node glue has no loader). */
export function noDeadLoader(glue) {
  const dead = [
    /\n {8}if \(!module\.ok\) \{\n {12}throw new Error\(`failed to fetch Wasm: [^`\n]*`\);\n {8}\}\n/,
    /\n {4}if \(module_or_path === undefined\) \{\n {8}module_or_path = new URL\('glassix_wasm_bg\.wasm', import\.meta\.url\);\n {4}\}/,
    /\n {4}if \(typeof module_or_path === 'string' \|\| [^\n]*\) \{\n {8}module_or_path = fetch\(module_or_path\);\n {4}\}\n/,
    /\n {4}if \(module_or_path !== undefined\) \{\n {8}if \(Object\.getPrototypeOf\(module_or_path\) === Object\.prototype\) \{\n {12}\(\{module_or_path\} = module_or_path\)\n {8}\} else \{\n\s*\}\n {4}\}\n/,
    /\n {4}if \(module !== undefined\) \{\n {8}if \(Object\.getPrototypeOf\(module\) === Object\.prototype\) \{\n {12}\(\{module\} = module\)\n {8}\} else \{\n\s*\}\n {4}\}\n/,
    /\nlet __wbg_init_promise;\nasync function __wbg_init\(module_or_path\) \{\n[^]*?\n\}\n/,
  ];
  let out = glue;
  for (const re of dead) {
    if (!re.test(out)) throw new Error(`short-imports: the glue's loader is not what noDeadLoader expects (${re.source.slice(0, 40)}…)`);
    out = out.replace(re, '\n');
  }
  out = replaceOnce(out, /^export \{ initSync, __wbg_init as default \};$/gm, 'export { initSync, __wbg_init_once as default };', "the glue's exports");
  if (/__wbg_init_promise|__wbg_init\b/.test(out)) throw new Error('short-imports: the glue still uses its once-only init promise');
  return out;
}

/** The web glue's start forgets an instance that could not start: `init()` from glassix-wasm/init
 * given a valid wasm that is not this one (it instantiates, then has no start function) rejected,
 * and the glue kept that instance, so every later `init()`, with the real bytes too, got it back
 * and failed with a TypeError (README: after a failure "`init()` can be called again"). */
export function forgetFailedStart(glue) {
  // (the start function is an export renamed like the others: `wasm._o()`, or another letter)
  return replaceOnce(glue, /\n {4}wasm\.(_\w+)\(\);\n {4}return wasm;/g, '\n    try { wasm.$1(); } catch (e) { wasm = undefined; throw e; }\n    return wasm;', "the glue's one start call in __wbg_finalize_init");
}

/** The glue with one import of each JS snippet: wasm-bindgen imports `js/exchange.js` once per
 * function the wasm takes from it, and lists each under the same key of the imports object (a
 * duplicate key esbuild warns about). The first import serves them all: they are one module. */
export function oneSnippetImport(glue) {
  const seen = new Map(); // module path -> the import that stays
  const dropped = [];
  let out = glue.replace(/^(\s*)"(\.\/snippets\/[^"]+)": (import\d+),\n/gm, (line, _, path, name) => {
    if (!seen.has(path)) {
      seen.set(path, name);
      return line;
    }
    dropped.push(name);
    return '';
  });
  for (const name of dropped) {
    const declaration = new RegExp(`^(import \\* as ${name} from|const ${name} = require\\()[^\\n]*\\n`, 'm');
    if (!declaration.test(out)) throw new Error(`short-imports: no declaration of ${name} in the glue`);
    out = out.replace(declaration, '');
  }
  for (const name of dropped) if (new RegExp(`\\b${name}\\b`).test(out)) throw new Error(`short-imports: ${name} is still used`);
  return out;
}

/** The glue with gloo-net's URL probe answered without a `Request`. `RequestBuilder::build()`
 * makes a throwaway `new Request(url)` only to read its `.url` back (that resolves a relative URL
 * against the page), then builds the request it returns from that URL. Every URL the client
 * builds is already absolute and normalised (`baseUrl` must parse as a URL on its own, and paths
 * are joined to its origin), so the probe is answered with `{ url }`: one `Request` fewer per
 * attempt, about 20 µs of a call in Node (README, Performance). The request that is sent is built
 * exactly as before. The wasm imports `Request`'s one-argument constructor for nothing else. */
export function urlProbe(glue) {
  const probe = /function\(\) \{ return handleError\(function \(arg0, arg1\) \{\n\s*const ret = new Request\(getStringFromWasm0\(arg0, arg1\)\);\n\s*return ret;\n\s*\}, arguments\); \}/g;
  return replaceOnce(glue, probe, 'function (arg0, arg1) { return { url: getStringFromWasm0(arg0, arg1) }; }', "gloo-net's one URL probe (new Request(url))");
}

/** `glue` with the one match of `pattern` (a /g regex) replaced; the build fails when there is
 * none or more than one (a wasm-bindgen, js-sys or gloo-net upgrade changed its glue). */
function replaceOnce(glue, pattern, replacement, what) {
  const found = (glue.match(pattern) || []).length;
  if (found !== 1) throw new Error(`short-imports: expected ${what} in the glue, found ${found}`);
  return glue.replace(pattern, replacement);
}

/** The glue with js-sys's `Date` check by brand, not by class: `instanceof Date` refused a Date of
 * another realm (an iframe's; under jest, one made by Node itself, as `fs.statSync(f).mtime`) with
 * "must be a Date …, not a Date". `Date.prototype.getTime` throws for anything without a date
 * value (an object that only names itself Date, a Proxy), which the check's own `catch` takes for
 * false, so what passes has every Date method the wasm calls. */
export function crossRealmDates(glue) {
  return replaceOnce(glue, /result = arg0 instanceof Date;/g, 'Date.prototype.getTime.call(arg0); result = true;', "js-sys's one instanceof Date check");
}

/** The glue with the `Request` gloo-net's builder returns deferred: `new Request(url, init)`
 * becomes `{ url, init }`, the builder's parts (the URL it resolved, and the init it filled with
 * method, headers, body and signal; js/exchange.js adds `redirect: 'manual'`). js/exchange.js hands them to the runtime's fetch
 * as `fetch(url, init)`, which the Fetch standard makes the same request as
 * `fetch(new Request(url, init))` without undici making a `Request` and then copying it (README,
 * Performance), and makes the one `Request` a caller-supplied fetch receives. A bad URL or header then rejects from fetch
 * (kind `network`, its error kept as the cause) instead of failing the build. The wasm imports the
 * two-argument constructor for nothing else. */
export function deferRequest(glue) {
  const made = /function\(\) \{ return handleError\(function \(arg0, arg1, arg2\) \{\n\s*const ret = new Request\(getStringFromWasm0\(arg0, arg1\), arg2\);\n\s*return ret;\n\s*\}, arguments\); \}/g;
  return replaceOnce(glue, made, 'function (arg0, arg1, arg2) { return { url: getStringFromWasm0(arg0, arg1), init: arg2 }; }', "gloo-net's one new Request(url, init)");
}

/** The glue's import object with arrow functions instead of `function` expressions, and each
 * catching import wrapped once at load (`catching(f)`) instead of a `function` that makes its
 * inner function on every call and hands it to `handleError` with `arguments`. The wasm calls its
 * imports as plain functions (no `this`, no `new`), and none reads `this` or `arguments`, so an
 * arrow does the same; the minifier then writes most of them as one expression (`t=>t.length`).
 * The build fails if the import object is not in the shape this expects. */
export function arrowImports(glue) {
  const start = glue.indexOf('\n    const import0 = {\n');
  const end = glue.indexOf('\n    };\n', start);
  if (start < 0 || end < 0) throw new Error('short-imports: the glue\'s import object is not where arrowImports expects it');
  const imports = glue
    .slice(start, end)
    .replace(/^( {8}\$\w+: )function\(\) \{ return handleError\(function \(([\w, ]*)\) \{\n([^]*?)\n {8}\}, arguments\); \},$/gm, '$1catching(($2) => {\n$3\n        }),')
    .replace(/^( {8}\$\w+: )function ?\(([\w, ]*)\) \{/gm, '$1($2) => {');
  // (comments and the string 'function' aside)
  if (/\bfunction\b|\bthis\b|\barguments\b|\bhandleError\b/.test(imports.replace(/^\s*\/\/.*$|'function'/gm, ''))) throw new Error('short-imports: an import in the glue is not in the shape arrowImports expects');
  const handle = /\nfunction handleError\(f, args\) \{\n {4}try \{\n {8}return f\.apply\(this, args\);\n {4}\} catch \(e\) \{\n([^]*?)\n {4}\}\n\}\n/;
  if (!handle.test(glue)) throw new Error('short-imports: the glue\'s handleError is not what arrowImports expects');
  const out = (glue.slice(0, start) + imports + glue.slice(end)).replace(handle, (_, caught) => `\nfunction catching(f) {\n    return (...args) => {\n        try {\n            return f(...args);\n        } catch (e) {\n${caught.replace(/^/gm, '    ')}\n        }\n    };\n}\n`);
  if (/\bhandleError\b/.test(out)) throw new Error('short-imports: the glue uses handleError outside its imports');
  return out;
}

/** The glue's string passing without what it never runs: every `passStringToWasm0` call hands it
 * the wasm's realloc (so its copy through `encode` for a missing realloc is dead), and every
 * runtime the package supports has `TextEncoder.prototype.encodeInto` (so the polyfill for one
 * without it is too). The build fails if either is not where this expects it, or if a call
 * without realloc appears. */
export function noDeadEncoding(glue) {
  const dead = [
    /\n {4}if \(realloc === undefined\) \{\n {8}const buf = cachedTextEncoder\.encode\(arg\);\n[^]*?\n {8}return ptr;\n {4}\}\n/,
    /\nif \(!\('encodeInto' in cachedTextEncoder\)\) \{\n {4}cachedTextEncoder\.encodeInto = function \(arg, view\) \{\n[^]*?\n {4}\};\n\}\n/,
  ];
  let out = glue;
  for (const re of dead) {
    if (!re.test(out)) throw new Error(`short-imports: the glue's string passing is not what noDeadEncoding expects (${re.source.slice(0, 40)}…)`);
    out = out.replace(re, '\n');
  }
  const calls = out.match(/passStringToWasm0\([^)]*\)/g) || [];
  if (!calls.length || calls.some((c) => !/^passStringToWasm0\((\w+, wasm\.\w+, wasm\.\w+|arg, malloc, realloc)\)$/.test(c))) throw new Error('short-imports: a passStringToWasm0 call without realloc in the glue');
  return out;
}

/** The entries of each glue's import object, `name → text`, in order. */
function importEntries(glue) {
  const start = glue.indexOf('\n    const import0 = {\n        __proto__: null,\n');
  const end = glue.indexOf('\n    };\n', start);
  if (start < 0 || end < 0) throw new Error('short-imports: the glue\'s import object is not where mergeImports expects it');
  const head = glue.indexOf('\n        $', start);
  const entries = new Map();
  for (const m of glue.slice(head + 1, end).matchAll(/^ {8}(\$\w+): ([^]*?)(?=\n {8}\$\w+: |$(?![^]))/gm)) entries.set(m[1], m[2]);
  return { entries, head: head + 1, end };
}

/** The wasm and the glues with imports whose JS is the same text in every glue made one: each
 * duplicate is imported under the first one's name (two imports of one name are valid wasm, each
 * resolved on its own; a JS function is called alike whatever the import's type) and its entry
 * leaves the import objects. wasm-bindgen emits one import per binding, and js-sys, web-sys and
 * the package bind the same operation more than once (`new Promise(f)`, `.length`, `a[i]`, …). */
export function mergeImports(bytes, glues) {
  const parsed = glues.map(importEntries);
  const [first] = parsed;
  const same = new Map(); // duplicate -> the name it takes
  const byText = new Map();
  for (const [name, text] of first.entries) {
    const to = byText.get(text);
    if (to && parsed.every((p) => p.entries.get(name) === p.entries.get(to))) same.set(name, to);
    else if (!to) byText.set(text, name);
  }
  const outGlues = glues.map((glue, i) => {
    const { entries, head, end } = parsed[i];
    const kept = [...entries].filter(([name]) => !same.has(name)).map(([name, text]) => `        ${name}: ${text}`);
    const out = glue.slice(0, head) + kept.join('\n') + glue.slice(end);
    for (const name of same.keys()) if (new RegExp(`\\${name}\\b`).test(out)) throw new Error(`short-imports: ${name} is still in the glue after mergeImports`);
    return out;
  });
  // the import section again, each duplicate's name replaced
  let renamed = 0;
  const out = rewriteNames(bytes, (module, name, kind) => {
    const to = module === 'a' && kind === 0 && same.get(name);
    if (to) renamed++;
    return [module, to || name];
  });
  if (renamed !== same.size) throw new Error(`short-imports: mergeImports renamed ${renamed} imports in the wasm, expected ${same.size}`);
  return { bytes: out, glues: outGlues };
}
