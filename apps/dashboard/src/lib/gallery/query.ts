import { GALLERY_SORTS, type GallerySort } from '@weft/workflow-schema';

/** The gallery's filters as they stand in its URL (`/templates?q=&tag=&category=&integration=&sort=&cursor=`). */
export interface GalleryParams {
  q?: string;
  tag?: string;
  category?: string;
  integration?: string;
  sort?: GallerySort;
  cursor?: string;
}

const KEYS = ['q', 'tag', 'category', 'integration', 'sort', 'cursor'] as const;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() || undefined;

/** The filters of a page request's search params: blanks dropped, an unknown sort ignored. */
export function galleryParams(search: Record<string, string | string[] | undefined>): GalleryParams {
  const out: GalleryParams = {};
  for (const k of KEYS) {
    const v = one(search[k]);
    if (v === undefined) continue;
    if (k === 'sort') {
      if ((GALLERY_SORTS as readonly string[]).includes(v)) out.sort = v as GallerySort;
    } else out[k] = v;
  }
  return out;
}

/** The gallery URL for `params` (a new filter starts from the first page: no cursor unless given). */
export function galleryHref(params: GalleryParams): string {
  const s = new URLSearchParams();
  for (const k of KEYS) {
    const v = params[k];
    if (v) s.set(k, v);
  }
  const q = s.toString();
  return q ? `/templates?${q}` : '/templates';
}

/** Where a visitor came from, as counted (no personal data): our own `ref` tag, else an outside site's host, else direct. */
export function referralSource(ref: string | null | undefined, referrer: string | null | undefined, ownHost: string): string {
  const tag = ref?.toLowerCase();
  if (tag && /^[a-z0-9.-]{1,100}$/.test(tag)) return tag;
  if (referrer) {
    try {
      const host = new URL(referrer).hostname.toLowerCase();
      if (host && host !== ownHost.toLowerCase() && /^[a-z0-9.-]{1,100}$/.test(host)) return host;
    } catch {
      // not a URL: direct
    }
  }
  return 'direct';
}
