import type { Cell, MatchKind } from '../model.js';
import { fingerprintHash, hashString } from '../util/hash.js';
import { longestIncreasing } from './lis.js';
import { bigramProfile, profileSimilarity, similarityBound, type Profile } from './similarity.js';

export interface CellMatch {
  base: number;
  head: number;
  match: MatchKind;
  /** Not part of the longest run of matches that kept their order. */
  moved: boolean;
  similarity?: number;
}

export interface CellAlignment {
  /** Sorted by head index. */
  matches: CellMatch[];
  /** Base cells with no counterpart, ascending. */
  removed: number[];
  /** Head cells with no counterpart, ascending. */
  added: number[];
}

export interface AlignOptions {
  similarity: number;
  moveSimilarity: number;
  ignoreWhitespace: boolean;
}

// A gap of n×m cells is aligned by dynamic programming up to this many comparisons, by a forward scan past it.
const GAP_DP_LIMIT = 10_000;
const GAP_SCAN_WINDOW = 40;
// Removed × added cells compared for moves with edits; past it only cells that share a line are compared,
// the most sharing first.
const MOVE_PAIR_LIMIT = 20_000;
const MOVE_CANDIDATES = 16;
// A line in more added cells than this (`plt.show()`, `)`) says nothing about where a cell came from.
const MOVE_LINE_MAX_CELLS = 20;

/**
 * Pairs the cells of two notebooks, strongest evidence first: equal ids, then identical content, then
 * similar content. Exact anchors cut the notebooks into small gaps, and similarity is only measured inside
 * a gap (bounded), so the cost stays near-linear. Cells left over on both sides are then paired across gaps
 * by a stricter similarity: those are moves with edits. Which matches count as moved is decided last, by the
 * longest run of matches in the same order on both sides.
 */
export function alignCells(base: readonly Cell[], head: readonly Cell[], options: AlignOptions): CellAlignment {
  const ctx = new Aligner(base, head, options);
  return ctx.run();
}

class Aligner {
  private readonly headOf: Int32Array;
  private readonly baseOf: Int32Array;
  private readonly kind = new Map<number, { match: MatchKind; similarity?: number }>();
  /** Cell type and (normalized) source, the text similarity is measured on; made when first needed. */
  private readonly srcKeyCache: (string | undefined)[][] = [[], []];
  /** Normalized sources, and hashes of type + source: what "identical source" anchors are found by. */
  private readonly sources: string[][];
  private readonly srcHashes: Int32Array[];
  /** Hashes of the outputs and attachments, for "identical source and outputs" anchors (made on first use). */
  private outHashes: Int32Array[] | null = null;
  private fullHashes: Int32Array[] | null = null;
  private readonly profiles: (Profile | undefined)[][] = [[], []];

  constructor(
    private readonly base: readonly Cell[],
    private readonly head: readonly Cell[],
    private readonly o: AlignOptions,
  ) {
    this.headOf = new Int32Array(base.length).fill(-1);
    this.baseOf = new Int32Array(head.length).fill(-1);
    const norm = o.ignoreWhitespace ? (s: string) => s.replace(/\s+/g, ' ').trim() : (s: string) => s;
    this.sources = [base.map((c) => norm(c.source)), head.map((c) => norm(c.source))];
    // Type and source hashed apart: hashing the joined key would copy every source once more.
    const typeSeeds = new Map<string, number>();
    this.srcHashes = [0, 1].map((side) => {
      const cells = this.cells(side);
      const sources = this.sources[side]!;
      const hashes = new Int32Array(cells.length);
      for (let i = 0; i < cells.length; i++) {
        const type = cells[i]!.cell_type;
        let seed = typeSeeds.get(type);
        if (seed === undefined) typeSeeds.set(type, (seed = hashString(type)));
        hashes[i] = hashString(sources[i]!, seed);
      }
      return hashes;
    });
  }

  private srcKey(side: number, i: number): string {
    return (this.srcKeyCache[side]![i] ??= this.cells(side)[i]!.cell_type + '\0' + this.sources[side]![i]!);
  }

  private cells(side: number): readonly Cell[] {
    return side === 0 ? this.base : this.head;
  }

  run(): CellAlignment {
    this.matchIds();
    const all = (n: number) => Array.from({ length: n }, (_, i) => i);
    this.alignRange(all(this.base.length), all(this.head.length), 0);
    this.matchMoves();

    const pairs: CellMatch[] = [];
    for (let b = 0; b < this.base.length; b++) {
      const h = this.headOf[b]!;
      if (h < 0) continue;
      const k = this.kind.get(b)!;
      pairs.push({ base: b, head: h, match: k.match, moved: true, ...(k.similarity !== undefined ? { similarity: k.similarity } : {}) });
    }
    for (const i of longestIncreasing(pairs.map((p) => p.head))) pairs[i]!.moved = false;
    pairs.sort((a, b) => a.head - b.head);
    const removed: number[] = [];
    for (let b = 0; b < this.base.length; b++) if (this.headOf[b]! < 0) removed.push(b);
    const added: number[] = [];
    for (let h = 0; h < this.head.length; h++) if (this.baseOf[h]! < 0) added.push(h);
    return { matches: pairs, removed, added };
  }

