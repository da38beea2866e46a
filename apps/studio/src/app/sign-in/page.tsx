import { env } from '../../env';
import { SignInForm } from '@weft/ui/sign-in-form';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Sign in' };

/** The sign-in page: email (magic link) and, when configured, GitHub. In development it links the gateway's mailbox. */
export default async function SignInPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const { error } = await searchParams;
  return <SignInForm product="Weft Studio" error={error} devMailboxUrl={env().WEFT_DEV_MAILBOX_URL} />;
}
