# Hardware facts, read from $PROC and $SYS (the real /proc and /sys in the boot environment; fake
# trees in tests).

# A sysfs attribute with surrounding whitespace removed; nothing when it is missing or unreadable.
read_attr() {
	[ -r "$1" ] || return 0
	tr -d '\000' <"$1" 2>/dev/null | tr '\n\t' '  ' | sed -e 's/^ *//' -e 's/ *$//'
}

# uname -m → Metalyard's architecture name.
facts_architecture() {
	local machine
	machine=${METALYARD_UNAME_M:-$(uname -m)}
	case "$machine" in
	x86_64 | amd64) echo amd64/generic ;;
	aarch64 | arm64) echo arm64/generic ;;
	i386 | i486 | i586 | i686) echo i386/generic ;;
	armv7l | armv7* | armhf) echo armhf/generic ;;
	ppc64le) echo ppc64el/generic ;;
	s390x) echo s390x/generic ;;
	riscv64) echo riscv64/generic ;;
	*)
		log "unknown machine type '$machine' (uname -m)"
		return 1
		;;
	esac
}

# The network interfaces worth reporting: one line "name mac" each, sorted by name; not lo, not
# interfaces without a 6-byte MAC or with an all-zero one.
facts_nic_list() {
	local path name mac
	for path in "$SYS"/class/net/*; do
		[ -e "$path" ] || continue
		name=${path##*/}
		[ "$name" != lo ] || continue
		mac=$(read_attr "$path/address" | tr 'A-F' 'a-f')
		case "$mac" in
		00:00:00:00:00:00) continue ;;
		[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]) ;;
		*) continue ;;
		esac
		printf '%s %s\n' "$name" "$mac"
	done | sort
}

# The machine's MACs, one a line: the booting one (BOOTIF) first.
facts_macs() {
	{
		[ -z "$BOOTIF" ] || echo "$BOOTIF"
		facts_nic_list | while read -r name mac; do echo "$mac"; done
	} | awk '!seen[$0]++'
}

# up when the kernel says the link is up (operstate up, or carrier 1 where operstate is unknown).
nic_link() {
	local operstate carrier
	operstate=$(read_attr "$SYS/class/net/$1/operstate")
	carrier=$(read_attr "$SYS/class/net/$1/carrier")
	case "$operstate" in
	up) echo up ;;
	down | lowerlayerdown | notpresent | dormant) echo down ;;
	*) if [ "$carrier" = 1 ]; then echo up; else echo down; fi ;;
	esac
}

# The link speed in Mb/s, only when the kernel knows it (a positive number).
nic_speed() {
	local speed
	speed=$(read_attr "$SYS/class/net/$1/speed")
	case "$speed" in
	'' | *[!0-9]* | 0) ;;
	*) echo "$speed" ;;
	esac
}

facts_cpu_count() {
	local count path
	count=$(grep -c '^processor' "$PROC/cpuinfo" 2>/dev/null)
	if [ "${count:-0}" -gt 0 ] 2>/dev/null; then
		echo "$count"
		return
	fi
	count=0
	for path in "$SYS"/devices/system/cpu/cpu[0-9]*; do
		[ -e "$path" ] && count=$((count + 1))
	done
	[ "$count" -gt 0 ] || count=1
	echo "$count"
}

# The CPU's model name: x86's "model name", or what other architectures call it.
facts_cpu_model() {
	awk -F ':' '
		{ key = $1; sub(/[ \t]+$/, "", key); value = substr($0, index($0, ":") + 1); sub(/^[ \t]+/, "", value); sub(/[ \t]+$/, "", value) }
		value != "" && (key == "model name" || key == "cpu model" || key == "uarch" || key == "cpu" || key == "Processor" || key == "Hardware") { print value; exit }
	' "$PROC/cpuinfo" 2>/dev/null
}

facts_memory_kb() {
	awk '$1 == "MemTotal:" { print $2; exit }' "$PROC/meminfo" 2>/dev/null
}

