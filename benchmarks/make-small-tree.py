#!/usr/bin/env python3
"""Builds a seeded tree of many small files in deep folders, for timing exact dedupe at a million files (issue 17).

Usage: benchmarks/make-small-tree.py --files N [--dup 0.10] [--seed N] DIR

Every file holds random bytes, a few hundred bytes to a few KB, with a media extension (so that the default
`cleanbackup dedupe` and `jdupes -r` consider the same files). A share of the files (--dup, default 10%) are copies
of another file of the tree placed in another folder. Folders nest 4 to 7 levels deep, about 50 files a folder.
Writes DIR/tree and DIR/manifest.json (files, folders, bytes, duplicate sets, duplicates); refuses a DIR that
already has a tree.
"""
import argparse, json, os, random, sys

EXTENSIONS = (".jpg", ".png", ".mp3", ".mp4", ".flac", ".heic")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--files", type=int, required=True)
    p.add_argument("--dup", type=float, default=0.10, help="share of the files that are copies (default 0.10)")
    p.add_argument("--seed", type=int, default=20261208)
    p.add_argument("dir")
    a = p.parse_args()
    if a.files < 1 or not 0 <= a.dup < 1:
        p.error("--files must be positive and --dup in [0, 1)")
    tree = os.path.join(a.dir, "tree")
    if os.path.exists(tree):
        sys.exit(f"make-small-tree: {tree} exists; remove it first")
    rnd = random.Random(a.seed)

    # Leaf folders of about 50 files each, at depth 4 to 7 under a fan-out of 10 per level.
    folders = []
    for i in range(max(1, a.files // 50)):
        depth = rnd.randint(4, 7)
        parts = [f"d{rnd.randrange(10)}" for _ in range(depth - 1)] + [f"leaf{i}"]
        folders.append(os.path.join(tree, *parts))
    made = set()

    copies = int(a.files * a.dup)
    originals = a.files - copies
    sources = []             # (path, bytes) of originals a copy may take
    groups = {}              # source path -> number of copies
    total = 0
    for n in range(a.files):
        folder = folders[n % len(folders)] if n < originals else rnd.choice(folders)
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        if n < originals:
            data = rnd.randbytes(rnd.randint(200, 4096))
            path = os.path.join(folder, f"f{n}{rnd.choice(EXTENSIONS)}")
            if len(sources) < max(1, copies):  # the first originals are the ones copied (drawn at random below)
                sources.append((path, data))
        else:
            src, data = rnd.choice(sources)
            groups[src] = groups.get(src, 0) + 1
            path = os.path.join(folder, f"copy{n}{os.path.splitext(src)[1]}")
        with open(path, "wb") as f:
            f.write(data)
        total += len(data)
        if n and n % 100000 == 0:
            print(f"  {n:,} files", file=sys.stderr)

    manifest = {"files": a.files, "leafFolders": len(made), "bytes": total, "seed": a.seed,
                "duplicateSets": len(groups), "duplicates": sum(groups.values())}
    with open(os.path.join(a.dir, "manifest.json"), "w") as f:
        json.dump(manifest, f)
    print(json.dumps(manifest))


if __name__ == "__main__":
    main()
