"""Attachments: which files are accepted by their content, what is stored, what is refused and with which message."""

import os
import struct
import time
import zipfile
import zlib
from io import BytesIO

import pytest
from PIL import ExifTags, Image, ImageCms, PngImagePlugin

from services import uploads
from services.errors import Invalid

RED, BLUE = (255, 0, 0), (0, 0, 255)
MB = 1024 * 1024

PDF = b'%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'
OLE2 = bytes.fromhex('d0cf11e0a1b11ae1') + bytes(504)  # the compound file header, padded to one sector
EXE = b'MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00' + bytes(48) + b'This program cannot be run'
MESSAGES = {
    'empty': 'Die Datei „{name}“ ist leer.',
    'too_large': 'Die Datei „{name}“ ist größer als {mb} MB.',
    'type': 'Dateien vom Typ „{ext}“ können nicht angehängt werden. '
            'Erlaubt sind PDF, Bilder, Office-, OpenDocument- und CSV-Dateien.',
    'mismatch': 'Der Inhalt von „{name}“ passt nicht zur Dateiendung.',
    'damaged': 'Die Datei „{name}“ ist beschädigt oder kann nicht gelesen werden.',
}
ODF_TYPES = {'odt': 'application/vnd.oasis.opendocument.text',
             'ods': 'application/vnd.oasis.opendocument.spreadsheet',
             'odp': 'application/vnd.oasis.opendocument.presentation'}


# --- building sample files


def encode(image: Image.Image, fmt: str, **params) -> bytes:
    out = BytesIO()
    image.save(out, fmt, **params)
    return out.getvalue()


def picture(size=(120, 80), color=RED, mode='RGB') -> Image.Image:
    return Image.new(mode, size, color)


def opened(data: bytes) -> Image.Image:
    image = Image.open(BytesIO(data))
    image.load()
    return image


def near(pixel, color, tolerance=40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], color, strict=True))