# The disks: whole block devices in $SYS/block, sorted by name, without loop, ram, zram, sr (optical),
# fd (floppy) and empty ones (size 0: card readers without a card, nbd without a server).
facts_disks() {
	local path name sectors
	for path in "$SYS"/block/*; do
		[ -e "$path" ] || continue
		name=${path##*/}
		case "$name" in
		loop* | ram* | zram* | sr* | fd*) continue ;;
		esac
		sectors=$(read_attr "$path/size")
		case "$sectors" in '' | *[!0-9]* | 0) continue ;; esac
		echo "$name"
	done | sort
}

# Size in bytes (sysfs counts 512-byte sectors whatever the logical block size).
disk_size_bytes() {
	local sectors
	sectors=$(read_attr "$SYS/block/$1/size")
	case "$sectors" in '' | *[!0-9]*) sectors=0 ;; esac
	echo $((sectors * 512))
}

disk_model() {
	read_attr "$SYS/block/$1/device/model"
}

# The serial number: NVMe and some SCSI drivers have device/serial, virtio-blk has serial, SCSI and
# SATA disks have it in the unit serial number VPD page (0x80: a 4-byte header, then the serial).
disk_serial() {
	local serial
	serial=$(read_attr "$SYS/block/$1/device/serial")
	[ -n "$serial" ] || serial=$(read_attr "$SYS/block/$1/serial")
	if [ -z "$serial" ] && [ -r "$SYS/block/$1/device/vpd_pg80" ]; then
		serial=$(tail -c +5 "$SYS/block/$1/device/vpd_pg80" 2>/dev/null | tr -cd '\041-\176')
	fi
	printf '%s' "$serial"
}

disk_removable() {
	[ "$(read_attr "$SYS/block/$1/removable")" = 1 ]
}

# Partitions of a disk: "name start-sector size-in-sectors" a line.
disk_partitions() {
	local path
	for path in "$SYS/block/$1"/*; do
		[ -e "$path/partition" ] || continue
		printf '%s %s %s\n' "${path##*/}" "$(read_attr "$path/start")" "$(read_attr "$path/size")"
	done
}

# The first disk to deploy to: the first by name that is not removable.
deploy_target_disk() {
	local name
	for name in $(facts_disks); do
		disk_removable "$name" && continue
		echo "$name"
		return 0
	done
	return 1
}

# The hardware object of a commissioning report (hardwareSchema), as one line of JSON.
hardware_json() {
	local cpus model memkb memmb storage nics name bytes gb dmodel dserial entry mac link speed
	cpus=$(facts_cpu_count)
	model=$(facts_cpu_model)
	memkb=$(facts_memory_kb)
	memmb=$((${memkb:-0} / 1024))
	storage=
	for name in $(facts_disks); do
		bytes=$(disk_size_bytes "$name")
		gb=$(awk -v b="$bytes" 'BEGIN { printf "%.2f", b / 1e9 }')
		dmodel=$(disk_model "$name")
		dserial=$(disk_serial "$name")
		entry="{\"name\":$(json_str "$name"),\"sizeGb\":$gb,\"sizeBytes\":$bytes"
		[ -z "$dmodel" ] || entry="$entry,\"model\":$(json_str "$dmodel")"
		[ -z "$dserial" ] || entry="$entry,\"serial\":$(json_str "$dserial")"
		storage="$storage${storage:+,}$entry}"
	done
	nics=
	while read -r name mac; do
		[ -n "$name" ] || continue
		link=$(nic_link "$name")
		speed=$(nic_speed "$name")
		entry="{\"name\":$(json_str "$name"),\"mac\":$(json_str "$mac"),\"link\":\"$link\""
		[ -z "$speed" ] || entry="$entry,\"speedMbps\":$speed"
		nics="$nics${nics:+,}$entry}"
	done <<EOF
$(facts_nic_list)
EOF
	printf '{"cpuCount":%s' "$cpus"
	[ -z "$model" ] || printf ',"cpuModel":%s' "$(json_str "$model")"
	printf ',"memoryMb":%s,"storage":[%s],"nics":[%s]}' "$memmb" "$storage" "$nics"
}
