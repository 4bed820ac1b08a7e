#!/usr/bin/env node
// The `ringside` command: the bundled CLI (built by `npm ci` through the prepare script).
require('../dist/cli.js');
