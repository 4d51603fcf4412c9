/*
 * Clean-Backup audio decoding worker (NativeAudioDecoder.java): decodes the start of audio files to 16-bit mono
 * samples for the acoustic fingerprint, through FFmpeg's libraries.
 *
 * It is a program, not a library loaded into the JVM: a damaged or hostile file that crashes a decoder takes down
 * this process only, and Java names the file and starts another worker. One worker decodes many files, so the
 * ~45 ms an ffmpeg process costs to start (most of what a 20 s window costs to decode) is paid once.
 *
 * Usage: cleanbackup-audio-decode        (cleanbackup-audio-decode --version prints its protocol's version)
 *
 * Protocol (all integers little-endian), one request at a time:
 *   request  (stdin):  u32 sample rate, u32 seconds, u32 timeout in ms, u32 n, then n bytes of the file's path
 *                      (no NUL); a rate of 0 ends the worker
 *   response (stdout): u32 status
 *     status 1 (no sound): u32 n + n bytes: why, one line
 *     status 0 (sound):    u32 n + codec name; i32 bit rate in kbit/s (0 unknown); i64 duration in ms (-1 unknown);
 *                          u32 cover (1 when a picture is attached); u32 k tag names, each u32 n + bytes (the
 *                          file's and the first audio stream's tags with a value); u32 samples + samples * s16
 * The worker ends by itself after IDLE_SECONDS without a request (Java retires idle workers before that).
 *
 * Bounds: the address space is limited (RLIMIT_AS) so a decompression bomb fails an allocation instead of eating
 * the machine, and freed memory is given back after each file; at most SECONDS of sound is decoded; the file given is
 * the only file opened (a playlist or list named .mp3 reads nothing else), and only a regular file; the request's
 * timeout is kept here, inside libavformat's reads too (Java's watchdog, a little later, is the backstop). The
 * protocol has stdout to itself: file descriptor 1 is moved aside at start-up, and a library that prints there
 * prints to /dev/null.
 *
 * Build: gcc -O2 cleanbackup_audio.c -lavformat -lavcodec -lswresample -lavutil
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/bprint.h>
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
#include <libavutil/time.h>
#include <libswresample/swresample.h>

#define PROTOCOL_VERSION 2
#define MAX_PATH_BYTES 65536
#define MAX_SECONDS 3600
#define MAX_INPUT_RATE 768000
#define MAX_TAGS 64
#define MAX_TAG_BYTES 256
#define IDLE_SECONDS 30
#define ADDRESS_SPACE (2048L * 1024 * 1024)

static char last_error[512];
static FILE *out; /* the protocol's answers: what was descriptor 1 at start-up */

/* Keeps FFmpeg's last error message (for the reason of a failure) and prints nothing. */
static void keep_errors(void *avcl, int level, const char *fmt, va_list vl) {
    if (level > AV_LOG_ERROR) {
        return;
    }
    int prefix = 0; /* no "[mp3 @ 0x55d0...]": an address means nothing to a user and differs run to run */
    char line[512];
    av_log_format_line2(avcl, level, fmt, vl, line, sizeof line, &prefix);
    size_t n = strcspn(line, "\r\n");
    if (n > 0) {
        line[n] = 0;
        snprintf(last_error, sizeof last_error, "%s", line);
    }
}

static void put_u32(uint32_t v) {
    unsigned char b[4] = {v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >> 24) & 0xff};
    fwrite(b, 1, 4, out);
}

static void put_u64(uint64_t v) {
    put_u32((uint32_t) v);
    put_u32((uint32_t) (v >> 32));
}

static void put_bytes(const char *s, size_t n) {
    put_u32((uint32_t) n);
    fwrite(s, 1, n, out);
}

static void put_string(const char *s, size_t max) {
    size_t n = strnlen(s, max);
    put_bytes(s, n);
}

/* Reads exactly n bytes from stdin, unbuffered (poll() must see what is left); 0 at end of input, -1 when cut short. */
static int read_exactly(unsigned char *buf, size_t n) {
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(STDIN_FILENO, buf + got, n - got);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r <= 0) {
            return got == 0 ? 0 : -1;
        }
        got += (size_t) r;
    }
    return 1;
}

