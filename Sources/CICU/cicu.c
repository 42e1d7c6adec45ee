#include "cicu.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>
#include <unicode/uversion.h>

struct cicu_breaker {
    UBreakIterator *iterator;
    UText *text;  // reused across texts: utext_openUTF8 re-initializes it in place
};

void cicu_version(char *buffer, int32_t capacity) {
    UVersionInfo info;
    char full[U_MAX_VERSION_STRING_LENGTH];
    u_getVersion(info);
    snprintf(full, sizeof full, "%d.%d", info[0], info[1]);
    if (capacity > 0) {
        strncpy(buffer, full, (size_t)capacity - 1);
        buffer[capacity - 1] = 0;
    }
}

cicu_breaker *cicu_breaker_open(int32_t kind) {
    UErrorCode status = U_ZERO_ERROR;
    UBreakIteratorType type = kind == CICU_BREAK_WORD ? UBRK_WORD : UBRK_CHARACTER;
    UBreakIterator *iterator = ubrk_open(type, "", NULL, 0, &status);
    if (U_FAILURE(status)) return NULL;
    cicu_breaker *breaker = calloc(1, sizeof *breaker);
    if (!breaker) {
        ubrk_close(iterator);
        return NULL;
    }
    breaker->iterator = iterator;
    return breaker;
}

void cicu_breaker_close(cicu_breaker *breaker) {
    if (!breaker) return;
    if (breaker->text) utext_close(breaker->text);
    ubrk_close(breaker->iterator);
    free(breaker);
}

int32_t cicu_breaker_set_utf8(cicu_breaker *breaker, const uint8_t *text, int64_t length) {
    UErrorCode status = U_ZERO_ERROR;
    breaker->text = utext_openUTF8(breaker->text, (const char *)text, length, &status);
    if (U_FAILURE(status)) return status;
    ubrk_setUText(breaker->iterator, breaker->text, &status);
    return U_FAILURE(status) ? status : 0;
}

int64_t cicu_breaker_next(cicu_breaker *breaker) {
    // Over a UTF-8 UText the iterator reports native indexes: byte offsets.
    int32_t boundary = ubrk_next(breaker->iterator);
    return boundary == UBRK_DONE ? -1 : boundary;
}

int32_t cicu_breaker_rule_status(cicu_breaker *breaker) {
    return ubrk_getRuleStatus(breaker->iterator);
}

// What a string function returns: the length it needs (also when `destination` was too small
// or has no room for a terminator), or −status on failure.
static int32_t conversion_result(UErrorCode status, int32_t needed) {
    if (status == U_BUFFER_OVERFLOW_ERROR || status == U_STRING_NOT_TERMINATED_WARNING) return needed;
    return U_FAILURE(status) ? -status : needed;
}

int32_t cicu_normalize(int32_t form, const uint16_t *source, int32_t length,
                       uint16_t *destination, int32_t capacity) {
    UErrorCode status = U_ZERO_ERROR;
    const UNormalizer2 *normalizer =
        form == CICU_NORMALIZE_NFKC ? unorm2_getNFKCInstance(&status) : unorm2_getNFCInstance(&status);
    if (U_FAILURE(status)) return -status;
    int32_t needed = unorm2_normalize(normalizer, (const UChar *)source, length,
                                      (UChar *)destination, capacity, &status);
    return conversion_result(status, needed);
}

int32_t cicu_to_lower(const uint16_t *source, int32_t length,
                      uint16_t *destination, int32_t capacity) {
    UErrorCode status = U_ZERO_ERROR;
    int32_t needed = u_strToLower((UChar *)destination, capacity, (const UChar *)source, length,
                                  "", &status);
    return conversion_result(status, needed);
}

int32_t cicu_classify_utf8(const uint8_t *text, int64_t length) {
    int32_t kind = CICU_SEGMENT_SPACE;
    int64_t i = 0;
    while (i < length) {
        UChar32 c;
        U8_NEXT(text, i, length, c);
        if (c < 0) continue;
        switch (u_charType(c)) {
        case U_UPPERCASE_LETTER: case U_LOWERCASE_LETTER: case U_TITLECASE_LETTER:
        case U_MODIFIER_LETTER: case U_OTHER_LETTER:
        case U_NON_SPACING_MARK: case U_ENCLOSING_MARK: case U_COMBINING_SPACING_MARK:
        case U_DECIMAL_DIGIT_NUMBER: case U_LETTER_NUMBER: case U_OTHER_NUMBER:
            return CICU_SEGMENT_WORD;
        case U_SPACE_SEPARATOR: case U_LINE_SEPARATOR: case U_PARAGRAPH_SEPARATOR:
        case U_CONTROL_CHAR: case U_FORMAT_CHAR: case U_UNASSIGNED:
        case U_PRIVATE_USE_CHAR: case U_SURROGATE:
            break;
        default:
            // Emoji have ICU's "none" word status like punctuation, but carry meaning.
            if (u_hasBinaryProperty(c, UCHAR_EXTENDED_PICTOGRAPHIC) ||
                u_hasBinaryProperty(c, UCHAR_REGIONAL_INDICATOR))
                return CICU_SEGMENT_WORD;
            kind = CICU_SEGMENT_PUNCTUATION;
        }
    }
    return kind;
}

int32_t cicu_utf8_to_utf16(const uint8_t *source, int32_t length,
                           uint16_t *destination, int32_t capacity) {
    UErrorCode status = U_ZERO_ERROR;
    int32_t needed = 0;
    u_strFromUTF8((UChar *)destination, capacity, &needed, (const char *)source, length, &status);
    return conversion_result(status, needed);
}

int32_t cicu_utf16_to_utf8(const uint16_t *source, int32_t length,
                           uint8_t *destination, int32_t capacity) {
    UErrorCode status = U_ZERO_ERROR;
    int32_t needed = 0;
    u_strToUTF8((char *)destination, capacity, &needed, (const UChar *)source, length, &status);
    return conversion_result(status, needed);
}
