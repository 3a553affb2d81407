"""Marks one version-need entry (default GLIBCXX_3.4.32) of an ELF64 shared library weak, in place.

glibc's loader refuses a library whose .gnu.version_r section asks for a symbol version the system's libstdc++
lacks, unless that entry carries VER_FLG_WEAK (0x2). Prints how many entries it changed; changes nothing else.
"""
import struct
import sys

VER_FLG_WEAK = 0x2
SHT_GNU_VERNEED = 0x6FFFFFFE


def weaken(path: str, version: bytes) -> int:
    with open(path, "rb") as f:
        data = bytearray(f.read())
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        sys.exit(f"{path}: not a 64-bit little-endian ELF file")
    (section_offset,) = struct.unpack_from("<Q", data, 0x28)
    entry_size, count, _ = struct.unpack_from("<HHH", data, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, section_offset + i * entry_size) for i in range(count)]
    changed = 0
    for _, kind, _, _, offset, _, link, needs, _, _ in sections:
        if kind != SHT_GNU_VERNEED:
            continue
        strings = sections[link][4]
        need = offset
        for _ in range(needs):
            _, aux_count, _, aux_offset, next_need = struct.unpack_from("<HHIII", data, need)
            aux = need + aux_offset
            for _ in range(aux_count):
                _, flags, _, name, next_aux = struct.unpack_from("<IHHII", data, aux)
                end = data.index(b"\0", strings + name)
                if bytes(data[strings + name:end]) == version and not flags & VER_FLG_WEAK:
                    struct.pack_into("<H", data, aux + 4, flags | VER_FLG_WEAK)
                    changed += 1
                aux += next_aux
            if next_need == 0:
                break
            need += next_need
    if changed:
        with open(path, "r+b") as f:
            f.write(data)
    return changed


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: weaken_version_need.py LIBRARY.so [VERSION]")
    print(weaken(sys.argv[1], (sys.argv[2] if len(sys.argv) == 3 else "GLIBCXX_3.4.32").encode()))