/* Waits for the next request; 0 when the worker has been idle for IDLE_SECONDS. */
static int wait_for_request(void) {
    struct pollfd p = {.fd = STDIN_FILENO, .events = POLLIN};
    for (;;) {
        int r = poll(&p, 1, IDLE_SECONDS * 1000);
        if (r > 0) {
            return 1;
        }
        if (r == 0) {
            return 0;
        }
        if (errno != EINTR) {
            return 0;
        }
    }
}

static void fail(const char *what) {
    char reason[1024];
    if (last_error[0]) {
        snprintf(reason, sizeof reason, "%s (%s)", what, last_error);
    } else {
        snprintf(reason, sizeof reason, "%s", what);
    }
    put_u32(1);
    put_string(reason, sizeof reason);
    fflush(out);
}

static int has_value(const AVDictionaryEntry *e) {
    for (const char *c = e->value; *c; c++) {
        if (*c != ' ' && *c != '\t') {
            return 1;
        }
    }
    return 0;
}

/* Fails with FFmpeg's words for error code r when it logged none. */
static void fail_code(const char *what, int r) {
    if (!last_error[0]) {
        av_strerror(r, last_error, sizeof last_error);
    }
    fail(what);
}

/* The keys of dictionary d that carry a value, added to keys (up to MAX_TAGS). */
static int collect_tags(const AVDictionary *d, const char **keys, int count) {
    const AVDictionaryEntry *e = NULL;
    while (count < MAX_TAGS && (e = av_dict_get(d, "", e, AV_DICT_IGNORE_SUFFIX)) != NULL) {
        if (e->key[0] && has_value(e)) { /* a damaged RIFF INFO or Matroska tag can have an empty name */
            keys[count++] = e->key;
        }
    }
    return count;
}

typedef struct {
    int16_t *samples;  /* the window: rate * seconds */
    int64_t wanted;
    int64_t have;
} Window;

/* Converts a frame (or flushes the resampler when frame is NULL) into the window. */
static int resample(SwrContext *swr, const AVFrame *frame, Window *w) {
    int64_t room = w->wanted - w->have;
    if (room <= 0) {
        return 0;
    }
    /* ask for no more than this call can give: swresample sizes its buffers by the room it is offered */
    int most = swr_get_out_samples(swr, frame ? frame->nb_samples : 0);
    if (most < 0) {
        return most;
    }
    if (room > most) {
        room = most;
    }
    uint8_t *out = (uint8_t *) (w->samples + w->have);
    int n = swr_convert(swr, &out, (int) room, frame ? (const uint8_t **) frame->extended_data : NULL,
                        frame ? frame->nb_samples : 0);
    if (n < 0) {
        return n;
    }
    w->have += n;
    return 0;
}

static SwrContext *resampler_for(const AVFrame *f, int rate) {
    AVChannelLayout in = {0}; /* av_channel_layout_copy() uninits its destination first: it must be valid */
    if (f->ch_layout.order != AV_CHANNEL_ORDER_NATIVE || !av_channel_layout_check(&f->ch_layout)) {
        av_channel_layout_default(&in, f->ch_layout.nb_channels > 0 ? f->ch_layout.nb_channels : 1);
    } else if (av_channel_layout_copy(&in, &f->ch_layout) < 0) {
        return NULL;
    }
    AVChannelLayout mono = AV_CHANNEL_LAYOUT_MONO;
    SwrContext *swr = NULL;
    int r = swr_alloc_set_opts2(&swr, &mono, AV_SAMPLE_FMT_S16, rate, &in, f->format, f->sample_rate, 0, NULL);
    if (r >= 0 && (in.order != AV_CHANNEL_ORDER_NATIVE || f->ch_layout.order == AV_CHANNEL_ORDER_AMBISONIC)) {
        /* no layout swresample can mix down (9 unnamed channels, ambisonics): average the channels, or take the
           omnidirectional W channel of ambisonic sound */
        int channels = in.nb_channels;
        double *matrix = av_calloc(channels, sizeof *matrix);
        if (!matrix) {
            r = AVERROR(ENOMEM);
        } else {
            for (int c = 0; c < channels; c++) {
                matrix[c] = f->ch_layout.order == AV_CHANNEL_ORDER_AMBISONIC ? (c == 0) : 1.0 / channels;
            }
            r = swr_set_matrix(swr, matrix, channels);
            av_free(matrix);
        }
    }
    av_channel_layout_uninit(&in);
    if (r < 0 || swr_init(swr) < 0) {
        swr_free(&swr);
        return NULL;
    }
    return swr;
}

