import type { CellAlignment } from '../align/cells.js';
import type { Notebook } from '../model.js';
import type { CellComparison } from './cell.js';

/**
 * What one diffNotebooks call leaves for a second one over the same two notebooks and the same options: the
 * cell alignment and every cell comparison that compared no image. The two-pass image batch
 * (image-batch.ts) needs a second pass only for the cells with images; without this it redid everything.
 */
export class DiffMemo {
  /** The notebooks as given, and as compared (after ignored paths were taken out). */
  sides?: { base: Notebook; head: Notebook; b: Notebook; h: Notebook; alignment: CellAlignment };
  /** By `base:head` cell index. */
  readonly cells = new Map<string, CellComparison>();
}
