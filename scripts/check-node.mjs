// Every npm script runs on the Node pinned in package.json (the `node` devDependency puts it in
// node_modules/.bin). Fail loudly instead of running on the machine's older Node.
const required = 24;
const major = Number(process.versions.node.split('.')[0]);
if (major !== required) {
  console.error(
    `Guidepost needs Node ${required}, but this is Node ${process.versions.node} (${process.execPath}).\n` +
      'Run it through npm (npm start, npm test): npm puts the pinned Node from node_modules/.bin first on the PATH.\n' +
      'If node_modules/.bin/node is missing, run `npm install` first.',
  );
  process.exit(1);
}
