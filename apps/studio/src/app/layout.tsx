import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import '@xyflow/react/dist/style.css';
import './globals.css';
import './editor.css';
import './nodes.css';

export const metadata: Metadata = {
  title: { default: 'Weft Studio', template: '%s · Weft Studio' },
  description: 'Design, publish and run Weft workflows.',
};

export const viewport: Viewport = { colorScheme: 'light dark' };

// Sets the theme before the first paint so that a dark-mode user never sees a light flash.
const THEME_SCRIPT = `try{var t=localStorage.getItem('weft-theme');if(t!=='light'&&t!=='dark')t=matchMedia('(prefers-color-scheme: dark)').matches?'dark':'light';document.documentElement.dataset.theme=t}catch(e){document.documentElement.dataset.theme='light'}`;

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
      </head>
      <body>{children}</body>
    </html>
  );
}
