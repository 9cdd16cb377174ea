/** A failure the user can act on: printed as one line (no stack trace), exit status 2. */
export class UsageError extends Error {}

export const EXIT = { same: 0, different: 1, error: 2 } as const;
