'use client';
import { currentSession } from '@weft/ui/session';
import { ShieldCheck } from 'lucide-react';
import Link from 'next/link';
import { useEffect, useState } from 'react';

/** For platform moderators only (the queue answers 200 to them, 403 to anyone else): a link to the review queue. */
export function ModerationLink() {
  const [moderator, setModerator] = useState(false);
  useEffect(() => {
    let live = true;
    void currentSession().then(async (me) => {
      if (!me?.user) return;
      const r = await fetch('/api/weft/v1/moderation/templates?limit=1', { cache: 'no-store' }).catch(() => undefined);
      if (live && r?.ok) setModerator(true);
    });
    return () => {
      live = false;
    };
  }, []);
  if (!moderator) return null;
  return (
    <Link className="btn" href="/moderation" data-testid="moderation-link">
      <ShieldCheck size={14} aria-hidden /> Review submissions
    </Link>
  );
}
