// cgohash calls real C code through cgo, so it needs a C compiler for the
// target; a static build needs the external linker.
package main

/*
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>

// FNV-1a, 64-bit.
static uint64_t fnv1a(const char *s, size_t n)
{
	uint64_t h = 14695981039346656037ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}
*/
import "C"

import (
	"fmt"
	"os"
	"unsafe"
)

func main() {
	msg := "hello from C"
	if len(os.Args) > 1 {
		msg = os.Args[1]
	}
	cs := C.CString(msg)
	defer C.free(unsafe.Pointer(cs))
	fmt.Printf("fnv1a(%q) = %016x\n", msg, uint64(C.fnv1a(cs, C.size_t(len(msg)))))
}
