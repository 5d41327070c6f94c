import { TextField } from '../../components/TextField.js';

export const MIN_PASSWORD = 12;

/** What is wrong with a new password and its repetition before sending it, or null. */
export function passwordProblem(password: string, repeat: string): string | null {
  if (password.length < MIN_PASSWORD) return `must be at least ${MIN_PASSWORD} characters`;
  if (password !== repeat) return 'the two passwords differ';
  return null;
}

interface PasswordFieldsProps {
  password: string;
  repeat: string;
  onPassword(value: string): void;
  onRepeat(value: string): void;
  /** The server's messages about the password. */
  errors: string[];
  /** Show the local problem (once the user tried to submit). */
  checked: boolean;
  autoFocus?: boolean;
}

/** A new password typed twice; the mismatch or shortness is said under the field it concerns. */
export function PasswordFields({ password, repeat, onPassword, onRepeat, errors, checked, autoFocus }: PasswordFieldsProps) {
  const problem = checked ? passwordProblem(password, repeat) : null;
  const mismatch = problem === 'the two passwords differ';
  return (
    <>
      <TextField
        label="Password"
        type="password"
        autoComplete="new-password"
        value={password}
        onChange={onPassword}
        autoFocus={autoFocus}
        hint={`At least ${MIN_PASSWORD} characters; a passphrase is easiest to remember.`}
        errors={[...(problem && !mismatch ? [problem] : []), ...errors]}
      />
      <TextField
        label="Repeat the password"
        type="password"
        autoComplete="new-password"
        value={repeat}
        onChange={onRepeat}
        errors={mismatch ? [problem] : []}
      />
    </>
  );
}
