/*
 * Clean-Backup native part: libjpeg-turbo decoding straight to a 32x32 luma block and the DCT kernel for the
 * perceptual hash (NativePerceptualHasher.java), JPEG recompression for `compress` (NativeJpegCompressor.java), and
 * thumbnails for `review` (NativeThumbnailDecoder.java).
 * Called from Java through the Foreign Function and Memory API.
 *
 * Build: gcc -O2 -fPIC -shared -ffp-contract=off -fno-fast-math cleanbackup_phash.c -ljpeg
 * -ffp-contract=off keeps a*b+c as a multiply and an add, as Java does, so the kernel gives the same bits as the
 * Java kernels; see DctBasis.java for the accumulation order every kernel follows.
 */
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <jerror.h>

#define CB_OK 0
#define CB_ERROR 1        /* damaged or unreadable: message filled */
#define CB_NOT_JPEG 2     /* not a JPEG or a colour space we do not reduce to luma: let Java decode it */
#define CB_TOO_LARGE 3    /* above the pixel limit: width and height filled */
#define CB_NO_FILE 4      /* could not open: message filled */

/* C8[u-1][i] = sqrt(2/32) cos(pi (2i+1) u / 64) rounded to float; the same literals as DctBasis.java. */
static const float C8[8 * 32] = {
    0x1.ff621ep-3f, 0x1.fa7558p-3f, 0x1.f0a7fp-3f, 0x1.e2121p-3f,
    0x1.ced7bp-3f, 0x1.b72834p-3f, 0x1.9b3e04p-3f, 0x1.7b5df2p-3f,
    0x1.57d694p-3f, 0x1.30ff8p-3f, 0x1.07387ap-3f, 0x1.b5d1p-4f,
    0x1.58f9a8p-4f, 0x1.f19f98p-5f, 0x1.2c8106p-5f, 0x1.91f66p-7f,
    -0x1.91f66p-7f, -0x1.2c8106p-5f, -0x1.f19f98p-5f, -0x1.58f9a8p-4f,
    -0x1.b5d1p-4f, -0x1.07387ap-3f, -0x1.30ff8p-3f, -0x1.57d694p-3f,
    -0x1.7b5df2p-3f, -0x1.9b3e04p-3f, -0x1.b72834p-3f, -0x1.ced7bp-3f,
    -0x1.e2121p-3f, -0x1.f0a7fp-3f, -0x1.fa7558p-3f, -0x1.ff621ep-3f,
    0x1.fd88dap-3f, 0x1.e9f416p-3f, 0x1.c38b3p-3f, 0x1.8bc806p-3f,
    0x1.44cf32p-3f, 0x1.e2b5d4p-4f, 0x1.294062p-4f, 0x1.917a6cp-6f,
    -0x1.917a6cp-6f, -0x1.294062p-4f, -0x1.e2b5d4p-4f, -0x1.44cf32p-3f,
    -0x1.8bc806p-3f, -0x1.c38b3p-3f, -0x1.e9f416p-3f, -0x1.fd88dap-3f,
    -0x1.fd88dap-3f, -0x1.e9f416p-3f, -0x1.c38b3p-3f, -0x1.8bc806p-3f,
    -0x1.44cf32p-3f, -0x1.e2b5d4p-4f, -0x1.294062p-4f, -0x1.917a6cp-6f,
    0x1.917a6cp-6f, 0x1.294062p-4f, 0x1.e2b5d4p-4f, 0x1.44cf32p-3f,
    0x1.8bc806p-3f, 0x1.c38b3p-3f, 0x1.e9f416p-3f, 0x1.fd88dap-3f,
    0x1.fa7558p-3f, 0x1.ced7bp-3f, 0x1.7b5df2p-3f, 0x1.07387ap-3f,
    0x1.f19f98p-5f, -0x1.91f66p-7f, -0x1.58f9a8p-4f, -0x1.30ff8p-3f,
    -0x1.9b3e04p-3f, -0x1.e2121p-3f, -0x1.ff621ep-3f, -0x1.f0a7fp-3f,
    -0x1.b72834p-3f, -0x1.57d694p-3f, -0x1.b5d1p-4f, -0x1.2c8106p-5f,
    0x1.2c8106p-5f, 0x1.b5d1p-4f, 0x1.57d694p-3f, 0x1.b72834p-3f,
    0x1.f0a7fp-3f, 0x1.ff621ep-3f, 0x1.e2121p-3f, 0x1.9b3e04p-3f,
    0x1.30ff8p-3f, 0x1.58f9a8p-4f, 0x1.91f66p-7f, -0x1.f19f98p-5f,
    -0x1.07387ap-3f, -0x1.7b5df2p-3f, -0x1.ced7bp-3f, -0x1.fa7558p-3f,
    0x1.f6297cp-3f, 0x1.a9b662p-3f, 0x1.1c73b4p-3f, 0x1.8f8b84p-5f,
    -0x1.8f8b84p-5f, -0x1.1c73b4p-3f, -0x1.a9b662p-3f, -0x1.f6297cp-3f,
    -0x1.f6297cp-3f, -0x1.a9b662p-3f, -0x1.1c73b4p-3f, -0x1.8f8b84p-5f,
    0x1.8f8b84p-5f, 0x1.1c73b4p-3f, 0x1.a9b662p-3f, 0x1.f6297cp-3f,
    0x1.f6297cp-3f, 0x1.a9b662p-3f, 0x1.1c73b4p-3f, 0x1.8f8b84p-5f,
    -0x1.8f8b84p-5f, -0x1.1c73b4p-3f, -0x1.a9b662p-3f, -0x1.f6297cp-3f,
    -0x1.f6297cp-3f, -0x1.a9b662p-3f, -0x1.1c73b4p-3f, -0x1.8f8b84p-5f,
    0x1.8f8b84p-5f, 0x1.1c73b4p-3f, 0x1.a9b662p-3f, 0x1.f6297cp-3f,
    0x1.f0a7fp-3f, 0x1.7b5df2p-3f, 0x1.58f9a8p-4f, -0x1.2c8106p-5f,
    -0x1.30ff8p-3f, -0x1.ced7bp-3f, -0x1.ff621ep-3f, -0x1.b72834p-3f,
    -0x1.07387ap-3f, -0x1.91f66p-7f, 0x1.b5d1p-4f, 0x1.9b3e04p-3f,
    0x1.fa7558p-3f, 0x1.e2121p-3f, 0x1.57d694p-3f, 0x1.f19f98p-5f,
    -0x1.f19f98p-5f, -0x1.57d694p-3f, -0x1.e2121p-3f, -0x1.fa7558p-3f,
    -0x1.9b3e04p-3f, -0x1.b5d1p-4f, 0x1.91f66p-7f, 0x1.07387ap-3f,
    0x1.b72834p-3f, 0x1.ff621ep-3f, 0x1.ced7bp-3f, 0x1.30ff8p-3f,
    0x1.2c8106p-5f, -0x1.58f9a8p-4f, -0x1.7b5df2p-3f, -0x1.f0a7fp-3f,
    0x1.e9f416p-3f, 0x1.44cf32p-3f, 0x1.917a6cp-6f, -0x1.e2b5d4p-4f,
    -0x1.c38b3p-3f, -0x1.fd88dap-3f, -0x1.8bc806p-3f, -0x1.294062p-4f,
    0x1.294062p-4f, 0x1.8bc806p-3f, 0x1.fd88dap-3f, 0x1.c38b3p-3f,
    0x1.e2b5d4p-4f, -0x1.917a6cp-6f, -0x1.44cf32p-3f, -0x1.e9f416p-3f,
    -0x1.e9f416p-3f, -0x1.44cf32p-3f, -0x1.917a6cp-6f, 0x1.e2b5d4p-4f,
    0x1.c38b3p-3f, 0x1.fd88dap-3f, 0x1.8bc806p-3f, 0x1.294062p-4f,
    -0x1.294062p-4f, -0x1.8bc806p-3f, -0x1.fd88dap-3f, -0x1.c38b3p-3f,
    -0x1.e2b5d4p-4f, 0x1.917a6cp-6f, 0x1.44cf32p-3f, 0x1.e9f416p-3f,
    0x1.e2121p-3f, 0x1.07387ap-3f, -0x1.2c8106p-5f, -0x1.7b5df2p-3f,
    -0x1.ff621ep-3f, -0x1.9b3e04p-3f, -0x1.f19f98p-5f, 0x1.b5d1p-4f,
    0x1.ced7bp-3f, 0x1.f0a7fp-3f, 0x1.30ff8p-3f, -0x1.91f66p-7f,
    -0x1.57d694p-3f, -0x1.fa7558p-3f, -0x1.b72834p-3f, -0x1.58f9a8p-4f,
    0x1.58f9a8p-4f, 0x1.b72834p-3f, 0x1.fa7558p-3f, 0x1.57d694p-3f,
    0x1.91f66p-7f, -0x1.30ff8p-3f, -0x1.f0a7fp-3f, -0x1.ced7bp-3f,
    -0x1.b5d1p-4f, 0x1.f19f98p-5f, 0x1.9b3e04p-3f, 0x1.ff621ep-3f,
    0x1.7b5df2p-3f, 0x1.2c8106p-5f, -0x1.07387ap-3f, -0x1.e2121p-3f,
    0x1.d906bcp-3f, 0x1.87de2ap-4f, -0x1.87de2ap-4f, -0x1.d906bcp-3f,
    -0x1.d906bcp-3f, -0x1.87de2ap-4f, 0x1.87de2ap-4f, 0x1.d906bcp-3f,
    0x1.d906bcp-3f, 0x1.87de2ap-4f, -0x1.87de2ap-4f, -0x1.d906bcp-3f,
    -0x1.d906bcp-3f, -0x1.87de2ap-4f, 0x1.87de2ap-4f, 0x1.d906bcp-3f,
    0x1.d906bcp-3f, 0x1.87de2ap-4f, -0x1.87de2ap-4f, -0x1.d906bcp-3f,
    -0x1.d906bcp-3f, -0x1.87de2ap-4f, 0x1.87de2ap-4f, 0x1.d906bcp-3f,
    0x1.d906bcp-3f, 0x1.87de2ap-4f, -0x1.87de2ap-4f, -0x1.d906bcp-3f,
    -0x1.d906bcp-3f, -0x1.87de2ap-4f, 0x1.87de2ap-4f, 0x1.d906bcp-3f,
};

