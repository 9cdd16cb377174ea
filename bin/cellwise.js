#!/usr/bin/env node
// The package's bin runs the compiled CLI; `npm ci` builds it in `prepare`.
import { main } from '../dist/cli/main.js';

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => {
    console.error(`cellwise: internal error: ${err && err.stack ? err.stack : err}`);
    process.exitCode = 2;
  },
);
