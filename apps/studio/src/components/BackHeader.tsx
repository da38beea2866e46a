'use client';
import { ArrowLeft } from 'lucide-react';
import Link from 'next/link';
import { ThemeToggle } from '@weft/ui/theme';

/** The header of a page under the workflow list (API keys, members): back to the workflows, and the theme. */
export function BackHeader() {
  return (
    <header className="home-header">
      <Link className="brand" href="/">
        <ArrowLeft size={16} aria-hidden /> Workflows
      </Link>
      <ThemeToggle />
    </header>
  );
}