/*
 * The DCT kernel: D = C8 * X * C8^T, in DctBasis's order: separate multiply and add, each sum in index order from
 * 0.0f. The loops run with the summed index outermost, so the innermost loop updates independent elements (which
 * gcc may vectorize) while every element still sees the same sequence of operations as the Java scalar kernel.
 */
void cb_phash_dct(const float *x, float *out) {
    float t[8 * 32];
    float ct[32 * 8];
    for (int u = 0; u < 8; u++) {
        for (int j = 0; j < 32; j++) {
            ct[j * 8 + u] = C8[u * 32 + j];
        }
    }
    for (int u = 0; u < 8; u++) {
        float *tu = t + u * 32;
        for (int j = 0; j < 32; j++) {
            tu[j] = 0.0f;
        }
        for (int i = 0; i < 32; i++) {
            float c = C8[u * 32 + i];
            const float *xi = x + i * 32;
            for (int j = 0; j < 32; j++) {
                tu[j] += c * xi[j];
            }
        }
    }
    for (int u = 0; u < 8; u++) {
        float *du = out + u * 8;
        for (int v = 0; v < 8; v++) {
            du[v] = 0.0f;
        }
        for (int j = 0; j < 32; j++) {
            float tj = t[u * 32 + j];
            const float *cj = ct + j * 8;
            for (int v = 0; v < 8; v++) {
                du[v] += tj * cj[v];
            }
        }
    }
}

/* ---- area averaging: the same rule as AreaAverager.java ---- */

