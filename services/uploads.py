"""Attachments of posts: accept a file only if its content is what its name says, and only a few kinds of files.

The name alone decides nothing: whoever downloads the file gets it under that name, and their computer opens it by
the extension. So a program renamed to 'bericht.pdf', or a web page renamed to 'liste.csv' that a browser might run
as HTML, is refused because its bytes do not look like a PDF or a CSV. Only kinds that office software opens as
documents are allowed; SVG, HTML and the like are not, since they can carry script.

Pictures are decoded and encoded again in their own format. That proves they are pictures (a file that merely starts
like a PNG is refused), and it drops what cameras and phones hide in them: EXIF with the place a photo was taken,
the device, comments, XMP. Documents are kept byte for byte: rewriting them would need a full parser for each
format, and their properties (author, title) are part of the document the member chose to share.

Archives (Office Open XML, OpenDocument) are never extracted: only their table of contents is read, and the one
small `mimetype` member of OpenDocument files, so a zip bomb costs nothing.

Pure: no database, no files. CPU-bound for large pictures (decoding up to 40 megapixels): call it off the event loop.
"""

import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from io import BytesIO

import filetype
from filetype.types import Type as Signature
from PIL import Image, ImageOps

from services.errors import Invalid

MAX_ATTACHMENT_BYTES_DEFAULT = 10 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000  # as for avatars; width*height from the header, checked before decoding
MAX_FILENAME_CHARS = 200  # the length of Attachment.filename
DEFAULT_FILENAME = 'datei'

FIELD = 'attachments'
MSG_EMPTY = 'Die Datei „{name}“ ist leer.'
MSG_TOO_LARGE = 'Die Datei „{name}“ ist größer als {mb} MB.'
MSG_TYPE_NOT_ALLOWED = ('Dateien vom Typ „{ext}“ können nicht angehängt werden. '
                        'Erlaubt sind PDF, Bilder, Office-, OpenDocument- und CSV-Dateien.')
MSG_TYPE_NOT_ALLOWED_HERE = 'Dateien vom Typ „{ext}“ können nicht angehängt werden. Erlaubt sind: {types}.'
MSG_CONTENT_MISMATCH = 'Der Inhalt von „{name}“ passt nicht zur Dateiendung.'
MSG_DAMAGED = 'Die Datei „{name}“ ist beschädigt oder kann nicht gelesen werden.'

_CONTENT_TYPES = {
    'pdf': 'application/pdf',
    'png': 'image/png',
    'jpg': 'image/jpeg',
    'jpeg': 'image/jpeg',
    'gif': 'image/gif',
    'webp': 'image/webp',
    'docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    'xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    'pptx': 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    'doc': 'application/msword',
    'xls': 'application/vnd.ms-excel',
    'ppt': 'application/vnd.ms-powerpoint',
    'odt': 'application/vnd.oasis.opendocument.text',
    'ods': 'application/vnd.oasis.opendocument.spreadsheet',
    'odp': 'application/vnd.oasis.opendocument.presentation',
    'csv': 'text/csv',
}
_IMAGE_FORMATS = {'png': 'PNG', 'jpg': 'JPEG', 'jpeg': 'JPEG', 'gif': 'GIF', 'webp': 'WEBP'}
_OOXML_FOLDERS = {'docx': 'word/', 'xlsx': 'xl/', 'pptx': 'ppt/'}
_LEGACY_OFFICE = frozenset({'doc', 'xls', 'ppt'})
_OPENDOCUMENT = frozenset({'odt', 'ods', 'odp'})  # their `mimetype` member holds their content type

