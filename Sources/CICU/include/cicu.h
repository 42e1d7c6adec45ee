// A small C face over libicu for Swift. Only stdint types and opaque handles appear here:
// ICU renames its functions per version with macros Swift cannot import, and ICU's headers
// clash with Foundation's private copy of them when both are visible to one Swift file.
#ifndef CICU_H
#define CICU_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// ICU's version as "major.minor" (e.g. "72.1"), written into `buffer` (NUL-terminated).
void cicu_version(char *buffer, int32_t capacity);

typedef struct cicu_breaker cicu_breaker;

enum {
    CICU_BREAK_CHARACTER = 0,  ///< extended grapheme clusters
    CICU_BREAK_WORD = 1,       ///< words, with dictionary segmentation for CJK and Thai
};

/// Opens a reusable break iterator of `kind` for the root locale. Returns NULL on failure.
cicu_breaker *cicu_breaker_open(int32_t kind);
void cicu_breaker_close(cicu_breaker *breaker);

/// Points the iterator at valid UTF-8 text, without copying it. The text must outlive the use.
/// Returns 0 on success, an ICU error code otherwise.
int32_t cicu_breaker_set_utf8(cicu_breaker *breaker, const uint8_t *text, int64_t length);

/// The next boundary as a byte offset into the text that was set, or -1 at the end.
int64_t cicu_breaker_next(cicu_breaker *breaker);

/// The rule status of the boundary just returned (ICU's UWordBreak values for words:
/// 0..99 none, 100.. number, 200.. letter, 300.. kana, 400.. ideograph).
int32_t cicu_breaker_rule_status(cicu_breaker *breaker);

enum {
    CICU_NORMALIZE_NFC = 1,
    CICU_NORMALIZE_NFKC = 2,
};

/// Normalizes UTF-16 `source` into `destination`. Returns the length needed: when it is larger
/// than `capacity`, nothing useful was written and the caller retries with a larger buffer.
/// Returns a negative value on an ICU error.
int32_t cicu_normalize(int32_t form, const uint16_t *source, int32_t length,
                       uint16_t *destination, int32_t capacity);

/// Full lowercasing of UTF-16 text for the root locale, with the same length contract.
int32_t cicu_to_lower(const uint16_t *source, int32_t length,
                      uint16_t *destination, int32_t capacity);

enum {
    CICU_SEGMENT_SPACE = 0,        ///< only white space, controls or format characters
    CICU_SEGMENT_PUNCTUATION = 1,  ///< punctuation or symbols, no letters, digits or emoji
    CICU_SEGMENT_WORD = 2,         ///< letters, marks, digits or emoji (pictographs, flags)
};

/// Classifies a segment of valid UTF-8 by its characters: a word when any code point is a
/// letter, mark, number, extended pictograph or regional indicator; punctuation when any is
/// punctuation or a symbol; space otherwise.
int32_t cicu_classify_utf8(const uint8_t *text, int64_t length);

/// Converts valid UTF-8 to UTF-16. Returns the length needed in UTF-16 units (retry with a
/// larger buffer when it exceeds `capacity`), or a negative value on an ICU error.
int32_t cicu_utf8_to_utf16(const uint8_t *source, int32_t length,
                           uint16_t *destination, int32_t capacity);

/// Converts UTF-16 to UTF-8, with the same length contract (in bytes).
int32_t cicu_utf16_to_utf8(const uint16_t *source, int32_t length,
                           uint8_t *destination, int32_t capacity);

#ifdef __cplusplus
}
#endif

#endif
