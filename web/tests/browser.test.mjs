// Browser tests of the docseal page (run by scripts/test-web.sh, which
// builds dist/web/ and the fixtures first and passes their paths in the
// environment). Debian's chromium, headless, driven by playwright-core.
// Each case drops a bundle into the page, waits for #verdict[data-verdict],
// and compares #report-json with `docseal verify --json` for the same
// inputs, less the fields that must differ between the two front ends.
// The page is served by a loopback server that logs every path; the
// browser's proxy is a second loopback server that counts every request
// that is not to the page's own server, and must count none from the page
// (Chromium's own update and account services also knock there, and are
// told apart by host; the page's own requests are also listed by the
// browser itself, workers included, and must all be to its own files).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { chromium } from "playwright-core";

const env = (k) => {
  const v = process.env[k];
  if (!v) throw new Error(`${k} is not set (run scripts/test-web.sh)`);
  return v;
};
const DIST = env("DOCSEAL_WEB_DIST");
const DOCSEAL = env("DOCSEAL_BIN");
const FIX = env("DOCSEAL_WEB_FIXTURES");
const PINNED = env("DOCSEAL_PINNED_KEY").split(":");
const SHOTS = process.env.DOCSEAL_WEB_SCREENSHOTS || "";

const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css" };
const served = [];
const outside = [];
const fromPage = [];
// Chromium's own background services, which reach the proxy whatever the page does.
const BROWSER_SERVICES = /^(CONNECT |[A-Z]+ https?:\/\/)([a-z0-9-]+\.)*(google\.com|googleapis\.com|gstatic\.com|gvt1\.com|gvt2\.com)(:|\/|$)/;
let site, proxy, browser, base, proxyPort;

function listen(server) {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server.address().port)));
}

before(async () => {
  site = http.createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url, "http://x").pathname).replace(/^\/+/, "") || "index.html";
    served.push(rel);
    const file = path.join(DIST, rel);
    if (!file.startsWith(DIST + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] || "application/octet-stream" });
    fs.createReadStream(file).pipe(res);
  });
  proxy = http.createServer((req, res) => { outside.push(req.method + " " + req.url); res.writeHead(502).end(); });
  proxy.on("connect", (req, sock) => { outside.push("CONNECT " + req.url); sock.destroy(); });
  const port = await listen(site);
  const pport = await listen(proxy);
  proxyPort = pport;
  base = `http://127.0.0.1:${port}/`;
  // A fresh profile for every run; the context stands for the browser.
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "docseal-chromium-"));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run",
      "--disable-default-apps", "--disable-domain-reliability", "--no-pings",
      "--disable-features=AutofillServerCommunication,OptimizationHints,Translate,MediaRouter",
      `--proxy-server=http://127.0.0.1:${pport}`, "--proxy-bypass-list=<-loopback>;127.0.0.1:" + port],
  });
  browser.on("request", (r) => fromPage.push(r.url()));
});

after(async () => {
  if (browser) await browser.close();
  site?.close();
  proxy?.close();
});

// `docseal verify --json`, whatever its exit code.
function cli(bundle, keys, repacked) {
  const args = ["verify", bundle, "--json"];
  for (const k of keys) args.push("-p", k);
  if (repacked) args.push("--allow-repacked");
  try {
    return JSON.parse(execFileSync(DOCSEAL, args, { encoding: "utf8", maxBuffer: 1 << 28 }));
  } catch (e) {
    if (e.stdout) return JSON.parse(e.stdout);
    throw e;
  }
}

// The fields that may differ by front end are the ones the report's schema
// marks `x-differs` (docs/schema/verify-report.schema.json: program, the
// clock, the path as given, the trusted keys' origins and names and what
// quotes them); everything else must be equal.
const SCHEMA = JSON.parse(fs.readFileSync(
  path.join(path.dirname(new URL(import.meta.url).pathname), "../../docs/schema/verify-report.schema.json"), "utf8"));

function resolve(schema) {
  return schema && schema.$ref ? resolve(schema.$ref.split("/").slice(1).reduce((o, k) => o[k], SCHEMA)) : schema;
}

