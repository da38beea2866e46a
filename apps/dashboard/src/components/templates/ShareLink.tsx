'use client';
import { Check, Share2 } from 'lucide-react';
import { useState } from 'react';

/** The template's share link (its canonical URL tagged `ref=share`), copied on click and shown for copying by hand. */
export function ShareLink({ url }: { url: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };
  return (
    <div className="share">
      <button type="button" className="btn" onClick={() => void copy()} data-testid="share">
        {copied ? <Check size={14} aria-hidden /> : <Share2 size={14} aria-hidden />} {copied ? 'Link copied' : 'Share'}
      </button>
      <input className="input small" readOnly value={url} aria-label="Share link" onFocus={(e) => e.target.select()} data-testid="share-url" />
    </div>
  );
}