typedef struct {
    int *start;   /* size + 1 */
    int *cell;
    double *weight;
} spans;

/*
 * size source pixels spanning [0, extent): extent is size for a full-size decode, and width / denom for a DCT-scaled
 * one, whose last pixel stands for a partial 8x8 block (e.g. 346 rows at 1/8 give 44 rows, the last covering only
 * 2/8 of a row: extent 43.25), so the geometry matches the full-size image exactly.
 */
static int spans_init(spans *s, int size, double extent) {
    s->start = malloc(sizeof(int) * (size_t) (size + 1));
    s->cell = malloc(sizeof(int) * (size_t) (size + 33));
    s->weight = malloc(sizeof(double) * (size_t) (size + 33));
    if (!s->start || !s->cell || !s->weight) {
        return -1;
    }
    int k = 0;
    for (int src = 0; src < size; src++) {
        s->start[src] = k;
        double src_end = src + 1 < extent ? src + 1 : extent;
        for (int o = (int) (src * 32 / extent); o < 32 && o * extent / 32 < src_end; o++) {
            double lo = o * extent / 32 > src ? o * extent / 32 : src;
            double end = (o + 1) * extent / 32;
            double hi = end < src_end ? end : src_end;
            if (hi > lo) {
                s->cell[k] = o;
                s->weight[k] = hi - lo;
                k++;
            }
        }
    }
    s->start[size] = k;
    return 0;
}

static void spans_free(spans *s) {
    free(s->start);
    free(s->cell);
    free(s->weight);
}

/* ---- libjpeg error handling: longjmp back instead of exit(), keep the message ---- */

typedef struct {
    struct jpeg_error_mgr pub;
    jmp_buf jump;
    int truncated;
    char message[JMSG_LENGTH_MAX];
} error_mgr;

static void on_error(j_common_ptr cinfo) {
    error_mgr *err = (error_mgr *) cinfo->err;
    (*cinfo->err->format_message)(cinfo, err->message);
    longjmp(err->jump, 1);
}

static void on_message(j_common_ptr cinfo, int level) {
    error_mgr *err = (error_mgr *) cinfo->err;
    if (level < 0) {
        /* a warning; a premature end of data means the file is cut short: fail rather than hash gray filler */
        if (cinfo->err->msg_code == JWRN_JPEG_EOF) {
            err->truncated = 1;
            (*cinfo->err->format_message)(cinfo, err->message);
            longjmp(err->jump, 1);
        }
        cinfo->err->num_warnings++;
    }
}

static void on_output(j_common_ptr cinfo) {
    (void) cinfo; /* never print to the JVM's stderr */
}

/* Points cinfo at err: errors longjmp to err->jump (the caller's setjmp), warnings go to emit, nothing is printed. */
static void use_errors(j_common_ptr cinfo, error_mgr *err, void (*emit)(j_common_ptr, int)) {
    cinfo->err = jpeg_std_error(&err->pub);
    err->pub.error_exit = on_error;
    err->pub.emit_message = emit;
    err->pub.output_message = on_output;
    err->truncated = 0;
    err->message[0] = '\0';
}

/*
 * Opens a JPEG given as a path (then *file is set; close it) or as bytes, and checks it starts with SOI: CB_OK,
 * CB_NO_FILE or CB_NOT_JPEG (with a message).
 */
static int open_jpeg(const char *path, const unsigned char *data, unsigned long length, FILE **file, char *msg,
                     int msg_len) {
    *file = NULL;
    if (path != NULL) {
        *file = fopen(path, "rb");
        if (*file == NULL) {
            snprintf(msg, (size_t) msg_len, "cannot open the file");
            return CB_NO_FILE;
        }
        int c0 = fgetc(*file), c1 = fgetc(*file);
        if (c0 != 0xFF || c1 != 0xD8) {
            fclose(*file);
            *file = NULL;
            snprintf(msg, (size_t) msg_len, "not a JPEG file (no start-of-image marker)");
            return CB_NOT_JPEG;
        }
        rewind(*file);
    } else if (length < 2 || data[0] != 0xFF || data[1] != 0xD8) {
        snprintf(msg, (size_t) msg_len, "not a JPEG file (no start-of-image marker)");
        return CB_NOT_JPEG;
    }
    return CB_OK;
}

/* Reads the header from the file or the bytes, keeping the APP1 segments (EXIF). May longjmp, as libjpeg does. */
static void read_header(j_decompress_ptr d, FILE *file, const unsigned char *data, unsigned long length) {
    if (file != NULL) {
        jpeg_stdio_src(d, file);
    } else {
        jpeg_mem_src(d, data, length);
    }
    jpeg_save_markers(d, JPEG_APP0 + 1, 0xFFFF);
    jpeg_read_header(d, TRUE);
}

/*
 * Bounds for hostile files. libjpeg's own pool allocations stop at CB_MAX_MEMORY when recompressing and at
 * CB_MAX_DECODE_MEMORY when hashing (max_memory_to_use: without a backing store, a request beyond it is an error,
 * not a swap file); the pixel limit checked from the header comes first. A progressive JPEG may hold any number of
 * scans, each a full pass over the coefficients: a small file of thousands of tiny scans costs minutes of CPU
 * (the denial of service TurboJPEG's scan limit, also 500, exists for), so more than CB_MAX_SCANS is refused from
 * the progress monitor, which libjpeg calls as it reads each scan.
 */
#define CB_MAX_MEMORY (256L << 20)
#define CB_MAX_DECODE_MEMORY (1024L << 20)
#define CB_MAX_SCANS 500

typedef struct {
    struct jpeg_progress_mgr pub;
    error_mgr *err;
} scan_limit;

static void on_progress(j_common_ptr cinfo) {
    if (cinfo->is_decompressor) {
        j_decompress_ptr d = (j_decompress_ptr) cinfo;
        if (d->progressive_mode && d->input_scan_number > CB_MAX_SCANS) {
            error_mgr *err = ((scan_limit *) cinfo->progress)->err;
            snprintf(err->message, sizeof err->message, "progressive JPEG with more than %d scans: refused",
                     CB_MAX_SCANS);
            longjmp(err->jump, 1);
        }
    }
}

