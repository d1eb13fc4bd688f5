// Copy the browser files memoire serves from node_modules into memoire/static/vendor.
// Run with `npm ci && npm run vendor`; the copies are committed, node_modules is not,
// so the app never needs npm, a build step or a CDN at run time.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const modules = join(root, "node_modules");
const vendor = join(root, "memoire", "static", "vendor");

// [package, file inside the package, destination relative to the repository root]
const files = [
  ["leaflet", "dist/leaflet.js", "memoire/static/vendor/leaflet/leaflet.js"],
  ["leaflet", "dist/leaflet.css", "memoire/static/vendor/leaflet/leaflet.css"],
  ["leaflet", "dist/images/layers.png", "memoire/static/vendor/leaflet/images/layers.png"],
  ["leaflet", "dist/images/layers-2x.png", "memoire/static/vendor/leaflet/images/layers-2x.png"],
  ["leaflet", "dist/images/marker-icon.png", "memoire/static/vendor/leaflet/images/marker-icon.png"],
  ["leaflet", "dist/images/marker-icon-2x.png", "memoire/static/vendor/leaflet/images/marker-icon-2x.png"],
  ["leaflet", "dist/images/marker-shadow.png", "memoire/static/vendor/leaflet/images/marker-shadow.png"],
  ["leaflet", "LICENSE", "memoire/static/vendor/leaflet/LICENSE"],
  ["leaflet.markercluster", "dist/leaflet.markercluster.js", "memoire/static/vendor/markercluster/leaflet.markercluster.js"],
  ["leaflet.markercluster", "dist/MarkerCluster.css", "memoire/static/vendor/markercluster/MarkerCluster.css"],
  ["leaflet.markercluster", "dist/MarkerCluster.Default.css", "memoire/static/vendor/markercluster/MarkerCluster.Default.css"],
  ["leaflet.markercluster", "MIT-LICENCE.txt", "memoire/static/vendor/markercluster/LICENSE"],
  ["@geoman-io/leaflet-geoman-free", "dist/leaflet-geoman.min.js", "memoire/static/vendor/geoman/leaflet-geoman.min.js"],
  ["@geoman-io/leaflet-geoman-free", "dist/leaflet-geoman.css", "memoire/static/vendor/geoman/leaflet-geoman.css"],
  ["@geoman-io/leaflet-geoman-free", "LICENSE", "memoire/static/vendor/geoman/LICENSE"],
  // Injected by the browser accessibility tests; never served by the app.
  ["axe-core", "axe.min.js", "tests/browser/axe.min.js"],
];

// Source map comments point at files we do not ship; browsers only ask for them
// when the developer tools are open, and a 404 there is noise, so drop the comment.
const SOURCE_MAP = /\n?\/[/*][#@] sourceMappingURL=\S+?(\s*\*\/)?\s*$/;

function installedVersion(pkg) {
  return JSON.parse(readFileSync(join(modules, pkg, "package.json"), "utf8")).version;
}

function copy(pkg, from, to) {
  const source = join(modules, pkg, from);
  const target = join(root, to);
  mkdirSync(dirname(target), { recursive: true });
  if (/\.(js|css)$/.test(from) && !to.startsWith("tests/")) {
    const text = readFileSync(source, "utf8").replace(SOURCE_MAP, "\n");
    writeFileSync(target, text);
  } else {
    copyFileSync(source, target);
  }
  return statSync(target).size;
}

function resolvePackage(name, fromDir) {
  // Node's lookup: the nearest node_modules/<name> walking up from the requiring package.
  for (let dir = fromDir; dir.startsWith(root); dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return candidate;
  }
  throw new Error(`cannot resolve ${name} from ${fromDir}`);
}

function bundledLicences(pkg) {
  // Geoman's dist file bundles its dependencies (turf, lodash, polyclip...): their
  // MIT/ISC notices must travel with it. Type packages are not bundled.
  const seen = new Map();
  const visit = (dir) => {
    const meta = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    for (const dep of Object.keys(meta.dependencies || {})) {
      if (dep.startsWith("@types/")) continue;
      const depDir = resolvePackage(dep, dir);
      if (seen.has(depDir)) continue;
      seen.set(depDir, JSON.parse(readFileSync(join(depDir, "package.json"), "utf8")));
      visit(depDir);
    }
  };
  visit(join(modules, pkg));
  const parts = [];
  for (const [dir, meta] of [...seen].sort((a, b) => a[1].name.localeCompare(b[1].name))) {
    const licenceFile = readdirSync(dir).find((f) => /^licen[cs]e/i.test(f));
    const text = licenceFile ? readFileSync(join(dir, licenceFile), "utf8").trim() : `License: ${meta.license}`;
    parts.push(`${meta.name}@${meta.version} (${meta.license})\n\n${text}\n`);
  }
  return `Third-party packages bundled in ${pkg}'s dist file.\n\n` + parts.join("\n" + "-".repeat(72) + "\n\n");
}

const wanted = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const pins = { ...wanted.dependencies, ...wanted.devDependencies };
for (const pkg of new Set(files.map(([p]) => p))) {
  const version = installedVersion(pkg);
  if (pins[pkg] !== version) {
    console.error(`${pkg}: package.json pins ${pins[pkg]} but node_modules has ${version}; run npm ci`);
    process.exit(1);
  }
}

// Start from empty folders so a file dropped upstream does not linger here.
for (const dir of ["leaflet", "markercluster", "geoman"]) {
  rmSync(join(vendor, dir), { recursive: true, force: true });
}
for (const [pkg, from, to] of files) {
  const size = copy(pkg, from, to);
  console.log(`${pkg}@${installedVersion(pkg)} ${from} -> ${to} (${size} bytes)`);
}
const notices = join(vendor, "geoman", "THIRD-PARTY-LICENSES.txt");
writeFileSync(notices, bundledLicences("@geoman-io/leaflet-geoman-free"));
console.log(`geoman bundled dependencies -> ${notices.slice(root.length + 1)}`);
