// The baseline: a plain C loop over ICU's break iterator on UTF-8 lines held in memory.
//
//     icu_break_loop LINES_FILE char|word [SECONDS]
//
// Each line is set on one reused UText (utext_openUTF8) and walked with ubrk_next; at word
// level the rule status of every boundary is read too, as a tokenizer must. Prints
// `MB/s segments/line`. Time is the process's CPU time, so that other processes sharing the
// machine do not count against it.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unicode/ubrk.h>
#include <unicode/utext.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: icu_break_loop LINES_FILE char|word [SECONDS]\n");
        return 2;
    }
    int word = strcmp(argv[2], "word") == 0;
    double seconds = argc > 3 ? atof(argv[3]) : 2;
    FILE *file = fopen(argv[1], "rb");
    if (!file) {
        perror(argv[1]);
        return 1;
    }
    fseek(file, 0, SEEK_END);
    long size = ftell(file);
    fseek(file, 0, SEEK_SET);
    char *text = malloc(size + 1);
    if (fread(text, 1, size, file) != (size_t)size) return 1;
    fclose(file);

    // Lines as (start, length) pairs without their newline.
    long count = 0, capacity = 1024;
    long *starts = malloc(capacity * sizeof *starts), *lengths = malloc(capacity * sizeof *lengths);
    long bytes = 0;
    for (long i = 0; i < size;) {
        long j = i;
        while (j < size && text[j] != '\n') j++;
        if (count == capacity) {
            capacity *= 2;
            starts = realloc(starts, capacity * sizeof *starts);
            lengths = realloc(lengths, capacity * sizeof *lengths);
        }
        starts[count] = i;
        lengths[count] = j - i;
        bytes += j - i;
        count++;
        i = j + 1;
    }

    UErrorCode status = U_ZERO_ERROR;
    UBreakIterator *breaker = ubrk_open(word ? UBRK_WORD : UBRK_CHARACTER, "", NULL, 0, &status);
    UText *ut = NULL;
    if (U_FAILURE(status)) return 1;
    long segments = 0, statusSum = 0, passes = 0;
    double start = now(), elapsed;
    do {
        for (long l = 0; l < count; l++) {
            ut = utext_openUTF8(ut, text + starts[l], lengths[l], &status);
            ubrk_setUText(breaker, ut, &status);
            while (ubrk_next(breaker) != UBRK_DONE) {
                segments++;
                if (word) statusSum += ubrk_getRuleStatus(breaker);
            }
        }
        passes++;
        elapsed = now() - start;
    } while (elapsed < seconds);
    if (U_FAILURE(status)) return 1;
    printf("%.2f %.2f\n", (double)bytes * passes / elapsed / 1e6, (double)segments / (passes * count));
    fprintf(stderr, "%ld\n", statusSum);  // keeps the status reads from being optimized away
    utext_close(ut);
    ubrk_close(breaker);
    return 0;
}
