"""Turn the fetched Debian kernel sources into the two mboxes the bench and audit read.

debian-patches.mbox: each Debian patch as one message (a From_ line added where the patch has
none; body lines that look like separators are >-quoted, mboxrd style).
stable.mbox: for every .c/.h/Kconfig file that differs between two releases, one message whose
diff is `diff -u` of the two versions.

  corpus-mbox.py DIR NEWEST [OLDEST]             the two mboxes and corpus.json
  corpus-mbox.py --record-eras DIR (SUITE VERSION TREE)...
                                                 record the era trees of get-corpus.sh --eras in corpus.json
  corpus-mbox.py --era-mbox OLD_TREE NEW_TREE OUT
                                                 one message per ZONE_DEVICE-world file that differs between
                                                 two trees of different eras (files that exist in both), for
                                                 the era audit; OUT is never committed
"""
import difflib, fnmatch, json, pathlib, sys

FROM_LINE = "From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001"


def quote(lines):
    return [(">" + l) if l.startswith(("From ", ">From ")) else l for l in lines]


def debian_mbox(root: pathlib.Path, deb: pathlib.Path) -> int:
    count = 0
    with open(root / "debian-patches.mbox", "w", encoding="utf-8", errors="surrogateescape") as out:
        for p in sorted((deb / "debian" / "patches").rglob("*.patch")):
            text = p.read_text(encoding="utf-8", errors="surrogateescape")
            if "\n+++ " not in text:
                continue
            lines = text.rstrip("\n").split("\n")
            head = [] if lines[0].startswith("From ") else [FROM_LINE]
            body = lines if head else [lines[0]] + quote(lines[1:])
            if head:
                body = quote(body)
            out.write("\n".join(head + body) + "\n\n")
            count += 1
    return count


def wanted(rel: str) -> bool:
    return rel.endswith((".c", ".h")) or pathlib.PurePath(rel).name.startswith("Kconfig")


def lines(text: str) -> list:
    """The file's lines: split("\n") leaves a phantom empty line after the last newline, which
    would make every hunk at the end of a file claim one line too many (and not apply)."""
    out = text.split("\n")
    if out and out[-1] == "":
        out.pop()
    return out


def file_message(old: pathlib.Path, new: pathlib.Path, rel: str, what: str, signoff: bool) -> str:
    """One message: `diff -u` of rel between the two trees, or "" when the file is the same."""
    a = (old / rel).read_text(encoding="utf-8", errors="surrogateescape")
    b = (new / rel).read_text(encoding="utf-8", errors="surrogateescape")
    if a == b:
        return ""
    diff = list(difflib.unified_diff(lines(a), lines(b), "a/" + rel, "b/" + rel, lineterm=""))
    if not diff:
        return ""
    msg = [FROM_LINE, "From: Stable Diff <stable@example.org>",
           f"Subject: [PATCH] {rel}: {what} {old.name}..{new.name}", "",
           f"Changes to {rel} between two {what.split()[0]} releases.", ""]
    if signoff:
        msg += ["Signed-off-by: Stable Diff <stable@example.org>"]
    msg += ["---", f"diff --git a/{rel} b/{rel}"]
    return "\n".join(msg + quote(diff)) + "\n\n"


def stable_mbox(root: pathlib.Path, old: pathlib.Path, new: pathlib.Path) -> int:
    count = 0
    with open(root / "stable.mbox", "w", encoding="utf-8", errors="surrogateescape") as out:
        for path in sorted(new.rglob("*")):
            rel = str(path.relative_to(new))
            if not path.is_file() or not wanted(rel) or not (old / rel).is_file():
                continue
            msg = file_message(old, new, rel, "stable changes", True)
            if msg:
                out.write(msg)
                count += 1
    return count


# The files of the ZONE_DEVICE world: the memory-type model's headers and mm code, the
# architectures' Kconfig, page tables and memory hotplug, and the drivers that create device pages.
ERA_FILES = [
    "include/linux/memremap.h", "include/linux/mm.h", "include/linux/mm_types.h", "include/linux/huge_mm.h",
    "include/linux/pgtable.h", "include/linux/memory_hotplug.h", "include/linux/mmzone.h", "include/linux/hmm.h",
    "include/linux/migrate.h", "include/linux/pci-p2pdma.h", "include/linux/dax.h", "include/linux/ioport.h",
    "include/linux/page-flags.h", "include/linux/pfn_t.h",
    "mm/memremap.c", "mm/hmm.c", "mm/migrate_device.c", "mm/memory_hotplug.c", "mm/huge_memory.c", "mm/gup.c",
    "mm/memory.c", "mm/mm_init.c", "mm/sparse-vmemmap.c", "mm/Kconfig",
    "arch/*/Kconfig", "arch/*/include/asm/pgtable*.h", "arch/*/include/asm/*/pgtable*.h", "arch/*/mm/*.c",
    "drivers/dax/*", "drivers/dax/*/*", "drivers/nvdimm/*", "fs/dax.c", "drivers/pci/p2pdma.c",
    "drivers/gpu/drm/nouveau/nouveau_dmem.c", "drivers/gpu/drm/amd/amdkfd/kfd_migrate.c", "lib/test_hmm.c",
    "drivers/gpu/drm/drm_pagemap.c", "drivers/gpu/drm/xe/xe_svm.c",
]


def era_mbox(old: pathlib.Path, new: pathlib.Path, out_path: pathlib.Path) -> int:
    count = 0
    with open(out_path, "w", encoding="utf-8", errors="surrogateescape") as out:
        rels = set()
        for pattern in ERA_FILES:
            for path in new.glob(pattern):
                rel = str(path.relative_to(new))
                if path.is_file() and wanted(rel) and fnmatch.fnmatch(rel, pattern):
                    rels.add(rel)
        for rel in sorted(rels):
            if not (old / rel).is_file():
                continue
            msg = file_message(old, new, rel, "mainline changes", False)
            if msg:
                out.write(msg)
                count += 1
    return count


def record_eras(root: pathlib.Path, triples: list) -> None:
    path = root / "corpus.json"
    info = json.loads(path.read_text()) if path.is_file() else {}
    info["eras"] = [{"suite": triples[i], "version": triples[i + 1], "tree": str(root / triples[i + 2])}
                    for i in range(0, len(triples) - 2, 3)]
    path.write_text(json.dumps(info, indent=2) + "\n")
    print(json.dumps(info["eras"], indent=2))


def main():
    if sys.argv[1] == "--record-eras":
        record_eras(pathlib.Path(sys.argv[2]), sys.argv[3:])
        return
    if sys.argv[1] == "--era-mbox":
        old, new, out = map(pathlib.Path, sys.argv[2:5])
        print(f"{era_mbox(old, new, out)} messages in {out}")
        return
    root, newest, oldest = pathlib.Path(sys.argv[1]), sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else ""
    new_tree = root / f"linux-{newest.rsplit('-', 1)[0]}"
    info = {"tree": str(new_tree), "checkpatch": str(new_tree / "scripts" / "checkpatch.pl"),
            "debianPatches": debian_mbox(root, root / f"deb-{newest}")}
    if oldest:
        old_tree = root / f"linux-{oldest.rsplit('-', 1)[0]}"
        info["stable"] = {"from": old_tree.name, "to": new_tree.name, "messages": stable_mbox(root, old_tree, new_tree)}
    (root / "corpus.json").write_text(json.dumps(info, indent=2) + "\n")
    print(json.dumps(info, indent=2))


if __name__ == "__main__":
    main()
