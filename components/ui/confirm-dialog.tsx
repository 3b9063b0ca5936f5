'use client';

import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { Button } from './button';
import { Modal } from './modal';

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
      <Modal open={open} onClose={() => setOpen(false)} title={title} description={children}>
        <div className="flex flex-wrap justify-end gap-3">
          <Button type="button" variant="secondary" data-autofocus onClick={() => setOpen(false)}>
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
      </Modal>
    </>
  );
}
