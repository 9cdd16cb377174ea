/**
 * The Cellwise diff model: the one object the library produces and the CLI, the GitHub App and the viewer
 * exchange. Everything here is plain JSON (no Maps, no classes, no undefined-vs-null tricks beyond
 * "optional key absent"), so `JSON.parse(JSON.stringify(diff))` is the same diff.
 *
 * Format contract (documented in docs/diff-format.md, versioned by `version`):
 * - `cells` lists every cell of base and head once, in display order.
 * - Applying the diff to the base notebook (lib/patch) yields the head notebook, deep-equal after
 *   normalizing multiline strings, whenever `ignored` is empty.
 */

// ─── Notebooks (nbformat 4, normalized) ────────────────────────────────────────────────────────────────

/** Any JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** A MIME bundle; multiline strings are joined into one string by the parser. */
export type MimeBundle = Record<string, Json>;

export interface StreamOutput {
  output_type: 'stream';
  name: string;
  text: string;
  [key: string]: unknown;
}
export interface DisplayDataOutput {
  output_type: 'display_data';
  data: MimeBundle;
  metadata: JsonObject;
  [key: string]: unknown;
}
export interface ExecuteResultOutput {
  output_type: 'execute_result';
  data: MimeBundle;
  metadata: JsonObject;
  execution_count: number | null;
  [key: string]: unknown;
}
export interface ErrorOutput {
  output_type: 'error';
  ename: string;
  evalue: string;
  traceback: string[];
  [key: string]: unknown;
}
export type Output = StreamOutput | DisplayDataOutput | ExecuteResultOutput | ErrorOutput;

export type CellType = 'code' | 'markdown' | 'raw';

/** A cell as parsed: `source` is always one string; keys absent in the file stay absent. */
export interface Cell {
  cell_type: CellType;
  id?: string;
  source: string;
  metadata: JsonObject;
  /** Code cells only. */
  execution_count?: number | null;
  /** Code cells only. */
  outputs?: Output[];
  /** Markdown and raw cells: file name → MIME bundle (base64 payloads). */
  attachments?: Record<string, MimeBundle>;
  [key: string]: unknown;
}

export interface Notebook {
  nbformat: number;
  nbformat_minor: number;
  metadata: JsonObject;
  cells: Cell[];
  [key: string]: unknown;
}

/** A problem the parser accepted (nbformat itself only warns) and the user should know about. */
export interface Warning {
  /** The file's name as given to the parser. */
  file: string;
  /** JSON path into the file as written, e.g. `/cells/3/id`. */
  path: string;
  message: string;
}

// ─── Generic pieces ────────────────────────────────────────────────────────────────────────────────────

/** A value that differs between base and head. `null` stands for "absent" where the key is optional. */
export interface ValueChange<T> {
  base: T;
  head: T;
}

/**
 * One edit to a JSON document, with a path of keys from the root of the value being diffed
 * (an empty path is the value itself). Arrays are compared as whole values.
 * - `add`: the key is absent in base; `value` is head's.
 * - `remove`: the key is absent in head; `old` is base's.
 * - `replace`: both have the key with different values.
 */
export type JsonOp =
  | { op: 'add'; path: string[]; value: Json }
  | { op: 'remove'; path: string[]; old: Json }
  | { op: 'replace'; path: string[]; old: Json; value: Json };

/** One piece of a word-level diff of a line: `=` common, `-` only in base, `+` only in head. */
export interface WordSpan {
  t: '=' | '-' | '+';
  s: string;
}

/**
 * A line-level diff of two texts, covering the whole base text in order. Lines keep their line ending
 * (the last line may have none), so joining base-side lines gives base and head-side lines gives head.
 * A `replace` pairs deleted lines with the lines that took their place; `words[i]` is the word diff of
 * `base[i]` against `head[i]` when the two lines are alike enough to be worth it, else null.
 */