  /** Similarity of base cell b and head cell h's keys, with each cell's bigrams computed once. */
  private similar(b: number, h: number): number {
    if (this.sameSource(b, h)) return 1;
    const pb = (this.profiles[0]![b] ??= bigramProfile(this.srcKey(0, b)));
    const ph = (this.profiles[1]![h] ??= bigramProfile(this.srcKey(1, h)));
    return profileSimilarity(pb, ph);
  }

  private pair(b: number, h: number, match: MatchKind, sim?: number): void {
    this.headOf[b] = h;
    this.baseOf[h] = b;
    this.kind.set(b, sim === undefined ? { match } : { match, similarity: sim });
  }

  private matchIds(): void {
    const byId = new Map<string, number>();
    this.head.forEach((c, h) => { if (typeof c.id === 'string') byId.set(c.id, h); });
    if (byId.size === 0) return;
    this.base.forEach((c, b) => {
      const h = typeof c.id === 'string' ? byId.get(c.id) : undefined;
      if (h !== undefined) this.pair(b, h, 'id');
    });
  }

  /** Equal type and source (normalized as the options say). */
  private readonly sameSource = (b: number, h: number): boolean =>
    this.base[b]!.cell_type === this.head[h]!.cell_type && this.sources[0]![b] === this.sources[1]![h];

  /** Equal type and source, and outputs and attachments alike as far as their fingerprints tell. */
  private readonly sameFull = (b: number, h: number): boolean =>
    this.outHashes![0]![b] === this.outHashes![1]![h] && this.sameSource(b, h);

  /** Outputs take part in "identical": a cell whose source and outputs both match is the surest anchor. */
  private full(): Int32Array[] {
    if (!this.fullHashes) {
      this.outHashes = [0, 1].map((side) => Int32Array.from(this.cells(side), (c) => fingerprintHash([c.outputs ?? null, c.attachments ?? null])));
      this.fullHashes = [0, 1].map((side) => this.srcHashes[side]!.map((h, i) => Math.imul(h ^ this.outHashes![side]![i]!, 0x01000193)));
    }
    return this.fullHashes;
  }

  /**
   * Aligns the unmatched cells among `bs` and `hs` (ascending index lists): anchors on keys unique to the
   * range on both sides, keeps those in order, and recurses into the gaps between them; where no anchor is
   * left, pairs cells by similarity.
   */
  private alignRange(bs: number[], hs: number[], depth: number): void {
    bs = bs.filter((b) => this.headOf[b]! < 0);
    hs = hs.filter((h) => this.baseOf[h]! < 0);
    if (bs.length === 0 || hs.length === 0) return;
    for (const [hashes, same] of [[this.full(), this.sameFull], [this.srcHashes, this.sameSource]] as const) {
      const anchors = uniquePairs(bs, hs, hashes[0]!, hashes[1]!, same);
      if (anchors.length === 0) continue;
      const kept = longestIncreasing(anchors.map((a) => a[1])).map((i) => anchors[i]!);
      for (const [b, h] of kept) this.pair(b, h, 'identical');
      // Recurse into the gaps between kept anchors (including before the first and after the last).
      // bs, hs and kept are all ascending, so one pass of two cursors cuts every gap: linear, not k×n.
      let ib = 0;
      let ih = 0;
      for (const [b, h] of [...kept, [Infinity, Infinity] as [number, number]]) {
        const gb: number[] = [];
        const gh: number[] = [];
        while (ib < bs.length && bs[ib]! < b) { if (this.headOf[bs[ib]!]! < 0) gb.push(bs[ib]!); ib++; }
        while (ih < hs.length && hs[ih]! < h) { if (this.baseOf[hs[ih]!]! < 0) gh.push(hs[ih]!); ih++; }
        ib++;
        ih++;
        if (gb.length && gh.length) this.alignRange(gb, gh, depth + 1);
      }
      return;
    }
    this.alignBySimilarity(bs, hs);
  }

