import { useId, type ReactNode } from 'react';
import { FieldError } from './FieldError.js';

interface TextFieldProps {
  label: string;
  value: string;
  onChange(value: string): void;
  /** The server's (or the form's own) messages about this field. */
  errors?: string[];
  hint?: ReactNode;
  type?: 'text' | 'password' | 'number' | 'datetime-local' | 'search';
  autoFocus?: boolean;
  autoComplete?: string;
  placeholder?: string;
  required?: boolean;
  mono?: boolean;
  multiline?: boolean;
  maxLength?: number;
}

/** A labelled input (or textarea) with its hint and its errors, both tied to it for screen readers. */
export function TextField({ label, value, onChange, errors = [], hint, type = 'text', multiline, mono, ...rest }: TextFieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : '', errors.length ? errorId : ''].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    value,
    'aria-invalid': errors.length > 0,
    'aria-describedby': describedBy,
    className: mono ? 'mono' : undefined,
    spellCheck: false,
    ...rest,
  };
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {multiline ? (
        <textarea rows={2} {...common} onChange={(event) => onChange(event.target.value)} />
      ) : (
        <input type={type} {...common} onChange={(event) => onChange(event.target.value)} />
      )}
      {hint && (
        <span className="hint field-hint" id={hintId}>
          {hint}
        </span>
      )}
      <FieldError id={errorId} messages={errors} />
    </div>
  );
}
