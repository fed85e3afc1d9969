/*
 * greeter: a library-world guest (wit/guests/greeter, world library) built as a WASI preview 1
 * reactor and turned into a component with the reactor adapter. It uses WASI through libc:
 * getenv("GREETING"), a line to standard error per call, and the file /config/suffix.txt when a
 * preopen provides it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "library.h"

static uint32_t calls;

void exports_docs_greeter_greet_greet(library_string_t *name, library_string_t *ret) {
    calls++;
    const char *greeting = getenv("GREETING");
    if (!greeting) {
        greeting = "Hello";
    }
    char suffix[128] = "";
    FILE *f = fopen("/config/suffix.txt", "r");
    if (f) {
        suffix[0] = ' ';
        if (!fgets(suffix + 1, sizeof suffix - 1, f)) {
            suffix[0] = 0;
        }
        suffix[strcspn(suffix, "\n")] = 0;
        fclose(f);
    }
    fprintf(stderr, "greet(%.*s)\n", (int)name->len, (const char *)name->ptr);
    fflush(stderr);
    size_t cap = strlen(greeting) + name->len + strlen(suffix) + 8;
    char *out = malloc(cap);
    int n = snprintf(out, cap, "%s, %.*s!%s", greeting, (int)name->len, (const char *)name->ptr, suffix);
    library_string_free(name);
    ret->ptr = (uint8_t *)out;
    ret->len = (size_t)n;
}

uint32_t exports_docs_greeter_greet_calls(void) {
    return calls;
}
