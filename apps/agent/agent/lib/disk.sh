# Disk I/O with busybox dd: reading, zeroing, writing and hashing byte ranges of $DEV/<disk>.
# Every write uses conv=notrunc (a regular file standing in for a disk keeps its size) and conv=fsync.

MIB=1048576

# Writes to real disks happen only in the boot environment, or where METALYARD_DEV points elsewhere
# than /dev (tests: files standing in for disks). Run by mistake on a workstation, the agent erases
# nothing.
disk_writes_allowed() {
	in_boot_environment && return 0
	[ -n "${METALYARD_DEV:-}" ] && [ "$METALYARD_DEV" != /dev ] && [ "$METALYARD_DEV" != /dev/ ]
}

# busybox dd (as Debian builds it) prints no byte count, only "F+P records in/out": F full blocks and P
# partial ones. dd_records_ok FILE in|out LENGTH BS says whether FILE (dd's stderr) shows exactly the
# records that LENGTH bytes in blocks of BS make (the partial one last), which is how the agent checks
# that a read, a zeroing or (with iflag=fullblock) an image write went through to the end.
dd_records() {
	awk -v what="$2" '$2 == "records" && $3 == what { print $1 }' "$1" | tail -n 1
}

dd_records_ok() {
	local got want
	got=$(dd_records "$1" "$2")
	want="$(($3 / $4))+$(($3 % $4 > 0 ? 1 : 0))"
	[ "$got" = "$want" ]
}

# Reads the first $2 bytes of disk $1 to nowhere; fails unless every byte was read. Prints what dd said.
disk_read_test() {
	local name want err rc
	name=$1 want=$2
	err="$RUN/dd.read.$name"
	run_long dd if="$DEV/$name" of=/dev/null bs=1M count="$want" iflag=count_bytes 2>"$err"
	rc=$?
	tr '\n' ' ' <"$err" | sed 's/ *$//'
	[ "$rc" -eq 0 ] && dd_records_ok "$err" in "$want" "$MIB"
}

# Writes $3 zero bytes at offset $2 of disk $1.
zero_range() {
	local name offset length err rc
	name=$1 offset=$2 length=$3
	[ "$length" -gt 0 ] || return 0
	err="$RUN/dd.zero.$name"
	run_long dd if=/dev/zero of="$DEV/$name" bs=1M seek="$offset" count="$length" \
		oflag=seek_bytes iflag=count_bytes conv=notrunc,fsync 2>"$err"
	rc=$?
	if [ "$rc" -ne 0 ] || ! dd_records_ok "$err" out "$length" "$MIB"; then
		log "zeroing $length bytes of $name at offset $offset failed: $(tr '\n' ' ' <"$err")"
		return 1
	fi
}

# sha256 of the first $2 bytes of disk $1 (through a FIFO so that a stop can kill both ends).
disk_sha256() {
	local fifo hp sp
	fifo="$RUN/sha.fifo"
	rm -f "$fifo" "$RUN/sha.out"
	mkfifo "$fifo" || return 1
	head -c "$2" "$DEV/$1" >"$fifo" &
	hp=$!
	sha256sum <"$fifo" >"$RUN/sha.out" &
	sp=$!
	printf '%s\n%s\n' "$hp" "$sp" >"$RUN/child"
	wait "$sp"
	wait "$hp"
	rm -f "$RUN/child" "$fifo"
	awk '{ print $1 }' "$RUN/sha.out"
}

# Best effort: drop cached pages so a read back comes from the disk, not from memory.
disk_flush() {
	sync
	blockdev --flushbufs "$DEV/$1" >/dev/null 2>&1
	[ -w "$PROC/sys/vm/drop_caches" ] && [ "$PROC" = /proc ] && echo 3 >/proc/sys/vm/drop_caches 2>/dev/null
	return 0
}
