"""Avatars: check an uploaded picture, re-encode it as a 256×256 WebP without metadata, store it under a random name."""

import contextlib
import os
import re
import secrets
from io import BytesIO
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from services import files
from services.errors import Invalid

MAX_AVATAR_BYTES = 2 * 1024 * 1024
MAX_PIXELS = 40_000_000  # width*height from the header; a 10,000×10,000 image is refused before decoding
AVATAR_SIZE = 256
WEBP_QUALITY = 85
MAX_LOGO_BYTES = 2 * 1024 * 1024
LOGO_BOX = (480, 160)  # the largest width and height; the picture keeps its proportions
LOGO_QUALITY = 90
LOGO_FOLDER = 'site'

# What Pillow detects from the content. A JPEG with a second picture (many cameras) is detected as 'MPO'.
_FORMATS = ('PNG', 'JPEG', 'WEBP')
_ACCEPTED = frozenset({'PNG', 'JPEG', 'MPO', 'WEBP'})
_NAME = re.compile(r'^[0-9a-f]{32}\.webp$')

FIELD = 'avatar'
MSG_TOO_LARGE_FILE = 'Das Bild ist größer als {mb} MB.'
MSG_WRONG_FORMAT = 'Bitte laden Sie ein PNG-, JPEG- oder WebP-Bild hoch.'
MSG_TOO_MANY_PIXELS = 'Das Bild ist zu groß ({width}×{height} Pixel).'


def _wrong_format() -> Invalid:
    return Invalid(FIELD, MSG_WRONG_FORMAT)


def _too_many_pixels(width: int, height: int) -> Invalid:
    return Invalid(FIELD, MSG_TOO_MANY_PIXELS, width=width, height=height)


