// The page's Web Worker: runs the docseal wasm core, which reads the chosen
// file slice by slice with FileReaderSync (only workers have it), so a large
// bundle is never held in memory whole. Prepended by scripts/build-web.sh
// with the wasm-bindgen glue (`wasm_bindgen`) and DOCSEAL_WASM_B64.
// Messages in: {op: "verify", id, file, key, allowRepacked} and
// {op: "read", id, file, path, allowRepacked}; out: {op: "progress" |
// "verified" | "text" | "error", id, ...}. Nothing here opens a connection.
"use strict";
(function () {
  const bin = atob(DOCSEAL_WASM_B64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  wasm_bindgen.initSync({ module: bytes });
  self.postMessage({ op: "ready", pinned: wasm_bindgen.pinned_keys() });
})();

self.onmessage = function (e) {
  const m = e.data;
  try {
    if (m.op === "verify") {
      const json = wasm_bindgen.verify(
        m.file,
        m.file.name || "bundle",
        m.key || undefined,
        !!m.allowRepacked,
        function (phase, done, total) {
          self.postMessage({ op: "progress", id: m.id, phase: phase, done: done, total: total });
        }
      );
      self.postMessage({ op: "verified", id: m.id, json: json });
    } else if (m.op === "read") {
      const text = wasm_bindgen.read_entry(m.file, m.path, !!m.allowRepacked);
      self.postMessage({ op: "text", id: m.id, path: m.path, text: text });
    }
  } catch (err) {
    self.postMessage({ op: "error", id: m.id, message: String(err && err.message ? err.message : err) });
  }
};
