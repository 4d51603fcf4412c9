#!/usr/bin/env python3
"""Makes a hostile set beside good files, for benchmarks/hostile/run.sh (issue 13's acceptance run).

Usage: make-set.py CORPUS OUT

CORPUS is a folder of real media (photos, heic, video, audio, fuzzed); OUT is created and filled with:
  good/      untouched copies of the corpus's good photos (they must still be handled)
  corpus/    the corpus's damaged and fuzzed files as they are, renamed to media extensions
  trunc/     every corpus file truncated at several lengths
  flip/      bit-flipped copies
  bombs/     decompression bombs in every format: JPEG, progressive JPEG, PNG (header and zlib), GIF, BMP,
             TIFF, WebP, HEIC, MP4
  boxes/     ISO boxes nested 10,000 deep, sample tables that claim 2^31 entries
  exif/      JPEGs with EXIF IFD loops, offsets past the end, huge counts; Extended XMP claiming gigabytes
  tiny/      zero-byte and one-byte files with every media extension
  special/   a FIFO named big.mp4 and a link to /dev/zero named zero.mp4
The set is deterministic (fixed random seed).
"""
import os
import random
import shutil
import struct
import sys
import zlib

rnd = random.Random(13)
EXTS = ["jpg", "png", "gif", "bmp", "tif", "webp", "heic", "mp4", "mov", "3gp", "avi", "mp3", "cr2", "dng"]


