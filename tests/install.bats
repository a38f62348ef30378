#!/usr/bin/env bats
# make install, uninstall, help: the tools and their man pages where PREFIX and DESTDIR say,
# every option of --help in the man page, every target in make help.
load helpers

ROOT="$BATS_TEST_DIRNAME/.."
tools() { sed -n '/^TOOLS = /,/[^\\]$/p' "$ROOT/Makefile" | sed 's/^TOOLS = //; s/\\$//' | tr -s ' \t' '\n' | sed '/^$/d'; }

@test "make install puts every tool and its man page under DESTDIR/PREFIX; man -l renders each" {
	make -s -C "$ROOT" install DESTDIR="$T/x" PREFIX=/usr > /dev/null
	[ "$(tools | wc -l)" -ge 16 ]
	for t in $(tools); do
		[ -x "$T/x/usr/bin/$t" ]
		"$T/x/usr/bin/$t" --version | grep -q "(rbmtools)"
		LC_ALL=C MANWIDTH=200 man -l "$T/x/usr/share/man/man1/$t.1" 2> err | col -b > page
		[ ! -s err ] || { cat err; false; }
		grep -q "^NAME" page
		# every option the tool's --help names appears in its man page
		for o in $("$T/x/usr/bin/$t" --help | grep -oE -- '--[a-z][a-z-]*' | sort -u); do
			grep -qF -- "$o" page || { echo "$t: $o is not in the man page"; false; }
		done
	done
	LC_ALL=C man -l "$T/x/usr/share/man/man5/rbmtools.5" | col -b | grep -q "RBMTDATA"
}

@test "make uninstall removes exactly what make install put there" {
	mkdir -p "$T/x/usr/bin"
	echo keep > "$T/x/usr/bin/other"
	make -s -C "$ROOT" install DESTDIR="$T/x" PREFIX=/usr > /dev/null
	make -s -C "$ROOT" uninstall DESTDIR="$T/x" PREFIX=/usr > /dev/null
	[ "$(find "$T/x" -type f)" = "$T/x/usr/bin/other" ]
}

@test "make help names every target of the Makefile" {
	run make -s -C "$ROOT" help
	[ "$status" -eq 0 ]
	for target in $(sed -n '/^\.PHONY:/,/[^\\]$/p' "$ROOT/Makefile" | sed 's/^\.PHONY://' | tr ' \t\\' '\n\n\n' | sed '/^$/d'); do
		case $target in all) target="[all]" ;; unit-san) continue ;; esac # unit-san: a step of sanitize
		[[ "$output" == *"make $target "* ]] || { echo "make help lacks $target"; false; }
	done
}
