#!/bin/sh
# manpage.sh BINDIR TOOL VERSION EPOCH OTHER...: TOOL's man page (roff, section 1) on stdout,
# made from its option table (TOOL --describe: usage, description, options, notes) and the
# one-line summary atop tools/TOOL.c. EPOCH dates the page (the last commit's, so that the same
# tree gives the same page); OTHER... are the tools SEE ALSO names.
set -eu
bindir=$1 tool=$2 version=$3 epoch=$4
shift 4
summary=$(sed -n '1{s#^/\* [^:]*: ##;s# *\*/$##;p}' "$(dirname "$0")/$tool.c")
date=$(date -u -d "@$epoch" +%Y-%m-%d)
"$bindir/$tool" --describe | awk -F '\t' -v tool="$tool" -v version="$version" \
	-v date="$date" -v summary="$summary" -v others="$*" '
# roff text: backslashes, dashes and a leading dot or quote made literal
function esc(s) {
	gsub(/\\/, "\\e", s)
	gsub(/-/, "\\-", s)
	if (s ~ /^[.\047]/) s = "\\&" s
	return s
}
# lines of --help text: a blank line a new paragraph, indented lines (examples) kept as they are
function text(s) {
	if (s == "") { if (pre) { print ".fi"; pre = 0 } print ".PP"; return }
	if (s ~ /^ /) { if (!pre) { print ".nf"; pre = 1 } print esc(s); return }
	if (pre) { print ".fi"; pre = 0 }
	print esc(s)
}
function names(short, long, value,   s) {
	s = (short != "" ? "\\fB" esc(short) "\\fR, " : "") "\\fB" esc(long) "\\fR"
	return s (value != "" ? " \\fI" esc(value) "\\fR" : "")
}
function flush() {
	if (item != "") { print ".TP"; print item; print esc(help) }
	item = ""
}
BEGIN {
	up = toupper(tool)
	printf ".TH %s 1 \"%s\" \"rbmtools %s\" \"rbmtools manual\"\n", esc(up), date, version
	print ".SH NAME"
	print esc(tool) " \\- " esc(summary)
}
$1 == "usage" {
	sub("^" tool " ?", "", $2)
	print ".SH SYNOPSIS"
	print ".B " esc(tool)
	print esc($2)
	print ".SH DESCRIPTION"
}
$1 == "about" { text($2) }
$1 == "option" {
	if (!options) { if (pre) { print ".fi"; pre = 0 } print ".SH OPTIONS"; options = 1 }
	if ($7 == "") { item = item ", " names("", $3, $4); next } # listed with the one before
	flush()
	item = names($2, $3, $4)
	help = $7
}
$1 == "after" {
	flush()
	if (!after) { print ".SH NOTES"; after = 1 }
	text($2)
}
END {
	flush()
	if (pre) print ".fi"
	print ".SH EXIT STATUS"
	print ".TP\n0\nsuccess"
	print ".TP\n1\nrefused input or a failed write: one line on standard error, and no output file left"
	print ".TP\n2\nmisuse: an unknown option, a bad option value or operand; nothing read or written"
	print ".SH SEE ALSO"
	print ".BR rbmtools (5),"
	n = split(others, o, " ")
	for (i = 1; i <= n; i++) printf ".BR %s (1)%s\n", esc(o[i]), i < n ? "," : ""
	print ".PP"
	print "rbmtools.h for the C library (pkg\\-config rbmtools)."
}'
