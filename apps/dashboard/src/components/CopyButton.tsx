'use client';
import { Check, Copy } from 'lucide-react';
import { useState } from 'react';

/** Copies `text` to the clipboard and says so (the text itself is not shown by this button). */
export function CopyButton({ text, label = 'Copy', testId }: { text: string; label?: string; testId?: string }) {
  const [copied, setCopied] = useState<boolean | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };
  return (
    <>
      <button type="button" className="btn btn-sm" onClick={() => void copy()} data-testid={testId}>
        {copied ? <Check size={14} aria-hidden /> : <Copy size={14} aria-hidden />} {copied ? 'Copied' : label}
      </button>
      <span className="sr-only" aria-live="polite">{copied === true ? 'Copied to the clipboard' : copied === false ? 'Copy failed: select the text and copy it' : ''}</span>
    </>
  );
}
