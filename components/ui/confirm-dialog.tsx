'use client';

import { Dialog, DialogPanel, DialogTitle, Description } from '@headlessui/react';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { Button } from './button';

/**
 * An irreversible action asks first. The trigger opens an accessible modal dialog (focus moved into it and kept
 * there, Escape and Cancel close it, focus back on the trigger) that says what will happen; its confirm button
 * submits the caller's form (`formId`), so the form's own action, hidden fields and handlers run unchanged.
 * Cancel has the focus first: Enter on an opened dialog never destroys anything.
 */
export function ConfirmDialog({
  formId,
  triggerLabel,
  title,
  children,
  confirmLabel,
  name,
  value,
  disabled,
  triggerVariant = 'danger',
}: {
  formId: string;
  triggerLabel: string;
  title: string;
  /** What will happen, in plain words. */
  children: React.ReactNode;
  confirmLabel: string;
  /** Sent with the form as the confirm button's own field (like a submit button's name and value). */
  name?: string;
  value?: string;
  disabled?: boolean;
  triggerVariant?: 'danger' | 'secondary';
}) {
  const [open, setOpen] = useState(false);
  const t = useTranslations('common.confirm');
  return (
    <>
      <Button type="button" variant={triggerVariant} disabled={disabled} onClick={() => setOpen(true)}>
        {triggerLabel}
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} className="fixed inset-0 z-50">
        {/* Black, which the dark theme keeps as it is: the backdrop darkens the page in both schemes. */}
        <div className="fixed inset-0 bg-black/50" aria-hidden="true" />
        <div className="fixed inset-0 flex items-center justify-center p-4">
          <DialogPanel className="flex w-full max-w-md flex-col gap-4 rounded-lg bg-white p-6 shadow-xl">
            <DialogTitle className="text-lg font-bold text-slate-950">{title}</DialogTitle>
            <Description as="div" className="flex flex-col gap-2 text-sm text-slate-800">
              {children}
            </Description>
            <div className="flex flex-wrap justify-end gap-3">
              <Button type="button" variant="secondary" autoFocus onClick={() => setOpen(false)}>
                {t('cancel')}
              </Button>
              <Button
                type="submit"
                form={formId}
                name={name}
                value={value}
                variant="danger"
                onClick={(event) => {
                  // Closing unmounts this button before the browser's own submit would run (React applies the
                  // state change within the click), and a detached button submits nothing: submit first, as
                  // this button (its name and value go with the form), then close.
                  event.preventDefault();
                  const form = document.getElementById(formId);
                  if (form instanceof HTMLFormElement) form.requestSubmit(event.currentTarget);
                  setOpen(false);
                }}
              >
                {confirmLabel}
              </Button>
            </div>
          </DialogPanel>
        </div>
      </Dialog>
    </>
  );
}
