# xbuild.mk: xbuild for Makefiles.
#
#   include $(shell xbuild --mk-path)
#
#   # one rule per target: $(call xbuild_target,TARGET,PKG,OUTPUT[,FLAGS])
#   $(call xbuild_target,linux/arm64,./cmd/app,bin/app-linux-arm64,--static)
#   $(call xbuild_target,linux/amd64,./cmd/app,bin/app-linux-amd64)
#
#   all: bin/app-linux-arm64 bin/app-linux-amd64
#
# Rules it adds:
#   xbuild-release   xbuild release -p $(XBUILD_PROFILE) -o $(XBUILD_DIST)
#   xbuild-check     xbuild verify $(XBUILD_CHECK) --expect $(XBUILD_EXPECT)
#
# Recipes start with '+', so xbuild shares make's jobserver: `make -jN`
# bounds the compiles of every xbuild run together to N.  Under make, xbuild
# prints only errors (to stderr, prefixed "xbuild:").

XBUILD ?= xbuild
XBUILD_PROFILE ?= xbuild.yaml
XBUILD_DIST ?= dist
XBUILD_FLAGS ?=
XBUILD_CHECK ?=
XBUILD_EXPECT ?= linkage=static

# $(call xbuild_target,TARGET,PKG,OUTPUT[,FLAGS]) defines the rule for
# OUTPUT.  Go decides what is stale (its build cache makes a rebuild of an
# unchanged package cheap), so the rule always runs.
define xbuild__target
$(3): xbuild--always
	+$$(XBUILD) build --quiet --target $(1) -o $$@ $(XBUILD_FLAGS) $(4) $(2)
endef
xbuild_target = $(eval $(call xbuild__target,$(1),$(2),$(3),$(4)))

xbuild-release:
	+$(XBUILD) release --quiet -p $(XBUILD_PROFILE) -o $(XBUILD_DIST) $(XBUILD_FLAGS)

xbuild-check:
	$(XBUILD) verify --expect $(XBUILD_EXPECT) $(XBUILD_CHECK)

xbuild--always:

.PHONY: xbuild-release xbuild-check xbuild--always
