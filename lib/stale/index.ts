/** Stale outputs and hidden state: static checks, saved-vs-fresh comparison, and the report types. */
export { checkNotebook, errorLine } from './check.js';
export { compareRun, type CellVerdict, type CompareOptions, type RunComparison } from './compare.js';
export { defaultNormalizeOptions, skipTag, type NormalizeOptions, type Sanitizer } from './normalize.js';
export { staleCells, type StaleCellsOptions, type StaleInDiff } from './review.js';
export * from './types.js';
