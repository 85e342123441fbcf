// scripts/render-diagrams.mjs: the browser half of scripts/render-diagrams (read that first).
// Draws every ```mermaid block of the Markdown files it is given with Mermaid in headless
// Chromium, the way GitHub shows them, and saves each picture as a PNG.
//
//   node scripts/render-diagrams.mjs TOOLS_DIR OUT_DIR CHROMIUM FILE.md...
//
// TOOLS_DIR is the folder npm installed mermaid and playwright-core in.
//
// Exits 1 if a block does not render, naming the file, the block and the line it starts on.

import { mkdtempSync, readFileSync, rmSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const [toolsDir, outDir, executablePath, ...files] = process.argv.slice(2);

// Both come from the scratch folder the shell half installed them in.
const require = createRequire(join(resolve(toolsDir), "package.json"));
const { chromium } = require("playwright-core");
const mermaidJs = require.resolve("mermaid/dist/mermaid.min.js");

/// The ```mermaid blocks of a Markdown text: { line, text }, line counted from 1.
function mermaidBlocks(markdown) {
  const lines = markdown.split("\n");
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const open = lines[i].match(/^(\s*)(`{3,}|~{3,})\s*mermaid\s*$/);
    if (!open) continue;
    const fence = open[2];
    const body = [];
    let j = i + 1;
    while (j < lines.length && !lines[j].trim().startsWith(fence)) body.push(lines[j++]);
    blocks.push({ line: i + 1, text: body.join("\n") });
    i = j;
  }
  return blocks;
}

/// "step3-sync/README.md" -> "step3-sync-README"
function slug(file) {
  return file.replace(/\.md$/i, "").replace(/[^A-Za-z0-9_-]+/g, "-").replace(/^-+/, "");
}

mkdirSync(outDir, { recursive: true });
// A fresh profile every run: nothing from an earlier run (or another program) leaks in.
const profile = mkdtempSync(join(tmpdir(), "render-diagrams-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath,
  headless: true,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
  viewport: { width: 1400, height: 900 },
  deviceScaleFactor: 1.5,
});

let drawn = 0;
const failures = [];
try {
  const page = context.pages()[0] ?? (await context.newPage());
  await page.setContent(
    '<!doctype html><html><body style="margin:0;background:white"><div id="out"></div></body></html>',
  );
  await page.addScriptTag({ path: mermaidJs });
  await page.evaluate(() => window.mermaid.initialize({ startOnLoad: false, theme: "default" }));

  for (const file of files) {
    const blocks = mermaidBlocks(readFileSync(file, "utf8"));
    for (const [n, block] of blocks.entries()) {
      const where = `${file}: block ${n + 1} (line ${block.line})`;
      const error = await page.evaluate(
        async ({ text, id }) => {
          const out = document.getElementById("out");
          out.innerHTML = "";
          try {
            // parse throws on a syntax error, where render may draw an error picture instead.
            await window.mermaid.parse(text);
            const { svg } = await window.mermaid.render(id, text);
            out.innerHTML = svg;
            return null;
          } catch (e) {
            return String(e && e.message ? e.message : e);
          }
        },
        { text: block.text, id: `diagram${drawn}` },
      );
      if (error) {
        console.log(`FAIL ${where} does not render:\n    ${error.split("\n").join("\n    ")}`);
        failures.push(where);
        continue;
      }
      const png = join(outDir, `${slug(file)}-${n + 1}.png`);
      await page.locator("#out > svg").screenshot({ path: png });
      console.log(`ok   ${where} -> ${png}`);
      drawn++;
    }
  }
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}

// Again at the end, where a long run's last lines show them.
for (const where of failures) console.log(`FAIL ${where}`);
console.log(`${drawn} passed, ${failures.length} failed`);
process.exit(failures.length === 0 ? 0 : 1);