static void limit_decompress(j_decompress_ptr d, scan_limit *limit, error_mgr *err, long max_memory) {
    d->mem->max_memory_to_use = max_memory;
    limit->pub.progress_monitor = on_progress;
    limit->err = err;
    d->progress = &limit->pub;
}

/* ---- EXIF orientation from the APP1 segment ---- */

static unsigned read16(const unsigned char *p, int big) {
    return big ? (unsigned) (p[0] << 8 | p[1]) : (unsigned) (p[1] << 8 | p[0]);
}

static unsigned long read32(const unsigned char *p, int big) {
    return big ? ((unsigned long) p[0] << 24 | (unsigned long) p[1] << 16 | (unsigned long) p[2] << 8 | p[3])
               : ((unsigned long) p[3] << 24 | (unsigned long) p[2] << 16 | (unsigned long) p[1] << 8 | p[0]);
}

static int exif_orientation(j_decompress_ptr cinfo) {
    for (jpeg_saved_marker_ptr m = cinfo->marker_list; m != NULL; m = m->next) {
        if (m->marker != JPEG_APP0 + 1 || m->data_length < 14 || memcmp(m->data, "Exif\0\0", 6) != 0) {
            continue;
        }
        const unsigned char *t = m->data + 6;
        unsigned long len = m->data_length - 6;
        int big;
        if (t[0] == 'M' && t[1] == 'M') {
            big = 1;
        } else if (t[0] == 'I' && t[1] == 'I') {
            big = 0;
        } else {
            return 1;
        }
        unsigned long ifd = read32(t + 4, big);
        if (ifd + 2 > len) {
            return 1;
        }
        unsigned count = read16(t + ifd, big);
        for (unsigned i = 0; i < count; i++) {
            unsigned long e = ifd + 2 + 12UL * i;
            if (e + 12 > len) {
                return 1;
            }
            if (read16(t + e, big) == 0x0112) {
                unsigned v = read16(t + e + 8, big);
                return v >= 1 && v <= 8 ? (int) v : 1;
            }
        }
        return 1;
    }
    return 1;
}

/* Everything decode() allocates, owned by the caller so it can be freed after a longjmp out of libjpeg. */
typedef struct {
    struct jpeg_decompress_struct cinfo;
    error_mgr err;
    int created;
    FILE *file;
    spans xs, ys;
    double *sums;
    double *rowsums;
    unsigned char *rows;
    scan_limit limit;
} decode_state;

static int decode(decode_state *st, const unsigned char *data, unsigned long length, long long max_pixels,
                  float *out, int *orientation, int *width, int *height, char *msg, int msg_len) {
    struct jpeg_decompress_struct *cinfo = &st->cinfo;
    use_errors((j_common_ptr) cinfo, &st->err, on_message);
    if (setjmp(st->err.jump)) {
        snprintf(msg, (size_t) msg_len, st->err.truncated ? "truncated JPEG (%s)" : "damaged JPEG: %s",
                 st->err.message);
        return CB_ERROR;
    }
    jpeg_create_decompress(cinfo);
    st->created = 1;
    /* a progressive JPEG keeps every coefficient: 150 megapixels (the default pixel limit) need about 450 MB */
    limit_decompress(cinfo, &st->limit, &st->err, CB_MAX_DECODE_MEMORY);
    read_header(cinfo, st->file, data, length);

    *width = (int) cinfo->image_width;
    *height = (int) cinfo->image_height;
    /* refuse decompression bombs from the header, before any pixel buffer exists */
    if ((long long) cinfo->image_width * cinfo->image_height > max_pixels) {
        return CB_TOO_LARGE;
    }
    if (cinfo->jpeg_color_space != JCS_YCbCr && cinfo->jpeg_color_space != JCS_GRAYSCALE) {
        return CB_NOT_JPEG; /* CMYK, YCCK, RGB JPEGs: libjpeg cannot output their luma directly */
    }
    *orientation = exif_orientation(cinfo);

    /* DCT-domain scaling: the smallest of 1/8, 1/4, 1/2 whose output keeps both sides >= 32 */
    unsigned denom = 8;
    while (denom > 1 && ((cinfo->image_width + denom - 1) / denom < 32
                         || (cinfo->image_height + denom - 1) / denom < 32)) {
        denom /= 2;
    }
    cinfo->scale_num = 1;
    cinfo->scale_denom = denom;
    cinfo->out_color_space = JCS_GRAYSCALE; /* the Y channel: chroma is never upsampled or converted */
    cinfo->dct_method = JDCT_ISLOW;
    jpeg_start_decompress(cinfo);

    int w = (int) cinfo->output_width, h = (int) cinfo->output_height;
    double extent_x = (double) cinfo->image_width / denom, extent_y = (double) cinfo->image_height / denom;
    int batch = cinfo->rec_outbuf_height > 0 ? (int) cinfo->rec_outbuf_height : 1;
    if (batch > 16) {
        batch = 16;
    }
    if (spans_init(&st->xs, w, extent_x) != 0 || spans_init(&st->ys, h, extent_y) != 0
        || (st->sums = calloc(32 * 32, sizeof(double))) == NULL
        || (st->rowsums = malloc(32 * sizeof(double))) == NULL
        || (st->rows = malloc((size_t) w * (size_t) batch)) == NULL) {
        snprintf(msg, (size_t) msg_len, "out of memory");
        return CB_ERROR;
    }
    JSAMPROW pointers[16];
    for (int k = 0; k < batch; k++) {
        pointers[k] = st->rows + (size_t) k * (size_t) w;
    }
    const spans *xs = &st->xs, *ys = &st->ys;
    double *sums = st->sums, *rowsums = st->rowsums;
    while (cinfo->output_scanline < cinfo->output_height) {
        int y0 = (int) cinfo->output_scanline;
        int got = (int) jpeg_read_scanlines(cinfo, pointers, (JDIMENSION) batch);
        for (int r = 0; r < got; r++) {
            const unsigned char *row = pointers[r];
            for (int o = 0; o < 32; o++) {
                rowsums[o] = 0;
            }
            for (int x = 0; x < w; x++) {
                double p = row[x];
                for (int k = xs->start[x]; k < xs->start[x + 1]; k++) {
                    rowsums[xs->cell[k]] += xs->weight[k] * p;
                }
            }
            int y = y0 + r;
            for (int k = ys->start[y]; k < ys->start[y + 1]; k++) {
                double *dst = sums + ys->cell[k] * 32;
                double wy = ys->weight[k];
                for (int o = 0; o < 32; o++) {
                    dst[o] += wy * rowsums[o];
                }
            }
        }
    }
    jpeg_finish_decompress(cinfo);
    double area = (extent_x / 32) * (extent_y / 32);
    for (int i = 0; i < 1024; i++) {
        out[i] = (float) (sums[i] / area);
    }
    return CB_OK;
}

