import { SignInForm } from '@weft/ui/sign-in-form';
import { env } from '../../env';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Sign in' };

/** The sign-in page, the studio's flow (@weft/ui/sign-in-form): email (magic link) and, when configured, GitHub. */
export default async function SignInPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const { error } = await searchParams;
  return <SignInForm product="Weft Dashboard" error={error} devMailboxUrl={env().WEFT_DEV_MAILBOX_URL} />;
}
