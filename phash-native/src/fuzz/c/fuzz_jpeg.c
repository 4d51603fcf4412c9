/*
 * libFuzzer harness for the native library (../../main/c/cleanbackup_phash.c): every input goes through
 * cb_phash_decode_jpeg (from memory, as RAW previews are), cb_jpeg_recompress and cb_thumb_jpeg, the entry points
 * that read bytes from a file. Built with AddressSanitizer and UndefinedBehaviorSanitizer by run.sh; libjpeg-turbo is the
 * system's (not instrumented), so coverage counts this file's code only, and a bug inside libjpeg shows up only when
 * it corrupts memory this file owns or crashes.
 *
 * What a run checks besides the sanitizers: every call returns one of the documented codes; an OK recompress hands
 * back a non-empty buffer that starts with SOI; a decode fills width and height when it says TOO_LARGE; an OK
 * thumbnail starts with SOI and is no larger than the side asked for.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cb_phash_decode_jpeg(const char *path, const unsigned char *data, unsigned long length, long long max_pixels,
                         float *out, int *orientation, int *width, int *height, char *msg, int msg_len);
int cb_jpeg_recompress(const unsigned char *data, unsigned long length, int quality, unsigned char **out,
                       unsigned long *out_length, char *msg, int msg_len);
void cb_jpeg_free(unsigned char *p);
int cb_thumb_jpeg(const char *path, const unsigned char *data, unsigned long length, long long max_pixels,
                  int max_side, int quality, unsigned char **out, unsigned long *out_length, int *width, int *height,
                  char *msg, int msg_len);

/* The pixel limit of the fuzz run: small, so a header declaring a huge image is refused and the run stays fast. */
#define FUZZ_MAX_PIXELS (4LL << 20)

static void fail(const char *what, int code, const char *msg) {
    fprintf(stderr, "fuzz_jpeg: %s returned %d (%s)\n", what, code, msg);
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char msg[256];
    float block[1024];
    int orientation = 0, width = -1, height = -1;
    int rc = cb_phash_decode_jpeg(NULL, data, (unsigned long) size, FUZZ_MAX_PIXELS, block, &orientation, &width,
                                  &height, msg, (int) sizeof msg);
    if (rc < 0 || rc > 3) {
        fail("cb_phash_decode_jpeg", rc, msg);
    }
    if (rc == 0 && (orientation < 1 || orientation > 8)) {
        fail("cb_phash_decode_jpeg orientation", orientation, msg);
    }
    if (rc == 3 && (long long) width * height <= FUZZ_MAX_PIXELS) {
        fail("cb_phash_decode_jpeg TOO_LARGE below the limit", rc, msg);
    }
    if (memchr(msg, '\0', sizeof msg) == NULL) {
        fail("cb_phash_decode_jpeg message not terminated", rc, "");
    }

    /* the quality from the input's last byte, so the fuzzer explores it too (1..100, as the Java side passes) */
    int quality = size > 0 ? 1 + data[size - 1] % 100 : 75;
    unsigned char *out = NULL;
    unsigned long out_length = 0;
    rc = cb_jpeg_recompress(data, (unsigned long) size, quality, &out, &out_length, msg, (int) sizeof msg);
    if (rc == 0) {
        if (out == NULL || out_length < 4 || out[0] != 0xFF || out[1] != 0xD8) {
            fail("cb_jpeg_recompress output", rc, msg);
        }
    } else if (rc != 1 && rc != 2) {
        fail("cb_jpeg_recompress", rc, msg);
    } else if (out != NULL) {
        fail("cb_jpeg_recompress left a buffer after a failure", rc, msg);
    }
    cb_jpeg_free(out);

    /* a thumbnail side from the input's first byte (16..271), so every scale is reached */
    int side = size > 0 ? 16 + data[0] : 64;
    out = NULL;
    out_length = 0;
    width = height = -1;
    rc = cb_thumb_jpeg(NULL, data, (unsigned long) size, FUZZ_MAX_PIXELS, side, 80, &out, &out_length, &width,
                       &height, msg, (int) sizeof msg);
    if (rc == 0) {
        if (out == NULL || out_length < 4 || out[0] != 0xFF || out[1] != 0xD8 || width < 1 || height < 1
            || width > side || height > side) {
            fail("cb_thumb_jpeg output", rc, msg);
        }
    } else if (rc < 1 || rc > 3) {
        fail("cb_thumb_jpeg", rc, msg);
    } else if (out != NULL) {
        fail("cb_thumb_jpeg left a buffer after a failure", rc, msg);
    }
    cb_jpeg_free(out);
    return 0;
}