export type TextOp =
  | { op: 'equal'; lines: string[] }
  | { op: 'delete'; lines: string[] }
  | { op: 'insert'; lines: string[] }
  | { op: 'replace'; base: string[]; head: string[]; words: (WordSpan[] | null)[] };

export interface TextDiff {
  ops: TextOp[];
  /** Lines only in head / only in base. */
  added: number;
  removed: number;
}

// ─── Outputs ──────────────────────────────────────────────────────────────────────────────────────────

/** Pixel comparison of two raster images (image/png, image/jpeg). */
export interface ImageComparison {
  format: 'png' | 'jpeg' | 'gif' | 'other';
  base: ImageInfo;
  head: ImageInfo;
  /** Pixels that differ beyond the per-pixel threshold (anti-aliasing ignored), on a canvas the size of the
   *  larger image: pixels only one image covers count when they are not transparent. (All of them for a
   *  resized image in a diff made with `countResizedPixels` off, which the JSON output never is.) */
  changedPixels: number;
  /** Pixels in the larger of the two images. */
  totalPixels: number;
  sizeChanged: boolean;
  /** True when pixels are identical although the bytes differ (re-encoded). */
  reencoded: boolean;
  /** Base64 PNG of the pixelmatch diff: transparent, changed pixels in red (asked for with `imageMasks`). */
  mask?: string;
  /** Set when an image could not be decoded: the comparison then fell back to bytes. */
  error?: string;
}
export interface ImageInfo {
  width: number;
  height: number;
  /** Size of the encoded image in bytes. */
  bytes: number;
}

/** One MIME type of a display_data / execute_result output. */
export type MimeChange =
  | { mime: string; status: 'added'; value: Json }
  | { mime: string; status: 'removed'; old: Json }
  | {
      mime: string;
      status: 'modified';
      /** Text MIME types (text/*, SVG, JavaScript) and pretty-printed JSON: the line diff. */
      text?: TextDiff;
      image?: ImageComparison;
      /** Head's value whenever `text` alone cannot rebuild it (JSON, images, other binaries). */
      value?: Json;
      /** False when the difference is invisible (pixel-identical or within image tolerance). */
      significant: boolean;
    };

/** What differs inside a matched output. Which keys appear depends on the output type. */
export interface OutputChanges {
  /** stream: the (merged) text. */
  text?: TextDiff;
  /** stream: lengths of head's consecutive stream outputs that were merged, when more than one. */
  headSplit?: number[];
  /** display_data / execute_result: per MIME type, only the types that differ. */
  data?: MimeChange[];
  metadata?: JsonOp[];
  execution_count?: ValueChange<number | null>;
  /** error */
  ename?: ValueChange<string>;
  evalue?: ValueChange<string>;
  /** error: one line per traceback entry, compared without ANSI codes but kept with them. */
  traceback?: TextDiff;
  /** error: head's traceback entries as written, when only ANSI codes differ (nothing to show). */
  tracebackValue?: string[];
  /** Keys outside nbformat's schema. */
  other?: JsonOp[];
}

/**
 * One output of a matched code cell. Consecutive stream outputs of one name are one entry (their text
 * concatenated); `base`/`head` are then the index of the first of them and `baseCount`/`headCount` say
 * how many.
 */
export type OutputEntry =
  | { status: 'unchanged'; base: number; head: number; baseCount?: number; headCount?: number;
      /** Differences invisible to a reviewer (re-encoded image, ANSI-only), kept so the diff applies. */
      changes?: OutputChanges }
  | { status: 'modified'; base: number; head: number; baseCount?: number; headCount?: number;
      output_type: Output['output_type'];
      /** stream: `stdout` or `stderr`. */
      name?: string;
      changes: OutputChanges }
  | { status: 'added'; base: null; head: number; outputs: Output[] }
  | { status: 'removed'; base: number; head: null; outputs: Output[] };

export interface OutputsDiff {
  entries: OutputEntry[];
  /** Any entry added, removed or modified (as opposed to invisible differences only). */
  significant: boolean;
}

// ─── Cells ────────────────────────────────────────────────────────────────────────────────────────────

