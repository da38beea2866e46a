import type { Catalog } from './types';
import { api } from './api';

let pending: Promise<Catalog> | null = null;

type CatalogList = Awaited<ReturnType<typeof api.catalogNodes>>;
const byType = (list: CatalogList): Catalog => Object.fromEntries(list.map((e) => [e.type, e]));

/** The node catalog (`GET /v1/catalog/nodes`) by type; fetched once per page load. */
export function loadCatalog(): Promise<Catalog> {
  pending ??= api.catalogNodes().then(byType, (err: unknown) => {
    pending = null;
    throw err;
  });
  return pending;
}

/** The catalog as the page's server fetched it; later `loadCatalog` calls get the same. */
export function catalogFrom(list: CatalogList): Promise<Catalog> {
  pending ??= Promise.resolve(byType(list));
  return pending;
}
