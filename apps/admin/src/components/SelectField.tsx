import { useId } from 'react';

/**
 * A labelled drop-down of `choices`, each shown as itself. `none` adds a first choice with the value ''
 * under that caption: give it only when '' is one of the values `T` allows.
 */
export function SelectField<T extends string>({
  label,
  value,
  choices,
  onChange,
  none,
  caption,
}: {
  label: string;
  value: T;
  choices: readonly T[];
  onChange(value: NoInfer<T>): void;
  none?: string;
  /** What each choice is shown as (default: itself). */
  caption?(value: T): string;
}) {
  const id = useId();
  // The label points at the select rather than wrapping it, so that its name is the label alone.
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value as T)}>
        {none !== undefined && <option value="">{none}</option>}
        {choices.map((name) => (
          <option key={name} value={name}>
            {caption ? caption(name) : name}
          </option>
        ))}
      </select>
    </div>
  );
}
