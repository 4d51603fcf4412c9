/*
 * The floor for file -> hash: how long libjpeg-turbo itself needs to decode each JPEG at the DCT scale the native
 * backend uses (the smallest of 1/8, 1/4, 1/2 keeping both sides >= 32 px), straight to grayscale, single thread,
 * file read included. Nothing of ours runs: no shrinking, no DCT, no JVM.
 *
 * Build and run (from the repository root):
 *   gcc -O2 -o benchmarks/target/decode_floor benchmarks/src/main/c/decode_floor.c -ljpeg
 *   benchmarks/target/decode_floor 20 FILE.jpg...     (docs/benchmarks-phash.md has the exact file list)
 * Prints the best and median time of the given number of passes over all files. A JPEG that libjpeg cannot
 * output as grayscale (CMYK, YCCK) is listed and skipped: the native backend hands those to the Java decoder.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <jpeglib.h>

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *) a, y = *(const double *) b;
    return x < y ? -1 : x > y;
}

static unsigned long decode(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        return 0;
    }
    struct jpeg_decompress_struct cinfo;
    struct jpeg_error_mgr jerr;
    cinfo.err = jpeg_std_error(&jerr);
    jpeg_create_decompress(&cinfo);
    jpeg_stdio_src(&cinfo, f);
    jpeg_read_header(&cinfo, TRUE);
    if (cinfo.jpeg_color_space != JCS_YCbCr && cinfo.jpeg_color_space != JCS_GRAYSCALE) {
        static int told;
        if (!told++) {
            fprintf(stderr, "skipping %s: not YCbCr or grayscale\n", path);
        }
        jpeg_destroy_decompress(&cinfo);
        fclose(f);
        return 0;
    }
    unsigned denom = 8;
    while (denom > 1 && ((cinfo.image_width + denom - 1) / denom < 32 || (cinfo.image_height + denom - 1) / denom < 32)) {
        denom /= 2;
    }
    cinfo.scale_num = 1;
    cinfo.scale_denom = denom;
    cinfo.out_color_space = JCS_GRAYSCALE;
    jpeg_start_decompress(&cinfo);
    unsigned char *row = malloc(cinfo.output_width);
    unsigned long sum = 0;
    while (cinfo.output_scanline < cinfo.output_height) {
        jpeg_read_scanlines(&cinfo, &row, 1);
        sum += row[0];
    }
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);
    free(row);
    fclose(f);
    return sum;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s PASSES FILE.jpg...\n", argv[0]);
        return 2;
    }
    int passes = atoi(argv[1]);
    double *times = malloc(sizeof(double) * (size_t) passes);
    unsigned long sink = 0;
    for (int p = -1; p < passes; p++) { /* pass -1 warms the page cache */
        double t0 = now_ms();
        for (int i = 2; i < argc; i++) {
            sink += decode(argv[i]);
        }
        if (p >= 0) {
            times[p] = now_ms() - t0;
        }
    }
    qsort(times, (size_t) passes, sizeof(double), cmp);
    printf("%d files, %d passes: best %.1f ms, median %.1f ms per pass (sink %lu)\n", argc - 2, passes, times[0],
           times[passes / 2], sink);
    free(times);
    return 0;
}