  private alignBySimilarity(bs: number[], hs: number[]): void {
    const score = (b: number, h: number): number => {
      const cb = this.base[b]!;
      const ch = this.head[h]!;
      if (cb.cell_type !== ch.cell_type) return 0;
      if (this.sources[0]![b] === this.sources[1]![h]) return 1;
      if (similarityBound(this.srcKey(0, b), this.srcKey(1, h)) < this.o.similarity) return 0;
      const s = this.similar(b, h);
      return s >= this.o.similarity ? s : 0;
    };
    const n = bs.length;
    const m = hs.length;
    if (n * m <= GAP_DP_LIMIT) {
      // Weighted LCS: the in-order pairing with the largest total similarity.
      const w = m + 1;
      const dp = new Float64Array((n + 1) * w);
      const sc = new Float64Array(n * m);
      for (let i = 1; i <= n; i++) {
        for (let j = 1; j <= m; j++) {
          const s = score(bs[i - 1]!, hs[j - 1]!);
          sc[(i - 1) * m + (j - 1)] = s;
          const diag = s > 0 ? dp[(i - 1) * w + (j - 1)]! + s : -1;
          dp[i * w + j] = Math.max(dp[(i - 1) * w + j]!, dp[i * w + j - 1]!, diag);
        }
      }
      for (let i = n, j = m; i > 0 && j > 0;) {
        const s = sc[(i - 1) * m + (j - 1)]!;
        if (s > 0 && dp[i * w + j] === dp[(i - 1) * w + (j - 1)]! + s) {
          this.pair(bs[i - 1]!, hs[j - 1]!, s === 1 ? 'identical' : 'similar', s === 1 ? undefined : round(s));
          i--; j--;
        } else if (dp[i * w + j] === dp[(i - 1) * w + j]) i--;
        else j--;
      }
      return;
    }
    // Large gap: scan forward from the last pairing, a bounded window per base cell.
    let from = 0;
    for (const b of bs) {
      let best = 0;
      let bestJ = -1;
      for (let j = from; j < Math.min(m, from + GAP_SCAN_WINDOW); j++) {
        const s = score(b, hs[j]!);
        if (s > best) { best = s; bestJ = j; }
        if (s === 1) break;
      }
      if (bestJ >= 0) {
        this.pair(b, hs[bestJ]!, best === 1 ? 'identical' : 'similar', best === 1 ? undefined : round(best));
        from = bestJ + 1;
      }
    }
  }

  /** Pairs removed and added cells that are alike enough to be one cell moved (and maybe edited). */
  private matchMoves(): void {
    const rs: number[] = [];
    for (let b = 0; b < this.base.length; b++) if (this.headOf[b]! < 0) rs.push(b);
    const as: number[] = [];
    for (let h = 0; h < this.head.length; h++) if (this.baseOf[h]! < 0) as.push(h);
    if (!rs.length || !as.length) return;
    const threshold = Math.max(this.o.similarity, this.o.moveSimilarity);
    const candidates: [number, number, number][] = [];
    const consider = (b: number, h: number) => {
      if (this.base[b]!.cell_type !== this.head[h]!.cell_type) return;
      const kb = this.srcKey(0, b);
      const kh = this.srcKey(1, h);
      // Blank cells carry no evidence of where they came from.
      if (kb.length <= this.base[b]!.cell_type.length + 1) return;
      if (similarityBound(kb, kh) < threshold) return;
      const s = this.similar(b, h);
      if (s >= threshold) candidates.push([s, b, h]);
    };
    if (rs.length * as.length <= MOVE_PAIR_LIMIT) {
      for (const b of rs) for (const h of as) consider(b, h);
    } else {
      // A cell moved and edited keeps most of its lines: index added cells by their distinctive lines.
      const lines = (s: string) => new Set(s.split('\n').map((l) => l.trim()).filter((l) => l.length >= 4));
      const byLine = new Map<string, number[]>();
      for (const h of as) {
        for (const l of lines(this.srcKey(1, h))) {
          const list = byLine.get(l);
          if (list) list.push(h); else byLine.set(l, [h]);
        }
      }
      for (const b of rs) {
        const shared = new Map<number, number>();
        for (const l of lines(this.srcKey(0, b))) {
          const hs = byLine.get(l);
          if (!hs || hs.length > MOVE_LINE_MAX_CELLS) continue;
          for (const h of hs) shared.set(h, (shared.get(h) ?? 0) + 1);
        }
        [...shared].sort((x, y) => y[1] - x[1] || x[0] - y[0]).slice(0, MOVE_CANDIDATES).forEach(([h]) => consider(b, h));
      }
    }
    candidates.sort((x, y) => y[0] - x[0] || x[1] - y[1] || x[2] - y[2]);
    for (const [s, b, h] of candidates) {
      if (this.headOf[b]! >= 0 || this.baseOf[h]! >= 0) continue;
      this.pair(b, h, s === 1 ? 'identical' : 'similar', s === 1 ? undefined : round(s));
    }
  }
}

/**
 * Pairs [b, h] (sorted by b) of keys that occur exactly once among `bs` and once among `hs`. Keys are
 * counted by hash (whole sources as Map keys cost more than the rest of the alignment) and confirmed by `same`.
 */
function uniquePairs(bs: number[], hs: number[], hb: Int32Array, hh: Int32Array, same: (b: number, h: number) => boolean): [number, number][] {
  const count = new Map<number, [number, number, number, number]>(); // [count in base, index, count in head, index]
  for (const b of bs) {
    const e = count.get(hb[b]!);
    if (e) e[0]++; else count.set(hb[b]!, [1, b, 0, -1]);
  }
  for (const h of hs) {
    const e = count.get(hh[h]!);
    if (e) { e[2]++; e[3] = h; }
  }
  const out: [number, number][] = [];
  for (const [cb, b, ch, h] of count.values()) if (cb === 1 && ch === 1 && same(b, h)) out.push([b, h]);
  return out.sort((x, y) => x[0] - y[0]);
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
