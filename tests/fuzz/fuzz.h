/* fuzz.h: the libFuzzer entry point every fuzz target defines.  Built with
 * clang -fsanitize=fuzzer by `make fuzz`, and with replay.c by `make
 * check`, which runs the target over its seed corpus. */
#ifndef XBUILD_FUZZ_H
#define XBUILD_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
