/**
 * Loaded with `node --import dist/bench/rss-probe.js bin/cellwise.js …` so that a spawned CLI run reports
 * its own peak memory: Node gives a parent no rusage of its children (and see peakRssMB). Writes one tagged
 * line to stderr.
 */
import { writeSync } from 'node:fs';
import { peakRssMB, RSS_PROBE_TAG } from './common.js';

process.on('exit', () => {
  writeSync(2, `\n${RSS_PROBE_TAG} ${peakRssMB()}\n`);
});
