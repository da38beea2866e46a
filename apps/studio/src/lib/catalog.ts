import type { Catalog } from './types';
import { api } from './api';

let pending: Promise<Catalog> | null = null;

/** The node catalog (`GET /v1/catalog/nodes`) by type; fetched once per page load. */
export function loadCatalog(): Promise<Catalog> {
  pending ??= api.catalogNodes().then(
    (list) => Object.fromEntries(list.map((e) => [e.type, e])),
    (err: unknown) => {
      pending = null;
      throw err;
    },
  );
  return pending;
}