def w(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def box(kind, payload):
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png(width, height, idat, color_type=0, depth=8):
    ihdr = struct.pack(">IIBBBBB", width, height, depth, color_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", idat) + png_chunk(b"IEND", b"")


def jpeg_sof(width, height, progressive=False, scans=1):
    soi = b"\xff\xd8"
    # a minimal quantisation table and huffman tables are not needed to be refused from the header
    dqt = b"\xff\xdb" + struct.pack(">H", 67) + b"\x00" + bytes([1] * 64)
    sof = (b"\xff\xc2" if progressive else b"\xff\xc0") + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    dht = b"\xff\xc4" + struct.pack(">H", 20) + b"\x00" + bytes([1] + [0] * 15) + b"\x00"
    body = b""
    for _ in range(scans):
        body += b"\xff\xda" + struct.pack(">HB", 8, 1) + b"\x01\x00" + b"\x00\x3f\x00" + b"\x00" * 16
    return soi + dqt + sof + dht + body + b"\xff\xd9"


def exif_app1(tiff):
    return b"\xff\xe1" + struct.pack(">H", 2 + 6 + len(tiff)) + b"Exif\x00\x00" + tiff


def tiff_ifd_loop():
    # IFD0 at 8 with one entry (ExifIFD pointer back to 8) and next-IFD offset 8: a loop both ways
    entries = struct.pack("<HHII", 0x8769, 4, 1, 8)
    return b"II*\x00" + struct.pack("<I", 8) + struct.pack("<H", 1) + entries + struct.pack("<I", 8)


def tiff_huge_count():
    entries = struct.pack("<HHII", 0x010F, 2, 0x7FFFFFFF, 26)  # Make: 2^31-1 ASCII chars at offset 26
    return b"II*\x00" + struct.pack("<I", 8) + struct.pack("<H", 1) + entries + struct.pack("<I", 0) + b"Canon\x00"


def tiff_offset_past_end():
    entries = struct.pack("<HHII", 0x9003, 2, 20, 0x7FFF0000)
    return b"II*\x00" + struct.pack("<I", 8) + struct.pack("<H", 1) + entries + struct.pack("<I", 0x7FFFFFF0)


def with_app1(jpeg, segment):
    return jpeg[:2] + segment + jpeg[2:]


def extended_xmp_bomb():
    guid = b"0" * 32
    header = b"http://ns.adobe.com/xmp/extension/\x00" + guid + struct.pack(">II", 0xFFFFFFF0, 0) + b"x" * 100
    return b"\xff\xe1" + struct.pack(">H", 2 + len(header)) + header


def nested_boxes(depth, kind=b"moov"):
    data = box(b"free", b"")
    for _ in range(depth):
        data = box(kind, data)
    return box(b"ftyp", b"isom\x00\x00\x02\x00isommp41") + data


def stts_bomb():
    stts = box(b"stts", b"\x00\x00\x00\x00" + struct.pack(">I", 0x80000000) + b"\x00" * 16)
    stsz = box(b"stsz", b"\x00\x00\x00\x00" + struct.pack(">II", 0, 0x80000000))
    stbl = box(b"stbl", stts + stsz)
    trak = box(b"trak", box(b"mdia", box(b"minf", stbl)))
    mvhd = box(b"mvhd", b"\x00" * 100)
    return box(b"ftyp", b"isom\x00\x00\x02\x00isommp41") + box(b"moov", mvhd + trak)


def main():
    corpus, out = sys.argv[1], sys.argv[2]
    if os.path.exists(out):
        shutil.rmtree(out)
    files = []
    for root, _, names in os.walk(corpus):
        for n in sorted(names):
            if n != "README.md":
                files.append(os.path.join(root, n))
    files.sort()
    # good photos: the corpus's camera JPEGs
    photos = [f for f in files if "/photos/" in f and f.lower().endswith(".jpg")]
    os.makedirs(os.path.join(out, "good"))
    for f in photos:
        shutil.copy2(f, os.path.join(out, "good", os.path.basename(f)))
    # damaged/fuzzed corpus files under media names
    for i, f in enumerate(x for x in files if "/fuzzed/" in x or "Exception" in os.path.basename(x)):
        w(os.path.join(out, "corpus", "f%03d.%s" % (i, EXTS[i % len(EXTS)])), open(f, "rb").read())
    # truncated and bit-flipped copies of every corpus file
    for i, f in enumerate(files):
        data = open(f, "rb").read()
        base, ext = os.path.splitext(os.path.basename(f))
        ext = ext if ext else "." + EXTS[i % len(EXTS)]
        if ext.lower() in (".txt", ".fuzzed"):
            ext = "." + EXTS[i % len(EXTS)]
        for cut in sorted({1, 2, 16, 100, 1000, len(data) // 3, len(data) // 2, len(data) - 1}):
            if 0 < cut < len(data):
                w(os.path.join(out, "trunc", "%s_%d%s" % (base, cut, ext)), data[:cut])
        for k in range(2):
            b = bytearray(data)
            for _ in range(max(1, len(b) // 2000)):
                if b:
                    p = rnd.randrange(len(b))
                    b[p] ^= 1 << rnd.randrange(8)
            w(os.path.join(out, "flip", "%s_flip%d%s" % (base, k, ext)), bytes(b))
    # decompression bombs
    bombs = os.path.join(out, "bombs")
    w(os.path.join(bombs, "sof-65500.jpg"), jpeg_sof(65500, 65500))
    w(os.path.join(bombs, "progressive-65500.jpg"), jpeg_sof(65500, 65500, progressive=True))
    w(os.path.join(bombs, "progressive-1000-scans.jpg"), jpeg_sof(64, 64, progressive=True, scans=1000))
    w(os.path.join(bombs, "ihdr-65500.png"), png(65500, 65500, zlib.compress(b"\x00" * 1000)))
    # a zlib bomb: declares 10000 x 10000 gray, its IDAT inflates to 100 MB of zeros (about 100 KB on disk)
    w(os.path.join(bombs, "zlib-bomb.png"), png(10000, 10000, zlib.compress(b"\x00" * (10001 * 10000), 9)))
    # a zlib bomb under a small header: 16 x 16 declared, IDAT inflates to 100 MB
    w(os.path.join(bombs, "zlib-overflow.png"), png(16, 16, zlib.compress(b"\x00" * 100_000_000, 9)))
    w(os.path.join(bombs, "screen-65535.gif"),
      b"GIF89a" + struct.pack("<HH", 65535, 65535) + b"\x00\x00\x00"
      + b"\x2c" + struct.pack("<HHHH", 0, 0, 65535, 65535) + b"\x00" + b"\x08\x02\x4c\x01\x00\x3b")
    bmp_header = b"BM" + struct.pack("<IHHI", 54, 0, 0, 54) + struct.pack("<IiiHHIIiiII", 40, 60000, 60000, 1, 24, 0,
                                                                          0, 0, 0, 0, 0)
    w(os.path.join(bombs, "huge.bmp"), bmp_header)
    tiff = b"II*\x00" + struct.pack("<I", 8) + struct.pack("<H", 4) \
        + struct.pack("<HHII", 256, 4, 1, 60000) + struct.pack("<HHII", 257, 4, 1, 60000) \
        + struct.pack("<HHII", 258, 3, 1, 8) + struct.pack("<HHII", 273, 4, 1, 8) + struct.pack("<I", 0)
    w(os.path.join(bombs, "huge.tif"), tiff)
    vp8x = b"VP8X" + struct.pack("<I", 10) + b"\x00\x00\x00\x00" + (16383 - 1).to_bytes(3, "little") \
        + (16383 - 1).to_bytes(3, "little")
    w(os.path.join(bombs, "huge.webp"), b"RIFF" + struct.pack("<I", 4 + len(vp8x)) + b"WEBP" + vp8x)
    heics = [f for f in files if f.lower().endswith(".heic")]
    if heics:
        data = bytearray(open(heics[0], "rb").read())
        p = data.find(b"ispe")
        while p >= 0:
            data[p + 8:p + 16] = struct.pack(">II", 0xFFFF0000, 0xFFFF0000)
            p = data.find(b"ispe", p + 4)
        w(os.path.join(bombs, "ispe-huge.heic"), bytes(data))
    w(os.path.join(bombs, "mdat-huge.mp4"), box(b"ftyp", b"isom\x00\x00\x02\x00isom")
      + struct.pack(">I", 1) + b"mdat" + struct.pack(">Q", 1 << 62))
    # boxes
    w(os.path.join(out, "boxes", "nested-10000.mp4"), nested_boxes(10000))
    w(os.path.join(out, "boxes", "nested-10000.mov"), nested_boxes(10000, b"trak"))
    w(os.path.join(out, "boxes", "nested-10000.heic"), nested_boxes(10000, b"meta"))
    w(os.path.join(out, "boxes", "stts-2-31.mp4"), stts_bomb())
    w(os.path.join(out, "boxes", "stts-2-31.3gp"), stts_bomb())
    w(os.path.join(out, "boxes", "box-past-end.mov"), box(b"ftyp", b"qt  ") + struct.pack(">I", 0x7FFFFFFF) + b"moov")
    # EXIF
    base = open(photos[0], "rb").read() if photos else jpeg_sof(8, 8)
    ex = os.path.join(out, "exif")
    w(os.path.join(ex, "ifd-loop.jpg"), with_app1(base, exif_app1(tiff_ifd_loop())))
    w(os.path.join(ex, "huge-count.jpg"), with_app1(base, exif_app1(tiff_huge_count())))
    w(os.path.join(ex, "offset-past-end.jpg"), with_app1(base, exif_app1(tiff_offset_past_end())))
    w(os.path.join(ex, "extended-xmp-4gb.jpg"), with_app1(base, extended_xmp_bomb()))
    w(os.path.join(ex, "segment-past-end.jpg"), b"\xff\xd8\xff\xe1\xff\xff" + b"Exif\x00\x00II*\x00")
    # tiny files
    for ext in EXTS:
        w(os.path.join(out, "tiny", "zero." + ext), b"")
        w(os.path.join(out, "tiny", "one." + ext), b"\xff")
    # special files
    sp = os.path.join(out, "special")
    os.makedirs(sp, exist_ok=True)
    os.mkfifo(os.path.join(sp, "big.mp4"))
    os.symlink("/dev/zero", os.path.join(sp, "zero.mp4"))
    os.symlink(".", os.path.join(sp, "loop"))
    count = sum(len(n) for _, _, n in os.walk(out))
    print("%d files in %s (%d good photos)" % (count, out, len(photos)))


if __name__ == "__main__":
    main()
