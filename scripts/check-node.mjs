// Shopify's packages need Node >= 22.12; the repo installs it as the npm package `node@22`.
// `npm ci --ignore-scripts` silently leaves it out, so fail loudly here instead of running on Node 20.
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  console.error(`Koppel needs Node >= 22.12, this is ${process.versions.node}. Run \`npm install\` (it installs node@22 into node_modules/.bin).`);
  process.exit(1);
}
