'use client';
import { useEffect } from 'react';
import { currentSession } from './session';
import { RETURN_COOKIE, clearReturnUrl, takeReturnUrl } from './return-to';

/** Mounted in a signed-in app's frame: after a sign-in that a page asked for (signInAndReturn), goes back to that page once. */
export function ReturnAfterSignIn() {
  useEffect(() => {
    if (!document.cookie.includes(`${RETURN_COOKIE}=`)) return;
    void currentSession().then((me) => {
      if (!me?.user) return;
      const url = takeReturnUrl(document.cookie, new URL(window.location.href));
      clearReturnUrl();
      if (url) window.location.assign(url);
    });
  }, []);
  return null;
}
