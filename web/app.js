// docseal-web: the page's logic. Starts the two verifier workers (from the
// source in docseal-worker.js, as a Blob URL, so the page also works from
// file://), sends it the chosen file, and shows the report in the chosen
// language. Stable ids for tests and tools: web/README.md.
"use strict";
(function () {
  const I18N = window.DOCSEAL_I18N;
  const $ = (id) => document.getElementById(id);
  let lang = "en";
  let pinned = [];
  let current = null; // {report, file, allowRepacked}
  let run = 0;

  // Two workers from the same source: one verifies, one hashes the whole
  // file for the report's bundle.sha256 at the same time (worker.js).
  function startWorker(onReady) {
    const worker = new Worker(URL.createObjectURL(
      new Blob([window.DOCSEAL_WORKER_SOURCE], { type: "text/javascript" })));
    const waiting = new Map();
    worker.onmessage = function (e) {
      const m = e.data;
      if (m.op === "ready") {
        if (onReady) onReady(m);
        return;
      }
      if (m.op === "progress") {
        if (m.id === run) showProgress(m.phase, m.done, m.total);
        return;
      }
      const w = waiting.get(m.id);
      if (!w) return;
      waiting.delete(m.id);
      if (m.op === "error") w.reject(new Error(m.message)); else w.resolve(m);
    };
    return function ask(msg) {
      return new Promise(function (resolve, reject) {
        waiting.set(msg.id, { resolve: resolve, reject: reject });
        worker.postMessage(msg);
      });
    };
  }
  const ask = startWorker(function (m) {
    pinned = m.pinned.split("\n").filter(Boolean);
    translate();
  });
  const askHasher = startWorker(null);

  let nextId = 1000000;

  function t(key) {
    const table = I18N[lang] || I18N.en;
    return key in table ? table[key] : I18N.en[key];
  }

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }

  function translate() {
    document.documentElement.lang = lang;
    document.querySelectorAll("[data-i18n]").forEach(function (e) {
      e.textContent = t(e.getAttribute("data-i18n"));
    });
    document.querySelectorAll("#languages button").forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.dataset.lang === lang));
    });
    $("pinned-note").textContent = t("pinned_note").replace("{ids}", pinned.join(", "));
    if (current) render(current.report);
  }

  // The bar follows whichever of the two passes is behind.
  let passes = {};
  function showProgress(phase, done, total) {
    passes[phase] = total > 0 ? Math.min(1, done / total) : 0;
    let behind = phase;
    Object.keys(passes).forEach(function (p) { if (passes[p] < passes[behind]) behind = p; });
    $("progress-box").hidden = false;
    $("progress-label").textContent = t("phase_" + behind) || behind;
    $("progress").value = passes[behind];
  }

  async function readKey() {
    const f = $("public-key").files[0];
    if (f) return await f.text();
    return $("public-key-text").value.trim() || null;
  }

  async function verify() {
    const file = $("bundle").files[0];
    if (!file) return;
    const id = ++run;
    const verdict = $("verdict");
    verdict.removeAttribute("data-verdict");
    $("report-json").textContent = "";
    $("verify-again").disabled = false;
    passes = {};
    showProgress("hashing", 0, 1);
    showProgress("verifying", 0, 1);
    const allowRepacked = $("allow-repacked").checked;
    let msg;
    try {
      const key = await readKey();
      const hashed = askHasher({ op: "hash", id: id, file: file });
      const checked = ask({ op: "verify", id: id, file: file, key: key, allowRepacked: allowRepacked });
      // Both settle before either failure is shown (no answer left behind).
      await Promise.allSettled([hashed, checked]);
      const h = await hashed;
      await checked;
      msg = await ask({ op: "digest", id: id, sha256: h.sha256, size: h.size });
    } catch (err) {
      if (id !== run) return;
      current = null;
      showError(String(err.message || err));
      return;
    }
    if (id !== run) return;
    $("progress-box").hidden = true;
    current = { report: JSON.parse(msg.json), json: msg.json, views: JSON.parse(msg.views || "[]"),
      file: file, allowRepacked: allowRepacked };
    render(current.report);
  }

  function showError(message) {
    $("progress-box").hidden = true;
    $("result").hidden = false;
    const v = $("verdict");
    v.dataset.verdict = "error";
    $("verdict-word").textContent = t("verdict_error");
    $("verdict-explain").textContent = t("explain_error");
    $("verdict-summary").textContent = message;
    $("verdict-facts").replaceChildren();
    ["proves", "not-proves", "warnings"].forEach((i) => $(i).replaceChildren());
    ["documents", "citations", "checks"].forEach((i) => $(i).querySelector("tbody").replaceChildren());
    $("citation-views").replaceChildren();
    $("report-json").textContent = "";
  }

  function fact(dl, term, value) {
    dl.append(el("dt", term), el("dd", value));
  }

  function keyLabel(origin) {
    if (origin === "pinned in this page") return t("pinned_key");
    if (origin === "a key you provided") return t("provided_key");
    return origin;
  }

  function render(r) {
    $("result").hidden = false;
    const word = r.verdict === "valid" ? "valid" : r.verdict === "untrusted" ? "untrusted" : "invalid";
    const shown = word === "invalid" && r.container === null ? "not_bundle" : word;
    $("verdict").dataset.verdict = word;
    $("verdict-word").textContent = t("verdict_" + shown);
    $("verdict-explain").textContent = t("explain_" + shown);
    $("verdict-summary").textContent = r.summary;
    const dl = $("verdict-facts");
    dl.replaceChildren();
    const signers = r.signatures.filter((s) => s.status === "valid-trusted");
    if (signers.length) {
      fact(dl, t("signed_by"), signers.map((s) => keyLabel(s.trusted_key) + " (" + s.key_id + ")").join("; "));
    }
    if (r.identity) {
      fact(dl, t("made_on"), r.identity.created);
      fact(dl, t("col_title"), r.identity.title);
    }
    fact(dl, t("bundle_name"), r.bundle.path + (r.bundle.sha256 ? "  SHA-256 " + r.bundle.sha256 : ""));

    $("proves").replaceChildren(...(word === "valid" ? t("proves") : []).map((s) => el("li", s)));
    $("not-proves").replaceChildren(...t("not_proves").map((s) => el("li", s)));

    const warnings = r.findings.filter((f) => f.severity !== "info");
    const ul = $("warnings");
    ul.replaceChildren();
    if (!warnings.length) ul.append(el("li", t("no_warnings")));
    warnings.forEach(function (f) {
      const li = el("li", null, f.severity);
      const explain = f.code === "text.confusable" ? t("explain_text_confusable")
        : f.code === "citation.uncited-source" ? t("explain_citation_uncited") : null;
      if (explain) li.append(el("span", explain));
      li.append(el("span", (f.file ? f.file + ": " : "") + f.message + " [" + f.code + "]", "raw"));
      ul.append(li);
    });

    const docs = $("documents").querySelector("tbody");
    docs.replaceChildren();
    r.files.forEach(function (f) {
      const tr = el("tr");
      const open = el("button", t("open"));
      open.type = "button";
      open.addEventListener("click", () => openEntry(f.path));
      const td = el("td");
      td.append(open);
      tr.append(el("td", f.title || f.path), el("td", f.role),
        el("td", f.size + " " + t("bytes")), el("td", f.ok ? t("yes") : t("no"), f.ok ? "" : "bad"), td);
      tr.title = f.path;
      docs.append(tr);
    });

    const cites = $("citations").querySelector("tbody");
    cites.replaceChildren();
    r.citations.forEach(function (c) {
      const tr = el("tr");
      tr.append(el("td", c.id), el("td", c.source), el("td", c.locator || ""),
        el("td", c.ok ? t("yes") : t("no"), c.ok ? "" : "bad"));
      cites.append(tr);
    });

    renderViews(current ? current.views : []);

    const checks = $("checks").querySelector("tbody");
    checks.replaceChildren();
    r.checks.forEach(function (c) {
      const tr = el("tr");
      tr.append(el("td", c.area), el("td", t("state_" + c.status) || c.status, c.status === "failed" ? "bad" : ""),
        el("td", c.reason ? c.detail + " — " + c.reason : c.detail));
      checks.append(tr);
    });
    $("report-json").textContent = current ? current.json : JSON.stringify(r, null, 2) + "\n";
  }

  // Each citation side by side: the statement's sentence and each source
  // passage, the cited words marked (text only: textContent, never HTML).
  function marked(side) {
    const p = el("p");
    p.append(side.before, el("mark", side.words), side.after);
    return p;
  }

  function renderViews(views) {
    const box = $("citation-views");
    box.replaceChildren();
    if (!views.length) return;
    box.append(el("h3", t("citations_side_title")));
    views.forEach(function (v) {
      const pair = el("div", null, "cite-pair");
      pair.append(el("h4", v.id + " — " + t(v.ok ? "cite_ok" : "cite_bad"), v.ok ? "" : "bad"));
      const sides = el("div", null, "cite-sides");
      const said = el("div", null, "cite-side cite-statement");
      said.append(el("p", t("cite_statement"), "label"), marked(v.statement));
      const sources = el("div", null, "cite-side cite-source");
      v.passages.forEach(function (p) {
        sources.append(el("p", t("cite_source") + ": " + p.source + (p.locator ? ", " + p.locator : ""), "label"), marked(p));
      });
      sides.append(said, sources);
      pair.append(sides);
      box.append(pair);
    });
  }

  async function openEntry(path) {
    if (!current) return;
    try {
      const m = await ask({ op: "read", id: ++nextId, file: current.file, path: path, allowRepacked: current.allowRepacked });
      $("viewer-path").textContent = path;
      $("viewer-text").textContent = m.text;
    } catch (err) {
      $("viewer-path").textContent = path;
      $("viewer-text").textContent = String(err.message || err);
    }
    $("viewer").hidden = false;
    $("viewer").scrollIntoView();
  }

  function saveReport() {
    if (!current) return;
    const a = el("a");
    a.href = URL.createObjectURL(new Blob([current.json], { type: "application/json" }));
    a.download = (current.file.name.replace(/\.zip$/i, "") || "bundle") + ".verify.json";
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
  }

  document.querySelectorAll("#languages button").forEach(function (b) {
    b.addEventListener("click", function () { lang = b.dataset.lang; translate(); });
  });
  $("bundle").addEventListener("change", verify);
  ["public-key", "allow-repacked"].forEach((i) => $(i).addEventListener("change", () => { if ($("bundle").files[0]) verify(); }));
  $("public-key-text").addEventListener("change", () => { if ($("bundle").files[0]) verify(); });
  $("verify-again").addEventListener("click", verify);
  $("viewer-close").addEventListener("click", () => { $("viewer").hidden = true; });
  $("save-report").addEventListener("click", saveReport);

  const zone = document.body;
  zone.addEventListener("dragover", function (e) { e.preventDefault(); $("inputs").classList.add("dragging"); });
  zone.addEventListener("dragleave", function () { $("inputs").classList.remove("dragging"); });
  zone.addEventListener("drop", function (e) {
    e.preventDefault();
    $("inputs").classList.remove("dragging");
    if (e.dataTransfer && e.dataTransfer.files.length) {
      $("bundle").files = e.dataTransfer.files;
      verify();
    }
  });
  const wanted = (navigator.language || "en").slice(0, 2);
  if (I18N[wanted]) lang = wanted;
  translate();
})();
