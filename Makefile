# kpi - KPI tracking as composable Unix filters.
#
# make            build the five filters (cmd/) over lib/libkpi.a
# make check      install what is missing, build, run every test, then run
#                 them all again on an ASan+UBSan build in build/san
# make demo       install what is missing, build, run pipelines/demo.sh:
#                 the funnel pipeline and its report
# make install    PREFIX=/usr/local DESTDIR= : the tools, kpi, manual pages,
#                 the catalogue (share/kpi/kpis.json), bash completions
# make uninstall  the same PREFIX and DESTDIR: removes what install put
#
# Objects go under $(B) so the sanitizer build lives beside the normal one;
# that takes GNU make's pattern rules, which POSIX make lacks.

.POSIX:
.SUFFIXES:

VERSION = 0.1.0
PREFIX = /usr/local
MANPREFIX = $(PREFIX)/share/man
CC = cc
CFLAGS = -O2 -g
LDFLAGS =
B = .
SANFLAGS = -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer

PKGS = jansson libarchive
KPI_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror \
	-Ilib $$(pkg-config --cflags $(PKGS))
# libarchive, its codecs and jansson are linked statically: loading them
# (and the libxml2, ICU and libstdc++ Debian's libarchive.so pulls in) at
# run time costs more than the 2 ms a filter may take to start.  Rows are
# parsed by lib/json.c; jansson reads mapping specs and definition files,
# and checks the codec in the unit tests.
STATIC_LIBS = -Wl,-Bstatic -larchive -lnettle -llzma -lzstd -llz4 -lbz2 -lz \
	-ljansson -Wl,-Bdynamic
KPI_LIBS = -Wl,--as-needed $(STATIC_LIBS) -lm