/*
 * Decodes a JPEG to its 32x32 luma block. Input is a file (path != NULL) or bytes in memory (data, length).
 * Returns CB_OK and fills out[1024], *orientation (EXIF 1..8), *width and *height (of the full image); or another
 * CB_ code, with a one-line message in msg for CB_ERROR and CB_NO_FILE, and *width and *height for CB_TOO_LARGE.
 */
int cb_phash_decode_jpeg(const char *path, const unsigned char *data, unsigned long length, long long max_pixels,
                         float *out, int *orientation, int *width, int *height, char *msg, int msg_len) {
    decode_state st;
    memset(&st, 0, sizeof st);
    msg[0] = '\0';
    *orientation = 1;
    int opened = open_jpeg(path, data, length, &st.file, msg, msg_len);
    if (opened != CB_OK) {
        return opened;
    }
    int result = decode(&st, data, length, max_pixels, out, orientation, width, height, msg, msg_len);
    if (st.created) {
        jpeg_destroy_decompress(&st.cinfo);
    }
    if (st.file != NULL) {
        fclose(st.file);
    }
    spans_free(&st.xs);
    spans_free(&st.ys);
    free(st.sums);
    free(st.rowsums);
    free(st.rows);
    return result;
}

/* ---- JPEG recompression: libjpeg-turbo decode and encode, DCT planes passed through at their own sampling ---- */

/*
 * Why raw data: jpeg_read_raw_data hands over the Y, Cb and Cr planes at their stored resolution, and
 * jpeg_write_raw_data takes them as they are. No colour conversion, no chroma upsampling and downsampling: the
 * fastest path through libjpeg-turbo, and the only one that adds no rounding of its own beyond the new
 * quantisation. The encoder gets the source's sampling factors (ImageMagick keeps them too, through its
 * jpeg:sampling-factor property), optimised Huffman tables (ImageMagick's default), sequential (not progressive)
 * coding, the accurate integer DCT, and no JFIF or Adobe marker: the caller splices the original's metadata
 * segments in, exactly as it does for the ImageIO encoder.
 */

typedef struct {
    struct jpeg_decompress_struct d;
    struct jpeg_compress_struct c;
    error_mgr err;
    int d_created, c_created;
    /* the output buffer: ours, so that whatever happens it is freed once (see cb_dest_empty) */
    struct jpeg_destination_mgr dest;
    unsigned char *out;
    unsigned long out_size;
    size_t out_capacity;
    unsigned char *planes;
    JSAMPROW *rows;
    scan_limit limit;
    /* thumbnails only (cb_thumb_jpeg): the box sums of one output row, the pixels before and after orienting */
    unsigned *sums;
    unsigned char *small;
    unsigned char *oriented;
    int *column;
} recompress_state;

/*
 * The encoder's destination, in a buffer this file owns. libjpeg's jpeg_mem_dest frees the buffer it handed out
 * when it grows and tells the caller the new one only at the end: an error after a growth left the caller holding
 * a freed pointer (freed a second time) while the live buffer leaked. Here st->out is always the live buffer, grown
 * by realloc (which keeps it valid when it fails) and bounded like libjpeg's own memory.
 */
static void cb_dest_init(j_compress_ptr c) {
    recompress_state *st = (recompress_state *) c->client_data;
    st->out_capacity = 65536;
    st->out = malloc(st->out_capacity);
    if (st->out == NULL) {
        ERREXIT1(c, JERR_OUT_OF_MEMORY, 10);
    }
    st->dest.next_output_byte = st->out;
    st->dest.free_in_buffer = st->out_capacity;
}

static boolean cb_dest_empty(j_compress_ptr c) {
    recompress_state *st = (recompress_state *) c->client_data;
    size_t used = st->out_capacity;
    size_t capacity = used * 2;
    if (capacity > (size_t) CB_MAX_MEMORY) {
        ERREXIT1(c, JERR_OUT_OF_MEMORY, 11);
    }
    unsigned char *grown = realloc(st->out, capacity);
    if (grown == NULL) {
        ERREXIT1(c, JERR_OUT_OF_MEMORY, 12);
    }
    st->out = grown;
    st->out_capacity = capacity;
    st->dest.next_output_byte = grown + used;
    st->dest.free_in_buffer = capacity - used;
    return TRUE;
}

static void cb_dest_term(j_compress_ptr c) {
    recompress_state *st = (recompress_state *) c->client_data;
    st->out_size = (unsigned long) (st->out_capacity - st->dest.free_in_buffer);
}

/* Any warning from the decoder (a truncated file, corrupt data, extraneous bytes) means damage: refuse the file. */
static void on_recompress_message(j_common_ptr cinfo, int level) {
    if (level < 0) {
        error_mgr *err = (error_mgr *) cinfo->err;
        err->truncated = cinfo->err->msg_code == JWRN_JPEG_EOF;
        (*cinfo->err->format_message)(cinfo, err->message);
        longjmp(err->jump, 1);
    }
}

