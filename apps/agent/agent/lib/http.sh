# HTTP for busybox sh: tRPC mutations against the Metalyard server.
#
# trpc PROCEDURE BODY [TOKEN] posts BODY (a JSON document) to $METALYARD_URL/trpc/PROCEDURE and leaves
# the answer's JSON in the file $HTTP_OUT. It sets HTTP_STATUS (the status code, or 0 when no answer
# came) and HTTP_ERROR (the server's error message, or what went wrong), and returns
#   0  on a 2xx answer,
#   1  on a 4xx answer other than 408/429 (not retried: the request itself is wrong or not allowed),
#   2  when the server could not be reached or kept failing (network errors, 5xx, 408, 429) after
#      METALYARD_HTTP_ATTEMPTS attempts with a doubling pause (METALYARD_HTTP_BACKOFF seconds first,
#      at most 30 s).
# Every attempt is bounded by `timeout METALYARD_HTTP_TIMEOUT`.
#
# The transport is busybox nc speaking HTTP/1.0 (so the answer is close-delimited, never chunked): unlike
# busybox wget it keeps the body of an error answer, whose message the agent logs. With
# METALYARD_HTTP_CLIENT=wget (or where nc is missing) busybox wget is used instead; it loses error bodies.
# The token goes into a request header only: it is never logged, and never on a command line with nc.

HTTP_TAG=${HTTP_TAG:-main}
HTTP_STATUS=0
HTTP_ERROR=
HTTP_OUT=

# Splits METALYARD_URL (http://HOST[:PORT][/PREFIX]) into URL_HOST (for the Host header), URL_CONNECT
# (for nc: brackets of an IPv6 literal removed), URL_PORT and URL_PREFIX.
http_parse_url() {
	local rest hostport
	case "$1" in
	http://*) ;;
	*)
		log "the server URL must start with http:// (got '$1')"
		return 1
		;;
	esac
	rest=${1#http://}
	hostport=${rest%%/*}
	if [ "$hostport" = "$rest" ]; then URL_PREFIX=; else URL_PREFIX=/${rest#*/}; fi
	URL_PREFIX=${URL_PREFIX%/}
	case "$hostport" in
	\[*\]:*)
		URL_CONNECT=${hostport%%]*}
		URL_CONNECT=${URL_CONNECT#[}
		URL_PORT=${hostport##*]:}
		;;
	\[*\])
		URL_CONNECT=${hostport#[}
		URL_CONNECT=${URL_CONNECT%]}
		URL_PORT=80
		;;
	*:*)
		URL_CONNECT=${hostport%:*}
		URL_PORT=${hostport##*:}
		;;
	*)
		URL_CONNECT=$hostport
		URL_PORT=80
		;;
	esac
	URL_HOST=$hostport
	case "$URL_PORT" in '' | *[!0-9]*)
		log "bad port in the server URL '$1'"
		return 1
		;;
	esac
	[ -n "$URL_CONNECT" ] || {
		log "no host in the server URL '$1'"
		return 1
	}
}

