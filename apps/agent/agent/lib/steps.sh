# The agent's steps: enlist, look up, commission, deploy, erase.

# The machine's MACs as a JSON array; fails when there is none.
macs_json() {
	local macs mac
	macs=
	for mac in $(facts_macs); do
		macs="$macs${macs:+,}\"$mac\""
	done
	[ -n "$macs" ] || {
		log "no network interface with a MAC address found in $SYS/class/net"
		return 1
	}
	printf '[%s]' "$macs"
}

# enlist {architecture, macAddresses}: the server records the machine as declared (or returns it
# unchanged when it already is); then the machine powers off until an admin accepts it.
step_enlist() {
	local arch macs system_id status
	arch=$(facts_architecture) || return 1
	macs=$(macs_json) || return 1
	log "enlisting: architecture $arch, MACs $(printf '%s' "$macs" | tr -d '[]"' | tr ',' ' ')"
	trpc enlist "{\"architecture\":\"$arch\",\"macAddresses\":$macs}"
	case $? in
	0)
		system_id=$(json_get "$HTTP_OUT" result.data.systemId)
		status=$(json_get "$HTTP_OUT" result.data.status)
		log "enlisted as ${system_id:-?} (${status:-?})"
		power_off "waiting for an admin to accept this machine"
		return 0
		;;
	1)
		log "the server refused the enlistment (HTTP $HTTP_STATUS): $HTTP_ERROR"
		power_off "enlistment refused"
		return 0
		;;
	*)
		log "could not enlist: the server at $METALYARD_URL did not answer"
		return 1
		;;
	esac
}

# machine.lookup {macAddresses} → SYSTEM_ID, NODE_STATUS, STEP, TOKEN, HEARTBEAT_SECONDS, IMAGE_*,
# ERASE_MODE. Returns 1 when the server could not be asked.
lookup() {
	local macs out
	macs=$(macs_json) || return 1
	trpc machine.lookup "{\"macAddresses\":$macs}" || {
		log "lookup failed (HTTP $HTTP_STATUS): $HTTP_ERROR"
		return 1
	}
	out=$RUN/lookup.json
	cp "$HTTP_OUT" "$out"
	json_flatten <"$out" >"$out.flat" || {
		log "lookup: the server's answer is not JSON"
		return 1
	}
	SYSTEM_ID=$(flat_get "$out.flat" result.data.systemId)
	NODE_STATUS=$(flat_get "$out.flat" result.data.status)
	STEP=$(flat_get "$out.flat" result.data.step)
	TOKEN=$(flat_get "$out.flat" result.data.token)
	HEARTBEAT_SECONDS=$(flat_get "$out.flat" result.data.heartbeatSeconds)
	IMAGE_NAME=$(flat_get "$out.flat" result.data.image.name)
	IMAGE_URL=$(flat_get "$out.flat" result.data.image.url)
	IMAGE_SHA256=$(flat_get "$out.flat" result.data.image.sha256 | tr 'A-F' 'a-f')
	IMAGE_SIZE=$(flat_get "$out.flat" result.data.image.sizeBytes)
	ERASE_MODE=$(flat_get "$out.flat" result.data.erase.mode)
	rm -f "$out" "$out.flat"
	case "$HEARTBEAT_SECONDS" in '' | *[!0-9]* | 0) HEARTBEAT_SECONDS=10 ;; esac
	[ "$HEARTBEAT_SECONDS" -le 300 ] || HEARTBEAT_SECONDS=300
	return 0
}

flat_get() {
	awk -F '\t' -v want="$2" '$1 == want { if ($2 != "z") print $3; exit }' "$1"
}

# Sends a report; logs the outcome. $1 procedure, $2 body.
report() {
	local status
	trpc "$1" "$2" "$TOKEN"
	case $? in
	0)
		status=$(json_get "$HTTP_OUT" result.data.status)
		log "$1 delivered: the node is now ${status:-?}"
		return 0
		;;
	*)
		log "$1 not delivered (HTTP $HTTP_STATUS): $HTTP_ERROR"
		return 1
		;;
	esac
}