static int recompress(recompress_state *st, const unsigned char *data, unsigned long length, int quality,
                      char *msg, int msg_len) {
    struct jpeg_decompress_struct *d = &st->d;
    struct jpeg_compress_struct *c = &st->c;
    use_errors((j_common_ptr) d, &st->err, on_recompress_message);
    if (setjmp(st->err.jump)) {
        snprintf(msg, (size_t) msg_len, st->err.truncated ? "damaged: truncated (%s)" : "damaged: %s",
                 st->err.message);
        return CB_ERROR;
    }
    jpeg_create_decompress(d);
    st->d_created = 1;
    limit_decompress(d, &st->limit, &st->err, CB_MAX_MEMORY);
    jpeg_mem_src(d, data, length);
    jpeg_read_header(d, TRUE);
    /* the whole image's planes pass through memory: refuse, from the header, what the bound cannot hold */
    if ((unsigned long long) d->image_width * d->image_height * (unsigned long long) d->num_components
        > (unsigned long long) CB_MAX_MEMORY) {
        snprintf(msg, (size_t) msg_len, "JPEG of %ux%u: too large to recompress in memory (limit %ld MiB)",
                 (unsigned) d->image_width, (unsigned) d->image_height, CB_MAX_MEMORY >> 20);
        return CB_NOT_JPEG;
    }
    if (d->data_precision != 8 || d->arith_code
        || !((d->jpeg_color_space == JCS_YCbCr && d->num_components == 3)
             || (d->jpeg_color_space == JCS_GRAYSCALE && d->num_components == 1))) {
        const char *what = d->data_precision != 8 ? "a JPEG of more than 8 bits"
                           : d->arith_code ? "arithmetic-coded JPEG"
                           : d->jpeg_color_space == JCS_RGB ? "RGB-coded JPEG"
                           : d->jpeg_color_space == JCS_CMYK ? "CMYK JPEG"
                           : d->jpeg_color_space == JCS_YCCK ? "YCCK JPEG" : "a JPEG colour layout";
        snprintf(msg, (size_t) msg_len, "%s: not re-encoded", what);
        return CB_NOT_JPEG;
    }
    d->raw_data_out = TRUE;
    d->dct_method = JDCT_ISLOW;
    jpeg_start_decompress(d);

    c->err = &st->err.pub; /* one error manager: a failure on either side lands in the setjmp above */
    jpeg_create_compress(c);
    st->c_created = 1;
    c->mem->max_memory_to_use = CB_MAX_MEMORY;
    c->client_data = st;
    st->dest.init_destination = cb_dest_init;
    st->dest.empty_output_buffer = cb_dest_empty;
    st->dest.term_destination = cb_dest_term;
    c->dest = &st->dest;
    c->image_width = d->image_width;
    c->image_height = d->image_height;
    c->input_components = d->num_components;
    c->in_color_space = d->jpeg_color_space;
    jpeg_set_defaults(c);
    jpeg_set_colorspace(c, d->jpeg_color_space);
    for (int i = 0; i < d->num_components; i++) {
        c->comp_info[i].h_samp_factor = d->comp_info[i].h_samp_factor;
        c->comp_info[i].v_samp_factor = d->comp_info[i].v_samp_factor;
    }
    c->write_JFIF_header = FALSE;
    c->write_Adobe_marker = FALSE;
    jpeg_set_quality(c, quality, TRUE);
    c->optimize_coding = TRUE;
    c->dct_method = JDCT_ISLOW;
    c->raw_data_in = TRUE;
    jpeg_start_compress(c, TRUE);

    /* One iMCU row of every component at a time: max_v_samp * 8 luma rows, v_samp * 8 rows of each plane. */
    int n = d->num_components;
    size_t stride[MAX_COMPONENTS], total = 0;
    int rows = 0;
    for (int i = 0; i < n; i++) {
        jpeg_component_info *comp = &d->comp_info[i];
        size_t mcus = (comp->width_in_blocks + (JDIMENSION) comp->h_samp_factor - 1) / (JDIMENSION) comp->h_samp_factor;
        stride[i] = mcus * (size_t) comp->h_samp_factor * DCTSIZE;
        total += stride[i] * (size_t) comp->v_samp_factor * DCTSIZE;
        rows += comp->v_samp_factor * DCTSIZE;
    }
    st->planes = malloc(total);
    st->rows = malloc(sizeof(JSAMPROW) * (size_t) rows);
    if (st->planes == NULL || st->rows == NULL) {
        snprintf(msg, (size_t) msg_len, "out of memory");
        return CB_ERROR;
    }
    JSAMPARRAY per_component[MAX_COMPONENTS];
    unsigned char *p = st->planes;
    JSAMPROW *r = st->rows;
    for (int i = 0; i < n; i++) {
        per_component[i] = r;
        for (int k = 0; k < d->comp_info[i].v_samp_factor * DCTSIZE; k++) {
            *r++ = p;
            p += stride[i];
        }
    }
    JDIMENSION lines = (JDIMENSION) d->max_v_samp_factor * DCTSIZE;
    while (d->output_scanline < d->output_height) {
        if (jpeg_read_raw_data(d, per_component, lines) == 0) {
            snprintf(msg, (size_t) msg_len, "damaged: no image data");
            return CB_ERROR;
        }
        jpeg_write_raw_data(c, per_component, lines);
    }
    jpeg_finish_decompress(d); /* reads to EOI: damage after the last row is still a refusal */
    jpeg_finish_compress(c);
    return CB_OK;
}

/*
 * Ends a recompression or a thumbnail, whatever happened (after a longjmp too): destroys libjpeg's objects, frees
 * every buffer, and hands over the encoded bytes for CB_OK (the caller frees them with cb_jpeg_free) or frees them.
 */
static int release(recompress_state *st, int result, unsigned char **out, unsigned long *out_length) {
    if (st->c_created) {
        jpeg_destroy_compress(&st->c);
    }
    if (st->d_created) {
        jpeg_destroy_decompress(&st->d);
    }
    free(st->planes);
    free(st->rows);
    free(st->sums);
    free(st->small);
    free(st->oriented);
    free(st->column);
    if (result == CB_OK) {
        *out = st->out;
        *out_length = st->out_size;
    } else {
        free(st->out);
    }
    return result;
}

