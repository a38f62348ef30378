# helpers.bash: fixtures and checks shared by the bats files. Every fixture is made here,
# small, from fixed bytes: no network, no MNIST.

bats_require_minimum_version 1.5.0

BIN="$BATS_TEST_DIRNAME/../bin"
export PATH="$BIN:$PATH"

setup() {
	T="$BATS_TEST_TMPDIR"
	cd "$T"
}

# be32 N: four big-endian bytes as printf escapes
be32() { printf '\\x%02x\\x%02x\\x%02x\\x%02x' $(($1 >> 24 & 255)) $(($1 >> 16 & 255)) $(($1 >> 8 & 255)) $(($1 & 255)); }

# bars_idx FILE: every 4x4 bars-and-stripes image (30 distinct, 2 twice: 32 rows) as IDX
# images of 0/255 bytes; bars_labels FILE: label 0 for stripes, 1 for bars.
bars_idx() {
	local s r c bytes=
	for ((s = 0; s < 16; s++)); do # horizontal stripes: row r on when bit r of s
		for ((r = 0; r < 4; r++)); do for ((c = 0; c < 4; c++)); do
			if ((s >> r & 1)); then bytes+='\xff'; else bytes+='\x00'; fi
		done; done
	done
	for ((s = 0; s < 16; s++)); do # vertical bars: column c on when bit c of s
		for ((r = 0; r < 4; r++)); do for ((c = 0; c < 4; c++)); do
			if ((s >> c & 1)); then bytes+='\xff'; else bytes+='\x00'; fi
		done; done
	done
	printf "\\x00\\x00\\x08\\x03$(be32 32)$(be32 4)$(be32 4)$bytes" > "$1"
}

bars_labels() {
	local i labels=
	for ((i = 0; i < 32; i++)); do if ((i < 16)); then labels+='\x00'; else labels+='\x01'; fi; done
	printf "\\x00\\x00\\x08\\x01$(be32 32)$labels" > "$1"
}

# bars: data file bars.rbd (binary, labelled) and a model bars-init.rbm in the cwd
bars() {
	bars_idx bars.idx
	bars_labels bars.lab
	mnist2bin --binarize threshold --labels bars.lab bars.idx -o bars.rbd
	rbm-init --like bars.rbd -H 8 --seed 3 -o bars-init.rbm
}

# gray: data file gray.rbd, the bars images in gray: bytes 0x20 and 0xc0 instead of 0 and 255
# (intensities 0.125 and 0.75), so that drawing binary rows from them is random. Needs bars.
gray() {
	{ head -c 16 bars.idx; tail -c +17 bars.idx | tr '\000\377' '\040\300'; } > gray.idx
	mnist2bin gray.idx -o gray.rbd
}

# Run a command and require exit status $1, nothing on stdout, a one-line message on stderr
# that contains $2. Usage: fails_cleanly STATUS TEXT command args...
fails_cleanly() {
	local want=$1 text=$2
	shift 2
	run --separate-stderr "$@"
	if [ "$status" -ne "$want" ]; then
		echo "exit $status, wanted $want; stderr: $stderr" >&2
		return 1
	fi
	if [ -n "$output" ]; then
		echo "stdout not empty: $output" >&2
		return 1
	fi
	if [[ "$stderr" != *"$text"* ]]; then
		echo "stderr lacks '$text': $stderr" >&2
		return 1
	fi
	if [ "$want" -eq 1 ] && [ "$(printf '%s\n' "$stderr" | wc -l)" -ne 1 ]; then
		echo "error is not one line: $stderr" >&2
		return 1
	fi
}

# The common contract of a tool: help, version, bad options.
common_cli() {
	local tool=$1
	run "$tool" --help
	[ "$status" -eq 0 ] && [[ "$output" == usage:* ]]
	run "$tool" --version
	[ "$status" -eq 0 ] && [[ "$output" == *"(rbmtools)"* ]]
	fails_cleanly 2 "unknown option '--no-such-option'" "$tool" --no-such-option
	fails_cleanly 2 "unknown option '-Q'" "$tool" -Q
	# the options' descriptions stand in one column (an option too long for it has its own
	# line, its description on the next)
	local cols
	cols=$("$tool" --help | awk '/^  -|^      --/ && match($0, /^ +-[^ ]*( [^ ]+)*  +/) { print RLENGTH }' | sort -u)
	[ "$(printf '%s\n' "$cols" | wc -l)" -eq 1 ] || { echo "$tool --help: descriptions at columns" $cols; return 1; }
	# every tool takes --threads N, as every tool's command line may carry it
	"$tool" --help | grep -qE -- '^ +--threads N '
	fails_cleanly 2 "--threads" "$tool" --threads 0
}

# No file named like $1 (or its temporary) may exist.
no_file() {
	if compgen -G "$1*" > /dev/null; then
		echo "left behind: $(ls "$1"*)" >&2
		return 1
	fi
}

# crc_fix FILE: rewrite the last 4 bytes as the CRC-32 of all before them (gzip's trailer
# carries the same CRC-32, little-endian), so that a patched field meets its own check.
crc_fix() {
	local f=$1 len
	len=$(stat -c %s "$f")
	head -c $((len - 4)) "$f" | gzip -c | tail -c 8 | head -c 4 |
		dd of="$f" bs=1 seek=$((len - 4)) conv=notrunc status=none
}

# patch FILE OFFSET BYTES: write BYTES (printf escapes) at OFFSET, then fix the CRC.
patch() {
	printf "$3" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
	crc_fix "$1"
}

# le32 N: four little-endian bytes as printf escapes
le32() { printf '\\x%02x\\x%02x\\x%02x\\x%02x' $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) $(($1 >> 24 & 255)); }

# set_meta FILE TEXT: replace a model's metadata by TEXT (printf escapes), with a valid CRC.
set_meta() {
	local f=$1 len old
	len=$(stat -c %s "$f")
	old=$(od -An -tu4 -j40 -N4 "$f" | tr -d ' ')
	head -c $((len - 4 - old)) "$f" > "$f.new"
	printf "$2" >> "$f.new"
	printf '\0\0\0\0' >> "$f.new"
	mv "$f.new" "$f"
	patch "$f" 40 "$(le32 "$(printf "$2" | wc -c)")"
}

# py: Debian's python3, which has python3-numpy (make deps), whatever python3 is first on PATH.
py() { /usr/bin/python3 "$@"; }

# floats: a data file floats.rbd of float32 values (the bars' p(h|v) of a trained model: 32
# rows of 8 values in (0, 1)), labelled. Needs bars.
floats() {
	rbm-train -d bars.rbd -e 5 -b 8 --lr 0.1 < bars-init.rbm > floats.rbm
	rbm-hidden -d bars.rbd -m floats.rbm -o floats.rbd
}
