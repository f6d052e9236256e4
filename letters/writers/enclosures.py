"""Evidence files as PDF pages, for the evidence bundle — or the reason one cannot be.

Evidence files are untrusted: a case file can name any file, and the files themselves come from
anywhere (a phone's photos, a forwarded email, a council's PDF). So a file is read only when it
is an ordinary file inside the case file's folder, never more than ``MAX_FILE_BYTES`` of it
(``letters.files.read_regular_file``), and each kind is converted by a well-kept library:

- PDF: read and written again by pypdf (a file pypdf cannot read, or one locked by a password,
  is not included);
- JPEG and PNG photos: placed on A4 pages by img2pdf (without re-compressing a JPEG), after
  Pillow has checked the picture's size; HEIC photos where pillow-heif is installed;
- text files and emails (.eml: the headers and the text of the message): typeset by Typst;
- .docx: converted by LibreOffice where it is installed.

Anything else, or anything that fails, is ``Unavailable`` with the reason in a sentence: the
bundle's index lists it as provided separately, never leaving it out in silence. Nothing here
reaches the network.
"""

from __future__ import annotations

import email
import email.policy
import io
import os
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from letters.files import FileReadError, FileTooLargeError, read_regular_file

#: The most of one evidence file that is read.
MAX_FILE_BYTES = 25 * 1024 * 1024
#: The most pages one enclosure may have in the bundle.
MAX_PAGES = 300
#: The largest picture (in pixels) placed in the bundle; larger ones are likely not photos.
MAX_PIXELS = 60_000_000
#: The most characters of a text file or email typeset.
MAX_TEXT_CHARS = 400_000

#: Typesets text as PDF pages (the bundle gives one in its own layout).
TextTypesetter = Callable[[str], "Converted | Unavailable"]

A4 = (595.276, 841.89)
#: The space left around a photo for the enclosure's stamp (2 cm).
IMAGE_BORDER = 56.69


@dataclass(frozen=True)
class Converted:
    """An evidence file as the pages of a PDF."""

    pdf: bytes
    pages: int


@dataclass(frozen=True)
class Unavailable:
    """Why an evidence file is not in the bundle, as the end of "provided separately: …"."""

    reason: str


def inside(folder: str | os.PathLike[str], name: str) -> Path | None:
    """The file ``name`` (relative to ``folder``) if it is inside ``folder`` once links are
    followed, else None: a case file cannot put another folder's files into a bundle."""
    base = Path(folder or ".").resolve()
    try:
        path = (base / name).resolve()
    except (OSError, RuntimeError):
        return None
    return path if path.is_relative_to(base) else None


