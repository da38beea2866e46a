'use client';
import { AccountMenu } from '@weft/ui/account-menu';
import { ThemeToggle } from '@weft/ui/theme';
import { ReturnAfterSignIn } from '@weft/ui/return-after-sign-in';
import { Activity, CalendarClock, ChartColumn, CheckSquare, Home, KeyRound, LayoutGrid, Link2, Lock, Webhook, Workflow } from 'lucide-react';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import type { ReactNode } from 'react';
import { isPublicPath } from '../lib/gallery/public-paths';
import { PublicFrame } from './templates/PublicFrame';

const NAV = [
  { href: '/', label: 'Home', Icon: Home },
  { href: '/workflows', label: 'Workflows', Icon: Workflow },
  { href: '/runs', label: 'Runs', Icon: Activity },
  { href: '/approvals', label: 'Approvals', Icon: CheckSquare },
  { href: '/webhooks', label: 'Webhooks', Icon: Webhook },
  { href: '/schedules', label: 'Schedules', Icon: CalendarClock },
  { href: '/usage', label: 'Usage', Icon: ChartColumn },
  { href: '/secrets', label: 'Secrets', Icon: Lock },
  { href: '/connections', label: 'Connections', Icon: Link2 },
  { href: '/api-keys', label: 'API keys', Icon: KeyRound },
  { href: '/templates', label: 'Templates', Icon: LayoutGrid },
];

const active = (path: string, href: string) => (href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`));

/**
 * The frame of every page: the navigation, the account (org switcher, sign out), the theme switch
 * and the page's `<main>`. The sign-in page stands alone (no one is signed in there); the public
 * gallery pages get the public frame (no sidebar, no sign-in needed).
 */
export function Shell({ children }: { children: ReactNode }) {
  const path = usePathname();
  // The sign-in page and an approval link's page stand alone: nobody needs to be signed in there.
  if (path === '/sign-in' || path.startsWith('/approve/')) return children;
  if (isPublicPath(path)) return <PublicFrame>{children}</PublicFrame>;
  return (
    <div className="shell">
      <a href="#main" className="skip-link">Skip to content</a>
      <ReturnAfterSignIn />
      <aside className="sidebar">
        <div className="brand">
          <span className="brand-mark" aria-hidden>W</span> Weft
        </div>
        <nav aria-label="Main">
          <ul>
            {NAV.map(({ href, label, Icon }) => (
              <li key={href}>
                <Link href={href} className="nav-link" aria-current={active(path, href) ? 'page' : undefined}>
                  <Icon size={16} aria-hidden /> {label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="sidebar-foot">
          <AccountMenu />
          <ThemeToggle />
        </div>
      </aside>
      <main id="main" className="page">
        {children}
      </main>
    </div>
  );
}
