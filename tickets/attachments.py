"""Rules for every stored file, whether it came by mail or an agent uploaded it:
a name safe to show and serve, and programs refused whatever they are called.

- ``safe_name``: no bidi or other invisible format characters (``invoice``
  U+202E ``fdp.exe`` reads as "invoiceexe.pdf"), no controls or path parts,
  at most 255 bytes of UTF-8 with the extension kept.
- ``program_problem``: the content decides (puremagic, pure Python, reads the
  leading bytes: Windows PE, ELF, Mach-O, Java classes, scripts with ``#!``), and
  so do the extension and the declared type, so a program labelled
  ``application/pdf`` or named ``.pdf`` is still a program.
"""

import re
import unicodedata

import puremagic

MAX_NAME_BYTES = 255
# Cc controls, Cf format characters (bidi embeddings, overrides and isolates, marks,
# zero-width joiners, BOM, soft hyphen), line and paragraph separators, unassigned.
INVISIBLE = {"Cc", "Cf", "Zl", "Zp", "Cn", "Cs", "Co"}
RESERVED = re.compile(r'[<>:"|?*]')
# Run when opened on Windows or macOS, or by a shell.
PROGRAM_EXTENSIONS = {
    "exe", "com", "scr", "pif", "bat", "cmd", "msi", "msp", "dll", "cpl", "sys", "jar",
    "vbs", "vbe", "js", "jse", "wsf", "wsh", "ps1", "psm1", "hta", "lnk", "reg", "sh",
    "app", "apk", "class", "command", "elf", "bin",
}  # fmt: skip
PROGRAM_TYPES = {
    "application/vnd.microsoft.portable-executable", "application/x-dosexec",
    "application/x-msdownload", "application/x-msdos-program", "application/x-executable",
    "application/x-mach-binary", "application/x-elf", "application/x-sh",
    "application/java-archive", "application/java", "application/x-ms-installer",
}  # fmt: skip
# puremagic's names and types for signatures that only programs have.
PROGRAM_NAMES = re.compile(r"executable|Mach-O|Java bytecode|\bDLL\b", re.I)
SIGNED_PROGRAM_TYPES = {
    "application/vnd.microsoft.portable-executable", "application/x-dosexec",
    "application/x-executable", "application/x-mach-binary", "application/java",
}  # fmt: skip
SNIFF_BYTES = 8192


def safe_name(name: str, fallback: str = "attachment") -> str:
    """The file name to store, show and serve."""
    name = unicodedata.normalize("NFC", name or "")
    name = "".join(c for c in name if unicodedata.category(c) not in INVISIBLE)
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = " ".join(RESERVED.sub("_", name).split()).strip(" .")
    if not name:
        return fallback
    return cut_to_bytes(name, MAX_NAME_BYTES)


def cut_to_bytes(name: str, limit: int) -> str:
    """At most ``limit`` bytes of UTF-8, the extension kept (when it is short)."""
    if len(name.encode()) <= limit:
        return name
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem or len(ext.encode()) > 16:
        stem, ext = name, ""
    suffix = f".{ext}" if ext else ""
    room = limit - len(suffix.encode())
    cut = stem.encode()[:room].decode(errors="ignore").rstrip(" .")
    return cut + suffix


def extension(name: str) -> str:
    stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot and stem else ""


def detected_program(data: bytes) -> str:
    """What the leading bytes say, when they say "a program"; "" otherwise. Only
    signatures that mean nothing else count: a ZIP could be a .jar or a .docx."""
    head = data[:SNIFF_BYTES]
    if head.startswith(b"#!"):
        return "script (#!)"
    if b"\x00" not in head[:64]:
        return ""  # text (a CSV may well start with "MZ"); every program header has NULs
    try:
        matches = puremagic.magic_string(head)
    except (puremagic.PureError, ValueError):
        return ""
    found = [m.name for m in matches if PROGRAM_NAMES.search(m.name)]
    found += [m.name for m in matches if m.mime_type in SIGNED_PROGRAM_TYPES]
    return found[0] if found else ""


def program_problem(data: bytes, *, name: str, declared_type: str = "") -> str:
    """Why this file is refused as a program, or ""."""
    found = detected_program(data)
    if found:
        return f"a program by its content ({found}), whatever it is called"
    ext = extension(name)
    if ext in PROGRAM_EXTENSIONS:
        return f"a program (.{ext} file)"
    if declared_type.lower() in PROGRAM_TYPES:
        return f"a program ({declared_type})"
    return ""
