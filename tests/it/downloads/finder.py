"""Writes a zip as macOS Finder's Compress (ditto -c -k --sequesterRsrc
--keepParent) lays it out: a directory entry for every folder (stored, no
data descriptor), every file deflated and followed by a data descriptor
(local header CRC and sizes zero), UT and ux extra fields, version made by
Unix 2.1, and after each file its AppleDouble data under
__MACOSX/<same folder>/._<name>. usage: finder.py SRC OUT.zip KEEP_PARENT(1|0)"""
import os, struct, sys, zlib

T, D = 0x5000, 0x5B7C  # 10:00, 2025-11-28 in MS-DOS form

def appledouble():
    finder_info = b"TEXTttxt" + bytes(24)
    head = struct.pack(">II16sH", 0x00051607, 0x00020000, b"Mac OS X        ", 1)
    return head + struct.pack(">III", 9, 26 + 12, len(finder_info)) + finder_info

def extras(local):
    ut = struct.pack("<HHBII", 0x5455, 9, 3, 1764324000, 1764324000) if local else struct.pack("<HHBI", 0x5455, 5, 3, 1764324000)
    ux = struct.pack("<HHBBIBI", 0x7875, 11, 1, 4, 501, 4, 20)
    return ut + ux

class Zip:
    def __init__(self): self.out, self.central = bytearray(), bytearray(); self.count = 0
    def add(self, name, data, is_dir):
        n = name.encode()
        off = len(self.out)
        if is_dir:
            method, flags, comp, crc, attr = 0, 0, b"", 0, (0o40755 << 16) | 0x10
        else:
            method, flags, attr = 8, 0x0008, 0o100644 << 16
            c = zlib.compressobj(6, zlib.DEFLATED, -15); comp = c.compress(data) + c.flush()
            crc = zlib.crc32(data)
        lcrc, lc, lu = (0, 0, 0) if flags & 8 else (crc, len(comp), len(data))
        self.out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flags, method, T, D, lcrc, lc, lu, len(n), len(extras(True))) + n + extras(True) + comp
        if flags & 8:
            self.out += struct.pack("<IIII", 0x08074B50, crc, len(comp), len(data))
        self.central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 0x0315, 20, flags, method, T, D, crc, len(comp), len(data), len(n), len(extras(False)), 0, 0, 0, attr, off) + n + extras(False)
        self.count += 1
    def bytes(self):
        cd = len(self.out)
        return bytes(self.out + self.central + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, self.count, self.count, len(self.central), cd, 0))

def main(src, out, keep_parent):
    src = os.path.abspath(src)
    base = os.path.basename(src) if keep_parent == "1" else ""
    z, made = Zip(), set()
    def mk(path):
        if path and path not in made:
            made.add(path); z.add(path + "/", b"", True)
    for d, dirs, files in os.walk(src):
        dirs.sort()
        rel = os.path.relpath(d, src)
        prefix = "/".join(p for p in (base, "" if rel == "." else rel) if p)
        mk(prefix)
        for n in sorted(files):
            with open(os.path.join(d, n), "rb") as fh:
                z.add("/".join(p for p in (prefix, n) if p), fh.read(), False)
            acc = "__MACOSX"; mk(acc)
            for part in prefix.split("/") if prefix else []:
                acc += "/" + part; mk(acc)
            z.add(acc + "/._" + n, appledouble(), False)
    with open(out, "wb") as f:
        f.write(z.bytes())

main(*sys.argv[1:])