def convert(folder: str | os.PathLike[str], name: str, *,
            text_to_pdf: TextTypesetter) -> Converted | Unavailable:
    """The evidence file ``name`` (relative to the case file's ``folder``) as PDF pages."""
    path = inside(folder, name)
    if path is None:
        return Unavailable("the file is outside the case file's folder")
    try:
        data = read_regular_file(path, MAX_FILE_BYTES)
    except FileTooLargeError:
        return Unavailable(f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    except FileReadError as err:
        return Unavailable(err.reason.rstrip("."))
    suffix = path.suffix.lower()
    if data.startswith(b"%PDF-") or suffix == ".pdf":
        return from_pdf(data)
    if suffix in (".jpg", ".jpeg", ".png", ".heic", ".heif"):
        return from_image(data, suffix)
    if suffix == ".eml":
        return text_to_pdf(email_text(data))
    if suffix in (".txt", ".text", ".md", ".csv", ""):
        text = _decode(data)
        return text_to_pdf(text) if text is not None else \
            Unavailable("the text is not in a form swletter can read (UTF-8)")
    if suffix == ".docx":
        return from_docx(data)
    return Unavailable(f"swletter cannot put a {suffix} file into a PDF")


def _decode(data: bytes) -> str | None:
    for encoding in ("utf-8-sig", "utf-16") if data[:2] in (b"\xff\xfe", b"\xfe\xff") \
            else ("utf-8-sig",):
        try:
            return data.decode(encoding)[:MAX_TEXT_CHARS]
        except UnicodeDecodeError:
            continue
    return None


# -- PDF ----------------------------------------------------------------------------------------


def from_pdf(data: bytes) -> Converted | Unavailable:
    """A PDF, read and written again by pypdf so that a damaged one is found here, not while
    the bundle is put together."""
    from pypdf import PdfReader, PdfWriter

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pypdf's notes on damaged files are not ours
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted and not reader.decrypt(""):
                return Unavailable("the PDF is protected by a password")
            pages = len(reader.pages)
            if pages == 0:
                return Unavailable("the PDF has no pages")
            if pages > MAX_PAGES:
                return Unavailable(f"the PDF has more than {MAX_PAGES} pages")
            writer = PdfWriter(clone_from=reader)
            out = io.BytesIO()
            writer.write(out)
            check = PdfReader(io.BytesIO(out.getvalue()))
            return Converted(out.getvalue(), len(check.pages))
    # pypdf is reading a file from anywhere: whatever it raises on a damaged or hostile PDF
    # (its own errors, and ValueError, KeyError, RecursionError … from deep inside), the file
    # is listed as provided separately rather than stopping the bundle.
    except Exception:
        return Unavailable("swletter could not read it as a PDF (it may be damaged)")


# -- pictures -----------------------------------------------------------------------------------


def from_image(data: bytes, suffix: str) -> Converted | Unavailable:
    """A photo on an A4 page, fitted inside a 2 cm border, the right way up."""
    try:
        import img2pdf
        from PIL import Image
    except ImportError:
        return Unavailable("photos need the img2pdf package, which is not installed")
    if suffix in (".heic", ".heif"):
        try:
            import pillow_heif  # type: ignore[import-not-found,unused-ignore]
        except ImportError:
            return Unavailable("HEIC photos need the pillow-heif package (pip install "
                               "pillow-heif); or save the photo as JPEG")
        pillow_heif.register_heif_opener()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as picture:
                if picture.width * picture.height > MAX_PIXELS:
                    return Unavailable("the picture is too large to include")
                kind = picture.format
                if kind not in ("JPEG", "PNG") or picture.mode not in ("RGB", "L", "1", "P",
                                                                       "CMYK"):
                    data = _as_jpeg(picture)
        layout = img2pdf.get_layout_fun(pagesize=A4, border=(IMAGE_BORDER, IMAGE_BORDER),
                                        fit=img2pdf.FitMode.into)
        pdf = img2pdf.convert(data, layout_fun=layout, rotation=img2pdf.Rotation.ifvalid)
        return Converted(bytes(pdf), 1)
    # Pillow and img2pdf decode a picture from anywhere; whatever a damaged one makes them
    # raise, it is listed as provided separately.
    except Exception:
        return Unavailable("swletter could not read the picture (it may be damaged)")


def _as_jpeg(picture: object) -> bytes:
    """A picture img2pdf cannot take as it is (transparency, HEIC) as a JPEG on white."""
    from PIL import Image

    assert isinstance(picture, Image.Image)
    rgba = picture.convert("RGBA")
    flat = Image.new("RGB", rgba.size, "white")
    flat.paste(rgba, mask=rgba.getchannel("A"))
    out = io.BytesIO()
    flat.save(out, "JPEG", quality=90)
    return out.getvalue()


# -- .docx --------------------------------------------------------------------------------------


def from_docx(data: bytes) -> Converted | Unavailable:
    """A .docx converted by LibreOffice, when it is installed."""
    from letters.errors import PdfError
    from letters.writers.pdf import docx_to_pdf, find_soffice

    if find_soffice() is None:
        return Unavailable("a .docx needs LibreOffice to be included, and it is not installed")
    try:
        pdf = docx_to_pdf(data, timeout=120)
    except PdfError:
        return Unavailable("LibreOffice could not convert it")
    return from_pdf(pdf)


# -- emails -------------------------------------------------------------------------------------


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "p", "div", "tr", "li"):
            self.parts.append("\n")


def email_text(data: bytes) -> str:
    """An email (.eml) as text: its headers, then its text (a web-page email's text without
    the markup), then the names of attachments, which are not included."""
    message = email.message_from_bytes(data, policy=email.policy.default)
    lines = []
    for header in ("From", "To", "Cc", "Date", "Subject"):
        try:
            value = message.get(header)
        except (ValueError, IndexError, TypeError):  # a malformed header: left out
            value = None
        if value:
            lines.append(f"{header}: {' '.join(str(value).split())}")
    body = "(The email has no text.)"
    try:
        part = message.get_body(preferencelist=("plain", "html"))
        if part is not None:
            content = part.get_content()
            if part.get_content_subtype() == "html":
                parser = _Text()
                parser.feed(content)
                content = "".join(parser.parts)
            body = "\n".join(line.rstrip() for line in str(content).splitlines())
    except (LookupError, ValueError, UnicodeError, AttributeError, KeyError):
        body = "(swletter could not read the text of this email.)"
    attachments = []
    for attachment in message.iter_attachments():
        attachments.append(attachment.get_filename() or "(no name)")
    text = "\n".join(lines) + "\n\n" + body.strip()
    if attachments:
        text += "\n\nAttachments, not included here: " + ", ".join(attachments)
    return text[:MAX_TEXT_CHARS]
