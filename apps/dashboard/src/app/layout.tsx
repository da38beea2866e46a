import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { THEME_SCRIPT } from '@weft/ui/theme';
import '@weft/ui/styles.css';
import './dashboard.css';
import { Shell } from '../components/Shell';

export const metadata: Metadata = {
  title: { default: 'Weft Dashboard', template: '%s · Weft Dashboard' },
  description: 'Operate Weft workflows: runs, failures, approvals.',
};

export const viewport: Viewport = { colorScheme: 'light dark' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
      </head>
      <body>
        <Shell>{children}</Shell>
      </body>
    </html>
  );
}
