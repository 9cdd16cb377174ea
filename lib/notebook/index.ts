/** Reading and writing .ipynb files: bytes → typed, normalized Notebook → bytes as Jupyter writes them. */
export { NotebookError } from './errors.js';
export { parseNotebook, NBFORMAT_MINOR, type ParsedNotebook } from './parse.js';
export { serializeNotebook } from './serialize.js';
export { isJsonMime } from './outputs.js';
export { emptyNotebook } from './empty.js';
