# presets.awk - turns lib/normalize/presets/NAME.json files into lib/normalize/presets.c: a
# table of { "NAME", "JSON text" } for kpi_preset_find().
BEGIN {
	print "/* Generated from the JSON files of lib/normalize/presets/ by lib/normalize/presets.awk. */"
	print "#include \"normalize/normalize.h\""
	print ""
	print "const struct kpi_preset kpi_presets[] = {"
}
FNR == 1 {
	if (NR > 1)
		print "\t},"
	name = FILENAME
	sub(/.*\//, "", name)
	sub(/\.json$/, "", name)
	printf "\t{ \"%s\",\n", name
}
{
	line = $0
	gsub(/\\/, "\\\\", line)
	gsub(/"/, "\\\"", line)
	printf "\t    \"%s\\n\"\n", line
}
END {
	if (NR > 0)
		print "\t},"
	print "\t{ NULL, NULL }"
	print "};"
}
