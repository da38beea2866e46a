'use client';
import { useEffect } from 'react';
import { referralSource } from '../../lib/gallery/query';

/**
 * Counts one view of the template page (once per page load, from the browser: server renders and
 * link prefetches do not count). Only the referral source is sent: our `ref` tag, an outside
 * site's host, or direct; nothing about the visitor.
 */
export function ViewBeacon({ slug }: { slug: string }) {
  useEffect(() => {
    const source = referralSource(new URLSearchParams(window.location.search).get('ref'), document.referrer, window.location.hostname);
    void fetch(`/api/weft/v1/templates/${encodeURIComponent(slug)}/views`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ source }) }).catch(() => undefined);
  }, [slug]);
  return null;
}