/*
 * Re-encodes the JPEG in data[0..length) at quality (1..100): same size and sampling factors, no APPn or COM
 * segments. Returns CB_OK with *out (free it with cb_jpeg_free) and *out_length; CB_ERROR (damaged) or
 * CB_NOT_JPEG (a variant we do not re-encode: CMYK, RGB, 12-bit, lossless, arithmetic) with a message.
 */
int cb_jpeg_recompress(const unsigned char *data, unsigned long length, int quality, unsigned char **out,
                       unsigned long *out_length, char *msg, int msg_len) {
    recompress_state st;
    memset(&st, 0, sizeof st);
    msg[0] = '\0';
    *out = NULL;
    *out_length = 0;
    if (length < 2 || data[0] != 0xFF || data[1] != 0xD8) {
        snprintf(msg, (size_t) msg_len, "not a JPEG file (no start-of-image marker)");
        return CB_ERROR;
    }
    int result = recompress(&st, data, length, quality, msg, msg_len);
    return release(&st, result, out, out_length);
}

void cb_jpeg_free(unsigned char *p) {
    free(p);
}

/* ---- thumbnails: a DCT-scaled colour decode, a box shrink, the EXIF orientation, a JPEG encode ---- */

/*
 * Why everything happens here rather than in Java: the decode at 1/8 (or 1/4, 1/2) scale is libjpeg-turbo's reduced
 * IDCT, the shrink is a few additions per pixel, and the encode of a few hundred pixels a side takes well under a
 * millisecond, so one call and one copy of the finished bytes into Java is the cheapest path (docs/benchmarks.md,
 * "Thumbnails", has the measurement against returning RGB and encoding with ImageIO).
 *
 * Memory is bounded before it is allocated: the pixel limit from the header; libjpeg's own pools at CB_MAX_MEMORY; the
 * scaled decode never holds more than one batch of rows (the shrink folds each row into one output row of sums as it
 * arrives); the output and its oriented copy are at most max_side squared, which the Java side bounds.
 */

/* Maps (x, y) of the stored w x h picture to its place in the oriented one (EXIF 1..8; 5..8 swap the sides). */
static void orient(int orientation, int x, int y, int w, int h, int *ox, int *oy) {
    switch (orientation) {
        case 2: *ox = w - 1 - x; *oy = y; break;
        case 3: *ox = w - 1 - x; *oy = h - 1 - y; break;
        case 4: *ox = x; *oy = h - 1 - y; break;
        case 5: *ox = y; *oy = x; break;
        case 6: *ox = h - 1 - y; *oy = x; break;
        case 7: *ox = h - 1 - y; *oy = w - 1 - x; break;
        case 8: *ox = y; *oy = w - 1 - x; break;
        default: *ox = x; *oy = y; break;
    }
}