# A stop was requested (proceed:false, 401): no report, power off.
stopped() {
	log "$STEP stopped: $(stop_reason)"
	heartbeat_stop
	power_off "$STEP stopped"
	return 0
}

# --- commissioning -------------------------------------------------------------------------------

# Minimum memory for the memory test, in MiB.
MIN_MEMORY_MB=${METALYARD_MIN_MEMORY_MB:-64}
# How much of each disk the read test reads.
DISK_TEST_BYTES=${METALYARD_DISK_TEST_BYTES:-67108864}

step_commission() {
	local hardware memkb memmb tests failures name size want output result reason body passed
	phase "reading hardware facts" || { stopped; return 0; }
	hardware=$(hardware_json)
	memkb=$(facts_memory_kb)
	memmb=$((${memkb:-0} / 1024))
	log "found $(facts_cpu_count) CPU(s), ${memmb} MiB of memory, disks: $(facts_disks | tr '\n' ' ')"
	tests=
	failures=

	phase "testing memory" || { stopped; return 0; }
	if [ "$memmb" -ge "$MIN_MEMORY_MB" ] && [ "$memmb" -gt 0 ]; then passed=true; else passed=false; fi
	output="MemTotal ${memkb:-unknown} kB = $memmb MiB (minimum $MIN_MEMORY_MB MiB)"
	tests="{\"name\":\"memory-size\",\"passed\":$passed,\"output\":$(json_str "$output")}"
	[ "$passed" = true ] || failures="memory-size: $output"
	log "test memory-size: $passed: $output"

	for name in $(facts_disks); do
		phase "reading disk $name" || { stopped; return 0; }
		size=$(disk_size_bytes "$name")
		want=$DISK_TEST_BYTES
		[ "$size" -ge "$want" ] || want=$size
		if output=$(disk_read_test "$name" "$want"); then passed=true; else passed=false; fi
		stop_requested && { stopped; return 0; }
		output="read $want bytes of $DEV/$name: ${output:-no output from dd}"
		[ "$passed" = true ] || failures="$failures${failures:+; }disk-read-$name: $output"
		tests="$tests,{\"name\":$(json_str "disk-read-$name"),\"passed\":$passed,\"output\":$(json_str "$output")}"
		log "test disk-read-$name: $passed: $output"
	done

	phase "reporting" || { stopped; return 0; }
	if [ -z "$failures" ]; then result=passed; else result=failed; fi
	body="{\"systemId\":$(json_str "$SYSTEM_ID"),\"result\":\"$result\""
	# A hardware object needs at least 1 MiB of memory; without it the report says why it failed.
	[ "$memmb" -lt 1 ] || body="$body,\"hardware\":$hardware"
	body="$body,\"tests\":[$tests]"
	[ -z "$failures" ] || body="$body,\"reason\":$(json_str "$(printf '%s' "failed tests: $failures" | cut -c1-2000)")"
	body="$body}"
	heartbeat_stop
	log "commissioning $result"
	report machine.reportCommissioning "$body"
	power_off "commissioning done"
	return 0
}

# --- deployment ----------------------------------------------------------------------------------

