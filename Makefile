# xbuild: one non-recursive Makefile.
#
#   make                    build ./xbuild
#   make check              build and run every test (unit, e2e, fuzz replay)
#   make demo               build and run the main job on the examples
#   make bench              benchmarks against the tools users would run
#                           (BENCH=NAME... runs only bench/NAME.sh)
#   make fuzz               run every libFuzzer target for FUZZ_SECONDS each
#   make install PREFIX=/usr/local DESTDIR=
#   make uninstall / clean
#
# Switches: DEVELOPER=1 adds -Werror; SANITIZE=address,undefined builds
# everything sanitized; NO_DEPS=1 skips scripts/install-deps.

PREFIX ?= /usr/local
BINDIR = $(PREFIX)/bin
LIBEXECDIR = $(PREFIX)/libexec
MANDIR = $(PREFIX)/share/man
DATADIR = $(PREFIX)/share/xbuild
CFLAGS ?= -O2 -g
PKG_CONFIG ?= pkg-config
FUZZ_SECONDS ?= 60
FUZZ_CC ?= clang

B := build

# Warnings come after user CFLAGS, and -w / -Wno-* are dropped from them,
# so that CFLAGS cannot switch the warnings off.
WARNINGS = -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wwrite-strings -Wvla
ifdef DEVELOPER
WARNINGS += -Werror
endif
# CI (CI set in the environment) runs the whole suite against a sanitized
# xbuild; SANITIZE= on the command line turns that off.
ifdef CI
SANITIZE ?= address,undefined
endif
ifdef SANITIZE
SAN_FLAGS = -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
endif

LIB_PKGS = yaml-0.1 libcurl libcrypto libarchive jansson
# The front program, xbuild, links neither libcurl nor libarchive: their
# dependencies (45 objects on Debian) would be most of its start-up.  The
# complete program, xbuild-full, links all and runs the commands that need
# them (cmd/front.c hands them over).  Of libcrypto the front takes the
# SHA-256 and SHA-512 functions (lib/hash.c) from libcrypto.a: the shared
# library's start-up, 0.9 ms, would be half of xbuild's own.
FRONT_PKGS = yaml-0.1 jansson
ALL_CFLAGS = $(filter-out -w -Wno-%,$(CFLAGS)) $(WARNINGS) $(SAN_FLAGS) -D_GNU_SOURCE \
	-DXB_DATADIR='"$(DATADIR)"' $(PKG_CFLAGS) -MMD -MP
ALL_LDFLAGS = $(LDFLAGS) $(SAN_FLAGS)