_PDF_SIGNATURE = b'%PDF-'
_OLE2_SIGNATURE = bytes.fromhex('d0cf11e0a1b11ae1')  # the compound file of Office 97-2003 (and of .msi, .msg)
# The longest OpenDocument type is 46 bytes; a `mimetype` that claims more is not one, and is not read.
_MAX_MIMETYPE_BYTES = 100
# A JPEG that carries a second picture (many cameras) is opened as 'MPO'; it is saved as a plain JPEG.
_PILLOW_ACCEPTS = {'PNG': {'PNG'}, 'JPEG': {'JPEG', 'MPO'}, 'GIF': {'GIF'}, 'WEBP': {'WEBP'}}
# Tab, line breaks, form feed, vertical tab (line breaks inside FileMaker fields) and the DOS end-of-file mark
# appear in real exports; any other control character means binary data that happened to decode as cp1252,
# which maps almost every byte to some character.
_BINARY_CONTROL = re.compile(r'[\x00-\x08\x0e-\x19\x1b-\x1f\x7f]')
_SCRIPT = re.compile(r'<script', re.IGNORECASE)
_EXTENSION_CHARS = 16  # longer "extensions" are part of the name: they are not kept when a long name is shortened
_EDGE_JUNK = re.compile(r'^[\s.]+|[\s.]+$')


def _signature(mime: str) -> Signature:
    matcher = filetype.get_type(mime=mime)
    if matcher is None:  # filetype dropped a matcher: fail at import, not by accepting everything
        raise RuntimeError(f'filetype has no matcher for {mime}')
    return matcher


_IMAGE_SIGNATURES = {fmt: _signature(_CONTENT_TYPES[ext]) for ext, fmt in _IMAGE_FORMATS.items()}
_ZIP_SIGNATURE = _signature('application/zip')


@dataclass(frozen=True)
class CheckedFile:
    """An attachment that passed the checks: store `data` and serve it with `content_type` under `filename`."""

    filename: str
    content_type: str
    data: bytes = field(repr=False)  # up to the size limit: keep it out of logs and tracebacks
    kind: str  # 'pdf' | 'image' | 'office' | 'opendocument' | 'csv'


def clean_filename(name: str) -> str:
    """The name to show and to download under: no folders, no invisible characters, at most 200 characters."""
    # Browsers send a bare name, but old ones and scripts send 'C:\\Users\\…\\x.pdf' or '../../x.pdf'.
    name = re.split(r'[/\\]', unicodedata.normalize('NFC', name or ''))[-1]
    # Control characters could break a download header or a log line; format characters include the bidi override
    # that shows 'rechnung\u202efdp.exe' as 'rechnungexe.pdf'; lone surrogates cannot be stored as UTF-8.
    name = ''.join(c for c in name if unicodedata.category(c) not in {'Cc', 'Cf', 'Cs', 'Zl', 'Zp'})
    # Windows drops trailing dots and spaces when saving, so 'x.exe.' would arrive as 'x.exe'; leading dots would
    # make a hidden file on Unix.
    name = _EDGE_JUNK.sub('', name)
    if len(name) > MAX_FILENAME_CHARS:
        stem, dot, ext = name.rpartition('.')
        if dot and stem and len(ext) <= _EXTENSION_CHARS:  # keep the extension: it decides how the file opens
            name = _EDGE_JUNK.sub('', stem[: MAX_FILENAME_CHARS - len(ext) - 1]) + '.' + ext
        else:
            name = _EDGE_JUNK.sub('', name[:MAX_FILENAME_CHARS])
    return name or DEFAULT_FILENAME


def accept_list(allowed: list[str] | tuple[str, ...]) -> str:
    """'.pdf,.png,…' for a file picker's `accept`: the kinds the administration allows (and this check knows)."""
    return ','.join(f'.{ext}' for ext in allowed if ext in _CONTENT_TYPES)


