import type { Metadata, Viewport } from 'next';
import { ReturnAfterSignIn } from '@weft/ui/return-after-sign-in';
import { THEME_SCRIPT } from '@weft/ui/theme';
import type { ReactNode } from 'react';
import '@xyflow/react/dist/style.css';
import '@weft/ui/styles.css';
import './editor.css';
import './nodes.css';

export const metadata: Metadata = {
  title: { default: 'Weft Studio', template: '%s · Weft Studio' },
  description: 'Design, publish and run Weft workflows.',
};

export const viewport: Viewport = { colorScheme: 'light dark' };


export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
      </head>
      <body>
        {/* After a sign-in a dashboard page asked for (installing a template), back to that page. */}
        <ReturnAfterSignIn />
        {children}
      </body>
    </html>
  );
}