# lib/ is flat but for the binary readers (untrusted input, each with its
# fuzz target), which form the subsystem lib/bin/.
LIB_SRC := $(sort $(wildcard lib/*.c lib/bin/*.c))
CMD_SRC := $(sort $(wildcard cmd/*.c))
# cmd/front.c makes the front program; the complete one has release.c,
# toolchain-full.c and full.c instead
FULL_ONLY := cmd/release.c cmd/toolchain-full.c cmd/full.c
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
# Small programs the end-to-end tests drive (linked to libxbuild).
TOOL_SRC := $(sort $(wildcard tests/tools/*.c))
# The longest end-to-end tests first, so that with TESTS_JOBS=2 the rest
# runs beside them (zig's first musl build, release's separate Go caches).
E2E_SLOW := tests/e2e/toolchain-zig.sh tests/e2e/release.sh tests/e2e/build.sh \
	tests/e2e/checker_golden.sh
E2E := $(E2E_SLOW) $(filter-out tests/e2e/lib% $(E2E_SLOW),$(sort $(wildcard tests/e2e/*.sh)))

LIB_OBJ := $(LIB_SRC:%.c=$(B)/%.o)
CMD_OBJ := $(CMD_SRC:%.c=$(B)/%.o)
FRONT_OBJ := $(filter-out $(FULL_ONLY:%.c=$(B)/%.o),$(CMD_OBJ))
FULL_OBJ := $(filter-out $(B)/cmd/front.o,$(CMD_OBJ))
UNIT_BIN := $(UNIT_SRC:%.c=$(B)/%)
FUZZ_REPLAY := $(FUZZ_SRC:%.c=$(B)/%-replay)
TOOL_BIN := $(TOOL_SRC:%.c=$(B)/%)
FUZZ_BIN := $(FUZZ_SRC:%.c=$(B)/%-fuzz)
LIBXB := $(B)/libxbuild.a
# Data the binary embeds (profiles/default.yaml and friends).
EMBED_SRC := $(sort $(wildcard profiles/*.yaml))

all: xbuild

.PHONY: all check unit e2e demo bench fuzz install uninstall clean deps

# ---- dependencies and configuration --------------------------------------
ifeq ($(filter clean uninstall,$(MAKECMDGOALS)),)
include $(B)/config.mk
endif

deps:
ifndef NO_DEPS
	@scripts/install-deps
endif

$(B)/config.mk: scripts/install-deps Makefile
	@mkdir -p $(B)
ifndef NO_DEPS
	@scripts/install-deps
endif
	@{ printf 'PKG_CFLAGS = %s\n' "$$($(PKG_CONFIG) --cflags $(LIB_PKGS))" && \
	   printf 'PKG_LIBS = %s\n' "$$($(PKG_CONFIG) --libs $(LIB_PKGS))" && \
	   printf 'FRONT_LIBS = %s %s/libcrypto.a\n' "$$($(PKG_CONFIG) --libs $(FRONT_PKGS))" \
		"$$($(PKG_CONFIG) --variable=libdir libcrypto)" && \
	   printf 'CMOCKA_CFLAGS = %s\n' "$$($(PKG_CONFIG) --cflags cmocka)" && \
	   printf 'CMOCKA_LIBS = %s\n' "$$($(PKG_CONFIG) --libs cmocka)"; \
	 } > $@.tmp && mv $@.tmp $@

# Rebuild everything when the flags change (SANITIZE on or off, ...).
$(B)/flags: FORCE
	@mkdir -p $(B)
	@echo '$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS)' > $@.tmp; \
	 if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi
.PHONY: FORCE
FORCE:

# ---- the library and the program -----------------------------------------
# -Ilib: lib/bin/*.c include "xbuild.h" as lib/*.c do.
$(B)/%.o: %.c $(B)/flags
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Ilib -c -o $@ $<

$(B)/embed.c: $(EMBED_SRC) scripts/embed
	@mkdir -p $(@D)
	scripts/embed $(EMBED_SRC) > $@.tmp && mv $@.tmp $@

$(B)/embed.o: $(B)/embed.c $(B)/flags
	$(CC) $(ALL_CFLAGS) -Ilib -c -o $@ $<

$(LIBXB): $(LIB_OBJ) $(B)/embed.o
	rm -f $@
	$(AR) rcs $@ $^

# `make xbuild` makes both: the front is of no use without the other.
xbuild: $(FRONT_OBJ) $(LIBXB) xbuild-full
	$(CC) $(ALL_LDFLAGS) -o $@ $(FRONT_OBJ) $(LIBXB) $(FRONT_LIBS)

xbuild-full: $(FULL_OBJ) $(LIBXB)
	$(CC) $(ALL_LDFLAGS) -o $@ $(FULL_OBJ) $(LIBXB) $(PKG_LIBS)

# ---- tests ---------------------------------------------------------------
# The invariants every answer of the binary readers keeps: linked into each
# fuzz target, into test_hostile (which holds its mutated samples to them)
# and into test_invariants (which proves they can fail).  The headers are
# named because -MMD records the deps of the last source of a link only.
FUZZ_CHECK := tests/fuzz/invariants.c
FUZZ_HDR := $(wildcard tests/fuzz/*.h)
INVARIANT_TESTS := $(B)/tests/unit/test_hostile $(B)/tests/unit/test_invariants

$(INVARIANT_TESTS): TEST_SRC = $(FUZZ_CHECK)
$(INVARIANT_TESTS): $(FUZZ_CHECK) $(FUZZ_HDR)

$(B)/tests/unit/%: tests/unit/%.c $(LIBXB) $(wildcard tests/unit/*.h)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(CMOCKA_CFLAGS) -Ilib -o $@ $(TEST_SRC) $< $(LIBXB) \
		$(ALL_LDFLAGS) $(PKG_LIBS) $(TEST_LIBS) $(CMOCKA_LIBS)

$(B)/tests/tools/%: tests/tools/%.c $(LIBXB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Ilib -o $@ $< $(LIBXB) $(ALL_LDFLAGS) $(PKG_LIBS)

# Fuzz targets, built with a replay main: `make check` runs them over their
# seed corpus and generated hostile inputs.
$(B)/tests/fuzz/%-replay: tests/fuzz/%.c tests/fuzz/replay.c $(FUZZ_CHECK) $(FUZZ_HDR) $(LIBXB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Ilib -o $@ $< $(FUZZ_CHECK) tests/fuzz/replay.c $(LIBXB) \
		$(ALL_LDFLAGS) $(PKG_LIBS)

# Two test programs at once: the machine has two cores, and many tests
# wait on a link, qemu or a loopback server.
TESTS_JOBS ?= 2
export TESTS_JOBS
check: deps xbuild $(UNIT_BIN) $(FUZZ_REPLAY) $(TOOL_BIN)
	@tests/run $(E2E_SLOW) $(UNIT_BIN) $(FUZZ_REPLAY) $(filter-out $(E2E_SLOW),$(E2E))

unit: xbuild $(UNIT_BIN)
	@tests/run $(UNIT_BIN)

e2e: deps xbuild $(TOOL_BIN)
	@tests/run $(E2E)

# ---- fuzzing (libFuzzer, clang) --------------------------------------------
FUZZ_FLAGS = -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE \
	$(PKG_CFLAGS) -Ilib
# (% takes in bin/ too: build/fuzz-lib/bin/elf.o from lib/bin/elf.c)
$(B)/fuzz-lib/%.o: lib/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS:fuzzer,%=fuzzer-no-link,%) -c -o $@ $<
$(B)/fuzz-lib/embed.o: $(B)/embed.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS:fuzzer,%=fuzzer-no-link,%) -c -o $@ $<
$(B)/tests/fuzz/%-fuzz: tests/fuzz/%.c $(FUZZ_CHECK) $(FUZZ_HDR) \
		$(LIB_SRC:lib/%.c=$(B)/fuzz-lib/%.o) $(B)/fuzz-lib/embed.o
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $(filter-out %.h,$^) $(PKG_LIBS)

fuzz: deps $(FUZZ_BIN)
	@scripts/fuzz $(FUZZ_SECONDS) $(FUZZ_BIN)

# ---- demo and benchmarks -------------------------------------------------
demo: deps xbuild
	@scripts/demo

bench: deps xbuild
	@bench/run $(BENCH)

# ---- install ---------------------------------------------------------------
install: xbuild
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(DATADIR)
	install -d $(DESTDIR)$(LIBEXECDIR)/xbuild
	install -m 755 xbuild $(DESTDIR)$(BINDIR)/xbuild
	install -m 755 xbuild-full $(DESTDIR)$(LIBEXECDIR)/xbuild/xbuild-full
	install -m 644 docs/xbuild.1 $(DESTDIR)$(MANDIR)/man1/xbuild.1
	install -m 644 docs/xbuild-profile.5 $(DESTDIR)$(MANDIR)/man5/xbuild-profile.5
	for d in toolchains profiles; do \
		[ -d $$d ] || continue; \
		install -d $(DESTDIR)$(DATADIR)/$$d; \
		for f in $$d/*; do [ -f "$$f" ] && install -m 644 "$$f" $(DESTDIR)$(DATADIR)/$$d/; done; \
	done
	install -m 644 share/xbuild.mk $(DESTDIR)$(DATADIR)/xbuild.mk

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/xbuild $(DESTDIR)$(MANDIR)/man1/xbuild.1 \
		$(DESTDIR)$(MANDIR)/man5/xbuild-profile.5
	rm -rf $(DESTDIR)$(LIBEXECDIR)/xbuild
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf $(B) xbuild xbuild-full

-include $(shell find $(B) -name '*.d' 2>/dev/null)
