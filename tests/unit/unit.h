/* unit.h: what every cmocka unit test includes. */
#ifndef XBUILD_UNIT_H
#define XBUILD_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "xbuild.h"

#define RUN(tests) cmocka_run_group_tests(tests, NULL, NULL)

#endif
