// Builds static/build/: the portal's CSS (GOV.UK Frontend re-branded, compiled with Sass), the
// GOV.UK Frontend script, and the Noto Sans fonts (Latin, Cyrillic and the Kazakh letters).
import { cpSync, mkdirSync, writeFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "static", "build");
const modules = join(root, "node_modules");

rmSync(out, { recursive: true, force: true });
for (const dir of ["css", "js", "fonts", "govuk/assets/images"]) mkdirSync(join(out, dir), { recursive: true });

const subsets = ["latin", "cyrillic", "cyrillic-ext"];
for (const subset of subsets) {
  for (const weight of [400, 700]) {
    for (const ext of ["woff2", "woff"]) {
      const name = `noto-sans-${subset}-${weight}-normal.${ext}`;
      cpSync(join(modules, "@fontsource/noto-sans/files", name), join(out, "fonts", name));
    }
  }
}

const result = sass.compile(join(root, "assets/scss/portal.scss"), {
  loadPaths: [modules],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import", "global-builtin", "slash-div", "color-functions", "if-function"],
});
writeFileSync(join(out, "css", "portal.css"), result.css);
// The back office: the admin's own CSS, with the portal's font and the WCAG 2.2 AA overrides.
const admin = sass.compile(join(root, "assets/scss/admin.scss"), { loadPaths: [modules], style: "compressed" });
writeFileSync(join(out, "css", "admin.css"), admin.css);

cpSync(join(modules, "govuk-frontend/dist/govuk/govuk-frontend.min.js"), join(out, "js", "govuk-frontend.min.js"));
// The GOV.UK crest is not the portal's to show; the footer never uses it, but the CSS refers to it.
writeFileSync(
  join(out, "govuk/assets/images/govuk-crest.svg"),
  '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1" viewBox="0 0 1 1"/>',
);
console.log("static/build: css, js and fonts written");