# Streams the image to disk $1 through a FIFO (wget → dd, so that a stop can kill both); sets
# WRITE_ERROR on failure. Returns 0 when all IMAGE_SIZE bytes were written (as far as dd's record
# counts tell; the checksum check afterwards proves it), 1 on a failure worth
# retrying (network), 2 on one that is not (HTTP 4xx, a write error).
write_image() {
	local name fifo wp dp wrc drc written status
	name=$1
	fifo="$RUN/image.fifo"
	rm -f "$fifo"
	mkfifo "$fifo" || {
		WRITE_ERROR="cannot create $fifo"
		return 2
	}
	# Each end opens the FIFO in its own child before the program starts (wget writes to its stdout), so
	# the two opens always pair up, whatever wget then does; when either ends, the other sees it.
	# busybox wget -T crashes (1.35): the download is bounded by wget's own idle timeout instead.
	wget -q -S -O - --header "Authorization: Bearer $TOKEN" "$IMAGE_URL" >"$fifo" 2>"$RUN/wget.err" &
	wp=$!
	dd of="$DEV/$name" bs=1M iflag=fullblock conv=notrunc,fsync <"$fifo" 2>"$RUN/dd.write" &
	dp=$!
	printf '%s\n%s\n' "$wp" "$dp" >"$RUN/child"
	wait "$wp"
	wrc=$?
	wait "$dp"
	drc=$?
	rm -f "$RUN/child" "$fifo"
	written=$(dd_records "$RUN/dd.write" out)
	status=$(awk '{ sub(/\r$/, "") } match($0, /HTTP\/1\.[01] [0-9][0-9][0-9]/) { s = substr($0, RSTART + 9, 3) } END { print s }' "$RUN/wget.err")
	WRITTEN=$written
	if [ "$wrc" -ne 0 ]; then
		WRITE_ERROR="download failed (HTTP ${status:-no answer}): $(grep -v '^  ' "$RUN/wget.err" | tail -n 1)"
		case "$status" in 4??) return 2 ;; esac
		return 1
	fi
	if [ "$drc" -ne 0 ]; then
		WRITE_ERROR="writing $DEV/$name failed: $(grep -v records "$RUN/dd.write" | tail -n 1)"
		return 2
	fi
	if ! dd_records_ok "$RUN/dd.write" out "$IMAGE_SIZE" "$MIB"; then
		WRITE_ERROR="short write: ${written:-0} blocks of 1 MiB (full+partial) reached $DEV/$name, the image has $IMAGE_SIZE bytes"
		return 1
	fi
	return 0
}

deploy_report() {
	local body
	body="{\"systemId\":$(json_str "$SYSTEM_ID"),\"result\":\"$1\""
	[ -z "${2:-}" ] || body="$body,\"reason\":$(json_str "$(printf '%s' "$2" | cut -c1-2000)")"
	heartbeat_stop
	log "deployment $1${2:+: $2}"
	report machine.reportDeployment "$body}"
}

step_deploy() {
	local name size attempt attempts rc sum
	if [ -z "$IMAGE_URL" ] || [ -z "$IMAGE_SHA256" ] || [ -z "$IMAGE_SIZE" ]; then
		deploy_report failed "the server named no image (url, sha256 and sizeBytes are needed)"
		power_off "deployment failed"
		return 0
	fi
	name=$(deploy_target_disk) || {
		deploy_report failed "no disk to deploy to (no non-removable disk in $SYS/block)"
		power_off "deployment failed"
		return 0
	}
	size=$(disk_size_bytes "$name")
	if [ "$IMAGE_SIZE" -gt "$size" ]; then
		deploy_report failed "image ${IMAGE_NAME:-?} ($IMAGE_SIZE bytes) does not fit on $name ($size bytes)"
		power_off "deployment failed"
		return 0
	fi
	disk_writes_allowed || {
		deploy_report failed "refusing to write to $DEV/$name outside the boot environment"
		power_off "deployment failed"
		return 0
	}
	attempts=${METALYARD_DOWNLOAD_ATTEMPTS:-3}
	attempt=1
	while :; do
		phase "writing image ${IMAGE_NAME:-?} ($IMAGE_SIZE bytes) to $name" || { stopped; return 0; }
		write_image "$name"
		rc=$?
		stop_requested && { stopped; return 0; }
		[ "$rc" -ne 0 ] || break
		if [ "$rc" -eq 2 ] || [ "$attempt" -ge "$attempts" ]; then
			deploy_report failed "$WRITE_ERROR"
			power_off "deployment failed"
			return 0
		fi
		log "attempt $attempt of $attempts: $WRITE_ERROR; again"
		attempt=$((attempt + 1))
		sleep "${METALYARD_HTTP_BACKOFF:-1}"
	done
	log "wrote $IMAGE_SIZE bytes to $DEV/$name"
	phase "verifying image on $name" || { stopped; return 0; }
	disk_flush "$name"
	sum=$(disk_sha256 "$name" "$IMAGE_SIZE")
	stop_requested && { stopped; return 0; }
	if [ "$sum" != "$IMAGE_SHA256" ]; then
		deploy_report failed "checksum mismatch on $name: the first $IMAGE_SIZE bytes hash to $sum, the image's sha256 is $IMAGE_SHA256"
		power_off "deployment failed"
		return 0
	fi
	log "image verified: sha256 $sum"
	if deploy_report passed; then
		reboot_machine "into the deployed system"
	else
		power_off "the deployment report was not delivered"
	fi
	return 0
}

