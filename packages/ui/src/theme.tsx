'use client';
import { Moon, Sun } from 'lucide-react';
import { useSyncExternalStore } from 'react';

export type Theme = 'light' | 'dark';
const listeners = new Set<() => void>();

function read(): Theme {
  return document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light';
}

/** Sets the theme for this page and remembers it. */
export function setTheme(theme: Theme) {
  document.documentElement.dataset.theme = theme;
  try {
    localStorage.setItem('weft-theme', theme);
  } catch {
    /* private mode: the choice lasts for this page only */
  }
  for (const l of listeners) l();
}

/**
 * Sets the theme before the first paint (a dark-mode user never sees a light flash): put it in an
 * inline <script> in the root layout's <head>. It reads the choice `setTheme` remembers.
 */
export const THEME_SCRIPT = `try{var t=localStorage.getItem('weft-theme');if(t!=='light'&&t!=='dark')t=matchMedia('(prefers-color-scheme: dark)').matches?'dark':'light';document.documentElement.dataset.theme=t}catch(e){document.documentElement.dataset.theme='light'}`;

/** The current theme (set before the first paint by THEME_SCRIPT). */
export function useTheme() {
  const theme = useSyncExternalStore(
    (cb) => (listeners.add(cb), () => listeners.delete(cb)),
    read,
    () => 'light' as Theme,
  );
  return { theme, toggle: () => setTheme(theme === 'dark' ? 'light' : 'dark') };
}

export function ThemeToggle() {
  const { theme, toggle } = useTheme();
  const next = theme === 'dark' ? 'light' : 'dark';
  return (
    <button type="button" className="icon-btn" onClick={toggle} aria-label={`Switch to ${next} theme`} title={`Switch to ${next} theme`} data-testid="theme-toggle">
      {theme === 'dark' ? <Sun size={16} /> : <Moon size={16} />}
    </button>
  );
}