# One attempt with nc: the raw answer goes to $4.raw, the body to $4.
#
# nc must not half-close the connection: once its stdin ends, busybox nc shuts down its sending side,
# and Node's HTTP server (like many) then drops the request it is still working on. So nc reads the
# request from a FIFO that this shell keeps open for writing (fd 4) until nc has the whole answer,
# which ends when the server closes the connection (HTTP/1.0, Connection: close).
http_attempt_nc() {
	local path bodyfile token out length fifo ncpid writer
	path=$1 bodyfile=$2 token=$3 out=$4
	length=$(wc -c <"$bodyfile")
	length=${length##* }
	{
		printf 'POST %s HTTP/1.0\r\n' "$path"
		printf 'Host: %s\r\n' "$URL_HOST"
		printf 'User-Agent: metalyard-agent\r\n'
		printf 'Content-Type: application/json\r\n'
		printf 'Content-Length: %s\r\n' "$length"
		printf 'Connection: close\r\n'
		[ -z "$token" ] || printf 'Authorization: Bearer %s\r\n' "$token"
		printf '\r\n'
		cat "$bodyfile"
	} >"$out.request"
	fifo="$out.fifo"
	rm -f "$fifo"
	mkfifo "$fifo" || return 1
	# Read and write: opening never blocks, and the pipe outlives every other opener.
	exec 4<>"$fifo"
	timeout "$HTTP_TIMEOUT" nc "$URL_CONNECT" "$URL_PORT" <&4 >"$out.raw" 2>"$out.err" &
	ncpid=$!
	# The request, from the background: should nc die before reading it all, this writer (blocked on a
	# full pipe) is killed below instead of blocking the agent.
	cat "$out.request" >&4 &
	writer=$!
	wait "$ncpid"
	kill "$writer" 2>/dev/null
	wait "$writer" 2>/dev/null
	exec 4>&-
	rm -f "$fifo" "$out.request"
	# The status line, then the body after the first empty line.
	HTTP_STATUS=$(awk 'NR == 1 { sub(/\r$/, ""); if ($1 ~ /^HTTP\/1\.[01]$/ && $2 ~ /^[0-9][0-9][0-9]$/) print $2; exit }' "$out.raw")
	awk 'body { print; next } { sub(/\r$/, "") } $0 == "" { body = 1 }' "$out.raw" >"$out"
	[ -n "$HTTP_STATUS" ] || HTTP_STATUS=0
}

# One attempt with wget.
http_attempt_wget() {
	local path bodyfile token out url
	path=$1 bodyfile=$2 token=$3 out=$4
	url="http://$URL_HOST$path"
	rm -f "$out"
	if [ -n "$token" ]; then
		timeout "$HTTP_TIMEOUT" wget -q -S -O "$out" --header 'Content-Type: application/json' \
			--header "Authorization: Bearer $token" --post-file "$bodyfile" "$url" 2>"$out.err"
	else
		timeout "$HTTP_TIMEOUT" wget -q -S -O "$out" --header 'Content-Type: application/json' \
			--post-file "$bodyfile" "$url" 2>"$out.err"
	fi
	HTTP_STATUS=$(awk '{ sub(/\r$/, "") } match($0, /HTTP\/1\.[01] [0-9][0-9][0-9]/) { s = substr($0, RSTART + 9, 3) } END { print s }' "$out.err")
	[ -n "$HTTP_STATUS" ] || HTTP_STATUS=0
	[ -f "$out" ] || : >"$out"
}

# The server's error message from the answer in $1, or a description of the failure.
http_error_message() {
	local message
	message=
	if [ -s "$1" ]; then message=$(json_get "$1" error.message 2>/dev/null); fi
	if [ -z "$message" ]; then
		case "$HTTP_STATUS" in
		0) message=$(tr '\n' ' ' <"$1.err" 2>/dev/null | cut -c1-200) ;;
		*) message="HTTP $HTTP_STATUS" ;;
		esac
		[ -n "$message" ] || message="no answer (connection failed or timed out after ${HTTP_TIMEOUT}s)"
	fi
	printf '%s' "$message"
}

trpc() {
	local procedure body token attempts pause client bodyfile attempt
	procedure=$1 body=$2 token=${3:-}
	HTTP_TIMEOUT=${METALYARD_HTTP_TIMEOUT:-30}
	attempts=${TRPC_ATTEMPTS:-${METALYARD_HTTP_ATTEMPTS:-5}}
	pause=${METALYARD_HTTP_BACKOFF:-1}
	client=${METALYARD_HTTP_CLIENT:-nc}
	command -v nc >/dev/null 2>&1 || client=wget
	http_parse_url "$METALYARD_URL" || {
		HTTP_STATUS=0 HTTP_ERROR="bad server URL"
		return 1
	}
	HTTP_OUT="$RUN/http.$HTTP_TAG.out"
	bodyfile="$RUN/http.$HTTP_TAG.body"
	printf '%s' "$body" >"$bodyfile"
	attempt=1
	while :; do
		if [ "$client" = wget ]; then
			http_attempt_wget "$URL_PREFIX/trpc/$procedure" "$bodyfile" "$token" "$HTTP_OUT"
		else
			http_attempt_nc "$URL_PREFIX/trpc/$procedure" "$bodyfile" "$token" "$HTTP_OUT"
		fi
		case "$HTTP_STATUS" in
		2??)
			HTTP_ERROR=
			return 0
			;;
		408 | 429 | 5?? | 0) HTTP_ERROR=$(http_error_message "$HTTP_OUT") ;;
		*)
			HTTP_ERROR=$(http_error_message "$HTTP_OUT")
			log "$procedure: HTTP $HTTP_STATUS: $HTTP_ERROR"
			return 1
			;;
		esac
		if [ "$attempt" -ge "$attempts" ]; then
			log "$procedure: giving up after $attempt attempts: HTTP $HTTP_STATUS: $HTTP_ERROR"
			return 2
		fi
		log "$procedure: attempt $attempt of $attempts failed (HTTP $HTTP_STATUS: $HTTP_ERROR); again in ${pause}s"
		sleep "$pause"
		attempt=$((attempt + 1))
		case "$pause" in
		*.*) ;; # fractional pauses (tests) stay as they are
		*)
			pause=$((pause * 2))
			[ "$pause" -le 30 ] || pause=30
			;;
		esac
	done
}
