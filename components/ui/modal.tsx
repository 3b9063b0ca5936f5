'use client';

import { useEffect, useId, useRef, type ReactNode } from 'react';

/**
 * A modal dialog on the browser's own <dialog> (showModal): the rest of the page is inert, Escape asks to close,
 * focus goes to the element marked `data-autofocus` (else the first control) and back where it was on close. No
 * library: Headless UI's Dialog cost every portal page 20 KB of first-load JavaScript (gzip) for the idle warning
 * alone. The content is rendered only while open, as before. `title` names the dialog; `description` (optional)
 * describes it.
 */
export function Modal({
  open,
  onClose,
  title,
  description,
  children,
  role,
  className = 'max-w-md gap-4 p-6',
}: {
  open: boolean;
  /** Escape, a click on the backdrop: the caller decides (its state closes the dialog). */
  onClose: () => void;
  title: ReactNode;
  description?: ReactNode;
  children?: ReactNode;
  role?: 'alertdialog';
  /** The panel's width, padding and gap. */
  className?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();
  const onCloseRef = useRef(onClose);
  useEffect(() => {
    onCloseRef.current = onClose;
  });

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal();
      // React's autoFocus runs before the dialog shows and so misses; the attribute says where focus starts.
      (dialog.querySelector<HTMLElement>('[data-autofocus]') ?? dialog.querySelector<HTMLElement>('button, input, select, textarea, a[href]'))?.focus();
    } else if (!open && dialog.open) dialog.close();
  }, [open]);

  // Closed by the browser itself (a second Escape may close without asking): tell the caller.
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const closed = () => {
      if (open) onCloseRef.current();
    };
    dialog.addEventListener('close', closed);
    return () => dialog.removeEventListener('close', closed);
  }, [open]);

  return (
    <dialog
      ref={ref}
      role={role}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      onClick={(event) => {
        // A click on the backdrop lands on the dialog itself, outside its box.
        if (event.target !== event.currentTarget) return;
        const box = event.currentTarget.getBoundingClientRect();
        const inside = event.clientX >= box.left && event.clientX <= box.right && event.clientY >= box.top && event.clientY <= box.bottom;
        if (!inside) onClose();
      }}
      // Black backdrop, which the dark theme keeps as it is: it darkens the page in both schemes.
      className={`m-auto max-h-[calc(100%-2rem)] w-[calc(100%-2rem)] flex-col overflow-y-auto rounded-lg bg-white text-slate-900 shadow-xl backdrop:bg-black/50 open:flex ${className}`}
    >
      {open ? (
        <>
          <h2 id={titleId} className="text-lg font-bold text-slate-950">
            {title}
          </h2>
          {description ? (
            <div id={descriptionId} className="flex flex-col gap-2 text-sm text-slate-800">
              {description}
            </div>
          ) : null}
          {children}
        </>
      ) : null}
    </dialog>
  );
}