static int thumbnail(recompress_state *st, FILE *file, const unsigned char *data, unsigned long length,
                     long long max_pixels, int max_side, int quality, int *width, int *height, char *msg, int msg_len) {
    struct jpeg_decompress_struct *d = &st->d;
    struct jpeg_compress_struct *c = &st->c;
    use_errors((j_common_ptr) d, &st->err, on_message); /* as the hash: a cut-short file fails, other warnings pass */
    if (setjmp(st->err.jump)) {
        snprintf(msg, (size_t) msg_len, st->err.truncated ? "truncated JPEG (%s)" : "damaged JPEG: %s",
                 st->err.message);
        return CB_ERROR;
    }
    jpeg_create_decompress(d);
    st->d_created = 1;
    limit_decompress(d, &st->limit, &st->err, CB_MAX_MEMORY);
    read_header(d, file, data, length);
    *width = (int) d->image_width;
    *height = (int) d->image_height;
    if ((long long) d->image_width * d->image_height > max_pixels) {
        return CB_TOO_LARGE;
    }
    if (d->jpeg_color_space != JCS_YCbCr && d->jpeg_color_space != JCS_GRAYSCALE && d->jpeg_color_space != JCS_RGB) {
        snprintf(msg, (size_t) msg_len, "a JPEG colour space libjpeg does not turn into RGB (CMYK, YCCK)");
        return CB_NOT_JPEG;
    }
    int orientation = exif_orientation(d);

    /* the smallest of 1/8, 1/4, 1/2, 1/1 whose longer side still reaches max_side (so the shrink only shrinks) */
    unsigned long longer = d->image_width > d->image_height ? d->image_width : d->image_height;
    unsigned denom = 8;
    while (denom > 1 && (longer + denom - 1) / denom < (unsigned long) max_side) {
        denom /= 2;
    }
    d->scale_num = 1;
    d->scale_denom = denom;
    d->out_color_space = JCS_RGB;
    d->dct_method = JDCT_IFAST;        /* a thumbnail does not need the accurate IDCT; at 1/8 it is DC-only anyway */
    d->do_fancy_upsampling = FALSE;    /* chroma by replication: invisible at thumbnail size, and cheaper */
    jpeg_start_decompress(d);

    int w = (int) d->output_width, h = (int) d->output_height;
    /* the thumbnail's size from the full image's (the scaled output rounds its sides up), as the Java path does */
    int tw = (int) d->image_width, th = (int) d->image_height;
    if (longer > (unsigned long) max_side) {
        tw = (int) (((long long) d->image_width * max_side + (long long) longer / 2) / (long long) longer);
        th = (int) (((long long) d->image_height * max_side + (long long) longer / 2) / (long long) longer);
    }
    if (tw > w) tw = w;
    if (th > h) th = h;
    if (tw < 1) tw = 1;
    if (th < 1) th = 1;
    int batch = d->rec_outbuf_height > 0 ? (int) d->rec_outbuf_height : 1;
    if (batch > 16) {
        batch = 16;
    }
    st->planes = malloc((size_t) w * 3 * (size_t) batch);
    st->sums = calloc((size_t) tw * 4, sizeof(unsigned)); /* R, G, B and the count of each output pixel */
    st->small = malloc((size_t) tw * (size_t) th * 3);
    st->oriented = malloc((size_t) tw * (size_t) th * 3);
    int *column = st->column = malloc(sizeof(int) * (size_t) w);
    if (st->planes == NULL || st->sums == NULL || st->small == NULL || st->oriented == NULL || column == NULL) {
        snprintf(msg, (size_t) msg_len, "out of memory");
        return CB_ERROR;
    }
    for (int x = 0; x < w; x++) {
        column[x] = (int) ((long long) x * tw / w);
    }
    JSAMPROW pointers[16];
    for (int k = 0; k < batch; k++) {
        pointers[k] = st->planes + (size_t) k * (size_t) w * 3;
    }
    /* Each source pixel adds to the one output pixel it falls in (a box filter; the scale is always >= 1). */
    int current = 0;
    while (d->output_scanline < d->output_height) {
        int y0 = (int) d->output_scanline;
        int got = (int) jpeg_read_scanlines(d, pointers, (JDIMENSION) batch);
        for (int r = 0; r < got; r++) {
            int ty = (int) ((long long) (y0 + r) * th / h);
            if (ty != current) {
                unsigned char *dst = st->small + (size_t) current * (size_t) tw * 3;
                for (int x = 0; x < tw; x++) {
                    unsigned n = st->sums[x * 4 + 3] ? st->sums[x * 4 + 3] : 1;
                    for (int k = 0; k < 3; k++) {
                        dst[x * 3 + k] = (unsigned char) ((st->sums[x * 4 + k] + n / 2) / n);
                    }
                }
                memset(st->sums, 0, sizeof(unsigned) * (size_t) tw * 4);
                current = ty;
            }
            const unsigned char *row = pointers[r];
            for (int x = 0; x < w; x++) {
                unsigned *s = st->sums + column[x] * 4;
                s[0] += row[x * 3];
                s[1] += row[x * 3 + 1];
                s[2] += row[x * 3 + 2];
                s[3]++;
            }
        }
    }
    unsigned char *last = st->small + (size_t) current * (size_t) tw * 3;
    for (int x = 0; x < tw; x++) {
        unsigned n = st->sums[x * 4 + 3] ? st->sums[x * 4 + 3] : 1;
        for (int k = 0; k < 3; k++) {
            last[x * 3 + k] = (unsigned char) ((st->sums[x * 4 + k] + n / 2) / n);
        }
    }
    jpeg_finish_decompress(d);

    int ow = orientation >= 5 ? th : tw, oh = orientation >= 5 ? tw : th;
    for (int y = 0; y < th; y++) {
        for (int x = 0; x < tw; x++) {
            int ox, oy;
            orient(orientation, x, y, tw, th, &ox, &oy);
            memcpy(st->oriented + ((size_t) oy * (size_t) ow + (size_t) ox) * 3, st->small + ((size_t) y * tw + x) * 3, 3);
        }
    }

    c->err = &st->err.pub;
    jpeg_create_compress(c);
    st->c_created = 1;
    c->mem->max_memory_to_use = CB_MAX_MEMORY;
    c->client_data = st;
    st->dest.init_destination = cb_dest_init;
    st->dest.empty_output_buffer = cb_dest_empty;
    st->dest.term_destination = cb_dest_term;
    c->dest = &st->dest;
    c->image_width = (JDIMENSION) ow;
    c->image_height = (JDIMENSION) oh;
    c->input_components = 3;
    c->in_color_space = JCS_RGB;
    jpeg_set_defaults(c); /* JFIF, YCbCr 4:2:0; no EXIF, so nothing turns the already turned pixels again */
    jpeg_set_quality(c, quality, TRUE);
    c->dct_method = JDCT_IFAST;
    jpeg_start_compress(c, TRUE);
    while (c->next_scanline < c->image_height) {
        JSAMPROW row = st->oriented + (size_t) c->next_scanline * (size_t) ow * 3;
        jpeg_write_scanlines(c, &row, 1);
    }
    jpeg_finish_compress(c);
    *width = ow;
    *height = oh;
    return CB_OK;
}

/*
 * A thumbnail of the JPEG in a file (path != NULL) or in memory (data, length): in colour, the EXIF orientation
 * applied, the longer side at most max_side (1..4096), encoded as a baseline JPEG at quality (1..100). Returns CB_OK
 * with *out (free it with cb_jpeg_free), *out_length and the thumbnail's *width and *height; CB_TOO_LARGE (above
 * max_pixels: *width and *height are the image's); CB_NOT_JPEG (not a JPEG, or CMYK/YCCK: msg says which); CB_ERROR
 * (damaged, truncated: msg); CB_NO_FILE.
 */
int cb_thumb_jpeg(const char *path, const unsigned char *data, unsigned long length, long long max_pixels,
                  int max_side, int quality, unsigned char **out, unsigned long *out_length, int *width, int *height,
                  char *msg, int msg_len) {
    recompress_state st;
    memset(&st, 0, sizeof st);
    msg[0] = '\0';
    *out = NULL;
    *out_length = 0;
    *width = 0;
    *height = 0;
    if (max_side < 1 || max_side > 4096 || quality < 1 || quality > 100) {
        snprintf(msg, (size_t) msg_len, "bad arguments: max_side %d, quality %d", max_side, quality);
        return CB_ERROR;
    }
    FILE *file;
    int opened = open_jpeg(path, data, length, &file, msg, msg_len);
    if (opened != CB_OK) {
        return opened;
    }
    int result = release(&st, thumbnail(&st, file, data, length, max_pixels, max_side, quality, width, height, msg,
                                        msg_len), out, out_length);
    if (file != NULL) {
        fclose(file); /* after libjpeg's objects, which read from it, are gone */
    }
    return result;
}

/* For the Java side to check it loaded the library it expects. 2: cb_jpeg_recompress and cb_jpeg_free added;
 * 3: cb_thumb_jpeg added. */
int cb_phash_abi_version(void) {
    return 3;
}
