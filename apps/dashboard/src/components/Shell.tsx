'use client';
import { AccountMenu } from '@weft/ui/account-menu';
import { ThemeToggle } from '@weft/ui/theme';
import { Activity, CheckSquare, Home, KeyRound, Lock, Workflow } from 'lucide-react';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import type { ReactNode } from 'react';

const NAV = [
  { href: '/', label: 'Home', Icon: Home },
  { href: '/workflows', label: 'Workflows', Icon: Workflow },
  { href: '/runs', label: 'Runs', Icon: Activity },
  { href: '/approvals', label: 'Approvals', Icon: CheckSquare },
  { href: '/secrets', label: 'Secrets', Icon: Lock },
  { href: '/api-keys', label: 'API keys', Icon: KeyRound },
];

const active = (path: string, href: string) => (href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`));

/**
 * The frame of every page: the navigation, the account (org switcher, sign out), the theme switch
 * and the page's `<main>`. The sign-in page stands alone (no one is signed in there).
 */
export function Shell({ children }: { children: ReactNode }) {
  const path = usePathname();
  if (path === '/sign-in') return children;
  return (
    <div className="shell">
      <a href="#main" className="skip-link">Skip to content</a>
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
