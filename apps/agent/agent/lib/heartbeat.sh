# Heartbeats: machine.heartbeat {systemId, step, message} with the step's token, every
# HEARTBEAT_SECONDS in the background while a step works, and at once at each phase change.
# {"proceed":false}, or a 401 (the token is void), means stop: request_stop records why and kills the
# command the step waits for; the step then powers off without reporting.

# Sends one heartbeat; returns 0 to go on, 1 when the server said stop (and requested the stop).
heartbeat_send() {
	local message body proceed rc
	message=$1
	body="{\"systemId\":$(json_str "$SYSTEM_ID"),\"step\":$(json_str "$STEP"),\"message\":$(json_str "$message")}"
	# A heartbeat is periodic: it is not worth long retries (the next one follows soon).
	TRPC_ATTEMPTS=${HEARTBEAT_ATTEMPTS:-2}
	trpc machine.heartbeat "$body" "$TOKEN"
	rc=$?
	TRPC_ATTEMPTS=
	case $rc in
	0)
		proceed=$(json_get "$HTTP_OUT" result.data.proceed)
		if [ "$proceed" = false ]; then
			request_stop "the server says stop (status $(json_get "$HTTP_OUT" result.data.status))"
			return 1
		fi
		;;
	*)
		if [ "$HTTP_STATUS" = 401 ]; then
			request_stop "the server no longer accepts this step's token (HTTP 401: $HTTP_ERROR)"
			return 1
		fi
		# Anything else (the server unreachable, a 404 from an older server): keep working; the server's
		# timeout decides whether this step still counts.
		log "heartbeat not delivered (HTTP $HTTP_STATUS: $HTTP_ERROR); working on"
		;;
	esac
	return 0
}

# Marks a phase change: the message shows up live to the operator. Returns 1 when the step must stop.
phase() {
	printf '%s' "$1" >"$RUN/phase"
	log "$STEP: $1"
	stop_requested && return 1
	heartbeat_send "$1" || return 1
	return 0
}

heartbeat_loop() {
	local main sleeper
	main=$1
	HTTP_TAG=heartbeat
	HEARTBEAT_ATTEMPTS=1
	sleeper=
	trap '[ -z "$sleeper" ] || kill "$sleeper" 2>/dev/null; exit 0' TERM INT
	while :; do
		sleep "$HEARTBEAT_SECONDS" &
		sleeper=$!
		wait "$sleeper"
		sleeper=
		# The agent is gone (killed): no one to heartbeat for.
		kill -0 "$main" 2>/dev/null || exit 0
		stop_requested && exit 0
		heartbeat_send "$(cat "$RUN/phase" 2>/dev/null)" || exit 0
	done
}

heartbeat_start() {
	heartbeat_loop "$$" &
	HEARTBEAT_PID=$!
}

heartbeat_stop() {
	local i
	[ -n "${HEARTBEAT_PID:-}" ] || return 0
	kill "$HEARTBEAT_PID" 2>/dev/null
	# It ends at once unless it is in the middle of a heartbeat; do not wait for that longer than 3 s.
	i=0
	while kill -0 "$HEARTBEAT_PID" 2>/dev/null && [ "$i" -lt 30 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	HEARTBEAT_PID=
}