function strip(value, schema) {
  schema = resolve(schema);
  if (!schema || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => strip(v, schema.items));
  const out = {};
  for (const [k, v] of Object.entries(value)) {
    const sub = resolve(schema.properties && schema.properties[k]);
    if (sub && sub["x-differs"]) continue;
    out[k] = strip(v, sub);
  }
  return out;
}

function comparable(r) {
  return strip(r, SCHEMA);
}

async function inPage({ bundle, key, repacked, shot }) {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(base + "index.html");
  if (key) await page.setInputFiles("#public-key", key);
  if (repacked) await page.check("#allow-repacked");
  await page.setInputFiles("#bundle", bundle);
  await page.waitForSelector("#verdict[data-verdict]", { timeout: 15 * 60 * 1000 });
  const verdict = await page.getAttribute("#verdict", "data-verdict");
  const json = await page.textContent("#report-json");
  if (shot && SHOTS) {
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.locator("#verdict").screenshot({ path: path.join(SHOTS, shot) });
  }
  await page.close();
  assert.deepEqual(errors, [], "no script errors");
  return { verdict, report: json ? JSON.parse(json) : null };
}

async function check(name, { bundle, key, repacked, want, shot }) {
  const { verdict, report } = await inPage({ bundle, key, repacked, shot });
  assert.equal(verdict, want, `${name}: data-verdict`);
  assert.equal(report.program.name, "docseal-web");
  const expected = cli(bundle, key ? [...PINNED, key] : PINNED, repacked);
  assert.deepEqual(comparable(report), comparable(expected), `${name}: the page's report is the CLI's`);
  assert.equal(report.bundle.path, path.basename(bundle));
  for (const k of report.trusted_keys) {
    assert.ok(["pinned in this page", "a key you provided"].includes(k.origin), k.origin);
  }
  return report;
}

const f = (n) => path.join(FIX, n);

test("a published bundle verifies with the pinned key", async () => {
  const r = await check("valid", { bundle: f("valid.zip"), want: "valid", shot: "valid.png" });
  assert.equal(r.trusted_keys[0].name, "docseal publisher key pinned in this page");
});

test("one flipped byte makes it invalid", async () => {
  await check("flipped", { bundle: f("flipped.zip"), want: "invalid", shot: "invalid.png" });
});

test("a bundle signed by an unknown key is untrusted", async () => {
  await check("unknown key", { bundle: f("unknown-key.zip"), want: "untrusted" });
});

test("the reader's own key makes that bundle valid", async () => {
  const r = await check("provided key", { bundle: f("unknown-key.zip"), key: f("other.pub"), want: "valid" });
  const provided = r.trusted_keys.filter((k) => k.origin === "a key you provided");
  assert.equal(provided.length, 1, JSON.stringify(r.trusted_keys));
  assert.equal(r.trusted_keys.length, provided.length + r.trusted_keys.filter((k) => k.origin === "pinned in this page").length);
});

test("a re-zipped bundle is invalid without the toggle", async () => {
  await check("re-zipped", { bundle: f("rezipped.zip"), want: "invalid" });
});

test("a re-zipped bundle is valid with the toggle", async () => {
  await check("re-zipped, allowed", { bundle: f("rezipped.zip"), repacked: true, want: "valid" });
});

test("a file that is not a zip is invalid", async () => {
  await check("not a zip", { bundle: f("not-a-zip.zip"), want: "invalid" });
});

test("a 100 MB bundle verifies without being read whole", async () => {
  await check("100 MB", { bundle: f("big.zip"), key: f("other.pub"), want: "valid" });
});

