import { alignCells } from '../align/cells.js';
import {
  DIFF_FORMAT, DIFF_FORMAT_VERSION,
  type CellEntry, type DiffSummary, type Json, type JsonObject, type Notebook, type NotebookChanges, type NotebookDiff,
  type NotebookInfo, type Warning,
} from '../model.js';
import { diffCell } from './cell.js';
import { ignorePatterns, stripIgnored } from './ignore.js';
import { jsonDiff } from './json.js';
import type { DiffMemo } from './memo.js';
import { onePerPair } from './image-batch.js';
import type { MimeOptions } from './mime.js';
import { ignoredParts, resolveOptions, type DiffOptions } from './options.js';

/** One side of a diff: the parsed notebook and what the caller knows of the file. */
export interface DiffSide {
  notebook: Notebook;
  /** A name for display (a path, `a/x.ipynb`, a blob id). */
  name?: string;
  /** The version written in the file before upconversion; defaults to the notebook's own. */
  nbformat?: [number, number];
  warnings?: Warning[];
}

const KNOWN_KEYS = new Set(['nbformat', 'nbformat_minor', 'metadata', 'cells']);

/** The semantic, cell-level diff of two notebooks: parse → align → diff; renderers take it from here. */
export function diffNotebooks(base: DiffSide | Notebook, head: DiffSide | Notebook, options: DiffOptions = {}, memo?: DiffMemo): NotebookDiff {
  const o = resolveOptions(options);
  const bs = toSide(base);
  const hs = toSide(head);
  const reuse = memo?.sides && memo.sides.base === bs.notebook && memo.sides.head === hs.notebook ? memo.sides : undefined;
  const patterns = reuse ? [] : ignorePatterns(o);
  const b = reuse?.b ?? (patterns.length ? stripIgnored(bs.notebook, patterns) : bs.notebook);
  const h = reuse?.h ?? (patterns.length ? stripIgnored(hs.notebook, patterns) : hs.notebook);
  let imagesAsked = false;
  const compareImage = onePerPair(o.compareImage);
  const mimeOptions: MimeOptions = {
    ignoreWhitespace: o.ignoreWhitespace,
    outputWords: o.outputWordDiffs,
    image: { threshold: o.imageThreshold, tolerance: o.imageTolerance, mask: o.imageMasks, countResized: o.countResizedPixels },
    compareImage: memo ? (...args) => { imagesAsked = true; return compareImage(...args); } : compareImage,
  };

  const alignment = reuse?.alignment ?? alignCells(b.cells, h.cells, {
    similarity: o.similarity, moveSimilarity: o.moveSimilarity, ignoreWhitespace: o.ignoreWhitespace,
  });
  if (memo && !reuse) {
    memo.sides = { base: bs.notebook, head: hs.notebook, b, h, alignment };
    memo.cells.clear();
  }

  const matched: CellEntry[] = alignment.matches.map((m): CellEntry => {
    const bc = b.cells[m.base]!;
    const hc = h.cells[m.head]!;
    const key = memo ? `${m.base}:${m.head}` : '';
    let c = reuse ? memo!.cells.get(key) : undefined;
    if (!c) {
      imagesAsked = false;
      c = diffCell(bc, hc, mimeOptions);
      if (memo && !imagesAsked) memo.cells.set(key, c);
    }
    // Built key by key rather than with spreads: one entry per cell, and the keys keep this order in JSON.
    const entry = { status: c.significant ? 'modified' : 'unchanged', base: m.base, head: m.head, moved: m.moved, match: m.match,
      cell_type: hc.cell_type } as CellEntry & Record<string, unknown>;
    if (m.moved) entry.preview = preview(hc.source);
    if (!c.significant) {
      if (Object.keys(c.changes).length > 0) entry.changes = c.changes;
      return entry;
    }
    entry.changes = c.changes;
    entry.rerunOnly = c.rerunOnly;
    entry.staleOutputs = c.staleOutputs;
    if (m.similarity !== undefined) entry.similarity = m.similarity;
    return entry;
  });
  const cells = displayOrder(matched, alignment.removed, alignment.added, b, h);
  const notebook = diffNotebookLevel(b, h);
  const summary = summarize(cells);
  const changed = Object.keys(notebook).length > 0 || summary.added + summary.removed + summary.modified + summary.moved > 0;
  return {
    format: DIFF_FORMAT,
    version: DIFF_FORMAT_VERSION,
    changed,
    base: info(bs, b),
    head: info(hs, h),
    ignored: ignoredParts(o),
    notebook,
    cells,
    summary,
    warnings: uniqueWarnings([...(bs.warnings ?? []), ...(hs.warnings ?? [])]),
  };
}

