'use client';
import { Share2 } from 'lucide-react';
import { useState } from 'react';
import { PublishTemplateDialog } from './PublishTemplateDialog';

/** The workflow panel's way to share the workflow in the public gallery. */
export function TemplateSection() {
  const [open, setOpen] = useState(false);
  return (
    <section aria-label="Template" data-testid="template-section">
      <h3 className="section-title">Template</h3>
      <p className="muted small">Share this workflow in the public gallery: checked for leaked credentials, reviewed by a moderator.</p>
      <button type="button" className="btn btn-sm" onClick={() => setOpen(true)} data-testid="publish-template">
        <Share2 size={14} aria-hidden /> Publish as template…
      </button>
      <PublishTemplateDialog open={open} onClose={() => setOpen(false)} />
    </section>
  );
}
