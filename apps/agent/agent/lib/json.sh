# JSON helpers for busybox sh: building strings safely, and reading the server's answers.
#
# Building: json_str VALUE prints VALUE as a JSON string (quotes, backslashes and every control
# character escaped). json_num prints a number or null. Objects are assembled with printf by callers.
#
# Reading: json_flatten < FILE prints one line per leaf value: PATH<TAB>TYPE<TAB>VALUE, where PATH is
# dot-separated (array items by index: result.data.macAddresses.0), TYPE is s (string), n (number),
# b (true/false), z (null), o (empty object) or a (empty array), and VALUE is the decoded string or
# the literal. Decoded strings have control characters replaced by spaces, so one leaf is one line.
# json_get FILE PATH prints the value (nothing for null or a missing path); json_type FILE PATH prints
# the type (nothing when the path is missing). A malformed document makes json_flatten exit 2.

json_str() {
	# The X keeps trailing newlines (the shell would drop them); it is removed again below.
	printf "%sX" "$1" | awk '
		BEGIN { for (i = 1; i < 32; i++) ctl[sprintf("%c", i)] = sprintf("\\u%04x", i) }
		{ lines[NR] = $0 }
		END {
			sub(/X$/, "", lines[NR])
			out = ""
			for (n = 1; n <= NR; n++) {
				line = lines[n]
				gsub(/\\/, "\\\\", line)
				gsub(/"/, "\\\"", line)
				gsub(/\t/, "\\t", line)
				gsub(/\r/, "\\r", line)
				if (line ~ /[\001-\037]/) {
					esc = ""
					for (i = 1; i <= length(line); i++) {
						c = substr(line, i, 1)
						esc = esc ((c in ctl) ? ctl[c] : c)
					}
					line = esc
				}
				out = out (n > 1 ? "\\n" : "") line
			}
			printf "\"%s\"", out
		}'
}

# Prints $1 if it is a JSON number, else null.
json_num() {
	case "$1" in
	'' | *[!0-9.eE+-]*) printf 'null' ;;
	*) printf '%s' "$1" ;;
	esac
}

# Prints true for a value the shell considers true (true, 1, yes), else false.
json_bool() {
	case "$1" in
	true | 1 | yes) printf 'true' ;;
	*) printf 'false' ;;
	esac
}

json_flatten() {
	awk '
	{ S = S $0 "\n" }
	function fail(msg) { printf "json: %s at offset %d\n", msg, P > "/dev/stderr"; bad = 1; exit 2 }
	function ws() { while (P <= N && index(" \t\r\n", substr(S, P, 1)) > 0) P++ }
	function emit(path, type, value) { printf "%s\t%s\t%s\n", path, type, value }
	function join(path, key) { return path == "" ? key : path "." key }
	function hexval(h,    i, v, c) {
		v = 0
		for (i = 1; i <= length(h); i++) {
			c = index("0123456789abcdef", tolower(substr(h, i, 1)))
			if (c == 0) return -1
			v = v * 16 + c - 1
		}
		return v
	}
	function str(    out, c, e, code) {
		# S[P] is the opening quote.
		P++
		out = ""
		while (P <= N) {
			c = substr(S, P, 1)
			if (c == "\"") { P++; return out }
			if (c == "\\") {
				e = substr(S, P + 1, 1)
				if (e == "n" || e == "t" || e == "r" || e == "b" || e == "f") { out = out " "; P += 2; continue }
				if (e == "u") {
					code = hexval(substr(S, P + 2, 4))
					if (code < 0) fail("bad \\u escape")
					out = out ((code >= 32 && code < 127) ? sprintf("%c", code) : (code < 32 ? " " : "?"))
					P += 6
					continue
				}
				if (e == "\"" || e == "\\" || e == "/") { out = out e; P += 2; continue }
				fail("bad escape")
			}
			if (c == "\n") fail("newline in string")
			out = out c
			P++
		}
		fail("unterminated string")
	}
	function value(path,    c, key, i, rest) {
		ws()
		if (P > N) fail("unexpected end")
		c = substr(S, P, 1)
		if (c == "{") {
			P++; ws()
			if (substr(S, P, 1) == "}") { P++; emit(path, "o", "{}"); return }
			while (1) {
				ws()
				if (substr(S, P, 1) != "\"") fail("expected a key")
				key = str()
				ws()
				if (substr(S, P, 1) != ":") fail("expected :")
				P++
				value(join(path, key))
				ws()
				c = substr(S, P, 1)
				if (c == ",") { P++; continue }
				if (c == "}") { P++; return }
				fail("expected , or }")
			}
		}
		if (c == "[") {
			P++; ws()
			if (substr(S, P, 1) == "]") { P++; emit(path, "a", "[]"); return }
			for (i = 0; ; i++) {
				value(join(path, i))
				ws()
				c = substr(S, P, 1)
				if (c == ",") { P++; continue }
				if (c == "]") { P++; return }
				fail("expected , or ]")
			}
		}
		if (c == "\"") { emit(path, "s", str()); return }
		rest = substr(S, P, 32)
		if (match(rest, /^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?/)) { emit(path, "n", substr(rest, 1, RLENGTH)); P += RLENGTH; return }
		if (substr(rest, 1, 4) == "true") { emit(path, "b", "true"); P += 4; return }
		if (substr(rest, 1, 5) == "false") { emit(path, "b", "false"); P += 5; return }
		if (substr(rest, 1, 4) == "null") { emit(path, "z", "null"); P += 4; return }
		fail("unexpected character")
	}
	END {
		if (bad) exit 2
		N = length(S); P = 1
		value("")
		ws()
		if (P <= N) fail("trailing characters")
	}'
}

json_get() {
	json_flatten <"$1" | awk -F '\t' -v want="$2" '$1 == want { if ($2 != "z") print $3; found = 1; exit }'
}

json_type() {
	json_flatten <"$1" | awk -F '\t' -v want="$2" '$1 == want { print $2; exit } index($1, want ".") == 1 { print "x"; exit }'
}
