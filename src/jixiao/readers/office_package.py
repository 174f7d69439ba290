"""An Office Open XML package's parts found the way Office finds them (OPC 包结构：关系与内容类型).

A package names its main part in its root relationships (`_rels/.rels`, the relationship of
type officeDocument) and gives each part's content type in `[Content_Types].xml`;
`word/document.xml` is only the name Word writes by default. Older Mac Word, some WPS
versions and tools that rebuild packages write `word/document2.xml` and the like, which Word
opens through these two parts. Both are small: they are read bounded and parsed without a
DTD, entities or network access, like the document part itself (docx.py).
"""

from __future__ import annotations

import posixpath
import zipfile
import zlib
from urllib.parse import unquote

from lxml import etree

_ROOT_RELATIONSHIPS = "_rels/.rels"
_CONTENT_TYPES = "[Content_Types].xml"
_OFFICE_DOCUMENT = frozenset(
    {
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
        "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument",  # Strict OOXML
    }
)
# Content types of a Word main part: .docx, .docm, .dotx, .dotm (MIME types ignore case).
WORD_MAIN_TYPES = frozenset(
    {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        "application/vnd.ms-word.document.macroenabled.main+xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
        "application/vnd.ms-word.template.macroenabledtemplate.main+xml",
    }
)
# The root element of a Word main part declares one of these (transitional, Strict OOXML).
_WORD_NAMESPACES = (
    b"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    b"http://purl.oclc.org/ooxml/wordprocessingml/main",
)
# Recent Word declares ~35 namespaces on the root element (about 3 KB); 8 KB leaves room.
_HEAD = 8192
# A content types part lists one Override per part (≤ Limits.max_zip_entries of ~150 bytes).
_SMALL_PART = 1 << 20


class OfficePackage:
    """The members of an opened Office zip, looked up by part name."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.members = {name.lower(): name for name in archive.namelist()}

    def member(self, part: str) -> str | None:
        """The zip member holding a part; part names ignore case and may be percent-encoded."""
        lowered = part.lower()
        return self.members.get(lowered) or self.members.get(unquote(lowered))

    def main_part(self) -> str | None:
        """The part name the root officeDocument relationship targets, present or not.

        None when `_rels/.rels` is missing, unreadable or names no internal main part.
        """
        root = self._small_xml(_ROOT_RELATIONSHIPS)
        if root is None:
            return None
        for relationship in root.iter("{*}Relationship"):
            if relationship.get("Type") in _OFFICE_DOCUMENT and relationship.get("TargetMode") != "External":
                return _part_name(relationship.get("Target") or "")
        return None

    def parts_typed(self, content_types: frozenset[str]) -> list[str]:
        """Part names, present or not, that `[Content_Types].xml` overrides to one of `content_types`."""
        root = self._small_xml(_CONTENT_TYPES)
        if root is None:
            return []
        parts = []
        for override in root.iter("{*}Override"):
            if (override.get("ContentType") or "").lower() in content_types:
                part = _part_name(override.get("PartName") or "")
                if part is not None:
                    parts.append(part)
        return parts

    def starts_as_word_document(self, part: str) -> bool:
        """Whether a part's first bytes declare the WordprocessingML namespace (no parse)."""
        head = self.head(part, _HEAD)
        return any(namespace in head for namespace in _WORD_NAMESPACES)

    def head(self, part: str, size: int) -> bytes:
        """Up to `size` inflated bytes of a part; empty when it is missing or cannot be inflated."""
        member = self.member(part)
        if member is None:
            return b""
        try:
            with self.archive.open(member) as stream:
                return stream.read(size)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError):
            return b""

    def _small_xml(self, part: str):
        """A small part's root element; None when it is missing, too big, corrupt or has a DTD.

        A DTD is never needed (Office writes none) and is where entity bombs live.
        """
        data = self.head(part, _SMALL_PART + 1)
        if not data or len(data) > _SMALL_PART or b"<!DOCTYPE" in data:
            return None
        parser = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False)
        try:
            return etree.fromstring(data, parser)
        except etree.XMLSyntaxError:
            return None


def _part_name(uri: str) -> str | None:
    """A relationship target or PartName as a zip member name, resolved from the package root
    (`/word/document2.xml` and `./word/document2.xml` name `word/document2.xml`; as in URI
    resolution, `..` cannot climb above the root). None for an empty name."""
    return posixpath.normpath("/" + uri.strip()).lstrip("/") or None
