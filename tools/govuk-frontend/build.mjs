// Builds the GOV.UK Frontend CSS that jmb's public website ships, and its licence file, from the
// packages pinned in package-lock.json (`make govuk-frontend` installs them with `npm ci`, then runs
// this). The output is committed: the wheel carries it, so jmb's users and CI need no npm.
//
//   templates/site/assets/govuk-frontend.min.css   govuk-frontend.scss compiled, minified
//   templates/site/assets/LICENCE-govuk-frontend.txt   its licence, naming the version
//
// The site must make no request that leaves it, so the build fails if the CSS would: a @font-face,
// an @import or any url() (tests/test_site_assets.py checks the committed file the same way).
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import * as sass from "sass";

const here = dirname(fileURLToPath(import.meta.url));
const assets = join(here, "..", "..", "templates", "site", "assets");
const modules = join(here, "node_modules");

function packageJson(folder) {
  return JSON.parse(readFileSync(join(folder, "package.json"), "utf8"));
}

function fail(message) {
  console.error(`make govuk-frontend: ${message}`);
  process.exit(1);
}

const frontend = packageJson(join(modules, "govuk-frontend"));
const compiler = packageJson(join(modules, "sass"));
const pinned = packageJson(here).dependencies;
for (const [name, installed] of [["govuk-frontend", frontend], ["sass", compiler]]) {
  if (installed.version !== pinned[name]) {
    fail(`${name} ${installed.version} is installed, ${pinned[name]} is pinned: run npm ci`);
  }
}
// The licence file below is the MIT text: a release under another licence must be looked at first.
if (frontend.license !== "MIT") {
  fail(`govuk-frontend ${frontend.version} says its licence is ${frontend.license}, not MIT`);
}

const compiled = sass.compile(join(here, "govuk-frontend.scss"), {
  loadPaths: [modules],
  style: "compressed",
  // The @charset rule is written below, first, where CSS requires it; Sass would write a BOM.
  charset: false,
  sourceMap: false,
});
const forbidden = compiled.css.match(/@font-face|@import|\burl\(|\bimage-set\(/i);
if (forbidden) {
  fail(`the CSS would fetch a file (${forbidden[0]}): the site must make no such request`);
}

const banner =
  `/*! GOV.UK Frontend ${frontend.version} | MIT licence: LICENCE-govuk-frontend.txt | ` +
  `built for jmb with sass ${compiler.version} (make govuk-frontend): system fonts, ` +
  `no GDS Transport, no images */`;
writeFileSync(
  join(assets, "govuk-frontend.min.css"),
  `@charset "UTF-8";\n${banner}\n${compiled.css}\n`,
);
writeFileSync(
  join(assets, "LICENCE-govuk-frontend.txt"),
  `GOV.UK Frontend ${frontend.version} (npm package govuk-frontend), built into ` +
    `govuk-frontend.min.css, is released under the MIT License below.\n` +
    `The npm package carries no licence file: this text is LICENSE.txt of ` +
    `https://github.com/alphagov/govuk-frontend.\n\n` +
    readFileSync(join(here, "LICENSE.txt"), "utf8"),
);
console.log(`govuk-frontend ${frontend.version} built into ${assets}`);
