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
}: {
  label: string;
  value: T;
  choices: readonly T[];
  onChange(value: NoInfer<T>): void;
  none?: string;
}) {
  return (
    <label className="field">
      <span className="field-label">{label}</span>
      <select value={value} onChange={(event) => onChange(event.target.value as T)}>
        {none !== undefined && <option value="">{none}</option>}
        {choices.map((name) => (
          <option key={name}>{name}</option>
        ))}
      </select>
    </label>
  );
}