# --- erase ---------------------------------------------------------------------------------------

ERASE_EDGE_BYTES=$((8 * 1048576))
# Zeroes written per dd call in a full erase (a stop is noticed between two chunks).
ERASE_CHUNK_BYTES=${METALYARD_ERASE_CHUNK_BYTES:-1073741824}

# Quick erase of one disk: the first and last 8 MiB (MBR, GPT and its backup) and the first 8 MiB
# of every partition (file system superblocks, RAID and LVM labels).
erase_quick() {
	local name size part start sectors offset length
	name=$1
	size=$(disk_size_bytes "$name")
	if [ "$size" -le $((2 * ERASE_EDGE_BYTES)) ]; then
		zero_range "$name" 0 "$size" || return 1
		return 0
	fi
	zero_range "$name" 0 "$ERASE_EDGE_BYTES" || return 1
	while read -r part start sectors; do
		[ -n "$part" ] || continue
		case "$start$sectors" in *[!0-9]*) continue ;; esac
		offset=$((start * 512))
		length=$((sectors * 512))
		[ "$length" -le "$ERASE_EDGE_BYTES" ] || length=$ERASE_EDGE_BYTES
		[ $((offset + length)) -le "$size" ] || length=$((size - offset))
		[ "$length" -gt 0 ] || continue
		zero_range "$name" "$offset" "$length" || return 1
		stop_requested && return 1
	done <<EOF
$(disk_partitions "$name")
EOF
	zero_range "$name" $((size - ERASE_EDGE_BYTES)) "$ERASE_EDGE_BYTES" || return 1
}

erase_full() {
	local name size offset length
	name=$1
	size=$(disk_size_bytes "$name")
	offset=0
	while [ "$offset" -lt "$size" ]; do
		length=$ERASE_CHUNK_BYTES
		[ $((offset + length)) -le "$size" ] || length=$((size - offset))
		zero_range "$name" "$offset" "$length" || return 1
		offset=$((offset + length))
		stop_requested && return 1
		printf '%s' "erasing $name (full): $((offset / MIB)) of $((size / MIB)) MiB" >"$RUN/phase"
	done
}

step_erase() {
	local mode name failures body result
	mode=${ERASE_MODE:-quick}
	case "$mode" in quick | full) ;; *)
		log "unknown erase mode '$mode': erasing fully"
		mode=full
		;;
	esac
	disk_writes_allowed || {
		erase_report failed "refusing to write to $DEV outside the boot environment"
		power_off "erase failed"
		return 0
	}
	failures=
	for name in $(facts_disks); do
		phase "erasing $name ($mode, $(disk_size_bytes "$name") bytes)" || { stopped; return 0; }
		if [ "$mode" = full ]; then erase_full "$name"; else erase_quick "$name"; fi || {
			stop_requested && { stopped; return 0; }
			failures="$failures${failures:+; }$name: $(tail -n 1 "$RUN/dd.zero.$name" 2>/dev/null)"
			continue
		}
		log "erased $name ($mode)"
	done
	if [ -z "$failures" ]; then result=passed; else result=failed; fi
	erase_report "$result" "${failures:+could not erase $failures}"
	power_off "erase done"
	return 0
}

erase_report() {
	local body
	body="{\"systemId\":$(json_str "$SYSTEM_ID"),\"result\":\"$1\""
	[ -z "${2:-}" ] || body="$body,\"reason\":$(json_str "$(printf '%s' "$2" | cut -c1-2000)")"
	heartbeat_stop
	log "erase $1${2:+: $2}"
	report machine.reportErase "$body}"
}
