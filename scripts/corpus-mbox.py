"""Turn the fetched Debian kernel sources into the two mboxes the bench and audit read.

debian-patches.mbox: each Debian patch as one message (a From_ line added where the patch has
none; body lines that look like separators are >-quoted, mboxrd style).
stable.mbox: for every .c/.h/Kconfig file that differs between two releases, one message whose
diff is `diff -u` of the two versions.
"""
import difflib, json, pathlib, sys

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


def stable_mbox(root: pathlib.Path, old: pathlib.Path, new: pathlib.Path) -> int:
    count = 0
    with open(root / "stable.mbox", "w", encoding="utf-8", errors="surrogateescape") as out:
        for path in sorted(new.rglob("*")):
            rel = str(path.relative_to(new))
            if not path.is_file() or not wanted(rel):
                continue
            before = old / rel
            if not before.is_file():
                continue
            a = before.read_text(encoding="utf-8", errors="surrogateescape")
            b = path.read_text(encoding="utf-8", errors="surrogateescape")
            if a == b:
                continue
            diff = list(difflib.unified_diff(a.split("\n"), b.split("\n"), "a/" + rel, "b/" + rel, lineterm=""))
            if not diff:
                continue
            msg = [FROM_LINE, "From: Stable Diff <stable@example.org>",
                   f"Subject: [PATCH] {rel}: stable changes {old.name}..{new.name}", "",
                   f"Changes to {rel} between two stable releases.", "",
                   "Signed-off-by: Stable Diff <stable@example.org>", "---", f"diff --git a/{rel} b/{rel}"]
            out.write("\n".join(msg + quote(diff)) + "\n\n")
            count += 1
    return count


def main():
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
