"""Avatar pictures: what is accepted, what the stored picture looks like, what is refused, and where it is kept."""

import os
import re
import struct
import time
import zlib
from io import BytesIO

import pytest
from PIL import ExifTags, Image, ImageCms

from services import files, images
from services.errors import Invalid

RED, BLUE, GREEN, WHITE = (255, 0, 0), (0, 0, 255), (0, 255, 0), (255, 255, 255)


def encode(image: Image.Image, fmt: str, **params) -> bytes:
    out = BytesIO()
    image.save(out, fmt, **params)
    return out.getvalue()


def picture(size=(300, 200), color=RED, mode='RGB') -> Image.Image:
    return Image.new(mode, size, color)


def halves(size=(200, 100), left=RED, right=BLUE) -> Image.Image:
    image = Image.new('RGB', size, left)
    image.paste(right, (size[0] // 2, 0, size[0], size[1]))
    return image


def opened(data: bytes) -> Image.Image:
    image = Image.open(BytesIO(data))
    image.load()
    return image


def near(pixel, color, tolerance=40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], color, strict=True))


def refused(data: bytes) -> Invalid:
    with pytest.raises(Invalid) as e:
        images.process_avatar(data)
    assert e.value.field == 'avatar'
    return e.value


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header (IHDR, with a correct CRC) claims another size."""
    data = encode(picture((1, 1)), 'PNG')
    ihdr = data[12:16] + struct.pack('>II', width, height) + data[24:29]
    return data[:12] + ihdr + struct.pack('>I', zlib.crc32(ihdr)) + data[33:]


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(files, '_data_dir', None)  # restored after the test
    files.configure(tmp_path)
    return tmp_path


# --- accepted pictures and what becomes of them


@pytest.mark.parametrize('fmt', ['PNG', 'JPEG', 'WEBP'])
def test_png_jpeg_and_webp_become_a_256_square_webp(fmt):
    out = opened(images.process_avatar(encode(picture(), fmt)))
    assert (out.format, out.size, out.mode) == ('WEBP', (256, 256), 'RGB')
    assert near(out.getpixel((128, 128)), RED)


def test_small_picture_is_scaled_up_to_256():
    out = opened(images.process_avatar(encode(picture((40, 30)), 'PNG')))
    assert out.size == (256, 256)


def test_wide_picture_is_cropped_to_its_centre_square():
    wide = Image.new('RGB', (300, 100), BLUE)
    wide.paste(RED, (100, 0, 200, 100))  # the middle third
    wide.paste(GREEN, (200, 0, 300, 100))
    out = opened(images.process_avatar(encode(wide, 'PNG')))
    assert out.size == (256, 256)
    for corner in [(2, 2), (253, 2), (2, 253), (253, 253)]:
        assert near(out.getpixel(corner), RED), corner


def test_exif_metadata_is_removed():
    exif = Image.Exif()
    exif[ExifTags.Base.Artist] = 'Mia Member'
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = 'N'
    gps[ExifTags.GPS.GPSLatitude] = (51.0, 27.0, 0.0)
    data = encode(picture(), 'JPEG', exif=exif)
    assert opened(data).getexif()[ExifTags.Base.Artist] == 'Mia Member'  # the upload does carry it

    out = opened(images.process_avatar(data))
    assert 'exif' not in out.info
    assert dict(out.getexif()) == {}
    assert b'Mia Member' not in images.process_avatar(data)


def test_colour_profile_and_xmp_are_not_kept():
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile('sRGB')).tobytes()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF>Mia Member</rdf:RDF></x:xmpmeta>'
    data = encode(picture(), 'WEBP', icc_profile=profile, xmp=xmp)
    assert {'icc_profile', 'xmp'} <= opened(data).info.keys()

    result = images.process_avatar(data)
    out = opened(result)
    assert not {'icc_profile', 'xmp', 'exif'} & out.info.keys()
    assert b'Mia Member' not in result
    assert near(out.getpixel((128, 128)), RED)  # the colours survive the conversion to sRGB


def test_exif_orientation_is_applied_before_cropping():
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # "rotate 90° clockwise to display": the left half ends up on top
    data = encode(halves((200, 100), left=RED, right=BLUE), 'JPEG', exif=exif, quality=95)

    out = opened(images.process_avatar(data))
    assert near(out.getpixel((30, 30)), RED) and near(out.getpixel((225, 30)), RED)  # the whole top is red
    assert near(out.getpixel((30, 225)), BLUE) and near(out.getpixel((225, 225)), BLUE)  # the whole bottom blue


def test_picture_without_orientation_is_not_turned():
    out = opened(images.process_avatar(encode(halves((200, 100), left=RED, right=BLUE), 'JPEG', quality=95)))
    assert near(out.getpixel((30, 128)), RED) and near(out.getpixel((225, 128)), BLUE)


@pytest.mark.parametrize('fmt', ['PNG', 'WEBP'])
def test_transparency_is_flattened_onto_white(fmt):
    image = Image.new('RGBA', (256, 256), (0, 0, 0, 0))  # transparent black
    image.paste((255, 0, 0, 255), (0, 128, 256, 256))  # opaque red bottom half
    out = opened(images.process_avatar(encode(image, fmt, lossless=True) if fmt == 'WEBP' else encode(image, fmt)))
    assert out.mode == 'RGB'
    assert near(out.getpixel((128, 40)), WHITE, tolerance=8)
    assert near(out.getpixel((128, 220)), RED)


def test_half_transparent_colour_is_blended_with_white():
    out = opened(images.process_avatar(encode(picture(color=(255, 0, 0, 128), mode='RGBA'), 'PNG')))
    assert near(out.getpixel((128, 128)), (255, 127, 127), tolerance=12)


def test_palette_picture_with_transparent_colour_is_flattened_onto_white():
    image = Image.new('P', (100, 100), 1)
    image.putpalette([0, 0, 0, 255, 0, 0] + [0, 0, 0] * 254)
    image.paste(0, (0, 0, 100, 50))  # top half in colour 0, which is transparent
    out = opened(images.process_avatar(encode(image, 'PNG', transparency=0)))
    assert near(out.getpixel((128, 20)), WHITE, tolerance=8)
    assert near(out.getpixel((128, 230)), RED)


def test_animated_webp_keeps_its_first_frame():
    first, second = picture(color=RED), picture(color=BLUE)
    out = opened(images.process_avatar(encode(first, 'WEBP', save_all=True, append_images=[second], duration=100)))
    assert getattr(out, 'n_frames', 1) == 1
    assert near(out.getpixel((128, 128)), RED)


def test_animated_png_keeps_its_first_frame():
    first, second = picture(color=RED), picture(color=BLUE)
    out = opened(images.process_avatar(encode(first, 'PNG', save_all=True, append_images=[second], duration=100)))
    assert near(out.getpixel((128, 128)), RED)


def test_camera_jpeg_with_a_second_picture_is_accepted():
    data = encode(picture(color=RED), 'MPO', save_all=True, append_images=[picture(color=BLUE)])
    assert opened(data).format == 'MPO'  # what Pillow calls such a JPEG
    out = opened(images.process_avatar(data))
    assert out.size == (256, 256) and near(out.getpixel((128, 128)), RED)


def test_cmyk_jpeg_is_converted_to_rgb():
    out = opened(images.process_avatar(encode(picture(color=(0, 255, 255, 0), mode='CMYK'), 'JPEG')))
    assert out.mode == 'RGB' and near(out.getpixel((128, 128)), RED)


def test_sixteen_bit_grey_png_keeps_its_grey():
    out = opened(images.process_avatar(encode(picture(color=32768, mode='I;16'), 'PNG')))
    assert near(out.getpixel((128, 128)), (128, 128, 128), tolerance=6)


def test_picture_of_exactly_2_mb_is_accepted():
    data = encode(picture(), 'PNG')
    data += b'\0' * (images.MAX_AVATAR_BYTES - len(data))  # bytes after the end of a PNG are ignored
    assert len(data) == images.MAX_AVATAR_BYTES
    assert opened(images.process_avatar(data)).size == (256, 256)


def test_picture_of_exactly_40_megapixels_is_not_refused_for_its_size():
    data = png_claiming(8000, 5000)  # the header is fine; the pixel data (one pixel) is missing
    error = refused(data)
    assert error.message == 'Bitte laden Sie ein PNG-, JPEG- oder WebP-Bild hoch.'


# --- refused uploads


def test_empty_upload_is_refused():
    assert refused(b'').message == 'Bitte laden Sie ein PNG-, JPEG- oder WebP-Bild hoch.'


def test_upload_over_2_mb_is_refused_before_looking_at_it():
    data = encode(picture(), 'PNG')
    error = refused(data + b'\0' * (images.MAX_AVATAR_BYTES + 1 - len(data)))
    assert (error.message, error.params) == ('Das Bild ist größer als {mb} MB.', {'mb': 2})


def test_pdf_is_refused():
    pdf = b'%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'
    assert refused(pdf).message == 'Bitte laden Sie ein PNG-, JPEG- oder WebP-Bild hoch.'


@pytest.mark.parametrize('fmt', ['GIF', 'BMP', 'TIFF', 'ICO'])
def test_other_picture_formats_are_refused(fmt):
    assert refused(encode(picture((64, 64)), fmt)).message == 'Bitte laden Sie ein PNG-, JPEG- oder WebP-Bild hoch.'


def test_random_bytes_are_refused():
    assert refused(os.urandom(5000)).message == 'Bitte laden Sie ein PNG-, JPEG- oder WebP-Bild hoch.'


def test_svg_is_refused():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    assert refused(svg).message == 'Bitte laden Sie ein PNG-, JPEG- oder WebP-Bild hoch.'


def test_truncated_png_is_refused():
    noisy = Image.frombytes('RGB', (300, 300), os.urandom(300 * 300 * 3))
    data = encode(noisy, 'PNG')
    assert refused(data[: len(data) // 2]).message == 'Bitte laden Sie ein PNG-, JPEG- oder WebP-Bild hoch.'


def test_picture_over_40_megapixels_is_refused_from_its_header():
    error = refused(png_claiming(8000, 5001))
    assert (error.message, error.params) == ('Das Bild ist zu groß ({width}×{height} Pixel).',
                                             {'width': 8000, 'height': 5001})


@pytest.mark.filterwarnings('ignore::PIL.Image.DecompressionBombWarning')
def test_pixel_bomb_of_10000_by_10000_is_refused_quickly():
    bomb = png_claiming(10_000, 10_000)
    assert len(bomb) < 100
    started = time.perf_counter()
    error = refused(bomb)
    assert time.perf_counter() - started < 1
    assert error.params == {'width': 10_000, 'height': 10_000}


@pytest.mark.filterwarnings('error::PIL.Image.DecompressionBombWarning')
def test_pixel_bomb_is_refused_when_pillows_warning_is_an_error():
    error = refused(png_claiming(10_000, 10_000))
    assert (error.message, error.params) == ('Das Bild ist zu groß ({width}×{height} Pixel).',
                                             {'width': 10_000, 'height': 10_000})


def test_pixel_bomb_that_pillow_itself_refuses_is_refused_with_our_message():
    started = time.perf_counter()
    error = refused(png_claiming(20_000, 20_000))  # 400 million pixels: Pillow raises DecompressionBombError
    assert time.perf_counter() - started < 1
    assert (error.message, error.params) == ('Das Bild ist zu groß ({width}×{height} Pixel).',
                                             {'width': 20_000, 'height': 20_000})


def test_real_10000_by_10000_png_is_refused_quickly():
    data = encode(Image.new('1', (10_000, 10_000)), 'PNG', optimize=True)  # 100 million pixels in about 12 kB
    assert len(data) < images.MAX_AVATAR_BYTES
    started = time.perf_counter()
    with pytest.warns(Image.DecompressionBombWarning):
        error = refused(data)
    assert time.perf_counter() - started < 1
    assert error.params == {'width': 10_000, 'height': 10_000}


# --- storing


def test_save_avatar_writes_a_webp_under_a_random_name(data_dir):
    name = images.save_avatar(encode(picture(), 'PNG'))
    assert re.fullmatch(r'[0-9a-f]{32}\.webp', name)
    path = data_dir / 'avatars' / name
    assert opened(path.read_bytes()).size == (256, 256)
    assert [p.name for p in (data_dir / 'avatars').iterdir()] == [name]  # no temporary file left behind


def test_save_avatar_gives_each_upload_its_own_name(data_dir):
    data = encode(picture(), 'PNG')
    assert images.save_avatar(data) != images.save_avatar(data)


def test_save_avatar_stores_nothing_for_a_refused_upload(data_dir):
    with pytest.raises(Invalid):
        images.save_avatar(b'%PDF-1.4\n')
    assert list((data_dir / 'avatars').glob('*')) == []


def test_avatar_path_finds_a_saved_avatar(data_dir):
    name = images.save_avatar(encode(picture(), 'JPEG'))
    assert images.avatar_path(name) == data_dir.resolve() / 'avatars' / name


@pytest.mark.parametrize('name', [
    '../x.webp', 'abc.png', '', '0' * 32 + '.png', 'A' * 32 + '.webp', '0' * 31 + '.webp', '0' * 32 + '.webp\n',
    '../../' + '0' * 32 + '.webp', '/etc/passwd',
])
def test_avatar_path_refuses_names_we_did_not_make(data_dir, name):
    (data_dir / 'avatars').mkdir(exist_ok=True)
    (data_dir / 'x.webp').write_bytes(b'x')
    assert images.avatar_path(name) is None


def test_avatar_path_is_none_for_a_missing_file(data_dir):
    assert images.avatar_path('0' * 32 + '.webp') is None


def test_delete_avatar_removes_the_file(data_dir):
    name = images.save_avatar(encode(picture(), 'PNG'))
    images.delete_avatar(name)
    assert images.avatar_path(name) is None
    assert not (data_dir / 'avatars' / name).exists()


def test_delete_avatar_ignores_missing_files_and_foreign_names(data_dir):
    outside = data_dir / 'keep.webp'
    outside.write_bytes(b'x')
    images.delete_avatar('0' * 32 + '.webp')
    images.delete_avatar('../keep.webp')
    assert outside.exists()
