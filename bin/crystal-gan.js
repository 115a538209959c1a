#!/usr/bin/env node
// The `crystal-gan` command: a thin launcher for the bundled CLI (build it with `npm run build`).
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const cli = path.join(__dirname, '..', 'dist', 'cli.js');
if (!fs.existsSync(cli)) {
  process.stderr.write(`crystal-gan: ${cli} is missing; run \`npm run build\` in ${path.dirname(__dirname)} first.\n`);
  process.exit(2);
}
require(cli).main();
