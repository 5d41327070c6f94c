/**
 * The programs ipmi_sim runs for `chassis_control`. ipmi_sim calls `<program> get power` (answer
 * `power:1` or `power:0`), `get boot` (`boot:pxe`), `set power 1|0`, `set shutdown 1` (ACPI soft off),
 * `set reset 1` (a reset pulse), `set boot none|pxe|default|cdrom|bios` (`default` is ipmitool's
 * `disk`: "force boot from default hard drive"), `set identify <interval> <force>`. Output of `set` is
 * empty on success; an error message and a non-zero exit make ipmi_sim answer "Unspecified error".
 */

const quote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

/** A chassis whose state is two files beside the script, each replaced at once: `power` (1/0) and `boot`. Soft off is immediate. */
export function builtInChassisScript(): string {
  return `#!/bin/sh
dir=$(dirname "$0")
# Replace a state file at once, so a reader never sees it half written.
put() { echo "$2" > "$dir/$1.$$" && mv "$dir/$1.$$" "$dir/$1"; }
op=$1
shift
case "$op" in
  get)
    for parm in "$@"; do
      case "$parm" in
        power) echo "power:$(cat "$dir/power")" ;;
        boot) echo "boot:$(cat "$dir/boot")" ;;
        *) echo "Invalid parameter: $parm"; exit 1 ;;
      esac
    done
    ;;
  set)
    while [ $# -ge 2 ]; do
      parm=$1
      val=$(printf '%s' "$2" | tr -d '"')
      shift 2
      case "$parm" in
        power) put power "$val" ;;
        shutdown) if [ "$val" = 1 ]; then put power 0; fi ;;
        reset) ;;
        boot)
          case "$val" in
            none|pxe|default|cdrom|bios) put boot "$val" ;;
            *) echo "Invalid boot value: $val"; exit 1 ;;
          esac
          ;;
        identify) [ $# -ge 1 ] && shift ;;
        *) echo "Invalid parameter: $parm"; exit 1 ;;
      esac
    done
    ;;
  *) echo "Unknown operation: $op"; exit 1 ;;
esac
`;
}

/** What ipmi_sim runs: records the request on one line of `log`, then hands it to `backend`. */
export function recordingWrapperScript(log: string, backend: string): string {
  return `#!/bin/sh
printf '%s\\n' "$*" >> ${quote(log)}
exec ${quote(backend)} "$@"
`;
}
