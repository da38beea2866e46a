'use client';
import type { Me } from '@weft/workflow-schema';
import { ReturnAfterSignIn } from '@weft/ui/return-after-sign-in';
import { currentSession } from '@weft/ui/session';
import { ThemeToggle } from '@weft/ui/theme';
import Link from 'next/link';
import { useEffect, useState, type ReactNode } from 'react';

/** The frame of the public gallery pages: brand, the gallery, and sign in or back to the dashboard. */
export function PublicFrame({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | undefined | null>(null);
  useEffect(() => {
    let live = true;
    void currentSession().then((m) => live && setMe(m));
    return () => {
      live = false;
    };
  }, []);
  return (
    <div className="public">
      <a href="#main" className="skip-link">Skip to content</a>
      <ReturnAfterSignIn />
      <header className="public-bar">
        <Link href="/templates" className="brand">
          <span className="brand-mark" aria-hidden>W</span> Weft templates
        </Link>
        <nav aria-label="Account" className="public-bar-end">
          {me === null ? null : me?.user ? (
            <Link href="/" className="btn btn-sm" data-testid="open-dashboard">Open the dashboard</Link>
          ) : (
            <Link href="/sign-in" className="btn btn-sm" data-testid="public-sign-in">Sign in</Link>
          )}
          <ThemeToggle />
        </nav>
      </header>
      <main id="main" className="page public-page">
        {children}
      </main>
    </div>
  );
}