def check_attachment(filename: str, data: bytes, *, max_bytes: int = MAX_ATTACHMENT_BYTES_DEFAULT,
                     allowed: list[str] | tuple[str, ...] | None = None) -> CheckedFile:
    """The file as it may be stored, or Invalid('attachments', …) saying why it may not.

    `allowed` narrows the known kinds to those the administration permits (the setting `allowed_file_types`);
    a refusal then names the permitted ones.
    """
    name = clean_filename(filename)
    stem, dot, ext = name.rpartition('.')
    ext = ext.lower() if dot and stem else ''
    if allowed is not None and ext not in allowed:
        types = ', '.join(f'.{t}' for t in allowed if t in _CONTENT_TYPES)
        raise Invalid(FIELD, MSG_TYPE_NOT_ALLOWED_HERE, ext=f'.{ext}' if ext else name, name=name, types=types)
    if ext not in _CONTENT_TYPES:
        raise Invalid(FIELD, MSG_TYPE_NOT_ALLOWED, ext=f'.{ext}' if ext else name, name=name)
    if not data:
        raise Invalid(FIELD, MSG_EMPTY, name=name)
    # Before anything parses the data: a large file is refused at the cost of len().
    if len(data) > max_bytes:
        raise Invalid(FIELD, MSG_TOO_LARGE, name=name, mb=max_bytes // (1024 * 1024))
    content_type = _CONTENT_TYPES[ext]
    if ext == 'pdf':
        _require(data.startswith(_PDF_SIGNATURE), name)
        return CheckedFile(name, content_type, data, 'pdf')
    if ext in _IMAGE_FORMATS:
        return CheckedFile(name, content_type, _reencode_image(data, _IMAGE_FORMATS[ext], name), 'image')
    if ext in _OOXML_FOLDERS:
        names = _zip_names(data, name)
        folder = _OOXML_FOLDERS[ext]
        _require('[Content_Types].xml' in names and any(n.startswith(folder) for n in names), name)
        return CheckedFile(name, content_type, data, 'office')
    if ext in _LEGACY_OFFICE:
        # The compound file format has no reliable marker of which program wrote it; Office itself tells a .doc
        # from an .xls by its streams. The signature keeps out everything that is no Office 97-2003 file at all.
        _require(data.startswith(_OLE2_SIGNATURE), name)
        return CheckedFile(name, content_type, data, 'office')
    if ext in _OPENDOCUMENT:
        _require(_opendocument_mimetype(data, name) == content_type.encode('ascii'), name)
        return CheckedFile(name, content_type, data, 'opendocument')
    charset = _csv_charset(data, name)
    # The charset goes with the type so that a browser showing the file does not guess it (and gets umlauts right).
    return CheckedFile(name, f'{content_type}; charset={charset}', data, 'csv')


def _require(condition: bool, name: str) -> None:
    if not condition:
        raise Invalid(FIELD, MSG_CONTENT_MISMATCH, name=name)


def _damaged(name: str) -> Invalid:
    return Invalid(FIELD, MSG_DAMAGED, name=name)


# --- pictures


def _open_image(data: bytes, fmt: str, name: str) -> Image.Image:
    image = Image.open(BytesIO(data), formats=[fmt])
    width, height = image.size
    if image.format not in _PILLOW_ACCEPTS[fmt] or width <= 0 or height <= 0:
        raise _damaged(name)
    if width * height > MAX_IMAGE_PIXELS:  # from the header: a tiny file can claim a picture of gigabytes
        raise _damaged(name)
    return image


def _reencode_image(data: bytes, fmt: str, name: str) -> bytes:
    # The signature tells a renamed file (a PDF called .png: the name lies) from a broken picture (the name is
    # right, the content is not readable); Pillow alone would call both unreadable.
    _require(_IMAGE_SIGNATURES[fmt].match(data), name)
    try:
        _open_image(data, fmt, name).verify()  # checks what the format can check without decoding (PNG's CRCs)
        image = _open_image(data, fmt, name)  # verify() leaves the image unusable
        image.load()  # animations: the first frame only; truncated data fails here
        ImageOps.exif_transpose(image, in_place=True)  # the orientation lives in the EXIF that is about to go
        params: dict[str, object] = {}
        if icc_profile := image.info.get('icc_profile'):
            # Colour data, not data about anyone: without it, photos from phones (Display P3) look washed out.
            params['icc_profile'] = icc_profile
        if (dpi := image.info.get('dpi')) and fmt in ('PNG', 'JPEG'):
            params['dpi'] = dpi  # scanned documents print at their real size
        # Savers fall back to image.info for comments, text chunks and XMP: keep only what the picture needs.
        image.info = {k: v for k, v in image.info.items() if k in ('transparency', 'background')}
        if fmt == 'JPEG':
            # The original's quantisation tables: no visible loss from a second encoding, no growth in size.
            # Pillow allows this only for what it opened as 'JPEG', not 'MPO'.
            params['quality'] = 'keep' if image.format == 'JPEG' else 90
        elif fmt == 'WEBP':
            lossless = _webp_is_lossless(data)
            params.update(lossless=lossless, quality=80 if lossless else 90)
        out = BytesIO()
        image.save(out, fmt, **params)
    except Invalid:
        raise
    except Exception as e:  # Pillow raises many kinds for damaged data, DecompressionBombError and its warning too
        raise _damaged(name) from e
    return out.getvalue()


def _webp_is_lossless(data: bytes) -> bool:
    """Whether the picture is stored losslessly (screenshots, drawings), so that the copy stays exact."""
    offset = 12  # after 'RIFF', the size and 'WEBP'
    while offset + 8 <= len(data):
        chunk, size = data[offset:offset + 4], int.from_bytes(data[offset + 4:offset + 8], 'little')
        if chunk in (b'VP8L', b'VP8 '):
            return chunk == b'VP8L'
        if chunk == b'ANMF':  # an animation frame holds its picture's chunks after a 16-byte frame header
            offset += 8 + 16
            continue
        offset += 8 + size + (size & 1)  # chunks are padded to an even length
    return False


# --- archives


def _zip_names(data: bytes, name: str) -> set[str]:
    """The member names, read from the zip's table of contents; nothing is decompressed."""
    # zipfile finds the table at the end and ignores what comes before it, so a program with a document appended
    # would pass as that document: the file itself has to start as a zip.
    _require(_ZIP_SIGNATURE.match(data), name)
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            return set(archive.namelist())
    except Exception as e:  # BadZipFile, and the odd ValueError or struct.error of a crafted table
        raise _damaged(name) from e


def _opendocument_mimetype(data: bytes, name: str) -> bytes:
    """The content of the first member, which OpenDocument requires to be `mimetype`; b'' if it is not."""
    _require(_ZIP_SIGNATURE.match(data), name)
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            members = archive.infolist()
            if not members or members[0].filename != 'mimetype' or members[0].file_size > _MAX_MIMETYPE_BYTES:
                return b''
            with archive.open(members[0]) as member:
                # Bounded even if the declared size lies: the decompressor stops after this many bytes.
                return member.read(_MAX_MIMETYPE_BYTES + 1)
    except Exception as e:  # damaged table or member, unknown compression, a password on the member
        raise _damaged(name) from e


# --- CSV


def _csv_charset(data: bytes, name: str) -> str:
    """'utf-8' or 'windows-1252' (what Excel writes in Germany) for a CSV file; Invalid for anything else."""
    _require(b'\0' not in data, name)  # UTF-16 exports and every binary format
    try:
        text, charset = data.decode('utf-8-sig'), 'utf-8'
    except UnicodeDecodeError:
        try:
            text, charset = data.decode('cp1252'), 'windows-1252'
        except UnicodeDecodeError as e:  # five bytes have no cp1252 character
            raise Invalid(FIELD, MSG_CONTENT_MISMATCH, name=name) from e
    _require(not _BINARY_CONTROL.search(text), name)
    # Browsers that sniff content may take a file starting with a tag for HTML, and run any script in it.
    _require(not text.lstrip(' \t\r\n\f\v\ufeff').startswith('<') and not _SCRIPT.search(text), name)
    return charset
