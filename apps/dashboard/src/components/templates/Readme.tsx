import Markdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';

/**
 * A creator's readme, rendered from Markdown safely: react-markdown builds React elements (raw HTML
 * in the Markdown is dropped, never injected), its URL filter removes javascript: and other unsafe
 * links, outside links are marked nofollow, and images become links (no tracking pixels, nothing
 * loaded from elsewhere by just opening the page).
 */
const components: Components = {
  a: ({ href, children }) => (
    <a href={href} rel="nofollow ugc noopener noreferrer" target={href?.startsWith('#') ? undefined : '_blank'}>
      {children}
    </a>
  ),
  img: ({ src, alt }) => (typeof src === 'string' && src ? <a href={src} rel="nofollow ugc noopener noreferrer" target="_blank">{alt || 'image'}</a> : <span>{alt}</span>),
  h1: ({ children }) => <h3>{children}</h3>,
  h2: ({ children }) => <h3>{children}</h3>,
};

export function Readme({ markdown }: { markdown: string }) {
  if (!markdown.trim()) return <p className="muted">No readme.</p>;
  return (
    <div className="readme" data-testid="readme">
      <Markdown remarkPlugins={[remarkGfm]} components={components} skipHtml>
        {markdown}
      </Markdown>
    </div>
  );
}
