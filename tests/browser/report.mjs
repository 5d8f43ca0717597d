// Renders neardup's HTML report in headless Chromium and checks that it works and is safe.
//
// Usage: node tests/browser/report.mjs NEARDUP_BINARY PLAYWRIGHT_DIR OUT_DIR
// (run by .ci/run, which installs Debian's chromium and playwright-core into PLAYWRIGHT_DIR).
// Reports of corpus/, of a generated batch and of a batch with hostile documents are loaded;
// the script fails on any console error, a missing matrix, cluster list or pair view, a click
// that does not open a pair, or any script run from a document. Screenshots go to OUT_DIR.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";

const [binary, pwDir, outDir] = process.argv.slice(2).map(p => resolve(p));
const { chromium } = createRequire(join(pwDir, "package.json"))("playwright-core");
mkdirSync(outDir, { recursive: true });
const failures = [];
const check = (ok, what) => { if (!ok) failures.push(what); console.log((ok ? "ok   " : "FAIL ") + what); };

function report(name, inputs) {
  const out = join(outDir, name + ".html");
  execFileSync(binary, ["scan", ...inputs, "--format", "html", "--output", out, "--quiet"], { stdio: "inherit" });
  return out;
}

// A generated batch: 300 documents, some copied, some edited, some sharing a passage.
const words = n => Array.from({ length: n }, () => "w" + Math.floor(Math.random() * 5000)).join(" ");
const batchDir = join(outDir, "batch");
mkdirSync(batchDir, { recursive: true });
const base = Array.from({ length: 240 }, () => words(200));
base.forEach((t, i) => writeFileSync(join(batchDir, `d${i}.txt`), t));
for (let i = 0; i < 60; i++) {
  const src = base[i * 3];
  const text = i % 3 === 0 ? src : i % 3 === 1 ? src.replace(/w\d+/, "edited") : words(150) + " " + src.split(" ").slice(20, 80).join(" ");
  writeFileSync(join(batchDir, `x${i}.txt`), text);
}

// Hostile documents: markup, entities and a bidirectional override, each also copied so that
// their text is embedded in a pair view.
const hostileDir = join(outDir, "hostile");
mkdirSync(hostileDir, { recursive: true });
const hostile = 'Breaking <script>window.__pwned = 1</script> news </textarea><img src=x onerror="window.__pwned = 2"> ' +
  "&amp; &lt;b&gt; \u202Eevil\u202C and a long enough body of words to be compared with its copy " + words(60);
writeFileSync(join(hostileDir, "hostile.txt"), hostile);
writeFileSync(join(hostileDir, "hostile-copy.txt"), hostile + " tail");

const pages = {
  corpus: report("corpus", ["corpus"]),
  batch: report("batch", [batchDir]),
  hostile: report("hostile", [hostileDir]),
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
for (const [name, file] of Object.entries(pages)) {
  const page = await browser.newPage({ viewport: { width: 1300, height: 1000 } });
  const errors = [];
  page.on("console", m => { if (m.type() === "error") errors.push(m.text()); });
  page.on("pageerror", e => errors.push(String(e)));
  page.on("dialog", d => { errors.push("dialog: " + d.message()); d.dismiss(); });
  page.on("request", r => { if (!r.url().startsWith("file:") && !r.url().startsWith("data:")) errors.push("network: " + r.url()); });
  await page.goto("file://" + file);
  check(await page.locator("#summary").innerText().then(t => /documents/.test(t)), `${name}: summary shown`);
  const rows = await page.locator("#pairs tr[data-pair]").count();
  check(rows > 0, `${name}: ranked pair list (${rows} rows)`);
  check(await page.locator("#clusters li").count() > 0, `${name}: cluster list`);
  check(await page.locator("#matrix").count() === 1, `${name}: similarity matrix`);
  check(!/undefined|NaN/.test(await page.locator("#summary").innerText()), `${name}: every setting in the summary has a value`);
  check(!/\b1 (documents|clusters|pairs)\b/.test(await page.locator("body").innerText()), `${name}: one is singular`);
  const matrixWidth = (await page.locator("#matrix").boundingBox()).width;
  check(matrixWidth >= 300, `${name}: the matrix is wide enough to read (${Math.round(matrixWidth)}px)`);
  check(await page.locator("#graph .cluster-label").count() > 0, `${name}: the graph names its clusters`);
  if (name === "corpus") check(await page.locator("#graph .node-label").count() === 5, `${name}: the graph names its documents`);
  await page.locator("#pairs tr[data-pair]").first().click();
  check(await page.locator("#pair-view").isVisible(), `${name}: a click on a pair opens it`);
  check(await page.locator("#pair-view .doc").count() === 2, `${name}: side by side`);
  check(await page.locator("#pair-view mark").count() > 0, `${name}: shared passages highlighted`);
  // A click on a matrix cell opens its pair.
  await page.evaluate(() => window.scrollTo(0, 0));
  const box = await page.locator("#matrix").boundingBox();
  const n = await page.evaluate(() => document.getElementById("matrix").width);
  await page.evaluate(() => document.getElementById("pair-view").hidden = true);
  let opened = false;
  for (let i = 0; i < 8 && !opened; i++) {
    for (let j = 0; j < 8 && !opened; j++) {
      const cells = await page.evaluate(() => D.pairs.length);
      if (!cells) break;
      const side = box.width;
      const cell = side / (await page.evaluate(() => new Set(D.clusters.flatMap(c => c.members)).size));
      await page.mouse.click(box.x + (i + 0.5) * cell, box.y + (j + 0.5) * cell);
      opened = await page.locator("#pair-view").isVisible();
    }
  }
  check(opened, `${name}: a click on the matrix opens a pair (${n}px)`);
  await page.fill("#f-q", "no-such-document-id");
  check(await page.locator("#pairs tr[data-pair]").count() === 0, `${name}: search filters the list`);
  await page.fill("#f-q", "");
  if (name === "hostile") {
    const view = await page.locator("#pair-view").innerText();
    check(view.includes("<script>window.__pwned = 1</script>"), "hostile: markup shown as text");
    check(view.includes("\u27E8U+202E\u27E9"), "hostile: bidi override shown as a code");
    check(await page.evaluate(() => window.__pwned === undefined), "hostile: no script from a document ran");
  }
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(outDir, `report-${name}.png`), fullPage: name === "corpus" });
  check(errors.length === 0, `${name}: no console errors ${errors.join(" | ")}`);
  await page.close();
}
await browser.close();
if (failures.length) {
  console.error(`${failures.length} failed`);
  process.exit(1);
}
console.log(`${Object.keys(pages).length * 14 + 4} passed, 0 failed`);
