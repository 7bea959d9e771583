/**
 * Focus handling of a modal dialog: focus moves in when it opens, Tab and Shift+Tab
 * cycle inside it, Escape closes it, and focus goes back to the control that opened it.
 */
import { useLayoutEffect, useRef, type RefObject } from 'react';

const FOCUSABLE = [
  'a[href]', 'button:not([disabled])', 'input:not([disabled]):not([type="hidden"])', 'select:not([disabled])',
  'textarea:not([disabled])', '[tabindex]:not([tabindex="-1"])',
].join(', ');

/** The elements Tab can reach inside `container`, in order. */
export function focusableIn(container: HTMLElement): HTMLElement[] {
  return [...container.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => !el.closest('[inert]') && !el.hidden);
}

/** Whether `el` can take focus now (attached, not disabled, not hidden). */
function canFocus(el: Element | null): el is HTMLElement {
  return el instanceof HTMLElement && el.isConnected && !(el as HTMLButtonElement).disabled && !el.closest('[inert], [hidden]');
}

/**
 * Where focus goes back to when the dialog closes: the opener if it can still take it,
 * else the control re-rendered in its place, else its nearest focusable ancestor (the table row of a button that became disabled),
 * else the main content.
 */
export function returnTarget(opener: Element | null): HTMLElement | null {
  if (canFocus(opener)) return opener;
  const twin = twinOf(opener);
  if (twin) return twin;
  let el = opener?.isConnected ? opener.parentElement : null;
  while (el) {
    if (el.matches('[tabindex]') && canFocus(el)) return el;
    el = el.parentElement;
  }
  return document.getElementById('main-content');
}

/**
 * The control rendered in a detached opener's place: a list read again while the dialog
 * was open renders a new button with the same id or accessible name.
 */
function twinOf(opener: Element | null): HTMLElement | null {
  if (!opener || opener.isConnected) return null;
  const id = opener.id;
  const label = opener.getAttribute('aria-label');
  if (!id && !label) return null;
  // Compared as strings, not built into a selector: names hold quotes and slashes.
  const twin = [...document.querySelectorAll(opener.tagName)]
    .find((el) => (id ? el.id === id : el.getAttribute('aria-label') === label));
  return canFocus(twin ?? null) ? twin as HTMLElement : null;
}

/** How long focus waits for a re-read list to render the opener's twin. */
const TWIN_WAIT_MS = 3000;

/**
 * Gives focus back after the dialog closed. When the opener is gone and its list is still
 * being read again, focus waits on the fallback and moves to the twin once it appears,
 * unless the user has moved it meanwhile.
 */
function giveFocusBack(opener: Element | null): void {
  const target = returnTarget(opener);
  target?.focus();
  if (!opener || opener.isConnected || target === twinOf(opener) || (!opener.id && !opener.getAttribute('aria-label'))) return;
  const observer = new MutationObserver(() => {
    if (document.activeElement !== target && document.activeElement !== document.body) { observer.disconnect(); return; }
    const twin = twinOf(opener);
    if (twin) { observer.disconnect(); twin.focus(); }
  });
  observer.observe(document.body, { childList: true, subtree: true });
  setTimeout(() => observer.disconnect(), TWIN_WAIT_MS);
}

/**
 * Traps focus in `ref` while mounted. `initial` gets focus first (else the first control);
 * `onEscape` runs on Escape, which is then not seen by other handlers (the file panel
 * closes on Escape too, and must stay open under a dialog).
 */
export function useModalFocus(ref: RefObject<HTMLElement | null>, onEscape: () => void, initial?: RefObject<HTMLElement | null>): void {
  const escape = useRef(onEscape);
  escape.current = onEscape;
  // Kept across React's StrictMode re-run of the effect, which must not take the dialog's
  // own Cancel button for the opener.
  const openerRef = useRef<Element | null | undefined>(undefined);
  // A layout effect: focus is inside before the dialog is painted, so keys typed at once land in it.
  useLayoutEffect(() => {
    const container = ref.current;
    if (!container) return undefined;
    if (openerRef.current === undefined) openerRef.current = document.activeElement;
    const opener = openerRef.current;
    (initial?.current ?? focusableIn(container)[0] ?? container).focus();
    const onKey = (event: KeyboardEvent): void => {
      if (event.key === 'Escape') {
        event.preventDefault();
        event.stopPropagation();
        escape.current();
        return;
      }
      if (event.key !== 'Tab') return;
      const items = focusableIn(container);
      if (items.length === 0) { event.preventDefault(); container.focus(); return; }
      const first = items[0]!;
      const last = items.at(-1)!;
      const active = document.activeElement;
      const inside = active instanceof Node && container.contains(active);
      if (event.shiftKey && (active === first || !inside)) { event.preventDefault(); last.focus(); }
      else if (!event.shiftKey && (active === last || !inside)) { event.preventDefault(); first.focus(); }
    };
    // Focus that lands outside (a click on the backdrop, a script) is brought back.
    const onFocusIn = (event: FocusEvent): void => {
      if (event.target instanceof Node && !container.contains(event.target)) (focusableIn(container)[0] ?? container).focus();
    };
    // Capture, so the dialog sees Escape and Tab before any handler of the page below it.
    document.addEventListener('keydown', onKey, true);
    document.addEventListener('focusin', onFocusIn);
    return () => {
      document.removeEventListener('keydown', onKey, true);
      document.removeEventListener('focusin', onFocusIn);
      // After React has committed the close: the opener may just have been re-rendered.
      queueMicrotask(() => {
        // Still mounted: the effect only ran again (StrictMode), the dialog did not close.
        if (container.isConnected) return;
        const active = document.activeElement;
        if (active && active !== document.body && !container.contains(active) && active.isConnected) return;
        giveFocusBack(opener);
      });
    };
  }, [ref, initial]);
}
