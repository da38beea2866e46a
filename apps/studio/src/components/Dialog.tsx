'use client';
import { X } from 'lucide-react';
import { useEffect, useRef, type ReactNode } from 'react';

interface Props {
  title: string;
  open: boolean;
  onClose(): void;
  children: ReactNode;
  footer?: ReactNode;
  /** A Cancel button (it closes the dialog) before the footer's actions. */
  cancel?: boolean;
  width?: number;
  testId?: string;
}

/** A modal dialog on the native <dialog> element: focus is trapped, Escape closes, focus returns after. */
export function Dialog({ title, open, onClose, children, footer, cancel = false, width = 480, testId }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className="dialog"
      style={{ width }}
      aria-label={title}
      data-testid={testId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onClick={(e) => {
        if (e.target === ref.current) onClose();
      }}
    >
      {open && (
        <div className="dialog-inner">
          <header className="dialog-header">
            <h2>{title}</h2>
            <button type="button" className="icon-btn" onClick={onClose} aria-label="Close">
              <X size={16} />
            </button>
          </header>
          <div className="dialog-body">{children}</div>
          {(footer || cancel) && (
            <footer className="dialog-footer">
              {cancel && (
                <button type="button" className="btn" onClick={onClose}>
                  Cancel
                </button>
              )}
              {footer}
            </footer>
          )}
        </div>
      )}
    </dialog>
  );
}
