/**
 * The one error the notebook reader throws: a file Cellwise cannot diff, with where and why, so that the CLI,
 * the GitHub App and the viewer can all show one readable line without knowing how parsing works.
 */
export class NotebookError extends Error {
  constructor(
    /** The file's name as given to the parser. */
    readonly file: string,
    /** JSON path of the offending value in the file as written (e.g. `/cells/3/cell_type`), or '' when the
     * problem is not at one value (bad encoding, bad JSON, a missing top-level key). */
    readonly path: string,
    /** What is wrong, for a person. */
    readonly detail: string,
    /** 1-based line in the file, when known (encoding and JSON syntax errors). */
    readonly line?: number,
    /** 1-based column (in characters) on that line, when known. */
    readonly column?: number,
  ) {
    super(formatMessage(file, path, detail, line, column));
    this.name = 'NotebookError';
  }
}

function formatMessage(file: string, path: string, detail: string, line?: number, column?: number): string {
  const where: string[] = [file];
  if (line !== undefined) where.push(column !== undefined ? `line ${line}, column ${column}` : `line ${line}`);
  if (path !== '') where.push(path);
  return `${where.join(': ')}: ${detail}`;
}
