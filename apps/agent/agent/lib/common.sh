# Logging, configuration, power and the stop signal shared by every step.

# The file that marks the boot environment: only there does the agent power the machine off or write
# to real disks on its own (see power_run and disk_writes_allowed).
BOOT_ENV_MARKER=/etc/metalyard/boot-environment

# Every line the agent prints starts with "metalyard-agent: ", on stderr (the console in the boot
# environment). Never pass a token to log.
log() {
	printf 'metalyard-agent: %s\n' "$*" >&2
}

# Reads one metalyard.* (or BOOTIF) value from the kernel command line.
cmdline_value() {
	local word
	[ -r "$PROC/cmdline" ] || return 0
	# No globbing of the words (a * on the command line must stay a *).
	set -f
	for word in $(cat "$PROC/cmdline"); do
		case "$word" in
		"$1"=*)
			set +f
			printf '%s' "${word#*=}"
			return 0
			;;
		esac
	done
	set +f
}

# BOOTIF=01-aa-bb-cc-dd-ee-ff (iPXE/PXELINUX: hardware type 01, then the MAC) → aa:bb:cc:dd:ee:ff.
bootif_mac() {
	local value
	value=$(printf '%s' "$1" | tr 'A-F' 'a-f' | tr -- '-' ':')
	case "$value" in
	??:??:??:??:??:??:??) value=${value#??:} ;;
	esac
	case "$value" in
	[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]) printf '%s' "$value" ;;
	esac
}

# Settings: environment first (METALYARD_URL, METALYARD_ENV, METALYARD_BOOTIF), then the kernel command
# line (metalyard.url, metalyard.env, BOOTIF).
load_config() {
	PROC=${METALYARD_PROC:-/proc}
	SYS=${METALYARD_SYS:-/sys}
	DEV=${METALYARD_DEV:-/dev}
	RUN=${METALYARD_RUN:-/run/metalyard-agent}
	METALYARD_URL=${METALYARD_URL:-$(cmdline_value metalyard.url)}
	METALYARD_URL=${METALYARD_URL%/}
	AGENT_ENV=${METALYARD_ENV:-$(cmdline_value metalyard.env)}
	BOOTIF=$(bootif_mac "${METALYARD_BOOTIF:-$(cmdline_value BOOTIF)}")
	mkdir -p "$RUN" || {
		log "cannot create $RUN"
		return 1
	}
	rm -f "$RUN/stop" "$RUN/child" "$RUN/phase"
}

in_boot_environment() {
	[ -e "$BOOT_ENV_MARKER" ]
}

# Runs the power-off (or reboot) command: METALYARD_POWEROFF / METALYARD_REBOOT when set, else
# `poweroff -f` / `reboot -f`, but only in the boot environment: anywhere else (a developer's machine,
# a test) without an explicit command the agent refuses, so it can never turn off the wrong machine.
power_run() {
	local what command
	what=$1
	if [ "$what" = reboot ]; then command=${METALYARD_REBOOT:-}; else command=${METALYARD_POWEROFF:-}; fi
	if [ -z "$command" ]; then
		if ! in_boot_environment; then
			log "not in the boot environment ($BOOT_ENV_MARKER missing) and no METALYARD_$(printf '%s' "$what" | tr a-z A-Z) set: not running $what"
			return 0
		fi
		command="$what -f"
	fi
	sync
	sh -c "$command"
}

power_off() {
	log "powering off${1:+: $1}"
	power_run poweroff
}

reboot_machine() {
	log "rebooting${1:+: $1}"
	power_run reboot
}

# --- stopping work -------------------------------------------------------------------------------
# The heartbeat loop (in the background) writes $RUN/stop with the reason when the server says stop,
# and kills the command the step is waiting for ($RUN/child). The step checks stop_requested at each
# phase and after each long command.

stop_requested() {
	[ -e "$RUN/stop" ]
}

stop_reason() {
	cat "$RUN/stop" 2>/dev/null
}

request_stop() {
	local pid
	[ -e "$RUN/stop" ] || printf '%s' "$1" >"$RUN/stop"
	if [ -s "$RUN/child" ]; then
		for pid in $(cat "$RUN/child"); do
			kill "$pid" 2>/dev/null
		done
	fi
}

# Runs a long command in the background so that a stop can kill it; returns its exit code.
run_long() {
	local pid rc
	"$@" &
	pid=$!
	printf '%s\n' "$pid" >"$RUN/child"
	wait "$pid"
	rc=$?
	rm -f "$RUN/child"
	return $rc
}