static int same_input(const AVFrame *f, int format, int rate, const AVChannelLayout *layout) {
    return f->format == format && f->sample_rate == rate && av_channel_layout_compare(&f->ch_layout, layout) == 0;
}

/* Tells libavformat to give up (AVERROR_EXIT) once the deadline has passed: a live HLS playlist reloads forever. */
static int past_deadline(void *opaque) {
    return av_gettime_relative() > *(const int64_t *) opaque;
}

/* Opens the file itself and nothing else: playlists (HLS) and references stay closed. */
static int (*default_io_open)(AVFormatContext *, AVIOContext **, const char *, int, AVDictionary **);
static int open_once(AVFormatContext *s, AVIOContext **pb, const char *url, int flags, AVDictionary **options) {
    int *opens = s->opaque;
    if ((*opens)++ > 0) {
        av_log(s, AV_LOG_ERROR, "it refers to other files");
        return AVERROR(EPERM);
    }
    return default_io_open(s, pb, url, flags, options);
}

/* The answer for a file whose time ran out. */
static void fail_late(uint32_t timeout_ms) {
    char why[96];
    if (timeout_ms % 1000 == 0) {
        snprintf(why, sizeof why, "decoding took longer than %u s; stopped", timeout_ms / 1000);
    } else {
        snprintf(why, sizeof why, "decoding took longer than %u ms; stopped", timeout_ms);
    }
    last_error[0] = 0;
    fail(why);
}

/* Every demuxer but concat, for format_whitelist: concat opens its list's files itself (not through io_open) while
 * avformat_open_input() reads its header, so it must be refused before that, not after. */
static char *allowed_formats(void) {
    AVBPrint b;
    av_bprint_init(&b, 0, AV_BPRINT_SIZE_UNLIMITED);
    void *it = NULL;
    const AVInputFormat *f;
    while ((f = av_demuxer_iterate(&it)) != NULL) {
        if (strcmp(f->name, "concat") != 0) {
            av_bprintf(&b, "%s%s", b.len ? "," : "", f->name);
        }
    }
    char *list = NULL;
    return av_bprint_finalize(&b, &list) < 0 ? NULL : list;
}

/* Decodes one file and writes its response. The deadline is checked between packets and, through the interrupt
 * callback, inside libavformat's own reading (Java's watchdog, a little later, is the backstop). */