# Every C file of a lib room; presets.c is generated there when B is ".".
LIBSRC = $(filter-out lib/normalize/presets.c,$(sort $(wildcard lib/*/*.c)))
# Every header, public and private: an object depends on them all, which
# rebuilds a little more than needed and never too little.
HDRS = lib/kpi.h $(wildcard lib/*/*.h)
PRESETS = $(wildcard lib/normalize/presets/*.json)
LIBOBJ = $(LIBSRC:%.c=$(B)/%.o) $(B)/lib/normalize/presets.o
CMDS = kpi kpi-extract kpi-normalize kpi-aggregate kpi-goal kpi-render
BINS = $(CMDS:%=$(B)/cmd/%)
UNITS = $(patsubst tests/unit/%.c,$(B)/tests/unit/%,$(wildcard tests/unit/*_test.c))
# Helpers of the bats tests: jsoncheck checks NDJSON without jq.
TOOLS = $(B)/tests/tools/jsoncheck
MANS = man/kpi.7 $(CMDS:%=man/%.1)

# The headers the build needs and the Debian package of each: plain make
# checks them with the compiler first and names what is missing, instead
# of stopping on "jansson.h: No such file".  pkg-config is checked too.
BUILD_DEPS = libjansson-dev:jansson.h libarchive-dev:archive.h \
	nettle-dev:nettle/aes.h liblzma-dev:lzma.h libzstd-dev:zstd.h \
	liblz4-dev:lz4.h libbz2-dev:bzlib.h zlib1g-dev:zlib.h

# Debian packages the build and the tests need, and a file each one installs.
# GNU parallel (its parcat, since moreutils' parallel is another program)
# runs pipelines/parallel in tests/pipelines.bats; jq, the program users
# pipe records into, runs in the man pages' EXAMPLES
# (tests/man-examples.bats).  The three before GNU parallel are
# kpi-render's real consumers in tests/render.bats: JUnit
# XML checked by xmllint, the exposition read back by prometheus_client's
# parsers, the HTML loaded in headless Chromium.
DEPS = libjansson-dev:/usr/include/jansson.h \
	libarchive-dev:/usr/include/archive.h \
	nettle-dev:/usr/include/nettle/aes.h \
	liblzma-dev:/usr/include/lzma.h \
	libzstd-dev:/usr/include/zstd.h \
	liblz4-dev:/usr/include/lz4.h \
	libbz2-dev:/usr/include/bzlib.h \
	zlib1g-dev:/usr/include/zlib.h \
	pkg-config:/usr/bin/pkg-config \
	bats:/usr/bin/bats \
	mandoc:/usr/bin/mandoc \
	bsdextrautils:/usr/bin/col \
	libarchive-tools:/usr/bin/bsdtar \
	tzdata:/usr/share/zoneinfo/Europe/London \
	libxml2-utils:/usr/bin/xmllint \
	python3-prometheus-client:/usr/lib/python3/dist-packages/prometheus_client/parser.py \
	chromium:/usr/bin/chromium \
	parallel:/usr/bin/parcat \
	jq:/usr/bin/jq

all: $(BINS)

# Says which packages are missing and how to get them, then stops.
build-deps:
	@missing=; command -v pkg-config >/dev/null || missing=" pkg-config"; \
	for d in $(BUILD_DEPS); do \
		printf '#include <%s>\n' "$${d#*:}" | \
		$(CC) $(KPI_CFLAGS) -E -o /dev/null - 2>/dev/null || \
		missing="$$missing $${d%%:*}"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "kpi: missing packages:$$missing" >&2; \
		echo "kpi: 'make deps' (as root) or 'make demo' installs them" >&2; \
		exit 2; \
	fi

$(B)/lib/%.o: lib/%.c $(HDRS) | build-deps
	@mkdir -p $(@D)
	$(CC) $(KPI_CFLAGS) $(CFLAGS) -c -o $@ $<

# The presets are mapping specs compiled into the binary: an installed
# kpi-normalize needs no data files.  Each becomes one C string.
$(B)/lib/normalize/presets.c: $(PRESETS) lib/normalize/presets.awk
	@mkdir -p $(@D)
	awk -f lib/normalize/presets.awk $(PRESETS) >$@

$(B)/lib/normalize/presets.o: $(B)/lib/normalize/presets.c $(HDRS) | build-deps
	$(CC) $(KPI_CFLAGS) $(CFLAGS) -c -o $@ $(B)/lib/normalize/presets.c

$(B)/lib/libkpi.a: $(LIBOBJ)
	rm -f $@
	ar rcs $@ $(LIBOBJ)

$(B)/cmd/%: cmd/%.c $(B)/lib/libkpi.a $(HDRS) | build-deps
	@mkdir -p $(@D)
	$(CC) $(KPI_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(B)/lib/libkpi.a $(KPI_LIBS)

$(B)/tests/unit/%: tests/unit/%.c tests/unit/unit.h $(B)/lib/libkpi.a $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(KPI_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(B)/lib/libkpi.a $(KPI_LIBS)

$(B)/tests/tools/%: tests/tools/%.c | build-deps
	@mkdir -p $(@D)
	$(CC) $(KPI_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(KPI_LIBS)

units: $(UNITS) $(TOOLS)

# Installs missing packages as root; otherwise says what is missing.
deps:
	@missing=; for d in $(DEPS); do test -e "$${d#*:}" || missing="$$missing $${d%%:*}"; done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
		echo "installing:$$missing"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing >/dev/null || exit 2; \
	else \
		echo "missing packages:$$missing"; \
		echo "install them with: sudo apt-get install$$missing"; exit 2; \
	fi

check: deps
	$(MAKE) all units
	KPI_BIN=cmd KPI_UNITS=tests/unit tests/run
	$(MAKE) B=build/san CFLAGS='$(SANFLAGS)' LDFLAGS='$(SANFLAGS)' all units
	KPI_BIN=build/san/cmd KPI_UNITS=build/san/tests/unit tests/run
	cd man && mandoc -T lint -W style $(MANS:man/%=%)

demo: deps
	$(MAKE) all
	pipelines/demo.sh

# Not a test either, and not in check: FUZZ_TIME seconds of damaged
# fixtures given to the sanitizer builds (tests/fuzz/fuzz.c says what is
# checked).  Failures are kept in build/fuzz/work as fail-N.*.
FUZZ_TIME = 60
FUZZ_SEED = 88172645463325252
fuzz: deps
	$(MAKE) B=build/san CFLAGS='$(SANFLAGS)' LDFLAGS='$(SANFLAGS)' all
	rm -rf build/fuzz
	mkdir -p build/fuzz/corpus build/fuzz/work
	$(CC) $(KPI_CFLAGS) $(CFLAGS) $(LDFLAGS) -o build/fuzz/fuzz tests/fuzz/fuzz.c $(KPI_LIBS)
	gzip -c tests/fixtures/csv/orders.csv >build/fuzz/corpus/orders.csv.gz
	gzip -c tests/fixtures/json/charges.ndjson >build/fuzz/corpus/charges.ndjson.gz
	cd tests/fixtures/presets && bsdtar -a -cf ../../../build/fuzz/corpus/exports.zip \
		shopify_messy.csv ga4_channels_2024.csv
	cd tests/fixtures && bsdtar -czf ../../build/fuzz/corpus/orders.tar.gz csv/orders.csv
	build/fuzz/fuzz -t $(FUZZ_TIME) -s $(FUZZ_SEED) -b build/san/cmd -w build/fuzz/work \
		tests/fixtures build/fuzz/corpus

# Numbers, not a test: throughput, memory and start-up of each stage.
bench: all
	tests/bench/run

# The tools find the catalogue from their own directory, bin/../share/kpi
# (lib/face/where.c), so it goes under $(PREFIX)/share whatever PREFIX is.
# One completion script serves every command; bash-completion loads a
# command's completion from a file of the command's name.
COMPDIR = $(PREFIX)/share/bash-completion/completions
install: all
	mkdir -p $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(MANPREFIX)/man1 \
		$(DESTDIR)$(MANPREFIX)/man7 $(DESTDIR)$(PREFIX)/share/kpi \
		$(DESTDIR)$(COMPDIR)
	cp -f $(BINS) $(DESTDIR)$(PREFIX)/bin/
	cp -f $(CMDS:%=man/%.1) $(DESTDIR)$(MANPREFIX)/man1/
	cp -f man/kpi.7 $(DESTDIR)$(MANPREFIX)/man7/
	cp -f pipelines/kpis.json $(DESTDIR)$(PREFIX)/share/kpi/kpis.json
	for c in $(CMDS); do \
		cp -f cmd/kpi.bash-completion $(DESTDIR)$(COMPDIR)/$$c || exit 2; \
	done

uninstall:
	rm -f $(CMDS:%=$(DESTDIR)$(PREFIX)/bin/%) $(CMDS:%=$(DESTDIR)$(MANPREFIX)/man1/%.1) \
		$(DESTDIR)$(MANPREFIX)/man7/kpi.7 \
		$(DESTDIR)$(PREFIX)/share/kpi/kpis.json $(CMDS:%=$(DESTDIR)$(COMPDIR)/%)
	rmdir $(DESTDIR)$(PREFIX)/share/kpi 2>/dev/null || :

clean:
	rm -rf build lib/*/*.o lib/libkpi.a lib/normalize/presets.c $(CMDS:%=cmd/%) tests/unit/*_test tests/tools/jsoncheck

.PHONY: all bench build-deps check clean demo deps fuzz install uninstall units
