#!/usr/bin/env node
// The package's bin runs the compiled, bundled CLI (scripts/bundle-cli.mjs); `npm ci` builds it in `prepare`.
import { main } from '../dist/cellwise/main.js';

// A reader that stops early (`| head`, a pager quit) is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err && err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => {
    console.error(`cellwise: internal error: ${err && err.stack ? err.stack : err}`);
    process.exitCode = 2;
  },
);
