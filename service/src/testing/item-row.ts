import type { ItemRow } from '../dsr/dsr-store.js';

/** A planned item of a request as the DSR store returns it: nothing done, nothing held, unless `p` says so. */
export const itemRow = (p: Partial<ItemRow> & Pick<ItemRow, 'item' | 'resource' | 'action'>): ItemRow => ({
  requestId: 'r',
  pass: 1,
  resourceId: null,
  fields: [],
  fingerprints: {},
  hold: null,
  until: null,
  doneAt: null,
  result: null,
  releasedPass: null,
  ...p,
});