static void decode(const char *path, int rate, int seconds, uint32_t timeout_ms, int16_t *buffer) {
    last_error[0] = 0;
    AVFormatContext *fmt = NULL;
    AVCodecContext *ctx = NULL;
    SwrContext *swr = NULL;
    AVPacket *pkt = av_packet_alloc();
    AVFrame *frame = av_frame_alloc();
    AVDictionary *options = NULL;
    AVChannelLayout swr_layout = {0};
    int swr_format = -1;
    int swr_rate = 0;
    Window w = {.samples = buffer, .wanted = (int64_t) rate * seconds, .have = 0};
    char url[MAX_PATH_BYTES + 8];
    /* "file:" so that a name like "http:x" or "concat:a|b" is a file name, never a protocol. */
    snprintf(url, sizeof url, "file:%s", path);
    av_dict_set(&options, "protocol_whitelist", "file", 0);
    static char *formats;
    if (!formats) {
        formats = allowed_formats();
    }
    if (formats) {
        av_dict_set(&options, "format_whitelist", formats, 0);
    }
    int64_t deadline = av_gettime_relative() + (int64_t) timeout_ms * 1000;
    struct stat st;
    if (stat(path, &st) != 0) {
        fail_code("cannot read it as sound", AVERROR(errno));
        goto done;
    }
    if (!S_ISREG(st.st_mode)) { /* a FIFO blocks open(); /dev/stdin would read our own requests */
        fail("not a regular file");
        goto done;
    }
    fmt = avformat_alloc_context();
    if (!pkt || !frame || !fmt) {
        fail("out of memory");
        goto done;
    }
    int opens = 0;
    default_io_open = fmt->io_open;
    fmt->io_open = open_once;
    fmt->opaque = &opens;
    fmt->interrupt_callback.callback = past_deadline;
    fmt->interrupt_callback.opaque = &deadline;
    int opened = avformat_open_input(&fmt, url, NULL, &options);
    if (opened < 0 && past_deadline(&deadline)) {
        fail_late(timeout_ms);
        goto done;
    }
    if (opened < 0 && strncmp(last_error, "Format not on whitelist", 23) == 0) { /* FFmpeg lists them all */
        last_error[0] = 0;
        fail("it is a list of other files");
        goto done;
    }
    if (opened < 0) {
        fail_code("cannot read it as sound", opened);
        goto done;
    }
    if (strcmp(fmt->iformat->name, "concat") == 0) { /* a list of other files: their sound is not this file's */
        fail("it is a list of other files");
        goto done;
    }
    int found = avformat_find_stream_info(fmt, NULL);
    if (found < 0 && past_deadline(&deadline)) {
        fail_late(timeout_ms);
        goto done;
    }
    if (found < 0) {
        fail_code("cannot find its streams", found);
        goto done;
    }
    int audio = -1;
    int cover = 0;
    for (unsigned i = 0; i < fmt->nb_streams; i++) {
        AVStream *s = fmt->streams[i];
        if (s->codecpar->codec_type == AVMEDIA_TYPE_AUDIO && audio < 0) {
            audio = (int) i;
        } else {
            s->discard = AVDISCARD_ALL;
        }
        if (s->disposition & AV_DISPOSITION_ATTACHED_PIC) {
            cover = 1;
        }
    }
    if (audio < 0) {
        fail("no sound in it");
        goto done;
    }
    AVStream *stream = fmt->streams[audio];
    const AVCodec *codec = avcodec_find_decoder(stream->codecpar->codec_id);
    if (!codec) {
        char why[128];
        snprintf(why, sizeof why, "no decoder for its sound (%s)", avcodec_get_name(stream->codecpar->codec_id));
        fail(why);
        goto done;
    }
    ctx = avcodec_alloc_context3(codec);
    if (!ctx || avcodec_parameters_to_context(ctx, stream->codecpar) < 0) {
        fail("cannot set up the decoder");
        goto done;
    }
    ctx->thread_count = 1;
    ctx->pkt_timebase = stream->time_base;
    int open = avcodec_open2(ctx, codec, NULL);
    if (open < 0) {
        fail_code("cannot open the decoder", open);
        goto done;
    }
    int eof = 0;
    int damaged = 0;
    while (w.have < w.wanted && !eof) {
        if (past_deadline(&deadline)) {
            fail_late(timeout_ms);
            goto done;
        }
        int r = av_read_frame(fmt, pkt);
        if (r == AVERROR_EXIT || (r < 0 && past_deadline(&deadline))) {
            fail_late(timeout_ms); /* the interrupt callback ended the read: not the end of the sound */
            goto done;
        }
        if (r < 0) {
            eof = 1;
            avcodec_send_packet(ctx, NULL); /* drain */
        } else if (pkt->stream_index != audio) {
            av_packet_unref(pkt);
            continue;
        } else {
            r = avcodec_send_packet(ctx, pkt);
            av_packet_unref(pkt);
            if (r < 0 && r != AVERROR(EAGAIN)) {
                damaged++; /* a damaged packet: skipped, as ffmpeg does */
                continue;
            }
        }
        while (w.have < w.wanted && avcodec_receive_frame(ctx, frame) >= 0) {
            if (frame->sample_rate <= 0 || frame->sample_rate > MAX_INPUT_RATE) {
                /* a damaged header's 237 MHz: swr_init() would build its filter for seconds and ~1.5 GB */
                av_frame_unref(frame);
                fail("cannot convert its sound (its sample rate is out of range)");
                goto done;
            }
            if (!swr || !same_input(frame, swr_format, swr_rate, &swr_layout)) {
                swr_free(&swr);
                av_channel_layout_uninit(&swr_layout);
                swr = resampler_for(frame, rate);
                if (!swr || av_channel_layout_copy(&swr_layout, &frame->ch_layout) < 0) {
                    av_frame_unref(frame);
                    fail("cannot convert its sound");
                    goto done;
                }
                swr_format = frame->format;
                swr_rate = frame->sample_rate;
            }
            int c = resample(swr, frame, &w);
            av_frame_unref(frame);
            if (c < 0) {
                fail("cannot convert its sound");
                goto done;
            }
        }
    }
    if (swr) {
        resample(swr, NULL, &w); /* the resampler's last samples */
    }
    if (w.have == 0) {
        fail(damaged ? "cannot decode the sound: every packet read is damaged" : "cannot decode the sound");
        goto done;
    }
    const char *tags[MAX_TAGS];
    int n = collect_tags(fmt->metadata, tags, 0);
    n = collect_tags(stream->metadata, tags, n);
    int64_t kbits = stream->codecpar->bit_rate > 0 ? stream->codecpar->bit_rate / 1000
                    : fmt->bit_rate > 0 ? fmt->bit_rate / 1000 : 0;
    int64_t millis = fmt->duration != AV_NOPTS_VALUE && fmt->duration >= 0 ? fmt->duration / 1000 : -1;
    put_u32(0);
    put_string(avcodec_get_name(stream->codecpar->codec_id), 64);
    put_u32((uint32_t) (kbits > INT32_MAX ? INT32_MAX : kbits));
    put_u64((uint64_t) millis);
    put_u32((uint32_t) cover);
    put_u32((uint32_t) n);
    for (int i = 0; i < n; i++) {
        put_string(tags[i], MAX_TAG_BYTES);
    }
    put_u32((uint32_t) w.have);
    /* little-endian machines only (checked in main), so the samples go out as they are */
    fwrite(w.samples, 2, (size_t) w.have, out);
    fflush(out);
done:
    swr_free(&swr);
    av_channel_layout_uninit(&swr_layout);
    avcodec_free_context(&ctx);
    avformat_close_input(&fmt);
    av_dict_free(&options);
    av_frame_free(&frame);
    av_packet_free(&pkt);
    malloc_trim(0); /* give back what a greedy file took, or the worker keeps it for its next 1000 files */
}

