/** isObj: the test every reader of an untyped JSON body starts with (pure, no Nest). */
export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
