'use client';
import { LogIn, Mail, Workflow as WorkflowIcon } from 'lucide-react';
import { useEffect, useState, type FormEvent } from 'react';

const ERRORS: Record<string, string> = {
  invalid_link: 'That sign-in link was already used or has expired. Ask for a new one.',
  github_state: 'The GitHub sign-in could not be verified. Try again.',
  github_denied: 'GitHub sign-in was cancelled.',
  github_failed: 'GitHub did not confirm the sign-in. Try again.',
  github_no_verified_email: 'Your GitHub account has no verified primary email.',
};

type Step = { state: 'form' } | { state: 'sending' } | { state: 'sent'; email: string } | { state: 'error'; message: string };

export function SignInForm({ error, devMailboxUrl, product }: { error?: string | undefined; devMailboxUrl?: string | undefined; product: string }) {
  const [email, setEmail] = useState('');
  const [step, setStep] = useState<Step>({ state: 'form' });
  const [github, setGithub] = useState(false);
  useEffect(() => {
    fetch('/api/weft/v1/auth/providers')
      .then((r) => r.json() as Promise<{ github: boolean }>)
      .then((p) => setGithub(p.github), () => undefined);
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setStep({ state: 'sending' });
    const r = await fetch('/api/weft/v1/auth/magic-link', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email }) }).catch(() => undefined);
    if (r?.status === 202) return setStep({ state: 'sent', email });
    const problem = r ? ((await r.json().catch(() => ({}))) as { detail?: string }) : {};
    setStep({ state: 'error', message: problem.detail ?? 'The sign-in link could not be sent. Try again.' });
  };

  return (
    <main className="sign-in">
      <div className="card sign-in-card">
        <div className="brand">
          <WorkflowIcon size={20} aria-hidden /> {product}
        </div>
        <h1>Sign in</h1>
        {error && <p className="sign-in-error" role="alert">{ERRORS[error] ?? 'The sign-in did not work. Try again.'}</p>}
        {step.state === 'sent' ? (
          <div data-testid="check-mailbox">
            <p>
              <Mail size={16} aria-hidden /> Check your mailbox: a sign-in link is on its way to <b>{step.email}</b>. It works once, for 15 minutes.
            </p>
            {devMailboxUrl && (
              <p className="muted">
                Development: no email is sent, open the <a href={devMailboxUrl} data-testid="dev-mailbox-link">development mailbox</a>.
              </p>
            )}
          </div>
        ) : (
          <form onSubmit={(e) => void submit(e)}>
            <label className="field">
              <span className="field-label">Email</span>
              <input type="email" required autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} data-testid="sign-in-email" />
            </label>
            {step.state === 'error' && <p className="sign-in-error" role="alert">{step.message}</p>}
            <button type="submit" className="btn btn-primary" disabled={step.state === 'sending'} data-testid="sign-in-submit">
              Email me a sign-in link
            </button>
          </form>
        )}
        {github && (
          <a className="btn" href="/api/weft/v1/auth/github" data-testid="sign-in-github">
            <LogIn size={14} /> Sign in with GitHub
          </a>
        )}
      </div>
    </main>
  );
}
