#!/bin/sh
# completion.sh BINDIR TOOL...: bash completion for the tools, on stdout, made from each tool's
# option table (TOOL --describe): its options, and after an option what its value is: words
# (a --kernel's names), files, directories, or a number or text, for which nothing is offered.
# make install puts it in bash-completion's directory under every tool's name.
set -eu
bindir=$1
shift
cat <<'HEAD'
# bash completion for the rbmtools tools; made by tools/completion.sh from each tool's table.
_rbmtools() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev= opts= kind= words= pre=
	((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
	# --opt=VALUE: one word, or three where COMP_WORDBREAKS splits at '='
	if [[ $cur == --*=* ]]; then
		prev=${cur%%=*} pre=$prev= cur=${cur#*=}
	elif [[ $prev == = ]] && ((COMP_CWORD > 1)); then
		prev=${COMP_WORDS[COMP_CWORD - 2]}
	elif [[ $cur == = ]] && ((COMP_CWORD > 0)); then
		cur=
	fi
	case ${COMP_WORDS[0]##*/} in
HEAD
for t in "$@"; do
	"$bindir/$t" --describe | awk -F '\t' -v tool="$t" '
	$1 == "option" {
		opts = opts (opts ? " " : "") $3 ($2 != "" ? " " $2 : "")
		if ($5 == "flag") next
		# the options whose values complete alike share one case
		key = ($5 == "value" && $6 != "" ? "words" : $5) " words='\''" $6 "'\''"
		if (!(key in names)) order[++n] = key
		names[key] = names[key] (names[key] ? "|" : "") ($2 != "" ? $2 "|" : "") $3
	}
	END {
		printf "\t%s)\n\t\topts='\''%s'\''\n", tool, opts
		printf "\t\tcase $prev in\n"
		for (i = 1; i <= n; i++) printf "\t\t%s) kind=%s ;;\n", names[order[i]], order[i]
		printf "\t\tesac ;;\n"
	}'
done
cat <<'TAIL'
	esac
	if [[ -z $kind && $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
		return 0
	fi
	case $kind in
	value) COMPREPLY=() ;; # a number or text: nothing to offer
	words) COMPREPLY=($(compgen -P "$pre" -W "$words" -- "$cur")) ;;
	dir) COMPREPLY=($(compgen -P "$pre" -d -- "$cur")); compopt -o filenames 2>/dev/null ;;
	*) COMPREPLY=($(compgen -P "$pre" -W "$words" -f -- "$cur")); compopt -o filenames 2>/dev/null ;;
	esac
	return 0
}
TAIL
printf 'complete -F _rbmtools'
printf ' %s' "$@"
printf '\n'