/** The parts of a matched cell that differ. A key is present only when that part differs. */
export interface CellChanges {
  source?: TextDiff;
  outputs?: OutputsDiff;
  metadata?: JsonOp[];
  execution_count?: ValueChange<number | null>;
  /** Ops on the attachments object (payloads appear as values; renderers summarize them). */
  attachments?: JsonOp[];
  id?: ValueChange<string | null>;
  cell_type?: ValueChange<CellType>;
  /** Keys outside nbformat's schema. */
  other?: JsonOp[];
}

export type CellStatus = 'unchanged' | 'added' | 'removed' | 'modified';

/** How a cell pair was matched: by id, by identical content, or by similar content. */
export type MatchKind = 'id' | 'identical' | 'similar';

export type CellEntry =
  | {
      status: 'unchanged';
      base: number;
      head: number;
      moved: boolean;
      match: MatchKind;
      cell_type: CellType;
      /** For moved cells: the first non-blank line of the source, so a reader can tell which cell moved. */
      preview?: string;
      /** Invisible differences only (see OutputEntry); absent when the cells are equal. */
      changes?: CellChanges;
    }
  | {
      status: 'modified';
      base: number;
      head: number;
      moved: boolean;
      match: MatchKind;
      cell_type: CellType;
      changes: CellChanges;
      /** For moved cells: the first non-blank line of the source (see the unchanged entry). */
      preview?: string;
      /** Only execution counts changed (and outputs invisibly): the cell was re-run, nothing more. */
      rerunOnly: boolean;
      /** Source changed but outputs and execution count did not: the saved outputs are likely stale. */
      staleOutputs: boolean;
      /** Source similarity in [0, 1] for pairs matched by similarity. */
      similarity?: number;
    }
  | { status: 'added'; base: null; head: number; moved: false; cell_type: CellType; cell: Cell }
  | { status: 'removed'; base: number; head: null; moved: false; cell_type: CellType; cell: Cell };

// ─── The notebook diff ────────────────────────────────────────────────────────────────────────────────

export interface NotebookChanges {
  nbformat?: ValueChange<[number, number]>;
  metadata?: JsonOp[];
  other?: JsonOp[];
}

export interface DiffSummary {
  added: number;
  removed: number;
  /** Modified cells, including re-run-only ones. */
  modified: number;
  /** Modified cells whose only change is the execution count (outputs unchanged or invisibly so). */
  rerunOnly: number;
  unchanged: number;
  /** Matched cells at another place (counted also as modified or unchanged). */
  moved: number;
  /** Outputs added, removed or modified across all matched cells. */
  outputsChanged: number;
  /** Of those, images whose pixels changed (beyond tolerance). */
  imagesChanged: number;
  /** Modified cells flagged `staleOutputs`. */
  staleOutputs: number;
}

/** Part of the notebook left out of the comparison on request (see DiffOptions). */
export type Ignored = 'outputs' | 'metadata' | 'execution_count' | 'id' | 'whitespace' | `path:${string}`;

export const DIFF_FORMAT = 'cellwise-diff';
export const DIFF_FORMAT_VERSION = 1;

export interface NotebookDiff {
  format: typeof DIFF_FORMAT;
  version: typeof DIFF_FORMAT_VERSION;
  /** True when anything differs (significantly). `cellwise diff` exits 1 exactly then. */
  changed: boolean;
  base: NotebookInfo;
  head: NotebookInfo;
  /** What was left out of the comparison; when non-empty, applying the diff may not rebuild head. */
  ignored: Ignored[];
  notebook: NotebookChanges;
  cells: CellEntry[];
  summary: DiffSummary;
  warnings: Warning[];
}

export interface NotebookInfo {
  /** A name for display (file path, `a/x.ipynb`, …), as given by the caller. */
  name?: string;
  /** nbformat version as written in the file, before any upconversion. */
  nbformat: [number, number];
  cells: number;
  /** The kernel language from metadata, for syntax highlighting. */
  language?: string;
}