def _open(data: bytes) -> Image.Image:
    """Open (reading the header only) and check format and pixel count, before any pixel is decoded."""
    try:
        image = Image.open(BytesIO(data), formats=_FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as e:
        # Pillow's own limit (about 89 million pixels warns, twice that raises) lies above ours; the warning is only
        # raised when warnings are turned into errors. It says how many pixels, but we show width and height.
        raise _too_many_pixels(*_header_size(data)) from e
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as e:
        raise _wrong_format() from e
    if image.format not in _ACCEPTED:
        raise _wrong_format()
    width, height = image.size
    if width <= 0 or height <= 0:
        raise _wrong_format()
    if width * height > MAX_PIXELS:
        raise _too_many_pixels(width, height)
    return image


def _header_size(data: bytes) -> tuple[int, int]:
    """Width and height from the format's own opener, which (unlike Image.open) does not apply Pillow's bomb limit."""
    for name in _FORMATS:
        try:
            factory, accept = Image.OPEN[name]
            accepted = accept(data[:16]) if accept else True
            if accepted and not isinstance(accepted, str):
                return factory(BytesIO(data), '').size
        except Exception:  # noqa: S112 - not this format, or Pillow changed its registry: try the next one
            continue
    return 0, 0


def _to_rgb(image: Image.Image) -> Image.Image:
    """RGB, with transparency flattened onto white and 16-bit grey scaled (Pillow would clip it to white).

    Full size, so it avoids copies: a 40-megapixel RGBA picture alone takes 160 MB.
    """
    if image.mode in ('I', 'F') or image.mode.startswith('I;16'):
        image = image.convert('I').point(lambda v: v * (1 / 256)).convert('L')
    if image.mode in ('RGBA', 'LA', 'PA', 'RGBa', 'La') or 'transparency' in image.info:
        if image.mode != 'RGBA':
            image = image.convert('RGBA')
        flat = Image.new('RGB', image.size, (255, 255, 255))
        flat.paste(image, mask=image)  # the mask is the alpha channel of the RGBA picture
        return flat
    return image if image.mode == 'RGB' else image.convert('RGB')


def _to_srgb(image: Image.Image, icc_profile: bytes) -> Image.Image:
    """Colours from an embedded profile (e.g. Display P3 from phones) to sRGB, as the profile is not kept."""
    try:
        from PIL import ImageCms

        source = ImageCms.ImageCmsProfile(BytesIO(icc_profile))
        return ImageCms.profileToProfile(image, source, ImageCms.createProfile('sRGB'), outputMode='RGB') or image
    except Exception:  # no LittleCMS, a damaged profile, or one for another colour space: keep the colours as they are
        return image


def _keep_alpha(image: Image.Image) -> Image.Image:
    """RGBA when the picture has transparency (a logo on the coloured header must not get a white box), else RGB."""
    if image.mode in ('RGBA', 'LA', 'PA', 'RGBa', 'La') or 'transparency' in image.info:
        return image if image.mode == 'RGBA' else image.convert('RGBA')
    return _to_rgb(image)


def _process(data: bytes, *, max_bytes: int, box: tuple[int, int], square: bool, keep_alpha: bool,
             quality: int) -> bytes:
    """The one pipeline for stored pictures: checked, decoded once, turned upright, colours to sRGB, scaled into
    `box` (cropped to it when `square`, else proportions kept), re-encoded as WebP without any metadata."""
    if not data:
        raise _wrong_format()
    if len(data) > max_bytes:
        raise Invalid(FIELD, MSG_TOO_LARGE_FILE, mb=max_bytes // (1024 * 1024))
    image = _open(data)
    try:
        if image.format in ('JPEG', 'MPO'):
            image.draft('RGB', box)  # let the decoder scale down by 1/2, 1/4 or 1/8
        image.seek(0)  # animations: the first frame
        image.load()
        icc_profile = image.info.get('icc_profile')
        ImageOps.exif_transpose(image, in_place=True)  # in place: no full-size copy
        if icc_profile and image.mode == 'CMYK':  # the profile only fits the CMYK values
            image = _to_srgb(image, icc_profile)
            icc_profile = None
        image = _keep_alpha(image) if keep_alpha else _to_rgb(image)
        factor = min(image.width // (2 * box[0]), image.height // (2 * box[1]))
        if factor >= 2:  # a cheap box reduction first keeps LANCZOS from working on (and copying) millions of pixels
            image = image.reduce(factor)
        if square:
            image = ImageOps.fit(image, box, Image.Resampling.LANCZOS)
        else:
            image.thumbnail(box, Image.Resampling.LANCZOS)
        if icc_profile and image.mode == 'RGB':
            image = _to_srgb(image, icc_profile)
        image.info = {}
        out = BytesIO()
        image.save(out, 'WEBP', quality=quality, method=4, exif=b'', icc_profile=None, xmp=b'')
    except Invalid:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as e:
        raise _too_many_pixels(*image.size) from e
    except Exception as e:  # truncated or damaged data that only shows while decoding
        raise _wrong_format() from e
    return out.getvalue()


def _store(folder_name: str, webp: bytes) -> str:
    """Write a processed picture under a random name (atomically: a reader never sees half a file)."""
    folder = files.folder(folder_name)
    name = f'{secrets.token_hex(16)}.webp'
    temp = folder / f'.{name}.tmp'
    try:
        temp.write_bytes(webp)
        os.replace(temp, folder / name)
    finally:
        temp.unlink(missing_ok=True)
    return name


def _stored(folder_name: str, name: str) -> Path | None:
    """The file of a stored picture; None for a name we did not make or a file that is gone."""
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        return None
    path = files.folder(folder_name) / name
    return path if path.is_file() else None


def _delete(folder_name: str, name: str) -> None:
    path = _stored(folder_name, name)
    if path is not None:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def process_avatar(data: bytes) -> bytes:
    """A square AVATAR_SIZE WebP without metadata; raise Invalid('avatar', ...) for anything else than a sane picture.

    CPU-bound (up to about a second for the largest allowed picture): call it off the event loop.
    """
    return _process(data, max_bytes=MAX_AVATAR_BYTES, box=(AVATAR_SIZE, AVATAR_SIZE), square=True, keep_alpha=False,
                    quality=WEBP_QUALITY)


def save_avatar(data: bytes) -> str:
    """Process and store a picture; the file name (not a path) to keep on the profile."""
    return _store('avatars', process_avatar(data))


def avatar_path(name: str) -> Path | None:
    """The file of a stored avatar; None for a name we did not make or a file that is gone."""
    return _stored('avatars', name)


def delete_avatar(name: str) -> None:
    """Remove a stored avatar if it is there (names we did not make are ignored)."""
    _delete('avatars', name)


# ---------------------------------------------------------------- the network's logo (header)

def process_logo(data: bytes) -> bytes:
    """A WebP of at most LOGO_BOX, proportions kept, transparency kept, no metadata.

    Raises Invalid('avatar', ...) like process_avatar (the caller names its own field). CPU-bound: off the event loop.
    """
    return _process(data, max_bytes=MAX_LOGO_BYTES, box=LOGO_BOX, square=False, keep_alpha=True, quality=LOGO_QUALITY)


def save_logo(data: bytes) -> str:
    """Process and store the network's logo; the file name to keep in the 'logo' setting."""
    return _store(LOGO_FOLDER, process_logo(data))


def logo_path(name: str) -> Path | None:
    """The file of the stored logo; None for a name we did not make or a file that is gone."""
    return _stored(LOGO_FOLDER, name)


def delete_logo(name: str) -> None:
    _delete(LOGO_FOLDER, name)
