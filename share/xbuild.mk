# xbuild.mk: xbuild for Makefiles (GNU make 4.2 or later).
#
#   include $(or $(shell xbuild --mk-path),$(error xbuild not found))
#
# ($(or ...) stops make when xbuild is not on PATH: a plain include of
# nothing would go on without a word.)
#
# Go programs, one rule per artifact:
#
#   $(call xbuild_target,TARGET,PKG,OUTPUT[,FLAGS])
#
#   $(call xbuild_target,linux/arm64,./cmd/app,bin/app-linux-arm64,--static)
#   $(call xbuild_target,linux/amd64,./cmd/app,bin/app-linux-amd64)
#   all: $(XBUILD_BINS)
#
# Each rule runs `xbuild build`, which plans the target, builds it, checks
# the artifact against the plan and only then puts it at OUTPUT.  Go
# decides what is stale (its build cache makes a rebuild of an unchanged
# package cheap), so these rules always run.
#
# C projects (or anything that wants the target's variables):
#
#   $(call xbuild_env,TARGET[,FLAGS])
#
# sets and exports CC, CXX, CFLAGS, CXXFLAGS, LDFLAGS, SYSROOT, GOOS,
# GOARCH, CGO_ENABLED, GOFLAGS and the XBUILD_* variables of `xbuild env`
# for the rest of the Makefile and its recipes (written to $(XBUILD_DIR)
# and included; make stops when xbuild env fails).
#
# Rules:
#   xbuild-release  build every target of $(XBUILD_PROFILE) into
#                   $(XBUILD_DIST)/{target}/{name}{ext}, each verified
#   xbuild-check    verify existing binaries, $(XBUILD_CHECK) (default:
#                   every xbuild_target output): for the rule's arch and,
#                   for ELF, static unless the rule asked for --dynamic
#                   or --static-pie; $(XBUILD_EXPECT) adds to that
#
# Recipes that run xbuild start with '+', so make hands xbuild its
# jobserver: `make -jN` bounds the compiles of every xbuild run together
# to N; under `make -n` (or -t, -q) they lose it, so make prints them
# without running them.  Under make xbuild prints only errors (stderr,
# prefixed "xbuild:").
#
# Neither including this file nor xbuild_target changes the Makefile's
# default goal.
xbuild__goal := $(.DEFAULT_GOAL)

XBUILD ?= xbuild
XBUILD_PROFILE ?= xbuild.yaml
XBUILD_DIST ?= dist
XBUILD_DIR ?= .xbuild
XBUILD_FLAGS ?=
XBUILD_EXPECT ?=
XBUILD_BINS ?=
XBUILD_CHECK ?= $(XBUILD_BINS)

xbuild__empty :=
xbuild__space := $(xbuild__empty) $(xbuild__empty)
xbuild__comma := ,

# '+' runs a recipe even under -n, -t and -q: then there is none.  The
# single-letter flags are MAKEFLAGS' first word.
xbuild__plus = $(if $(findstring n,$(xbuild__flags))$(findstring \
	t,$(xbuild__flags))$(findstring q,$(xbuild__flags)),,+)
xbuild__flags = $(filter-out --%,$(firstword -$(MAKEFLAGS)))

# The linkage FLAGS ask for: the expectation of xbuild-check.  Only ELF
# targets have one (a PE or Mach-O binary always loads system libraries).
xbuild__linkage = $(if $(filter --dynamic,$(1)),dynamic,$(if \
	$(filter --static-pie,$(1)),static-pie,static))
xbuild__noelf = windows darwin ios plan9 js wasip1 aix
xbuild__expect = $(if $(filter $(xbuild__noelf),$(word 1,$(subst /, ,$(1)))),,linkage=$(call \
	xbuild__linkage,$(2)),)arch=$(word 2,$(subst /, ,$(1)))

# The rule keeps the default goal as it was: the Makefile's first target.
define xbuild__target
XBUILD_BINS += $(3)
xbuild__expect.$(3) := $(call xbuild__expect,$(1),$(4))
xbuild__goal := $$(.DEFAULT_GOAL)
$(3): xbuild--always
	$$(xbuild__plus)$$(XBUILD) build --target $(1) -o $$@ $$(XBUILD_FLAGS) $(4) $(2)
.DEFAULT_GOAL := $$(xbuild__goal)
endef
xbuild_target = $(eval $(call xbuild__target,$(strip $(1)),$(strip \
	$(2)),$(strip $(3)),$(4)))

# The variables file of one TARGET and FLAGS.
xbuild__envfile = $(XBUILD_DIR)/env-$(subst /,_,$(subst \
	$(xbuild__space),_,$(strip $(1) $(2)))).mk

define xbuild__env
xbuild__out := $$(shell mkdir -p '$(XBUILD_DIR)' && $$(XBUILD) env \
	--format make --target $(1) $$(XBUILD_FLAGS) $(2) > '$(3).tmp' && \
	mv '$(3).tmp' '$(3)')
$$(if $$(filter 0,$$(.SHELLSTATUS)),,$$(error xbuild env --target $(1) \
	$(2) failed))
include $(3)
endef
xbuild_env = $(eval $(call xbuild__env,$(strip $(1)),$(2),$(call \
	xbuild__envfile,$(1),$(2))))

xbuild__profile = $(if $(wildcard $(XBUILD_PROFILE)),-p $(XBUILD_PROFILE))
xbuild__dist = -o '$(XBUILD_DIST)/{target}/{name}{ext}'

xbuild-release:
	$(xbuild__plus)$(XBUILD) build $(xbuild__profile) $(xbuild__dist) $(XBUILD_FLAGS)

# One verify per file, each with its own rule's expectation.
xbuild-check:
	$(if $(strip $(XBUILD_CHECK)),,$(error xbuild-check: no binaries \
		(set XBUILD_CHECK or use xbuild_target)))
	$(foreach f,$(XBUILD_CHECK),$(XBUILD) verify --expect '$(subst \
		$(xbuild__space),$(xbuild__comma),$(strip \
		$(or $(xbuild__expect.$(f)),linkage=static) \
		$(XBUILD_EXPECT)))' $(f) && ) true

xbuild--always:

.PHONY: xbuild-release xbuild-check xbuild--always
.DEFAULT_GOAL := $(xbuild__goal)
