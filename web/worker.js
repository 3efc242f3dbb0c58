// The page's Web Worker: runs the docseal wasm core, which reads the chosen
// file slice by slice with FileReaderSync (only workers have it), so a large
// bundle is never held in memory whole. Prepended by scripts/build-web.sh
// with the wasm-bindgen glue (`wasm_bindgen`) and DOCSEAL_WASM_GZ_B64 (the
// wasm, gzipped, in base64), which it inflates with the browser's own
// DecompressionStream: no fetch, so it works from file:// and under
// `connect-src 'none'`.
// The page runs two of these at once: one verifies, one hashes the whole
// file for the report's bundle.sha256 (the CLI does the same on two threads).
// Messages in: {op: "verify", id, file, key, allowRepacked} (answered
// "checked"), then {op: "digest", id, sha256, size} with the other worker's
// "hashed" answer to {op: "hash", id, file} (answered "verified", with the
// JSON report and the citations side by side); {op: "read", id, file, path, allowRepacked} (answered
// "text"). Also out: "ready" (once), "progress", and "error" for any of them.
// Nothing here opens a connection.
"use strict";
const docsealReady = (async function () {
  const bin = atob(DOCSEAL_WASM_GZ_B64);
  const packed = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) packed[i] = bin.charCodeAt(i);
  const wasm = await new Response(
    new Blob([packed]).stream().pipeThrough(new DecompressionStream("gzip"))).arrayBuffer();
  await wasm_bindgen({ module_or_path: wasm });
  self.postMessage({ op: "ready", pinned: wasm_bindgen.pinned_keys() });
})();

function progressOf(id) {
  return function (phase, done, total) {
    self.postMessage({ op: "progress", id: id, phase: phase, done: done, total: total });
  };
}

function handle(m) {
  if (m.op === "verify") {
    wasm_bindgen.verify(m.file, m.file.name || "bundle", m.key || undefined, !!m.allowRepacked,
      progressOf(m.id));
    self.postMessage({ op: "checked", id: m.id });
  } else if (m.op === "digest") {
    const json = wasm_bindgen.finish(m.sha256, m.size);
    self.postMessage({ op: "verified", id: m.id, json: json, views: wasm_bindgen.citation_views() });
  } else if (m.op === "hash") {
    const [sha256, size] = wasm_bindgen.digest(m.file, progressOf(m.id)).split(" ");
    self.postMessage({ op: "hashed", id: m.id, sha256: sha256, size: Number(size) });
  } else if (m.op === "read") {
    const text = wasm_bindgen.read_entry(m.file, m.path, !!m.allowRepacked);
    self.postMessage({ op: "text", id: m.id, path: m.path, text: text });
  }
}

// Messages wait for the module (a failed start fails each of them); the
// promise chain keeps them in order.
let queue = Promise.resolve();
self.onmessage = function (e) {
  const m = e.data;
  queue = queue.then(() => docsealReady).then(function () { handle(m); }).catch(function (err) {
    self.postMessage({ op: "error", id: m.id, message: String(err && err.message ? err.message : err) });
  });
};
