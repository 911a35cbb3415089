#!/usr/bin/env bats
# The rooms of lib/ and the order of the data's way: a room includes only
# its own headers and those of the rooms before it (kpi.h lists them).
# cmd/ and tests/ may include anything; lib never includes kpi.h.

load test_helper

# room: the rooms it may include, itself first.
allowed() {
	case $1 in
	base) echo "base" ;;
	record) echo "record base" ;;
	value) echo "value base" ;;
	normalize) echo "normalize value record base" ;;
	aggregate) echo "aggregate value record base" ;;
	goal) echo "goal aggregate value record base" ;;
	render) echo "render goal aggregate value record base" ;;
	face) echo "face render goal aggregate normalize value record base" ;;
	*) return 1 ;;
	esac
}

@test "layout: every lib room is known and includes no later room" {
	cd "$KPI_ROOT"
	bad=
	for dir in lib/*/; do
		room=${dir#lib/}; room=${room%/}
		[ "$room" = presets ] && continue
		ok=$(allowed "$room") || { bad="$bad unknown room $room;"; continue; }
		for f in "$dir"*.c "$dir"*.h; do
			[ -e "$f" ] || continue
			while IFS= read -r inc; do
				case $inc in
				*/*) r=${inc%%/*} ;;
				kpi.h) bad="$bad $f includes kpi.h;"; continue ;;
				*) [ -e "$dir$inc" ] || bad="$bad $f: no $inc in $dir;"; continue ;;
				esac
				case " $ok " in
				*" $r "*) ;;
				*) bad="$bad $f includes $inc;" ;;
				esac
			done <<-EOS
			$(sed -n 's/^#include "\(.*\)"/\1/p' "$f")
			EOS
		done
	done
	[ -z "$bad" ] || { echo "$bad"; false; }
}

@test "layout: no C source lies loose in lib/" {
	cd "$KPI_ROOT"
	run sh -c 'ls lib/*.c 2>/dev/null'
	assert_output ""
}