def zipped(*members: tuple[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = BytesIO()
    with zipfile.ZipFile(out, 'w', compression) as archive:
        for name, content in members:
            archive.writestr(name, content)
    return out.getvalue()


def ooxml(folder: str) -> bytes:
    """A minimal Office Open XML package as Office writes it: the content types first, then the parts."""
    return zipped(('[Content_Types].xml', b'<?xml version="1.0"?><Types/>'), ('_rels/.rels', b'<Relationships/>'),
                  (f'{folder}/document.xml', b'<document/>'), ('docProps/core.xml', b'<coreProperties/>'))


def opendocument(mimetype: bytes) -> bytes:
    """A minimal OpenDocument package: `mimetype` first and uncompressed, as the standard asks."""
    out = BytesIO()
    with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo('mimetype'), mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr('content.xml', b'<office:document-content/>')
        archive.writestr('META-INF/manifest.xml', b'<manifest:manifest/>')
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header (IHDR, with a correct CRC) claims another size."""
    data = encode(picture((1, 1)), 'PNG')
    ihdr = data[12:16] + struct.pack('>II', width, height) + data[24:29]
    return data[:12] + ihdr + struct.pack('>I', zlib.crc32(ihdr)) + data[33:]


def exif_with_secrets() -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Artist] = 'Mia Member'
    exif[ExifTags.Base.Model] = 'Phone 12'
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = 'N'
    gps[ExifTags.GPS.GPSLatitude] = (51.0, 27.0, 0.0)
    return exif


def refused(filename: str, data: bytes, **kwargs) -> Invalid:
    with pytest.raises(Invalid) as e:
        uploads.check_attachment(filename, data, **kwargs)
    assert e.value.field == 'attachments'
    return e.value


# --- accepted files


def test_pdf_is_stored_as_it_is():
    checked = uploads.check_attachment('Protokoll.pdf', PDF)
    assert checked == uploads.CheckedFile('Protokoll.pdf', 'application/pdf', PDF, 'pdf')


@pytest.mark.parametrize(('filename', 'fmt', 'content_type'), [
    ('bild.png', 'PNG', 'image/png'), ('foto.jpg', 'JPEG', 'image/jpeg'), ('foto.jpeg', 'JPEG', 'image/jpeg'),
    ('anim.gif', 'GIF', 'image/gif'), ('bild.webp', 'WEBP', 'image/webp'),
])
def test_pictures_are_encoded_again_in_their_own_format(filename, fmt, content_type):
    checked = uploads.check_attachment(filename, encode(picture(), fmt))
    assert (checked.filename, checked.content_type, checked.kind) == (filename, content_type, 'image')
    out = opened(checked.data)
    assert (out.format, out.size) == (fmt, (120, 80))
    assert near(out.convert('RGB').getpixel((60, 40)), RED)


@pytest.mark.parametrize(('ext', 'folder', 'content_type'), [
    ('docx', 'word', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'),
    ('xlsx', 'xl', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'),
    ('pptx', 'ppt', 'application/vnd.openxmlformats-officedocument.presentationml.presentation'),
])
def test_office_open_xml_files_are_stored_as_they_are(ext, folder, content_type):
    data = ooxml(folder)
    checked = uploads.check_attachment(f'Haushalt 2026.{ext}', data)
    assert checked == uploads.CheckedFile(f'Haushalt 2026.{ext}', content_type, data, 'office')


@pytest.mark.parametrize(('ext', 'content_type'), [
    ('doc', 'application/msword'), ('xls', 'application/vnd.ms-excel'), ('ppt', 'application/vnd.ms-powerpoint'),
])
def test_office_97_files_are_stored_as_they_are(ext, content_type):
    checked = uploads.check_attachment(f'alt.{ext}', OLE2)
    assert checked == uploads.CheckedFile(f'alt.{ext}', content_type, OLE2, 'office')


@pytest.mark.parametrize('ext', ['odt', 'ods', 'odp'])
def test_opendocument_files_are_stored_as_they_are(ext):
    data = opendocument(ODF_TYPES[ext].encode())
    checked = uploads.check_attachment(f'Entwurf.{ext}', data)
    assert checked == uploads.CheckedFile(f'Entwurf.{ext}', ODF_TYPES[ext], data, 'opendocument')


def test_opendocument_with_a_compressed_mimetype_is_accepted():
    data = zipped(('mimetype', ODF_TYPES['odt'].encode()), ('content.xml', b'<x/>'))  # some tools compress it
    assert uploads.check_attachment('a.odt', data).kind == 'opendocument'


@pytest.mark.parametrize(('data', 'charset'), [
    ('Name;Ort\nMüller;Köln\n'.encode(), 'utf-8'),
    ('Name;Ort\r\nMüller;Köln\r\n'.encode('utf-8-sig'), 'utf-8'),
    ('Name;Ort\r\nMüller;Köln;5 €\r\n'.encode('cp1252'), 'windows-1252'),  # Excel's "CSV (Trennzeichen-getrennt)"
    (b'a\tb\x0bc\x0c\r\n\x1a', 'utf-8'),  # tabs, FileMaker's in-field line break, form feed, DOS end of file
])
def test_csv_is_stored_as_it_is_with_its_charset(data, charset):
    checked = uploads.check_attachment('liste.csv', data)
    assert checked == uploads.CheckedFile('liste.csv', f'text/csv; charset={charset}', data, 'csv')


def test_extension_is_matched_without_regard_to_case():
    checked = uploads.check_attachment('SCAN.PDF', PDF)
    assert (checked.filename, checked.kind) == ('SCAN.PDF', 'pdf')


def test_the_checked_file_carries_the_cleaned_name():
    assert uploads.check_attachment('C:\\Users\\mia\\Desktop\\bericht.pdf', PDF).filename == 'bericht.pdf'


def test_the_stored_bytes_stay_out_of_the_repr():
    assert 'PDF' not in repr(uploads.check_attachment('a.pdf', PDF))


# --- what becomes of pictures


def test_jpeg_exif_is_removed():
    data = encode(picture(), 'JPEG', exif=exif_with_secrets(), comment=b'Mia Member was here')
    assert opened(data).getexif()[ExifTags.Base.Artist] == 'Mia Member'  # the upload does carry it

    stored = uploads.check_attachment('foto.jpg', data).data
    out = opened(stored)
    assert dict(out.getexif()) == {}
    assert not {'exif', 'comment'} & out.info.keys()
    assert b'Mia Member' not in stored and b'Phone 12' not in stored


def test_png_text_and_exif_are_removed_but_transparency_is_kept():
    image = Image.new('P', (60, 60), 1)
    image.putpalette([0, 0, 0, 255, 0, 0] + [0, 0, 0] * 254)
    image.paste(0, (0, 0, 60, 30))  # top half in colour 0, which is transparent
    text = PngImagePlugin.PngInfo()
    text.add_text('Author', 'Mia Member')
    data = encode(image, 'PNG', transparency=0, pnginfo=text, exif=exif_with_secrets())

    stored = uploads.check_attachment('plan.png', data).data
    out = opened(stored)
    assert b'Mia Member' not in stored and 'exif' not in out.info
    assert out.convert('RGBA').getpixel((30, 10))[3] == 0
    assert out.convert('RGBA').getpixel((30, 50)) == (255, 0, 0, 255)


def test_webp_exif_and_xmp_are_removed():
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF>Mia Member</rdf:RDF></x:xmpmeta>'
    data = encode(picture(), 'WEBP', exif=exif_with_secrets(), xmp=xmp)
    assert {'exif', 'xmp'} <= opened(data).info.keys()
    stored = uploads.check_attachment('bild.webp', data).data
    assert not {'exif', 'xmp'} & opened(stored).info.keys()
    assert b'Mia Member' not in stored


def test_colour_profile_is_kept():
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile('sRGB')).tobytes()
    for fmt, ext in [('JPEG', 'jpg'), ('PNG', 'png'), ('WEBP', 'webp')]:
        stored = uploads.check_attachment(f'bild.{ext}', encode(picture(), fmt, icc_profile=profile)).data
        assert opened(stored).info.get('icc_profile') == profile, fmt


def test_jpeg_orientation_is_applied_before_exif_goes():
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # "rotate 90° clockwise to display": the left half ends up on top
    image = Image.new('RGB', (200, 100), RED)
    image.paste(BLUE, (100, 0, 200, 100))
    out = opened(uploads.check_attachment('hoch.jpg', encode(image, 'JPEG', exif=exif, quality=95)).data)
    assert out.size == (100, 200)
    assert near(out.getpixel((50, 20)), RED) and near(out.getpixel((50, 180)), BLUE)


def test_jpeg_is_encoded_with_its_own_quality():
    for quality in (30, 95):
        data = encode(Image.frombytes('RGB', (64, 64), os.urandom(64 * 64 * 3)), 'JPEG', quality=quality)
        stored = uploads.check_attachment('x.jpg', data).data
        assert opened(stored).quantization == opened(data).quantization


def test_camera_jpeg_with_a_second_picture_is_stored_as_a_plain_jpeg():
    data = encode(picture(color=RED), 'MPO', save_all=True, append_images=[picture(color=BLUE)])
    assert opened(data).format == 'MPO'
    out = opened(uploads.check_attachment('kamera.jpg', data).data)
    assert out.format == 'JPEG' and getattr(out, 'n_frames', 1) == 1 and near(out.getpixel((5, 5)), RED)


@pytest.mark.parametrize(('fmt', 'ext'), [('GIF', 'gif'), ('PNG', 'png'), ('WEBP', 'webp')])
def test_animation_keeps_its_first_frame(fmt, ext):
    data = encode(picture(color=RED), fmt, save_all=True, append_images=[picture(color=BLUE)], duration=100)
    assert opened(data).n_frames == 2
    out = opened(uploads.check_attachment(f'anim.{ext}', data).data)
    assert getattr(out, 'n_frames', 1) == 1
    assert near(out.convert('RGB').getpixel((60, 40)), RED)


def test_lossless_webp_stays_exact():
    noise = Image.frombytes('RGB', (64, 64), os.urandom(64 * 64 * 3))
    out = opened(uploads.check_attachment('shot.webp', encode(noise, 'WEBP', lossless=True)).data)
    assert out.tobytes() == noise.tobytes()


def test_picture_of_exactly_40_megapixels_is_not_refused_for_its_size(monkeypatch):
    monkeypatch.setattr(uploads, 'MAX_IMAGE_PIXELS', 120 * 80)
    assert uploads.check_attachment('bild.png', encode(picture((120, 80)), 'PNG')).kind == 'image'
    assert refused('bild.png', encode(picture((121, 80)), 'PNG')).message == MESSAGES['damaged']


# --- size


def test_empty_file_is_refused():
    error = refused('leer.pdf', b'')
    assert (error.message, error.params) == (MESSAGES['empty'], {'name': 'leer.pdf'})


def test_file_over_the_limit_is_refused_before_looking_at_it():
    error = refused('gross.png', os.urandom(11 * MB), max_bytes=10 * MB)  # not a picture: but too big comes first
    assert (error.message, error.params) == (MESSAGES['too_large'], {'name': 'gross.png', 'mb': 10})


def test_default_limit_is_10_mb():
    assert uploads.MAX_ATTACHMENT_BYTES_DEFAULT == 10 * MB
    assert refused('a.pdf', PDF + bytes(10 * MB + 1 - len(PDF))).params == {'name': 'a.pdf', 'mb': 10}


def test_file_of_exactly_the_limit_is_accepted():
    data = PDF + b' ' * (10 * MB - len(PDF))
    assert uploads.check_attachment('a.pdf', data, max_bytes=10 * MB).data == data
    png = encode(picture(), 'PNG')
    png += bytes(5000 - len(png))  # bytes after the end of a PNG are ignored
    assert uploads.check_attachment('b.png', png, max_bytes=5000).kind == 'image'
    assert refused('b.png', png, max_bytes=4999).message == MESSAGES['too_large']


# --- files whose content does not match their name


@pytest.mark.parametrize(('filename', 'data'), [
    ('rechnung.pdf', EXE),
    ('bild.png', PDF),
    ('foto.jpg', encode(picture(), 'PNG')),  # another picture format: still not what the name says
    ('bild.gif', encode(picture(), 'WEBP')),
    ('bericht.docx', zipped(('[Content_Types].xml', b'<Types/>'), ('xl/workbook.xml', b'<w/>'))),
    ('bericht.docx', zipped(('word/document.xml', b'<d/>'))),  # no [Content_Types].xml
    ('bericht.docx', EXE + ooxml('word')),  # a program with a document appended, which zipfile alone would accept
    ('tabelle.xlsx', os.urandom(4096)),
    ('tabelle.xlsx', ooxml('word')),
    ('tabelle.xlsx', OLE2),  # an old .xls renamed
    ('alt.doc', EXE),
    ('alt.doc', ooxml('word')),
    ('tabelle.ods', opendocument(ODF_TYPES['odt'].encode())),
    ('text.odt', opendocument(b'application/epub+zip')),
    ('text.odt', zipped(('content.xml', b'<x/>'), ('mimetype', ODF_TYPES['odt'].encode()))),  # mimetype not first
    ('text.odt', ooxml('word')),
    ('text.odt', PDF),
])
def test_content_that_does_not_match_the_extension_is_refused(filename, data):
    error = refused(filename, data)
    assert (error.message, error.params) == (MESSAGES['mismatch'], {'name': filename})


@pytest.mark.parametrize('data', [
    b'<!DOCTYPE html><html><body>Hallo</body></html>',
    b'  \r\n<html><script>alert(1)</script></html>',
    '\ufeff<svg xmlns="http://www.w3.org/2000/svg"/>'.encode('utf-8'),
    b'<5;klein\n',
    b'Name;Kommentar\nMia;"<SCRIPT>alert(1)</SCRIPT>"\n',
])
def test_csv_that_a_browser_could_take_for_html_is_refused(data):
    assert refused('liste.csv', data).message == MESSAGES['mismatch']


@pytest.mark.parametrize('data', [
    b'Name;Ort\nM\x00ller;K\x00ln\n',
    'Name;Ort\n'.encode('utf-16'),  # UTF-16 text is full of NUL bytes
    EXE,
    b'Name;Ort\n\x81\x8d\x8f\x90\x9d\n',  # valid neither as UTF-8 nor as cp1252
    b'Name;Ort\n\x1b[31mrot\x1b[0m\n',  # a control character: binary data, not text
])
def test_csv_that_is_not_text_is_refused(data):
    assert refused('liste.csv', data).message == MESSAGES['mismatch']


# --- damaged files


def test_truncated_png_is_refused_as_damaged():
    data = encode(Image.frombytes('RGB', (200, 200), os.urandom(200 * 200 * 3)), 'PNG')
    error = refused('bild.png', data[: len(data) // 2])
    assert (error.message, error.params) == (MESSAGES['damaged'], {'name': 'bild.png'})


def test_truncated_jpeg_is_refused_as_damaged():
    data = encode(Image.frombytes('RGB', (200, 200), os.urandom(200 * 200 * 3)), 'JPEG')
    assert refused('foto.jpg', data[: len(data) // 2]).message == MESSAGES['damaged']


def test_png_with_a_wrong_checksum_is_refused_as_damaged():
    data = bytearray(encode(picture(), 'PNG'))
    data[-20] ^= 0xFF  # inside the last IDAT chunk: decodable length, wrong CRC
    assert refused('bild.png', bytes(data)).message == MESSAGES['damaged']


@pytest.mark.parametrize(('filename', 'data'), [
    ('bild.png', b'\x89PNG\r\n\x1a\n' + os.urandom(200)),
    ('foto.jpg', b'\xff\xd8\xff' + os.urandom(200)),
    ('anim.gif', b'GIF89a' + os.urandom(200)),
    ('bild.webp', b'RIFF\x00\x01\x00\x00WEBPVP8 ' + os.urandom(200)),
    ('bericht.docx', b'PK\x03\x04' + os.urandom(500)),
    ('text.odt', b'PK\x03\x04' + os.urandom(500)),
    ('text.odt', opendocument(ODF_TYPES['odt'].encode())[:200]),  # cut off: no table of contents
])
def test_file_that_starts_right_but_cannot_be_read_is_refused_as_damaged(filename, data):
    error = refused(filename, data)
    assert (error.message, error.params) == (MESSAGES['damaged'], {'name': filename})


def test_opendocument_whose_mimetype_fails_its_checksum_is_refused_as_damaged():
    data = bytearray(opendocument(ODF_TYPES['odt'].encode()))
    data[data.index(b'application/vnd')] ^= 0x01  # the stored bytes, not the ones the table of contents vouches for
    assert refused('text.odt', bytes(data)).message == MESSAGES['damaged']


# --- bombs


@pytest.mark.filterwarnings('ignore::PIL.Image.DecompressionBombWarning')
@pytest.mark.parametrize('size', [(8000, 5001), (10_000, 10_000), (20_000, 20_000)])
def test_picture_claiming_too_many_pixels_is_refused_from_its_header(size):
    started = time.perf_counter()
    error = refused('bombe.png', png_claiming(*size))
    assert time.perf_counter() - started < 1
    assert error.message == MESSAGES['damaged']


def test_real_pixel_bomb_is_refused_without_decoding_it():
    data = encode(Image.new('1', (10_000, 10_000)), 'PNG', optimize=True)  # 100 million pixels in about 12 kB
    started = time.perf_counter()
    with pytest.warns(Image.DecompressionBombWarning):
        error = refused('bombe.png', data)
    assert time.perf_counter() - started < 1
    assert error.message == MESSAGES['damaged']


def big_member_zip(first: str, *rest: tuple[str, bytes], megabytes: int = 200) -> bytes:
    """A zip whose member `first` unpacks to `megabytes` of zeros (about 200 kB packed), followed by `rest`."""
    out = BytesIO()
    with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as archive:
        with archive.open(first, 'w') as member:
            for _ in range(megabytes):
                member.write(bytes(MB))
        for name, content in rest:
            archive.writestr(name, content)
    return out.getvalue()


def test_office_file_with_a_huge_member_is_checked_without_unpacking_it():
    data = big_member_zip('[Content_Types].xml', ('word/document.xml', b'<d/>'))
    assert len(data) < MB
    started = time.perf_counter()
    assert uploads.check_attachment('bombe.docx', data).kind == 'office'  # the content of a member is not checked
    assert time.perf_counter() - started < 0.5


def test_opendocument_with_a_huge_mimetype_is_refused_without_unpacking_it():
    data = big_member_zip('mimetype', ('content.xml', b'<x/>'))
    started = time.perf_counter()
    assert refused('bombe.odt', data).message == MESSAGES['mismatch']
    assert time.perf_counter() - started < 0.5


def test_opendocument_whose_mimetype_lies_about_its_size_is_read_only_a_little():
    data = bytearray(big_member_zip('mimetype', ('content.xml', b'<x/>'), megabytes=50))
    entry = data.index(b'PK\x01\x02')  # the first entry of the table of contents: `mimetype`
    data[entry + 24:entry + 28] = struct.pack('<I', 46)  # its uncompressed size, now a plausible one
    started = time.perf_counter()
    assert refused('bombe.odt', bytes(data)).message == MESSAGES['damaged']  # 46 zeros fail the checksum
    assert time.perf_counter() - started < 0.5


# --- extensions that are never accepted


@pytest.mark.parametrize(('filename', 'data', 'ext'), [
    ('setup.exe', EXE, '.exe'),
    ('seite.html', b'<html><script>alert(1)</script></html>', '.html'),
    ('logo.svg', b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', '.svg'),
    ('makro.docm', ooxml('word'), '.docm'),
    ('archiv.zip', ooxml('word'), '.zip'),
    ('notiz.txt', b'Hallo', '.txt'),
    ('bericht.pdf.exe', EXE, '.exe'),
    ('rechnung\u202efdp.exe', EXE, '.exe'),  # shown as 'rechnungexe.pdf' where the bidi override is honoured
    ('LIESMICH', b'Hallo', 'LIESMICH'),  # no extension: the name stands in for the type
    ('.pdf', PDF, 'pdf'),  # a hidden file called 'pdf', not a PDF without a name
])
def test_other_types_are_refused_by_their_extension(filename, data, ext):
    error = refused(filename, data)
    assert error.message == MESSAGES['type']
    assert error.params['ext'] == ext


def test_unknown_extension_is_refused_before_the_size_is_looked_at():
    assert refused('riesig.exe', bytes(11 * MB), max_bytes=10 * MB).message == MESSAGES['type']
    assert refused('leer.exe', b'').message == MESSAGES['type']


# --- file names


@pytest.mark.parametrize(('name', 'cleaned'), [
    ('bericht.pdf', 'bericht.pdf'),
    ('../../etc/passwd.pdf', 'passwd.pdf'),
    ('..\\..\\windows\\win.ini.pdf', 'win.ini.pdf'),
    ('C:\\Users\\mia\\Desktop\\Übersicht März.pdf', 'Übersicht März.pdf'),
    ('/absolute/path/', 'datei'),
    ('bericht\x00.pdf', 'bericht.pdf'),
    ('zeile\r\nX-Header: 1\t.pdf', 'zeileX-Header: 1.pdf'),  # would split a download header
    ('rechnung\u202efdp.exe', 'rechnungfdp.exe'),
    ('null\u200bbreite.pdf', 'nullbreite.pdf'),
    ('U\u0308bersicht.pdf', 'Übersicht.pdf'),  # decomposed umlaut (macOS) is composed
    ('  bericht.pdf  ', 'bericht.pdf'),
    ('bericht.exe.', 'bericht.exe'),  # Windows would drop the dot, and so open a program
    ('.versteckt.pdf', 'versteckt.pdf'),
    ('', 'datei'),
    ('..', 'datei'),
    (' . ', 'datei'),
    ('\x00\x01', 'datei'),
])
def test_clean_filename(name, cleaned):
    assert uploads.clean_filename(name) == cleaned


def test_long_name_is_shortened_to_200_characters_keeping_its_extension():
    assert uploads.clean_filename('Sitzungsprotokoll ' * 20 + '.docx') == ('Sitzungsprotokoll ' * 20)[:195] + '.docx'
    assert uploads.clean_filename('a' * 200 + '.pdf') == 'a' * 196 + '.pdf'
    assert uploads.clean_filename('a' * 196 + '.pdf') == 'a' * 196 + '.pdf'


def test_shortened_name_has_no_space_or_dot_before_its_extension():
    assert uploads.clean_filename('a' * 195 + ' ' + 'b' * 10 + '.pdf') == 'a' * 195 + '.pdf'
    assert uploads.clean_filename('a' * 195 + '.' + 'b' * 10 + '.pdf') == 'a' * 195 + '.pdf'


def test_long_name_without_a_real_extension_is_simply_cut():
    assert uploads.clean_filename('x' * 300) == 'x' * 200
    assert uploads.clean_filename('a.' + 'b' * 300) == ('a.' + 'b' * 300)[:200]


def test_long_name_of_an_accepted_file_is_shortened_and_still_accepted():
    checked = uploads.check_attachment('../' + 'ä' * 500 + '.pdf', PDF)
    assert checked.filename == 'ä' * 196 + '.pdf'


def test_refusals_name_the_cleaned_file():
    assert refused('../../x/\x00leer.pdf', b'').params == {'name': 'leer.pdf'}
