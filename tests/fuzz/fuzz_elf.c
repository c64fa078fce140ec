/* fuzz_elf.c: the elf reader on arbitrary bytes, then everything that
 * consumes its facts (JSON, verify). */
#include "xbuild.h"
#include "fuzz.h"
#include "fuzz_reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_reader(xb_elf_inspect, data, size);
}
