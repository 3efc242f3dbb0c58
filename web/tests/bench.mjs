// One-off benchmark (docs/PERFORMANCE.md, not run in CI): how long the page
// takes to verify BUNDLE (with optional KEY) in headless chromium, from the
// file being chosen to #verdict[data-verdict], then each of its two passes
// alone (the whole file's SHA-256; the verification). Usage:
//   node web/tests/bench.mjs dist/web BUNDLE [KEY.pub]
import http from "node:http";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";

const [dist, bundle, key] = process.argv.slice(2).map((p) => path.resolve(p));
const server = http.createServer((req, res) => {
  const rel = new URL(req.url, "http://x").pathname.replace(/^\/+/, "") || "index.html";
  const file = path.join(dist, rel);
  if (!file.startsWith(dist + path.sep) || !fs.existsSync(file)) return res.writeHead(404).end();
  res.writeHead(200, { "content-type": file.endsWith(".html") ? "text/html" : file.endsWith(".css") ? "text/css" : "text/javascript" });
  fs.createReadStream(file).pipe(res);
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const browser = await chromium.launchPersistentContext(fs.mkdtempSync(path.join(os.tmpdir(), "docseal-bench-")), {
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run"],
});
const page = await browser.newPage();
await page.goto(`http://127.0.0.1:${server.address().port}/index.html`);
if (key) await page.setInputFiles("#public-key", key);
const t0 = Date.now();
await page.setInputFiles("#bundle", bundle);
await page.waitForSelector("#verdict[data-verdict]", { timeout: 60 * 60 * 1000 });
const secs = (Date.now() - t0) / 1000;
console.log(`page: ${await page.getAttribute("#verdict", "data-verdict")} in ${secs.toFixed(1)} s`);
// Each pass alone, in a fresh worker of the page's own source: the whole
// file's SHA-256 (the report's bundle.sha256), then the verification.
const passes = await page.evaluate(async function () {
  const file = document.getElementById("bundle").files[0];
  const w = new Worker(URL.createObjectURL(new Blob([window.DOCSEAL_WORKER_SOURCE], { type: "text/javascript" })));
  const answer = (msg, op) => new Promise(function (resolve, reject) {
    w.onmessage = function (e) {
      if (e.data.op === op) resolve(e.data);
      else if (e.data.op === "error") reject(new Error(e.data.message));
    };
    if (msg) w.postMessage(msg);
  });
  await answer(null, "ready");
  let t = performance.now();
  await answer({ op: "hash", id: 1, file: file }, "hashed");
  const hash = (performance.now() - t) / 1000;
  t = performance.now();
  await answer({ op: "verify", id: 2, file: file }, "checked");
  const check = (performance.now() - t) / 1000;
  w.terminate();
  return { hash: hash, check: check, mib: file.size / 1048576 };
});
console.log(`  hash alone: ${passes.hash.toFixed(1)} s (${(passes.mib / passes.hash).toFixed(0)} MiB/s); ` +
  `verify alone: ${passes.check.toFixed(1)} s (${(passes.mib / passes.check).toFixed(0)} MiB/s)`);
await browser.close();
server.close();