/** A file diffed against itself (or two blobs of one path) must not say everything twice. */
function uniqueWarnings(warnings: Warning[]): Warning[] {
  const seen = new Set<string>();
  return warnings.filter((w) => {
    const key = `${w.file}\0${w.path}\0${w.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const PREVIEW_LENGTH = 80;

function preview(source: string): string {
  const line = source.split('\n').find((l) => l.trim() !== '') ?? '';
  return line.length > PREVIEW_LENGTH ? line.slice(0, PREVIEW_LENGTH - 1) + '…' : line;
}

function toSide(x: DiffSide | Notebook): DiffSide {
  return 'notebook' in x && typeof x.notebook === 'object' && x.notebook !== null && 'cells' in (x.notebook as object)
    ? (x as DiffSide)
    : { notebook: x as Notebook };
}

function info(side: DiffSide, nb: Notebook): NotebookInfo {
  const lang = languageOf(nb);
  return {
    ...(side.name !== undefined ? { name: side.name } : {}),
    nbformat: side.nbformat ?? [nb.nbformat, nb.nbformat_minor],
    cells: nb.cells.length,
    ...(lang ? { language: lang } : {}),
  };
}

function languageOf(nb: Notebook): string | undefined {
  const li = nb.metadata?.language_info as JsonObject | undefined;
  if (li && typeof li.name === 'string') return li.name;
  const ks = nb.metadata?.kernelspec as JsonObject | undefined;
  if (ks && typeof ks.language === 'string') return ks.language;
  return undefined;
}

/**
 * Head's order, with each removed cell placed where it stood: after the cells that preceded it in base.
 * Deletions come before insertions in the same gap, as in a unified diff. Moved cells appear once, at their
 * head position.
 */
function displayOrder(matched: CellEntry[], removed: number[], added: number[], b: Notebook, h: Notebook): CellEntry[] {
  const byHead = new Array<CellEntry | undefined>(h.cells.length);
  for (const e of matched) byHead[e.head!] = e;
  for (const i of added) byHead[i] = { status: 'added', base: null, head: i, moved: false, cell_type: h.cells[i]!.cell_type, cell: h.cells[i]! };
  // For every head position, the base index of the next in-order matched cell at or after it.
  const nextAnchor = new Int32Array(h.cells.length + 1).fill(b.cells.length);
  for (let j = h.cells.length - 1; j >= 0; j--) {
    const e = byHead[j]!;
    nextAnchor[j] = e.base !== null && !e.moved ? e.base : nextAnchor[j + 1]!;
  }
  const out: CellEntry[] = [];
  let r = 0;
  const flushBefore = (limit: number) => {
    while (r < removed.length && removed[r]! < limit) {
      const i = removed[r++]!;
      out.push({ status: 'removed', base: i, head: null, moved: false, cell_type: b.cells[i]!.cell_type, cell: b.cells[i]! });
    }
  };
  for (let j = 0; j < h.cells.length; j++) {
    flushBefore(nextAnchor[j]!);
    out.push(byHead[j]!);
  }
  flushBefore(Infinity);
  return out;
}

function diffNotebookLevel(b: Notebook, h: Notebook): NotebookChanges {
  const changes: NotebookChanges = {};
  if (b.nbformat !== h.nbformat || b.nbformat_minor !== h.nbformat_minor) {
    changes.nbformat = { base: [b.nbformat, b.nbformat_minor], head: [h.nbformat, h.nbformat_minor] };
  }
  const meta = jsonDiff(b.metadata, h.metadata);
  if (meta.length) changes.metadata = meta;
  const other = jsonDiff(rest(b), rest(h));
  if (other.length) changes.other = other;
  return changes;
}

function rest(nb: Notebook): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(nb)) if (!KNOWN_KEYS.has(k)) out[k] = v as Json;
  return out;
}

function summarize(cells: CellEntry[]): DiffSummary {
  const s: DiffSummary = { added: 0, removed: 0, modified: 0, rerunOnly: 0, unchanged: 0, moved: 0, outputsChanged: 0, imagesChanged: 0, staleOutputs: 0 };
  for (const e of cells) {
    s[e.status]++;
    if (e.moved) s.moved++;
    if (e.status !== 'modified') continue;
    if (e.rerunOnly) s.rerunOnly++;
    if (e.staleOutputs) s.staleOutputs++;
    for (const o of e.changes.outputs?.entries ?? []) {
      if (o.status === 'unchanged') continue;
      s.outputsChanged++;
      if (o.status === 'modified' && o.changes.data?.some((d) => d.status === 'modified' && d.image && d.significant)) s.imagesChanged++;
    }
  }
  return s;
}
