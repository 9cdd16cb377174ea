import type { Issues } from './issues.js';

/** What the nbformat 4 checks need to know besides the value at hand. */
export interface ReadContext {
  issues: Issues;
  /** nbformat_minor of the notebook being read (0 for one converted from nbformat 3). */
  minor: number;
  /** A minor version newer than 4.5: nbformat then allows extra keys and unknown cell and output types. */
  future: boolean;
}