static uint32_t u32_at(const unsigned char *b) {
    return b[0] | (uint32_t) b[1] << 8 | (uint32_t) b[2] << 16 | (uint32_t) b[3] << 24;
}

int main(int argc, char **argv) {
    if (argc == 2 && strcmp(argv[1], "--version") == 0) {
        printf("cleanbackup-audio-decode %d (libavcodec %s, libavformat %s)\n", PROTOCOL_VERSION,
               AV_STRINGIFY(LIBAVCODEC_VERSION), AV_STRINGIFY(LIBAVFORMAT_VERSION));
        return 0;
    }
    if (argc != 1) {
        fprintf(stderr, "usage: cleanbackup-audio-decode (requests on stdin, see cleanbackup_audio.c)\n");
        return 2;
    }
    const uint16_t one = 1;
    if (*(const unsigned char *) &one != 1) {
        fprintf(stderr, "cleanbackup-audio-decode: big-endian machines are not supported\n");
        return 2;
    }
    struct rlimit limit = {ADDRESS_SPACE, ADDRESS_SPACE};
    if (getenv("CLEANBACKUP_AUDIO_NO_RLIMIT") == NULL) { /* AddressSanitizer needs its terabytes of shadow */
        setrlimit(RLIMIT_AS, &limit);
    }
    av_log_set_callback(keep_errors);
    /* The protocol's own stdout: a copy of descriptor 1, with 1 itself pointed at /dev/null. */
    int protocol = dup(STDOUT_FILENO);
    int null = open("/dev/null", O_WRONLY);
    if (protocol < 0 || null < 0 || dup2(null, STDOUT_FILENO) < 0 || (out = fdopen(protocol, "w")) == NULL) {
        return 3;
    }
    close(null);
    static unsigned char path[MAX_PATH_BYTES + 1];
    int16_t *buffer = NULL;
    size_t capacity = 0;
    while (wait_for_request()) {
        unsigned char head[16];
        if (read_exactly(head, sizeof head) != 1) {
            break;
        }
        uint32_t rate = u32_at(head);
        uint32_t seconds = u32_at(head + 4);
        uint32_t timeout_ms = u32_at(head + 8);
        uint32_t n = u32_at(head + 12);
        if (rate < 1000 || rate > 192000 || seconds < 1 || seconds > MAX_SECONDS || n == 0 || n > MAX_PATH_BYTES
            || read_exactly(path, n) != 1) {
            break; /* the end, or a request we do not understand: Java sees the worker end */
        }
        path[n] = 0;
        size_t wanted = (size_t) rate * seconds;
        if (wanted > capacity) {
            free(buffer);
            buffer = malloc(sizeof(int16_t) * wanted);
            capacity = buffer ? wanted : 0;
        }
        last_error[0] = 0;
        if (!buffer) {
            fail("out of memory");
        } else if (memchr(path, 0, n) != NULL) {
            fail("its name holds a NUL byte");
        } else {
            decode((const char *) path, (int) rate, (int) seconds, timeout_ms, buffer);
        }
    }
    free(buffer);
    return 0;
}