test("from file://, in Belarusian, documents open as text", async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto("file://" + path.join(DIST, "index.html"));
  await page.setInputFiles("#bundle", f("valid.zip"));
  await page.waitForSelector("#verdict[data-verdict]", { timeout: 5 * 60 * 1000 });
  assert.equal(await page.getAttribute("#verdict", "data-verdict"), "valid");
  await page.click('button[data-lang="be"]');
  assert.equal(await page.textContent("#verdict-word"), "Сапраўдны");
  assert.equal(await page.getAttribute("html", "lang"), "be");
  const first = JSON.parse(await page.textContent("#report-json")).files[0].path;
  await page.click("#documents tbody tr:first-child button");
  await page.waitForSelector("#viewer:not([hidden])");
  const shown = await page.textContent("#viewer-text");
  const root = execFileSync("unzip", ["-Z1", f("valid.zip")], { encoding: "utf8" }).split("/")[0];
  const inZip = execFileSync("unzip", ["-p", f("valid.zip"), `${root}/${first}`], { encoding: "utf8", maxBuffer: 1 << 26 });
  assert.equal(shown, inZip);
  await page.close();
  assert.deepEqual(errors, []);
});

test("the citations show side by side, the quoted words marked, in Russian too", async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(base + "index.html");
  await page.setInputFiles("#bundle", f("valid.zip"));
  await page.waitForSelector("#verdict[data-verdict]", { timeout: 5 * 60 * 1000 });
  const root = execFileSync("unzip", ["-Z1", f("valid.zip")], { encoding: "utf8" }).split("/")[0];
  const unzipped = (rel) => execFileSync("unzip", ["-p", f("valid.zip"), `${root}/${rel}`], { encoding: "utf8", maxBuffer: 1 << 26 });
  const m = JSON.parse(unzipped("docseal.json"));
  assert.ok(m.citations.length > 0, "the release has citations");
  const statement = unzipped(m.statement.path);
  const pairs = await page.$$eval(".cite-pair", (ps) => ps.map((p) => ({
    id: p.querySelector("h4").textContent,
    said: p.querySelector(".cite-statement p:not(.label)").textContent,
    saidMark: p.querySelector(".cite-statement mark").textContent,
    marks: [...p.querySelectorAll(".cite-source mark")].map((x) => x.textContent),
  })));
  assert.equal(pairs.length, m.citations.length);
  m.citations.forEach(function (c, i) {
    assert.ok(pairs[i].id.startsWith(c.id + " — "), pairs[i].id);
    assert.equal(pairs[i].saidMark, c.statement.text);
    // A sentence longer than the context shown is cut with an ellipsis.
    const said = pairs[i].said.replace(/^…/, "").replace(/…$/, "");
    assert.ok(said.includes(c.statement.text) && statement.includes(said), `${c.id}: the sentence shown is the statement's`);
    // Format 1 records one source match, format 2 passages.
    const passages = c.passages ? c.passages.map((p) => p.span.text) : [c.source_match.text];
    assert.deepEqual(pairs[i].marks, passages);
  });
  assert.ok(pairs.some((p) => p.said.length > p.saidMark.length), "the words are shown in their sentence");
  await page.click('button[data-lang="ru"]');
  assert.equal(await page.textContent(".cite-statement .label"), "В заявлении");
  await page.close();
  assert.deepEqual(errors, []);
});

test("the page loads nothing but its own files and connects nowhere", async () => {
  const own = new Set(fs.readdirSync(DIST, { recursive: true }).map(String));
  for (const p of served) assert.ok(own.has(p), `served only the page's files, not ${p}`);
  assert.ok(served.includes("docseal-worker.js"));
  for (const u of fromPage) {
    const mine = u.startsWith(base) || u.startsWith("file://" + DIST + "/") || u.startsWith("blob:") || u.startsWith("data:");
    assert.ok(mine, `the page asked for ${u}`);
  }
  // The policy itself: a connection the page tries is refused before it leaves.
  const page = await browser.newPage();
  await page.goto(base + "index.html");
  const probe = `http://127.0.0.1:${proxyPort}/probe`;
  const refused = await page.evaluate(async (u) => {
    try { await fetch(u); return false; } catch { return true; }
  }, probe);
  await page.close();
  assert.ok(refused, "fetch is refused by the page's Content-Security-Policy");
  const strays = outside.filter((r) => !BROWSER_SERVICES.test(r));
  assert.deepEqual(strays, [], "requests that left the page's own server");
});
