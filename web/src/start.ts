// Imported first by main.tsx, so the mark is taken before any other module of the viewer runs.
import { markStart } from './progress.js';

markStart();
