/**
 * The shape every value normaliser returns: the stored form of the value, or a sentence a user can act on.
 * Blank input is `{ ok: true, value: null }`, a cleared field.
 */
export type Normalized<T> = { ok: true; value: T } | { ok: false; message: string };

export const blank = { ok: true, value: null } as const;
export const rejected = (message: string) => ({ ok: false, message }) as const;
