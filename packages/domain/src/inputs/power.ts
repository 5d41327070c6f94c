import { z } from 'zod';
import { unstorableText } from './common.js';
import type { PowerType } from '../values/architecture.js';
import { POWER_PARAMETER_SCHEMAS } from '../values/power-parameters.js';

export const MAX_POWER_PARAMETERS = 32;

/** BMC parameters: string values under identifier keys (`address`, `username`, `password`, `cipherSuite`). */
export const powerParametersSchema = z
  .record(
    z
      .string()
      .regex(
        /^[a-z][a-zA-Z0-9_]{0,63}$/,
        'keys are identifiers starting with a lowercase letter, such as address, username, password, cipherSuite',
      ),
    z
      .string({ error: 'values must be strings' })
      .max(1024, 'values must be at most 1024 characters')
      .refine((value) => unstorableText(value) === null, 'values must not contain NUL characters or lone surrogates'),
    // A bad key is reported as the record's own `invalid_key` issue: give it the key schema's message.
    { error: (issue) => (issue.code === 'invalid_key' ? issue.issues[0]?.message : 'must be an object of string values') },
  )
  .refine((record) => Object.keys(record).length <= MAX_POWER_PARAMETERS, `may hold at most ${MAX_POWER_PARAMETERS} parameters`);
export type PowerParameters = z.infer<typeof powerParametersSchema>;

/**
 * The power types that have a driver validate their parameters with the driver's own schema (a 400
 * naming the field at enlist and update time); `manual`, `amt` and `virsh` keep any string map.
 */
/** `powerParameters.<field>: <message>` for each problem the type's driver finds; none when it takes them. */
export function powerParameterProblems(powerType: PowerType, parameters: PowerParameters): string[] {
  if (powerType !== 'ipmi' && powerType !== 'redfish' && powerType !== 'webhook') return [];
  const result = POWER_PARAMETER_SCHEMAS[powerType].safeParse(parameters);
  return result.success
    ? []
    : result.error.issues.map((issue) => `powerParameters${issue.path.map((key) => `.${String(key)}`).join('')}: ${issue.message}`);
}

export function checkPowerParameters(
  powerType: PowerType,
  parameters: PowerParameters,
  ctx: z.RefinementCtx,
  path: PropertyKey[] = ['powerParameters'],
): void {
  if (powerType !== 'ipmi' && powerType !== 'redfish' && powerType !== 'webhook') return;
  const result = POWER_PARAMETER_SCHEMAS[powerType].safeParse(parameters);
  if (result.success) return;
  for (const issue of result.error.issues) ctx.addIssue({ code: 'custom', path: [...path, ...issue.path], message: issue.message });
}
