#!/bin/sh
# completion.sh BINDIR TOOL...: bash completion for the tools, on stdout: each tool's options
# as its --help lists them (so it cannot fall behind), the names --kernel, --optimizer, ...
# take, and file names elsewhere. make install puts it in bash-completion's directory under
# every tool's name.
set -eu
bindir=$1
shift
cat <<'HEAD'
# bash completion for the rbmtools tools; made by tools/completion.sh from each --help.
_rbmtools() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]} opts=
	case ${COMP_WORDS[0]##*/} in
HEAD
for t in "$@"; do
	# the options that open the help's option lines, and --progress where a line names it
	opts=$({ "$bindir/$t" --help | grep -E '^ +-' | sed -E 's/^ +//; s/  .*//' |
		grep -oE -- '--?[a-zA-Z][a-zA-Z0-9-]*'
		"$bindir/$t" --help | grep -E '^ +-' | grep -oE -- '--progress'; } |
		sort -u | tr '\n' ' ' | sed 's/ $//')
	printf "\t%s) opts='%s' ;;\n" "$t" "$opts"
done
cat <<'TAIL'
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
		return
	fi
	case $prev in
	--kernel) COMPREPLY=($(compgen -W 'auto dense binary delta' -- "$cur")); return ;;
	--optimizer) COMPREPLY=($(compgen -W 'sgd momentum adam adamw' -- "$cur")); return ;;
	--objective) COMPREPLY=($(compgen -W 'generative discriminative hybrid' -- "$cur")); return ;;
	--visible) COMPREPLY=($(compgen -W 'bernoulli gaussian' -- "$cur")); return ;;
	--binarize) COMPREPLY=($(compgen -W 'none threshold sample' -- "$cur")); return ;;
	--init) COMPREPLY=($(compgen -W 'noise' -f -- "$cur")) ;;
	*) COMPREPLY=($(compgen -f -- "$cur")) ;;
	esac
	compopt -o filenames 2>/dev/null
	return 0
}
TAIL
printf 'complete -F _rbmtools'
printf ' %s' "$@"
printf '\n'
