// A link inside the app: a real <a href> (open in a new tab, copy the address) that navigates
// through the history API on a plain click instead of reloading the page.
import type { AnchorHTMLAttributes } from 'react';
import { navigate } from '../app/router.ts';

export function AppLink({ href, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  return (
    <a
      href={href}
      {...rest}
      onClick={(e) => {
        onClick?.(e);
        if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        navigate(href);
      }}
    />
  );
}
